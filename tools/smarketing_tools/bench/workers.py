"""The work a benchmark stage runs in its own subprocess; results go to a JSON file.

python -m smarketing_tools.bench.workers load  INBOX DATABASE RESULT_JSON
python -m smarketing_tools.bench.workers floor INBOX DATABASE RESULT_JSON
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb

from smarketing.ingest.loading import CSV_SUFFIXES, FileLoad, inbox_files, load_inbox
from smarketing.progress import ProgressPrinter
from smarketing_tools.bench.floor import load_floor


def run_load(inbox: Path, database: Path) -> dict[str, Any]:
    """The project's loader over the whole inbox, closing (checkpointing) the file included."""
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    try:
        results = load_inbox(con, inbox, progress=ProgressPrinter("load"))
    finally:
        con.close()
    return {
        "work_s": time.perf_counter() - started,
        "files": [
            {
                "source_file": r.source_file,
                "raw_table": r.raw_table,
                "status": r.status,
                "rows_read": r.rows_read,
                "rows_loaded": r.rows_loaded,
                "rows_rejected": r.rows_rejected,
                "seconds": _seconds(r),
                "error": r.error,
            }
            for r in results
        ],
    }


def run_floor(inbox: Path, database: Path) -> dict[str, Any]:
    files = [p for p in inbox_files(inbox) if p.suffix.lower() in CSV_SUFFIXES]
    printer = ProgressPrinter("floor")
    started = time.perf_counter()
    results = load_floor(
        database, inbox, files, progress=lambda _file, done, total: printer("files", done, total)
    )
    work = time.perf_counter() - started
    return {"work_s": work, "files": [asdict(r) for r in results]}


def _seconds(load: FileLoad) -> float | None:
    if load.finished_at is None:
        return None
    return (load.finished_at - load.started_at).total_seconds()


WORKERS = {"load": run_load, "floor": run_floor}


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in WORKERS:
        print(__doc__, file=sys.stderr)
        return 2
    name, inbox, database, result_path = argv
    result = WORKERS[name](Path(inbox), Path(database))
    Path(result_path).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
