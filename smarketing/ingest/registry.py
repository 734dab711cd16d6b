"""The export kinds the warehouse recognises (from ``export_kinds.yml``) and their column names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

KINDS_FILE = Path(__file__).with_name("export_kinds.yml")

# Salesforce record ids: 15 characters (case-sensitive) or 18 (with a case-safe suffix).
SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
# The id Salesforce's Data Export writes for an empty lookup.
SALESFORCE_EMPTY_IDS = frozenset({"000000000000000", "000000000000000AAA"})
ID_FORMATS = ("salesforce",)


def fold(label: str) -> str:
    """Compare-key of a header cell: accents, case, spaces and punctuation do not matter."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def snake_case(name: str) -> str:
    """Stable column name for a header no label matched (and for Salesforce API names).

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
    """stable column name -> the labels it is exported under (API name first, then English)"""
    api_names: frozenset[str] = frozenset()
    """API names as written (Salesforce): a header of these is a Data Loader / Data Export file"""
    ui_labels: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """``en`` / ``fr`` -> stable column name -> the UI labels of that language"""
    id_format: str | None = None
    """``salesforce``: a key that is not a Salesforce id is not a record"""
    mapping: str | None = None
    """The mapping file's name, for an export shape a mapping describes (mappings/)."""

    @property
    def name(self) -> str:
        if self.mapping is not None:
            return f"mapped__{self.mapping}"
        return f"{self.source_system}__{self.entity}"

    @property
    def table(self) -> str:
        """Raw table, without schema."""
        return self.name

    def column_for(self, header_cell: str) -> str | None:
        return self.aliases.get(fold(header_cell))

    def label_for(self, column: str, language: str = "en") -> str:
        """The header a column is exported under in LANGUAGE (``api``, ``en`` or ``fr``)."""
        labels = self.labels.get(column, (column,))
        if language == "api":
            return labels[0]
        ui = self.ui_labels.get(language, {}).get(column) or self.ui_labels.get("en", {}).get(
            column
        )
        return ui[0] if ui else labels[0]

    def language_of(self, header_cell: str) -> str | None:
        """``api``, ``en`` or ``fr``: the labels a header cell belongs to (None: unknown, or a
        label both languages use)."""
        if header_cell.strip() in self.api_names:
            return "api"
        folded = fold(header_cell)
        languages = [
            language
            for language, columns in self.ui_labels.items()
            if any(folded == fold(label) for labels in columns.values() for label in labels)
        ]
        return languages[0] if len(languages) == 1 else None

    def key_reason(self, value: str) -> str | None:
        """Why VALUE of the key column does not identify a record, or None when it does."""
        text = value.strip()
        if not text:
            return "empty"
        if self.id_format == "salesforce":
            if text in SALESFORCE_EMPTY_IDS:
                return "the empty Salesforce id"
            if not SALESFORCE_ID.fullmatch(text):
                return "not a Salesforce id (15 or 18 letters and digits)"
        return None


def _salesforce_kind(entity: str, spec: dict, id_format: str | None) -> ExportKind:
    where = f"{KINDS_FILE.name}: salesforce.{entity}"
    ui: dict[str, dict[str, tuple[str, ...]]] = {}
    for language, key in (("en", "labels"), ("fr", "labels_fr")):
        given = spec.get(key) or {}
        unknown = [name for name in given if name not in spec["columns"]]
        if unknown:
            raise ValueError(f"{where}: {key} given for columns not in `columns`: {unknown}")
        ui[language] = {snake_case(api): tuple(given[api]) for api in given}
    labels = {
        snake_case(api): (
            api,
            *ui["en"].get(snake_case(api), ()),
            *ui["fr"].get(snake_case(api), ()),
        )
        for api in spec["columns"]
    }
    return _kind(
        "salesforce",
        entity,
        labels,
        key=snake_case(spec["key"]),
        required=tuple(snake_case(c) for c in spec["required"]),
        signature=tuple(snake_case(c) for c in spec["signature"]),
        api_names=frozenset(spec["columns"]),
        ui_labels=ui,
        id_format=id_format,
    )


def _labelled_kind(
    source_system: str, entity: str, spec: dict, id_format: str | None
) -> ExportKind:
    """Columns as `stable name: [English label, French label, internal name, more…]`."""
    labels = {column: tuple(column_labels) for column, column_labels in spec["columns"].items()}
    ui = {
        "en": {column: column_labels[:1] for column, column_labels in labels.items()},
        "fr": {column: column_labels[1:2] for column, column_labels in labels.items()},
    }
    return _kind(
        source_system,
        entity,
        labels,
        key=spec["key"],
        required=tuple(spec["required"]),
        signature=tuple(spec["signature"]),
        api_names=frozenset(),
        ui_labels=ui,
        id_format=id_format,
    )


