"""5 Data governance: key-field completeness per field and source
(marts.fct_key_field_completeness, marts.fct_crm_completeness), duplicates merged
(marts.fct_lead_merges, fct_lead_record_counts, fct_match_rules), the checks of each run
(audit.quality_runs) and Data Docs (once the pipeline records them), the load audit and
rejected rows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboards import charts, filters, publication, ui, warehouse
from dashboards.i18n import format_datetime, format_int, format_percent, language, t
from smarketing.labels import humanise
from smarketing.quality import reasons
from smarketing.quality.suites import CHECK_PREFIX, SuiteError, check_labels
from smarketing.settings import Settings

COMPLETENESS = "marts.fct_key_field_completeness"
MERGES = "marts.fct_lead_merges"
RECORD_COUNTS = "marts.fct_lead_record_counts"
MATCH_RULES = "marts.fct_match_rules"
CRM = "marts.fct_crm_completeness"
LOAD_AUDIT = "audit.load_audit"
REJECTED = "audit.rejected_rows"
QUALITY_HISTORY = "audit.quality_history"
QUALITY_RUNS = "audit.quality_runs"
REJECTED_SUMMARY = "audit.rejected_row_summary"
KPIS_TABLE = "config.committee_kpis"
KEY_FIELDS_TABLE = "config.key_fields"
# Where a lead's records come from (the mart's record_sources), every lead first.
RECORD_SOURCES = (filters.ALL, "both", "hubspot_only", "salesforce_only")
REJECTED_ROWS_SHOWN = 1000
DATA_DOCS_ENV = "SMARKETING_DATA_DOCS"


def completeness() -> pd.DataFrame:
    """The mart's rows: each key field's completeness per record sources, fields in
    smarketing.yml's order, every lead ('(all)') first. The mart has no segment or channel
    breakdown."""
    return warehouse.query(
        f"""
        select field, record_sources, lead_count, filled_count, completeness_rate
        from {COMPLETENESS}
        order by field_order, coalesce(list_position(?, record_sources), 99), record_sources
        """,
        [list(RECORD_SOURCES)],
    )


def key_fields() -> list[str]:
    """The key fields of smarketing.yml, in its order (the published config.key_fields)."""
    if not warehouse.has_relation(KEY_FIELDS_TABLE):
        return []
    rows = warehouse.query(f"select field from {KEY_FIELDS_TABLE} order by display_order")
    return [str(field) for field in rows["field"]]


def key_field_target() -> float | None:
    """The committee's key-field completeness target (smarketing.yml, config.committee_kpis)."""
    if not warehouse.has_relation(KPIS_TABLE):
        return None
    target = warehouse.scalar(
        f"select target from {KPIS_TABLE} where kpi = 'key_field_completeness'"
    )
    return None if target is None or pd.isna(target) else float(target)


def crm_completeness(chosen: filters.Filters) -> pd.DataFrame:
    """The team's months: leads accepted, each key field's completeness and all of them."""
    rates = "".join(f"{field}_completeness_rate, " for field in key_fields())
    return warehouse.query(
        f"""
        select sal_month, team, accepted_count, {rates}key_field_completeness_rate
        from {CRM}
        where team = ? and owner_id = ? and sal_month between ? and ?
        order by sal_month desc
        """,
        [chosen.team, filters.ALL, chosen.start, chosen.end],
    )


def merges(chosen: filters.Filters) -> pd.DataFrame:
    """The leads, their source records and the records merged, for the segment and channel
    filters (one row of marts.fct_lead_merges)."""
    where, params = filters.cube_where(chosen, columns=("segment", "channel"))
    return warehouse.query(
        f"select lead_count, source_record_count, merged_record_count from {MERGES} where {where}",
        params,
    )


def records_per_lead(chosen: filters.Filters) -> pd.DataFrame:
    """Leads by the number of source records merged into them."""
    where, params = filters.cube_where(chosen, columns=("segment", "channel"))
    return warehouse.query(
        f"select record_count, lead_count from {RECORD_COUNTS} where {where} order by record_count",
        params,
    )


