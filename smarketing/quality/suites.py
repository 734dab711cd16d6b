"""The governance suites of ``expectations/`` (Great Expectations 1.x JSON), read without GX.

Dagster builds its asset checks from these at definition load, where importing GX (seconds)
is too slow; GX itself only reads them when the checks run (``engine.py``). A suite is a GX
``ExpectationSuite`` as ``suite.to_json_dict()`` writes it, plus our conventions in ``meta``:

- suite ``meta.asset``: the Dagster asset (``schema.table``) the checks are attached to;
- suite ``meta.dataset``: ``{"table": "schema.table"}`` or ``{"query": "queries/x.sql"}``;
- suite ``meta.reads``: other assets the query reads (they must be built before it runs);
- suite ``meta.for_each: "export_kind"``: one validation per export kind, ``{table}`` and the
  other placeholders below filled in the asset, the reads and the query;
- expectation ``meta.name`` (the check is ``gx_<name>``) and ``meta.severity``: ``blocking``
  (a failure holds the publication back) or ``warning`` (recorded only);
- expectation ``meta.label``: ``{"fr": …, "en": …}``, what the check checks in words people
  read (the dashboard shows it instead of the check's name);
- expectation ``meta.for_each: "key_field"``: one expectation per key field of smarketing.yml
  (``key_fields``), ``{field}`` replaced by the field in its strings (name, kwargs,
  description) and ``{field_label}`` in its label by the field's name in the label's language.

An unknown expectation type is not caught here but when GX builds the suite: it is then an
engine error of that check, never a pass.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from smarketing.ingest.registry import export_kinds
from smarketing.labels import VALUES, value_label

EXPECTATIONS_ENV = "SMARKETING_EXPECTATIONS"
DEFAULT_EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
SEVERITIES = ("blocking", "warning")
Severity = Literal["blocking", "warning"]
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
ASSET = re.compile(r"^[a-z_{}]+\.[a-z0-9_{}]+$")
PARAMETER_KEY = "$PARAMETER"
COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")
CHECK_PREFIX = "gx_"
KEY_FIELD = "key_field"
FIELD_PLACEHOLDER = "{field}"
FIELD_LABEL_PLACEHOLDER = "{field_label}"
LANGUAGES = ("fr", "en")


class SuiteError(Exception):
    """A suite file cannot be read or breaks the conventions; the message names file and key."""


def expectations_dir() -> Path:
    """``$SMARKETING_EXPECTATIONS``, else the repository's ``expectations/`` folder."""
    return Path(os.environ.get(EXPECTATIONS_ENV) or DEFAULT_EXPECTATIONS_DIR)


@dataclass(frozen=True)
class ExpectationDef:
    name: str
    type: str
    kwargs: Mapping[str, Any]
    severity: Severity
    description: str | None
    document: Mapping[str, Any]
    """The expectation's JSON object, as GX reads it."""
    label: Mapping[str, str] | None = None
    """What it checks, by language (``meta.label``)."""

    @property
    def check_name(self) -> str:
        return CHECK_PREFIX + self.name

    @property
    def columns(self) -> tuple[str, ...]:
        found: list[str] = []
        for key in COLUMN_KWARGS:
            value = self.kwargs.get(key)
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found.extend(str(v) for v in value)
        return tuple(found)

    @property
    def parameters(self) -> set[str]:
        return {
            value[PARAMETER_KEY]
            for value in self.kwargs.values()
            if isinstance(value, dict) and PARAMETER_KEY in value
        }


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    asset: str
    table: str | None
    query: Path | None
    reads: tuple[str, ...]
    for_each: str | None
    expectations: tuple[ExpectationDef, ...]
    document: Mapping[str, Any]

    def units(self) -> list[SuiteUnit]:
        """The validations this suite stands for: one, or one per export kind."""
        if self.for_each is None:
            return [self._unit({}, self.name)]
        return [
            self._unit(placeholders, f"{self.name}.{placeholders['table']}")
            for placeholders in export_kind_placeholders()
        ]

    def _unit(self, placeholders: Mapping[str, str], label: str) -> SuiteUnit:
        asset = self.asset.format(**placeholders)
        reads = tuple(dict.fromkeys(r.format(**placeholders) for r in self.reads))
        sql = None
        if self.query is not None:
            sql = self.query.read_text(encoding="utf-8")
            if placeholders:
                sql = sql.format(**placeholders)
        table = self.table.format(**placeholders) if self.table is not None else None
        return SuiteUnit(suite=self, label=label, asset=asset, reads=reads, table=table, sql=sql)

    @property
    def columns(self) -> tuple[str, ...] | None:
        """Columns the expectations read; None when a table-level one needs them all."""
        if any(e.type.startswith("expect_table_") for e in self.expectations):
            return None
        return tuple(dict.fromkeys(c for e in self.expectations for c in e.columns)) or None


@dataclass(frozen=True)
class SuiteUnit:
    """One validation: a suite on one dataset (a table or a query), its checks attached to one
    asset."""

    suite: Suite
    label: str
    asset: str
    reads: tuple[str, ...]
    table: str | None
    sql: str | None

    @property
    def asset_path(self) -> tuple[str, str]:
        schema, table = self.asset.split(".", 1)
        return schema, table


