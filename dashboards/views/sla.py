"""3 SLA: first-touch response times and the open breaches (marts.fct_sla_lead_response),
compliance by team and owner and feedback coverage by team (marts.fct_sla_compliance), what
slowness costs (marts.fct_speed_to_lead), rejection reasons (marts.fct_rejection_reasons) and
MQL volume against its target (marts.fct_sla_volume).

Compliance and coverage are the mart's, month by month: a ratio of several months is never
recomputed here. The Pareto shows the mart's all-months rows when the period is the whole
history, else the rows of the period's last month.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import charts, filters, metrics, ui, warehouse
from dashboards.i18n import format_percent, month_label, t, value_label

RESPONSES = "marts.fct_sla_lead_response"
COMPLIANCE = "marts.fct_sla_compliance"
SPEED = "marts.fct_speed_to_lead"
REASONS = "marts.fct_rejection_reasons"
VOLUME = "marts.fct_sla_volume"
LEADS = "marts.dim_leads"
# The SLA marts' breakdowns besides the month: the CUBE columns they share with the filters.
SLA_FILTERS = ("segment", "channel")
REASON_FILTERS = ("segment", "channel", "team")
OUTCOME_COLUMNS = (
    "handoff_count",
    "met_count",
    "breached_count",
    "breached_open_count",
    "pending_count",
    "sla_compliance_rate",
)
FEEDBACK_COLUMNS = (
    "handoff_count",
    "feedback_due_count",
    "feedback_complete_count",
    "feedback_on_time_count",
    "feedback_late_count",
    "feedback_missing_count",
    "feedback_coverage_rate",
)
# the metric layer's names (dbt/models/semantic/sem_sla_responses.yml, sem_committee_groups.yml)
MONTH = "metric_time__month"
RESPONSE_BIN = "sla_response__response_time_bin"
RESPONSE_BIN_LABEL = "sla_response__response_time_bin_label"
RESPONSE_DIMENSIONS = {
    "segment": "sla_response__segment",
    "team": "sla_response__team",
    "channel": "lead__channel",
}
SPEED_CELL = "speed_to_lead_cell"
SPEED_MEASURES = {
    "speed_to_lead_handoff_count": "handoff_count",
    "speed_to_lead_sql_count": "sql_count",
    "speed_to_lead_won_count": "won_count",
}
VOLUME_CELL = "mql_volume_cell"


def responses_where(chosen: filters.Filters) -> tuple[str, list]:
    """Hand-offs matching the filters; the channel is the lead's (dim_leads.channel), as in
    every other SLA mart."""
    return filters.row_where(
        chosen, {"segment": "r.segment", "team": "r.team", "channel": "l.channel"}
    )


def response_histogram(chosen: filters.Filters) -> pd.DataFrame:
    """Hand-offs touched over the period by response time (the metric layer's 4-hour bins)."""
    where = metrics.filter_dimensions(chosen, RESPONSE_DIMENSIONS)
    return metrics.query(
        ["touched_handoff_count"],
        group_by=[RESPONSE_BIN, RESPONSE_BIN_LABEL],
        where=where,
        months=(chosen.start, chosen.end),
        order_by=[RESPONSE_BIN],
    )


def sla_rows(
    chosen: filters.Filters, measures: tuple[str, ...], *, owners: bool = False
) -> pd.DataFrame:
    """The rows of marts.fct_sla_compliance for each month of the period and the segment and
    channel filters: one per team, with the '(all)' row of all of Sales first (or, OWNERS,
    one per owner); the team filter keeps that team's rows. MEASURES are the mart's columns,
    shown as they are."""
    where, params = filters.cube_where(chosen, columns=SLA_FILTERS)
    keys = "handoff_month, team, owner_id, owner_name" if owners else "handoff_month, team"
    team = "true" if chosen.team == filters.ALL else "team = ?"
    return warehouse.query(
        f"""
        select {keys}, {", ".join(measures)}
        from {COMPLIANCE}
        where {where} and owner_id {"<>" if owners else "="} ? and {team}
            and handoff_month between ? and ?
        order by handoff_month desc, team <> ?, {keys}
        """,
        [
            *params,
            filters.ALL,
            *([] if chosen.team == filters.ALL else [chosen.team]),
            chosen.start,
            chosen.end,
            filters.ALL,
        ],
    )


def open_breaches(chosen: filters.Filters) -> pd.DataFrame:
    """Every hand-off still untouched past its limit, whatever the period: they are open now."""
    where, params = responses_where(chosen)
    return warehouse.query(
        f"""
        select
            r.unified_lead_id, r.cycle, l.first_name, l.last_name, l.company, r.segment,
            l.channel, r.owner_name, r.team, r.handoff_at, r.business_hours_elapsed,
            r.limit_business_hours
        from {RESPONSES} as r
        left join {LEADS} as l using (unified_lead_id)
        where r.outcome = 'breached_open' and {where}
        order by r.business_hours_elapsed desc, r.unified_lead_id
        """,
        params,
    )


def speed_to_lead(chosen: filters.Filters) -> pd.DataFrame:
    where, params = filters.cube_where(chosen)
    return warehouse.query(
        f"""
        select handoff_month, response_bucket, bucket_order, handoff_count, sql_count,
            won_count, sql_rate, win_rate
        from {SPEED} where {where} and handoff_month between ? and ?
        order by handoff_month desc, bucket_order
        """,
        [*params, chosen.start, chosen.end],
    )


def speed_totals(chosen: filters.Filters) -> pd.DataFrame:
    """Hand-offs, SQLs and wins per bucket over the period (the metric layer's counts over
    the months of the period), one row per bucket and measure."""
    where = metrics.filter_dimensions(
        chosen, {name: f"{SPEED_CELL}__{name}" for name in filters.CUBE_COLUMNS}
    )
    totals = metrics.query(
        list(SPEED_MEASURES),
        group_by=[f"{SPEED_CELL}__bucket_order", f"{SPEED_CELL}__response_bucket"],
        where=where,
        months=(chosen.start, chosen.end),
        order_by=[f"{SPEED_CELL}__bucket_order"],
    )
    totals = totals.rename(
        columns={
            f"{SPEED_CELL}__bucket_order": "bucket_order",
            f"{SPEED_CELL}__response_bucket": "response_bucket",
            **SPEED_MEASURES,
        }
    )
    return totals[["bucket_order", "response_bucket", *SPEED_MEASURES.values()]].melt(
        id_vars=["bucket_order", "response_bucket"], var_name="measure", value_name="count"
    )


def reasons_month(chosen: filters.Filters) -> date | None:
    """Which rows of the Pareto mart: None (its all-months rows) when the period is the whole
    history, else the period's last month. Shares of several months are never recomputed."""
    history = filters.months()
    if history and (chosen.start, chosen.end) == (history[0], history[-1]):
        return None
    return chosen.end


def rejection_reasons(chosen: filters.Filters, month: date | None) -> pd.DataFrame:
    """The mart's reasons of MONTH (None: all months) for the filters, in Pareto order."""
    where, params = filters.cube_where(chosen, columns=REASON_FILTERS)
    return warehouse.query(
        f"""
        select disqualification_reason, disqualified_count, nurtured_count, rejected_count,
            reason_rank, reason_share, cumulative_share
        from {REASONS}
        where period_month is not distinct from ? and {where}
        order by reason_rank
        """,
        [month, *params],
    )


def volume(chosen: filters.Filters) -> pd.DataFrame:
    """The mart's segment x channel cells (campaign '(all)') of the period."""
    clauses, params = filters.row_where(chosen, {"segment": "segment", "channel": "channel"})
    return warehouse.query(
        f"""
        select period_month, segment, channel, mql_count, mql_target_count, attainment_ratio,
            gap_to_target_count, is_month_in_progress
        from {VOLUME}
        where campaign_name = ? and {clauses} and period_month between ? and ?
        order by period_month desc, segment, channel
        """,
        [filters.ALL, *params, chosen.start, chosen.end],
    )


def volume_totals(chosen: filters.Filters) -> pd.DataFrame:
    """MQLs and their target month by month for the segment and channel filters (the metric
    layer's sums of the mart's cells)."""
    where = metrics.filter_dimensions(
        chosen, {name: f"{VOLUME_CELL}__{name}" for name in ("segment", "channel")}
    )
    totals = metrics.query(
        ["volume_mql_count", "mql_volume_target"],
        group_by=[MONTH],
        where=where,
        months=(chosen.start, chosen.end),
        order_by=[MONTH],
    )
    return totals.rename(
        columns={
            MONTH: "period_month",
            "volume_mql_count": "mql_count",
            "mql_volume_target": "mql_target_count",
        }
    )[["period_month", "mql_count", "mql_target_count"]]


def render_distribution(chosen: filters.Filters) -> None:
    histogram = response_histogram(chosen)
    labels = histogram[RESPONSE_BIN_LABEL].tolist()
    charts.bars(histogram, RESPONSE_BIN_LABEL, "touched_handoff_count", order=labels)


def render_heatmap(teams: pd.DataFrame) -> None:
    """Compliance by team (rows, all of Sales first) and month (columns, oldest to latest):
    the mart's rate of each month, never one recomputed over several."""
    cells = teams.assign(
        month=[month_label(pd.Timestamp(month).date()) for month in teams["handoff_month"]],
        team_label=[value_label("team", team) for team in teams["team"]],
        rate_label=[format_percent(rate) for rate in teams["sla_compliance_rate"]],
    )
    months = list(dict.fromkeys(cells.sort_values("handoff_month")["month"]))
    team_order = list(dict.fromkeys(cells["team_label"]))
    charts.heatmap(
        cells.dropna(subset=["sla_compliance_rate"]),
        "month",
        "team_label",
        "sla_compliance_rate",
        "rate_label",
        x_order=months,
        y_order=team_order,
    )


def render_compliance(chosen: filters.Filters) -> None:
    st.subheader(t("sla.compliance_team"))
    st.caption(t("sla.monthly_help"))
    if not ui.require(COMPLIANCE):
        return
    with ui.guarded():
        teams = sla_rows(chosen, OUTCOME_COLUMNS)
        render_heatmap(teams)
        with st.expander(t("sla.compliance_details")):
            ui.table(teams, "sla_compliance_by_team")
        st.subheader(t("sla.compliance_owner"))
        ui.table(sla_rows(chosen, OUTCOME_COLUMNS, owners=True), "sla_compliance_by_owner")


def render_reasons(chosen: filters.Filters) -> None:
    month = reasons_month(chosen)
    if month is None:
        st.caption(t("sla.reasons_all_months"))
    elif month == chosen.start:
        st.caption(t("sla.reasons_month", month=month_label(month)))
    else:
        st.caption(t("sla.reasons_last_month", month=month_label(month)))
    reasons = rejection_reasons(chosen, month)
    charts.pareto(
        reasons, "disqualification_reason", "disqualified_count", "cumulative_share", "reason_rank"
    )
    suffix = "all_months" if month is None else f"{month:%Y-%m}"
    ui.table(reasons, f"sla_rejection_reasons_{suffix}")


def render() -> None:
    st.title(t("page.sla"))
    chosen = filters.current()
    if not ui.require_period(chosen.end):
        return
    st.caption(t("sla.help"))
    st.subheader(t("sla.distribution"))
    if ui.require(RESPONSES, LEADS):
        with ui.guarded():
            render_distribution(chosen)
    render_compliance(chosen)
    st.subheader(t("sla.open_breaches"))
    st.caption(t("sla.open_breaches_help"))
    if ui.require(RESPONSES, LEADS):
        with ui.guarded():
            ui.table(open_breaches(chosen), "sla_open_breaches")
    st.subheader(t("sla.speed"))
    if ui.require(SPEED):
        with ui.guarded():
            monthly = speed_to_lead(chosen)
            totals = speed_totals(chosen)
            order = list(dict.fromkeys(totals["response_bucket"]))
            charts.grouped_bars(totals, "response_bucket", "count", "measure", order=order)
            ui.table(monthly.drop(columns="bucket_order"), "sla_speed_to_lead")
    st.subheader(t("sla.feedback"))
    st.caption(t("sla.monthly_help"))
    if ui.require(COMPLIANCE):
        with ui.guarded():
            ui.table(sla_rows(chosen, FEEDBACK_COLUMNS), "sla_feedback_coverage")
    st.subheader(t("sla.reasons"))
    if ui.require(REASONS):
        with ui.guarded():
            render_reasons(chosen)
    st.subheader(t("sla.volume"))
    st.caption(t("sla.volume_help"))
    if ui.require(VOLUME):
        with ui.guarded():
            cells = volume(chosen)
            monthly_totals = volume_totals(chosen)
            charts.target_lines(monthly_totals, "period_month", "mql_count", "mql_target_count")
            ui.table(cells, "sla_volume")


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
