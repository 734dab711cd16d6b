"""Recognising an export by its header, and naming its columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from smarketing.ingest.registry import ExportKind, export_kinds, fold, snake_case

MIN_SIGNATURE_COVERAGE = 0.5


@dataclass(frozen=True)
class Recognition:
    kind: ExportKind
    columns: tuple[str, ...]
    """Stable column name for each header cell, in file order (unique)."""
    known: tuple[bool, ...]
    """Whether each header cell matched one of the kind's columns."""
    language: str
    """Which labels the header uses: ``api`` (Salesforce API names), ``en`` or ``fr``."""
    missing_required: tuple[str, ...] = field(default=())

    def header_for(self, column: str) -> str:
        """The label a required column is exported under (for error messages)."""
        return self.kind.labels[column][0]


class UnknownExport(ValueError):
    """The header matches no export kind well enough to load the file."""


def _coverage(kind: ExportKind, header: list[str]) -> tuple[float, int]:
    mapped = {kind.column_for(cell) for cell in header}
    covered = sum(1 for column in kind.signature if column in mapped)
    return covered / len(kind.signature), len(mapped - {None})


def _language(kind: ExportKind, header: list[str]) -> str:
    if kind.source_system == "salesforce":
        return "api"
    french = {fold(labels[1]) for labels in kind.labels.values() if len(labels) > 1}
    english = {fold(labels[0]) for labels in kind.labels.values()}
    folded = [fold(cell) for cell in header]
    fr = sum(1 for cell in folded if cell in french and cell not in english)
    en = sum(1 for cell in folded if cell in english and cell not in french)
    return "fr" if fr > en else "en"


def recognise(header: list[str]) -> Recognition:
    """Pick the export kind whose signature columns the header covers best.

    Raises UnknownExport when nothing covers at least half of its signature, or when two
    kinds tie: an unknown file is reported, never guessed.
    """
    scored = sorted(
        ((_coverage(kind, header), kind.name, kind) for kind in export_kinds()),
        key=lambda item: (item[0][0], item[0][1]),
        reverse=True,
    )
    (best_score, _, best), (second_score, _, second) = scored[0], scored[1]
    if best_score[0] < MIN_SIGNATURE_COVERAGE:
        raise UnknownExport(
            f"header matches no known export (closest: {best.name}, "
            f"{best_score[0]:.0%} of its signature columns)"
        )
    if best_score == second_score:
        raise UnknownExport(f"header matches {best.name} and {second.name} equally")

    columns: list[str] = []
    known: list[bool] = []
    for position, cell in enumerate(header, start=1):
        column = best.column_for(cell)
        name = column or (snake_case(cell) if cell.strip() else f"column_{position}")
        candidate, suffix = name, 2
        while candidate in columns:  # same label twice (HubSpot exports do that)
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        columns.append(candidate)
        known.append(column is not None and candidate == column)
    present = set(columns)
    missing = tuple(column for column in best.required if column not in present)
    return Recognition(
        kind=best,
        columns=tuple(columns),
        known=tuple(known),
        language=_language(best, header),
        missing_required=missing,
    )
