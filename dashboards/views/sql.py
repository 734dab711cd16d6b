"""7 SQL: ad hoc read-only queries for analysts, with a row limit and a timeout (the locks
are in dashboards/sql_console.py)."""

from __future__ import annotations

import streamlit as st

from dashboards import sql_console, ui, warehouse
from dashboards.i18n import t

EXAMPLE = (
    "select segment, channel, count(*) as leads\n"
    "from marts.dim_leads\n"
    "group by all\n"
    "order by leads desc"
)


def render() -> None:
    st.title(t("page.sql"))
    st.caption(t("sql.help"))
    # every role queries the shared copy: ad hoc SQL never reaches an identifier
    src = warehouse.shared_source()
    if not src.path.is_file():
        ui.missing(str(src.path))
        return
    with st.form("sql_form"):
        text = st.text_area(t("sql.query"), value=EXAMPLE, height=180, key="sql_text")
        left, right = st.columns(2)
        limit = left.number_input(
            t("sql.row_limit"), 1, sql_console.MAX_ROWS, 1000, step=100, key="sql_limit"
        )
        timeout = right.number_input(
            t("sql.timeout"), 1, sql_console.MAX_TIMEOUT_SECONDS, 10, key="sql_timeout"
        )
        submitted = st.form_submit_button(t("sql.run"), icon=":material/play_arrow:")
    if submitted:
        try:
            result = sql_console.run(
                text, src.path, row_limit=int(limit), timeout_seconds=float(timeout)
            )
        except sql_console.QueryRefused as error:
            st.session_state.pop("sql_result", None)
            st.error(t("sql.refused", reason=str(error)), icon=":material/block:")
        else:
            st.session_state["sql_result"] = result
    result = st.session_state.get("sql_result")
    if result is not None:
        st.caption(
            t("sql.rows", rows=len(result.frame), seconds=f"{result.seconds:.2f}")
            + (" " + t("sql.truncated", limit=len(result.frame)) if result.truncated else "")
        )
        ui.table(result.frame, "query_result")
    with st.expander(t("sql.tables")):
        st.dataframe(sql_console.tables(src.path), hide_index=True)


# Streamlit runs a page as __main__; imported (its queries tested), it draws nothing
if __name__ == "__main__":
    render()
