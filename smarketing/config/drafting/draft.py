"""A draft mapping: every guess for one export, gathered and rendered."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from smarketing.config.drafting.entity import guess_entity
from smarketing.config.drafting.fields import FieldMatch, match_fields
from smarketing.config.drafting.formats import detect_date_format, detect_decimal
from smarketing.config.drafting.labels import words
from smarketing.config.drafting.render import render, scalar
from smarketing.config.drafting.sample import Sample, read_sample
from smarketing.config.drafting.values import ValueGuesses, guess_values
from smarketing.config.mappings import CANONICAL_FIELDS
from smarketing.ingest.registry import snake_case

RECOGNISE_CELLS = 4
DEFAULT_SOURCE_SYSTEM = "my_tool"

KNOWN_TOOLS = (
    "pipedrive zoho dynamics sellsy axonaut marketo pardot brevo sendinblue plezi hubspot "
    "salesforce mailchimp activecampaign odoo sugarcrm freshsales nocrm folk lemlist olist"
)


@dataclass
class Draft:
    file_name: str
    rows: int
    name: str
    source_system: tuple[str, str]
    """value, why"""
    entity: tuple[str, str]
    fields: dict[str, FieldMatch]
    missing: list[str]
    """canonical fields no header cell matched"""
    unmapped: list[str]
    """header cells no field took"""
    values: dict[str, ValueGuesses]
    formats: list[tuple[str, str, str]]
    """key, YAML value, why"""
    format_notes: list[str]
    """formats left out, and why"""

    @property
    def recognise(self) -> list[str]:
        cells = [self.fields["record_id"].cell, *(m.cell for m in self.fields.values())]
        return list(dict.fromkeys(cells))[:RECOGNISE_CELLS]


def mapping_name(file_name: str) -> str:
    """A valid mapping name from the file's name: `Deals export (2).csv` -> `deals_export_2`."""
    name = snake_case(Path(file_name).stem)
    if not name[0].isalpha():
        name = f"export_{name}"
    return name[:48].rstrip("_")


def guess_source_system(file_name: str) -> tuple[str, str]:
    stem = words(Path(file_name).stem).split()
    for tool in KNOWN_TOOLS.split():
        if tool in stem:
            return tool, "guessed from the file name"
    return DEFAULT_SOURCE_SYSTEM, "set it: the tool the export comes from (pipedrive, zoho…)"


def _typed_values(
    sample: Sample, fields: dict[str, FieldMatch], entity: str, *types: str
) -> list[str]:
    """The sampled values of the mapped fields of TYPES."""
    canonical = CANONICAL_FIELDS[entity]
    return [
        value
        for name, match in fields.items()
        if canonical[name].type in types
        for value in sample.values(match.index)
    ]


def _formats(
    sample: Sample, fields: dict[str, FieldMatch], entity: str
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The `formats` keys found (key, YAML value, why), and notes on those left out."""
    found: list[tuple[str, str, str]] = []
    notes: list[str] = []
    dated = any(CANONICAL_FIELDS[entity][name].type == "timestamp" for name in fields)
    date_format, why = detect_date_format(_typed_values(sample, fields, entity, "timestamp"))
    if date_format:
        found.append(("date", scalar(date_format), why))
    elif dated:
        notes.append(f"date: {why}")
    nulls = sample.nulls()
    if nulls:
        shown = "[" + ", ".join(json.dumps(t) for t in ["", *nulls]) + "]"
        found.append(('"null"', shown, "cells meaning empty, found in the sample"))
    if detect_decimal(_typed_values(sample, fields, entity, "number", "integer")) == ",":
        found.append(("decimal", '","', "amounts are written with a decimal comma (1 234,56)"))
    return found, notes


def build_draft(
    sample: Sample,
    file_name: str,
    entity: str | None = None,
    channels: Mapping[str, Sequence[str]] | None = None,
) -> Draft:
    chosen = (entity, "given with --entity") if entity else guess_entity(sample.header, file_name)
    fields = match_fields(sample, chosen[0])
    canonical = CANONICAL_FIELDS[chosen[0]]
    values: dict[str, ValueGuesses] = {}
    for name, match in fields.items():
        guesses = guess_values(name, canonical[name], sample.values(match.index), channels)
        if guesses is not None:
            values[name] = guesses
    used = {match.index for match in fields.values()}
    formats, notes = _formats(sample, fields, chosen[0])
    return Draft(
        file_name=file_name,
        rows=len(sample.rows),
        name=mapping_name(file_name),
        source_system=guess_source_system(file_name),
        entity=chosen,
        fields=fields,
        missing=[name for name in canonical if name not in fields],
        unmapped=[c for i, c in enumerate(sample.header) if c and i not in used],
        values=values,
        formats=formats,
        format_notes=notes,
    )


def draft_mapping(
    path: Path,
    entity: str | None = None,
    channels: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The commented YAML draft of a mapping for the CSV file PATH.

    ENTITY: what a row is (else guessed); CHANNELS: channel code -> source names (else lead
    sources are not guessed). Raises DraftError when the file cannot be read as CSV."""
    return render(build_draft(read_sample(path), path.name, entity, channels))
