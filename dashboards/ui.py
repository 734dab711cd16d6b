"""Pieces every page uses: the publication banner, tables with a CSV download, and the
message shown instead of a section whose mart is not in the warehouse yet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import columns, publication, warehouse
from dashboards.i18n import MISSING, defined_labels, format_datetime, is_missing, language, t
from smarketing import formats
from smarketing import labels as value_labels

# Columns shown as percentages, by the marts' naming convention (dbt/models/marts/README.md):
# rates, shares and ratios.
SHARE_COLUMN = re.compile(r"_(rate|share|ratio)$")
STATUS_COLOURS = {"on_track": "green", "at_risk": "orange", "off_track": "red"}


def banner() -> None:
    """When the data was published, whether the last run passed its checks, the definition's
    version."""
    try:
        status = publication.status()
    except warehouse.WarehouseUnavailable:
        status = publication.Publication(None, None)
    when = format_datetime(status.published_at) if status.published_at else t("banner.never")
    if status.checks_passed is None:
        checks = t("banner.checks_not_recorded")
    elif status.checks_passed:
        checks = t("banner.checks_passed")
        if status.warnings:
            checks += " " + t("banner.warnings", count=status.warnings)
    else:
        checks = t("banner.checks_failed")
    text = t("banner.text", when=when, checks=checks)
    try:
        as_of = publication.data_as_of()
    except warehouse.WarehouseUnavailable:
        as_of = None
    if as_of is not None:
        text += " · " + t("banner.as_of", when=format_datetime(as_of))
    try:
        version = publication.definition_version()
    except warehouse.WarehouseUnavailable:
        version = None
    if version:
        text += " · " + t("banner.definition", version=version)
    if warehouse.is_restricted():
        text += " · " + t("banner.role_restricted")
    if status.held_back_at is not None:
        held = t("banner.held_back", when=format_datetime(status.held_back_at))
        st.warning(f"{text}  \n{held}", icon=":material/warning:")
    else:
        st.caption(f":material/database: {text}")


def missing(name: str) -> None:
    st.info(t("missing.table", name=name), icon=":material/hourglass_empty:")


def require_period(end: object) -> bool:
    """Whether the shared period is set; without one (no month in the warehouse) say so."""
    if end is None:
        st.info(t("filter.no_months"), icon=":material/hourglass_empty:")
        return False
    return True


def require(*names: str) -> bool:
    """Whether every table NAMES is in the warehouse; says which one is not, otherwise."""
    for name in names:
        if not warehouse.has_relation(name):
            missing(name)
            return False
    return True


@contextmanager
def guarded() -> Iterator[None]:
    """Run a section; if its mart is missing or lacks a column (a warehouse built before the
    mart changed), say so in place of the section rather than failing the page."""
    try:
        yield
    except warehouse.WarehouseUnavailable as error:
        st.info(t("missing.rebuild", detail=str(error)), icon=":material/hourglass_empty:")


# columns holding a code of the marts, and the kind of its names (smarketing/labels.py)
CODE_COLUMNS = {
    "segment": "segment",
    "channel": "channel",
    "team": "team",
    "owner_name": "owner_name",
    "stage": "stage",
    "status": "status",
    "frozen_status": "status",
    "live_status": "status",
    "disqualification_reason": "reason",
    "closed_by": "closed_by",
    "kind": "timeline_kind",
    "field": "key_field",
    "record_sources": "record_sources",
    "match_rule": "match_rule",
    "response_bucket": "response_bucket",
    "source_system": "source_system",
    "source_entity": "source_entity",
    "severity": "severity",
}
# a status column of the audit tables holds a load's or a publication's state, not a KPI's
STATUS_KINDS = ("status", "load", "publication", "check_status")
YES_NO = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}


def code_label(name: str, value: Any, names: value_labels.Defined | None = None) -> str:
    """The name of VALUE of the code column NAME in the language (NAMES: smarketing.yml's,
    read once per table)."""
    if names is None:
        names = defined_labels()
    lang = language()
    if name == "status" and not is_missing(value):
        for kind in STATUS_KINDS:
            if str(value) in value_labels.VALUES[kind]:
                return value_labels.value_label(kind, value, lang, names)
    return value_labels.value_label(CODE_COLUMNS[name], value, lang, names)


def _formatter(name: str, column: pd.Series, names: value_labels.Defined) -> Any:
    """How a value of column NAME is written for people, by the marts' naming convention
    (dbt/models/marts/README.md) and its type; None: as it is."""
    lang = language()
    if name in CODE_COLUMNS:
        return lambda value: code_label(name, value, names)
    if name == "column_name":  # a check's column: by its heading
        return lambda value: columns.label(str(value), lang) or str(value)
    if pd.api.types.is_bool_dtype(column):
        return lambda value: YES_NO[lang][0 if value else 1]
    if pd.api.types.is_datetime64_any_dtype(column):
        if name.endswith("_month"):
            return lambda value: formats.month(value, lang)
        if getattr(column.dtype, "tz", None) is not None:
            return format_datetime
        return lambda value: formats.day(value, lang)
    if pd.api.types.is_numeric_dtype(column):
        if SHARE_COLUMN.search(name):
            return lambda value: formats.percent(value, lang)
        if pd.api.types.is_integer_dtype(column) or name.endswith(("_count", "_rank")):
            return lambda value: formats.integer(value, lang)
        return lambda value: formats.number(value, lang, 2 if name.endswith("_value") else 1)
    return None


def value_for_people(name: str, value: Any) -> str:
    """One value of column NAME as people read it (a lead's field, shown one per line)."""
    if name in CODE_COLUMNS:
        return code_label(name, value)
    if is_missing(value):
        return MISSING
    column = pd.Series([value])
    write = _formatter(name, column, {})
    return str(value) if write is None else str(write(value))


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME as people read it, column by column: codes by their names, shares as
    percentages, numbers, months and dates in the language's formats, yes and no. The
    columns keep the marts' names (their headings are ``headings``)."""
    shown = frame.copy()
    names = defined_labels()
    for column in shown.columns:
        write = _formatter(str(column), shown[column], names)
        if write is not None:
            shown[column] = [
                MISSING if is_missing(value) and str(column) not in CODE_COLUMNS else write(value)
                for value in shown[column]
            ]
    return shown


def headings(frame: pd.DataFrame, raw: pd.DataFrame | None = None) -> dict[str, Any]:
    """Each column's heading in the language (dashboards/columns.py), numbers aligned right
    (those a page wrote itself too: a column of RAW, the values it wrote them from, that holds
    numbers); a team's custom field reads as its words."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        name = str(column)
        numeric = name not in CODE_COLUMNS and any(
            column in values and pd.api.types.is_numeric_dtype(values[column])
            for values in (frame, raw if raw is not None else frame)
        )
        config[name] = st.column_config.TextColumn(
            columns.label(name, language()) or value_labels.humanise(name),
            alignment="right" if numeric else "left",
        )
    return config


def table(frame: pd.DataFrame, name: str, shown: pd.DataFrame | None = None) -> None:
    """A table for people (``for_people``, ``headings``) and the button to download it as CSV
    with the marts' names and values (UTF-8 with a BOM, so Excel reads the accents);
    downloading does not rerun the page. SHOWN: what to show instead of FRAME (values a page
    wrote itself, a KPI in its unit)."""
    shown = frame if shown is None else shown
    st.dataframe(for_people(shown), hide_index=True, column_config=headings(shown, frame))
    st.download_button(
        t("download.csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
        icon=":material/download:",
    )
