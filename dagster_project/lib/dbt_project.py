"""The dbt project, and its manifest prepared before the definitions load, as dagster-dbt
prepares a project: ``dbt parse`` with the shared definition's vars when the manifest is missing
or older than a project file, run by ``smarketing run`` before it loads the definitions and by
``dagster dev`` when it loads them (dagster-dbt's ``prepare_if_dev`` rule). Importing a module
never parses. (dagster-dbt's own preparer parses without vars, which this project's models
need: the shipped definition writes none into dbt_project.yml.)"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
SOURCE_GLOBS = (
    "dbt_project.yml",
    "profiles.yml",
    "models/**/*",
    "macros/**/*",
    "seeds/**/*",
    "tests/**/*",
    "snapshots/**/*",
    "analyses/**/*",
)
# dbt's artifacts of each part of a run, beside the warehouse: one folder per part, reused by
# every run (dbt keeps its parse there)
TARGET_DIR = "dbt_target"
# they build nothing: a change there leaves the tables as they are
TEST_GLOBS = ("tests/**/*", "analyses/**/*")
DBT_THREADS_ENV = "SMARKETING_DBT_THREADS"
SMALL_DELIVERIES_BYTES = 2**30
# dbt's parse state, and the vars it was parsed with (written beside it)
PARSE_STATE_FILE = "partial_parse.msgpack"
PARSE_VARS_FILE = "parse_vars.json"


def dbt_vars(config_path: Path | None = None) -> dict[str, Any]:
    """The dbt vars the shared lead definition sets (CONFIG_PATH, else SMARKETING_CONFIG, else
    ./smarketing.yml, with the mapping files beside it):
    the time zones of the reports and the exports, the sales departments, the speed-to-lead
    buckets, the key fields and the outbound channels (macros/key_fields.sql),
    ``custom_fields``, the export columns passed through to the marts
    (macros/custom_fields.sql), ``field_bindings``, the columns holding the org's own fields
    (macros/field_bindings.sql), and ``mappings``, the export shapes of the mapping files
    (macros/mapped_staging.sql)."""
    from smarketing.config import load_config
    from smarketing.config.mappings import default_mappings_dir, load_mappings

    config = load_config(config_path)
    return {
        "reporting_time_zone": config.calendar.reporting_time_zone,
        "source_time_zone": config.calendar.source_time_zone,
        "sales_departments": list(config.sla.sales_departments),
        "speed_to_lead_bucket_bounds": list(config.sla.speed_to_lead_buckets),
        "key_fields": list(config.key_fields),
        "outbound_channels": list(config.inbound.outbound_channels),
        "custom_fields": [field.model_dump(exclude_none=True) for field in config.custom_fields],
        "field_bindings": config.fields.dbt_var(),
        "mappings": [
            mapping.dbt_var() for mapping in load_mappings(default_mappings_dir(config_path))
        ],
    }


def dbt_threads(delivered_bytes: int) -> int:
    """The models and tests dbt builds at once on a warehouse whose loads read DELIVERED_BYTES
    of exports (``delivered_bytes()``): SMARKETING_DBT_THREADS, else two while that is small
    (SMALL_DELIVERIES_BYTES) and the run has two cores or more, one beyond. Measured on 2 cores:
    at demo scale (150 MB of exports) dbt's time per node is mostly its own Python, which a
    second thread overlaps with the first's SQL (the dbt steps 24.6 -> 21.1 s); at large scale
    (3.9 GB) every query already uses both cores, and two at once made the dbt steps 13 %
    slower (two big models sharing DuckDB's memory spill). The delivered size, not the file's:
    the raw tables compress well (3.9 GB of exports: a 0.7 GB file when dbt first runs)."""
    from smarketing.duckdb_limits import configured_threads

    setting = os.environ.get(DBT_THREADS_ENV, "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    small = delivered_bytes < SMALL_DELIVERIES_BYTES
    return min(2, configured_threads()) if small else 1


def delivered_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The size of every export the warehouse of CON loaded (0 before its first load)."""
    if not con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'audit' "
        "and table_name = 'load_audit'"
    ).fetchall()[0][0]:
        return 0
    from smarketing.ingest.schema import LOADED_STATUSES

    return int(
        con.execute(
            "select coalesce(sum(file_bytes), 0) from audit.load_audit "
            "where list_contains(?, status)",
            [list(LOADED_STATUSES)],
        ).fetchall()[0][0]
    )


def dbt_build_args(
    dbt_vars: dict[str, Any], full_refresh: bool = False, threads: int = 1
) -> list[str]:
    """``dbt build`` of the models, seeds and data tests, with DBT_VARS (``dbt_vars()``), on
    THREADS threads (``dbt_threads()``). dbt's unit tests check the models' code, not the data:
    they run in the test suite (``tests/test_dbt_tests.py``), not in every run. FULL_REFRESH
    rebuilds the incremental models from raw."""
    args = [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        json.dumps(dbt_vars),
        "--threads",
        str(threads),
    ]
    return [*args, "--full-refresh"] if full_refresh else args


