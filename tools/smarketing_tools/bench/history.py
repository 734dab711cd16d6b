"""The benchmark's history: one row per stage and run in ``bench/history.csv`` (kept in the
repository), each figure with its ratio to the floor measured in the same run, and the change
against the previous run of the same scale. Machines are noisy: the ratio, not the seconds,
is what compares across runs."""

from __future__ import annotations

import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

from smarketing_tools.bench.report import BenchReport

COLUMNS = ("commit", "date", "scale", "stage", "seconds", "peak_mib", "floor_ratio")


@dataclass(frozen=True)
class Figure:
    commit: str
    date: str
    scale: str
    stage: str
    seconds: float
    peak_mib: float | None
    floor_ratio: float | None

    def row(self) -> list[str]:
        peak = "" if self.peak_mib is None else f"{self.peak_mib:.0f}"
        ratio = "" if self.floor_ratio is None else f"{self.floor_ratio:.2f}"
        return [self.commit, self.date, self.scale, self.stage, f"{self.seconds:.1f}", peak, ratio]

    @classmethod
    def from_row(cls, row: dict[str, str]) -> Figure:
        return cls(
            commit=row["commit"],
            date=row["date"],
            scale=row["scale"],
            stage=row["stage"],
            seconds=float(row["seconds"]),
            peak_mib=float(row["peak_mib"]) if row["peak_mib"] else None,
            floor_ratio=float(row["floor_ratio"]) if row["floor_ratio"] else None,
        )


def current_commit(repo: Path) -> str:
    """The short commit the benchmark ran on (`+` when the tree had changes), else `unknown`."""
    try:
        sha = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + ("+" if dirty else "")


def figures(report: BenchReport, commit: str) -> list[Figure]:
    """Every stage that ran, as seconds, peak memory and its ratio to the floor's seconds."""
    floor_s = report.floor_seconds()
    scale = str(report.settings.get("scale") or "inbox")
    date = str(report.machine["date"])
    return [
        Figure(
            commit,
            date,
            scale,
            stage.name,
            stage.wall_s,
            stage.peak_mib,
            stage.wall_s / floor_s if floor_s else None,
        )
        for stage in report.stages
        if stage.ok and stage.wall_s is not None and stage.status != "reused"
    ]


def read_history(path: Path) -> list[Figure]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [Figure.from_row(row) for row in csv.DictReader(handle)]


def previous_run(history: list[Figure], scale: str) -> dict[str, Figure]:
    """The last earlier run of SCALE, by stage."""
    dates = sorted({f.date for f in history if f.scale == scale})
    if not dates:
        return {}
    return {f.stage: f for f in history if f.scale == scale and f.date == dates[-1]}


def append_history(path: Path, new: list[Figure]) -> None:
    exists = path.is_file() and path.stat().st_size > 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if not exists:
            writer.writerow(COLUMNS)
        writer.writerows(figure.row() for figure in new)


def change_lines(new: list[Figure], before: dict[str, Figure]) -> list[str]:
    """Each stage's figure, its ratio to the floor and the change against the previous run."""
    lines = []
    for figure in new:
        text = f"{figure.stage}: {figure.seconds:.1f} s"
        if figure.floor_ratio is not None:
            text += f" ({figure.floor_ratio:.2f}x the floor)"
        old = before.get(figure.stage)
        if old is None:
            text += ", no earlier run"
        elif figure.floor_ratio is not None and old.floor_ratio:
            change = figure.floor_ratio / old.floor_ratio - 1
            text += f", was {old.floor_ratio:.2f}x on {old.commit} ({change:+.0%})"
        else:
            change = figure.seconds / old.seconds - 1 if old.seconds else 0.0
            text += f", was {old.seconds:.1f} s on {old.commit} ({change:+.0%})"
        lines.append(text)
    return lines
