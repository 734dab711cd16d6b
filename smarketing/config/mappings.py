"""Mapping files: how an export of any other tool (Pipedrive, Zoho, a sales team's spreadsheet…)
reads as the warehouse's canonical entities.

One YAML file per export shape, in the mappings folder (``$SMARKETING_MAPPINGS``, else
``mappings/`` beside smarketing.yml). Each is validated like smarketing.yml: an error names the
file, the key and the problem. The canonical fields of each entity are in ``CANONICAL_FIELDS``
(documented for users in ``mappings/README.md``, which a test keeps in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from smarketing.config.loading import ConfigError, _describe_errors, read_yaml
from smarketing.ingest.registry import ExportKind, fold, mapped_kind, snake_case

MAPPINGS_ENV = "SMARKETING_MAPPINGS"
MAPPINGS_DIR = "mappings"
ANY_VALUE = "*"

Entity = Literal[
    "lead", "contact", "account", "opportunity", "stage_change", "activity", "marketing_event"
]
PERSON_ENTITIES = ("lead", "contact")
FieldType = Literal["id", "text", "timestamp", "number", "integer", "boolean"]

# The stages a person's status (or a stage change) may mean, from the shared definition:
# `open` is a status of no stage (new, working, reopened); `nurturing` sends the lead back to
# Marketing (a disqualification that may come back as a new cycle).
PERSON_STAGES = (
    "open",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "disqualified",
    "nurturing",
)
OPPORTUNITY_STAGES = ("open", "won", "lost")
TOUCH_TYPES = ("call", "email", "meeting", "other")
BOOLEANS = ("true", "false")


@dataclass(frozen=True)
class CanonicalField:
    type: FieldType
    description: str
    values: tuple[str, ...] | None = None
    """The canonical values a `values:` entry may map to (None: any value)."""


def _f(type_: FieldType, description: str, values: tuple[str, ...] | None = None) -> CanonicalField:
    if type_ == "boolean":
        values = BOOLEANS
    return CanonicalField(type_, description, values)


_RECORD = {
    "record_id": _f("id", "The record's id in the tool (required): one record per id."),
}
_AUDIT = {
    "owner": _f("text", "Who owns the record (a user name or id of the tool)."),
    "created_at": _f("timestamp", "When the record was created."),
    "updated_at": _f("timestamp", "When the record was last changed (the export's as-of)."),
    "is_deleted": _f("boolean", "The record is deleted in the tool (left out of the marts)."),
}
_PERSON = {
    **_RECORD,
    "first_name": _f("text", "First name."),
    "last_name": _f("text", "Last name."),
    "full_name": _f("text", "Full name, when the tool has no first / last name columns."),
    "email": _f("text", "E-mail address (identity evidence)."),
    "phone": _f("text", "Phone (identity evidence)."),
    "mobile_phone": _f("text", "Mobile phone."),
    "job_title": _f("text", "Job title."),
    "company": _f("text", "Company name."),
    "website": _f("text", "Company website."),
    "country": _f("text", "Country (a name in any language, or an ISO code)."),
    "employees": _f("integer", "Company size: number of employees (a range reads as its low end)."),
    "industry": _f("text", "Industry."),
    "lead_source": _f(
        "text", "Where the person came from; `values` maps it to a channel of smarketing.yml."
    ),
    "status": _f(
        "text",
        "The person's status; `values` maps each to a stage of the shared definition.",
        PERSON_STAGES,
    ),
    "score": _f("number", "Marketing score (0-100): the MQL rule's score threshold reads it."),
    "opted_out": _f("boolean", "The person opted out of e-mail."),
    "account_record_id": _f("id", "The person's account (an `account` record of the same tool)."),
    "mql_at": _f("timestamp", "When the person became an MQL in the tool."),
    "handed_over": _f(
        "boolean",
        "Marketing handed the record to Sales (created by the marketing sync, a web form…): "
        "the hand-off of the SLA, at `handoff_at` else at `created_at`.",
    ),
    "handoff_at": _f("timestamp", "When Marketing handed the record to Sales."),
    "sal_at": _f("timestamp", "When Sales accepted the lead."),
    "sql_at": _f("timestamp", "When Sales qualified the lead."),
    "opportunity_at": _f("timestamp", "When the lead became an opportunity."),
    "customer_at": _f("timestamp", "When the person became a customer (a deal won)."),
    "disqualified_at": _f("timestamp", "When Sales rejected the lead."),
    "rejection_reason": _f(
        "text", "Why Sales rejected the lead (reason categories: smarketing.yml)."
    ),
    **_AUDIT,
}
CANONICAL_FIELDS: dict[str, dict[str, CanonicalField]] = {
    "lead": _PERSON,
    "contact": _PERSON,
    "account": {
        **_RECORD,
        "name": _f("text", "Account (company) name."),
        "website": _f("text", "Website."),
        "country": _f("text", "Country."),
        "employees": _f("integer", "Number of employees."),
        "industry": _f("text", "Industry."),
        "phone": _f("text", "Switchboard phone."),
        **_AUDIT,
    },
    "opportunity": {
        **_RECORD,
        "person_record_id": _f("id", "The deal's person (a lead / contact of the same tool)."),
        "account_record_id": _f("id", "The deal's account (of the same tool)."),
        "name": _f("text", "Deal name."),
        "stage": _f(
            "text", "Deal stage; `values` maps each to won, lost or open.", OPPORTUNITY_STAGES
        ),
        "is_won": _f("boolean", "The deal is won (a tool with a won flag and no stage)."),
        "is_closed": _f("boolean", "The deal is closed, won or lost."),
        "amount": _f("number", "Deal amount, in `currency`."),
        "currency": _f("text", "ISO 4217 code of the amount (else the corporate currency)."),
        "closed_at": _f("timestamp", "When the deal was won or lost (else its close date)."),
        "lead_source": _f("text", "Where the deal came from; `values` maps it to a channel."),
        "offer": _f("text", "What the deal sells (an offer of smarketing.yml)."),
        "loss_reason": _f("text", "Why the deal was lost."),
        **_AUDIT,
    },
    "stage_change": {
        **_RECORD,
        "person_record_id": _f("id", "The person whose status changed (same tool)."),
        "changed_at": _f("timestamp", "When the status changed."),
        "old_status": _f("text", "The status before; `values` maps it to a stage.", PERSON_STAGES),
        "status": _f("text", "The status after; `values` maps it to a stage.", PERSON_STAGES),
        "rejection_reason": _f("text", "The reason written with a disqualification."),
        **_AUDIT,
    },
    "activity": {
        **_RECORD,
        "person_record_id": _f("id", "The person the rep reached (same tool)."),
        "type": _f(
            "text",
            "Call, e-mail, meeting…; `values` maps each to call, email, meeting or other "
            "(without it, a type named call, email or meeting is one).",
            TOUCH_TYPES,
        ),
        "occurred_at": _f("timestamp", "When the touch happened (a first sales touch of the SLA)."),
        "subject": _f("text", "Subject."),
        "is_done": _f("boolean", "The activity took place (an open task is no touch)."),
        **_AUDIT,
    },
    "marketing_event": {
        **_RECORD,
        "person_record_id": _f("id", "The person (same tool), else matched by e-mail."),
        "email": _f("text", "The person's e-mail, when the event has no person id."),
        "type": _f("text", "Form submission, e-mail click, webinar attendance…"),
        "occurred_at": _f("timestamp", "When it happened."),
        "campaign": _f("text", "Campaign name."),
        **_AUDIT,
    },
}

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Header = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Formats(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: str | None = Field(
        default=None,
        description="strftime format of the dates (`%d/%m/%Y %H:%M`); else detected as for the "
        "known exports.",
    )
    null: list[str] = Field(
        default_factory=lambda: [""],
        description="Cell values that mean empty (besides `null`, `N/A`, `-`).",
    )
    decimal: Literal[".", ","] = Field(default=".", description="Decimal separator of amounts.")

    @field_validator("date")
    @classmethod
    def _strftime(cls, value: str | None) -> str | None:
        if value is not None and "%" not in value:
            raise ValueError(f"{value!r} is not a strftime format (such as %d/%m/%Y %H:%M)")
        return value


class Mapping(BaseModel):
    """One export shape of a tool the warehouse has no built-in knowledge of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name = Field(description="Unique name of this export shape (its raw table's name).")
    source_system: Name = Field(
        description="The tool; records of one tool link to each other by id."
    )
    recognise: list[Header] = Field(
        min_length=1, description="Header cells that identify the export (all must be there)."
    )
    entity: Entity = Field(description="What one row of the export is.")
    fields: dict[str, Header] = Field(description="Canonical field -> header cell of the export.")
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Canonical field -> source value -> canonical value (`*`: any other value).",
    )
    formats: Formats = Field(default_factory=Formats)

    @field_validator("formats", mode="before")
    @classmethod
    def _null_key(cls, value: Any) -> Any:
        # YAML reads an unquoted `null:` key as None: it is the `null` format all the same
        if isinstance(value, dict) and None in value:
            value = {("null" if k is None else k): v for k, v in value.items()}
        return value

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, value: Any) -> Any:
        # YAML reads `Yes: true` and `1: won` as a boolean and a number: compare them as text
        if not isinstance(value, dict):
            return value
        return {
            field: {_text(k): _text(v) for k, v in mapped.items()}
            if isinstance(mapped, dict)
            else mapped
            for field, mapped in value.items()
        }

    @model_validator(mode="after")
    def _canonical(self) -> Mapping:
        known = CANONICAL_FIELDS[self.entity]
        unknown = [name for name in self.fields if name not in known]
        if unknown:
            raise ValueError(
                f"fields: {', '.join(unknown)}: not a canonical field of {_a(self.entity)} "
                f"(one of: {', '.join(known)})"
            )
        if "record_id" not in self.fields:
            raise ValueError("fields.record_id: missing: the header cell of the record's id")
        columns: dict[str, str] = {}
        for name, header in self.fields.items():
            column = snake_case(header)
            if column in columns and fold(header) != fold(self.fields[columns[column]]):
                raise ValueError(
                    f"fields.{name}: {header!r} and fields.{columns[column]} "
                    f"({self.fields[columns[column]]!r}) name the same column"
                )
            columns.setdefault(column, name)
        for name, mapped in self.values.items():
            if name not in self.fields:
                raise ValueError(
                    f"values.{name}: {name} is not mapped in `fields` (no column to read)"
                )
            allowed = known[name].values
            if allowed is None:
                continue
            wrong = sorted({v for v in mapped.values() if v not in allowed})
            if wrong:
                raise ValueError(
                    f"values.{name}: {', '.join(map(repr, wrong))} is not one of "
                    f"{', '.join(allowed)}"
                )
        return self

    def column(self, field: str) -> str:
        """The raw column (loader's name) holding FIELD."""
        return snake_case(self.fields[field])

    @property
    def table(self) -> str:
        """Raw table, without schema."""
        return f"mapped__{self.name}"

    def kind(self) -> ExportKind:
        """The export kind the loader recognises and loads this shape as."""
        return mapped_kind(
            self.name,
            self.source_system,
            self.entity,
            list(self.recognise),
            self.fields["record_id"],
            list(self.fields.values()),
        )

    def dbt_var(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source_system": self.source_system,
            "entity": self.entity,
            "table": self.table,
            "columns": {field: self.column(field) for field in self.fields},
            "values": {field: dict(mapped) for field, mapped in self.values.items()},
            "formats": self.formats.model_dump(),
        }


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _a(entity: str) -> str:
    return f"an {entity}" if entity[0] in "aeiou" else f"a {entity}"


