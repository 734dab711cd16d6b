"""The dashboard's pages, in navigation order: (script, title key, icon, URL path)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    script: str
    """Path relative to dashboards/app.py."""
    title: str
    """Catalogue key of the title (dashboards/i18n.py)."""
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/committee.py", "page.committee", ":material/groups:", "committee"),
    PageSpec("views/funnel.py", "page.funnel", ":material/filter_alt:", "funnel"),
    PageSpec("views/sla.py", "page.sla", ":material/timer:", "sla"),
    PageSpec("views/segments.py", "page.segments", ":material/pie_chart:", "segments"),
    PageSpec("views/governance.py", "page.governance", ":material/verified:", "governance"),
    PageSpec("views/lead360.py", "page.lead360", ":material/person_search:", "lead-360"),
    PageSpec("views/sql.py", "page.sql", ":material/terminal:", "sql"),
)
