"""The few chart shapes the pages draw (Altair, shipped with Streamlit)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import columns, ui
from dashboards.i18n import defined_labels, language


def _named(frame: pd.DataFrame, *names: str) -> pd.DataFrame:
    """FRAME with the values of columns NAMES as people read them: a code by its name, a
    column's name (a melted series) by its heading."""
    shown = frame.copy()
    lang = language()
    defined = defined_labels()
    for name in names:
        if name in ui.CODE_COLUMNS:
            shown[name] = [ui.code_label(name, value, defined) for value in shown[name]]
        else:
            shown[name] = [
                columns.label(value, lang) or value if isinstance(value, str) else value
                for value in shown[name]
            ]
    return shown


def _named_order(frame: pd.DataFrame, name: str, order: Sequence[str]) -> list[str]:
    return list(_named(pd.DataFrame({name: list(order)}), name)[name])


def funnel(frame: pd.DataFrame, stage: str, count: str, order: Sequence[str]) -> None:
    """Horizontal bars, widest stage first, each with its count."""
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{stage}:N", sort=list(order), title=None),
        x=alt.X(f"{count}:Q", title=None),
    )
    chart = base.mark_bar() + base.mark_text(align="left", dx=4).encode(text=f"{count}:Q")
    st.altair_chart(chart, width="stretch")


def lines(frame: pd.DataFrame, x: str, series: Sequence[str], *, percent: bool = False) -> None:
    """One line per column of SERIES over X (months)."""
    if frame.empty:
        return
    long = frame.melt(id_vars=[x], value_vars=list(series), var_name="series", value_name="value")
    long = _named(long, "series")
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="%" if percent else "~s")),
            color=alt.Color("series:N", title=None),
            tooltip=[f"{x}:T", "series:N", alt.Tooltip("value:Q", format=".4~f")],
        )
    )
    st.altair_chart(chart, width="stretch")


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    order: Sequence[str] | None = None,
    color: str | None = None,
    percent: bool = False,
) -> None:
    """Vertical bars of Y per X (stacked by COLOR when given)."""
    if frame.empty:
        return
    if order:
        order = _named_order(frame, x, order)
    frame = _named(frame, *([x, color] if color else [x]))
    encoding = {
        "x": alt.X(f"{x}:N", sort=list(order) if order else "-y", title=None),
        "y": alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format="%" if percent else "~s")),
        "tooltip": list(frame.columns),
    }
    if color:
        encoding["color"] = alt.Color(f"{color}:N", title=None)
    st.altair_chart(alt.Chart(frame).mark_bar().encode(**encoding), width="stretch")


def grouped_bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    order: Sequence[str],
    percent: bool = False,
) -> None:
    """Bars of Y per X, side by side for each GROUP."""
    if frame.empty:
        return
    order = _named_order(frame, x, order)
    frame = _named(frame, x, group)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=list(order), title=None),
            xOffset=alt.XOffset(f"{group}:N"),
            y=alt.Y(f"{y}:Q", title=None, axis=alt.Axis(format="%" if percent else "~s")),
            color=alt.Color(f"{group}:N", title=None),
            tooltip=[x, group, y],
        )
    )
    st.altair_chart(chart, width="stretch")


def pareto(frame: pd.DataFrame, category: str, count: str, cumulative: str, rank: str) -> None:
    """Bars of COUNT per CATEGORY in the order of RANK, and the CUMULATIVE share as a line
    (both the mart's columns: nothing is added up here)."""
    if frame.empty:
        return
    frame = _named(frame, category)
    order = frame.sort_values(rank)[category].tolist()
    base = alt.Chart(frame).encode(x=alt.X(f"{category}:N", sort=order, title=None))
    chart = alt.layer(
        base.mark_bar().encode(y=alt.Y(f"{count}:Q", title=None)),
        base.mark_line(point=True, color="#d62728").encode(
            y=alt.Y(f"{cumulative}:Q", title=None, axis=alt.Axis(format="%"))
        ),
    ).resolve_scale(y="independent")
    st.altair_chart(chart, width="stretch")


def target_lines(frame: pd.DataFrame, x: str, actual: str, target: str) -> None:
    """Actual as bars, target as a line, over X (months)."""
    if frame.empty:
        return
    base = alt.Chart(frame).encode(x=alt.X(f"{x}:T", title=None))
    chart = alt.layer(
        base.mark_bar(opacity=0.7).encode(y=alt.Y(f"{actual}:Q", title=None)),
        base.mark_line(point=True, color="#d62728").encode(y=alt.Y(f"{target}:Q")),
    )
    st.altair_chart(chart, width="stretch")


def heatmap(
    frame: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    text: str,
    *,
    x_order: Sequence[str],
    y_order: Sequence[str],
) -> None:
    """One cell per X and Y coloured by VALUE (a share: red low, green high) and written with
    TEXT (the value in the language's format, written by the page)."""
    if frame.empty:
        return
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", sort=list(x_order), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{y}:N", sort=list(y_order), title=None, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            f"{value}:Q",
            # below half the hand-offs in time, every cell is as red
            scale=alt.Scale(scheme="redyellowgreen", domain=[0.5, 1], clamp=True),
            legend=None,
        ),
        tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{text}:N")],
    )
    labels = base.mark_text(fontSize=11).encode(text=f"{text}:N")
    st.altair_chart(
        (cells + labels).properties(height=max(160, 28 * len(y_order))), width="stretch"
    )
