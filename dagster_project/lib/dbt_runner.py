"""dbt run in the run's own process (dbt's ``dbtRunner``), its events made Dagster's by
dagster-dbt's own conversion.

Started as a process (dagster-dbt's ``DbtCliResource.cli``), each invocation costs ~3 s before
its first model at any scale: the interpreter, dbt's import, reading its last parse and hashing
the project's files, plus a ``dbt --version`` process and an adapter made in the run's process.
In the run's process dbt is imported once, the manifest is the parse prepared before the
definitions load (``prepare_manifest``; its state is read in a quarter of a second), and an
invocation starts in ~0.2 s.

dbt runs in a thread; its result events reach the step as they come (the progress line moves
with them) and its log lines go to the run's log. dbt-duckdb keeps its database open until the
process exits: it is closed after each invocation, so that the next step (or another process)
opens the warehouse with its own settings.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dbt.asset_utils import (
    DAGSTER_DBT_EXCLUDE_METADATA_KEY,
    DAGSTER_DBT_SELECT_METADATA_KEY,
    DAGSTER_DBT_SELECTOR_METADATA_KEY,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from dagster_project.lib.dbt_project import (
    dbt_project,
    project_args,
    read_parse_state,
    record_parse_vars,
    vars_key,
)

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

DATABASE_ENV = "SMARKETING_DBT_DATABASE"
INDIRECT_SELECTION_ENV = "DBT_INDIRECT_SELECTION"
# the levels dbt prints on its console; debug lines (every SQL statement) stay in dbt.log
LOGGED_LEVELS = {"info", "warn", "error"}
RESULT_EVENTS = {"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"}
_DONE = object()
# the manifest of the last invocation, by (vars, database name): the run's two dbt steps share it
_parsed: dict[tuple[str, str], Manifest] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Selection:
    """What an invocation builds: the assets' manifest document and translator (the
    definitions'), and their selection as dbt arguments with the indirect selection of tests."""

    manifest: Mapping[str, Any]
    translator: DagsterDbtTranslator
    args: list[str]
    indirect: str | None


class DbtBuildError(dg.Failure):
    """dbt did not complete: the errors it reported."""


def selection(context: dg.AssetExecutionContext) -> Selection:
    """What CONTEXT's step builds, selected as dagster-dbt selects it for a dbt process, with
    no selector file for a large subset: arguments have no length limit in this process."""
    manifest, translator, _ = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    tags = context.op_execution_context.op.tags
    args, indirect = get_subset_selection_for_context(
        context=context,
        manifest=manifest,
        select=tags.get(DAGSTER_DBT_SELECT_METADATA_KEY),
        exclude=tags.get(DAGSTER_DBT_EXCLUDE_METADATA_KEY),
        selector=tags.get(DAGSTER_DBT_SELECTOR_METADATA_KEY),
        dagster_dbt_translator=translator,
        current_dbt_indirect_selection_env=os.environ.get(INDIRECT_SELECTION_ENV),
    )
    return Selection(manifest, translator, list(args), indirect)


def runtime_manifest(variables: Mapping[str, Any], warehouse: Path, folder: Path) -> Manifest:
    """The project parsed with VARIABLES for a warehouse named as WAREHOUSE: the prepared parse
    when it was made so (the usual case), else the last one made in FOLDER, else a parse made
    now in FOLDER (a definition with other vars, a warehouse of another name)."""
    from dbt.contracts.graph.manifest import Manifest

    key = (vars_key(variables), warehouse.stem)
    with _lock:
        if key in _parsed:
            return _parsed[key]
        manifest = None
        prepared = dbt_project.manifest_path.parent
        for state in (read_parse_state(prepared, variables), read_parse_state(folder, variables)):
            if state is not None:
                candidate = Manifest.from_msgpack(state)
                if _database_of(candidate) == warehouse.stem:
                    manifest = candidate
                    break
        if manifest is None:
            manifest = _parse(variables, warehouse, folder)
        _parsed.clear()  # one at a time: a manifest holds the whole project
        _parsed[key] = manifest
        return manifest


def _database_of(manifest: Manifest) -> str | None:
    """The database the models were parsed for (dbt-duckdb names it after the file)."""
    for node in manifest.nodes.values():
        if node.resource_type == "model":
            return node.database
    return None


