"""Phone numbers to E.164 with Google's libphonenumber (the ``phonenumbers`` package).

A number written without its country code is read in the record's country (ISO 3166-1
alpha-2, from ``int_person_records.country_code``), France when the country is unknown.
``+33 6 12 34 56 78``, ``0033 6 12 34 56 78``, ``06.12.34.56.78`` and ``+33 (0)6 12 34 56 78``
all give ``+33612345678``. A number is kept when libphonenumber finds it *possible* (a
plausible length for its country code) rather than only when its prefix is allocated
(``is_valid_number``): an overseas or newly opened range still identifies a person. ``12``,
``n/a`` or a number with digits missing give None.

A placeholder typed to get past a required field (``00 00 00 00 00``, ``01 23 45 67 89``,
``+33 1 00 00 00 00``) is a possible number but nobody's: the patterns of the dbt seed
``placeholder_contact_values`` (kind ``phone_pattern``, Python regular expressions matched
against the whole national significant number) say which numbers are placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "FR"
_TRUNK_IN_BRACKETS = re.compile(r"\(0\)")
_NOT_DIGIT = re.compile(r"[^\d+]")


def _compact(raw: str) -> str:
    """Digits only, with a leading ``+``; ``00`` international prefix read as ``+``.

    ``+33 (0)6 …`` drops the bracketed trunk zero, which is not dialled after the country
    code. Compacting first lets the cache serve every spelling of the same number.
    """
    text = _TRUNK_IN_BRACKETS.sub("", raw.strip())
    digits = _NOT_DIGIT.sub("", text)
    plus = digits.startswith("+")
    digits = digits.replace("+", "")
    if not plus and digits.startswith("00"):
        plus, digits = True, digits[2:]
    return f"+{digits}" if plus else digits


@lru_cache(maxsize=1 << 20)
def _e164_of_compact(compact: str, region: str) -> str | None:
    if len(compact.lstrip("+")) < 6:
        return None
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_e164(raw: str | None, country_code: str | None = None) -> str | None:
    """The E.164 form of a phone number as typed, or None when it is not a valid number."""
    if raw is None or not raw.strip():
        return None
    region = (country_code or DEFAULT_REGION).upper()
    return _e164_of_compact(_compact(raw), region)


def first_e164(numbers: Iterable[str | None], country_code: str | None) -> str | None:
    """The first of a record's numbers (phone, then mobile) that is valid."""
    for raw in numbers:
        e164 = to_e164(raw, country_code)
        if e164 is not None:
            return e164
    return None


def placeholder_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The seed's phone patterns, compiled; a pattern that does not compile is an error naming
    it (kept apart, not joined into one: each may use its own backreferences)."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ValueError(
                f"placeholder_contact_values: phone_pattern {pattern!r} is not a valid Python "
                f"regular expression ({error})"
            ) from error
    return tuple(compiled)


def national_number(e164: str) -> str:
    """The national significant number of a number in E.164: the digits after its country
    code (``+33123456789`` -> ``123456789``). Country codes are prefix-free, so the first
    known prefix is the code; cheaper than parsing the number again."""
    digits = e164.removeprefix("+")
    for length in (1, 2, 3):
        if int(digits[:length] or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return digits[length:]
    return digits


def is_placeholder(e164: str, patterns: Sequence[re.Pattern[str]]) -> bool:
    """Whether a number in E.164 is a placeholder: one of ``patterns`` matches its whole
    national significant number."""
    national = national_number(e164)
    return any(pattern.fullmatch(national) for pattern in patterns)
