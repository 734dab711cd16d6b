"""The resources of the pipeline, registered once (``defs/resources``): the warehouse and the
publication's paths (dbt runs in the run's process: ``lib/dbt_runner``). Every other concern
names them by key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg

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


def resources(settings: Settings | None = None) -> dict[str, Any]:
    """Every resource of the pipeline, by the key the assets ask for."""
    settings = settings or Settings.from_env()
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "publication": PublicationResource.from_settings(settings),
    }
