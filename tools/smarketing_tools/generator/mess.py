"""Real-life variations of one true value, drawn per exported record: name case, accents and
spaces, e-mail typos, phone formats, country spellings, company spellings."""

from __future__ import annotations

import random

from smarketing_tools.generator.population import ascii_fold
from smarketing_tools.generator.reference import COMPANY_SUFFIXES, PHONE_PLANS
from smarketing_tools.generator.rules import COUNTRY_SPELLINGS

_DOMAIN_TYPOS = {
    "gmail.com": "gmial.com",
    "orange.fr": "ornage.fr",
    "hotmail.fr": "hotmial.fr",
    "yahoo.fr": "yaho.fr",
    "free.fr": "fre.fr",
    "wanadoo.fr": "wanado.fr",
}


def name(first: str, last: str, r: random.Random) -> tuple[str, str]:
    x = r.random()
    if x < 0.84:
        return first, last
    if x < 0.89:
        return first.lower(), last.upper()
    if x < 0.93:
        return ascii_fold(first), ascii_fold(last)
    if x < 0.96:
        return f"  {first.lower()}", f"{last.upper()} "
    if x < 0.98:
        return first.upper(), last.upper()
    return first, last.lower()


def email_typo(address: str, r: random.Random) -> str:
    local, _, domain = address.partition("@")
    if domain in _DOMAIN_TYPOS and r.random() < 0.6:
        return f"{local}@{_DOMAIN_TYPOS[domain]}"
    if len(local) >= 4:
        i = r.randrange(1, len(local) - 2)
        if local[i] != local[i + 1] and "." not in local[i : i + 2]:
            return f"{local[:i]}{local[i + 1]}{local[i]}{local[i + 2 :]}@{domain}"
    return f"{local}{local[-1]}@{domain}"


def email_case(address: str, r: random.Random) -> str:
    x = r.random()
    if x < 0.03:
        local, _, domain = address.partition("@")
        return f"{local.capitalize()}@{domain}"
    if x < 0.05:
        return f" {address}"
    return address


# how each country groups the digits of a national number
_GROUPING = {
    "BE": (3, 2, 2, 2),
    "CH": (2, 3, 2, 2),
    "LU": (3, 3, 3),
    "DE": (3, 8),
    "ES": (3, 2, 2, 2),
    "IT": (3, 3, 4),
    "GB": (4, 6),
    "US": (3, 3, 4),
    "CA": (3, 3, 4),
    "MA": (1, 2, 2, 2, 2),
}


def _groups(digits: str, sizes: tuple[int, ...]) -> list[str]:
    out, i = [], 0
    for size in sizes:
        out.append(digits[i : i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return [g for g in out if g]


def phone(e164: str, iso: str, r: random.Random) -> str:
    """A phone number written as people type it (E.164 is the truth)."""
    code, trunk, _ = PHONE_PLANS[iso]
    national = e164[1 + len(code) :]
    if iso == "FR":
        pairs = " ".join(_groups(national[1:], (2, 2, 2, 2)))
        styles: tuple[str, ...] = (
            f"+33 {national[0]} {pairs}",
            f"0033 {national[0]} {pairs}",
            f"0{national[0]} {pairs}",
            f"0{national[0]}.{pairs.replace(' ', '.')}",
            f"0{national}",
            f"+33{national}",
            f"+33 (0){national[0]} {pairs}",
        )
        weights = (0.3, 0.05, 0.3, 0.1, 0.15, 0.05, 0.05)
        return r.choices(styles, weights)[0]
    spaced = " ".join(_groups(national, _GROUPING.get(iso, (3, 2, 2, 2))))
    styles = (f"+{code} {spaced}", f"00{code} {national}", f"{trunk}{spaced}", e164)
    return r.choices(styles, (0.45, 0.1, 0.3, 0.15))[0]


def country(iso: str, r: random.Random) -> str:
    spellings = COUNTRY_SPELLINGS[iso]
    if r.random() < 0.72:
        return spellings[0]
    return r.choice(spellings)


def company(value: str, r: random.Random) -> str:
    x = r.random()
    if x < 0.88:
        return value
    if x < 0.92:
        return value.upper()
    if x < 0.96:
        for suffix in sorted(COMPANY_SUFFIXES, key=len, reverse=True):
            if value.endswith(f" {suffix}"):
                return value[: -len(suffix) - 1]
        return value
    if x < 0.98:
        return f"{value} "
    return value.lower()
