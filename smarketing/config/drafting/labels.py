"""Header labels: their words, their similarity, and the EN/FR labels of each canonical field."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

from smarketing.ingest.registry import snake_case

MIN_SCORE = 0.84
"""Similarity a header cell needs to be guessed as a field (1: the same words)."""


def words(text: str) -> str:
    """Accent-free lower-case words one space apart: `Date de création` -> `date de creation`,
    `closeValue` -> `close value`, `E-mail` -> `e mail`."""
    return snake_case(text).replace("_", " ") if text.strip() else ""


def similarity(text: str, synonym: str) -> float:
    """How close TEXT is to SYNONYM (both `words`): 1 for the same letters; a synonym found word
    for word in the text scores from 0.75 up (`email work` has `email`); else difflib's ratio."""
    a, b = text.replace(" ", ""), synonym.replace(" ", "")
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = difflib.SequenceMatcher(None, a, b).ratio()
    if f" {synonym} " in f" {text} ":
        # a cell's head word names it (`StageName` is a stage), its tail often qualifies it
        head = 0.02 if f"{text} ".startswith(f"{synonym} ") else 0.0
        score = max(score, 0.75 + head + 0.25 * len(synonym.split()) / len(text.split()))
    return score


def word_pattern(pattern: str) -> re.Pattern[str]:
    """PATTERN as whole words, to search in `words` text."""
    return re.compile(rf"\b(?:{pattern})\b")


# Header cells each canonical field is exported under (English and French; `;` between them),
# besides its own name.
SYNONYMS: dict[str, str] = {
    "record_id": "id; record id; identifiant; identifier; uuid; référence",
    "person_record_id": (
        "person id; contact id; contact person id; lead id; prospect id; mql id; id contact; "
        "id personne; id du contact"
    ),
    "account_record_id": (
        "account id; company id; organization id; organisation id; org id; account; "
        "id entreprise; id société; id compte"
    ),
    "first_name": "first name; firstname; given name; prénom",
    "last_name": "last name; lastname; surname; family name; nom; nom de famille",
    "full_name": "name; full name; contact name; person name; nom complet; nom prénom",
    "email": (
        "email; e-mail; email address; e-mail address; courriel; adresse e-mail; "
        "adresse email; adresse mail; mail"
    ),
    "phone": "phone; phone number; work phone; téléphone; tel; tél; téléphone fixe",
    "mobile_phone": "mobile; mobile phone; cell phone; portable; téléphone portable",
    "job_title": "job title; title; position; role; fonction; poste",
    "company": (
        "company; company name; organization; organisation; account; account name; société; "
        "entreprise; nom de l'entreprise; raison sociale"
    ),
    "website": "website; web site; website url; domain; site web; site internet",
    "country": "country; country code; country/region; pays; code pays",
    "employees": (
        "employees; number of employees; employee count; company size; headcount; effectif; "
        "effectifs; nombre de salariés; taille de l'entreprise"
    ),
    "industry": "industry; sector; secteur; secteur d'activité; industrie",
    "lead_source": (
        "source; lead source; origin; origine; channel; canal; "
        "original source; source du lead; utm source"
    ),
    "status": (
        "status; lead status; lifecycle stage; statut; statut du lead; étape; new status; "
        "to status; nouveau statut"
    ),
    "score": "score; lead score; scoring; marketing score",
    "opted_out": (
        "opted out; opt out; email opt out; do not email; unsubscribed; désabonné; désinscrit"
    ),
    "mql_at": "mql date; date mql; marketing qualified date",
    "sal_at": "sal date; date sal; accepted date; sales accepted date",
    "sql_at": "sql date; date sql; qualified date; sales qualified date",
    "opportunity_at": "opportunity date; converted date; conversion date; date de conversion",
    "customer_at": "customer date; became a customer date; date client",
    "disqualified_at": "disqualified date; rejected date; date de disqualification",
    "rejection_reason": (
        "rejection reason; disqualification reason; unqualified reason; motif de rejet; "
        "motif de disqualification"
    ),
    "owner": (
        "owner; lead owner; deal owner; sales agent; sales rep; assigned to; assigned to user; "
        "propriétaire; commercial; responsable"
    ),
    "created_at": (
        "created; create date; created date; creation date; date created; add time; "
        "first contact date; engage date; deal created; person created; date de création; "
        "créé le; date d'ajout"
    ),
    "updated_at": (
        "updated; update time; last modified; last modified date; last update; "
        "date de modification; modifié le"
    ),
    "is_deleted": "deleted; is deleted; supprimé",
    "name": (
        "name; title; deal name; deal title; opportunity name; account name; company name; "
        "titre; nom; intitulé; raison sociale"
    ),
    "stage": "stage; stage name; deal stage; status; pipeline stage; étape; statut; phase",
    "is_won": "won; is won; gagné",
    "is_closed": "closed; is closed; fermé; clôturé",
    "amount": (
        "amount; value; close value; deal value; deal amount; revenue; montant; montant ht; valeur"
    ),
    "currency": "currency; currency code; devise; monnaie",
    "closed_at": (
        "close date; closed date; closed on; deal closed on; won time; won date; "
        "date de clôture; date de signature"
    ),
    "offer": "product; products; offer; produit; offre",
    "loss_reason": "lost reason; loss reason; closed lost reason; motif de perte",
    "changed_at": "changed; change date; date; date du changement",
    "old_status": "old status; previous status; from status; old value; ancien statut",
    "type": "type; activity type; event type; type d'activité",
    "occurred_at": (
        "date; due date; done time; marked as done time; activity date; event date; échéance"
    ),
    "subject": "subject; title; objet; sujet",
    "is_done": "done; is done; completed; fait; terminé",
    "campaign": "campaign; campaign name; campagne; utm campaign",
}
# The entity's own words: `Lead Source` is `Source`, `Deal created` is `Created`.
ENTITY_WORDS: dict[str, str] = {
    "lead": r"leads?|prospects?|contacts?|persons?",
    "contact": r"contacts?|persons?|people",
    "account": r"accounts?|compan(?:y|ies)|organi[sz]ations?|entreprises?|societes?",
    "opportunity": r"deals?|opportunit(?:y|ies|e|es)|affaires?",
    "stage_change": r"history|historique",
    "activity": r"activit(?:y|ies|e|es)|tasks?",
    "marketing_event": r"events?",
}
RECORD_ID_SYNONYMS: dict[str, str] = {
    "lead": "lead id; prospect id; lead number; mql id; person id; contact id",
    "contact": "contact id; person id; lead id; mql id",
    "account": "account id; company id; organization id; organisation id",
    "opportunity": "deal id; opportunity id; id affaire; mql id",
    "stage_change": "history id; change id",
    "activity": "activity id; task id; id activité",
    "marketing_event": "event id; submission id; click id",
}
# Often the id of another record (Olist's MQL id in a deals file): a record id by default only.
SECONDARY_IDS = frozenset({"mql id"})
SECONDARY_WEIGHT = 0.95
STRIPPED_WEIGHT = 0.98
"""A cell read without its entity word scores a bit less than one read as it is."""