def export_kind_placeholders() -> Iterator[dict[str, str]]:
    """What ``{…}`` means in a ``for_each: export_kind`` suite, for each export kind."""
    for kind in export_kinds():
        yield {
            "table": kind.table,
            "raw_table": f"raw.{kind.table}",
            "staging_model": f"staging.stg_{kind.table}",
            "key": kind.key,
        }


def load_suites(
    folder: Path | None = None,
    parameters: set[str] | None = None,
    severities: Mapping[str, str] | None = None,
    key_fields: Sequence[str] | None = None,
) -> list[Suite]:
    """Every ``*.json`` suite under FOLDER (default: ``expectations_dir()``), checked.

    PARAMETERS: the ``$PARAMETER`` names the run supplies; another name is an error.
    SEVERITIES: ``check`` or ``suite.check`` -> severity, over the suites' own (default: the
    ``checks.severities`` of smarketing.yml for the project's own suites, none for others).
    KEY_FIELDS: what ``for_each: key_field`` expands to (default: smarketing.yml's, read only
    when a suite has such an expectation).
    """
    root = folder or expectations_dir()
    paths = sorted(root.rglob("*.json"))
    if not paths:
        raise SuiteError(f"{root}: no expectation suite (*.json) found")

    @cache
    def fields() -> tuple[str, ...]:
        if key_fields is not None:
            return tuple(key_fields)
        from smarketing.config import load_config

        return tuple(load_config().key_fields)

    suites = [_load_suite(path, root, parameters, fields) for path in paths]
    _check_unique(suites)
    if severities is None and folder is None:
        from smarketing.config import load_config

        severities = load_config().checks.severities
    return _with_severities(suites, severities or {})


def check_labels(folder: Path | None = None) -> dict[str, Mapping[str, str]]:
    """What each check of the suites checks (``meta.label``), by check name (``gx_<name>``)
    and language; a key-field check under every key field the warehouse knows."""
    fields = [field for field in VALUES[KEY_FIELD] if field != "key_fields"]
    suites = load_suites(folder, severities={}, key_fields=fields)
    return {
        expectation.check_name: expectation.label
        for suite in suites
        for expectation in suite.expectations
        if expectation.label is not None
    }


def _with_severities(suites: list[Suite], severities: Mapping[str, str]) -> list[Suite]:
    """SUITES with the severities SEVERITIES decide; a key no suite has is an error."""
    used: set[str] = set()

    def decided(suite: Suite, expectation: ExpectationDef) -> ExpectationDef:
        for key in (f"{suite.name}.{expectation.name}", expectation.name):
            if key in severities:
                used.add(key)
                severity = severities[key]
                meta = {**expectation.document.get("meta", {}), "severity": severity}
                return replace(
                    expectation,
                    severity=severity,  # type: ignore[arg-type]
                    document={**expectation.document, "meta": meta},
                )
        return expectation

    changed = [
        replace(suite, expectations=tuple(decided(suite, e) for e in suite.expectations))
        for suite in suites
    ]
    unknown = sorted(set(severities) - used)
    if unknown:
        raise SuiteError(
            f"checks.severities (smarketing.yml) names no check of the suites: {', '.join(unknown)}"
        )
    return changed


def _load_suite(
    path: Path, root: Path, parameters: set[str] | None, key_fields: Callable[[], Sequence[str]]
) -> Suite:
    where = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SuiteError(f"{where}: cannot read the suite: {exc}") from exc
    if not isinstance(document, dict):
        raise SuiteError(f"{where}: a suite is a JSON object")
    name = _require(document, "name", str, where)
    if not NAME.match(name):
        raise SuiteError(f"{where}: name {name!r} must be snake_case (it names checks and pages)")
    meta = _require(document, "meta", dict, where)
    dataset = _require(meta, "dataset", dict, f"{where}: meta")
    table, query = dataset.get("table"), dataset.get("query")
    if (table is None) == (query is None):
        raise SuiteError(f"{where}: meta.dataset needs exactly one of 'table' or 'query'")
    if table is not None and (not isinstance(table, str) or not ASSET.match(table)):
        raise SuiteError(f"{where}: meta.dataset.table must be 'schema.table', got {table!r}")
    query_path = None
    if query is not None:
        query_path = (root / str(query)).resolve()
        if not query_path.is_file():
            raise SuiteError(f"{where}: meta.dataset.query: no file {query_path}")
    asset = meta.get("asset") or table
    if not isinstance(asset, str) or not ASSET.match(asset):
        raise SuiteError(f"{where}: meta.asset must be 'schema.table', got {asset!r}")
    reads = meta.get("reads", [])
    if not isinstance(reads, list) or not all(isinstance(r, str) and ASSET.match(r) for r in reads):
        raise SuiteError(f"{where}: meta.reads must be a list of 'schema.table'")
    if table is not None:
        reads = [table, *reads]
    for_each = meta.get("for_each")
    if for_each not in (None, "export_kind"):
        raise SuiteError(f"{where}: meta.for_each must be 'export_kind' when set, got {for_each!r}")
    items = _require(document, "expectations", list, where)
    if not items:
        raise SuiteError(f"{where}: the suite has no expectation")
    expectations = tuple(
        _load_expectation(each, f"{where}: expectations[{i}]{label}", parameters)
        for i, item in enumerate(items)
        for each, label in _expanded(item, f"{where}: expectations[{i}]", key_fields)
    )
    suite = Suite(
        name=name,
        path=path,
        asset=asset,
        table=table,
        query=query_path,
        reads=tuple(reads),
        for_each=for_each,
        expectations=expectations,
        document=document,
    )
    try:
        suite.units()
    except (KeyError, IndexError, ValueError) as exc:
        names = ", ".join(f"{{{k}}}" for k in next(export_kind_placeholders()))
        raise SuiteError(
            f"{where}: a placeholder of the asset, reads or query is wrong ({exc!r}); only "
            f"suites with meta.for_each use placeholders: {names}"
        ) from exc
    return suite