def default_mappings_dir(config_path: Path | None = None) -> Path:
    """``$SMARKETING_MAPPINGS``, else ``mappings/`` beside the shared lead definition."""
    if os.environ.get(MAPPINGS_ENV):
        return Path(os.environ[MAPPINGS_ENV]).resolve()
    from smarketing.config.loading import default_config_path

    return ((config_path or default_config_path()).parent / MAPPINGS_DIR).resolve()


def mapping_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_mapping(path: Path) -> Mapping:
    data = read_yaml(path, what="mapping")
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe_errors(path, exc, "invalid mapping")) from exc


def load_mappings(folder: Path | None = None) -> tuple[Mapping, ...]:
    """Every mapping of FOLDER (default: default_mappings_dir()); a missing folder has none.

    Raises ConfigError naming each file, key and problem (all files are checked)."""
    folder = folder if folder is not None else default_mappings_dir()
    mappings: list[Mapping] = []
    errors: list[str] = []
    names: dict[str, Path] = {}
    for path in mapping_files(folder):
        try:
            mapping = load_mapping(path)
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        if mapping.name in names:
            errors.append(
                f"{path}: name: {mapping.name!r} is already the name of {names[mapping.name]}"
            )
            continue
        names[mapping.name] = path
        mappings.append(mapping)
    shapes: dict[frozenset[str], Mapping] = {}
    for mapping in mappings:
        shape = frozenset(fold(cell) for cell in mapping.recognise)
        if shape in shapes:
            errors.append(
                f"{names[mapping.name]}: recognise: the same header cells as "
                f"{names[shapes[shape].name]}: a file could not tell them apart"
            )
        shapes[shape] = mapping
    if errors:
        raise ConfigError("\n".join(errors))
    return tuple(mappings)


def channel_errors(mappings: tuple[Mapping, ...], channels: set[str]) -> list[str]:
    """Lead sources a mapping maps to a channel smarketing.yml does not define."""
    errors = []
    for mapping in mappings:
        wrong = sorted(set((mapping.values.get("lead_source") or {}).values()) - channels)
        if wrong:
            errors.append(
                f"mapping {mapping.name}: values.lead_source: {', '.join(map(repr, wrong))} "
                f"is not a channel of smarketing.yml ({', '.join(sorted(channels))})"
            )
    return errors


def dump_mapping(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
