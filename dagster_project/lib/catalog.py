"""Every asset the pipeline builds, by key, known without loading the other definitions: the
publication (``defs/publish``) copies them all, so it comes after each of them and after each
blocking check on them. A test checks the list against the definitions themselves."""

from __future__ import annotations

import json

import dagster as dg

from dagster_project.lib.dbt_project import SmarketingTranslator, prepared_manifest
from smarketing.config.tables import SCHEMA, written_tables
from smarketing.identity.tables import PERSON_LINKS, PERSON_MATCHES, PERSON_PHONES, REGISTRY
from smarketing.ingest.registry import export_kinds
from smarketing.ingest.schema import AUDIT_SCHEMA, AUDIT_TABLES, RAW_SCHEMA

# the dbt nodes that are tables of the warehouse
DBT_BUILT = ("model", "seed", "snapshot")
SERVING_KEY = dg.AssetKey(["serving_copy"])
# what is made from the published warehouse, after the publication
PACKS_KEY = dg.AssetKey(["committee_packs"])
AFTER_PUBLICATION = (PACKS_KEY,)


def _dbt_keys() -> set[dg.AssetKey]:
    manifest = json.loads(prepared_manifest().read_text(encoding="utf-8"))
    translator = SmarketingTranslator()
    return {
        translator.get_asset_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] in DBT_BUILT
    }


def built_asset_keys() -> list[dg.AssetKey]:
    """The loader's raw and audit tables, the definition's tables, every dbt table and the
    identity resolution's tables, sorted."""
    keys = {dg.AssetKey([RAW_SCHEMA, kind.table]) for kind in export_kinds()}
    keys |= {dg.AssetKey([AUDIT_SCHEMA, table]) for table in AUDIT_TABLES}
    keys |= {dg.AssetKey([SCHEMA, table]) for table in written_tables()}
    keys |= {dg.AssetKey(table.split(".")) for table in (PERSON_LINKS, PERSON_MATCHES)}
    keys |= {dg.AssetKey(table.split(".")) for table in (PERSON_PHONES, REGISTRY)}
    keys |= _dbt_keys()
    return sorted(keys, key=lambda key: key.to_user_string())
