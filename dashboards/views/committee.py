"""1 Committee: the month's scorecard (marts.fct_committee_kpis), each KPI with its value,
target, last month, status and twelve-month trend. The month is the period's last month; the
KPIs come in the mart's `display_order`, each value shown in its `unit`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import drill_down, filters, ui, warehouse
from dashboards.i18n import format_kpi, kpi_label, language, month_label, t, value_label
from smarketing.pack import content_file, draw
from smarketing.pack import render as pack_render
from smarketing.settings import Settings

TABLE = "marts.fct_committee_kpis"
REVISIONS = "marts.fct_committee_kpi_revisions"
KPIS = "config.committee_kpis"
COLUMNS_PER_ROW = 4
# the packs of the last year in view, earlier ones folded
PACKS_SHOWN = 12
TREND_MONTHS = 12
# Named, not `*`: a warehouse built before a column existed says so (ui.guarded).
KPI_COLUMNS = (
    "period_month, kpi, label_fr, label_en, description, unit, display_order, kpi_value, "
    "target, previous_value, change, status, better, is_month_in_progress"
)


def scorecard_month(end: date | None) -> date | None:
    """The period's last month, or the latest month of the scorecard without a period."""
    if end is not None:
        return end
    latest = warehouse.scalar(f"select period_month from {TABLE} order by 1 desc limit 1")
    return None if pd.isna(latest) else pd.Timestamp(latest).date()


def trend(month: date) -> pd.DataFrame:
    """The twelve months of every KPI up to MONTH, in the scorecard's order, oldest first."""
    return warehouse.query(
        f"""
        select {KPI_COLUMNS} from {TABLE}
        where period_month <= ? and period_month > ? - interval {TREND_MONTHS} month
        order by display_order, kpi, period_month
        """,
        [month, month],
    )


def in_units(
    kpis: pd.DataFrame,
    figures: tuple[str, ...] = ("kpi_value", "target", "previous_value", "change"),
    kept: tuple[str, ...] = ("status",),
    *,
    change: str = "change",
    leading: tuple[str, ...] = (),
) -> pd.DataFrame:
    """KPI rows as the committee reads them: the LEADING columns and the KEPT ones as they are
    (named by the table), the KPI's name, its FIGURES in its unit (CHANGE as a signed
    change)."""
    rows = list(kpis.iterrows())
    return pd.DataFrame(
        {
            **{column: kpis[column].tolist() for column in leading},
            "kpi": [kpi_label(row) for _, row in rows],
            **{
                column: [
                    format_kpi(row["unit"], row[column], signed=column == change) for _, row in rows
                ]
                for column in figures
            },
            **{column: kpis[column].tolist() for column in kept},
        }
    )


def render_kpi(row: pd.Series, history: pd.DataFrame, month: date) -> None:
    unit = row["unit"]
    change = None if pd.isna(row["change"]) else format_kpi(unit, row["change"], signed=True)
    with st.container(border=True):
        st.metric(
            kpi_label(row),
            format_kpi(unit, row["kpi_value"]),
            delta=change,
            # A fall is good news for a KPI where lower is better.
            delta_color="inverse" if row["better"] == "lower" else "normal",
            chart_data=history["kpi_value"].tolist(),
            help=row["description"],
        )
        status = row["status"] if isinstance(row["status"], str) else None
        st.badge(
            value_label("status", status or "none"),
            color=ui.STATUS_COLOURS.get(status or "", "gray"),
        )
        st.caption(
            t(
                "committee.target_last_month",
                target=format_kpi(unit, row["target"]),
                previous=format_kpi(unit, row["previous_value"]),
            )
        )
        if st.button(
            t("committee.drill"),
            key=f"drill_{row['kpi']}",
            icon=":material/zoom_in:",
            width="stretch",
        ):
            drill_down.open_dialog(row, month)


