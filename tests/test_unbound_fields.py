"""The org's fields bound to a column no delivered file has: a warning naming the binding,
only for exports that were delivered."""

from __future__ import annotations

from pathlib import Path

import duckdb

from smarketing.config import load_config
from smarketing.ingest.loading import load_inbox
from smarketing.ingest.unbound import unbound_fields

REPO = Path(__file__).resolve().parents[1]


def test_a_binding_no_delivered_column_matches_is_reported(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "leads.csv").write_text(
        "Lead ID,Lead Status,Score\n00Q5j00000AbCdEEAV,Open - Not Contacted,72\n",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    try:
        load_inbox(con, inbox)
        warnings = unbound_fields(con, load_config(REPO / "smarketing.yml"))
    finally:
        con.close()
    # every lead field is unbound (the file names its score `Score`); no other export was
    # delivered, so nothing is said of them
    assert [w.split(":")[0] for w in warnings] == [
        "fields.salesforce_lead.lead_score",
        "fields.salesforce_lead.rejection_reason",
        "fields.salesforce_lead.offer",
        "fields.salesforce_lead.hubspot_contact_id",
    ]
    assert "'Lead_Score__c' or 'Lead Score'; lead_score is empty (NULL)" in warnings[0]
