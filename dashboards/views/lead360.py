"""6 Lead 360: find a person (restricted role: by name, e-mail or company; shared role: by
lead id, pseudonym or company); show the unified lead (marts.dim_leads), the source records
merged into it (marts.bridge_lead_source_records) and its timeline: stage events
(marts.fct_lead_stage_events) and the activities logged on its records in any tool
(marts.fct_activities), the first sales touch of each hand-off marked. The shared role shows no
column the models classify as personal data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import columns, ui, warehouse
from dashboards.i18n import language, t
from smarketing.labels import humanise
from smarketing.privacy.classification import personal_columns

LEADS = "marts.dim_leads"
# what a daily run merges by (a hash of the person's records), not a fact about the lead
TECHNICAL_COLUMNS = ("records_fingerprint",)
BRIDGE = "marts.bridge_lead_source_records"
EVENTS = "marts.fct_lead_stage_events"
ACTIVITIES = "marts.fct_activities"
MAX_RESULTS = 50
MIN_SEARCH = 2


def search(term: str) -> pd.DataFrame:
    """Restricted: leads whose name, e-mail or company contains TERM (case and accents
    ignored; the first name is written twice so that both "Jean Dupont" and "Dupont Jean" are
    found). Shared: whose lead id, e-mail or phone pseudonym, or company contains it."""
    if warehouse.is_restricted():
        shown = "first_name, last_name, email, company"
        searched = "first_name, last_name, first_name, email, company"
        order = "last_name, first_name, unified_lead_id"
    else:
        shown, searched, order = "company", "unified_lead_id, email, phone, company", "company"
    return warehouse.query(
        f"""
        select unified_lead_id, {shown}, segment, channel, owner_name, source_record_count
        from {LEADS}
        where contains(strip_accents(lower(concat_ws(' ', {searched}))), strip_accents(lower(?)))
        order by {order}, unified_lead_id
        limit ?
        """,
        [term.strip(), MAX_RESULTS],
    )


def hidden_columns() -> list[str]:
    """What the shared role does not show of a lead (pseudonyms included: they are for joins)."""
    return [] if warehouse.is_restricted() else list(personal_columns("marts", "dim_leads"))


def lead(unified_lead_id: str) -> pd.DataFrame:
    """The lead's row as field / value pairs, each field by its name."""
    row = warehouse.query(f"select * from {LEADS} where unified_lead_id = ?", [unified_lead_id])
    hidden = [*hidden_columns(), *TECHNICAL_COLUMNS]
    row = row.drop(columns=[c for c in hidden if c in row.columns])
    lang = language()
    return pd.DataFrame(
        {
            "attribute": [columns.label(name, lang) or humanise(name) for name in row.columns],
            "value": [ui.value_for_people(str(name), value) for name, value in row.iloc[0].items()],
        }
    )


def source_records(unified_lead_id: str) -> pd.DataFrame:
    return warehouse.query(
        f"""
        select source_system, source_entity, source_record_id, match_rule, match_probability,
            matched_record_key
        from {BRIDGE} where unified_lead_id = ?
        order by source_system, source_entity, source_record_id
        """,
        [unified_lead_id],
    )


def timeline(unified_lead_id: str) -> pd.DataFrame:
    """Stage events, then (when the mart is there) the activities on the lead's records."""
    events = f"""
        select entered_at as occurred_at, cycle, 'stage' as kind, stage as what, status as detail,
            evidence as source, null as is_first_touch
        from {EVENTS} where unified_lead_id = ?
    """
    params: list = [unified_lead_id]
    if warehouse.has_relation(ACTIVITIES):
        events += f"""
        union all
        select occurred_at, first_touch_of_cycle as cycle, 'activity' as kind,
            coalesce(tool_type, activity_type) as what,
            concat_ws(' · ', subject, owner_name) as detail,
            activity_id as source,
            first_touch_of_cycle is not null as is_first_touch
        from {ACTIVITIES} where unified_lead_id = ?
        """
        params.append(unified_lead_id)
    return warehouse.query(f"{events} order by occurred_at, kind, what", params)


def choose(results: pd.DataFrame) -> str | None:
    def label(row: pd.Series) -> str:
        name = f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()
        parts = (name or row.unified_lead_id, row.company, row.get("email"))
        return " — ".join(str(part) for part in parts if part and not pd.isna(part))

    labels = {row.unified_lead_id: label(row) for _, row in results.iterrows()}
    return st.selectbox(
        t("lead360.choose"), list(labels), format_func=lambda key: labels[key], key="lead360_id"
    )


def render() -> None:
    st.title(t("page.lead360"))
    if not ui.require(LEADS, BRIDGE):
        return
    restricted = warehouse.is_restricted()
    if not restricted:
        st.caption(t("lead360.shared_note"))
    term = st.text_input(
        t("lead360.search" if restricted else "lead360.search_shared"),
        key="lead360_search",
        placeholder="dupont" if restricted else "ul_…",
    )
    if len(term.strip()) < MIN_SEARCH:
        st.caption(t("lead360.hint"))
        return
    with ui.guarded():
        results = search(term)
        if results.empty:
            st.info(t("lead360.none", term=term))
            return
        st.caption(t("lead360.found", count=len(results), limit=MAX_RESULTS))
        ui.table(results, "lead_search")
        chosen = choose(results)
        if chosen is None:
            return
        st.subheader(t("lead360.lead"))
        ui.table(lead(chosen), f"lead_{chosen}")
        st.subheader(t("lead360.records"))
        ui.table(source_records(chosen), f"lead_{chosen}_records")
        st.subheader(t("lead360.timeline"))
        if ui.require(EVENTS):
            ui.table(timeline(chosen), f"lead_{chosen}_timeline")


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
