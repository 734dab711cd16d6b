"""Placeholder and shared contact data is never identity evidence: hand-made exports (a few
records per case, ``tests/handmade.py``) through the whole pipeline, as a user runs it (the run
the ``handmade`` fixture shares with other hand-made deliveries).

Each case uses names, companies and addresses of its own, so that cases cannot link to each
other. Without the rules, the eight ``a@a.com`` leads are one person, and so are the records
that share a ``noreply@``, ``test@test.com``, ``contact@`` address or a placeholder phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def warehouse(handmade: dict) -> Path:
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return handmade["root"] / "warehouse.duckdb"


@pytest.fixture
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def _persons(con: duckdb.DuckDBPyConnection, *record_keys: str) -> int:
    """How many unified leads the records are in (every record must be bridged)."""
    rows = con.execute(
        "select record_key, unified_lead_id from marts.bridge_lead_source_records "
        "where record_key in (select unnest(?))",
        [list(record_keys)],
    ).fetchall()
    assert len(rows) == len(record_keys), sorted(set(record_keys) - {key for key, _ in rows})
    return len({lead for _, lead in rows})


def test_eight_people_sharing_a_placeholder_address_stay_eight(con) -> None:
    keys = [f"salesforce:lead:00Q0000000000{i:02d}" for i in range(1, 9)]
    assert _persons(con, *keys) == 8
    flags = con.execute(
        "select count(*) filter (where email_is_placeholder), count(*) filter (where has_email) "
        "from marts.dim_leads where email_source in (select unnest(?))",
        [keys],
    ).fetchall()[0]
    assert flags == (8, 0)


@pytest.mark.parametrize(
    "records",
    [
        # noreply@: one named record and a nameless one
        ("salesforce:lead:00Q000000000020", "hubspot:contact:52001"),
        # test@test.com
        ("salesforce:lead:00Q000000000021", "hubspot:contact:52002"),
        # N/A in the e-mail field
        ("salesforce:contact:003000000000070", "salesforce:contact:003000000000071"),
        # the same placeholder phone
        ("salesforce:lead:00Q000000000030", "hubspot:contact:52003"),
    ],
    ids=["noreply", "test_at_test_com", "n_a", "placeholder_phone"],
)
def test_placeholder_contact_data_links_nothing(con, records: tuple[str, ...]) -> None:
    assert _persons(con, *records) == len(records)
    unmatched = con.execute(
        "select count(*) from marts.bridge_lead_source_records "
        "where record_key in (select unnest(?)) and match_rule = 'unmatched'",
        [list(records)],
    ).fetchall()[0][0]
    assert unmatched == len(records)


def test_placeholder_phones_are_nobodys_number(con) -> None:
    phones = {
        key: (e164, placeholder)
        for key, e164, placeholder in con.execute(
            """
            select record_key, coalesce(mobile_phone_e164, phone_e164) is not null,
                phone_is_placeholder or mobile_phone_is_placeholder
            from identity.person_phones
            where record_key in (
                'salesforce:lead:00Q000000000030', 'hubspot:contact:52003',
                'salesforce:lead:00Q000000000031', 'salesforce:lead:00Q000000000032'
            )
            """
        ).fetchall()
    }
    # 01 23 45 67 89 and +33 1 00 00 00 00 are dropped (0000000000 is no number at all);
    # a real mobile is kept
    assert phones == {
        "salesforce:lead:00Q000000000030": (False, True),
        "hubspot:contact:52003": (False, True),
        "salesforce:lead:00Q000000000031": (False, True),
        "salesforce:lead:00Q000000000032": (True, False),
    }
    has_phone = dict(
        con.execute(
            "select email_source, has_phone from marts.dim_leads "
            "where email_source like 'salesforce:lead:00Q00000000003_'"
        ).fetchall()
    )
    assert has_phone == {
        "salesforce:lead:00Q000000000030": False,
        "salesforce:lead:00Q000000000031": False,
        "salesforce:lead:00Q000000000032": True,
    }


def test_an_address_several_people_gave_links_none_of_them(con) -> None:
    records = (
        "salesforce:lead:00Q000000000040",
        "salesforce:lead:00Q000000000041",
        "hubspot:contact:52004",
    )
    assert _persons(con, *records) == 3
    shared = con.execute(
        "select bool_and(email_is_shared), bool_or(email_is_placeholder) "
        "from intermediate.int_person_records where record_key in (select unnest(?))",
        [list(records)],
    ).fetchall()[0]
    assert shared == (True, False)


def test_one_persons_address_on_their_three_records_still_links_them(con) -> None:
    records = (
        "salesforce:lead:00Q000000000050",
        "salesforce:contact:003000000000050",
        "hubspot:contact:52005",
    )
    assert _persons(con, *records) == 1
    rules = con.execute(
        "select list(distinct match_rule) from marts.bridge_lead_source_records "
        "where record_key in (select unnest(?))",
        [list(records)],
    ).fetchall()[0][0]
    assert rules == ["same_email"]


def test_a_placeholder_never_survives_over_a_real_address(con) -> None:
    lead = con.execute(
        """
        select d.email_source, d.email_is_placeholder, d.has_email, d.source_record_count
        from marts.dim_leads as d
        inner join marts.bridge_lead_source_records as b using (unified_lead_id)
        where b.record_key = 'hubspot:contact:52006'
        """
    ).fetchall()
    # the HubSpot record is newer, but its address is a placeholder
    assert lead == [("salesforce:lead:00Q000000000060", False, True, 2)]
