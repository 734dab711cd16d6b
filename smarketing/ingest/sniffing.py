"""How a delivered file is written: encoding, byte-order mark, delimiter."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20
# where UTF-16/32 without a byte-order mark is looked for, and the share of NUL bytes (in the
# places they fall) that tells it
NUL_SAMPLE_BYTES = 1 << 12
WIDE_SHARE = 0.6
# control bytes no text holds (NUL and the like; tab, line ends, form feed and escape aside),
# in that share of the sample, not in UTF-16/32's places: not text
CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
BINARY_SHARE = 0.05
MAGIC = (
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


@dataclass(frozen=True)
class FileFormat:
    encoding: str
    """Python codec used to read the file (``utf-8-sig`` when it starts with a BOM)."""
    has_bom: bool
    delimiter: str
    not_text: str | None = None
    """What the file holds when it is not text (an archive, a workbook…): it is not read."""


def detect_encoding(sample: bytes) -> tuple[str, bool]:
    """UTF-8 (with or without BOM), UTF-16 or UTF-32 (with a BOM, or without by where the NUL
    bytes fall) when they decode, else Windows-1252.

    Windows-1252 is what French Excel and older CRM exports write; it is a superset of
    Latin-1 for printable text, so it is the safe fallback. A file whose later bytes turn out
    not to be UTF-8 is re-read as Windows-1252 by the loader.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", True
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    unmarked = _wide_encoding(sample[:NUL_SAMPLE_BYTES])
    if unmarked is not None:
        return unmarked, False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252", False
    return "utf-8", False


def _wide_encoding(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by their NUL bytes: text of Latin
    letters in UTF-16 LE has a NUL after each letter (``I\x00d\x00``), in UTF-32 LE three.
    A text encoding of one byte a letter has none, so a NUL on most letters is decisive."""
    n = len(sample) - len(sample) % 4
    if n < 8 or sample.count(0) < n // 4:
        return None
    lanes = [sample[lane:n:4].count(0) / (n // 4) for lane in range(4)]
    if all(lanes[i] >= WIDE_SHARE for i in (1, 2, 3)) and lanes[0] < WIDE_SHARE:
        return "utf-32-le"
    if all(lanes[i] >= WIDE_SHARE for i in (0, 1, 2)) and lanes[3] < WIDE_SHARE:
        return "utf-32-be"
    odd = (lanes[1] + lanes[3]) / 2
    even = (lanes[0] + lanes[2]) / 2
    if odd >= WIDE_SHARE and even < WIDE_SHARE:
        return "utf-16-le"
    if even >= WIDE_SHARE and odd < WIDE_SHARE:
        return "utf-16-be"
    return None


def binary_kind(sample: bytes) -> str | None:
    """What a file that is not text holds (an archive, a workbook…), None when it may be text."""
    for magic, kind in MAGIC:
        if sample.startswith(magic):
            return kind
    head = sample[:NUL_SAMPLE_BYTES]
    if not head or _wide_encoding(head) is not None:
        return None
    controls = sum(head.count(byte) for byte in CONTROL_BYTES)
    return "binary data" if controls / len(head) >= BINARY_SHARE else None


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
    return FileFormat(
        encoding=encoding,
        has_bom=has_bom,
        delimiter=detect_delimiter(header_line),
        not_text=binary_kind(sample),
    )
