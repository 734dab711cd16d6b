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
from dataclasses import dataclass

import duckdb

from smarketing.identity.phone_lookup import LOOKUP, build_lookup
from smarketing.identity.phones import placeholder_patterns
from smarketing.identity.sql import count

RECORDS = "records"
"""Work table: one row per source record, the columns the matching reads."""
PHONES = "record_phones"
"""Work table: one row per source record that has a phone number (E.164)."""


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


@dataclass(frozen=True)
class RecordsRead:
    records: int
    numbers_parsed: int
    """Phone numbers parsed by this run (the others were in the lookup of an earlier one)."""
    patterns: tuple[re.Pattern[str], ...]
    """The placeholder phone patterns the numbers were read with."""


def load_records(
    con: duckdb.DuckDBPyConnection,
    source: str,
    placeholders: str,
    phone_cache: str,
    progress: Callable[[str], None] | None = None,
) -> RecordsRead:
    """Copy the records of ``source`` (``int_person_records``) and their phones, read with the
    phone patterns of ``placeholders`` (the seed ``placeholder_contact_values``) and the
    numbers an earlier run parsed (``phone_cache``, see ``phone_lookup``)."""
    columns = ", ".join(RECORD_COLUMNS)
    con.execute(
        f"create or replace temp table person_records_in as select {columns}, email_normalised, "
        f"email_is_valid, email_is_placeholder, email_is_shared, phone, mobile_phone "
        f"from {source}"
    )
    patterns = _phone_patterns(con, placeholders)
    parsed = _normalise_phones(con, patterns, phone_cache, progress)
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
    return RecordsRead(count(con, f"select count(*) from {RECORDS}"), parsed, patterns)


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
    cache: str,
    progress: Callable[[str], None] | None,
) -> int:
    parsed = build_lookup(
        con, records="person_records_in", cache=cache, patterns=patterns, progress=progress
    )
    con.execute(
        f"""
        create or replace temp table normalised_phones as
        select
            person_records_in.record_key,
            phone.e164 as phone_e164,
            mobile.e164 as mobile_phone_e164,
            coalesce(phone.is_placeholder, false) as phone_is_placeholder,
            coalesce(mobile.is_placeholder, false) as mobile_phone_is_placeholder
        from person_records_in
        left join {LOOKUP} as phone
            on phone.typed = person_records_in.phone
            and phone.country = coalesce(person_records_in.country_code, '')
        left join {LOOKUP} as mobile
            on mobile.typed = person_records_in.mobile_phone
            and mobile.country = coalesce(person_records_in.country_code, '')
        where person_records_in.phone is not null or person_records_in.mobile_phone is not null
        """
    )
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
    con.execute("drop table normalised_phones")
    return parsed
