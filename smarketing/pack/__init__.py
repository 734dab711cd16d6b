"""The monthly committee pack: when a month is closed its content is frozen in the warehouse
(``committee.packs``) and drawn in French and English, as PDF (A4 landscape) and as a
self-contained HTML file, under ``<committee dir>/YYYY-MM/``. Drawn again from the same frozen
content, a pack is the same file. Each frozen month's content is also written beside its
files (``committee-YYYY-MM.json``), so a pack not drawn yet is drawn on demand from it
(``draw``: the dashboard's downloads)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from smarketing.pack import content, render, store

__all__ = ["PackError", "Produced", "content_file", "draw", "files_of", "produce"]


class PackError(Exception):
    """A pack was asked of a month that is not closed."""


@dataclass
class Produced:
    frozen: list[date] = field(default_factory=list)
    """Months whose content this call froze."""
    drawn: list[date] = field(default_factory=list)
    """Months whose files this call wrote."""
    files: list[Path] = field(default_factory=list)
    pdf_error: str | None = None
    """Why the PDFs could not be drawn (the HTML files were)."""


def files_of(folder: Path, month: date) -> list[Path]:
    """The files of MONTH's pack in FOLDER (the committee dir), whether they exist or not."""
    stems = [render.file_stem(month, lang) for lang in render.LANGUAGES]
    return [
        folder / f"{month:%Y-%m}" / f"{stem}.{kind}" for kind in ("pdf", "html") for stem in stems
    ]


def content_file(folder: Path, month: date) -> Path:
    """The frozen content of MONTH's pack (JSON) in FOLDER, beside its files."""
    return folder / f"{month:%Y-%m}" / f"committee-{month:%Y-%m}.json"


def draw(source: Path, lang: str, kind: str) -> bytes:
    """The pack in LANG as KIND (``pdf`` or ``html``) drawn from its content file SOURCE: the
    bytes of the file ``produce`` writes."""
    page = render.html(json.loads(source.read_text(encoding="utf-8")), lang)
    return page.encode("utf-8") if kind == "html" else render.pdf(page)


def _to_draw(
    folder: Path, frozen: list[date], newly: list[date], asked: list[date] | None
) -> list[date]:
    """ASKED; else the months just frozen (the latest only when a first run freezes a whole
    history: older packs are drawn on demand) and the latest month if its files are missing."""
    if asked is not None:
        return sorted(set(asked))
    months = set(newly[-1:]) if len(newly) > 1 else set(newly)
    if frozen and not all(path.is_file() for path in files_of(folder, frozen[-1])):
        months.add(frozen[-1])
    return sorted(months)


def produce(
    con: duckdb.DuckDBPyConnection, folder: Path, months: list[date] | None = None
) -> Produced:
    """Freeze the content of every closed month that has none yet, then draw the packs of
    MONTHS (default: see ``_to_draw``) into FOLDER."""
    produced = Produced()
    closed = content.closed_months(con)
    if months is not None:
        missing = sorted(set(months) - set(closed))
        if missing:
            raise PackError(
                "not closed yet: "
                + ", ".join(f"{month:%Y-%m}" for month in missing)
                + " (close a month with `smarketing committee close YYYY-MM`)"
            )
    already = store.frozen_months(con)
    to_freeze = [month for month in closed if month not in already]
    metric_layer = content.breakdowns(con) if to_freeze else None
    for month in to_freeze:
        store.save(con, month, content.read(con, month, metric_layer))
        produced.frozen.append(month)
    frozen = sorted(store.frozen_months(con))
    for month in frozen:
        source = content_file(folder, month)
        kept = None if source.is_file() else store.text(con, month)
        if kept is not None:
            source.parent.mkdir(parents=True, exist_ok=True)
            render.replace(source, kept.encode("utf-8"))
    for month in _to_draw(folder, frozen, produced.frozen, months):
        frozen_content = store.load(con, month)
        assert frozen_content is not None  # every closed month was frozen above
        try:
            produced.files.extend(render.write(frozen_content, folder / f"{month:%Y-%m}"))
        except render.PdfUnavailable as error:
            produced.pdf_error = str(error)
            produced.files.extend(
                path for path in files_of(folder, month) if path.suffix == ".html"
            )
        produced.drawn.append(month)
    return produced
