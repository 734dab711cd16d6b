"""The records of a delivered file, each with the physical line it starts on, and a quote left
open contained to its own line.

A quote opened and never closed makes a CSV reader take every following line into one field:
one bad cell on row 20 of 50 would swallow the 30 rows after it into one rejected record. A
record that spans several lines and is not a record of the file's shape, when a line it took
reads on its own as a record, is such a case: its first line is rejected alone (``OpenQuote``)
and the lines after it are read again. A quoted field that really holds line breaks (a
description, an address) is a record of the right shape, and stays whole.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

# how many of the lines a suspect record took are tried on their own
LOOKAHEAD_LINES = 3


@dataclass(frozen=True)
class OpenQuote:
    """The first line of a record whose quote never closes, rejected on its own."""

    line: str

    @property
    def reason(self) -> str:
        return (
            "a quote opened on this line is not closed where the row ends: the line is "
            "rejected alone and the lines after it are read as rows of their own"
        )


class _Lines:
    """The decoded lines, lines given back first; remembers the lines taken since ``take``."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._given_back: deque[str] = deque()
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._given_back.popleft() if self._given_back else next(self._lines)
        self.taken.append(line)
        return line

    def give_back(self, lines: list[str]) -> None:
        self._given_back.extendleft(reversed(lines))


class RecordReader:
    """CSV records of decoded LINES, with ``line``: the physical line the last one starts on."""

    def __init__(self, lines: Iterable[str], delimiter: str) -> None:
        self.delimiter = delimiter
        self._lines = _Lines(lines)
        self._reader = csv.reader(self._lines, delimiter=delimiter)
        self.line = 0
        self._next_line = 1

    def _read(self) -> tuple[list[str] | csv.Error, list[str]] | None:
        self._lines.taken = []
        try:
            record: list[str] | csv.Error = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            record = exc
        taken = self._lines.taken
        self.line, self._next_line = self._next_line, self._next_line + len(taken)
        return record, taken

    def header(self) -> list[str] | None:
        read = self._read()
        return None if read is None or isinstance(read[0], csv.Error) else read[0]

    def records(
        self, width: int, is_record: Callable[[list[str]], bool]
    ) -> Iterator[list[str] | csv.Error | OpenQuote]:
        """The records after the header; WIDTH fields and IS_RECORD tell a record of the file."""
        while (read := self._read()) is not None:
            record, taken = read
            malformed = isinstance(record, csv.Error) or len(record) != width
            if len(taken) > 1 and malformed and self._swallowed(taken[1:], width, is_record):
                self._next_line = self.line + 1
                self._lines.give_back(taken[1:])
                # a fresh reader: the one that hit the end of the lines may not read again
                self._reader = csv.reader(self._lines, delimiter=self.delimiter)
                yield OpenQuote(taken[0].rstrip("\r\n"))
            else:
                yield record

    def _swallowed(
        self, lines: list[str], width: int, is_record: Callable[[list[str]], bool]
    ) -> bool:
        """Whether one of the first LINES, read on its own, is a record of the file."""
        for line in lines[:LOOKAHEAD_LINES]:
            fields = next(csv.reader([line], delimiter=self.delimiter), [])
            if len(fields) == width and is_record(fields):
                return True
        return False
