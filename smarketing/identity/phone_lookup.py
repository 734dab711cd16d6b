"""Every phone number as typed in the records, with its E.164 form, kept from run to run.

Parsing with libphonenumber is the slowest step of the identity resolution (about 20 µs a
number: 20 s for the 1.1 million numbers of a million people), while a daily delivery brings
a few thousand numbers not seen before. The lookup ``identity.phone_numbers`` holds, for each
number as typed and the country it was read in, its E.164 form and whether it is a
placeholder; a run parses only the numbers the lookup does not hold, on every core the run
may use. The lookup is rewritten by each run with the numbers of the current records only
(a number no record holds any more is not kept: it is personal data), and it is thrown away
when what decides its values changed (the phonenumbers release, the placeholder patterns of
the seed): a run then parses every number again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

import duckdb
import phonenumbers
import pyarrow as pa

from smarketing import duckdb_limits
from smarketing.identity.phones import is_placeholder, placeholder_patterns, to_e164
from smarketing.identity.sql import scalar

LOOKUP = "phone_lookup"
"""Work table: ``(typed, country, e164, is_placeholder)`` for every number of the records."""
PARALLEL_FROM = 50_000
"""Numbers to parse from which the work is shared between processes (below, starting them
costs more than it saves)."""
CHUNKS_PER_WORKER = 4
"""Chunks each process gets (progress is reported as chunks finish)."""

Typed = tuple[str, str]
"""A number as typed and the record's country code ('' when unknown)."""


def fingerprint(patterns: Sequence[re.Pattern[str]]) -> str:
    """What decides the lookup's values: the phonenumbers release and the placeholder
    patterns."""
    digest = hashlib.sha256("\n".join(p.pattern for p in patterns).encode()).hexdigest()[:16]
    return f"phonenumbers {phonenumbers.__version__}; patterns {digest}"


def parse_numbers(
    numbers: Sequence[Typed], patterns: Sequence[str]
) -> tuple[list[str | None], list[bool]]:
    """E.164 form (None when not a number, or a placeholder) and placeholder flag of each."""
    compiled = placeholder_patterns(patterns)
    e164s: list[str | None] = []
    fakes: list[bool] = []
    for typed, country in numbers:
        e164 = to_e164(typed, country or None)
        # a placeholder is nobody's number: not kept, so it neither links nor fills
        fake = e164 is not None and is_placeholder(e164, compiled)
        e164s.append(None if fake else e164)
        fakes.append(fake)
    return e164s, fakes


def build_lookup(
    con: duckdb.DuckDBPyConnection,
    *,
    records: str,
    cache: str,
    patterns: Sequence[re.Pattern[str]],
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write ``LOOKUP`` for the numbers (``phone``, ``mobile_phone``, read in
    ``country_code``) of ``records``, from ``cache`` (a table of an earlier run, maybe
    missing) and parsing for the rest; returns how many numbers were parsed."""
    con.execute(
        f"""
        create or replace temp table typed_numbers as
        select distinct typed, country
        from (
            select phone as typed, coalesce(country_code, '') as country from {records}
            union all
            select mobile_phone, coalesce(country_code, '') from {records}
        )
        where typed is not null
        """
    )
    con.execute(
        "create or replace temp table phone_lookup (typed varchar, country varchar, "
        "e164 varchar, is_placeholder boolean)"
    )
    if _cache_is_valid(con, cache, fingerprint(patterns)):
        con.execute(
            f"insert into {LOOKUP} select typed, country, e164, is_placeholder "
            f"from {cache} semi join typed_numbers using (typed, country)"
        )
    unknown = con.execute(
        f"select typed, country from typed_numbers anti join {LOOKUP} using (typed, country)"
    ).fetchall()
    e164s, fakes = _parse_everywhere(unknown, [p.pattern for p in patterns], progress)
    parsed = pa.table(
        {
            "typed": pa.array([typed for typed, _ in unknown], pa.string()),
            "country": pa.array([country for _, country in unknown], pa.string()),
            "e164": pa.array(e164s, pa.string()),
            "is_placeholder": pa.array(fakes, pa.bool_()),
        }
    )
    con.register("parsed_numbers", parsed)
    con.execute(f"insert into {LOOKUP} select * from parsed_numbers")
    con.unregister("parsed_numbers")
    con.execute("drop table typed_numbers")
    return len(unknown)


def write_cache(
    con: duckdb.DuckDBPyConnection, cache: str, patterns: Sequence[re.Pattern[str]]
) -> None:
    """Replace ``cache`` with this run's lookup."""
    con.execute(
        f"create or replace table {cache} as select typed, country, e164, is_placeholder, "
        f"$fingerprint as normalised_with from {LOOKUP}",
        {"fingerprint": fingerprint(patterns)},
    )


def _cache_is_valid(con: duckdb.DuckDBPyConnection, cache: str, expected: str) -> bool:
    try:
        found = scalar(con, f"select any_value(normalised_with) from {cache}")
    except duckdb.CatalogException:  # no earlier run wrote it
        return False
    return found is None or found == expected


def _parse_everywhere(
    numbers: list[Typed], patterns: list[str], progress: Callable[[str], None] | None
) -> tuple[list[str | None], list[bool]]:
    workers = min(duckdb_limits.configured_threads(), 8)
    if workers < 2 or len(numbers) < PARALLEL_FROM:
        return parse_numbers(numbers, patterns)
    size = -(-len(numbers) // (workers * CHUNKS_PER_WORKER))
    chunks = [numbers[start : start + size] for start in range(0, len(numbers), size)]
    e164s: list[str | None] = []
    fakes: list[bool] = []
    # spawn: the run's process holds DuckDB's threads, which a fork would copy mid-flight
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done, (chunk_e164s, chunk_fakes) in enumerate(
            pool.map(parse_numbers, chunks, [patterns] * len(chunks)), start=1
        ):
            e164s += chunk_e164s
            fakes += chunk_fakes
            if progress is not None:
                parsed = min(done * size, len(numbers))
                progress(f"phones in E.164: {parsed:,} of {len(numbers):,} numbers parsed")
    return e164s, fakes
