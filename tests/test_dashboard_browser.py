"""End to end: `streamlit run` serves the dashboard on the small-scale warehouse, and headless
Chromium (Debian's `chromium`, driven by Playwright) loads every page without an error.
Screenshots go to test-artifacts/.

Nothing is downloaded: Playwright drives the system's Chromium. Without it the test fails;
`.ci/run` installs it (`apt-get install chromium`)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from dashboards.i18n import CATALOGUE
from dashboards.pages import PAGES

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboards" / "app.py"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("SMARKETING_CHROMIUM", "/usr/bin/chromium"))
START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 30_000
# Streamlit's marks of a failed page: an exception, an st.error, a lost connection.
ERROR_SELECTORS = (
    '[data-testid="stException"]',
    '[data-testid="stAlertContentError"]',
    '[data-testid="stConnectionStatus"]',
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(small: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run dashboards/app.py` on a free port, as `make demo` starts it."""
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {
        **os.environ,
        "SMARKETING_WAREHOUSE": str(small["root"] / "warehouse.duckdb"),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    env.pop("SMARKETING_SERVING", None)
    argv = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.is_file(), (
        f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install -y chromium) "
        "or set SMARKETING_CHROMIUM"
    )
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root; /dev/shm is small in containers.
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield launched
        launched.close()


def settle(page: Page) -> None:
    """Wait until the script run is over and its elements are drawn."""
    page.wait_for_selector("h1", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)


def errors_on(page: Page) -> list[str]:
    problems = [
        f"{selector}: {page.locator(selector).first.inner_text()[:500]}"
        for selector in ERROR_SELECTORS
        if page.locator(selector).count()
    ]
    if "Page not found" in page.locator("body").inner_text():
        problems.append("Streamlit says: Page not found")
    return problems


def test_every_page_loads_in_chromium_without_an_error(app_url: str, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="en-GB")
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    failures = {}
    for number, spec in enumerate(PAGES):
        # the first page is the default one: Streamlit serves it at the root only
        page.goto(f"{app_url}/" if number == 0 else f"{app_url}/{spec.url_path}")
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{spec.url_path}.png"))
        title = page.locator("h1").first.inner_text().strip()
        if title != CATALOGUE[spec.title]["en"]:
            failures[spec.url_path] = [f"title {title!r}"]
        if problems := errors_on(page):
            failures[spec.url_path] = problems
    page.close()
    assert not failures, failures
    assert not script_errors, script_errors


def test_the_language_switch_shows_french(app_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 1600}, locale="en-GB")
    page.goto(f"{app_url}/funnel")
    settle(page)
    page.get_by_role("radio", name="Français").click()
    page.wait_for_selector(f"h1:has-text('{CATALOGUE['page.funnel']['fr']}')")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard-funnel-fr.png"))
    assert not errors_on(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert CATALOGUE["filter.period"]["fr"] in sidebar.inner_text().splitlines()
    # the filters' choices are relabelled too, not left in the previous language
    choices = sidebar.get_by_role("combobox").evaluate_all("boxes => boxes.map(b => b.value)")
    assert choices == [CATALOGUE["filter.all"]["fr"]] * 3
    page.close()


def test_no_page_shows_a_column_name_or_code_and_french_reads_french(
    app_url: str, browser: Browser, small: dict
) -> None:
    """A French browser gets the French dashboard: no page shows a column name of the marts
    (headings and cells of every table included: the grids' accessible text) nor a status
    code; months and numbers are written the French way."""
    con = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    try:
        names = {
            name
            for (name,) in con.execute(
                "select distinct column_name from information_schema.columns "
                "where table_schema = 'marts' and column_name like '%\\_%' escape '\\'"
            ).fetchall()
        }
    finally:
        con.close()
    assert {"kpi_value", "handoff_count", "sla_compliance_rate"} <= names
    column_name = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    # a KPI's status, a breakdown's '(all)', a check's identifier
    codes = re.compile(r"\b(on_track|off_track|at_risk|gx_\w+)\b|\((all|unknown)\)")
    page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="fr-FR")
    found: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for number, spec in enumerate(PAGES):
        if spec.url_path == "sql":  # the analysts' page: their own queries' columns
            continue
        page.goto(f"{app_url}/" if number == 0 else f"{app_url}/{spec.url_path}")
        settle(page)
        assert page.locator("h1").first.inner_text().strip() == CATALOGUE[spec.title]["fr"]
        grid = page.locator('[role="columnheader"], [role="gridcell"]').all_inner_texts()
        text = "\n".join([page.locator("body").inner_text(), *grid])
        texts[spec.url_path] = text
        shown = sorted({m.group(0) for m in column_name.finditer(text)})
        shown += sorted({m.group(0) for m in codes.finditer(text)})
        if shown:
            found[spec.url_path] = shown
    page.screenshot(path=str(ARTIFACTS / "dashboard-governance-fr.png"))
    page.close()
    assert not found, found
    committee = texts["committee"]
    french_months = (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    )
    assert any(f"{month} 2026" in committee for month in french_months)
    assert re.search(r"\d,\d[\u00a0\u202f ]%", committee), "no share written the French way"
    assert not re.search(r"\d\.\d%", committee), "a share written the English way"


def test_a_pack_the_run_did_not_draw_downloads_from_the_committee_page(
    app_url: str, browser: Browser, small: dict
) -> None:
    """The oldest closed month's PDF (frozen by the first run, not drawn) is drawn when its
    button is clicked: the browser receives the pack."""
    from dashboards.views.committee import pack_download
    from smarketing.pack import files_of, store

    con = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    try:
        oldest = min(store.frozen_months(con))
    finally:
        con.close()
    folder = small["root"] / "committee"
    assert not any(path.is_file() for path in files_of(folder, oldest))
    page = browser.new_page(viewport={"width": 1440, "height": 2400}, locale="en-GB")
    page.goto(f"{app_url}/")
    settle(page)
    # the last year's packs in view, earlier months folded
    page.get_by_text(re.compile(r"^Earlier months \(\d+\)$")).click()
    buttons = page.locator('[data-testid="stDownloadButton"]')
    # latest first, PDF then HTML: the oldest month's PDF is the last but one
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as started:
        buttons.nth(buttons.count() - 2).click()
    download = started.value
    assert download.suggested_filename == f"committee-{oldest:%Y-%m}-en.pdf"
    received = Path(download.path()).read_bytes()
    expected = pack_download(folder, oldest, "en", "pdf")
    assert expected is not None and received == expected()
    assert not errors_on(page)
    page.close()
