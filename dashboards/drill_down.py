"""A KPI tile's drill-down: the breakdown behind the KPI's value of the month (each segment,
channel, team and owner with its value, volume and contribution to the distance to target,
worst first), then the leads behind one group, as the metric layer holds them. The figures are
the metric layer's (the committee pack's explanations are the same computation)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import metrics, ui, warehouse
from dashboards.i18n import format_int, format_kpi, kpi_label, month_label, t, value_label
from smarketing.pack.content import BREAKDOWNS

LEADS = "marts.dim_leads"
KPIS = "config.committee_kpis"
LEADS_SHOWN = 200


def kpi_row(row: pd.Series) -> dict[str, Any]:
    """The KPI of a scorecard row with its metric (the registry's)."""
    metric = warehouse.scalar(f"select metric from {KPIS} where kpi = ?", [row["kpi"]])
    return {**row.to_dict(), "metric": metric or row["kpi"]}


def breakdown_table(kpi: dict[str, Any], members: list[dict[str, Any]]) -> pd.DataFrame:
    unit = kpi["unit"]
    ratio = any(member["contribution"] is not None for member in members)
    frame = pd.DataFrame(
        {
            "group": [value_label(m["breakdown"], m["member"]) for m in members],
            "value": [format_kpi(unit, m["value"]) for m in members],
        }
    )
    if ratio:
        frame["denominator"] = [format_int(m["denominator"]) for m in members]
        frame["contribution"] = [format_kpi(unit, m["contribution"], signed=True) for m in members]
    else:
        frame["gap"] = [format_kpi(unit, m.get("gap"), signed=True) for m in members]
    return frame


def leads_table(rows: list[dict[str, Any]], counted: str) -> pd.DataFrame:
    """The leads of ROWS (the metric layer's, by lead) with what the warehouse knows of them."""
    ids = [row["lead"] for row in rows][:LEADS_SHOWN]
    if not ids:
        return pd.DataFrame(columns=["unified_lead_id", "company", "segment", "owner_name"])
    leads = warehouse.query(
        f"""
        select unified_lead_id, company, segment, owner_name from {LEADS}
        where list_contains(?, unified_lead_id) order by unified_lead_id
        """,
        [ids],
    )
    in_kpi = {row["lead"]: bool(row.get(counted)) for row in rows}
    leads["counts_towards_kpi"] = [in_kpi.get(lead, False) for lead in leads["unified_lead_id"]]
    return leads


def render(row: pd.Series, month: date) -> None:
    kpi = kpi_row(row)
    st.caption(t("drill.help", month=month_label(month)))
    with ui.guarded():
        layer = metrics.breakdowns()
        members = layer.explain(kpi, month, against_only=False)
        if not members:
            st.info(t("drill.none"))
            return
        names = [name for name in BREAKDOWNS if any(m["breakdown"] == name for m in members)]
        tabs = st.tabs([value_label("breakdown", name) for name in names])
        for tab, name in zip(tabs, names, strict=True):
            of_name = [m for m in members if m["breakdown"] == name]
            with tab:
                ui.table(
                    pd.DataFrame(of_name),
                    f"drill_{kpi['kpi']}_{name}_{month:%Y-%m}",
                    shown=breakdown_table(kpi, of_name),
                )
        render_leads(layer, kpi, month, members)


def render_leads(layer: Any, kpi: dict[str, Any], month: date, members: list[dict]) -> None:
    st.markdown(f"**{t('drill.leads')}**")
    choices = [m for m in members if m["member"] is not None]
    chosen = st.selectbox(
        t("drill.group"),
        range(len(choices)),
        format_func=lambda index: (
            f"{value_label('breakdown', choices[index]['breakdown'])} · "
            f"{value_label(choices[index]['breakdown'], choices[index]['member'])}"
        ),
        key=f"drill_group_{kpi['kpi']}",
    )
    if chosen is None:
        return
    member = choices[chosen]
    rows = layer.leads(kpi, month, member["dimension"], member["member"])
    if rows is None:
        st.caption(t("drill.no_leads"))
        return
    parts = layer.ratio_parts(kpi["metric"])
    counted = parts[0] if parts else kpi["metric"]
    leads = leads_table(rows, counted)
    st.caption(t("drill.leads_count", count=format_int(len(rows)), shown=LEADS_SHOWN))
    ui.table(leads, f"drill_{kpi['kpi']}_leads_{month:%Y-%m}")


def open_dialog(row: pd.Series, month: date) -> None:
    """The drill-down of ROW's KPI in a dialog over the page."""
    title = f"{kpi_label(row)} · {month_label(month)}"
    st.dialog(title, width="large")(render)(row, month)
