"""2 Funnel: entries into each stage over the period (the metric layer's stage counts), month
by month (marts.fct_funnel_periods), and cohort
conversion within 30 / 90 / 180 days of the MQL (marts.fct_funnel_cohorts), by segment,
channel, campaign, offer and team."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, filters, metrics, ui, warehouse
from dashboards.i18n import t, value_label

PERIODS = "marts.fct_funnel_periods"
COHORTS = "marts.fct_funnel_cohorts"
STAGES = ("created", "mql", "handoff", "sal", "sql", "opportunity", "won")
RATIOS = ("mql_to_sql_rate", "handoff_to_sal_rate", "sql_to_opportunity_rate", "win_rate")
COHORT_WINDOWS = ("30d", "90d", "180d")
# the filters as the metric layer's dimensions (dbt/models/semantic/)
DIMENSIONS = {
    "segment": "lead__segment",
    "channel": "lead__channel",
    "campaign_name": "lead_cycle__campaign_name",
    "offer": "lead_cycle__offer",
    "team": "lead_cycle__team",
}


def local_filters() -> dict[str, str]:
    """Campaign and offer: this page's own breakdowns, beside the shared ones."""
    left, right = st.columns(2)
    with left:
        campaign = filters.select(
            t("filter.campaign_name"), filters.options("campaign_name"), "funnel_campaign"
        )
    with right:
        offer = filters.select(t("filter.offer"), filters.options("offer"), "funnel_offer")
    return {"campaign_name": campaign, "offer": offer}


def stage_entries(chosen: filters.Filters, local: dict[str, str]) -> pd.DataFrame:
    """Entries into each stage over the period, from the metric layer: each stage's count
    over the months of the period, for the filters."""
    where = metrics.filter_dimensions(chosen, DIMENSIONS, local)
    totals = metrics.query(
        [f"{stage}_count" for stage in STAGES], where=where, months=(chosen.start, chosen.end)
    )
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "entries": [int(totals.iloc[0][f"{stage}_count"]) for stage in STAGES],
        }
    )


def periods(chosen: filters.Filters, local: dict[str, str]) -> pd.DataFrame:
    where, params = filters.cube_where(chosen, local)
    counts = ", ".join(f"{stage}_count" for stage in STAGES)
    return warehouse.query(
        f"""
        select period_month, {counts}, won_amount, {", ".join(RATIOS)}
        from {PERIODS} where {where} and period_month between ? and ?
        order by period_month desc
        """,
        [*params, chosen.start, chosen.end],
    )


def cohorts(chosen: filters.Filters, local: dict[str, str]) -> pd.DataFrame:
    where, params = filters.cube_where(chosen, local)
    rates = ", ".join(
        f"{stage}_within_{window}_rate" for stage in ("sql", "won") for window in COHORT_WINDOWS
    )
    complete = ", ".join(f"is_complete_{window}" for window in COHORT_WINDOWS)
    return warehouse.query(
        f"""
        select mql_month, mql_count, {rates}, mql_to_sql_rate, {complete}
        from {COHORTS} where {where} and mql_month between ? and ?
        order by mql_month desc
        """,
        [*params, chosen.start, chosen.end],
    )


def render() -> None:
    st.title(t("page.funnel"))
    chosen = filters.current()
    if not ui.require(PERIODS) or not ui.require_period(chosen.end):
        return
    local = local_filters()
    with ui.guarded():
        st.subheader(t("funnel.stages"))
        entries = stage_entries(chosen, local)
        entries["label"] = [value_label("stage", stage) for stage in entries["stage"]]
        order = [value_label("stage", stage) for stage in STAGES]
        charts.funnel(entries, "label", "entries", order)
        ui.table(entries[["stage", "entries"]], "funnel_stage_entries")
        st.subheader(t("funnel.by_month"))
        monthly = periods(chosen, local)
        charts.lines(monthly, "period_month", RATIOS, percent=True)
        ui.table(monthly, "funnel_periods")
    st.subheader(t("funnel.cohorts"))
    st.caption(t("funnel.cohorts_help"))
    if not ui.require(COHORTS):
        return
    with ui.guarded():
        cohort = cohorts(chosen, local)
        charts.lines(
            cohort,
            "mql_month",
            [f"sql_within_{window}_rate" for window in COHORT_WINDOWS],
            percent=True,
        )
        ui.table(cohort, "funnel_cohorts")


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
