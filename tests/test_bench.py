"""The benchmark's measurement helper and report writer (the benchmark itself is not run)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from smarketing_tools.bench.floor import load_floor
from smarketing_tools.bench.history import (
    append_history,
    change_lines,
    figures,
    previous_run,
    read_history,
)
from smarketing_tools.bench.measure import MIB, StageResult, SubRow, run_measured
from smarketing_tools.bench.output import dagster_lines, dbt_lines
from smarketing_tools.bench.report import (
    BenchReport,
    machine_facts,
    read_report,
    render_markdown,
    write_report,
)
from smarketing_tools.bench.rows import dbt_nodes
from tests.conftest import FIXTURES

ALLOCATE = (
    "import time\n"
    "block = bytearray({size})\n"
    "for i in range(0, len(block), 4096):\n"
    "    block[i] = 1\n"  # touch every page, so that it is resident
    "time.sleep(0.5)\n"
)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_process_that_allocates_200_mb_peaks_above_150_mib() -> None:
    measured = run_measured(python(ALLOCATE.format(size=200 * 1000 * 1000)))
    assert measured.ok
    assert measured.peak_rss_bytes > 150 * MIB
    assert measured.samples >= 3
    assert 0.5 < measured.wall_s < 10


def test_a_small_process_peaks_below_150_mib() -> None:
    measured = run_measured(python(ALLOCATE.format(size=1000)))
    assert measured.ok
    assert 0 < measured.peak_rss_bytes < 150 * MIB


def test_memory_of_child_processes_counts() -> None:
    child = ALLOCATE.format(size=200 * 1000 * 1000)
    parent = (
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    )
    measured = run_measured(python(parent))
    assert measured.ok
    assert measured.peak_rss_bytes > 150 * MIB


def test_a_failing_command_keeps_its_exit_code_and_the_tail_of_its_output(tmp_path: Path) -> None:
    code = "import sys\nfor i in range(100): print('line', i)\nsys.exit('it broke')"
    log = tmp_path / "logs" / "stage.log"
    shown: list[str] = []
    measured = run_measured(
        python(code),
        log_path=log,
        echo=lambda line: line if line.endswith("7") else None,
        echo_to=_Collect(shown),
    )
    assert measured.returncode == 1
    assert measured.output_tail[-1] == "it broke"
    assert "line 99" in measured.output_tail
    assert log.read_text().count("\n") == 101
    assert [line.strip() for line in shown if line.strip()][:2] == ["line 7", "line 17"]


class _Collect:
    def __init__(self, into: list[str]) -> None:
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


def sample_report() -> BenchReport:
    load = StageResult(
        "load",
        wall_s=12.5,
        work_s=11.0,
        peak_rss_bytes=300 * MIB,
        rows=1_234_567,
        sub_rows=[
            SubRow("raw.salesforce__lead", "loaded", 4.0, 1_000_000, "2 file(s), 3 rejected")
        ],
        files=[
            SubRow("sf/Lead.csv", "loaded", 9.0, 1_234_567, "raw.salesforce__lead"),
            SubRow("sf/Lead (1).csv", "duplicate", 0.0, 0, ""),
        ],
    )
    floor = StageResult(
        "floor",
        wall_s=2.5,
        work_s=2.0,
        peak_rss_bytes=200 * MIB,
        rows=1_234_570,
        files=[
            SubRow("sf/Lead.csv", "read", 1.5, 1_234_570, "cp1252, delimiter ';'"),
            SubRow("sf/Lead (1).csv", "read", 1.0, 100, "utf-8, delimiter ','"),
        ],
    )
    dbt = StageResult(
        "dbt",
        wall_s=30.0,
        peak_rss_bytes=400 * MIB,
        rows=999_999,
        sub_rows=[
            SubRow("staging.stg_salesforce__lead", "success", 0.12, 999_999, "model"),
            SubRow("84 data and unit tests", "84 pass", 5.6, None, "test"),
        ],
        notes=["dbt's own run: 7.0 s of 30.0 s"],
    )
    generate = StageResult("generate", status="reused", notes=["exports reused"])
    return BenchReport(
        settings={
            "scale": "large",
            "seed": 42,
            "data": "bench/data/large",
            "inbox": "bench/data/large/inbox",
            "out": "bench/out",
            "inbox_files": 14,
            "inbox_bytes": 3 * 1024 * MIB,
        },
        machine=machine_facts(),
        stages=[generate, load, floor, dbt],
    )


def test_the_markdown_report_has_a_row_per_stage_and_the_floor_comparison() -> None:
    markdown = render_markdown(sample_report())
    assert "| load | ok | 12.5 | 5.00 | 1,234,567 | 98,765 | 300 |" in markdown  # 5x the floor
    assert "| generate | reused |" in markdown
    assert "| staging.stg_salesforce__lead | success | 0.12 | 999,999 | model |" in markdown
    assert (
        "| raw.salesforce__lead | loaded | 4.00 | 1,000,000 | 2 file(s), 3 rejected |" in markdown
    )
    assert "| sf/Lead.csv | 1,234,570 | 1,234,567 | 1.50 | 9.00 | 6.0 |" in markdown
    assert (
        "| sf/Lead (1).csv | 100 | 0 | 1.00 |  |  | utf-8, delimiter ','; project: duplicate |"
        in markdown
    )
    assert "**5.5x** in work time, 5.0x in stage wall time, 1.5x in peak memory" in markdown
    assert "dbt's own run" in markdown
    assert "Python " in markdown and "duckdb " in markdown and "GiB RAM" in markdown


def test_a_failed_stage_shows_its_error() -> None:
    report = sample_report()
    report.stages.append(StageResult("dagster", status="failed", wall_s=3.0, error="boom\ntail"))
    markdown = render_markdown(report)
    assert "| dagster | failed | 3.0 |" in markdown
    assert "## dagster FAILED" in markdown and "boom\ntail" in markdown


def test_the_json_report_round_trips(tmp_path: Path) -> None:
    report = sample_report()
    markdown, data = write_report(report, tmp_path)
    assert markdown.read_text() == render_markdown(report)
    assert read_report(data) == report
    raw = json.loads(data.read_text())
    assert raw["comparison"]["ratio_work"] == pytest.approx(5.5)
    assert raw["stages"][1]["peak_rss_bytes"] == 300 * MIB


def test_dbt_run_results_become_one_row_per_model_and_a_test_summary(tmp_path: Path) -> None:
    results = {
        "elapsed_time": 7.0,
        "results": [
            {
                "unique_id": "model.smarketing.stg_a",
                "status": "success",
                "execution_time": 0.5,
                "relation_name": '"warehouse"."staging"."stg_a"',
            },
            {
                "unique_id": "seed.smarketing.labels",
                "status": "success",
                "execution_time": 0.1,
                "relation_name": None,
            },
            {
                "unique_id": "test.smarketing.not_null_stg_a_id.123",
                "status": "pass",
                "execution_time": 0.2,
                "failures": 0,
            },
            {
                "unique_id": "test.smarketing.unique_stg_a_id.456",
                "status": "fail",
                "execution_time": 0.3,
                "failures": 2,
                "message": "Got 2 results",
            },
        ],
    }
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps(results))
    rows = dbt_nodes(path, {"staging.stg_a": 10, "seeds.labels": 31})
    assert rows[0] == SubRow("staging.stg_a", "success", 0.5, 10, "model")
    assert rows[1] == SubRow("seeds.labels", "success", 0.1, 31, "seed")
    assert rows[2].name == "2 data and unit tests" and rows[2].status == "1 fail, 1 pass"
    assert rows[3] == SubRow("unique_stg_a_id", "fail", 0.3, 2, "Got 2 results")


def test_only_useful_lines_of_dbt_and_dagster_are_shown() -> None:
    assert dbt_lines("12:00:00  1 of 9 START sql view model staging.a ... [RUN]") is None
    assert dbt_lines("\x1b[0m12:00:00  1 of 9 OK created sql view model staging.a [OK]") == (
        "12:00:00  1 of 9 OK created sql view model staging.a [OK]"
    )
    echo = dagster_lines()
    prefix = (
        "2026-11-28 16:11:48 +0000 - dagster - DEBUG - smarketing_pipeline - "
        "4def7931-befe-4b46-9a95-383c22508ef2 - 7982 - load_inbox - "
    )
    assert echo(prefix + 'STEP_START - Started execution of step "load_inbox".') == (
        'load_inbox: Started execution of step "load_inbox".'
    )
    assert echo(prefix + "STEP_OUTPUT - Yielded output") is None
    info = prefix.replace("DEBUG", "INFO").replace("7982 - ", "")
    assert echo(info + "a.csv: 100,000 rows read") == "load_inbox: a.csv: 100,000 rows read"
    assert echo(info + "a.csv: 200,000 rows read") is None  # at most every couple of seconds
    # `smarketing run`'s own line per step
    step = "ok     load_inbox             20 asset(s)                               4.1 s"
    assert echo(step) == step


def test_the_floor_reads_real_exports_and_windows_1252(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "salesforce_demo_org", inbox / "sf")
    (inbox / "fr.csv").write_bytes("Nom;Société\r\nLœuvre;Café €\r\n".encode("cp1252"))
    files = sorted(p for p in inbox.rglob("*.csv"))
    results = {r.source_file: r for r in load_floor(tmp_path / "floor.duckdb", inbox, files)}
    assert results["fr.csv"].rows == 1 and results["fr.csv"].encoding == "cp1252"
    assert results["fr.csv"].transcode_s > 0
    assert results["sf/Lead.csv"].rows == 22
    assert not list(tmp_path.glob("floor-*"))  # the transcoded copies are gone


def _bench_run(date: str, seconds: dict[str, float]) -> BenchReport:
    report = BenchReport(settings={"scale": "demo"}, machine={"date": date})
    report.stages = [
        StageResult("generate", status="reused"),
        *(
            StageResult(name, wall_s=wall, peak_rss_bytes=int(100 * MIB))
            for name, wall in seconds.items()
        ),
        StageResult("dashboard", status="failed", wall_s=3.0),
    ]
    return report


def test_the_history_keeps_each_figure_with_its_ratio_and_the_change(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    first = figures(_bench_run("2026-12-01T10:00:00+00:00", {"floor": 10.0, "dagster": 50.0}), "a1")
    assert [(f.stage, f.floor_ratio) for f in first] == [("floor", 1.0), ("dagster", 5.0)]
    append_history(history, first)
    second = figures(
        _bench_run("2026-12-02T10:00:00+00:00", {"floor": 20.0, "dagster": 80.0}), "b2"
    )
    before = previous_run(read_history(history), "demo")
    append_history(history, second)
    # a slower machine, yet 4x the floor where it was 5x: the run is 20 % better
    assert (
        change_lines(second, before)[1]
        == "dagster: 80.0 s (4.00x the floor), was 5.00x on a1 (-20%)"
    )
    lines = history.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "commit,date,scale,stage,seconds,peak_mib,floor_ratio"
    assert lines[1:] == [
        "a1,2026-12-01T10:00:00+00:00,demo,floor,10.0,100,1.00",
        "a1,2026-12-01T10:00:00+00:00,demo,dagster,50.0,100,5.00",
        "b2,2026-12-02T10:00:00+00:00,demo,floor,20.0,100,1.00",
        "b2,2026-12-02T10:00:00+00:00,demo,dagster,80.0,100,4.00",
    ]  # reused and failed stages are no figure
    assert previous_run(read_history(history), "large") == {}


def test_the_marts_stage_scores_the_identity_against_the_truth(tmp_path: Path) -> None:
    """Three records of two people; the resolution joined one true pair and split the other
    person's: precision 1, recall 1/2."""
    import duckdb

    from smarketing_tools.bench.stages import BenchContext, with_identity_accuracy

    data = tmp_path / "data"
    (data / "truth").mkdir(parents=True)
    (data / "truth" / "source_records.csv").write_text(
        "source_system,source_entity,source_record_id,person_id\n"
        "hubspot,contact,1,P1\nsalesforce,lead,00Q1,P1\nhubspot,contact,2,P2\n"
        "salesforce,lead,00Q2,P2\n",
        encoding="utf-8",
    )
    ctx = BenchContext(tmp_path / "out", data / "inbox", data, "small", 7)
    ctx.out.mkdir()
    con = duckdb.connect(str(ctx.warehouse))
    con.execute("create schema marts")
    con.execute("create schema intermediate")
    con.execute(
        "create table marts.bridge_lead_source_records as "
        "select concat_ws(':', source_system, source_entity, source_record_id) as record_key, "
        "* from (values ('hubspot', 'contact', '1', 'ul_a'), "
        "('salesforce', 'lead', '00Q1', 'ul_a'), ('hubspot', 'contact', '2', 'ul_b'), "
        "('salesforce', 'lead', '00Q2', 'ul_c')) "
        "as t(source_system, source_entity, source_record_id, unified_lead_id)"
    )
    con.execute(
        "create table intermediate.int_person_records as select record_key, "
        "false as email_is_valid, cast(null as varchar) as email_normalised "
        "from marts.bridge_lead_source_records"
    )
    con.close()
    result = with_identity_accuracy(lambda ctx, name: StageResult(name))(ctx, "marts")
    assert result.notes == [
        "identity against the truth: precision 1.0000, recall 0.5000 (4 records)"
    ]
    failed = with_identity_accuracy(lambda ctx, name: StageResult(name, status="failed"))
    assert failed(ctx, "marts").notes == []