def definition_fingerprint(dbt_vars: dict[str, Any]) -> str:
    """The fingerprint of what builds the tables: the project's models, macros, seeds and
    settings, DBT_VARS and the tables of the shared lead definition (smarketing.build_state).
    Tests are left out: they build nothing."""
    from smarketing.build_state import fingerprint
    from smarketing.config import load_config
    from smarketing.config.tables import render_tables

    files = _source_files(pattern for pattern in SOURCE_GLOBS if pattern not in TEST_GLOBS)
    definition = render_tables(load_config(None))
    return fingerprint(files, DBT_DIR, {**dbt_vars, "config_tables": definition})


def _source_files(patterns: Iterable[str] = SOURCE_GLOBS) -> set[Path]:
    return {path for pattern in patterns for path in DBT_DIR.glob(pattern) if path.is_file()}


def project_args(target: Path, logs: Path) -> list[str]:
    """dbt's options naming this project (its profile beside it), and where an invocation writes
    its artifacts (TARGET) and its log (LOGS)."""
    return [
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(logs),
    ]


def dbt_executable() -> str:
    """dbt from this interpreter's environment, whatever PATH says: ``smarketing-dbt``, which
    runs it from the warehouse's folder so that it reuses its last parse
    (``smarketing.dbt_runtime``), else dbt itself."""
    for name in ("smarketing-dbt", "dbt"):
        candidate = Path(sys.executable).with_name(name)
        if candidate.exists():
            return str(candidate)
    return "dbt"


def vars_key(variables: Mapping[str, Any]) -> str:
    """VARIABLES as the text recorded beside a parse: two parses with equal texts are alike."""
    return json.dumps(variables, sort_keys=True)


def read_parse_state(folder: Path, variables: Mapping[str, Any]) -> bytes | None:
    """The parse state dbt left in FOLDER (its ``Manifest`` as msgpack) when it was made with
    VARIABLES and after the project's last change; None otherwise. Read under FOLDER's parse
    lock: a parse there rewrites it (``prepare_manifest``)."""
    if not folder.is_dir():
        return None
    with (folder / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        state = folder / PARSE_STATE_FILE
        recorded = folder / PARSE_VARS_FILE
        try:
            if recorded.read_text(encoding="utf-8") != vars_key(variables):
                return None
            # recorded once the parse ended (dbt leaves its state file as it was when nothing
            # changed, so the state file's own time says nothing)
            if recorded.stat().st_mtime < _newest_source_mtime():
                return None
            return state.read_bytes()
        except FileNotFoundError:
            return None


def record_parse_vars(folder: Path, variables: Mapping[str, Any]) -> None:
    """Say which VARIABLES the parse in FOLDER was made with (``read_parse_state``)."""
    (folder / PARSE_VARS_FILE).write_text(vars_key(variables), encoding="utf-8")


def _newest_source_mtime() -> float:
    return max((path.stat().st_mtime for path in _source_files()), default=0.0)


def prepare_manifest() -> Path:
    """Prepare the project: ``dbt parse`` when the manifest is missing or older than a project
    file; its path. Processes preparing at the same time (a run, the UI, test workers) parse
    once: the others wait on a lock, then find the manifest fresh."""
    manifest = dbt_project.manifest_path
    if _is_fresh(manifest):
        return manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with (manifest.parent / ".parse.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _is_fresh(manifest):
            _parse()
    return manifest


def prepare_if_dev() -> None:
    """Under ``dagster dev``, prepare the project when the definitions load: an edited model
    shows at the next reload."""
    if using_dagster_dev():
        prepare_manifest()


def prepared_manifest() -> Path:
    """The manifest as prepared, never parsing: an error naming the command when missing."""
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        raise FileNotFoundError(
            f"{manifest}: the dbt project is not prepared; `smarketing run` and `dagster dev` "
            "prepare it, or `uv run python -m dagster_project.lib.dbt_project`"
        )
    return manifest


def _is_fresh(manifest: Path) -> bool:
    # a parse from before the vars were recorded is made again, once
    return (
        manifest.exists()
        and (manifest.parent / PARSE_VARS_FILE).exists()
        and manifest.stat().st_mtime >= _newest_source_mtime()
    )


def _parse() -> None:
    # with the vars a run passes: a run then starts from this parse
    variables = dbt_vars()
    (dbt_project.manifest_path.parent / PARSE_VARS_FILE).unlink(missing_ok=True)
    subprocess.run(
        [
            dbt_executable(),
            "parse",
            "--quiet",
            "--vars",
            json.dumps(variables),
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
        ],
        check=True,
        cwd=DBT_DIR,
    )
    record_parse_vars(dbt_project.manifest_path.parent, variables)


dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)


class SmarketingTranslator(DagsterDbtTranslator):
    """Asset keys mirror ``[schema, table]``; groups follow the dbt folder (staging, marts…)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return fqn[1] if len(fqn) > 2 else None


if __name__ == "__main__":  # a deployment's build step: the manifest, prepared
    print(prepare_manifest())
