"""The person records to resolve, read from the warehouse into the work database.

``int_person_records`` (dbt) holds every person-like source record with its attributes
normalised in SQL; this module adds what SQL cannot do well: phone numbers in E.164
(``phones.to_e164``), and which numbers identify one person rather than a switchboard.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from smarketing.identity.phones import to_e164
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
    "email_normalised",
    "email_is_valid",
    "company_key",
    "web_domain",
    "country_code",
    "created_at",
)


def load_records(
    con: duckdb.DuckDBPyConnection,
    source: str,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Copy the records of ``source`` (``int_person_records``) and their phones; returns
    the number of records."""
    columns = ", ".join(RECORD_COLUMNS)
    con.execute(
        f"create or replace temp table person_records_in as select {columns}, phone, "
        f"mobile_phone from {source}"
    )
    _normalise_phones(con, progress)
    con.execute(
        f"""
        create or replace table {RECORDS} as
        select
            {", ".join(f"person_records_in.{c}" for c in RECORD_COLUMNS)},
            -- a number more than one person (by name) gave is a switchboard or a shared line:
            -- it says nothing of who a record is
            {PHONES}.personal_phone_e164 as phone_key
        from person_records_in
        left join {PHONES} using (record_key)
        """
    )
    con.execute("drop table person_records_in")
    return count(con, f"select count(*) from {RECORDS}")


def _normalise_phones(
    con: duckdb.DuckDBPyConnection, progress: Callable[[str], None] | None
) -> None:
    rows = con.execute(
        "select record_key, phone, mobile_phone, country_code from person_records_in "
        "where phone is not null or mobile_phone is not null"
    ).fetchall()
    keys, phones, mobiles = [], [], []
    for done, (record_key, phone, mobile, country) in enumerate(rows, start=1):
        keys.append(record_key)
        phones.append(to_e164(phone, country))
        mobiles.append(to_e164(mobile, country))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(f"phones in E.164: {done:,} of {len(rows):,} records")
    normalised = pa.table(
        {
            "record_key": pa.array(keys, pa.string()),
            "phone_e164": pa.array(phones, pa.string()),
            "mobile_phone_e164": pa.array(mobiles, pa.string()),
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
        """
    )
    con.unregister("normalised_phones")
