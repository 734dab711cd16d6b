"""Identity resolution: which source records are the same person (Python, between the dbt
models it reads and the marts built on it). Logic in ``smarketing.identity``."""

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from dagster_project.lib.warehouse import WarehouseResource
from smarketing.identity.tables import PERSON_LINKS, PERSON_MATCHES, PERSON_PHONES, REGISTRY
from smarketing.settings import Settings

if TYPE_CHECKING:
    from smarketing.identity.resolve import Resolution

INPUTS = [
    dg.AssetKey(["intermediate", "int_person_records"]),
    dg.AssetKey(["intermediate", "int_person_record_links"]),
    # its phone patterns are read by the resolution itself
    dg.AssetKey(["seeds", "placeholder_contact_values"]),
]
DESCRIPTIONS = {
    PERSON_LINKS: "One row per person-like source record: its stable unified_lead_id, the "
    "strongest link that joined it to its person (match_rule) and that link's probability.",
    PERSON_MATCHES: "Every link used: recorded by the tools, same e-mail, or Splink's model "
    "at or above the match threshold.",
    PERSON_PHONES: "Phone numbers of each record in E.164 (libphonenumber), placeholders "
    "dropped, and the one that is this person's alone (not a switchboard).",
    REGISTRY: "Registry that keeps unified_lead_ids stable across runs and new exports: every "
    "record ever seen and its id. Rewritten by each run, never dropped.",
}
specs = [
    dg.AssetSpec(
        key=table.split("."),
        deps=INPUTS,
        description=description,
        group_name="identity",
        kinds={"duckdb", "python"},
    )
    for table, description in DESCRIPTIONS.items()
]


def _metadata(result: "Resolution", table: str) -> dict[str, dg.MetadataValue | int | float]:
    rows = {
        PERSON_LINKS: result.records,
        PERSON_MATCHES: result.deterministic_links + result.probabilistic_links,
    }
    metadata: dict[str, dg.MetadataValue | int | float] = {}
    if table in rows:
        metadata["dagster/row_count"] = rows[table]
    if table == PERSON_LINKS:
        metadata.update(
            persons=result.persons,
            merged_records=result.merged_records,
            deterministic_links=result.deterministic_links,
            candidate_pairs=result.candidate_pairs,
            probabilistic_links=result.probabilistic_links,
            match_threshold=result.match_threshold,
            ids_kept=result.reused_ids,
            ids_new=result.new_ids,
            seconds=dg.MetadataValue.json(result.seconds),
        )
    if table == PERSON_PHONES:
        metadata["phone_numbers_parsed"] = result.phone_numbers_parsed
    if table == PERSON_MATCHES:
        metadata.update(
            prior=result.prior,
            model=dg.MetadataValue.json(result.model),
        )
    return metadata


@dg.multi_asset(specs=specs, name="resolve_identities", pool="warehouse")
def resolve_identities_asset(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Deterministic links, then Splink for the rest, connected components, stable ids."""
    from smarketing.identity.resolve import resolve_identities  # Splink: import when run

    result = resolve_identities(
        Path(warehouse.warehouse),
        progress=context.log.info,
        retrain=Settings.from_env().full_refresh,
    )
    for table in DESCRIPTIONS:
        yield dg.MaterializeResult(asset_key=table.split("."), metadata=_metadata(result, table))


# the "warehouse" resource is registered once, by defs/ingest
defs = dg.Definitions(assets=[resolve_identities_asset])
