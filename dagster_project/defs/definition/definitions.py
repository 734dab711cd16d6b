"""The shared lead definition: smarketing.yml validated and written into the warehouse's
``config`` schema at the start of every run, the tables dbt reads as the source ``config``
(smarketing/config/tables.py). An edited file applies to the next run; no project file is
rewritten."""

from collections.abc import Iterator

import dagster as dg

from dagster_project.lib.dbt_project import prepared_manifest
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.config import default_config_path
from smarketing.config.tables import SCHEMA, written_tables
from smarketing.definition import DefinitionError, write_definition

specs = [
    dg.AssetSpec(
        key=[SCHEMA, table],
        description=f"{table} of the shared lead definition (smarketing.yml).",
        group_name="definition",
        kinds={"duckdb", "yaml"},
    )
    for table in written_tables()
]


@dg.multi_asset(specs=specs, name="write_definition", pool="warehouse")
def write_definition_asset(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Validate smarketing.yml and replace the ``config`` tables by what it says, with the
    query of each committee KPI's metric by month and the metric layer's semantic manifest
    (smarketing/definition.py)."""
    path = default_config_path()
    semantic_manifest = prepared_manifest().with_name("semantic_manifest.json")
    with warehouse.connect() as con:
        try:
            definition = write_definition(con, semantic_manifest, path)
        except DefinitionError as exc:
            raise dg.Failure(description=str(exc)) from exc
    context.log.info(f"{path}: definition version {definition.version}")
    for spec in specs:
        yield dg.MaterializeResult(
            asset_key=spec.key, metadata={"definition_version": definition.version}
        )


defs = dg.Definitions(assets=[write_definition_asset])
