"""The export kinds the warehouse recognises (from ``export_kinds.yml``) and their column names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

KINDS_FILE = Path(__file__).with_name("export_kinds.yml")


def fold(label: str) -> str:
    """Compare-key of a header cell: accents, case, spaces and punctuation do not matter."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def snake_case(name: str) -> str:
    """Stable column name for a header no alias matched (and for Salesforce API names).

    ``ConvertedContactId`` -> ``converted_contact_id``; custom fields keep their spelling in
    lower case (``Rejection_Reason__c`` -> ``rejection_reason__c``); free labels are slugged
    (``Opportunity Lifecycle (Days)`` -> ``opportunity_lifecycle_days``).
    """
    text = unicodedata.normalize("NFKD", name.strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*__c", text):
        return text.lower()
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", text):
        text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
        text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    slug = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return slug or "column"


@dataclass(frozen=True)
class ExportKind:
    source_system: str
    entity: str
    key: str
    required: tuple[str, ...]
    signature: tuple[str, ...]
    columns: tuple[str, ...]
    aliases: dict[str, str]
    """folded header label -> stable column name"""
    labels: dict[str, tuple[str, ...]]
    """stable column name -> the labels it is exported under (first one: English)"""

    @property
    def name(self) -> str:
        return f"{self.source_system}__{self.entity}"

    @property
    def table(self) -> str:
        """Raw table, without schema."""
        return self.name

    def column_for(self, header_cell: str) -> str | None:
        return self.aliases.get(fold(header_cell))


def _kind(source_system: str, entity: str, spec: dict) -> ExportKind:
    columns_spec = spec["columns"]
    labels: dict[str, tuple[str, ...]] = {}
    if isinstance(columns_spec, list):  # Salesforce: API names
        for api_name in columns_spec:
            labels[snake_case(api_name)] = (api_name,)
        key, required, signature = (
            snake_case(spec["key"]),
            tuple(snake_case(c) for c in spec["required"]),
            tuple(snake_case(c) for c in spec["signature"]),
        )
    else:  # HubSpot: stable name -> labels
        for column, column_labels in columns_spec.items():
            labels[column] = tuple(column_labels)
        key, required, signature = spec["key"], tuple(spec["required"]), tuple(spec["signature"])
    aliases: dict[str, str] = {}
    for column, column_labels in labels.items():
        for label in (*column_labels, column):
            folded = fold(label)
            if aliases.get(folded, column) != column:
                raise ValueError(
                    f"{KINDS_FILE.name}: {source_system}.{entity}: label {label!r} maps to both "
                    f"{aliases[folded]!r} and {column!r}"
                )
            aliases[folded] = column
    for what, names in (("key", (key,)), ("required", required), ("signature", signature)):
        unknown = [n for n in names if n not in labels]
        if unknown:
            raise ValueError(
                f"{KINDS_FILE.name}: {source_system}.{entity}: {what} names unknown "
                f"columns {unknown}"
            )
    return ExportKind(
        source_system=source_system,
        entity=entity,
        key=key,
        required=required,
        signature=signature,
        columns=tuple(labels),
        aliases=aliases,
        labels=labels,
    )


@cache
def export_kinds() -> tuple[ExportKind, ...]:
    spec = yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))
    return tuple(
        _kind(source_system, entity, entity_spec)
        for source_system, entities in spec.items()
        for entity, entity_spec in entities.items()
    )


def kind_named(name: str) -> ExportKind:
    for kind in export_kinds():
        if kind.name == name:
            return kind
    raise KeyError(f"no export kind named {name!r}")