def match_rules() -> pd.DataFrame:
    return warehouse.query(
        f"select match_rule, source_record_count from {MATCH_RULES} "
        "order by source_record_count desc, match_rule"
    )


def data_docs() -> Path | None:
    """The Data Docs' index page of the last run: $SMARKETING_DATA_DOCS (or the settings'
    default, beside the serving copy), else a `data_docs` folder beside the file read."""
    configured = getattr(Settings.from_env(), "data_docs", None)
    candidates = [
        Path(os.environ[DATA_DOCS_ENV]) if os.environ.get(DATA_DOCS_ENV) else None,
        Path(configured) if configured else None,
        warehouse.source().path.parent / "data_docs",
    ]
    for candidate in candidates:
        if candidate is None:
            continue
        index = candidate / "index.html" if candidate.is_dir() else candidate
        if index.is_file():
            return index.resolve()
    return None


def render_key_fields() -> None:
    shares = completeness()
    overall = shares[(shares["field"] == "key_fields") & (shares["record_sources"] == filters.ALL)]
    target = key_field_target()
    if not overall.empty:
        value = overall.iloc[0]["completeness_rate"]
        st.metric(
            t("governance.key_fields"),
            format_percent(value),
            help=t("governance.target", target=format_percent(target)) if target else None,
        )
        if target is not None and value < target:
            st.caption(t("governance.below_target", target=format_percent(target)))
    charts.grouped_bars(
        shares,
        "field",
        "completeness_rate",
        "record_sources",
        order=list(dict.fromkeys(shares["field"])),
        percent=True,
    )
    ui.table(shares, "key_field_completeness")


def render_completeness(chosen: filters.Filters) -> None:
    st.subheader(t("governance.completeness"))
    st.caption(t("governance.completeness_help"))
    if ui.require(COMPLETENESS):
        with ui.guarded():
            render_key_fields()
    if warehouse.has_relation(CRM) and chosen.end is not None:
        st.subheader(t("governance.crm"))
        with ui.guarded():
            ui.table(crm_completeness(chosen), "crm_completeness")


def render_duplicates(chosen: filters.Filters) -> None:
    st.subheader(t("governance.duplicates"))
    totals = merges(chosen)
    if totals.empty:
        return
    left, middle, right = st.columns(3)
    left.metric(t("governance.leads"), format_int(int(totals.iloc[0]["lead_count"])))
    middle.metric(
        t("governance.source_records"), format_int(int(totals.iloc[0]["source_record_count"]))
    )
    right.metric(t("governance.merged"), format_int(int(totals.iloc[0]["merged_record_count"])))
    ui.table(records_per_lead(chosen), "records_per_lead")
    if warehouse.has_relation(MATCH_RULES):
        ui.table(match_rules(), "match_rules")


def check_runs() -> pd.DataFrame:
    """The check results of each run, latest first (audit.quality_runs)."""
    return warehouse.query(
        f"""
        select run_id, checked_at, check_count, passed_count, blocking_failed_count,
            warning_failed_count, error_count
        from {QUALITY_RUNS}
        order by checked_at desc
        """
    )


def unpassed_checks(run_id: str) -> pd.DataFrame:
    return warehouse.query(
        f"""
        select severity, status, suite, asset, check_name, expectation, column_name, details
        from {QUALITY_HISTORY}
        where run_id = ? and status <> 'passed'
        order by severity, suite, check_name
        """,
        [run_id],
    )


@st.cache_resource
def labels_of_checks() -> dict[str, Any]:
    """What each check of the suites checks, by check name and language (their meta.label);
    none when the suites cannot be read here (a check is then named by its words)."""
    try:
        return dict(check_labels())
    except SuiteError:
        return {}


