"""Normalisation the identity resolution relies on: phones, match keys, country spellings."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import phonenumbers
import pytest

from smarketing.identity.country_spellings import SEED, render, seed_rows
from smarketing.identity.keys import match_key
from smarketing.identity.phones import (
    first_e164,
    is_placeholder,
    national_number,
    placeholder_patterns,
    to_e164,
)
from smarketing_tools.generator.rules import COUNTRY_SPELLINGS

PLACEHOLDER_SEED = Path(__file__).resolve().parents[1] / "dbt/seeds/placeholder_contact_values.csv"


@pytest.mark.parametrize(
    "raw",
    [
        "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        " 06-12-34-56-78 ",
    ],
)
def test_every_way_a_french_mobile_is_written_gives_one_e164(raw: str) -> None:
    assert to_e164(raw, "FR") == "+33612345678"


def test_national_numbers_are_read_in_the_records_country() -> None:
    assert to_e164("0475 12 34 56", "BE") == "+32475123456"
    assert to_e164("079 971 00 33", "CH") == "+41799710033"
    assert to_e164("(512) 757-6000", "US") == "+15127576000"
    # an international number ignores the record's country
    assert to_e164("+41 79 971 00 33", "FR") == "+41799710033"
    # no country known: France
    assert to_e164("01 42 68 53 00", None) == "+33142685300"


def test_what_is_not_a_phone_number_gives_none() -> None:
    for raw in (None, "", "  ", "n/a", "12", "06 12 34"):
        assert to_e164(raw, "FR") is None, raw


def test_an_overseas_or_unallocated_range_still_identifies_a_person() -> None:
    # +33 6 93 … is a Réunion range dialled through +262, but a possible French number
    assert to_e164("06 93 20 69 08", "FR") == "+33693206908"


def test_first_valid_number_of_a_record() -> None:
    assert first_e164(["n/a", "06 12 34 56 78"], "FR") == "+33612345678"
    assert first_e164([None, None], "FR") is None


def _seed_phone_patterns() -> tuple[re.Pattern[str], ...]:
    with PLACEHOLDER_SEED.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] == "phone_pattern"]
    assert rows
    return placeholder_patterns(row["value"] for row in rows)


@pytest.mark.parametrize(
    "e164", ["+33123456789", "+33612345678", "+390612345678", "+15127576000", "+352621123456"]
)
def test_national_number_is_what_follows_the_country_code(e164: str) -> None:
    assert national_number(e164) == phonenumbers.national_significant_number(
        phonenumbers.parse(e164)
    )


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("01 23 45 67 89", "FR"),
        ("0123456789", "FR"),
        ("+33 1 00 00 00 00", "FR"),
        ("06 00 00 00 00", "FR"),
        ("06 12 34 56 78", "FR"),
        ("01 02 03 04 05", "FR"),
        ("09 87 65 43 21", "FR"),
        ("1111111111", "US"),
        ("123-456-7890", "US"),
        ("+1 555 555 5555", "FR"),
    ],
)
def test_placeholder_phones_of_the_seed(raw: str, country: str) -> None:
    e164 = to_e164(raw, country)
    assert e164 is not None and is_placeholder(e164, _seed_phone_patterns())


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("06 71 23 98 45", "FR"),
        ("01 42 68 53 00", "FR"),
        ("+33 4 72 18 36 90", "FR"),
        ("0475 12 34 56", "BE"),
        ("079 971 00 33", "CH"),
        ("(512) 757-6000", "US"),
    ],
)
def test_real_phones_are_not_placeholders(raw: str, country: str) -> None:
    e164 = to_e164(raw, country)
    assert e164 is not None and not is_placeholder(e164, _seed_phone_patterns())


def test_a_phone_pattern_that_does_not_compile_is_named() -> None:
    with pytest.raises(ValueError, match=r"phone_pattern '0\(1'"):
        placeholder_patterns(["0(1"])


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["  Élodie", "ELODIE", "élodie", "Elodie "], "elodie"),
        (["Le Roux", "LE ROUX ", "leroux", "Le-Roux"], "leroux"),
        (["Côte d'Ivoire", "COTE D IVOIRE", "côte-d\u2019ivoire"], "cotedivoire"),
        (["Cœur", "COEUR"], "coeur"),
    ],
)
def test_match_keys_ignore_case_accents_spaces_and_punctuation(
    spellings: list[str], key: str
) -> None:
    assert {match_key(s) for s in spellings} == {key}
    assert match_key(" - ") is None
    assert match_key(None) is None


def test_the_committed_country_seed_is_what_the_generator_module_writes() -> None:
    assert SEED.read_text(encoding="utf-8") == render(seed_rows())


def test_every_country_spelling_of_the_demo_data_maps_to_its_iso_code() -> None:
    codes = {row["spelling_key"]: row["country_code"] for row in seed_rows()}
    for iso, spellings in COUNTRY_SPELLINGS.items():
        for spelling in spellings:
            assert codes.get(match_key(spelling)) == iso, spelling


def test_french_and_english_names_and_aliases_are_known() -> None:
    codes = {row["spelling_key"]: row["country_code"] for row in seed_rows()}
    for spelling, iso in {
        "Pays-Bas": "NL",
        "Netherlands": "NL",
        "Holland": "NL",
        "Royaume-Uni": "GB",
        "Angleterre": "GB",
        "États-Unis d'Amérique": "US",
        "Allemagne": "DE",
        "Suisse": "CH",
        "Confédération helvétique": "CH",
        "Corée du Sud": "KR",
        "FRA": "FR",
    }.items():
        assert codes.get(match_key(spelling)) == iso, spelling
