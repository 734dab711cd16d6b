"""When a run merges the new deliveries into the incremental models, and when it rebuilds them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.lib.dbt_project import DBT_DIR, dbt_vars, definition_fingerprint
from smarketing import build_state


def _project(root: Path) -> list[Path]:
    (root / "models").mkdir(parents=True)
    model = root / "models" / "stg_x.sql"
    model.write_text("select 1 as id\n", encoding="utf-8")
    settings = root / "dbt_project.yml"
    settings.write_text("name: x\n", encoding="utf-8")
    return [model, settings]


def test_the_fingerprint_follows_the_code_and_the_definition(tmp_path: Path) -> None:
    files = _project(tmp_path)
    before = build_state.fingerprint(files, tmp_path, {"custom_fields": []})
    assert build_state.fingerprint(list(reversed(files)), tmp_path, {"custom_fields": []}) == before
    # another definition
    assert build_state.fingerprint(files, tmp_path, {"custom_fields": [{"name": "a"}]}) != before
    # another version of a model
    files[0].write_text("select 2 as id\n", encoding="utf-8")
    assert build_state.fingerprint(files, tmp_path, {"custom_fields": []}) != before


def test_the_project_fingerprint_reads_the_models_and_the_vars() -> None:
    variables = dbt_vars()
    current = definition_fingerprint(variables)
    assert current == definition_fingerprint(variables)
    assert current != definition_fingerprint({**variables, "custom_fields": [{"name": "x"}]})
    assert (DBT_DIR / "models").is_dir()


def test_a_build_merges_only_while_nothing_changed() -> None:
    con = duckdb.connect()
    part = "dbt_before_identity"
    assert build_state.full_refresh_reason(con, part, "f1", False) == (
        "first build of this warehouse"
    )
    build_state.record_build(con, part, "f1", "first build of this warehouse")
    assert build_state.full_refresh_reason(con, part, "f1", False) is None
    # asked for on the command line
    assert build_state.full_refresh_reason(con, part, "f1", True) == "a full refresh was asked for"
    # the models or the definition changed
    reason = build_state.full_refresh_reason(con, part, "f2", False)
    assert reason is not None and "changed since the last build" in reason
    # a build that failed records nothing: the next one rebuilds again
    assert build_state.full_refresh_reason(con, part, "f2", False) == reason
    build_state.record_build(con, part, "f2", reason)
    assert build_state.full_refresh_reason(con, part, "f2", False) is None
    # each part keeps its own state
    assert build_state.full_refresh_reason(con, "dbt_after_identity", "f2", False) is not None
    rows = con.execute(f"select part, full_refresh from {build_state.TABLE}").fetchall()
    assert rows == [(part, True), (part, True)]
