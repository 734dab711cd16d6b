"""The real Salesforce samples through the whole pipeline: the unified lead table is built
without error, and a converted lead and the contact it became are one person."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.conftest import FIXTURES, run_cli


def test_real_salesforce_samples_resolve(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for path in sorted(FIXTURES.glob("*/*.csv")):
        target = inbox / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    run = run_cli(tmp_path, inbox)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        staged = con.execute(
            "select (select count(*) from staging.stg_salesforce__lead) "
            "+ (select count(*) from staging.stg_salesforce__contact)"
        ).fetchall()[0][0]
        bridged = con.execute(
            "select count(*), count(distinct record_key) from marts.bridge_lead_source_records"
        ).fetchall()[0]
        assert bridged == (staged, staged)
        converted = con.execute(
            """
            select lead.lead_id, l.unified_lead_id = c.unified_lead_id
            from staging.stg_salesforce__lead as lead
            inner join staging.stg_salesforce__contact as contact
                on contact.contact_id = lead.converted_contact_id
            inner join marts.bridge_lead_source_records as l
                on l.source_entity = 'lead' and l.source_record_id = lead.lead_id
            inner join marts.bridge_lead_source_records as c
                on c.source_entity = 'contact' and c.source_record_id = contact.contact_id
            """
        ).fetchall()
        leads = con.execute("select count(*) from marts.dim_leads").fetchall()[0][0]
    finally:
        con.close()
    assert len(converted) >= 2, "the samples hold converted leads whose contact was exported"
    assert all(same for _, same in converted), converted
    assert 0 < leads < staged
