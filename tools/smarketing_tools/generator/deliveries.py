"""Delivery modes: the same generated records in the shapes real teams deliver them.

``generate(..., delivery=...)`` first writes the default inbox (``api``: Salesforce Data Loader
files and HubSpot UI exports), then rewrites it into the chosen shape. Every mode keeps the
same records (people, leads, ids, instants, amounts), so the ground truth in ``truth/`` holds
for every mode; ``truth/manifest.json`` records the mode and the files it delivered.

- ``api``: the default files, unchanged.
- ``report-en`` / ``report-fr``: every Salesforce file as a report export
  (``delivery_reports``); HubSpot files unchanged.
- ``data-export``: every Salesforce file as the weekly Data Export writes it, plus Event.csv,
  CurrencyType.csv and DatedConversionRate.csv (``delivery_data_export``); HubSpot unchanged.
- ``hubspot-associations``: the HubSpot contacts exports with their associated company's
  columns, plus a companies export (``delivery_hubspot``); Salesforce files unchanged.
- ``pipedrive``: the sales team runs Pipedrive: persons, deals, activities and a lead-status
  changelog instead of the Salesforce files, read through the shipped mapping files
  (``delivery_pipedrive``); HubSpot unchanged.
"""

from __future__ import annotations

import json

from smarketing_tools.generator.contacts_plan import ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.delivery_data_export import deliver_data_export
from smarketing_tools.generator.delivery_hubspot import deliver_hubspot_associations
from smarketing_tools.generator.delivery_pipedrive import deliver_pipedrive
from smarketing_tools.generator.delivery_reports import deliver_reports

DELIVERIES = ("api", "report-en", "report-fr", "data-export", "hubspot-associations", "pipedrive")


def check_delivery(delivery: str) -> None:
    if delivery not in DELIVERIES:
        raise ValueError(f"unknown delivery {delivery!r}: choose one of {', '.join(DELIVERIES)}")


def deliver(
    ctx: Context, plan: ContactPlan, delivery: str, counts: dict[str, int]
) -> dict[str, int]:
    """Rewrite the inbox ``generate()`` wrote into DELIVERY; returns the updated row counts
    (and records them in truth/manifest.json). ``api`` changes nothing."""
    check_delivery(delivery)
    if delivery == "api":
        return counts
    if delivery in ("report-en", "report-fr"):
        written = deliver_reports(
            ctx.inbox, delivery.removeprefix("report-"), ctx.seed, ctx.window.as_of.year
        )
    elif delivery == "data-export":
        written = deliver_data_export(ctx)
    elif delivery == "pipedrive":
        counts = {k: v for k, v in counts.items() if not k.startswith("inbox/salesforce/")}
        written = deliver_pipedrive(ctx)
    else:
        written = deliver_hubspot_associations(ctx, plan)
    counts = dict(sorted({**counts, **written}.items()))
    _record_in_manifest(ctx, delivery, counts)
    return counts


def _record_in_manifest(ctx: Context, delivery: str, counts: dict[str, int]) -> None:
    path = ctx.truth / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    updated: dict[str, object] = {}
    for key, value in manifest.items():
        updated[key] = counts if key == "counts" else value
        if key == "as_of":
            updated["delivery"] = delivery
    path.write_text(json.dumps(updated, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
