"""The committee dashboard rendered with Streamlit's AppTest on the small-scale warehouse
(the ``small`` fixture, as of 2026-11-20): every page renders in both languages, and the
numbers it shows are the marts' numbers."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import columns, drill_down, i18n, sql_console, ui, warehouse
from dashboards.filters import ALL, Filters
from dashboards.i18n import CATALOGUE, format_kpi, format_percent
from smarketing import labels
from smarketing.config import load_config
from smarketing.config.tables import definition_version
from smarketing.labels import VALUES
from smarketing.pack import content, store
from smarketing.quality.suites import check_labels
from tests.conftest import DEMO_WARNINGS

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboards" / "app.py"
# the scorecard's table as the page shows it (the CSV keeps the marts' columns)
SCORECARD_SHOWN = ["kpi", "kpi_value", "target", "previous_value", "change", "status"]
PAGES = ("committee", "funnel", "sla", "segments", "governance", "lead360", "sql")


@pytest.fixture(scope="module")
def built(small: dict) -> Path:
    """The small run's warehouse (the pipeline's working copy)."""
    path = small["root"] / "warehouse.duckdb"
    assert path.is_file(), small["first"].stdout[-3000:]
    return path


@pytest.fixture(scope="module")
def warehouse_file(built: Path) -> Path:
    """The file the dashboard reads: the serving copy published beside the warehouse, or
    the warehouse itself when the pipeline publishes none."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMARKETING_WAREHOUSE", str(built))
        patch.delenv(warehouse.SERVING_ENV, raising=False)
        return warehouse.source().path


