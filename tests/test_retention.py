"""Retention of raw deliveries: superseded rows older than the period are purged, the current
delivery of every record is kept however old, what staging reads does not change, and raw
still reconciles with the load audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from smarketing.config import ConfigError, load_config
from smarketing.ingest.registry import export_kinds
from smarketing.ingest.schema import ensure_schema
from smarketing.privacy import retention

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
LEAD = next(kind for kind in export_kinds() if kind.table == "salesforce__lead")
# file -> (days before NOW it was loaded, lead ids it delivers)
DELIVERIES = {
    "Lead-2024.csv": (800, ["00QA", "00QB", "00QC"]),
    "Lead-2024-12.csv": (750, ["00QC"]),  # supersedes C, and is itself old: kept, current
    "Lead-2026-11.csv": (20, ["00QA", "00QD"]),  # supersedes A
    "Lead-2026-12.csv": (1, ["00QD "]),  # supersedes D (keys compared trimmed), which is recent
}
RECONCILIATION = (ROOT / "expectations" / "queries" / "raw_deliveries.sql").read_text()


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_schema(con)
    for file, (age, ids) in DELIVERIES.items():
        loaded_at = NOW - timedelta(days=age)
        for row, lead_id in enumerate(ids, start=1):
            con.execute(
                "insert into raw.salesforce__lead (id, last_name, _source_file, _file_sha256, "
                "_row_number, _loaded_at) values (?, ?, ?, ?, ?, ?)",
                [lead_id, f"{file}:{row}", file, f"sha-{file}", row, loaded_at],
            )
        con.execute(
            "insert into audit.load_audit (run_id, source_file, file_sha256, raw_table, "
            "rows_read, rows_loaded, rows_rejected, status, started_at, finished_at) "
            "values ('r', ?, ?, 'salesforce__lead', ?, ?, 0, 'loaded', ?, ?)",
            [file, f"sha-{file}", len(ids), len(ids), loaded_at, loaded_at],
        )
    return con


def latest(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """What staging reads: the latest delivery of each lead (dbt/macros/latest_delivery.sql)."""
    return con.execute(
        """
        select trim(id), last_name from raw.salesforce__lead
        qualify row_number() over (
            partition by trim(id) order by _loaded_at desc, _source_file desc, _row_number desc
        ) = 1
        order by 1
        """
    ).fetchall()


def test_superseded_rows_older_than_the_period_are_purged(con: duckdb.DuckDBPyConnection) -> None:
    before = latest(con)
    purged = retention.purge(con, [LEAD], 730, "run-retention", NOW)
    assert purged.rows_by_table == {"salesforce__lead": 2}
    assert purged.cutoff == NOW - timedelta(days=730)
    kept = con.execute(
        "select _source_file, trim(id) from raw.salesforce__lead order by all"
    ).fetchall()
    assert kept == [
        ("Lead-2024-12.csv", "00QC"),  # old, but the current delivery of C
        ("Lead-2024.csv", "00QB"),  # old, never delivered again: current
        ("Lead-2026-11.csv", "00QA"),
        ("Lead-2026-11.csv", "00QD"),  # superseded, but recent
        ("Lead-2026-12.csv", "00QD"),
    ]
    assert latest(con) == before
    removed = con.execute(
        "select run_id, raw_table, file_sha256, reason, rows_removed from audit.removed_rows"
    ).fetchall()
    assert removed == [("run-retention", "salesforce__lead", "sha-Lead-2024.csv", "retention", 2)]
    # raw = loaded - removed, as the raw_deliveries check reads it
    check = RECONCILIATION.format(
        raw_table="raw.salesforce__lead", table="salesforce__lead", key="id"
    )
    raw_rows, audited_rows = con.execute(f"select raw_rows, audited_rows from ({check})").fetchone()
    assert raw_rows == audited_rows == 5
    # a second purge finds nothing more
    assert retention.purge(con, [LEAD], 730, "run-2", NOW).rows == 0


def test_nothing_is_purged_within_the_period(con: duckdb.DuckDBPyConnection) -> None:
    assert retention.purge(con, [LEAD], 1000, "run", NOW).rows == 0
    assert con.execute("select count(*) from raw.salesforce__lead").fetchone()[0] == 7


def test_the_period_is_read_from_smarketing_yml_and_checked(tmp_path: Path) -> None:
    assert load_config().retention.raw_deliveries_days == 730
    document = yaml.safe_load((ROOT / "smarketing.yml").read_text(encoding="utf-8"))
    document["retention"] = {"raw_deliveries_days": 7}
    path = tmp_path / "smarketing.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"retention\.raw_deliveries_days"):
        load_config(path)
    del document["retention"]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_config(path).retention.raw_deliveries_days is None
