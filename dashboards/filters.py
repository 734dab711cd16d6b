"""The filters every page shares (period, segment, channel, team), kept in the sidebar.

The metric marts are grouped with CUBE(segment, channel, campaign_name, offer, team): each
combination of filter values is one ready row, '(all)' meaning every value. A filter is
therefore a row selection, never a computation. Row-level facts (one row per hand-off, per
lead) are filtered on the same values, '(unknown)' standing for an empty value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from dashboards import warehouse
from dashboards.i18n import labels, language, month_label, t

ALL = "(all)"
UNKNOWN = "(unknown)"
CUBE_COLUMNS = ("segment", "channel", "campaign_name", "offer", "team")
SHARED = ("segment", "channel", "team")
# The widest metric mart: its months and breakdown values are the filters' options.
OPTIONS_TABLE = "marts.fct_funnel_periods"


@dataclass(frozen=True)
class Filters:
    start: date | None
    """First month of the period (first day of the month); None when no month is known."""
    end: date | None
    """Last month of the period: the month the committee looks at."""
    segment: str = ALL
    channel: str = ALL
    team: str = ALL

    def value(self, column: str) -> str:
        return getattr(self, column) if column in SHARED else ALL


def cube_where(
    filters: Filters, local: dict[str, str] | None = None, columns: Sequence[str] = CUBE_COLUMNS
) -> tuple[str, list[Any]]:
    """`col = ?` for each CUBE column: the shared filters, LOCAL ones (campaign, offer), else
    '(all)'. Column names come from the constant CUBE_COLUMNS, never from input."""
    local = local or {}
    clauses, params = [], []
    for column in columns:
        if column not in CUBE_COLUMNS:
            raise ValueError(f"not a breakdown column: {column}")
        clauses.append(f"{column} = ?")
        params.append(local.get(column, filters.value(column)))
    return " and ".join(clauses), params


def row_where(
    filters: Filters, columns: dict[str, str], local: dict[str, str] | None = None
) -> tuple[str, list[Any]]:
    """Filter clauses for a row-level fact: COLUMNS maps a filter (segment, channel, team,
    campaign_name, offer) to the SQL expression holding it; an empty value is '(unknown)'."""
    local = local or {}
    clauses, params = [], []
    for name, expression in columns.items():
        wanted = local.get(name, filters.value(name))
        if wanted == ALL:
            continue
        clauses.append(f"coalesce(cast({expression} as varchar), '{UNKNOWN}') = ?")
        params.append(wanted)
    return (" and ".join(clauses) or "true"), params


def months() -> list[date]:
    """Every month the funnel has, oldest first."""
    if not warehouse.has_relation(OPTIONS_TABLE):
        return []
    where, params = cube_where(Filters(None, None))
    frame = warehouse.query(
        f"select distinct period_month from {OPTIONS_TABLE} where {where} order by 1", params
    )
    return [value.date() for value in frame["period_month"]]


def options(column: str) -> list[str]:
    """The values of breakdown COLUMN in the metric marts, '(all)' first, '(unknown)' last."""
    if column not in CUBE_COLUMNS or not warehouse.has_relation(OPTIONS_TABLE):
        return [ALL]
    # One query for every breakdown: each query costs a connection.
    union = " union all ".join(
        f"select distinct '{name}' as breakdown, {name} as value from {OPTIONS_TABLE}"
        for name in CUBE_COLUMNS
    )
    frame = warehouse.query(
        f"select breakdown, value from ({union}) where value <> ? order by value = ?, value",
        [ALL, UNKNOWN],
    )
    return [ALL, *frame.loc[frame["breakdown"] == column, "value"]]


def label(value: str) -> str:
    if value == ALL:
        return t("filter.all")
    if value == UNKNOWN:
        return t("filter.unknown")
    return value


def select(title: str, choices: list[str], name: str) -> str:
    """A selectbox of breakdown values whose choice survives a page or language switch.

    Streamlit keeps a selectbox's choice as its label, which the language switch changes:
    the widget is keyed per language, and the choice is kept apart, in session_state[NAME]."""
    chosen = st.session_state.get(name, ALL)
    key = f"{name}_{language()}"
    if st.session_state.get(key, chosen) not in choices:
        st.session_state.pop(key, None)  # a value a new build no longer has
    value: str = st.selectbox(
        title,
        choices,
        index=choices.index(chosen) if chosen in choices else 0,
        format_func=labels(choices, label),
        key=key,
    )
    st.session_state[name] = value
    return value


def sidebar() -> Filters:
    """Draw the shared filters in the sidebar (the app's frame, so on every page) and
    return them. Widget keys keep the choice in st.session_state across pages."""
    with st.sidebar:
        st.subheader(t("filter.title"))
        available = months()
        start = end = None
        if available:
            # A choice a new build no longer offers goes back to the default: the last year.
            if any(month not in available for month in st.session_state.get("filter_period", ())):
                del st.session_state["filter_period"]
            start, end = st.select_slider(
                t("filter.period"),
                options=available,
                value=(available[max(0, len(available) - 12)], available[-1]),
                format_func=labels(available, month_label),
                key="filter_period",
            )
        else:
            st.caption(t("filter.no_months"))
        values = {
            column: select(t(f"filter.{column}"), options(column), f"filter_{column}")
            for column in SHARED
        }
    return Filters(start=start, end=end, **values)


def current() -> Filters:
    """The filters drawn by the frame in this run (pages read them, never draw them)."""
    return st.session_state.get("_filters") or Filters(None, None)