def _expanded(
    item: Any, where: str, key_fields: Callable[[], Sequence[str]]
) -> list[tuple[Any, str]]:
    """ITEM, or with ``meta.for_each: key_field`` one copy per key field, each with a label."""
    meta = item.get("meta") if isinstance(item, dict) else None
    for_each = meta.get("for_each") if isinstance(meta, dict) else None
    if for_each is None:
        return [(item, "")]
    if for_each != KEY_FIELD:
        raise SuiteError(f"{where}: meta.for_each must be {KEY_FIELD!r} when set, got {for_each!r}")
    if FIELD_PLACEHOLDER not in str(meta.get("name")):
        raise SuiteError(f"{where}: meta.name of a for_each expectation needs {FIELD_PLACEHOLDER}")
    template = {**item, "meta": {k: v for k, v in meta.items() if k != "for_each"}}
    return [
        (_labelled(_filled(template, field), field), f" ({KEY_FIELD} {field})")
        for field in key_fields()
    ]


def _labelled(item: dict[str, Any], field: str) -> dict[str, Any]:
    """ITEM with ``{field_label}`` in its label replaced by FIELD's name in each language."""
    label = item["meta"].get("label")
    if not isinstance(label, dict):
        return item
    named = {
        lang: text.replace(FIELD_LABEL_PLACEHOLDER, value_label(KEY_FIELD, field, lang))
        if isinstance(text, str)
        else text
        for lang, text in label.items()
    }
    return {**item, "meta": {**item["meta"], "label": named}}


def _filled(value: Any, field: str) -> Any:
    """VALUE with ``{field}`` replaced by FIELD in every string it holds."""
    if isinstance(value, str):
        return value.replace(FIELD_PLACEHOLDER, field)
    if isinstance(value, dict):
        return {key: _filled(item, field) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, field) for item in value]
    return value


def _load_expectation(item: Any, where: str, parameters: set[str] | None) -> ExpectationDef:
    if not isinstance(item, dict):
        raise SuiteError(f"{where}: an expectation is a JSON object")
    kind = _require(item, "type", str, where)
    kwargs = _require(item, "kwargs", dict, where)
    meta = _require(item, "meta", dict, where)
    name = _require(meta, "name", str, f"{where}: meta")
    if not NAME.match(name):
        raise SuiteError(f"{where}: meta.name {name!r} must be snake_case")
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        raise SuiteError(
            f"{where} ({name}): meta.severity must be one of {', '.join(SEVERITIES)}, "
            f"got {severity!r}"
        )
    label = meta.get("label")
    if label is not None and not (
        isinstance(label, dict)
        and set(label) == set(LANGUAGES)
        and all(isinstance(text, str) and text.strip() for text in label.values())
    ):
        raise SuiteError(
            f'{where} ({name}): meta.label must be {{"fr": …, "en": …}}, two non-empty '
            f"texts, got {label!r}"
        )
    expectation = ExpectationDef(
        name=name,
        type=kind,
        kwargs=kwargs,
        severity=severity,
        description=item.get("description"),
        document=item,
        label=label,
    )
    unknown = expectation.parameters - parameters if parameters is not None else set()
    if unknown:
        raise SuiteError(
            f"{where} ({name}): unknown $PARAMETER {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(parameters or ()))}"
        )
    return expectation


def _require(mapping: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = mapping.get(key)
    if not isinstance(value, kind):
        raise SuiteError(f"{where}: '{key}' is required ({kind.__name__})")
    return value


def _check_unique(suites: list[Suite]) -> None:
    names: dict[str, Path] = {}
    checks: dict[tuple[str, str], str] = {}
    for suite in suites:
        if suite.name in names:
            raise SuiteError(f"{suite.path}: suite name {suite.name!r} also in {names[suite.name]}")
        names[suite.name] = suite.path
        for unit in suite.units():
            for expectation in suite.expectations:
                key = (unit.asset, expectation.check_name)
                if key in checks:
                    raise SuiteError(
                        f"{suite.path}: check {expectation.check_name} on {unit.asset} is also "
                        f"defined by suite {checks[key]}: names must be unique per asset"
                    )
                checks[key] = suite.name
