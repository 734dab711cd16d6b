"""The committee pack of a small-scale run (the ``small`` fixture, as of 2026-11-20: October
2026 is the latest closed month): its PDFs read back (pdftotext) give the frozen snapshot's
figures in French and in English, its pages are saved as images (test-artifacts/), and a pack
drawn again after the live marts changed is the same file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from smarketing import formats
from smarketing.pack import content, content_file, files_of, store

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts" / "committee-pack"
MONTH = date(2026, 10, 1)
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def plain(text: str) -> str:
    """TEXT with every run of spaces (narrow and non-breaking ones included) as one space."""
    return SPACES.sub(" ", text)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def snapshot(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """
            select k.label_fr, k.label_en, k.unit, s.kpi_value, s.target, s.previous_value,
                s.status
            from marts.fct_committee_kpi_snapshots as s
            join config.committee_kpis as k using (kpi)
            where s.period_month = ?
            order by k.display_order
            """,
            [MONTH],
        ).fetchall()
    finally:
        con.close()


def shown(unit: str, value: object, lang: str) -> str:
    if unit == "share":
        return formats.percent(value, lang)
    return formats.days(value, lang)


def pack_command(month: str, warehouse: Path, folder: Path) -> subprocess.CompletedProcess:
    """`smarketing committee pack MONTH` on WAREHOUSE, the packs into FOLDER."""
    return subprocess.run(
        [sys.executable, "-m", "smarketing.cli", "committee", "pack", month],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SMARKETING_WAREHOUSE": str(warehouse),
            "SMARKETING_COMMITTEE_DIR": str(folder),
        },
        check=False,
    )


@pytest.fixture(scope="module")
def pack(small: dict) -> dict[str, Path]:
    folder = small["root"] / "committee"
    files = files_of(folder, MONTH)
    missing = [path.name for path in files if not path.is_file()]
    assert not missing, f"the run drew no pack for 2026-10: {missing}"
    return {path.name: path for path in files}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_shows_the_frozen_scorecard(small: dict, pack: dict[str, Path], lang: str) -> None:
    text = plain(pdf_text(pack[f"committee-2026-10-{lang}.pdf"]))
    rows = snapshot(small["root"] / "warehouse.duckdb")
    assert len(rows) == 8
    for label_fr, label_en, unit, value, target, previous, _status in rows:
        label = plain(label_fr if lang == "fr" else label_en)
        figures = " ".join(plain(shown(unit, v, lang)) for v in (value, target, previous))
        assert f"{label} {figures}" in text, f"{label}: {figures} not in the {lang} scorecard"
    assert ("octobre 2026" if lang == "fr" else "October 2026") in text
    statuses = {"fr": "Hors cible", "en": "Off track"}
    if any(status == "off_track" for *_, status in rows):
        assert statuses[lang] in text
    # no code or column name of the marts
    for code in ("off_track", "on_track", "kpi_value", "(all)", "mql_volume_attainment"):
        assert code not in text


def test_each_kpi_off_track_is_explained(small: dict, pack: dict[str, Path]) -> None:
    text = plain(pdf_text(pack["committee-2026-10-en.pdf"]))
    off_track = [
        row for row in snapshot(small["root"] / "warehouse.duckdb") if row[6] == "off_track"
    ]
    assert off_track, "the small run has no KPI off track in October: nothing to explain"
    for _fr, label_en, unit, value, target, *_ in off_track:
        figures = (
            f"{plain(shown(unit, value, 'en'))} against a target of {shown(unit, target, 'en')}"
        )
        heading = f"{plain(label_en)}: {plain(figures)}"
        assert heading in text


def test_pages_are_saved_as_images(pack: dict[str, Path]) -> None:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    for lang in ("fr", "en"):
        pdf = pack[f"committee-2026-10-{lang}.pdf"]
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
        pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
        assert "A4" in info.stdout or "841.89 x 595.28" in info.stdout  # A4 landscape
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"2026-10-{lang}")],
            check=True,
        )
        images = sorted(ARTIFACTS.glob(f"2026-10-{lang}-*.png"))
        assert len(images) == pages >= 5
        assert all(image.stat().st_size > 5_000 for image in images)


def test_the_html_is_self_contained(pack: dict[str, Path]) -> None:
    page = pack["committee-2026-10-fr.html"].read_text(encoding="utf-8")
    assert "<svg" in page and "<style>" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "@import" not in page


def test_a_pack_drawn_again_is_the_same_after_late_data(
    small: dict, pack: dict[str, Path], tmp_path: Path
) -> None:
    """Late data moved the live marts; the pack drawn again shows the frozen figures."""
    root = tmp_path / "copy"
    root.mkdir()
    shutil.copy(small["root"] / "warehouse.duckdb", root / "warehouse.duckdb")
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    con.execute(
        "update marts.fct_funnel_periods set mql_count = mql_count + 1000 where period_month = ?",
        [MONTH],
    )
    con.execute(
        "update marts.fct_sla_compliance set sla_compliance_rate = 0.01 where handoff_month = ?",
        [MONTH],
    )
    con.close()
    result = pack_command("2026-10", root / "warehouse.duckdb", root / "packs")
    assert result.returncode == 0, result.stderr
    for name, original in pack.items():
        again = root / "packs" / "2026-10" / name
        assert again.read_bytes() == original.read_bytes(), f"{name} changed"


def test_every_closed_month_is_drawn_on_demand(small: dict, tmp_path: Path) -> None:
    """A first run freezes every closed month and draws the latest only; each month's frozen
    content is in its folder, and the pack the dashboard draws from it when downloaded is the
    file `smarketing committee pack` writes."""
    from dashboards.views.committee import pack_download

    folder = small["root"] / "committee"
    warehouse = small["root"] / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frozen = sorted(store.frozen_months(con))
    finally:
        con.close()
    assert len(frozen) > 1 and frozen[-1] == MONTH
    assert all(content_file(folder, month).is_file() for month in frozen)
    oldest = frozen[0]
    assert not any(path.is_file() for path in files_of(folder, oldest)), "drawn by the run"
    drawn = {
        (lang, kind): pack_download(folder, oldest, lang, kind)
        for lang in ("fr", "en")
        for kind in ("pdf", "html")
    }
    result = pack_command(f"{oldest:%Y-%m}", warehouse, tmp_path / "packs")
    assert result.returncode == 0, result.stderr
    for path in files_of(tmp_path / "packs", oldest):
        lang, kind = path.stem.rsplit("-", 1)[1], path.suffix[1:]
        download = drawn[(lang, kind)]
        assert download is not None, path.name
        assert download() == path.read_bytes(), f"{path.name} drawn on demand differs"


def test_a_month_not_closed_has_no_pack(small: dict, tmp_path: Path) -> None:
    result = pack_command("2026-11", small["root"] / "warehouse.duckdb", tmp_path / "packs")
    assert result.returncode != 0
    assert "not closed yet: 2026-11" in result.stderr
    assert not (tmp_path / "packs" / "2026-11").exists()


def test_contributions_add_up_to_the_miss() -> None:
    """Each group's part of a ratio KPI's distance to target: (its numerator - target x its
    denominator) over the whole denominator; together, the whole distance."""
    kpi = {"target": 0.9, "better": "higher"}
    members = [
        {"member": "A", "met": 80, "decided": 100},  # 0.80: -0.10 x 100 / 250 = -0.04
        {"member": "B", "met": 100, "decided": 125},  # 0.80: -0.125 x ... = -0.05
        {"member": "C", "met": 25, "decided": 25},  # 1.00: +0.01 (against no miss: left out)
    ]
    rows = content.contributions(kpi, members, "met", "decided")
    assert [(row["member"], row["contribution"]) for row in rows] == [("B", -0.05), ("A", -0.04)]
    whole = (80 + 100 + 25) / 250 - 0.9
    assert sum(row["contribution"] for row in rows) + 0.01 == pytest.approx(whole)
    lower = content.contributions({"target": 0.9, "better": "lower"}, members, "met", "decided")
    assert [row["member"] for row in lower] == ["C"]
