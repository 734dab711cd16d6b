"""The committee dashboard: `streamlit run dashboards/app.py`.

This entry point is the frame around every page: the language switch, the shared filters
and the publication banner, then the page chosen in the navigation."""

from __future__ import annotations

import streamlit as st

from dashboards import filters, ui, warehouse
from dashboards.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dashboards.pages import PAGES


def choose_language() -> None:
    """French or English; the browser's language decides the first time."""
    if st.session_state.get("lang") not in LANGUAGES:
        locale = (st.context.locale or "").lower()
        st.session_state["lang"] = "fr" if locale.startswith("fr") else DEFAULT_LANGUAGE
    st.sidebar.segmented_control(
        "Langue / Language",
        LANGUAGES,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        required=True,
        key="lang",
    )


def main() -> None:
    st.set_page_config(page_title=t("app.title"), page_icon=":material/monitoring:", layout="wide")
    choose_language()
    page = st.navigation(
        [
            st.Page(
                spec.script,
                title=t(spec.title),
                icon=spec.icon,
                url_path=spec.url_path,
                default=index == 0,
            )
            for index, spec in enumerate(PAGES)
        ]
    )
    ui.banner()
    try:
        chosen = filters.sidebar()
    except warehouse.WarehouseUnavailable as error:
        # A warehouse built before the metric marts: the pages say what is missing.
        st.sidebar.caption(t("missing.rebuild", detail=str(error)))
        chosen = filters.Filters(None, None)
    st.session_state["_filters"] = chosen
    page.run()


main()
