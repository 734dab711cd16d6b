"""Write the dbt seed ``country_spellings``: every spelling of a country → ISO 3166-1 alpha-2.

The spellings come from pycountry (ISO 3166-1 codes, English names, official and common names,
and their French, German, Spanish, Italian and Dutch translations shipped with pycountry),
plus the usual aliases no standard lists (``UK``, ``USA``, ``Angleterre``, ``Holland``, …).
Each spelling is stored as its match key (``smarketing.identity.keys.match_key``, the same
fold as the dbt macro ``match_key``); a key that would name two countries is left out rather
than guessed.

Run ``python -m smarketing.identity.country_spellings`` after upgrading pycountry; the test
suite checks that the committed seed is what this module writes.
"""

from __future__ import annotations

import csv
import gettext
import io
from collections import defaultdict
from pathlib import Path

from smarketing.identity.keys import match_key

SEED = Path(__file__).resolve().parents[2] / "dbt" / "seeds" / "country_spellings.csv"
LANGUAGES = ("fr", "de", "es", "it", "nl")
ALIASES: dict[str, tuple[str, ...]] = {
    "GB": (
        "UK",
        "U.K.",
        "Great Britain",
        "Grande-Bretagne",
        "England",
        "Angleterre",
        "Scotland",
        "Écosse",
        "Wales",
        "Pays de Galles",
        "Northern Ireland",
        "Irlande du Nord",
        "Britain",
    ),
    "US": ("U.S.", "U.S.A.", "United States of America", "America", "Amérique", "Etats Unis"),
    "NL": ("Holland", "Hollande", "The Netherlands"),
    "RU": ("Russia", "Russie", "Russian Federation"),
    "KR": ("South Korea", "Corée du Sud", "Korea"),
    "KP": ("North Korea", "Corée du Nord"),
    "CZ": ("Czech Republic", "République tchèque", "Tchéquie"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "TR": ("Turkey", "Turquie"),
    "AE": ("UAE", "U.A.E.", "EAU", "Émirats", "Emirates"),
    "CD": ("DR Congo", "DRC", "RDC", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "VN": ("Viet Nam", "Vietnam"),
    "MK": ("Macedonia", "Macédoine"),
    "SZ": ("Swaziland",),
    "MM": ("Burma", "Birmanie"),
    "VA": ("Vatican", "Vatican City"),
    "BA": ("Bosnia", "Bosnie"),
    "DE": ("West Germany", "RFA"),
    "CH": ("Confédération suisse", "Svizzera", "Suisse romande"),
    "BE": ("Belgie", "België"),
    "LU": ("Lëtzebuerg", "Grand-Duché de Luxembourg"),
    "MA": ("Royaume du Maroc",),
}


def _translators() -> dict[str, gettext.NullTranslations]:
    import pycountry

    return {
        language: gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for language in LANGUAGES
    }


def spellings() -> dict[str, list[tuple[str, str]]]:
    """country code → [(spelling, where it comes from)], in order of preference."""
    import pycountry

    translators = _translators()
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for country in pycountry.countries:
        code = country.alpha_2
        out[code] += [(code, "alpha_2"), (country.alpha_3, "alpha_3")]
        english = [
            (value, origin)
            for origin in ("name", "official_name", "common_name")
            if (value := getattr(country, origin, None))
        ]
        out[code] += [(value, f"{origin}_en") for value, origin in english]
        for language, translator in translators.items():
            for value, origin in english:
                translated = translator.gettext(value)
                if translated != value:
                    out[code].append((translated, f"{origin}_{language}"))
    for code, aliases in ALIASES.items():
        out[code] += [(alias, "alias") for alias in aliases]
    return out


def seed_rows() -> list[dict[str, str]]:
    """One row per unambiguous spelling key, sorted by country code then key."""
    by_key: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, str, str]] = {}
    for code, values in spellings().items():
        for spelling, origin in values:
            key = match_key(spelling)
            if key is None:
                continue
            by_key[key].add(code)
            first.setdefault(key, (code, spelling, origin))
    rows = [
        {"spelling_key": key, "country_code": code, "spelling": spelling, "origin": origin}
        for key, (code, spelling, origin) in first.items()
        if len(by_key[key]) == 1
    ]
    return sorted(rows, key=lambda row: (row["country_code"], row["spelling_key"]))


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    columns = ["spelling_key", "country_code", "spelling", "origin"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    rows = seed_rows()
    SEED.write_text(render(rows), encoding="utf-8")
    print(f"{SEED}: {len(rows):,} spellings of {len({r['country_code'] for r in rows})} countries")


if __name__ == "__main__":
    main()
