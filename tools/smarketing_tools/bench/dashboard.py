"""Render time of each dashboard page, with Streamlit's AppTest (no browser).

``python -m smarketing_tools.bench.dashboard WAREHOUSE [--json FILE]`` renders every page on
WAREHOUSE twice: cold (the query cache emptied, so every query reaches DuckDB) and warm (the
cache filled, as for the next reader). Every page is rendered once before, so the imports a
server does once are not counted. The benchmark's ``dashboard`` stage runs it on the
warehouse its dagster stage built.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from smarketing.settings import WAREHOUSE_ENV

REPO = Path(__file__).resolve().parents[3]
APP = REPO / "dashboards" / "app.py"
TIMEOUT_S = 300
SEARCH = "martin"


@dataclass(frozen=True)
class PageTime:
    page: str
    cold_s: float
    warm_s: float
    error: str | None = None


def page_times(warehouse: Path) -> list[PageTime]:
    """Cold and warm render seconds of every page on WAREHOUSE."""
    # Imported here: Streamlit is the dashboard's dependency, not the benchmark's.
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards.pages import PAGES
    from dashboards.warehouse import SERVING_ENV

    os.environ[WAREHOUSE_ENV] = str(warehouse.resolve())
    os.environ.pop(SERVING_ENV, None)
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    app.session_state["lang"] = "en"
    # Lead 360 timed with a search (a common French surname), not an empty box.
    app.session_state["lead360_search"] = SEARCH
    # One render of every page first: imports (Altair, pandas…) happen once per server.
    for spec in PAGES:
        app.switch_page(spec.script)
        app.run()
    times = []
    for spec in PAGES:
        st.cache_data.clear()
        app.switch_page(spec.script)
        started = time.perf_counter()
        app.run()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        app.run()
        warm = time.perf_counter() - started
        errors = [str(element.value) for element in (*app.exception, *app.error)]
        times.append(PageTime(spec.url_path, cold, warm, "; ".join(errors) or None))
    return times


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("warehouse", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path))
def main(warehouse: Path, json_path: Path | None) -> None:
    """Time every dashboard page on WAREHOUSE."""
    times = page_times(warehouse)
    for result in times:
        line = f"{result.page:<12} cold {result.cold_s:6.2f} s   warm {result.warm_s:6.2f} s"
        click.echo(line + (f"   ERROR {result.error}" if result.error else ""))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps([asdict(result) for result in times], indent=2))
    if any(result.error for result in times):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
