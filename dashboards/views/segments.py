"""4 Segments: win rate, revenue and cycle length per segment (marts.fct_segment_ranking),
the three best ICP cells (segment x industry), and the sales-cycle length over the months
(marts.fct_sales_cycle_length)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import charts, filters, ui, warehouse
from dashboards.i18n import format_money, format_percent, labels, t

RANKING = "marts.fct_segment_ranking"
CYCLE = "marts.fct_sales_cycle_length"
WINDOWS = ("last_12_months", "all_time")
RANKING_COLUMNS = (
    "segment, industry, closed_count, won_count, lost_count, won_revenue, average_won_amount, "
    "average_won_cycle_days, win_rate, revenue_rank, win_rate_rank, is_top_three"
)
CYCLE_MEASURES = ("lead_created_to_won_days", "mql_to_won_days", "cycle_days")


def ranking(window: str, level: str, segment: str) -> pd.DataFrame:
    clauses, params = filters.row_where(
        filters.Filters(None, None, segment=segment), {"segment": "segment"}
    )
    return warehouse.query(
        f"""
        select {RANKING_COLUMNS} from {RANKING}
        where period_window = ? and ranking_level = ? and {clauses}
        order by revenue_rank, segment, industry
        """,
        [window, level, *params],
    )


def cycle_length(chosen: filters.Filters) -> pd.DataFrame:
    where, params = filters.cube_where(chosen)
    measures = ", ".join(
        f"{measure}_{stat}" for measure in CYCLE_MEASURES for stat in ("median", "average")
    )
    return warehouse.query(
        f"""
        select won_month, won_count, won_amount, {measures}
        from {CYCLE} where {where} and won_month between ? and ?
        order by won_month desc
        """,
        [*params, chosen.start, chosen.end],
    )


def render_top_three(cells: pd.DataFrame) -> None:
    st.subheader(t("segments.top_three"))
    top = cells[cells["is_top_three"]].head(3)
    if top.empty:
        st.info(t("segments.no_top_three"))
        return
    for column, (_, cell) in zip(st.columns(3), top.iterrows(), strict=False):
        with column, st.container(border=True):
            st.metric(
                f"{filters.label(cell['segment'])} · {cell['industry']}",
                format_money(cell["won_revenue"]),
            )
            st.caption(
                t(
                    "segments.cell_caption",
                    win_rate=format_percent(cell["win_rate"]),
                    won=int(cell["won_count"]),
                    closed=int(cell["closed_count"]),
                )
            )


def render() -> None:
    st.title(t("page.segments"))
    chosen = filters.current()
    if ui.require(RANKING):
        window = st.segmented_control(
            t("segments.window"),
            WINDOWS,
            format_func=labels(WINDOWS, lambda value: t(f"segments.{value}")),
            default=WINDOWS[0],
            required=True,
            key="segments_window",
        )
        st.caption(t("segments.filters_help"))
        with ui.guarded():
            segments = ranking(window, "segment", chosen.segment)
            st.subheader(t("segments.by_segment"))
            charts.bars(segments, "segment", "won_revenue")
            ui.table(segments.drop(columns=["industry", "is_top_three"]), f"segments_{window}")
            cells = ranking(window, "segment_industry", chosen.segment)
            render_top_three(cells)
            with st.expander(t("segments.cells")):
                ui.table(cells, f"segment_industry_{window}")
    st.subheader(t("segments.cycle"))
    if not ui.require(CYCLE) or not ui.require_period(chosen.end):
        return
    with ui.guarded():
        cycle = cycle_length(chosen)
        charts.lines(cycle, "won_month", [f"{measure}_median" for measure in CYCLE_MEASURES])
        ui.table(cycle, "sales_cycle_length")


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