def checks_for_people(problems: pd.DataFrame) -> pd.DataFrame:
    """The checks of PROBLEMS named by what they check, in the language; what the table
    shows of them."""
    labels = labels_of_checks()
    lang = language()
    named = [
        (labels.get(name) or {}).get(lang) or humanise(str(name).removeprefix(CHECK_PREFIX))
        for name in problems["check_name"]
    ]
    return problems[["severity", "status"]].assign(
        check_name=named,
        column_name=problems["column_name"],
        details=problems["details"],
    )


def held_back_reasons(reason: str) -> list[str]:
    """Each line of a held-back run's REASON in the language, a check by what it checks; what
    was found (the files, rows, figures) as recorded."""
    labels = labels_of_checks()
    lang = language()
    said = []
    for line in reasons.read(reason):
        if line.kind in ("check_failed", "check_error"):
            check = line.fields["check"]
            named = (labels.get(check) or {}).get(lang) or humanise(
                check.removeprefix(CHECK_PREFIX)
            )
            said.append(t(f"held.{line.kind}", check=named, details=line.fields["details"]))
        elif line.kind == "other":
            said.append(line.fields["line"])
        else:
            said.append(t(f"held.{line.kind}", **line.fields).strip())
    return said


def render_held_back() -> None:
    """Why the last run was not published, when it was not."""
    status = publication.status()
    if status.held_back_at is None:
        return
    lines = held_back_reasons(status.held_back_reason or "")
    st.warning(
        "\n".join(
            [f"**{t('held.title', when=format_datetime(status.held_back_at))}**", ""]
            + [f"- {line}" for line in lines]
        ),
        icon=":material/block:",
    )


def render_checks() -> None:
    st.subheader(t("governance.checks"))
    with ui.guarded():
        render_held_back()
    if warehouse.has_relation(QUALITY_RUNS):
        with ui.guarded():
            runs = check_runs()
            ui.table(runs, "quality_history")
            if not runs.empty:
                latest = str(runs.iloc[0]["run_id"])
                problems = unpassed_checks(latest)
                st.caption(t("governance.last_run_problems", count=len(problems)))
                if not problems.empty:
                    ui.table(problems, "quality_problems", shown=checks_for_people(problems))
    else:
        st.info(t("governance.checks_not_yet"), icon=":material/schedule:")
    docs = data_docs()
    if docs is None:
        st.info(t("governance.docs_not_yet"), icon=":material/schedule:")
    else:
        st.markdown(t("governance.docs_link", url=docs.as_uri(), path=str(docs)))


def render_loads() -> None:
    st.subheader(t("governance.load_audit"))
    if not ui.require(LOAD_AUDIT):
        return
    with ui.guarded():
        audit = warehouse.query(
            f"""
            select started_at, status, source_file, source_system, entity, raw_table, encoding,
                delimiter, header_language, rows_read, rows_loaded, rows_rejected, error,
                duplicate_of, run_id
            from {LOAD_AUDIT} order by started_at desc, source_file
            """
        )
        ui.table(audit, "load_audit")
    st.subheader(t("governance.rejected"))
    if not ui.require(REJECTED):
        return
    with ui.guarded():
        total = int(warehouse.scalar(f"select rejected_row_count from {REJECTED_SUMMARY}") or 0)
        st.caption(t("governance.rejected_count", total=total, shown=REJECTED_ROWS_SHOWN))
        restricted = warehouse.is_restricted()
        if not restricted:
            st.caption(t("governance.rejected_restricted"))
        raw_fields = ", array_to_string(raw_fields, ' | ') as raw_fields" if restricted else ""
        rejected = warehouse.query(
            f"""
            select rejected_at, source_file, raw_table, line_number, reason{raw_fields}
            from {REJECTED} order by rejected_at desc, source_file, line_number limit ?
            """,
            [REJECTED_ROWS_SHOWN],
        )
        ui.table(rejected, "rejected_rows")


def render() -> None:
    st.title(t("page.governance"))
    chosen = filters.current()
    render_completeness(chosen)
    if ui.require(MERGES, RECORD_COUNTS):
        with ui.guarded():
            render_duplicates(chosen)
    render_checks()
    render_loads()


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
