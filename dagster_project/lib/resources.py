"""The resources of the pipeline, registered once (``defs/resources``): the warehouse, the
publication's paths and dbt. Every other concern names them by key."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from dagster_project.lib.dbt_project import dbt_executable, dbt_project
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.settings import Settings


class PublicationResource(dg.ConfigurableResource):
    """Where the serving copy and the Data Docs go (SMARKETING_SERVING, SMARKETING_DATA_DOCS)."""

    serving: str
    data_docs: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> PublicationResource:
        settings = settings or Settings.from_env()
        return cls(serving=str(settings.serving), data_docs=str(settings.data_docs))

    def settings(self, warehouse: WarehouseResource) -> Settings:
        return Settings(
            inbox=Path(warehouse.inbox),
            warehouse=Path(warehouse.warehouse),
            serving=Path(self.serving),
            data_docs=Path(self.data_docs),
        )


class SmarketingDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, which learns dbt's version from the installed dbt-core
    instead of running ``dbt --version`` (a 4 s process start) in every run, and opens no dbt
    adapter in this process: dagster-dbt uses it only to fetch row counts and column
    metadata, which this project does not ask for (~1 s of every dbt step)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def resources(settings: Settings | None = None) -> dict[str, Any]:
    """Every resource of the pipeline, by the key the assets ask for."""
    settings = settings or Settings.from_env()
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "publication": PublicationResource.from_settings(settings),
        "dbt": SmarketingDbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(dbt_project.profiles_dir),
            dbt_executable=dbt_executable(),
        ),
    }
