"""The benchmark report: ``report.md`` for people, ``report.json`` (same data) for tools."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from smarketing_tools.bench.measure import MIB, StageResult, SubRow

LOADED = ("loaded", "loaded_with_rejects")
PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "pyarrow")
FLOOR_STAGE = "floor"
FLOOR_HEADER = [
    "file", "floor rows", "project rows", "floor s", "project s", "ratio", "floor read as"
]  # fmt: skip


@dataclass
class BenchReport:
    settings: dict[str, Any]
    """Scale, seed, data and output folders, inbox size."""
    machine: dict[str, Any]
    stages: list[StageResult] = field(default_factory=list)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)

    def floor_seconds(self) -> float | None:
        """Wall seconds of the floor stage of this run, when it ran."""
        floor = self.stage(FLOOR_STAGE)
        return floor.wall_s if floor is not None and floor.ok else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "machine": self.machine,
            "stages": [stage.to_dict() for stage in self.stages],
            "comparison": floor_comparison(self),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BenchReport:
        return cls(
            settings=dict(data["settings"]),
            machine=dict(data["machine"]),
            stages=[StageResult.from_dict(stage) for stage in data["stages"]],
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_facts() -> dict[str, Any]:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores_logical": psutil.cpu_count(logical=True),
        "cores_physical": psutil.cpu_count(logical=False),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_bytes": psutil.virtual_memory().total,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


# --------------------------------------------------------------------------------- formatting


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def floor_comparison(report: BenchReport) -> dict[str, Any] | None:
    """Project loader against DuckDB's own CSV reader: totals and ratios."""
    load, floor = report.stage("load"), report.stage(FLOOR_STAGE)
    if not (load and floor and load.ok and floor.ok):
        return None
    floor_work = floor.work_s
    if floor_work is None:
        floor_work = sum(f.seconds or 0 for f in floor.files)

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a and b else None

    return {
        "load_wall_s": load.wall_s,
        "load_work_s": load.work_s,
        "floor_wall_s": floor.wall_s,
        "floor_work_s": floor_work,
        "rows_loaded": load.rows,
        "rows_floor": floor.rows,
        "ratio_wall": ratio(load.wall_s, floor.wall_s),
        "ratio_work": ratio(load.work_s, floor_work),
        "ratio_peak_memory": ratio(load.peak_rss_bytes, floor.peak_rss_bytes),
    }


def _header(report: BenchReport) -> list[str]:
    s, m = report.settings, report.machine
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    cores = f"{m['cores_logical']} logical cores ({m['cores_physical']} physical"
    cores += f", {m['cores_usable']} usable)" if m.get("cores_usable") else ")"
    what = f"scale {s['scale']}, seed {s['seed']}" if s.get("scale") else "exports as given"
    size = f"{s.get('inbox_files', 0)} files, {s.get('inbox_bytes', 0) / MIB:,.1f} MiB"
    lines = [
        f"# Smarketing warehouse benchmark: {what}",
        "",
        f"- date: {m['date']}",
        f"- machine: {m['cpu']}, {cores}, {m['ram_bytes'] / 1024**3:.1f} GiB RAM, {m['os']}",
        f"- software: Python {m['python']}, {versions}",
        f"- exports: {s['inbox']} ({size})",
        "",
        "Each stage runs in its own process; wall seconds include its start-up, peak memory is "
        "the largest resident set of its process tree (sampled every 0.1 s).",
    ]
    return lines


def _section(title: str, intro: str, table: list[str]) -> list[str]:
    return ["", title, "", *([intro, ""] if intro else []), *table]


