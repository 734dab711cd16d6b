"""The Dagster definitions: lineage inbox → raw → staging, checks, sensor and schedule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dagster as dg

from dagster_project.definitions import defs
from dagster_project.defs.automation.definitions import DAILY, PIPELINE_JOB, inbox_sensor
from dagster_project.lib.catalog import AFTER_PUBLICATION, built_asset_keys
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.config import load_config
from smarketing.ingest.registry import export_kinds

REPO = Path(__file__).resolve().parents[1]
DBT_MODELS = REPO / "dbt" / "models"


def key(*parts: str) -> dg.AssetKey:
    return dg.AssetKey(list(parts))


def test_lineage_runs_from_inbox_through_raw_to_staging() -> None:
    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for kind in export_kinds():
        raw = key("raw", kind.table)
        staging = key("staging", f"stg_{kind.table}")
        assert raw in keys and staging in keys, kind.name
        assert graph.get(raw).parent_keys == {key("inbox")}
        assert raw in graph.get(staging).parent_keys


def test_dbt_tests_are_asset_checks_on_staging_models() -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    staging_checks = [c for c in checks if c.asset_key.path[0] == "staging"]
    checked_models = {c.asset_key for c in staging_checks}
    mapped = {m for m in checked_models if m.path[1].startswith("stg_mapped__")}
    assert len(mapped) == len(list((DBT_MODELS / "staging" / "mapped").glob("*.sql")))
    assert len(checked_models - mapped) == len(export_kinds())
    assert any(c.name.startswith("unique_") for c in staging_checks)


def test_job_schedule_and_sensor_exist() -> None:
    assert defs.resolve_job_def(PIPELINE_JOB) is not None
    # when and where, from the shared definition
    config = load_config(None)
    daily = defs.resolve_schedule_def(DAILY)
    assert daily.cron_schedule == "0 6 * * *" == config.schedule.cron()
    assert daily.execution_timezone == config.calendar.reporting_time_zone
    assert defs.resolve_sensor_def("inbox_sensor") is not None


def test_inbox_sensor_fires_only_when_the_inbox_changes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Lead.csv").write_text("Id,LastName,Company,Status\n00Q1,A,B,Open\n")
    warehouse = WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "w.duckdb"))

    def evaluate(cursor: str | None) -> dg.SensorResult:
        context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse})
        return inbox_sensor(context)

    first = evaluate(None)
    assert len(first.run_requests) == 1
    assert evaluate(first.cursor).run_requests in (None, [])
    (inbox / "Contact.csv").write_text("Id,LastName,AccountId\n003,A,001\n")
    assert len(evaluate(first.cursor).run_requests) == 1


DEFS = Path(__file__).resolve().parents[1] / "dagster_project" / "defs"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_no_concern_imports_another_and_resources_are_registered_once() -> None:
    files = sorted(DEFS.glob("*/*.py"))
    assert files
    for path in files:
        concern = path.parent.name
        others = {
            name
            for name in _imported_modules(path)
            if name.startswith("dagster_project.defs.")
            and not name.startswith(f"dagster_project.defs.{concern}")
        }
        assert not others, f"{path.relative_to(DEFS)} imports {sorted(others)}"
        if concern != "resources":
            assert "resources=" not in path.read_text(encoding="utf-8"), path
    assert set(defs.resources) == {"warehouse", "publication"}  # dbt runs in the run's process


def test_the_publication_comes_after_every_asset_the_pipeline_builds() -> None:
    graph = defs.resolve_asset_graph()
    after = set(AFTER_PUBLICATION)
    built = set(graph.get_all_asset_keys()) - {key("serving_copy"), key("inbox")} - after
    assert set(built_asset_keys()) == built
    assert graph.get(key("serving_copy")).parent_keys == built
    # the committee packs are drawn from what was published
    assert after == {key("committee_packs")}
    assert all(graph.get(made).parent_keys == {key("serving_copy")} for made in after)


def test_importing_the_definitions_modules_does_no_work() -> None:
    """No dbt parse, no file read, no process started when a module of dagster_project is
    imported: the work happens when Dagster loads the definitions (@dg.definitions), the dbt
    manifest being prepared before (smarketing run, dagster dev, prepare-and-package)."""
    modules = [
        ".".join(path.relative_to(DEFS.parents[1]).with_suffix("").parts)
        for path in sorted((DEFS.parent).rglob("*.py"))
        if path.name != "definitions.py" or path.parent != DEFS.parent
    ]
    script = f"""
import builtins, io, subprocess
# the libraries first: what they do when imported is theirs
import dagster, dagster_dbt, duckdb, pyarrow, pydantic, yaml
def refuse(*args, **kwargs):
    raise AssertionError(f"work at import: {{args[:1]}}")
subprocess.run = subprocess.Popen = refuse
opened = builtins.open
def no_yaml(file, *args, **kwargs):
    if str(file).endswith(("smarketing.yml", "manifest.json", ".json")):
        raise AssertionError(f"work at import: read {{file}}")
    return opened(file, *args, **kwargs)
builtins.open = io.open = no_yaml
import importlib
for name in {modules!r}:
    importlib.import_module(name)
print("imported", len({modules!r}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"imported {len(modules)}" in result.stdout
