"""Decoding a delivered file line by line, so that a file mixing encodings still loads.

Salesforce's weekly Data Export and files edited by hand can hold Windows-1252 (Latin-1) lines
among UTF-8 ones. Decoding the whole file one way garbles or drops half of it; decoding each
line as UTF-8, else as Windows-1252, reads every line as it was written, and the lines that
fell back are counted in the load audit.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Decoded line by line (each line: UTF-8, else Windows-1252); other encodings are read whole.
LINE_BY_LINE = ("utf-8", "utf-8-sig", "cp1252")
CR_SAMPLE_BYTES = 1 << 20


class DecodedLines:
    """The lines of PATH as text (line endings kept, for the csv module), counted by encoding."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.utf8_lines = 0
        """lines holding non-ASCII text that decoded as UTF-8"""
        self.cp1252_lines = 0
        """lines that are not UTF-8, read as Windows-1252 (Latin-1 where 1252 has no byte)"""

    @property
    def label(self) -> str:
        """The encoding found: ``utf-8``, ``cp1252``, or ``utf-8+cp1252`` for a mixed file."""
        if self.encoding not in LINE_BY_LINE:
            return self.encoding
        if self.cp1252_lines and self.utf8_lines:
            return "utf-8+cp1252"
        if self.cp1252_lines:
            return "cp1252"
        return "utf-8-sig" if self.encoding == "utf-8-sig" else "utf-8"

    def __iter__(self) -> Iterator[str]:
        if self.encoding not in LINE_BY_LINE:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                yield from handle
            return
        with self.path.open("rb") as handle:
            first = True
            for raw in _raw_lines(handle):
                if first and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                first = False
                yield self._decode(raw)

    def _decode(self, raw: bytes) -> str:
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.cp1252_lines += 1
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: Latin-1 control codes
                return raw.decode("latin-1")
        self.utf8_lines += 1
        return text


def _raw_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines, terminators kept: LF or CRLF, or CR alone (old Mac, some report
    exports), told by the first megabyte."""
    head = handle.read(CR_SAMPLE_BYTES)
    handle.seek(0)
    if b"\n" in head or b"\r" not in head:
        yield from handle
        return
    rest = b""
    while chunk := handle.read(1 << 20):
        lines = (rest + chunk).split(b"\r")
        rest = lines.pop()
        for line in lines:
            yield line + b"\r"
    if rest:
        yield rest
