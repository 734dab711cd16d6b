"""Transformation: the dbt project; dbt tests are checks.

The project runs in two parts around the identity resolution (a Python asset, see
``defs/identity``): everything it reads (seeds, staging, intermediate), then everything built on
its tables (selected as ``source:identity+``: the marts and what follows them).

Both parts get the custom fields of the shared lead definition (``smarketing.yml``, key
``custom_fields``) as the dbt var ``custom_fields``, read when they run, so an edited file
applies at the next run.
"""

import contextlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.lib.dbt_project import (
    dbt_executable,
    dbt_project,
    dbt_vars,
    ensure_manifest,
)
from smarketing.identity import DBT_AFTER_IDENTITY
from smarketing.settings import Settings

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
# Set by `smarketing run`: the file dbt's own log lines go to (dagster-dbt writes them to
# stdout, a thousand lines per run); unset (`dagster dev`), they stay in the step's stdout.
RUN_LOG_ENV = "SMARKETING_RUN_LOG"
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


IDENTITY_SOURCES = DBT_AFTER_IDENTITY


def dbt_build_args() -> list[str]:
    """``dbt build`` with the vars of the shared lead definition."""
    return ["build", "--vars", json.dumps(dbt_vars())]


def keep_parse_state(target_path: Path) -> None:
    """Keep what a dbt invocation parsed (its partial-parse file) as the project's, which
    dagster-dbt copies into the next invocation: with the same vars and profile, that one
    re-parses only what changed instead of the whole project."""
    parsed = target_path / PARTIAL_PARSE_FILE
    project_target = Path(dbt_project.project_dir) / dbt_project.target_path
    if parsed.is_file():
        project_target.mkdir(parents=True, exist_ok=True)
        staged = project_target / f".{PARTIAL_PARSE_FILE}.{os.getpid()}"
        shutil.copyfile(parsed, staged)
        os.replace(staged, project_target / PARTIAL_PARSE_FILE)


@dbt_assets(
    manifest=ensure_manifest(dbt_project),
    project=dbt_project,
    dagster_dbt_translator=SmarketingTranslator(),
    select="fqn:*",
    exclude=IDENTITY_SOURCES,
    name="dbt_before_identity",
    pool="warehouse",
)
def dbt_before_identity(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Seeds, staging and the intermediate models the identity resolution reads."""
    invocation = dbt.cli(dbt_build_args(), context=context)
    yield from _streamed(invocation)
    keep_parse_state(invocation.target_path)


@dbt_assets(
    manifest=ensure_manifest(dbt_project),
    project=dbt_project,
    dagster_dbt_translator=SmarketingTranslator(),
    select=IDENTITY_SOURCES,
    name="dbt_after_identity",
    pool="warehouse",
)
def dbt_after_identity(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """The models built on the unified leads (marts), once the identity resolution ran."""
    invocation = dbt.cli(dbt_build_args(), context=context)
    yield from _streamed(invocation)
    keep_parse_state(invocation.target_path)


def _streamed(invocation: Any) -> Iterator[Any]:
    """The invocation's events, dbt's log lines into the run log when there is one."""
    path = os.environ.get(RUN_LOG_ENV)
    if not path:
        yield from invocation.stream()
        return
    with open(path, "a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        yield from invocation.stream()


defs = dg.Definitions(
    assets=[dbt_before_identity, dbt_after_identity],
    resources={
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=dbt_executable(),
        )
    },
)
