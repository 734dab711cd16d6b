"""The lookup of parsed phone numbers: a run parses only the numbers no earlier run parsed, and
the lookup keeps the numbers of the current records only."""

from __future__ import annotations

import duckdb
import pytest

from smarketing import duckdb_limits
from smarketing.identity import phone_lookup
from smarketing.identity.phone_lookup import LOOKUP, build_lookup, write_cache
from smarketing.identity.phones import is_placeholder, placeholder_patterns, to_e164

CACHE = "memory.main.phone_numbers"
PATTERNS = placeholder_patterns([r"0+", r"123456789"])
RECORDS = [
    # phone, mobile, country
    ("06 12 34 56 78", None, "FR"),
    ("+33 6 12 34 56 78", "0475 12 34 56", "BE"),
    ("0475 12 34 56", None, None),  # no country: read in France
    ("01 23 45 67 89", None, ""),  # a placeholder
    ("n/a", "079 971 00 33", "CH"),
]


def _records(con: duckdb.DuckDBPyConnection, rows: list[tuple[str | None, ...]]) -> None:
    con.execute(
        "create or replace table person_records "
        "(phone varchar, mobile_phone varchar, country_code varchar)"
    )
    con.executemany("insert into person_records values (?, ?, ?)", rows)


def _lookup(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str | None, bool]]:
    rows = con.execute(f"select typed, country, e164, is_placeholder from {LOOKUP}").fetchall()
    return {(typed, country): (e164, fake) for typed, country, e164, fake in rows}


def _expected(rows: list[tuple[str | None, ...]]) -> dict[tuple[str, str], tuple[str | None, bool]]:
    expected = {}
    for phone, mobile, country in rows:
        for typed in (phone, mobile):
            if typed is None:
                continue
            e164 = to_e164(typed, country)
            fake = e164 is not None and is_placeholder(e164, PATTERNS)
            expected[(typed, country or "")] = (None if fake else e164, fake)
    return expected


def test_numbers_parsed_once_then_read_from_the_lookup() -> None:
    con = duckdb.connect()
    _records(con, RECORDS)
    parsed = build_lookup(con, records="person_records", cache=CACHE, patterns=PATTERNS)
    assert parsed == len(_expected(RECORDS)) == 7
    assert _lookup(con) == _expected(RECORDS)
    write_cache(con, CACHE, PATTERNS)

    # the next day: one record gone, one new number, the rest known
    day_two = [*RECORDS[1:], ("+41 79 971 00 34", None, "CH")]
    _records(con, day_two)
    assert build_lookup(con, records="person_records", cache=CACHE, patterns=PATTERNS) == 1
    assert _lookup(con) == _expected(day_two)
    write_cache(con, CACHE, PATTERNS)
    # the number of the record gone is not kept
    kept = {typed for (typed,) in con.execute(f"select typed from {CACHE}").fetchall()}
    assert "06 12 34 56 78" not in kept and "+41 79 971 00 34" in kept


def test_other_placeholder_patterns_parse_every_number_again() -> None:
    con = duckdb.connect()
    _records(con, RECORDS)
    build_lookup(con, records="person_records", cache=CACHE, patterns=PATTERNS)
    write_cache(con, CACHE, PATTERNS)
    others = placeholder_patterns([r"0+"])
    assert build_lookup(con, records="person_records", cache=CACHE, patterns=others) == 7
    placeholder = ("01 23 45 67 89", "")
    assert _lookup(con)[placeholder] == ("+33123456789", False)


def test_many_numbers_are_parsed_by_several_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phone_lookup, "PARALLEL_FROM", 1)
    monkeypatch.setattr(duckdb_limits, "configured_threads", lambda: 2)
    rows: list[tuple[str | None, ...]] = [
        (f"06 12 34 {i // 100:02d} {i % 100:02d}", None, "FR") for i in range(40)
    ]
    rows += RECORDS
    con = duckdb.connect()
    _records(con, rows)
    said: list[str] = []
    parsed = build_lookup(
        con, records="person_records", cache=CACHE, patterns=PATTERNS, progress=said.append
    )
    assert parsed == len(_expected(rows))
    assert _lookup(con) == _expected(rows)
    assert said[-1] == f"phones in E.164: {parsed:,} of {parsed:,} numbers parsed"
    assert len(said) == 2 * phone_lookup.CHUNKS_PER_WORKER
