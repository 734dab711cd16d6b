"""Match keys: text folded the way the dbt macro ``match_key`` folds it.

``Côte d'Ivoire``, ``COTE D IVOIRE`` and ``côte-d'ivoire`` all give ``cotedivoire``: lower case,
accents removed (canonical decomposition, as DuckDB's ``strip_accents``), the ligatures
œ/æ/ß spelled out, and only the letters a-z and digits kept.
"""

from __future__ import annotations

import re
import unicodedata

LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}
_NOT_KEY = re.compile(r"[^a-z0-9]")


def fold(text: str) -> str:
    """Lower case without accents; punctuation and spaces kept."""
    lowered = text.strip().lower()
    for ligature, spelled in LIGATURES.items():
        lowered = lowered.replace(ligature, spelled)
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_key(text: str | None) -> str | None:
    """The compare-key of a name, a country, a company…; None when nothing is left."""
    if text is None:
        return None
    key = _NOT_KEY.sub("", fold(text))
    return key or None
