"""Changing the shared lead definition changes the warehouse: the MQL threshold of
smarketing.yml, raised and rebuilt, removes exactly the MQLs whose score falls below it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.lib.dbt_project import dbt_vars
from smarketing.config import load_config
from smarketing.config.tables import write_tables
from smarketing.metrics.queries import monthly_queries, write_queries

REPO = Path(__file__).resolve().parents[1]
# the project's parse (the small run made it), the metric layer's definitions
SEMANTIC_MANIFEST = REPO / "dbt" / "target" / "semantic_manifest.json"
RAISED_THRESHOLD = 90


def mql_cycles(warehouse: Path) -> dict[tuple[str, int], object]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            (lead, cycle): mql_at
            for lead, cycle, mql_at in con.execute(
                "select unified_lead_id, cycle, mql_at from marts.fct_lead_funnel"
            ).fetchall()
        }
    finally:
        con.close()


def scores(warehouse: Path) -> dict[str, tuple[float | None, float | None]]:
    """Unified lead -> (score the sync wrote on its primary lead, best HubSpot score), read
    from the raw exports."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            with lead_scores as (
                select bridge.unified_lead_id,
                    try_cast(lead.lead_score__c as double) as lead_score,
                    row_number() over (
                        partition by bridge.unified_lead_id
                        order by cast(lead.created_date as timestamptz), lead.id
                    ) as lead_rank
                from marts.bridge_lead_source_records as bridge
                join raw.salesforce__lead as lead on bridge.source_record_id = lead.id
                where bridge.source_system = 'salesforce' and bridge.source_entity = 'lead'
            ),
            hubspot_scores as (
                select bridge.unified_lead_id,
                    max(try_cast(contact.hubspot_score as double)) as hubspot_score
                from marts.bridge_lead_source_records as bridge
                join raw.hubspot__contact as contact
                    on bridge.source_record_id = contact.record_id
                where bridge.source_system = 'hubspot'
                group by all
            )
            select dim.unified_lead_id, lead_scores.lead_score, hubspot_scores.hubspot_score
            from marts.dim_leads as dim
            left join lead_scores
                on dim.unified_lead_id = lead_scores.unified_lead_id
                and lead_scores.lead_rank = 1
            left join hubspot_scores on dim.unified_lead_id = hubspot_scores.unified_lead_id
            """
        ).fetchall()
    finally:
        con.close()
    return {lead: (lead_score, hubspot_score) for lead, lead_score, hubspot_score in rows}


@pytest.fixture(scope="module")
def raised(small: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small warehouse rebuilt by a copy of the dbt project whose definition
    raises the MQL threshold; returns the copied warehouse."""
    root = tmp_path_factory.mktemp("raised")
    project = root / "dbt"
    shutil.copytree(
        REPO / "dbt", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    data = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    assert data["stages"]["mql"]["score_threshold"] < RAISED_THRESHOLD
    data["stages"]["mql"]["score_threshold"] = RAISED_THRESHOLD
    config_path = root / "smarketing.yml"
    config_path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    warehouse = root / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        config = load_config(config_path)
        write_tables(con, config, config_path)
        metrics = config.committee.metrics()
        write_queries(con, metrics, monthly_queries(SEMANTIC_MANIFEST, metrics), SEMANTIC_MANIFEST)
    finally:
        con.close()
    manifest = json.loads((small["root"] / "truth" / "manifest.json").read_text())
    env = {
        **os.environ,
        "SMARKETING_WAREHOUSE": str(warehouse),
        "SMARKETING_AS_OF": manifest["cutoff"],
    }
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [
            str(dbt),
            "build",
            "--select",
            "source:config.mql_criteria+",
            "--vars",
            json.dumps(dbt_vars()),
            "--target-path",
            str(root / "target"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse


def test_a_raised_threshold_removes_the_mqls_below_it(small: dict, raised: Path) -> None:
    before = mql_cycles(small["root"] / "warehouse.duckdb")
    after = mql_cycles(raised)
    score_of = scores(raised)
    assert before.keys() == after.keys()  # the same cycles: only the classification moves

    kept, dropped = 0, 0
    for (lead, cycle), mql_at in before.items():
        lead_score, hubspot_score = score_of[lead]
        if mql_at is None:
            assert after[(lead, cycle)] is None
            continue
        # cycle 1 reads the hand-off score, else the HubSpot score; a re-qualification has
        # no score of its own: only a hand-off score can hold it back
        score = lead_score if lead_score is not None else hubspot_score
        if cycle == 1:
            expected = score is not None and score >= RAISED_THRESHOLD
        else:
            expected = lead_score is None or lead_score >= RAISED_THRESHOLD
        assert (after[(lead, cycle)] is not None) == expected, (lead, cycle, score)
        if expected:
            assert after[(lead, cycle)] == mql_at
            kept += 1
        else:
            dropped += 1
    assert kept > 20 and dropped > 50, (kept, dropped)


def test_the_funnel_metrics_follow(small: dict, raised: Path) -> None:
    def mqls(warehouse: Path) -> int:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(
                "select sum(mql_count) from marts.fct_funnel_cohorts where segment = '(all)' "
                "and channel = '(all)' and campaign_name = '(all)' and offer = '(all)' "
                "and team = '(all)'"
            ).fetchone()[0]
        finally:
            con.close()

    after = mql_cycles(raised)
    assert mqls(raised) == sum(mql_at is not None for mql_at in after.values())
    assert mqls(raised) < mqls(small["root"] / "warehouse.duckdb")