@pytest.fixture(autouse=True)
def reads(built: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SMARKETING_WAREHOUSE", str(built))
    monkeypatch.delenv(warehouse.SERVING_ENV, raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def mart(path: Path, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
    """What the mart holds, instants shown in Paris time as the dashboard shows them."""
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'Europe/Paris'")
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def open_page(page: str, lang: str = "en", **state: Any) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "committee":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [error.value for error in at.exception]
    return at


def frame_with(at: AppTest, columns: list[str]) -> pd.DataFrame:
    """The first table on the page with exactly these COLUMNS."""
    for element in at.dataframe:
        if list(element.value.columns) == columns:
            return element.value.reset_index(drop=True)
    shown = [list(element.value.columns) for element in at.dataframe]
    raise AssertionError(f"no table with columns {columns}; tables: {shown}")


def same(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    """SHOWN is the marts' EXPECTED rows as people read them (ui.for_people: names for codes,
    the language's formats; its rules are tested on their own)."""
    pd.testing.assert_frame_equal(
        shown.reset_index(drop=True),
        ui.for_people(expected).reset_index(drop=True),
        check_dtype=False,
    )


def history(path: Path) -> list[date]:
    """Every month the period filter offers: the funnel's, oldest first."""
    return mart(
        path,
        "select distinct period_month from marts.fct_funnel_periods order by 1",
    )["period_month"].dt.date.tolist()


def period(path: Path) -> tuple[date, date]:
    """The default period: the funnel's last twelve months."""
    months = history(path)
    return months[max(0, len(months) - 12)], months[-1]


# every page, both languages


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page: str, lang: str) -> None:
    at = open_page(page, lang)
    assert not at.error
    key = "page.lead360" if page == "lead360" else f"page.{page}"
    assert at.title[0].value == CATALOGUE[key][lang]


def test_every_string_is_in_both_languages() -> None:
    assert all(set(entry) == set(i18n.LANGUAGES) for entry in CATALOGUE.values())
    used = set()
    for source in (APP.parent).rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z0-9_]+\.[a-z0-9_.]+)"', source.read_text()))
    assert used and used <= set(CATALOGUE), used - set(CATALOGUE)


def has_table(path: Path, name: str) -> bool:
    schema, table = name.split(".")
    return bool(
        mart(
            path,
            "select count(*) as n from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        )["n"][0]
    )


def test_banner_says_when_the_data_was_published_and_the_checks(warehouse_file: Path) -> None:
    if has_table(warehouse_file, "audit.publications"):
        when = mart(
            warehouse_file,
            "select max(finished_at) as at from audit.publications where status = 'published'",
        )
        checks = ("checks: passed", "contrôles : réussis")
    else:  # a warehouse built before the publication step: the latest load stands in
        when = mart(warehouse_file, "select max(finished_at) as at from audit.load_audit")
        checks = ("checks: not recorded yet", "contrôles : pas encore enregistrés")
    as_of = mart(warehouse_file, "select as_of from marts.fct_data_as_of")["as_of"][0]
    at = open_page("committee")
    banner = at.caption[0].value
    assert i18n.format_datetime(when["at"][0].to_pydatetime()) in banner
    assert checks[0] in banner
    # the instant the figures describe: when the exports were taken (here: the truth's cutoff)
    assert f"data as of {i18n.format_datetime(as_of.to_pydatetime())}" in banner
    # the version of smarketing.yml the figures were built with
    assert f"definition {definition_version(REPO / 'smarketing.yml')}" in banner
    at = open_page("committee", "fr")
    assert checks[1] in at.caption[0].value
    assert "données au " in at.caption[0].value
    assert f"définition {definition_version(REPO / 'smarketing.yml')}" in at.caption[0].value


def test_banner_warns_when_the_last_run_was_held_back(
    warehouse_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that failed its blocking checks is not published: readers see the previous
    publication, and the banner says so and where to read why (publication.json beside the
    serving copy; the reasons are on the governance page, in words people read)."""
    serving = tmp_path / "serving.duckdb"
    shutil.copy(warehouse_file, serving)
    con = duckdb.connect(str(serving))
    con.execute(
        "create table if not exists audit.publications as select "
        "'r1' as run_id, timestamptz '2026-11-20 06:00:00+00' as finished_at, "
        "'published' as status, 0 as blocking_failed, 0 as warnings_failed, 0 as check_errors"
    )
    con.close()
    (tmp_path / "publication.json").write_text(
        json.dumps(
            {
                "run_id": "r2",
                "status": "held_back",
                "finished_at": "2026-11-21T06:00:00+00:00",
                "reason": "gx_dim_leads_key_fields failed",
            }
        )
    )
    monkeypatch.setenv(warehouse.SERVING_ENV, str(serving))
    at = open_page("committee")
    warning = at.warning[0].value
    assert "held back" in warning and "(why: the Data governance page)" in warning
    assert "gx_dim_leads_key_fields" not in warning
    assert "checks: the last run failed" in warning


# 1 committee


def test_committee_scorecard_is_the_marts_month(warehouse_file: Path) -> None:
    _, month = period(warehouse_file)
    expected = mart(
        warehouse_file,
        """
        select kpi, description, unit, kpi_value, target, previous_value, change, status,
            better
        from marts.fct_committee_kpis where period_month = ? order by display_order, kpi
        """,
        [month],
    )
    assert len(expected) >= 8
    assert set(expected["unit"]) == {"share", "days"}
    at = open_page("committee")
    same(frame_with(at, SCORECARD_SHOWN), as_shown(expected))
    # the cards in the mart's display order, each value, target and last month in its unit
    registry = load_config(REPO / "smarketing.yml").committee.kpis
    labels = [registry[kpi].label.en for kpi in expected["kpi"]]
    assert [metric.label for metric in at.metric] == labels
    # in French, the registry's French labels
    assert [metric.label for metric in open_page("committee", "fr").metric] == [
        registry[kpi].label.fr for kpi in expected["kpi"]
    ]
    metrics = {metric.label: metric for metric in at.metric}
    captions = [caption.value for caption in at.caption]
    for label, row in zip(labels, expected.itertuples(), strict=True):
        assert metrics[label].value == format_kpi(row.unit, row.kpi_value)
        target = CATALOGUE["committee.target_last_month"]["en"].format(
            target=format_kpi(row.unit, row.target),
            previous=format_kpi(row.unit, row.previous_value),
        )
        assert target in captions, target
    days = expected[expected["unit"] == "days"].iloc[0]
    assert metrics[registry[days.kpi].label.en].value.endswith("\u202fd")
    badges = " ".join(element.value for element in at.markdown)
    for status, colour in (("on_track", "green"), ("at_risk", "orange"), ("off_track", "red")):
        count = int((expected["status"] == status).sum())
        label = VALUES["status"][status]["en"]
        assert badges.count(f":{colour}-badge[{label}]") == count, status


def as_shown(kpis: pd.DataFrame) -> pd.DataFrame:
    """KPI rows of the marts as the committee page shows them (English): the KPI's name, its
    figures in its unit, its status's name."""
    registry = load_config(REPO / "smarketing.yml").committee.kpis
    return pd.DataFrame(
        {
            "kpi": [registry[kpi].label.en for kpi in kpis["kpi"]],
            **{
                column: [
                    format_kpi(unit, value, signed=column == "change")
                    for unit, value in zip(kpis["unit"], kpis[column], strict=True)
                ]
                for column in ("kpi_value", "target", "previous_value", "change")
            },
            "status": [
                VALUES["status"][status]["en"] if isinstance(status, str) else "No value"
                for status in kpis["status"]
            ],
        }
    )


def test_committee_trend_is_twelve_months_latest_first(warehouse_file: Path) -> None:
    _, month = period(warehouse_file)
    at = open_page("committee")
    trend = frame_with(at, ["period_month", *SCORECARD_SHOWN])
    assert trend.groupby("kpi")["period_month"].nunique().max() == 12
    shown_months = list(dict.fromkeys(trend["period_month"]))
    assert shown_months[0] == i18n.month_label(month)
    assert shown_months[-1] == i18n.month_label(
        (pd.Timestamp(month) - pd.DateOffset(months=11)).date()
    )


def test_committee_month_follows_the_period(warehouse_file: Path) -> None:
    start, _ = period(warehouse_file)
    at = open_page("committee")
    at.sidebar.select_slider(key="filter_period").set_range(start, start).run()
    shown = frame_with(at, SCORECARD_SHOWN)
    expected = mart(
        warehouse_file,
        "select kpi, unit, kpi_value, target, previous_value, change, status "
        "from marts.fct_committee_kpis where period_month = ? order by display_order",
        [start],
    )
    same(shown, as_shown(expected))


# 2 funnel


def cube(segment: str = ALL, channel: str = ALL, team: str = ALL) -> str:
    return (
        f"segment = '{segment}' and channel = '{channel}' and team = '{team}' "
        f"and campaign_name = '{ALL}' and offer = '{ALL}'"
    )


def test_funnel_stage_entries_and_periods_are_the_marts(warehouse_file: Path) -> None:
    start, end = period(warehouse_file)
    at = open_page("funnel")
    months = mart(
        warehouse_file,
        f"""
        select * from marts.fct_funnel_periods
        where {cube()} and period_month between ? and ? order by period_month desc
        """,
        [start, end],
    )
    entries = frame_with(at, ["stage", "entries"])
    stages = ["created", "mql", "handoff", "sal", "sql", "opportunity", "won"]
    assert entries["stage"].tolist() == [VALUES["stage"][stage]["en"] for stage in stages]
    assert entries["entries"].tolist() == [
        i18n.format_int(months[f"{s}_count"].sum()) for s in stages
    ]
    shown = frame_with(at, list(at.dataframe[1].value.columns))
    same(shown, months[shown.columns])


def test_funnel_filters_select_the_cube_row(warehouse_file: Path) -> None:
    start, end = period(warehouse_file)
    at = open_page("funnel")
    at.sidebar.selectbox(key="filter_segment_en").set_value("smb").run()
    at.selectbox(key="funnel_offer_en").set_value(
        at.selectbox(key="funnel_offer_en").options[1]
    ).run()
    offer = at.selectbox(key="funnel_offer_en").value
    cohorts = mart(
        warehouse_file,
        """
        select * from marts.fct_funnel_cohorts
        where segment = 'smb' and channel = '(all)' and team = '(all)'
            and campaign_name = '(all)' and offer = ? and mql_month between ? and ?
        order by mql_month desc
        """,
        [offer, start, end],
    )
    assert not cohorts.empty
    shown = frame_with(at, list(at.dataframe[2].value.columns))
    assert "sql_within_90d_rate" in shown.columns
    same(shown, cohorts[shown.columns])


# 3 SLA


OUTCOMES = [
    "handoff_count",
    "met_count",
    "breached_count",
    "breached_open_count",
    "pending_count",
    "sla_compliance_rate",
]
FEEDBACK = [
    "handoff_count",
    "feedback_due_count",
    "feedback_complete_count",
    "feedback_on_time_count",
    "feedback_late_count",
    "feedback_missing_count",
    "feedback_coverage_rate",
]
REASONS = [
    "disqualification_reason",
    "disqualified_count",
    "nurtured_count",
    "rejected_count",
    "reason_rank",
    "reason_share",
    "cumulative_share",
]


def sla_compliance(
    path: Path, columns: list[str], *, owners: bool = False, team: str | None = None
) -> pd.DataFrame:
    """marts.fct_sla_compliance's rows of the default period, every segment and channel: per
    team with all of Sales first (or per owner), as the SLA page lists them."""
    start, end = period(path)
    keys = ["handoff_month", "team", *(["owner_id", "owner_name"] if owners else [])]
    return mart(
        path,
        f"""
        select {", ".join([*keys, *columns])} from marts.fct_sla_compliance
        where segment = '(all)' and channel = '(all)'
            and owner_id {"<>" if owners else "="} '(all)'
            and (? is null or team = ?) and handoff_month between ? and ?
        order by handoff_month desc, team <> '(all)', {", ".join(keys)}
        """,
        [team, team, start, end],
    )


def test_sla_compliance_by_team_and_owner_are_the_marts(warehouse_file: Path) -> None:
    by_team = sla_compliance(warehouse_file, OUTCOMES)
    by_owner = sla_compliance(warehouse_file, OUTCOMES, owners=True)
    assert not by_team.empty and not by_owner.empty
    assert (by_team["team"] == ALL).any()
    at = open_page("sla")
    same(frame_with(at, list(by_team.columns)), by_team)
    same(frame_with(at, list(by_owner.columns)), by_owner)
    # the period's hand-offs, all of Sales: what the row-level fact holds
    start, end = period(warehouse_file)
    handoffs = mart(
        warehouse_file,
        """
        select count(*) as n from marts.fct_sla_lead_response
        where cast(date_trunc('month', timezone('Europe/Paris', handoff_at)) as date)
            between ? and ?
        """,
        [start, end],
    )["n"][0]
    assert by_team.loc[by_team["team"] == ALL, "handoff_count"].sum() == handoffs


def test_sla_open_breaches_are_every_breached_open_hand_off(warehouse_file: Path) -> None:
    expected = mart(
        warehouse_file,
        "select unified_lead_id, cycle from marts.fct_sla_lead_response "
        "where outcome = 'breached_open' order by all",
    )
    at = open_page("sla")
    shown = next(
        element.value for element in at.dataframe if "business_hours_elapsed" in element.value
    )
    got = shown[["unified_lead_id", "cycle"]].sort_values(["unified_lead_id", "cycle"])
    same(got, expected)


def test_the_periods_figures_are_the_metric_layers_equal_to_the_marts(
    warehouse_file: Path,
) -> None:
    """The response-time histogram, the speed-to-lead totals and the monthly MQL volume come
    from metric queries (the dashboard adds nothing up): they equal the marts' rows added up
    here, for a segment."""
    from dashboards.views import funnel, sla

    start, end = period(warehouse_file)
    segment = "smb"
    chosen = Filters(start, end, segment=segment)
    histogram = sla.response_histogram(chosen)
    expected = mart(
        warehouse_file,
        """
        select least(floor(business_hours_to_first_touch / 4) * 4, 96) as bin, count(*) as n
        from marts.fct_sla_lead_response
        where business_hours_to_first_touch is not null and segment = ?
            and handoff_month between ? and ?
        group by 1 order by 1
        """,
        [segment, start, end],
    )
    assert histogram[sla.RESPONSE_BIN].tolist() == expected["bin"].tolist()
    assert histogram["touched_handoff_count"].tolist() == expected["n"].tolist()
    assert histogram[sla.RESPONSE_BIN_LABEL].iloc[0] == "0-4"
    assert histogram[sla.RESPONSE_BIN_LABEL].iloc[-1] in ("96+", "92-96")
    speed = sla.speed_totals(chosen).pivot(
        index="response_bucket", columns="measure", values="count"
    )
    expected = mart(
        warehouse_file,
        f"""
        select response_bucket, sum(handoff_count) as handoff_count, sum(sql_count) as sql_count,
            sum(won_count) as won_count
        from marts.fct_speed_to_lead
        where {cube(segment)} and handoff_month between ? and ?
        group by 1
        """,
        [start, end],
    ).set_index("response_bucket")
    assert len(expected) > 2
    for measure in ("handoff_count", "sql_count", "won_count"):
        assert speed[measure].to_dict() == expected[measure].astype(int).to_dict(), measure
    # a filter at '(unknown)' selects the leads without a value, as the marts' rows do
    unknown = Filters(start, end, segment="(unknown)")
    entries = funnel.stage_entries(unknown, {})
    expected = mart(
        warehouse_file,
        f"""
        select sum(created_count) as created_count from marts.fct_funnel_periods
        where {cube("(unknown)")} and period_month between ? and ?
        """,
        [start, end],
    )
    created = int(entries.set_index("stage").loc["created", "entries"])
    assert created == int(expected["created_count"].iloc[0]) > 0
    volume = sla.volume_totals(chosen)
    expected = mart(
        warehouse_file,
        """
        select period_month, sum(mql_count) as mql_count, sum(mql_target_count) as target
        from marts.fct_sla_volume
        where campaign_name = '(all)' and segment = ? and period_month between ? and ?
        group by 1 order by 1
        """,
        [segment, start, end],
    )
    assert volume["mql_count"].tolist() == expected["mql_count"].astype(int).tolist()
    pd.testing.assert_series_equal(
        volume["mql_target_count"].astype(float),
        expected["target"].astype(float),
        check_names=False,
    )


def test_the_dashboard_only_selects() -> None:
    """No aggregation, ratio or bucketing in dashboards/: figures come from a mart or a metric
    query (the SQL console's example is the analyst's own query)."""
    computing = re.compile(
        r"group by|\b(sum|count|avg|median)\(|select (min|max)\(|date_trunc|\.groupby\(|\.sum\(|"
        r"\.mean\(|\.agg\(|/ nullif|\.value_counts\(",
        re.IGNORECASE,
    )
    found = []
    for path in sorted((REPO / "dashboards").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if path.name == "sql.py" and path.parent.name == "views":
                continue
            if computing.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, found


def test_sla_speed_volume_and_reasons_are_the_marts(warehouse_file: Path) -> None:
    start, end = period(warehouse_file)
    at = open_page("sla")
    speed = mart(
        warehouse_file,
        f"""
        select handoff_month, response_bucket, handoff_count, sql_count, won_count, sql_rate,
            win_rate
        from marts.fct_speed_to_lead
        where {cube()} and handoff_month between ? and ? order by handoff_month desc, bucket_order
        """,
        [start, end],
    )
    same(frame_with(at, list(speed.columns)), speed)
    volume = mart(
        warehouse_file,
        """
        select period_month, segment, channel, mql_count, mql_target_count, attainment_ratio,
            gap_to_target_count, is_month_in_progress
        from marts.fct_sla_volume
        where campaign_name = '(all)' and period_month between ? and ?
        order by period_month desc, segment, channel
        """,
        [start, end],
    )
    same(frame_with(at, list(volume.columns)), volume)
    # the default period is not the whole history: the period's last month, said so
    assert start != history(warehouse_file)[0]
    reasons = rejection_reasons(warehouse_file, end)
    assert not reasons.empty
    same(frame_with(at, REASONS), reasons)
    captions = " ".join(caption.value for caption in at.caption)
    assert "the period's last month" in captions


def rejection_reasons(
    path: Path, month: date | None, segment: str = ALL, team: str = ALL
) -> pd.DataFrame:
    return mart(
        path,
        f"""
        select {", ".join(REASONS)} from marts.fct_rejection_reasons
        where period_month is not distinct from ? and segment = ? and channel = '(all)'
            and team = ?
        order by reason_rank
        """,
        [month, segment, team],
    )


def test_sla_reasons_over_the_whole_history_are_the_all_months_rows(
    warehouse_file: Path,
) -> None:
    months = history(warehouse_file)
    at = open_page("sla")
    at.sidebar.select_slider(key="filter_period").set_range(months[0], months[-1]).run()
    at.sidebar.selectbox(key="filter_segment_en").set_value("smb").run()
    assert not at.exception
    expected = rejection_reasons(warehouse_file, None, segment="smb")
    assert not expected.empty
    assert expected["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    same(frame_with(at, REASONS), expected)
    assert "The whole history" in " ".join(caption.value for caption in at.caption)
    # a single month: that month's rows
    at.sidebar.select_slider(key="filter_period").set_range(months[-2], months[-2]).run()
    same(frame_with(at, REASONS), rejection_reasons(warehouse_file, months[-2], segment="smb"))


def test_sla_feedback_coverage_is_the_marts(warehouse_file: Path) -> None:
    expected = sla_compliance(warehouse_file, FEEDBACK)
    at = open_page("sla")
    same(frame_with(at, list(expected.columns)), expected)
    start, end = period(warehouse_file)
    facts = mart(
        warehouse_file,
        """
        select feedback_status from marts.fct_sla_feedback
        where cast(date_trunc('month', timezone('Europe/Paris', handoff_at)) as date)
            between ? and ?
        """,
        [start, end],
    )
    everyone = expected[expected["team"] == ALL]
    for status in ("on_time", "late", "missing"):
        assert (
            everyone[f"feedback_{status}_count"].sum() == (facts["feedback_status"] == status).sum()
        )


def test_sla_team_filter_keeps_that_team(warehouse_file: Path) -> None:
    at = open_page("sla")
    # a team with hand-offs (the filter offers every team of the funnel)
    teams = set(sla_compliance(warehouse_file, ["handoff_count"])["team"]) - {ALL}
    team = next(
        option for option in at.sidebar.selectbox(key="filter_team_en").options if option in teams
    )
    at.sidebar.selectbox(key="filter_team_en").set_value(team).run()
    assert not at.exception
    by_team = frame_with(at, ["handoff_month", "team", *OUTCOMES])
    assert set(by_team["team"]) == {team}
    same(by_team, sla_compliance(warehouse_file, OUTCOMES, team=team))
    by_owner = frame_with(at, ["handoff_month", "team", "owner_id", "owner_name", *OUTCOMES])
    assert set(by_owner["team"]) == {team}
    same(by_owner, sla_compliance(warehouse_file, OUTCOMES, owners=True, team=team))
    reasons = rejection_reasons(warehouse_file, period(warehouse_file)[1], team=team)
    same(frame_with(at, REASONS), reasons)


# 4 segments


def test_segments_ranking_and_top_three_are_the_marts(warehouse_file: Path) -> None:
    ranking = mart(
        warehouse_file,
        """
        select * from marts.fct_segment_ranking
        where period_window = 'last_12_months' order by revenue_rank, segment, industry
        """,
    )
    at = open_page("segments")
    segments = ranking[ranking["ranking_level"] == "segment"]
    shown = frame_with(at, list(at.dataframe[0].value.columns))
    same(shown, segments[shown.columns])
    top = ranking[(ranking["ranking_level"] == "segment_industry") & ranking["is_top_three"]]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert len(top) == 3
    for cell in top.itertuples():
        assert metrics[f"{cell.segment} · {cell.industry}"] == i18n.format_money(cell.won_revenue)


def test_segments_cycle_length_is_the_mart(warehouse_file: Path) -> None:
    start, end = period(warehouse_file)
    expected = mart(
        warehouse_file,
        f"""
        select * from marts.fct_sales_cycle_length
        where {cube()} and won_month between ? and ? order by won_month desc
        """,
        [start, end],
    )
    at = open_page("segments")
    shown = next(element.value for element in at.dataframe if "won_month" in element.value)
    same(shown, expected[shown.columns])


# 5 data governance


def test_governance_completeness_duplicates_and_audit(warehouse_file: Path) -> None:
    leads = mart(warehouse_file, "select * from marts.dim_leads")
    bridge = mart(warehouse_file, "select count(*) as n from marts.bridge_lead_source_records")
    audit = mart(warehouse_file, "select count(*) as n from audit.load_audit")
    completeness = mart(
        warehouse_file,
        """
        select field, record_sources, lead_count, filled_count, completeness_rate
        from marts.fct_key_field_completeness
        order by field_order,
            list_position(['(all)', 'both', 'hubspot_only', 'salesforce_only'], record_sources)
        """,
    )
    assert len(completeness) == 28
    at = open_page("governance")
    same(frame_with(at, list(completeness.columns)), completeness)
    overall = completeness[completeness["record_sources"] == ALL].set_index("field")
    assert (overall["lead_count"] == len(leads)).all()
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Leads with every key field"] == format_percent(
        overall.loc["key_fields", "completeness_rate"]
    )
    records = int(bridge["n"][0])
    assert records == leads["source_record_count"].sum()
    assert metrics["Records merged"] == i18n.format_int(records - len(leads))
    assert (
        len(frame_with(at, list(next(e.value for e in at.dataframe if "rows_read" in e.value))))
        == audit["n"][0]
    )
    infos = " ".join(element.value for element in at.info)
    if has_table(warehouse_file, "audit.quality_history"):
        runs = mart(
            warehouse_file,
            "select run_id, count(*) as checks from audit.quality_history group by 1",
        ).set_index("run_id")["checks"]
        shown = frame_with(
            at,
            [
                "run_id",
                "checked_at",
                "check_count",
                "passed_count",
                "blocking_failed_count",
                "warning_failed_count",
                "error_count",
            ],
        ).set_index("run_id")["check_count"]
        expected = {run: i18n.format_int(count) for run, count in runs.items()}
        assert shown.sort_index().to_dict() == expected
    else:
        assert "check history is not available yet" in infos
    links = " ".join(element.value for element in at.markdown)
    assert "Data Docs of the last run" in links or "Data Docs are not available yet" in infos


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_checks_that_did_not_pass_are_named_by_what_they_check(
    warehouse_file: Path, lang: str
) -> None:
    """The last run's checks that did not pass, each by its label in the language (the
    suites' meta.label), never by its identifier."""
    problems = mart(
        warehouse_file,
        """
        select check_name from audit.quality_history
        where status <> 'passed' and run_id = (
            select run_id from audit.quality_runs order by checked_at desc limit 1
        )
        order by severity, suite, check_name
        """,
    )["check_name"].tolist()
    assert set(problems) == set(DEMO_WARNINGS)
    labels = check_labels()
    at = open_page("governance", lang)
    shown = frame_with(at, ["severity", "status", "check_name", "column_name", "details"])
    assert shown["check_name"].tolist() == [labels[name][lang] for name in problems]
    assert not any(name in " ".join(shown["check_name"]) for name in problems)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_held_back_run_says_why_in_words_people_read(
    warehouse_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """The banner says the last run was held back and where to read why; the governance page
    lists why, a check by what it checks (never its identifier), what was found as recorded."""
    serving = tmp_path / "serving.duckdb"
    shutil.copyfile(warehouse_file, serving)
    reason = "\n".join(
        [
            "blocking check failed: inbound_leads/gx_inbound_email_complete on "
            "staging.stg_salesforce__lead (has_email): 91.20 % filled (88 of 1,000 not filled)",
            "delivery not loaded: hubspot/contacts-truncated.csv: cannot be decoded as utf-16 text",
            "step dbt_after_identity failed: a model failed",
        ]
    )
    (tmp_path / "publication.json").write_text(
        json.dumps(
            {
                "run_id": "r2",
                "status": "held_back",
                "finished_at": "2026-11-20T08:00:00+00:00",
                "reason": reason,
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(warehouse.SERVING_ENV, str(serving))
    label = check_labels()["gx_inbound_email_complete"][lang]
    at = open_page("governance", lang)
    assert not at.exception
    shown = " ".join(element.value for element in at.warning)
    assert CATALOGUE["held.title"][lang].split(" (")[0] in shown
    assert label in shown and "88 of 1,000 not filled" in shown
    assert "hubspot/contacts-truncated.csv" in shown
    assert "gx_" not in shown and "blocking check failed" not in shown
    # the banner points to this page
    assert CATALOGUE["banner.held_back"][lang].rsplit("(", 1)[1] in shown


# 6 lead 360


def restricted_copy(built: Path) -> Path:
    path = built.with_name("serving_restricted.duckdb")
    assert path.is_file()
    return path


def test_lead_360_finds_a_merged_lead_and_its_records(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restricted role (those who work leads) finds a person by e-mail."""
    monkeypatch.setenv(warehouse.ROLE_ENV, "restricted")
    restricted = restricted_copy(built)
    lead = mart(
        restricted,
        """
        select unified_lead_id, email from marts.dim_leads
        where source_record_count >= 2 and email is not null and email_is_valid
        order by source_record_count desc, unified_lead_id limit 1
        """,
    ).iloc[0]
    records = mart(
        restricted,
        """
        select source_system, source_entity, source_record_id, match_rule, match_probability,
            matched_record_key
        from marts.bridge_lead_source_records where unified_lead_id = ?
        order by source_system, source_entity, source_record_id
        """,
        [lead.unified_lead_id],
    )
    events = mart(
        restricted,
        "select count(*) as n from marts.fct_lead_stage_events where unified_lead_id = ?",
        [lead.unified_lead_id],
    )
    at = open_page("lead360")
    at.text_input(key="lead360_search").input(lead.email.upper()).run()
    assert not at.exception
    assert at.selectbox(key="lead360_id").value == lead.unified_lead_id
    fields = frame_with(at, ["attribute", "value"]).set_index("attribute")["value"]
    assert fields["Lead"] == lead.unified_lead_id
    assert fields["E-mail"] == lead.email
    same(frame_with(at, list(records.columns)), records)
    timeline = next(element.value for element in at.dataframe if "kind" in element.value)
    assert (timeline["kind"] == VALUES["timeline_kind"]["stage"]["en"]).sum() == events["n"][0]
    assert "restricted role" in " ".join(c.value for c in at.caption)


def test_lead_360_in_the_shared_role_shows_no_contact_data(
    built: Path, warehouse_file: Path
) -> None:
    """The shared role reads the shared copy: found by id or company, no e-mail, phone or
    name on the page, and an e-mail typed in finds no one."""
    lead = mart(
        restricted_copy(built),
        """
        select unified_lead_id, email, phone, first_name, last_name, company
        from marts.dim_leads
        where email_is_valid and phone is not null and first_name is not null
            and company is not null
        order by unified_lead_id limit 1
        """,
    ).iloc[0]
    assert warehouse_file.name == "serving.duckdb"
    at = open_page("lead360")
    at.text_input(key="lead360_search").input(lead.unified_lead_id).run()
    assert not at.exception
    assert at.selectbox(key="lead360_id").value == lead.unified_lead_id
    fields = frame_with(at, ["attribute", "value"]).set_index("attribute")["value"]
    assert fields["Company"] == lead.company
    assert not {"E-mail", "Phone", "First name", "Last name"} & set(fields.index)
    shown = " ".join(
        [*(str(v) for e in at.dataframe for v in e.value.astype(str).to_numpy().ravel())]
        + [str(o) for o in at.selectbox(key="lead360_id").options]
    )
    leaked = [label for label in ("email", "phone", "last_name") if lead[label] in shown]
    assert leaked == []
    at.text_input(key="lead360_search").input(lead.email).run()
    assert "No lead matches" in " ".join(i.value for i in at.info)
    at.text_input(key="lead360_search").input(lead.company).run()
    lead_id = str(lead.unified_lead_id)  # alone: a failure message shows no contact data
    assert any(str(o).startswith(lead_id) for o in at.selectbox(key="lead360_id").options)


# 7 SQL


def test_sql_page_runs_a_select_with_a_row_limit(warehouse_file: Path) -> None:
    at = open_page("sql")
    at.text_area(key="sql_text").input("select unified_lead_id from marts.dim_leads order by 1")
    at.number_input(key="sql_limit").set_value(7)
    at.button[0].click().run()
    assert not at.exception and not at.error
    expected = mart(
        warehouse_file, "select unified_lead_id from marts.dim_leads order by 1 limit 7"
    )
    same(frame_with(at, ["unified_lead_id"]), expected)
    assert "cut at 7 rows" in " ".join(caption.value for caption in at.caption)


@pytest.mark.parametrize(
    "sql",
    [
        "create table marts.x as select 1",
        "insert into marts.dim_leads (unified_lead_id) values ('x')",
        "copy (select 1) to '/tmp/smarketing_dashboard_copy.csv'",
        "select * from read_csv('/etc/passwd')",
        "attach '/tmp/smarketing_dashboard_attach.duckdb' as other",
        "select 1; select 2",
        "set enable_external_access = true",
        "with x as (delete from marts.dim_leads returning *) select * from x",
        # the server's paths: the database file, the spill folder, the settings
        "select current_setting('temp_directory')",
        "select path from duckdb_databases()",
        'select * from "DuckDB_Settings"()',
        "from pragma_database_list",
        "select * from duckdb_temporary_files()",
    ],
)
def test_sql_console_refuses_writes_and_file_access(warehouse_file: Path, sql: str) -> None:
    with pytest.raises(sql_console.QueryRefused):
        sql_console.run(sql, warehouse_file, row_limit=10, timeout_seconds=10)
    assert not Path("/tmp/smarketing_dashboard_copy.csv").exists()
    assert mart(warehouse_file, "select count(*) as n from marts.dim_leads")["n"][0] > 0


def test_sql_console_stops_a_long_query_at_the_timeout(warehouse_file: Path) -> None:
    with pytest.raises(sql_console.QueryRefused, match="timeout"):
        sql_console.run(
            "select count(*) from range(1000000000000) as a",
            warehouse_file,
            row_limit=10,
            timeout_seconds=1,
        )


def test_sql_page_shows_a_refusal(warehouse_file: Path) -> None:
    at = open_page("sql")
    at.text_area(key="sql_text").input("select * from read_csv('/etc/passwd')")
    at.button[0].click().run()
    assert not at.exception
    assert "Query refused" in at.error[0].value


# missing marts, serving copy


@pytest.fixture
def partial_warehouse(warehouse_file: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse without the committee scorecard, the SLA compliance and the
    key-field completeness, and the Pareto mart without its shares, as a warehouse built
    before them."""
    copy = tmp_path / "partial.duckdb"
    shutil.copy(warehouse_file, copy)
    con = duckdb.connect(str(copy))
    con.execute("drop table if exists marts.fct_committee_kpis cascade")
    con.execute("drop table if exists marts.fct_sla_compliance cascade")
    con.execute("drop table if exists marts.fct_key_field_completeness cascade")
    con.execute("alter table marts.fct_rejection_reasons drop column cumulative_share")
    con.execute("alter table marts.fct_segment_ranking drop column is_top_three")
    con.close()
    return copy


@pytest.mark.parametrize("page", PAGES)
def test_a_missing_mart_is_named_not_a_crash(
    page: str, partial_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(warehouse.SERVING_ENV, str(partial_warehouse))
    at = open_page(page)
    assert not at.error
    infos = " ".join(element.value for element in at.info)
    if page == "committee":
        assert "marts.fct_committee_kpis" in infos
    if page == "sla":
        assert "marts.fct_sla_compliance" in infos
        assert "cumulative_share" in infos
    if page == "governance":
        assert "marts.fct_key_field_completeness" in infos
    if page == "segments":
        assert "is_top_three" in infos


def test_each_role_reads_its_own_copy(
    built: Path, partial_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(warehouse.SERVING_ENV, str(partial_warehouse))
    assert warehouse.source().path == partial_warehouse.resolve()
    # nothing published yet: the shared role never falls back on the working warehouse
    absent = partial_warehouse.parent / "absent.duckdb"
    monkeypatch.setenv(warehouse.SERVING_ENV, str(absent))
    assert warehouse.source().path == absent.resolve()
    at = open_page("lead360")
    assert not at.exception
    assert "marts.dim_leads" in " ".join(i.value for i in at.info)
    # the restricted role: its copy, else the warehouse itself
    monkeypatch.setenv(warehouse.ROLE_ENV, "restricted")
    monkeypatch.delenv(warehouse.SERVING_ENV)
    assert warehouse.source().path == built.with_name("serving_restricted.duckdb")
    monkeypatch.setenv(warehouse.SERVING_ENV, str(absent))
    assert warehouse.source().path == built.resolve()
    # an unknown role is the shared one; the SQL page is shared in every role
    assert warehouse.shared_source().path == absent.resolve()
    monkeypatch.setenv(warehouse.ROLE_ENV, "admin")
    assert warehouse.source().path == absent.resolve()


def test_no_warehouse_at_all_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARKETING_WAREHOUSE", str(tmp_path / "nothing.duckdb"))
    for page in PAGES:
        at = open_page(page)
        assert not at.error


# every heading, the drill-down


def shown_frames(at: AppTest) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_column_shown_has_a_heading(built: Path, lang: str) -> None:
    """No table shows a column of the marts without its heading in the catalogue (the SQL
    page's results are the analyst's own columns); a team's custom fields read as their
    words."""
    custom = {field.name for field in load_config(REPO / "smarketing.yml").custom_fields}
    custom |= {f"{name}_source" for name in custom}
    lead = mart(
        built, "select unified_lead_id from marts.dim_leads order by source_record_count desc"
    )["unified_lead_id"][0]
    missing: dict[str, set[str]] = {}
    for page in ("committee", "funnel", "sla", "segments", "governance", "lead360"):
        at = open_page(page, lang)
        if page == "lead360":
            at.text_input(key="lead360_search").input(lead).run()
        if page == "committee":
            at.button(key="drill_mql_to_sql_rate").click().run()
        frames = shown_frames(at)
        assert frames, page
        for frame in frames:
            for column in map(str, frame.columns):
                if column not in custom and columns.label(column, lang) is None:
                    missing.setdefault(page, set()).add(column)
            if "attribute" in frame.columns:  # a lead's fields, one per line
                assert not [f for f in frame["attribute"] if "_" in f and f not in custom]
    assert not missing, missing


def test_a_kpi_drills_down_to_its_groups_and_leads(built: Path, warehouse_file: Path) -> None:
    """The MQL -> SQL rate's tile opens its breakdown of the month (the metric layer's groups,
    whose contributions add up to the distance to target) and the leads of a group."""
    _, month = period(warehouse_file)
    kpi = mart(
        warehouse_file,
        """
        select k.kpi, k.unit, k.kpi_value, k.target, k.better, c.metric
        from marts.fct_committee_kpis as k join config.committee_kpis as c using (kpi)
        where k.kpi = 'mql_to_sql_rate' and k.period_month = ?
        """,
        [month],
    ).iloc[0]
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        layer = content.breakdowns(con)
        expected = layer.explain(kpi.to_dict(), month, against_only=False)
        segments = [row for row in expected if row["breakdown"] == "segment"]
        leads = layer.leads(kpi.to_dict(), month, segments[0]["dimension"], segments[0]["member"])
    finally:
        con.close()
    distance = sum(row["contribution"] for row in segments)
    assert distance == pytest.approx(kpi.kpi_value - kpi.target, abs=1e-3)
    # the segments by the names smarketing.yml gives them
    names = labels.defined(
        mart(warehouse_file, "select * from config.value_labels").to_dict("records")
    )
    assert names[("segment", "mid_market")] == {"fr": "ETI", "en": "Mid-market"}
    at = open_page("committee")
    at.button(key="drill_mql_to_sql_rate").click().run()
    assert not at.exception
    shown = frame_with(at, ["group", "value", "denominator", "contribution"])
    assert shown["group"].tolist() == [
        labels.value_label("segment", row["member"], "en", names) for row in segments
    ]
    assert shown["contribution"].tolist() == [
        format_kpi("share", row["contribution"], signed=True) for row in segments
    ]
    assert leads is not None and leads
    shown_leads = frame_with(
        at, ["unified_lead_id", "company", "segment", "owner_name", "counts_towards_kpi"]
    )
    assert len(shown_leads) == min(len(leads), drill_down.LEADS_SHOWN)
    assert set(shown_leads["segment"]) == {
        labels.value_label("segment", segments[0]["member"], "en")
    }
    in_kpi = sum(1 for row in leads if row["sql_count"])
    assert (shown_leads["counts_towards_kpi"] == "Yes").sum() == min(in_kpi, len(shown_leads))


def test_figures_a_page_writes_itself_are_aligned_right() -> None:
    """The scorecard's figures (written in each KPI's unit by the page) and the drill-down's
    are numbers: aligned right like every number; names and statuses left."""
    at = open_page("committee")
    at.button(key="drill_mql_to_sql_rate").click().run()
    alignments = {}
    for element in at.dataframe:
        config = json.loads(element.proto.columns or "{}")
        for column in element.value.columns:
            alignments.setdefault(str(column), set()).add(config[str(column)].get("alignment"))
    for column in ("kpi_value", "target", "previous_value", "change", "denominator"):
        assert alignments[column] == {"right"}, column
    for column in ("kpi", "status", "group"):
        assert alignments[column] == {"left"}, column


def test_the_committee_page_offers_every_closed_months_pack(built: Path) -> None:
    """Every month frozen for the committee, latest first, with its PDF and HTML in the
    language chosen (a month the run did not draw is drawn when downloaded)."""
    con = duckdb.connect(str(built), read_only=True)
    try:
        frozen = sorted(store.frozen_months(con), reverse=True)
    finally:
        con.close()
    assert len(frozen) > 1
    for lang in ("fr", "en"):
        at = open_page("committee", lang)
        assert not at.exception
        keys = [button.key for button in at.get("download_button") if button.key]
        expected = [
            f"pack_committee-{month:%Y-%m}-{lang}.{kind}"
            for month in frozen
            for kind in ("pdf", "html")
        ]
        assert [key for key in keys if key.startswith("pack_")] == expected
        # the last year's packs in view, earlier months folded
        earlier = CATALOGUE["committee.packs_earlier"][lang].format(count=len(frozen) - 12)
        assert (earlier in [expander.label for expander in at.expander]) == (len(frozen) > 12)


def test_every_kpi_reaches_its_leads(warehouse_file: Path) -> None:
    """Each KPI of the registry drills down to the leads of its largest segment: what they
    count adds up to the segment's figure (a target is no lead's: the volume's leads are its
    MQLs), and a median's leads are those it is the median of."""
    _, month = period(warehouse_file)
    kpis = mart(
        warehouse_file,
        """
        select k.kpi, k.unit, k.kpi_value, k.target, k.better, c.metric
        from marts.fct_committee_kpis as k join config.committee_kpis as c using (kpi)
        where k.period_month = ? and k.kpi_value is not null
        """,
        [month],
    ).to_dict("records")
    assert {kpi["kpi"] for kpi in kpis} >= {
        "key_field_completeness",
        "nurturing_share",
        "mql_volume_attainment",
        "sla_compliance",
    }
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        layer = content.breakdowns(con)
        for kpi in kpis:
            members = [
                row
                for row in layer.explain(kpi, month, against_only=False)
                if row["breakdown"] == "segment"
            ]
            assert members, kpi["kpi"]
            parts = layer.ratio_parts(kpi["metric"])
            largest = max(members, key=lambda row: row["denominator"] or 0)
            leads = layer.leads(kpi, month, largest["dimension"], largest["member"])
            assert leads, kpi["kpi"]
            if parts is None:
                continue
            numerator, denominator = parts
            assert sum(row[numerator] or 0 for row in leads) == largest["numerator"], kpi
            if denominator in leads[0]:
                assert sum(row[denominator] or 0 for row in leads) == largest["denominator"], kpi
            else:
                assert kpi["kpi"] == "mql_volume_attainment"
    finally:
        con.close()
