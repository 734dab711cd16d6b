"""Guessing the entity one row of an export is, from its file name and header."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from smarketing.config.drafting.labels import word_pattern, words

# Words that say what a row is, in a header cell or the file name (matched on `words`).
ENTITY_HINTS: dict[str, re.Pattern[str]] = {
    "opportunity": word_pattern(
        r"deals?|opportunit(?:y|ies|e|es)|affaires?|close value|deal stage|won time|pipeline"
    ),
    "activity": word_pattern(r"activit(?:y|ies|e|es)|tasks?|taches?|calls?|appels?|meetings?"),
    "account": word_pattern(r"compan(?:y|ies)|organi[sz]ations?|accounts?|entreprises?|societes?"),
    "stage_change": word_pattern(
        r"(?:status|stage|statut|lead) (?:history|histories|changes?)|historique"
        r"|stage changes?|(?:old|previous|from) (?:status|stage)|ancien statut"
    ),
    "marketing_event": word_pattern(
        r"campaigns?|campagnes?|events?|evenements?|clicks?|clics?|opens?|opened"
        r"|forms?|formulaires?|webinars?|submissions?"
    ),
    "person": word_pattern(
        r"leads?|contacts?|persons?|people|personnes?|prospects?|mqls?|e mail|email|courriel"
        r"|first name|last name|full name|prenom"
    ),
}
# Ties go to the first: a deal export names its person, a person export rarely a deal.
ENTITY_ORDER = ("opportunity", "activity", "account", "stage_change", "marketing_event", "person")
_PERSON_COLUMN = re.compile(
    r"\b(?:e mail|email|courriel|first ?name|last ?name|full ?name|prenom|nom de famille)\b|^nom$"
)
_CONTACT_FILE = word_pattern(r"contacts?|persons?|people|personnes?")
_ID_CELL = re.compile(r"\b(?:id|identifiant|number|numero|key)$")
FILE_NAME_WEIGHT = 5
ID_CELL_WEIGHT = 3


def guess_entity(header: Sequence[str], file_name: str) -> tuple[str, str]:
    """The entity one row of the export is, and why."""
    scores: Counter[str] = Counter()
    stem = words(Path(file_name).stem)
    for entity, hint in ENTITY_HINTS.items():
        if hint.search(stem):
            scores[entity] += FILE_NAME_WEIGHT
    for cell in filter(None, header):
        cell_words = words(cell)
        # an id column names its record (`Deal - ID`); other cells only describe it
        weight = ID_CELL_WEIGHT if _ID_CELL.search(cell_words) else 1
        for entity, hint in ENTITY_HINTS.items():
            if hint.search(cell_words):
                scores[entity] += weight
    if any(_PERSON_COLUMN.search(words(cell)) for cell in header):
        scores["account"] = 0  # a person export names the person's company
    best = max(ENTITY_ORDER, key=lambda entity: scores[entity])
    shown = ", ".join(f"{e} {s}" for e, s in scores.most_common(3) if s) or "no hint: a person"
    if best == "person" or not scores[best]:
        best = "contact" if _CONTACT_FILE.search(stem) else "lead"
    return best, f"guessed from the file name and the header ({shown}); --entity to choose"