def _stage_rows(report: BenchReport) -> list[str]:
    floor_s = report.floor_seconds()

    def ratio(wall_s: float | None) -> str:
        return _num(wall_s / floor_s if wall_s and floor_s else None, 2)

    rows = [
        [
            s.name,
            s.status,
            _num(s.wall_s, 1),
            ratio(s.wall_s),
            _num(s.rows),
            _num(s.rows_per_s),
            _num(s.peak_mib),
        ]
        for s in report.stages
    ]
    lines = _section(
        "## Stages",
        "`x floor`: wall seconds over the floor's, measured in this run.",
        _table(
            ["stage", "status", "wall s", "x floor", "rows", "rows/s", "peak MiB"],
            rows,
            {2, 3, 4, 5, 6},
        ),
    )
    notes = [f"- {stage.name}: {note}" for stage in report.stages for note in stage.notes]
    if notes:
        lines += ["", *notes]
    return lines


def _sub_rows(title: str, first: str, sub_rows: list[SubRow]) -> list[str]:
    rows = [[r.name, r.status, _num(r.seconds, 2), _num(r.rows), r.note] for r in sub_rows]
    return _section(title, "", _table([first, "status", "s", "rows", "note"], rows, {2, 3}))


def _floor_rows(report: BenchReport, comparison: Mapping[str, Any]) -> list[str]:
    load, floor = report.stage("load"), report.stage(FLOOR_STAGE)
    assert load is not None and floor is not None
    project = {f.name: f for f in load.files}
    rows = []
    for f in floor.files:
        mine = project.get(f.name)
        loaded = mine is not None and mine.status in LOADED
        ours = mine.seconds if mine is not None and loaded else None
        note = f.note if loaded else f"{f.note}; project: {mine.status if mine else 'not loaded'}"
        rows.append(
            [
                f.name,
                _num(f.rows),
                _num(mine.rows if mine else None),
                _num(f.seconds, 2),
                _num(ours, 2),
                _num(ours / f.seconds if ours and f.seconds else None, 1),
                note,
            ]
        )
    rows.append(
        [
            "**total**",
            _num(comparison["rows_floor"]),
            _num(comparison["rows_loaded"]),
            _num(comparison["floor_work_s"], 2),
            _num(comparison["load_work_s"], 2),
            _num(comparison["ratio_work"], 1),
            "",
        ]
    )
    lines = _section(
        "## Floor: DuckDB read_csv straight into tables",
        "Per file, the project's seconds come from `audit.load_audit` (parse and insert; hashing "
        "and commit not included); the totals are the whole work of each side, opening and "
        "closing the database included.",
        _table(FLOOR_HEADER, rows, {1, 2, 3, 4, 5}),
    )
    lines += [
        "",
        f"Project load / floor: **{_num(comparison['ratio_work'], 1)}x** in work time, "
        f"{_num(comparison['ratio_wall'], 1)}x in stage wall time, "
        f"{_num(comparison['ratio_peak_memory'], 1)}x in peak memory.",
    ]
    return lines


def render_markdown(report: BenchReport) -> str:
    lines = _header(report) + _stage_rows(report)
    for stage in report.stages:
        if stage.name == "load" and stage.sub_rows:
            lines += _sub_rows("## load: rows per raw table", "raw table", stage.sub_rows)
        elif stage.name.startswith("dbt") and stage.sub_rows:
            lines += _sub_rows(
                f"## {stage.name}: per node (run_results.json)", "node", stage.sub_rows
            )
        elif stage.name == "dashboard" and stage.sub_rows:
            lines += _sub_rows("## dashboard: render seconds per page", "page", stage.sub_rows)
        elif stage.name not in (FLOOR_STAGE, "dagster") and stage.sub_rows:
            lines += _sub_rows(f"## {stage.name}", "relation", stage.sub_rows)
    comparison = floor_comparison(report)
    if comparison is not None:
        lines += _floor_rows(report, comparison)
    failed = [s for s in report.stages if not s.ok]
    for stage in failed:
        lines += ["", f"## {stage.name} FAILED", "", "```", stage.error or "", "```"]
    return "\n".join(lines) + "\n"


def write_report(report: BenchReport, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    markdown, data = out / "report.md", out / "report.json"
    markdown.write_text(render_markdown(report), encoding="utf-8")
    data.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    return markdown, data


def read_report(path: Path) -> BenchReport:
    return BenchReport.from_dict(json.loads(path.read_text(encoding="utf-8")))
