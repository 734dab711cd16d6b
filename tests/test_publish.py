"""Write-audit-publish: the serving copy readers use changes only when every blocking check
passed. Unit tests of the copy and the records on tiny warehouses, then the deliveries after
the ``small`` fixture's run (``redelivery``, tests/redelivery.py): a run killed during dbt, a
delivery with a planted defect (held back), its correction (published), with another process
reading the serving copy all along."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.publish.definitions import serving_copy_asset
from dagster_project.lib.resources import PublicationResource
from dagster_project.lib.warehouse import WarehouseResource
from dashboards import warehouse as dashboard_warehouse
from smarketing.publish import CheckCounts, begin_run, hold_back, publish, read_status
from smarketing.publish.records import PublicationRecord
from smarketing.publish.serving import PublishError, ServedCopy, replace_serving_copies
from smarketing.publish.status import PublicationStatus
from smarketing.quality import reasons
from smarketing.settings import Settings
from tests.redelivery import sha256


def settings_in(root: Path) -> Settings:
    return Settings(
        inbox=root / "inbox",
        warehouse=root / "warehouse.duckdb",
        serving=root / "serving.duckdb",
        data_docs=root / "data_docs",
    )


def tiny_warehouse(path: Path, leads: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema staging; create schema raw")
    con.execute(f"create table marts.dim_leads as select range as id from range({leads})")
    con.execute("create view marts.v as select count(*) as n from marts.dim_leads")
    con.execute("create table raw.lead as select 'a@example.com' as email")
    con.execute("create view staging.lead as select * from raw.lead")
    con.close()


def replace_serving_copy(warehouse: Path, serving: Path, published: PublicationRecord) -> None:
    replace_serving_copies(warehouse, [ServedCopy(serving)], published)


def record(run_id: str) -> PublicationRecord:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    return PublicationRecord(run_id, now, now, "published", None, CheckCounts(passed=3), "x")


# --- the serving copy and the records, on tiny warehouses -----------------------------------


def one_view(path: Path, n: int) -> None:
    con = duckdb.connect(str(path))
    con.execute(f"create schema marts; create view marts.v as select {n} as n")
    con.close()


@pytest.mark.parametrize("fails", [False, True])
def test_a_dashboard_opening_the_copy_while_it_is_swapped_reads_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    """DuckDB opens a file three times while it starts: a publication swapping the serving
    copy in between hands it one file's header and the next one's blocks. The dashboard sees
    the swap and opens the new copy again (whether DuckDB failed, FAILS, or not)."""
    serving, published = tmp_path / "serving.duckdb", tmp_path / "next.duckdb"
    one_view(serving, 1)
    one_view(published, 2)
    real = duckdb.connect
    swaps: list[str] = []

    def swapping(database: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        con = real(database, *args, **kwargs)
        if not swaps:  # the publication renames the new copy over it meanwhile
            swaps.append(database)
            os.replace(published, serving)
            if fails:
                con.close()
                raise duckdb.InternalException("Failed to load metadata pointer")
        return con

    monkeypatch.setattr(duckdb, "connect", swapping)
    con = dashboard_warehouse._open(serving, {})
    try:
        assert con.execute("select n from marts.v").fetchone() == (2,)
    finally:
        con.close()
    assert swaps == [str(serving)]


def test_the_serving_copy_is_swapped_in_whole_and_open_readers_keep_theirs(
    tmp_path: Path,
) -> None:
    warehouse, serving = tmp_path / "w.duckdb", tmp_path / "serving.duckdb"
    tiny_warehouse(warehouse, 3)
    replace_serving_copy(warehouse, serving, record("run-1"))
    reader = duckdb.connect(str(serving), read_only=True)
    con = duckdb.connect(str(warehouse))
    con.execute("insert into marts.dim_leads values (99)")
    con.close()
    replace_serving_copy(warehouse, serving, record("run-2"))
    # the reader opened before the swap still reads the copy it opened
    assert reader.execute("select n from marts.v").fetchone() == (3,)
    reader.close()
    fresh = duckdb.connect(str(serving), read_only=True)
    assert fresh.execute("select n from marts.v").fetchone() == (4,)
    # the published layers only: the raw deliveries and their staging stay in the warehouse
    assert fresh.execute(
        "select distinct schema_name from duckdb_tables() union "
        "select distinct schema_name from duckdb_views() where not internal order by 1"
    ).fetchall() == [("audit",), ("marts",)]
    assert fresh.execute("select run_id, status from audit.publications").fetchall() == [
        ("run-2", "published")
    ]
    fresh.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["serving.duckdb", "w.duckdb"]
    with pytest.raises(PublishError, match="is the warehouse itself"):
        replace_serving_copy(warehouse, warehouse, record("run-3"))


def test_a_hold_back_keeps_the_last_publication_and_says_why(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    tiny_warehouse(settings.warehouse, 3)
    begin_run(settings, "good")
    publish(settings, "good", None, CheckCounts(passed=5))
    published = sha256(settings.serving)
    begin_run(settings, "bad")
    hold_back(settings, "bad", ["blocking check failed: x"], counts=CheckCounts(failed=1))
    hold_back(settings, "bad", ["step y failed: z", "blocking check failed: x"])
    assert sha256(settings.serving) == published
    status = read_status(settings.publication_status)
    assert status is not None
    assert (status.run_id, status.status, status.last_published_run_id) == (
        "bad",
        "held_back",
        "good",
    )
    assert status.reason == "blocking check failed: x\nstep y failed: z"
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    rows = con.execute(
        "select run_id, status, reason from audit.publications order by finished_at"
    ).fetchall()
    con.close()
    assert rows == [
        ("good", "published", None),
        ("bad", "held_back", "blocking check failed: x\nstep y failed: z"),
    ]
    assert settings.quality_history.is_file()


def test_a_run_that_never_finished_is_recorded_as_interrupted(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    begin_run(settings, "killed")
    begin_run(settings, "next")
    status = read_status(settings.publication_status)
    assert status is not None and (status.run_id, status.status) == ("next", "running")
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    ((run_id, outcome, reason),) = con.execute(
        "select run_id, status, reason from audit.publications"
    ).fetchall()
    con.close()
    assert (run_id, outcome) == ("killed", "held_back")
    assert reason.startswith("interrupted: run killed started at")


def test_a_running_status_knows_whether_its_process_still_runs(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    begin_run(settings, "now")
    status = read_status(settings.publication_status)
    assert status is not None and status.pid == os.getpid()
    assert status.process_alive()  # this very process
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert not replace(status, pid=int(gone.stdout)).process_alive()


def test_a_run_that_did_not_run_every_check_is_not_published(tmp_path: Path) -> None:
    """Materializing the publication alone (e.g. from the Dagster UI) runs no check: held back."""
    settings = settings_in(tmp_path)
    tiny_warehouse(settings.warehouse, 3)
    result = dg.materialize(
        [serving_copy_asset()],
        resources={
            "warehouse": WarehouseResource(inbox=str(tmp_path), warehouse=str(settings.warehouse)),
            "publication": PublicationResource.from_settings(settings),
        },
        raise_on_error=False,
    )
    assert not result.success
    assert not settings.serving.exists()
    status = read_status(settings.publication_status)
    assert status is not None and status.status == "held_back"
    assert (status.reason or "").startswith("not checked in this run: ")
    assert "inbound_leads" in (status.reason or "")


# --- the deliveries after the small run (tests/redelivery.py) ------------------------------


@pytest.fixture
def scenario(redelivery: dict) -> dict:
    return redelivery


def test_the_small_runs_published_a_serving_copy(small: dict) -> None:
    root = small["root"]
    status = read_status(root / "publication.json")
    assert status is not None and status.status == "published"
    assert status.last_published_run_id == status.run_id
    assert Path(status.data_docs).is_file()
    con = duckdb.connect(str(root / "serving.duckdb"), read_only=True)
    publications = con.execute(
        "select run_id, status from audit.publications order by finished_at"
    ).fetchall()
    leads = con.execute("select count(*) from marts.dim_leads").fetchone()[0]
    con.close()
    assert [s for _, s in publications] == ["published"]
    assert publications[-1][0] == status.run_id
    assert leads > 1000
    history = duckdb.sql(f"select distinct run_id from '{root / 'quality_history.parquet'}'")
    assert {r for (r,) in history.fetchall()} == {r for r, _ in publications}


def test_a_run_killed_during_dbt_leaves_the_serving_copy_readable_and_unchanged(
    scenario: dict,
) -> None:
    killed = scenario["killed"]
    assert killed["returncode"] == -signal.SIGKILL
    assert killed["serving"] == scenario["serving"]
    # nobody could say otherwise: it was killed; its process is gone
    assert killed["status"]["status"] == "running"
    assert killed["status"]["pid"] == killed["pid"]
    assert not PublicationStatus(**killed["status"]).process_alive()
    assert killed["status"]["last_published_run_id"] == scenario["before"].run_id
    # the next run records it as interrupted
    con = duckdb.connect(str(scenario["root"] / "serving.duckdb"), read_only=True)
    reason = con.execute(
        "select reason from audit.publications where run_id = ?", [killed["status"]["run_id"]]
    ).fetchone()
    con.close()
    assert reason is not None and reason[0].startswith("interrupted:")


def test_a_planted_defect_holds_the_publication_back(scenario: dict) -> None:
    defect = scenario["defect"]
    assert scenario["blanked"] > 30
    assert defect["returncode"] == 1, defect["stdout"][-3000:] + defect["stderr"][-3000:]
    # nothing published: readers keep the last publication (rewritten without the person erased
    # by this run: tests/test_privacy.py)
    assert defect["served_runs"] == [scenario["before"].run_id]
    status = defect["status"]
    assert status["status"] == "held_back"
    assert status["last_published_run_id"] == scenario["before"].run_id
    assert "blocking check failed: inbound_leads/gx_inbound_email_complete" in status["reason"]
    assert "(has_email)" in status["reason"]
    assert (
        "delivery not loaded: hubspot/contacts-truncated.csv: cannot be decoded as utf-16 text"
        in status["reason"]
    )
    assert "hubspot/contacts-truncated.csv [error]" in defect["stdout"]
    assert status["checks"]["blocking_failed"] == 1
    assert "Publication HELD BACK" in defect["stdout"]
    assert "gx_inbound_email_complete" in defect["stdout"]


def test_the_quality_history_of_a_held_back_run_is_beside_the_serving_copy(
    scenario: dict,
) -> None:
    run_id = scenario["defect"]["status"]["run_id"]
    parquet = scenario["root"] / "quality_history.parquet"
    rows = duckdb.sql(
        f"select check_name, severity, status from '{parquet}' "
        f"where run_id = '{run_id}' and status <> 'passed' order by check_name"
    ).fetchall()
    # the phones' warning of the demo exports (test_quality.DEMO_WARNINGS) beside the defect
    assert rows == [
        ("gx_inbound_email_complete", "blocking", "failed"),
        ("gx_inbound_phone_complete", "warning", "failed"),
    ]


def test_the_corrected_delivery_is_published(scenario: dict) -> None:
    corrected = scenario["corrected"]
    assert corrected["returncode"] == 0, corrected["stdout"][-3000:] + corrected["stderr"][-3000:]
    assert corrected["serving"] != scenario["serving"]
    status = corrected["status"]
    assert status["status"] == "published" and status["reason"] is None
    assert status["last_published_run_id"] == status["run_id"]
    con = duckdb.connect(str(scenario["root"] / "serving.duckdb"), read_only=True)
    con.execute(f"attach '{scenario['root'] / 'warehouse.duckdb'}' as working (read_only)")
    outcomes = dict(con.execute("select run_id, status from audit.publications").fetchall())
    missing = con.execute(
        "select count(*) from working.staging.stg_salesforce__lead where email is null"
    ).fetchone()[0]
    # the served leads are the corrected build's
    served, built = (
        con.execute(f"select count(*), count(email) from {catalog}.marts.dim_leads").fetchone()
        for catalog in ("serving", "working")
    )
    con.close()
    assert outcomes[scenario["defect"]["status"]["run_id"]] == "held_back"
    assert outcomes[status["run_id"]] == "published"
    assert missing < scenario["blanked"]
    assert served == built


def test_readers_never_see_a_lock_error_while_the_pipeline_runs(scenario: dict) -> None:
    reader = scenario["reader"]
    assert reader["errors"] == []
    assert reader["reads"] > 100
    # it read the old publication, then the new one, across the swap
    assert reader["runs"] == [
        scenario["before"].run_id,
        scenario["corrected"]["status"]["run_id"],
    ]


def test_each_reason_line_reads_back_as_what_it_says() -> None:
    """The lines a held-back run records are read back by the module that writes them (the
    dashboard says them in its language)."""
    written = "\n".join(
        [
            reasons.check(
                reasons.CHECK_FAILED,
                "inbound_leads",
                "gx_inbound_email_complete",
                "staging.stg_salesforce__lead",
                "has_email",
                "91.20 % filled",
            ),
            reasons.check(
                reasons.CHECK_ERROR,
                "dim_leads",
                "gx_email_valid",
                "marts.dim_leads",
                None,
                "check engine error: boom",
            ),
            reasons.dbt_test("not_null_dim_leads_unified_lead_id", "marts.dim_leads"),
            reasons.delivery("hubspot/contacts.csv: cannot be decoded"),
            reasons.step("dbt_after_identity", "a model failed"),
            "(not recorded in audit.publications: locked)",
        ]
    )
    assert [(line.kind, line.fields) for line in reasons.read(written)] == [
        ("check_failed", {"check": "gx_inbound_email_complete", "details": "91.20 % filled"}),
        ("check_error", {"check": "gx_email_valid", "details": "check engine error: boom"}),
        ("dbt_test", {"test": "not_null_dim_leads_unified_lead_id", "table": "marts.dim_leads"}),
        ("delivery", {"detail": "hubspot/contacts.csv: cannot be decoded"}),
        ("step", {"step": "dbt_after_identity", "message": "a model failed"}),
        ("other", {"line": "(not recorded in audit.publications: locked)"}),
    ]