def _parse(variables: Mapping[str, Any], warehouse: Path, folder: Path) -> Manifest:
    from dbt.cli.main import dbtRunner

    folder.mkdir(parents=True, exist_ok=True)
    try:
        with environment({DATABASE_ENV: str(warehouse)}):
            args = ["parse", "--vars", json.dumps(variables), *_args(folder)]
            result = dbtRunner().invoke(args)
    finally:
        _close_dbt_database()
    if not result.success or result.result is None:
        raise DbtBuildError(
            description=f"dbt could not parse the project: {result.exception or 'see dbt.log'}",
            metadata={"dbt log": dg.MetadataValue.path(str(folder / "dbt.log"))},
        )
    record_parse_vars(folder, variables)
    return result.result


def _args(target: Path) -> list[str]:
    """The project, where an invocation writes its artifacts and its log (TARGET: dbt.log, every
    statement), and no console output: the run's log gets dbt's lines from the events."""
    return [
        *project_args(target, target),
        "--log-level",
        "none",
        "--log-level-file",
        "debug",
        "--no-send-anonymous-usage-stats",
        "--no-use-colors",
    ]


@contextlib.contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """VALUES set in the environment meanwhile (dbt reads its profile's values there); a None
    value leaves the variable as it is."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update({name: value for name, value in values.items() if value is not None})
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _log_lines(path: Path | None) -> Iterator[Callable[[str], None]]:
    """A writer of lines to the run's log, or to this process's output without one (``dagster
    dev``: the step's captured output)."""
    if path is None:
        yield print
        return
    with path.open("a", encoding="utf-8") as handle:
        yield lambda line: print(line, file=handle)


def build(
    context: dg.AssetExecutionContext,
    args: Sequence[str],
    *,
    selected: Selection,
    variables: Mapping[str, Any],
    warehouse: Path,
    target: Path,
    log_file: Path | None,
) -> Iterator[Any]:
    """Run dbt with ARGS on what SELECTED names, in this process; yield the Dagster events of
    its results as they come, then raise ``DbtBuildError`` when it did not succeed. dbt writes
    its artifacts in TARGET, its lines go to LOG_FILE."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    dbt_manifest = runtime_manifest(variables, warehouse, target.parent / "parse")
    events: queue.Queue[Any] = queue.Queue()
    outcome: dict[str, Any] = {}

    def forward(event: Any) -> None:
        if event.info.name in RESULT_EVENTS or event.info.level in LOGGED_LEVELS:
            events.put(msg_to_dict(event))

    def invoke() -> None:
        try:
            outcome["result"] = dbtRunner(manifest=dbt_manifest, callbacks=[forward]).invoke(
                [*args, *_args(target), *selected.args]
            )
        except BaseException as exc:  # the step reports it; a thread would lose it
            outcome["error"] = exc
        finally:
            _close_dbt_database()
            events.put(_DONE)

    errors: list[str] = []
    values = {DATABASE_ENV: str(warehouse), INDIRECT_SELECTION_ENV: selected.indirect}
    with environment(values), _log_lines(log_file) as log:
        worker = threading.Thread(target=invoke, name=f"dbt {args[0]}", daemon=True)
        worker.start()
        try:
            while (raw := events.get()) is not _DONE:
                level, message = raw["info"].get("level"), raw["info"].get("msg", "")
                if level in LOGGED_LEVELS:
                    log(message)
                if level == "error":
                    errors.append(message)
                event = DbtCoreCliEventMessage(raw_event=raw, event_history_metadata={})
                yield from event.to_default_asset_events(
                    manifest=selected.manifest,
                    dagster_dbt_translator=selected.translator,
                    context=context,
                )
        finally:
            if worker.is_alive():  # the step was interrupted (Ctrl+C, a run terminated)
                _interrupt(worker)
            worker.join()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    if not result.success:
        reported = "\n\n".join(errors) or str(result.exception or "no error reported")
        raise DbtBuildError(
            description=f"dbt {args[0]} failed:\n\n{reported}",
            metadata={"dbt log": dg.MetadataValue.path(str(target / "dbt.log"))},
        )


def _interrupt(worker: threading.Thread) -> None:
    """Stop dbt as Ctrl+C stops it in its own process: a KeyboardInterrupt in its thread, on
    which dbt cancels the running queries and skips the rest."""
    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(KeyboardInterrupt)
        )


def _close_dbt_database() -> None:
    """dbt-duckdb holds its database until the process exits (it closes it at exit only)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        opened = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if opened is not None:
        opened.close()
