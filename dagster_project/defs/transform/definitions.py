"""Transformation: the dbt project (staging, and the marts built on it); dbt tests are checks."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.lib.dbt_project import dbt_executable, dbt_project, ensure_manifest
from smarketing.settings import Settings

# dbt reads the warehouse path from the environment (profiles.yml).
Settings.from_env().export_env()


class SmarketingTranslator(DagsterDbtTranslator):
    """Asset keys mirror ``[schema, table]``; groups follow the dbt folder (staging, marts…)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return fqn[1] if len(fqn) > 2 else None


@dbt_assets(
    manifest=ensure_manifest(dbt_project),
    project=dbt_project,
    dagster_dbt_translator=SmarketingTranslator(),
    pool="warehouse",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Build and test every selected dbt model; failing tests show as failed asset checks."""
    yield from dbt.cli(["build"], context=context).stream()


defs = dg.Definitions(
    assets=[dbt_models],
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=dbt_executable(),
        )
    },
)