def test_the_spark_build_parts_are_read_from_its_timings_beside_duckdbs_stage(
    tmp_path: Path,
) -> None:
    from smarketing_tools.bench.stages import SPARK_STAGES, BenchContext, spark_part

    ctx = BenchContext(tmp_path / "out", tmp_path / "inbox", None, "small", 7)
    (ctx.out / "spark").mkdir(parents=True)
    (ctx.out / "spark" / "timings.json").write_text(
        json.dumps({"export": 1.5, "dbt": 120.0, "identity": 30.0, "marts": 90.0}),
        encoding="utf-8",
    )
    ctx.results["dbt"] = StageResult("dbt", wall_s=15.0)
    dbt = spark_part("dbt", "dbt")(ctx, "spark_dbt")
    assert (dbt.name, dbt.wall_s, dbt.ok) == ("spark_dbt", 120.0, True)
    assert dbt.notes == ["DuckDB's dbt stage: 15.0 s (Spark 8.0x)"]
    # a part the build did not reach (the checks were not run) is not a figure
    checks = spark_part("checks")(ctx, "spark_checks")
    assert (checks.status, checks.wall_s) == ("skipped", None)
    # the DuckDB stages the Spark build reads run first, then the build, then its parts
    assert [stage.name for stage in SPARK_STAGES] == [
        "generate", "load", "floor", "dbt", "identity", "marts",
        "spark", "spark_dbt", "spark_identity", "spark_marts", "spark_checks",
    ]  # fmt: skip