def render() -> None:
    st.title(t("page.committee"))
    if not ui.require(TABLE):
        return
    with ui.guarded():
        month = scorecard_month(filters.current().end)
        if month is None:
            st.info(t("committee.empty"))
            return
        history = trend(month)
        scorecard = history[history["period_month"] == pd.Timestamp(month)].reset_index(drop=True)
        st.subheader(t("committee.month", month=month_label(month)))
        st.caption(t("committee.company_wide"))
        if scorecard.empty:
            st.info(t("committee.no_month", month=month_label(month)))
            return
        if bool(scorecard["is_month_in_progress"].any()):
            st.caption(t("committee.in_progress"))
        for start in range(0, len(scorecard), COLUMNS_PER_ROW):
            cells = st.columns(COLUMNS_PER_ROW)
            for cell, (_, row) in zip(
                cells, scorecard.iloc[start : start + COLUMNS_PER_ROW].iterrows(), strict=False
            ):
                with cell:
                    render_kpi(row, history[history["kpi"] == row["kpi"]], month)
        st.subheader(t("committee.table"))
        columns = ["kpi", "description", "unit", "kpi_value", "target", "previous_value", "change"]
        ui.table(
            scorecard[[*columns, "status", "better"]],
            f"committee_{month:%Y-%m}",
            shown=in_units(scorecard),
        )
        with st.expander(t("committee.history")):
            latest_first = history.sort_values(
                ["period_month", "display_order"], ascending=[False, True]
            )
            ui.table(
                latest_first[["period_month", *columns, "status"]],
                f"committee_trend_{month:%Y-%m}",
                shown=in_units(latest_first, leading=("period_month",)),
            )
        render_revisions(month)
    render_packs()


def pack_months() -> list[date]:
    """The months with a pack in the committee folder (drawn, or frozen to be drawn on
    demand), latest first."""
    folder = Settings.from_env().committee_dir
    if not folder.is_dir():
        return []
    months = []
    for path in folder.iterdir():
        try:
            month = date.fromisoformat(f"{path.name}-01")
        except ValueError:
            continue
        if path.is_dir():
            months.append(month)
    return sorted(months, reverse=True)


def pack_download(folder: Path, month: date, lang: str, kind: str) -> Callable[[], bytes] | None:
    """What MONTH's pack in LANG as KIND downloads, read or drawn when clicked: its file, else
    the pack drawn from the month's frozen content (a month closed before the first run is
    drawn on demand); None when there is neither (or no PDF can be drawn here)."""
    path = folder / f"{month:%Y-%m}" / f"{pack_render.file_stem(month, lang)}.{kind}"
    if path.is_file():
        return path.read_bytes
    source = content_file(folder, month)
    if not source.is_file() or (kind == "pdf" and pack_render.pdf_unavailable() is not None):
        return None
    return functools.partial(draw, source, lang, kind)


def render_packs() -> None:
    """Every month's pack, latest first, in the language chosen: PDF and HTML downloads."""
    st.subheader(t("committee.packs"))
    months = pack_months()
    if not months:
        st.caption(t("committee.packs_none"))
        return
    st.caption(t("committee.packs_help"))
    folder = Settings.from_env().committee_dir
    lang = language()
    for month in months[:PACKS_SHOWN]:
        render_pack(folder, month, lang)
    if len(months) > PACKS_SHOWN:
        with st.expander(t("committee.packs_earlier", count=len(months) - PACKS_SHOWN)):
            for month in months[PACKS_SHOWN:]:
                render_pack(folder, month, lang)


def render_pack(folder: Path, month: date, lang: str) -> None:
    """MONTH's line: its name, its PDF and its HTML in LANG."""
    label, pdf_cell, html_cell = st.columns([3, 1, 1], vertical_alignment="center")
    label.markdown(f"**{month_label(month)}**")
    for cell, kind, mime in (
        (pdf_cell, "pdf", "application/pdf"),
        (html_cell, "html", "text/html"),
    ):
        data = pack_download(folder, month, lang, kind)
        if data is not None:
            name = f"{pack_render.file_stem(month, lang)}.{kind}"
            cell.download_button(
                t(f"committee.pack_{kind}"),
                data,
                file_name=name,
                mime=mime,
                key=f"pack_{name}",
                on_click="ignore",
                icon=":material/download:",
            )


def render_revisions(month: date) -> None:
    """Once a month is closed its figures are frozen; late data that changed them since is
    listed, so the committee knows which figures moved after it saw them."""
    if not warehouse.has_relation(REVISIONS):
        return
    revised = warehouse.query(
        f"""
        select r.kpi, r.frozen_value, r.live_value, r.difference, r.frozen_status,
            r.live_status, r.closed_by, r.frozen_at, k.label_fr, k.label_en, k.unit
        from {REVISIONS} as r
        left join {KPIS} as k using (kpi)
        where r.period_month = ? and r.is_revised
        order by k.display_order, r.kpi
        """,
        [month],
    )
    if not revised.empty:
        shown = in_units(
            revised,
            ("frozen_value", "live_value", "difference"),
            ("frozen_status", "live_status", "closed_by", "frozen_at"),
            change="difference",
        )
        columns = [column for column in revised.columns if column not in ("label_fr", "label_en")]
        with st.expander(t("committee.revisions", count=len(revised))):
            ui.table(revised[columns], f"committee_revisions_{month:%Y-%m}", shown=shown)


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
