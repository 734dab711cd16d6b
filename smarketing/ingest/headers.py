"""Recognising an export by its header, and naming its columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from smarketing.ingest.registry import (
    ExportKind,
    association_objects,
    distinctive_labels,
    export_kinds,
    fold,
    snake_case,
    unique_key_labels,
)

MIN_SIGNATURE_COVERAGE = 0.5
# `Record ID - Company`: the record id of an associated object, in HubSpot exports with
# associations (English and French UI).
ASSOCIATION_MARKER = re.compile(
    r"^\s*(?:record\s*id|id\s+de\s+fiche\s+d.informations)\s+-\s+(?P<object>.+?)\s*$",
    re.IGNORECASE,
)


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
    associations: tuple[str, ...] = field(default=())
    """Associated objects whose columns the file carries (``company``), prefixed in raw."""

    def header_for(self, column: str) -> str:
        """The label a column is exported under, in the file's language (for messages)."""
        return self.kind.label_for(column, self.language)


class UnknownExport(ValueError):
    """The header matches no export kind well enough to load the file."""

    def __init__(self, message: str, closest: ExportKind | None = None) -> None:
        super().__init__(message)
        self.closest = closest


@dataclass(frozen=True)
class _Score:
    kind: ExportKind
    has_key: bool
    unique_id: bool
    distinctive: bool
    coverage: float
    mapped: int

    @property
    def eligible(self) -> bool:
        return self.has_key and (
            self.coverage >= MIN_SIGNATURE_COVERAGE or self.unique_id or self.distinctive
        )

    @property
    def rank(self) -> tuple[float, int]:
        return (self.coverage, self.mapped)


def _association_object(cell: str) -> str | None:
    match = ASSOCIATION_MARKER.match(cell)
    if match is None:
        return None
    return association_objects().get(fold(match.group("object")))


def _split_associations(header: list[str]) -> tuple[int, list[tuple[int, str]]]:
    """Where the file's own columns end, and where each associated object's start.

    A header that opens with `Record ID - Contact` is a contact export; a later
    `Record ID - Company` starts the associated company's columns, up to the next marker."""
    own_object = _association_object(header[0]) if header else None
    segments: list[tuple[int, str]] = []
    for position, cell in enumerate(header):
        obj = _association_object(cell)
        if position == 0 or obj is None:
            continue
        if obj == own_object and not segments:
            continue
        segments.append((position, obj))
    own_end = segments[0][0] if segments else len(header)
    return own_end, segments


def _score(kind: ExportKind, cells: list[str]) -> _Score:
    mapped = {kind.column_for(cell) for cell in cells} - {None}
    unique, distinctive = unique_key_labels(), distinctive_labels()
    return _Score(
        kind=kind,
        has_key=kind.key in mapped,
        unique_id=any(unique.get(fold(cell)) is kind for cell in cells),
        distinctive=any(distinctive.get(fold(cell)) is kind for cell in cells),
        coverage=sum(1 for c in kind.signature if c in mapped) / len(kind.signature),
        mapped=len(mapped),
    )


def _language(kind: ExportKind, cells: list[str]) -> str:
    counts = {"api": 0, "en": 0, "fr": 0}
    for cell in cells:
        language = kind.language_of(cell)
        if language is not None:
            counts[language] += 1
    if counts["api"] and counts["api"] >= counts["en"] + counts["fr"]:
        return "api"
    return "fr" if counts["fr"] > counts["en"] else "en"