def _kind(
    source_system: str,
    entity: str,
    labels: dict[str, tuple[str, ...]],
    *,
    key: str,
    required: tuple[str, ...],
    signature: tuple[str, ...],
    api_names: frozenset[str],
    ui_labels: dict[str, dict[str, tuple[str, ...]]],
    id_format: str | None,
) -> ExportKind:
    where = f"{KINDS_FILE.name}: {source_system}.{entity}"
    aliases: dict[str, str] = {}
    for column, column_labels in labels.items():
        for label in (*column_labels, column):
            folded = fold(label)
            if aliases.get(folded, column) != column:
                raise ValueError(
                    f"{where}: label {label!r} maps to both {aliases[folded]!r} and {column!r}"
                )
            aliases[folded] = column
    for what, names in (("key", (key,)), ("required", required), ("signature", signature)):
        unknown = [n for n in names if n not in labels]
        if unknown:
            raise ValueError(f"{where}: {what} names unknown columns {unknown}")
    if key not in required:
        raise ValueError(f"{where}: the key {key!r} must be required")
    return ExportKind(
        source_system=source_system,
        entity=entity,
        key=key,
        required=required,
        signature=signature,
        columns=tuple(labels),
        aliases=aliases,
        labels=labels,
        api_names=api_names,
        ui_labels=ui_labels,
        id_format=id_format,
    )


@cache
def _spec() -> dict:
    return yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))


@cache
def export_kinds() -> tuple[ExportKind, ...]:
    kinds: list[ExportKind] = []
    for source_system, system_spec in _spec().items():
        id_format = system_spec.get("id_format")
        if id_format is not None and id_format not in ID_FORMATS:
            raise ValueError(
                f"{KINDS_FILE.name}: {source_system}.id_format: {id_format!r} is not one of "
                f"{', '.join(ID_FORMATS)}"
            )
        for entity, spec in system_spec["kinds"].items():
            if isinstance(spec["columns"], list):  # API names, with their UI labels
                kinds.append(_salesforce_kind(entity, spec, id_format))
            else:  # stable name -> labels
                kinds.append(_labelled_kind(source_system, entity, spec, id_format))
    return tuple(kinds)


@cache
def association_objects() -> dict[str, str]:
    """Folded label of an associated object (``Company``, ``Entreprise``) -> its entity."""
    objects: dict[str, str] = {}
    for system_spec in _spec().values():
        for entity, object_labels in (system_spec.get("association_objects") or {}).items():
            for label in object_labels:
                objects[fold(label)] = entity
    return objects


@cache
def unique_key_labels() -> dict[str, ExportKind]:
    """Folded label of a record-id column that only one kind uses (``Lead ID``) -> that kind.

    Generic id labels (``Id``, ``Record ID``) name the key of many kinds and are left out."""
    owners: Counter[str] = Counter()
    by_label: dict[str, ExportKind] = {}
    for kind in export_kinds():
        key_labels = kind.labels[kind.key]
        for folded in {fold(label) for label in (*key_labels, kind.key)}:
            owners[folded] += 1
            by_label[folded] = kind
    return {label: by_label[label] for label, count in owners.items() if count == 1}


@cache
def distinctive_labels() -> dict[str, ExportKind]:
    """Folded label that only one kind's columns use (``Became a Marketing Qualified Lead
    Date``: HubSpot contacts) -> that kind. Labels of columns every export has (``Create
    Date``, ``Lifecycle Stage`` of HubSpot contacts and companies) are left out."""
    owners: dict[str, set[str]] = {}
    by_name: dict[str, ExportKind] = {}
    for kind in export_kinds():
        by_name[kind.name] = kind
        for column, labels in kind.labels.items():
            for folded in {fold(label) for label in (*labels, column)}:
                owners.setdefault(folded, set()).add(kind.name)
    return {label: by_name[next(iter(names))] for label, names in owners.items() if len(names) == 1}


def mapped_kind(
    name: str, source_system: str, entity: str, recognise: list[str], key: str, headers: list[str]
) -> ExportKind:
    """The export kind a mapping file describes: its header cells are its labels, the columns
    named as for any unknown header (``Deal - ID`` -> ``deal_id``)."""
    labels = {snake_case(cell): (cell,) for cell in dict.fromkeys([*recognise, key, *headers])}
    return ExportKind(
        source_system=source_system,
        entity=entity,
        key=snake_case(key),
        required=(snake_case(key),),
        signature=tuple(snake_case(cell) for cell in recognise),
        columns=tuple(labels),
        aliases={fold(cell): column for column, cells in labels.items() for cell in cells},
        labels=labels,
        ui_labels={"en": labels},
        mapping=name,
    )


def kind_named(name: str) -> ExportKind:
    for kind in export_kinds():
        if kind.name == name:
            return kind
    raise KeyError(f"no export kind named {name!r}")
