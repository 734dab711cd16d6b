"""Matching canonical fields to header cells, checked against the sampled values."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from smarketing.config.drafting.labels import (
    MIN_SCORE,
    best_synonym,
    cell_variants,
    common_prefix,
    field_synonyms,
)
from smarketing.config.drafting.sample import Sample
from smarketing.config.mappings import CANONICAL_FIELDS, CanonicalField
from smarketing.ingest.registry import snake_case


@dataclass(frozen=True)
class FieldMatch:
    field: str
    cell: str
    index: int
    score: float
    comment: str


_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{6,}$")


# What most sampled values of a field look like: by field name, else by type.
_LOOKS_LIKE: dict[str, Callable[[str], bool]] = {
    "timestamp": lambda v: bool(_DATE_LIKE.search(v)),
    "number": lambda v: any(c.isdigit() for c in v) and not _LONG_WORD.search(v),
    "integer": lambda v: any(c.isdigit() for c in v),  # a range (11-50) or "10 000+" too
    "email": lambda v: "@" in v,
    "phone": lambda v: bool(_PHONE_LIKE.match(v)),
    "mobile_phone": lambda v: bool(_PHONE_LIKE.match(v)),
}


def _fits(name: str, canonical: CanonicalField, values: Sequence[str]) -> bool:
    """Whether the sampled VALUES can be the field's: dates for a date, numbers for an amount,
    a few values for a flag, `@` for an e-mail (an empty sample fits anything)."""
    if not values:
        return True
    if canonical.type == "boolean":
        return len(set(values)) <= 6 and not any(_DATE_LIKE.search(v) for v in values)
    test = _LOOKS_LIKE.get(name) or _LOOKS_LIKE.get(canonical.type)
    return test is None or sum(map(test, values)) >= 0.8 * len(values)


def match_fields(sample: Sample, entity: str) -> dict[str, FieldMatch]:
    """Canonical field -> the header cell closest to it; each cell serves one field."""
    fields = CANONICAL_FIELDS[entity]
    prefix = common_prefix(sample.header)
    synonyms = {name: field_synonyms(entity, name) for name in fields}
    candidates: list[tuple[bool, float, int, int, str, str]] = []
    columns: set[str] = set()
    for index, cell in enumerate(sample.header):
        if not cell or snake_case(cell) in columns:
            continue  # an empty cell (trailing delimiter) or a duplicate column: not mappable
        columns.add(snake_case(cell))
        variants = cell_variants(cell, prefix, entity)
        values = sample.values(index)
        for position, (name, canonical) in enumerate(fields.items()):
            score, synonym = best_synonym(variants, synonyms[name])
            if score >= MIN_SCORE and _fits(name, canonical, values):
                candidates.append((name != "record_id", -score, position, index, name, synonym))
    # the record id first (it is required), then the closest pairs; ties: the earlier column
    candidates.sort()
    matches: dict[str, FieldMatch] = {}
    used: set[int] = set()
    for _, score, _, index, name, synonym in candidates:
        if name in matches or index in used:
            continue
        used.add(index)
        comment = f'closest header to "{name}" (score {-score:.2f}, as "{synonym}")'
        matches[name] = FieldMatch(name, sample.header[index], index, -score, comment)
    if "record_id" not in matches:
        matches["record_id"] = _fallback_record_id(sample, used)
    return {name: matches[name] for name in fields if name in matches}


def _fallback_record_id(sample: Sample, used: set[int]) -> FieldMatch:
    """The first column of filled, unique sampled values (one no other field took first: an
    e-mail column may serve as the id too), else the first column."""
    columns = [(i, c) for i, c in enumerate(sample.header) if c]
    for index, cell in sorted(columns, key=lambda column: column[0] in used):
        cells = [row[index].strip() for row in sample.rows]
        if all(cells) and len(set(cells)) == len(cells):
            comment = "no header looks like an id: the first column of filled, unique values"
            return FieldMatch("record_id", cell, index, 0.0, comment + ": check it")
    index, cell = columns[0]
    comment = "no id column found (no column of unique values): set the record's id column"
    return FieldMatch("record_id", cell, index, 0.0, comment)