def _pick(header: list[str]) -> ExportKind:
    scores = [_score(kind, header) for kind in export_kinds()]
    ranked = sorted(scores, key=lambda s: s.rank, reverse=True)
    best = ranked[0]
    eligible = [s for s in ranked if s.eligible]
    if (
        eligible
        and eligible[0].coverage < MIN_SIGNATURE_COVERAGE
        and (best.coverage >= MIN_SIGNATURE_COVERAGE and not best.eligible)
    ):
        # A kind eligible by an id or a column only it has (`Campaign ID` in a campaign-member
        # report) does not beat the kind the header really is, whose own id is missing.
        eligible = []
    if eligible:
        if len(eligible) > 1 and eligible[0].rank == eligible[1].rank:
            raise UnknownExport(
                f"header matches {eligible[0].kind.name} and {eligible[1].kind.name} equally",
                eligible[0].kind,
            )
        return eligible[0].kind
    # No kind's record id is there: the closest signature decides, and the file is refused
    # for its missing id, which says more than "unknown".
    if best.coverage >= MIN_SIGNATURE_COVERAGE:
        return best.kind
    if best.coverage == 0:
        raise UnknownExport("header matches no known export")
    raise UnknownExport(
        f"header matches no known export (closest: {best.kind.name}, "
        f"{best.coverage:.0%} of its signature columns)",
        best.kind,
    )


def _pick_mapped(header: list[str], mapped: tuple[ExportKind, ...]) -> ExportKind | None:
    """The mapping whose `recognise` cells the header all holds (the most specific wins)."""
    present = {fold(cell) for cell in header}
    fitting = [
        kind
        for kind in mapped
        if all(fold(label) in present for c in kind.signature for label in kind.labels[c])
    ]
    if not fitting:
        return None
    fitting.sort(key=lambda kind: len(kind.signature), reverse=True)
    if len(fitting) > 1 and len(fitting[0].signature) == len(fitting[1].signature):
        raise UnknownExport(
            f"header fits the mappings {fitting[0].mapping} and {fitting[1].mapping} equally: "
            "make their `recognise` cells tell them apart",
            fitting[0],
        )
    return fitting[0]


def _unique(name: str, taken: list[str]) -> str:
    """NAME, or NAME_2, NAME_3…: the same label twice (HubSpot and report exports do that)."""
    candidate, suffix = name, 2
    while candidate in taken:
        candidate, suffix = f"{name}_{suffix}", suffix + 1
    return candidate


def _recognise_mapped(header: list[str], kind: ExportKind) -> Recognition:
    columns: list[str] = []
    known: list[bool] = []
    for position, cell in enumerate(header, start=1):
        candidate = _unique(snake_case(cell) if cell.strip() else f"column_{position}", columns)
        columns.append(candidate)
        known.append(candidate in kind.labels)
    return Recognition(
        kind=kind,
        columns=tuple(columns),
        known=tuple(known),
        language="en",
        missing_required=tuple(c for c in kind.required if c not in columns),
    )


def recognise(header: list[str], mapped: tuple[ExportKind, ...] = ()) -> Recognition:
    """Pick the export kind of a header, and name every column.

    MAPPED: the kinds of the mapping files, tried first: a header holding every `recognise`
    cell of a mapping is that mapping's export. Raises UnknownExport when no kind fits (an
    unknown file is reported, never guessed), or when two kinds fit equally."""
    mapped_kind = _pick_mapped(header, mapped)
    if mapped_kind is not None:
        return _recognise_mapped(header, mapped_kind)
    own_end, segments = _split_associations(header)
    own_cells = header[:own_end]
    kind = _pick(own_cells)
    object_at = {position: obj for position, obj in segments}
    associated = {k.entity: k for k in export_kinds() if k.source_system == kind.source_system}

    columns: list[str] = []
    known: list[bool] = []
    current: str | None = None
    for position, cell in enumerate(header, start=1):
        current = object_at.get(position - 1, current)
        if current is None:
            column = kind.column_for(cell)
            name = column or (snake_case(cell) if cell.strip() else f"column_{position}")
        else:  # an associated object's cell: `company__create_date`
            other = associated.get(current)
            other_column = other.column_for(cell) if other else None
            if position - 1 in object_at:
                other_column = other.key if other else "record_id"
            column = None
            name = f"{current}__{other_column or snake_case(cell) or f'column_{position}'}"
        candidate = _unique(name, columns)
        columns.append(candidate)
        known.append(column is not None and candidate == column)
    present = set(columns)
    return Recognition(
        kind=kind,
        columns=tuple(columns),
        known=tuple(known),
        language=_language(kind, own_cells),
        missing_required=tuple(c for c in kind.required if c not in present),
        associations=tuple(dict.fromkeys(obj for _, obj in segments)),
    )
