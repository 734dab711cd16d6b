"""Pieces every page uses: the publication banner, tables with a CSV download, and the
message shown instead of a section whose mart is not in the warehouse yet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import publication, warehouse
from dashboards.i18n import format_datetime, t

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
        held = t(
            "banner.held_back",
            when=format_datetime(status.held_back_at),
            reason=status.held_back_reason or "",
        )
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


def column_formats(frame: pd.DataFrame) -> dict[str, Any]:
    """Display formats read from the marts' column names: months as months, shares as
    percentages. Only the display changes; the CSV keeps the marts' values."""
    formats: dict[str, Any] = {}
    for column in frame.columns:
        name = str(column)
        if name.endswith("_month") and pd.api.types.is_datetime64_any_dtype(frame[column]):
            formats[name] = st.column_config.DateColumn(format="YYYY-MM")
        elif SHARE_COLUMN.search(name) and pd.api.types.is_float_dtype(frame[column]):
            formats[name] = st.column_config.NumberColumn(format="percent")
    return formats


def table(frame: pd.DataFrame, name: str) -> None:
    """A table and the button to download it as CSV (UTF-8 with a BOM, so Excel reads the
    accents); downloading does not rerun the page."""
    st.dataframe(frame, hide_index=True, column_config=column_formats(frame))
    st.download_button(
        t("download.csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
        icon=":material/download:",
    )
