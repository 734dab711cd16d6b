"""How a delivered file is written: encoding, byte-order mark, delimiter."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class FileFormat:
    encoding: str
    """Python codec used to read the file (``utf-8-sig`` when it starts with a BOM)."""
    has_bom: bool
    delimiter: str


def detect_encoding(sample: bytes) -> tuple[str, bool]:
    """UTF-8 (with or without BOM) or UTF-16 when they decode, else Windows-1252.

    Windows-1252 is what French Excel and older CRM exports write; it is a superset of
    Latin-1 for printable text, so it is the safe fallback. A file whose later bytes turn out
    not to be UTF-8 is re-read as Windows-1252 by the loader.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252", False
    return "utf-8", False


def detect_delimiter(header_line: str) -> str:
    """The candidate that splits the header into the most cells, quotes respected."""
    best, best_cells = ",", 0
    for delimiter in DELIMITERS:
        cells = next(csv.reader(io.StringIO(header_line), delimiter=delimiter), [])
        if len(cells) > best_cells:
            best, best_cells = delimiter, len(cells)
    return best


def sniff(path: Path) -> FileFormat:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding, has_bom = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    header_line = text.splitlines()[0] if text else ""
    return FileFormat(encoding=encoding, has_bom=has_bom, delimiter=detect_delimiter(header_line))