def field_synonyms(entity: str, name: str) -> list[tuple[str, float]]:
    """The `words` of field NAME's labels for ENTITY, each with its weight."""
    extra = RECORD_ID_SYNONYMS[entity] if name == "record_id" else ""
    listed = f"{SYNONYMS.get(name, '')};{extra}".split(";")
    found = [words(name), *(words(s) for s in listed if s.strip())]
    weight = SECONDARY_WEIGHT if name == "record_id" else 1.0
    return [(s, weight if s in SECONDARY_IDS else 1.0) for s in dict.fromkeys(found)]


_PREFIX_SEPARATOR = re.compile(r"\s+[-\u2013\u2014:]\s+|:\s+")


def common_prefix(header: Sequence[str]) -> str | None:
    """`deal` of `Deal - ID, Deal - Title…`: the object prefix of most header cells, if any."""
    prefixes = Counter(
        words(_PREFIX_SEPARATOR.split(cell, maxsplit=1)[0])
        for cell in header
        if _PREFIX_SEPARATOR.search(cell)
    )
    if not prefixes:
        return None
    prefix, count = prefixes.most_common(1)[0]
    return prefix if count >= 2 and 2 * count >= len([c for c in header if c]) else None


def cell_variants(cell: str, prefix: str | None, entity: str) -> list[tuple[str, float]]:
    """CELL's words as they are, without the common prefix, and without the entity word."""
    text = words(cell)
    found = [(text, 1.0)]
    if prefix and text.startswith(prefix + " "):
        text = text[len(prefix) + 1 :]
        found.append((text, 1.0))
    stripped = re.sub(rf"^(?:{ENTITY_WORDS[entity]}) ", "", text)
    if stripped != text:
        found.append((stripped, STRIPPED_WEIGHT))
    return found


def best_synonym(
    variants: Sequence[tuple[str, float]], synonyms: Sequence[tuple[str, float]]
) -> tuple[float, str]:
    """The highest weighted score of any variant against any synonym, and that synonym."""
    return max(
        (
            (similarity(text, synonym) * w1 * w2, synonym)
            for text, w1 in variants
            for synonym, w2 in synonyms
        ),
        default=(0.0, ""),
    )
