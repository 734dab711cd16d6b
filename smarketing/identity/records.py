"""The person records to resolve, read from the warehouse into the work database.

``int_person_records`` (dbt) holds every person-like source record with its attributes
normalised in SQL; this module adds what SQL cannot do well: phone numbers in E.164
(``phones.to_e164``), and which numbers identify one person rather than a switchboard or a
placeholder. Contact data that identifies nobody never becomes a key: ``email_key`` is the
address only when it is valid, not a placeholder and not shared by several people
(``int_person_records.email_is_placeholder``, ``email_is_shared``); ``phone_key`` the number
only when it is neither a placeholder (seed ``placeholder_contact_values``) nor shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb
import pyarrow as pa

from smarketing.identity.phones import is_placeholder, placeholder_patterns, to_e164
from smarketing.identity.sql import count

RECORDS = "records"
"""Work table: one row per source record, the columns the matching reads."""
PHONES = "record_phones"
"""Work table: one row per source record that has a phone number (E.164)."""

PROGRESS_EVERY = 250_000
"""Records between two progress messages while phones are normalised."""

RECORD_COLUMNS = (
    "record_key",
    "source_system",
    "source_entity",
    "source_record_id",
    "first_name_key",
    "last_name_key",
    "job_title_key",
    "company_key",
    "web_domain",
    "country_code",
    "created_at",
)


def load_records(
    con: duckdb.DuckDBPyConnection,
    source: str,
    placeholders: str,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Copy the records of ``source`` (``int_person_records``) and their phones, read with the
    phone patterns of ``placeholders`` (the seed ``placeholder_contact_values``); returns the
    number of records."""
    columns = ", ".join(RECORD_COLUMNS)
    con.execute(
        f"create or replace temp table person_records_in as select {columns}, email_normalised, "
        f"email_is_valid, email_is_placeholder, email_is_shared, phone, mobile_phone "
        f"from {source}"
    )
    _normalise_phones(con, _phone_patterns(con, placeholders), progress)
    con.execute(
        f"""
        create or replace table {RECORDS} as
        select
            {", ".join(f"person_records_in.{c}" for c in RECORD_COLUMNS)},
            -- a placeholder (`a@a.com`, `test@`) or an address several people gave (`contact@`)
            -- says nothing of who a record is
            case
                when person_records_in.email_is_valid
                    and not person_records_in.email_is_placeholder
                    and not person_records_in.email_is_shared
                    then person_records_in.email_normalised
            end as email_key,
            -- nor does a number more than one person (by name) gave: a switchboard or a
            -- shared line (placeholder numbers are gone already)
            {PHONES}.personal_phone_e164 as phone_key
        from person_records_in
        left join {PHONES} using (record_key)
        """
    )
    con.execute("drop table person_records_in")
    return count(con, f"select count(*) from {RECORDS}")


def _phone_patterns(
    con: duckdb.DuckDBPyConnection, placeholders: str
) -> tuple[re.Pattern[str], ...]:
    try:
        rows = con.execute(
            f"select value from {placeholders} where kind = 'phone_pattern' order by value"
        ).fetchall()
    except duckdb.CatalogException as error:
        raise RuntimeError(
            f"{placeholders} not found: build the dbt seeds before resolving identities "
            "(dbt build --exclude source:identity+, or smarketing run)"
        ) from error
    return placeholder_patterns(value for (value,) in rows)


def _normalise_phones(
    con: duckdb.DuckDBPyConnection,
    patterns: tuple[re.Pattern[str], ...],
    progress: Callable[[str], None] | None,
) -> None:
    rows = con.execute(
        "select record_key, phone, mobile_phone, country_code from person_records_in "
        "where phone is not null or mobile_phone is not null"
    ).fetchall()
    keys: list[str] = []
    numbers: dict[str, list[str | None]] = {"phone": [], "mobile_phone": []}
    placeholder: dict[str, list[bool]] = {"phone": [], "mobile_phone": []}
    for done, (record_key, *raw, country) in enumerate(rows, start=1):
        keys.append(record_key)
        for field, typed in zip(numbers, raw, strict=True):
            e164 = to_e164(typed, country)
            # a placeholder is nobody's number: not kept, so it neither links nor fills
            is_fake = e164 is not None and is_placeholder(e164, patterns)
            numbers[field].append(None if is_fake else e164)
            placeholder[field].append(is_fake)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(f"phones in E.164: {done:,} of {len(rows):,} records")
    normalised = pa.table(
        {
            "record_key": pa.array(keys, pa.string()),
            "phone_e164": pa.array(numbers["phone"], pa.string()),
            "mobile_phone_e164": pa.array(numbers["mobile_phone"], pa.string()),
            "phone_is_placeholder": pa.array(placeholder["phone"], pa.bool_()),
            "mobile_phone_is_placeholder": pa.array(placeholder["mobile_phone"], pa.bool_()),
        }
    )
    con.register("normalised_phones", normalised)
    con.execute(
        f"""
        create or replace table {PHONES} as
        with numbers as (
            select record_key, phone_e164 as number from normalised_phones
            where phone_e164 is not null
            union all
            select record_key, mobile_phone_e164 from normalised_phones
            where mobile_phone_e164 is not null
        ),
        shared_numbers as (
            select numbers.number
            from numbers
            inner join person_records_in using (record_key)
            group by numbers.number
            -- people told apart by their full name (a record without one says nothing)
            having count(distinct person_records_in.first_name_key || ' '
                                  || person_records_in.last_name_key) > 1
        )
        select
            normalised_phones.record_key,
            normalised_phones.phone_e164,
            normalised_phones.mobile_phone_e164,
            normalised_phones.phone_is_placeholder,
            normalised_phones.mobile_phone_is_placeholder,
            -- the mobile first: a direct line more often than the main phone
            case
                when normalised_phones.mobile_phone_e164 is not null
                    and normalised_phones.mobile_phone_e164
                        not in (select number from shared_numbers)
                    then normalised_phones.mobile_phone_e164
                when normalised_phones.phone_e164 is not null
                    and normalised_phones.phone_e164 not in (select number from shared_numbers)
                    then normalised_phones.phone_e164
            end as personal_phone_e164
        from normalised_phones
        where normalised_phones.phone_e164 is not null
            or normalised_phones.mobile_phone_e164 is not null
            or normalised_phones.phone_is_placeholder
            or normalised_phones.mobile_phone_is_placeholder
        """
    )
    con.unregister("normalised_phones")
