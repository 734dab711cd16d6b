"""Drafting a mapping file from a CSV export (`smarketing map FILE`).

The header and a sample of rows tell most of a mapping: what one row is, which header cell holds
each canonical field, how dates, empty cells and amounts are written, what the statuses mean.
Each guess is written with a comment saying why, for the user to review: a draft is never
loaded as it is (`smarketing config check` validates the reviewed file).
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from smarketing.config.mappings import (
    CANONICAL_FIELDS,
    OPPORTUNITY_STAGES,
    PERSON_STAGES,
    CanonicalField,
)
from smarketing.ingest.dates import DAY_FIRST, MONTH_FIRST, date_order
from smarketing.ingest.decoding import DecodedLines
from smarketing.ingest.registry import snake_case
from smarketing.ingest.sniffing import sniff

if TYPE_CHECKING:
    from smarketing.config import SmarketingConfig

SAMPLE_ROWS = 1_000
MAX_VALUES = 30
"""Distinct values listed per value-mapped field (the most frequent first)."""
MIN_SCORE = 0.84
"""Similarity a header cell needs to be guessed as a field (1: the same words)."""
RECOGNISE_CELLS = 4
DEFAULT_SOURCE_SYSTEM = "my_tool"

# Cells that mean "empty" in some exports (a picklist's `Select` placeholder, spreadsheets'
# `N/A`): listed in `formats.null` only when the sample holds them.
NULL_TOKENS = ("Select", "N/A", "n/a", "#N/A", "-", "--", "null", "NULL", "(none)", "(blank)", "?")

# Candidate strftime formats, naive only: staging reads a formatted date as wall-clock time.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)

KNOWN_TOOLS = (
    "pipedrive zoho dynamics sellsy axonaut marketo pardot brevo sendinblue plezi hubspot "
    "salesforce mailchimp activecampaign odoo sugarcrm freshsales nocrm folk lemlist olist"
)


class DraftError(ValueError):
    """The file cannot be drafted: not readable as CSV, or no header."""


# --- reading the sample ------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Sample:
    header: tuple[str, ...]
    """Header cells, trimmed (a trailing delimiter leaves an empty last cell)."""
    rows: tuple[tuple[str, ...], ...]
    """Sampled data rows, cut or padded to the header's width."""

    def values(self, index: int) -> list[str]:
        """The filled cells of column INDEX, trimmed (null tokens count as empty)."""
        return [v for row in self.rows if (v := row[index].strip()) and v not in NULL_TOKENS]

    def nulls(self) -> list[str]:
        """The null tokens the sample holds."""
        cells = {cell.strip() for row in self.rows for cell in row}
        return [token for token in NULL_TOKENS if token in cells]


def read_sample(path: Path, limit: int = SAMPLE_ROWS) -> Sample:
    """The header and the first LIMIT non-blank rows of the CSV file PATH."""
    try:
        file_format = sniff(path)
        lines = DecodedLines(path, file_format.encoding)
        reader = csv.reader(lines, delimiter=file_format.delimiter)
        header = tuple(cell.strip() for cell in next(reader, []))
        rows: list[tuple[str, ...]] = []
        for row in reader:
            if len(rows) >= limit:
                break
            if any(cell.strip() for cell in row):
                rows.append(tuple((row + [""] * len(header))[: len(header)]))
    except (OSError, UnicodeError, csv.Error) as exc:
        raise DraftError(f"{path}: cannot be read as a CSV file: {exc}") from exc
    if not any(header):
        raise DraftError(f"{path}: empty header: the first line names no column")
    if any(_CONTROL.search(cell) for cell in header):
        raise DraftError(f"{path}: not a CSV file (its first line holds binary data)")
    return Sample(header, tuple(rows))


# --- words and similarity ----------------------------------------------------------------------


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


# --- the entity --------------------------------------------------------------------------------


def _hint(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


# Words that say what a row is, in a header cell or the file name (matched on `words`).
ENTITY_HINTS: dict[str, re.Pattern[str]] = {
    "opportunity": _hint(
        r"deals?|opportunit(?:y|ies|e|es)|affaires?|close value|deal stage|won time|pipeline"
    ),
    "activity": _hint(r"activit(?:y|ies|e|es)|tasks?|taches?|calls?|appels?|meetings?"),
    "account": _hint(r"compan(?:y|ies)|organi[sz]ations?|accounts?|entreprises?|societes?"),
    "stage_change": _hint(
        r"(?:status|stage|statut|lead) (?:history|histories|changes?)|historique"
        r"|stage changes?|(?:old|previous|from) (?:status|stage)|ancien statut"
    ),
    "marketing_event": _hint(
        r"campaigns?|campagnes?|events?|evenements?|clicks?|clics?|opens?|opened"
        r"|forms?|formulaires?|webinars?|submissions?"
    ),
    "person": _hint(
        r"leads?|contacts?|persons?|people|personnes?|prospects?|mqls?|e mail|email|courriel"
        r"|first name|last name|full name|prenom"
    ),
}
# Ties go to the first: a deal export names its person, a person export rarely a deal.
ENTITY_ORDER = ("opportunity", "activity", "account", "stage_change", "marketing_event", "person")
_PERSON_COLUMN = re.compile(
    r"\b(?:e mail|email|courriel|first ?name|last ?name|full ?name|prenom|nom de famille)\b|^nom$"
)
_CONTACT_FILE = _hint(r"contacts?|persons?|people|personnes?")
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


# --- the fields --------------------------------------------------------------------------------

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
        "source; lead source; origin; origine; channel; canal; source channel; "
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


@dataclass(frozen=True)
class FieldMatch:
    field: str
    cell: str
    index: int
    score: float
    comment: str


def _synonyms(entity: str, name: str) -> list[tuple[str, float]]:
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


def _variants(cell: str, prefix: str | None, entity: str) -> list[tuple[str, float]]:
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


_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{6,}$")


# What most sampled values of a field look like: by field name, else by type.
_LOOKS_LIKE: dict[str, Callable[[str], bool]] = {
    "timestamp": lambda v: bool(_DATE_LIKE.search(v)),
    "number": lambda v: any(c.isdigit() for c in v) and not _LONG_WORD.search(v),
    "integer": lambda v: any(c.isdigit() for c in v),  # a range (11-50) or "10 000+" too
    "email": lambda v: "@" in v,
    "phone": lambda v: bool(_PHONE_LIKE.match(v)),
    "mobile_phone": lambda v: bool(_PHONE_LIKE.match(v)),
}


def _fits(name: str, canonical: CanonicalField, values: Sequence[str]) -> bool:
    """Whether the sampled VALUES can be the field's: dates for a date, numbers for an amount,
    a few values for a flag, `@` for an e-mail (an empty sample fits anything)."""
    if not values:
        return True
    if canonical.type == "boolean":
        return len(set(values)) <= 6 and not any(_DATE_LIKE.search(v) for v in values)
    test = _LOOKS_LIKE.get(name) or _LOOKS_LIKE.get(canonical.type)
    return test is None or sum(map(test, values)) >= 0.8 * len(values)


def _best_synonym(
    variants: Sequence[tuple[str, float]], synonyms: Sequence[tuple[str, float]]
) -> tuple[float, str]:
    return max(
        (
            (similarity(text, synonym) * w1 * w2, synonym)
            for text, w1 in variants
            for synonym, w2 in synonyms
        ),
        default=(0.0, ""),
    )


def match_fields(sample: Sample, entity: str) -> dict[str, FieldMatch]:
    """Canonical field -> the header cell closest to it; each cell serves one field."""
    fields = CANONICAL_FIELDS[entity]
    prefix = common_prefix(sample.header)
    synonyms = {name: _synonyms(entity, name) for name in fields}
    candidates: list[tuple[bool, float, int, int, str, str]] = []
    columns: set[str] = set()
    for index, cell in enumerate(sample.header):
        if not cell or snake_case(cell) in columns:
            continue  # an empty cell (trailing delimiter) or a duplicate column: not mappable
        columns.add(snake_case(cell))
        variants = _variants(cell, prefix, entity)
        values = sample.values(index)
        for position, (name, canonical) in enumerate(fields.items()):
            score, synonym = _best_synonym(variants, synonyms[name])
            if score >= MIN_SCORE and _fits(name, canonical, values):
                candidates.append((name != "record_id", -score, position, index, name, synonym))
    # the record id first (it is required), then the closest pairs; ties: the earlier column
    candidates.sort()
    matches: dict[str, FieldMatch] = {}
    used: set[int] = set()
    for _, score, _, index, name, synonym in candidates:
        if name in matches or index in used:
            continue
        used.add(index)
        comment = f'closest header to "{name}" (score {-score:.2f}, as "{synonym}")'
        matches[name] = FieldMatch(name, sample.header[index], index, -score, comment)
    if "record_id" not in matches:
        matches["record_id"] = _fallback_record_id(sample, used)
    return {name: matches[name] for name in fields if name in matches}


def _fallback_record_id(sample: Sample, used: set[int]) -> FieldMatch:
    """The first column of filled, unique sampled values (one no other field took first: an
    e-mail column may serve as the id too), else the first column."""
    columns = [(i, c) for i, c in enumerate(sample.header) if c]
    for index, cell in sorted(columns, key=lambda column: column[0] in used):
        cells = [row[index].strip() for row in sample.rows]
        if all(cells) and len(set(cells)) == len(cells):
            comment = "no header looks like an id: the first column of filled, unique values"
            return FieldMatch("record_id", cell, index, 0.0, comment + ": check it")
    index, cell = columns[0]
    comment = "no id column found (no column of unique values): set the record's id column"
    return FieldMatch("record_id", cell, index, 0.0, comment)


# --- the values --------------------------------------------------------------------------------


def _rules(*rules: tuple[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((canonical, _hint(pattern)) for canonical, pattern in rules)


# First rule that matches wins: `Unqualified` and `Closed - Not Converted` before `qualified`
# and `converted`, `Marketing Qualified` before `qualified`.
PERSON_STAGE_RULES = _rules(
    (
        "disqualified",
        r"unqualified|disqualified?|not qualified|non qualifiee?|rejected|rejetee?|refusee?"
        r"|lost|perdue?|junk|not converted|non convertie?",
    ),
    ("nurturing", r"nurtur\w*|recycl\w*|a relancer"),
    ("mql", r"mql|marketing qualified|qualifiee? marketing"),
    ("sal", r"sal|accepted|acceptee?|sales accepted"),
    ("sql", r"sql|sales qualified|qualified|qualifiee?"),
    ("customer", r"customers?|clients?|won|gagnee?"),
    ("opportunity", r"converted|convertie?|opportunit\w*"),
    (
        "open",
        r"new|nouveau|nouvelle|open|ouverte?|working|en cours|contacted|contactee?|attempted"
        r"|a contacter|lead|subscriber",
    ),
)
DEAL_STAGE_RULES = _rules(
    ("won", r"won|closed won|gagnee?|signee?"),
    ("lost", r"lost|closed lost|perdue?|abandon\w*|annulee?|cancell?ed"),
)
BOOLEAN_RULES = _rules(
    ("true", r"^(?:yes|oui|true|vrai|y|1|x|done|completed|fait|terminee?)$"),
    ("false", r"^(?:no|non|false|faux|n|0|to do|todo|a faire|not done|pending)$"),
)
_PERSONAL = re.compile(r"@|^\+?[\d\s().\-/]{7,}$")
MAX_VALUE_LENGTH = 100

Guess = tuple[str, str] | None
"""A canonical value and why, or None: not guessed."""


@dataclass
class ValueGuesses:
    mapped: list[tuple[str, str, str]] = field(default_factory=list)
    """source value, canonical value, why"""
    unguessed: list[str] = field(default_factory=list)
    hidden: int = 0
    """values not shown: like an e-mail or a phone number, or too long"""
    more: int = 0
    """distinct values beyond MAX_VALUES"""
    note: str = ""


def _by_rules(value: str, rules: Sequence[tuple[str, re.Pattern[str]]]) -> Guess:
    text = words(value)
    for canonical, pattern in rules:
        match = pattern.search(text)
        if match:
            return canonical, f'says "{match[0]}"'
    return None


def guess_person_stage(value: str) -> Guess:
    return _by_rules(value, PERSON_STAGE_RULES)


def guess_deal_stage(value: str) -> Guess:
    return _by_rules(value, DEAL_STAGE_RULES) or ("open", "neither won nor lost")


def guess_boolean(value: str) -> Guess:
    return _by_rules(value, BOOLEAN_RULES)


def guess_channel(value: str, channels: Mapping[str, Sequence[str]]) -> Guess:
    """The channel whose code or source names are closest to VALUE (either way round)."""
    text = words(value)
    score, code = max(
        (
            (max(similarity(text, words(name)), similarity(words(name), text)), code)
            for code, names in channels.items()
            for name in (code, *names)
        ),
        default=(0.0, ""),
    )
    return (code, f"closest channel (score {score:.2f})") if score >= MIN_SCORE else None


def _value_guesser(
    name: str, canonical: CanonicalField, channels: Mapping[str, Sequence[str]] | None
) -> tuple[Callable[[str], Guess], str] | None:
    """How to guess the canonical values of field NAME, and a note; None: not value-mapped."""
    if canonical.type == "boolean":
        return guess_boolean, "flags read as true / false"
    if canonical.values == PERSON_STAGES:
        return guess_person_stage, f"statuses mapped to stages ({', '.join(PERSON_STAGES)})"
    if canonical.values == OPPORTUNITY_STAGES:
        return guess_deal_stage, "deal stages mapped to won, lost or open"
    if name != "lead_source":
        return None
    if channels is None:
        return lambda _: None, "smarketing.yml not loaded: map each source to a channel code"
    codes = ", ".join(channels)
    return lambda value: guess_channel(value, channels), f"sources mapped to channels ({codes})"


def guess_values(
    name: str,
    canonical: CanonicalField,
    values: Sequence[str],
    channels: Mapping[str, Sequence[str]] | None,
) -> ValueGuesses | None:
    """The distinct sampled VALUES of a value-mapped field, each with its guess."""
    guesser = _value_guesser(name, canonical, channels)
    if guesser is None:
        return None
    guess, note = guesser
    counts = Counter(values).most_common()
    result = ValueGuesses(more=max(0, len(counts) - MAX_VALUES), note=note)
    for value, _ in counts[:MAX_VALUES]:
        # statuses are listed, personal data is not (a mismatched column could hold it)
        if _PERSONAL.search(value) or len(value) > MAX_VALUE_LENGTH or not value.isprintable():
            result.hidden += 1
            continue
        guessed = guess(value)
        if guessed is None:
            result.unguessed.append(value)
        else:
            result.mapped.append((value, *guessed))
    return result


def channel_names(config: SmarketingConfig) -> dict[str, tuple[str, ...]]:
    """Channel code -> the source names smarketing.yml gives it (a name several channels share,
    such as HubSpot's OTHER_CAMPAIGNS, tells no channel and is left out)."""
    names = {
        code: (
            *sources.salesforce_lead_sources,
            *(source.code for source in sources.hubspot_original_sources),
        )
        for code, sources in config.channels.items()
    }
    owners = Counter(words(name) for found in names.values() for name in set(found))
    return {
        code: tuple(dict.fromkeys(n for n in found if owners[words(n)] == 1))
        for code, found in names.items()
    }


# --- the formats -------------------------------------------------------------------------------


def _parses(value: str, date_format: str) -> bool:
    try:
        datetime.strptime(value, date_format)
    except ValueError:
        return False
    return True


def detect_date_format(values: Sequence[str]) -> tuple[str | None, str]:
    """The strftime format reading every sampled date, and why (None: left to detection)."""
    if not values:
        return None, "no date in the sample: the format is detected when loading"
    fitting = [f for f in DATE_FORMATS if all(_parses(v, f) for v in values)]
    if len(fitting) == 1:
        return fitting[0], f"reads every sampled date ({len(values)})"
    if not fitting:
        return None, "no single format reads every sampled date: detected when loading"
    # only slash dates of days up to 12 fit both orders: the whole sample may tell which
    order = date_order(values)
    first = {DAY_FIRST: "%d", MONTH_FIRST: "%m"}.get(order or "")
    preferred = [f for f in fitting if first and f.startswith(first)]
    if preferred:
        return preferred[0], f"reads every sampled date; {order} (a day above 12 tells)"
    shown = " or ".join(fitting)
    return None, f"ambiguous ({shown}: no day above 12 in the sample): detected when loading"


_COMMA_DECIMAL = re.compile(r"-?\d{1,3}(?:[ .\u00a0\u202f]\d{3})*,\d{1,2}|-?\d+,\d{1,2}")
_DOT_DECIMAL = re.compile(r"-?\d{1,3}(?:[ ,\u00a0\u202f]\d{3})*\.\d{1,2}|-?\d+\.\d+")
_NOT_NUMBER = re.compile(r"[^\d,.\s\u00a0\u202f-]")


def detect_decimal(values: Sequence[str]) -> str | None:
    """`,` when amounts are written 1234,56 or 1 234,56 (and none 1234.56); else None."""
    numbers = [_NOT_NUMBER.sub("", value).strip() for value in values]
    if any(_DOT_DECIMAL.fullmatch(n) for n in numbers):
        return None
    return "," if any(_COMMA_DECIMAL.fullmatch(n) for n in numbers) else None


# --- the draft ---------------------------------------------------------------------------------


@dataclass
class Draft:
    file_name: str
    rows: int
    name: str
    source_system: tuple[str, str]
    """value, why"""
    entity: tuple[str, str]
    fields: dict[str, FieldMatch]
    missing: list[str]
    """canonical fields no header cell matched"""
    unmapped: list[str]
    """header cells no field took"""
    values: dict[str, ValueGuesses]
    formats: list[tuple[str, str, str]]
    """key, YAML value, why"""
    format_notes: list[str]
    """formats left out, and why"""

    @property
    def recognise(self) -> list[str]:
        cells = [self.fields["record_id"].cell, *(m.cell for m in self.fields.values())]
        return list(dict.fromkeys(cells))[:RECOGNISE_CELLS]


def mapping_name(file_name: str) -> str:
    """A valid mapping name from the file's name: `Deals export (2).csv` -> `deals_export_2`."""
    name = snake_case(Path(file_name).stem)
    if not name[0].isalpha():
        name = f"export_{name}"
    return name[:48].rstrip("_")


def guess_source_system(file_name: str) -> tuple[str, str]:
    stem = words(Path(file_name).stem).split()
    for tool in KNOWN_TOOLS.split():
        if tool in stem:
            return tool, "guessed from the file name"
    return DEFAULT_SOURCE_SYSTEM, "set it: the tool the export comes from (pipedrive, zoho…)"


def _typed_values(
    sample: Sample, fields: dict[str, FieldMatch], entity: str, *types: str
) -> list[str]:
    """The sampled values of the mapped fields of TYPES."""
    canonical = CANONICAL_FIELDS[entity]
    return [
        value
        for name, match in fields.items()
        if canonical[name].type in types
        for value in sample.values(match.index)
    ]


def _formats(
    sample: Sample, fields: dict[str, FieldMatch], entity: str
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The `formats` keys found (key, YAML value, why), and notes on those left out."""
    found: list[tuple[str, str, str]] = []
    notes: list[str] = []
    dated = any(CANONICAL_FIELDS[entity][name].type == "timestamp" for name in fields)
    date_format, why = detect_date_format(_typed_values(sample, fields, entity, "timestamp"))
    if date_format:
        found.append(("date", _scalar(date_format), why))
    elif dated:
        notes.append(f"date: {why}")
    nulls = sample.nulls()
    if nulls:
        shown = "[" + ", ".join(json.dumps(t) for t in ["", *nulls]) + "]"
        found.append(('"null"', shown, "cells meaning empty, found in the sample"))
    if detect_decimal(_typed_values(sample, fields, entity, "number", "integer")) == ",":
        found.append(("decimal", '","', "amounts are written with a decimal comma (1 234,56)"))
    return found, notes


def build_draft(
    sample: Sample,
    file_name: str,
    entity: str | None = None,
    channels: Mapping[str, Sequence[str]] | None = None,
) -> Draft:
    chosen = (entity, "given with --entity") if entity else guess_entity(sample.header, file_name)
    fields = match_fields(sample, chosen[0])
    canonical = CANONICAL_FIELDS[chosen[0]]
    values: dict[str, ValueGuesses] = {}
    for name, match in fields.items():
        guesses = guess_values(name, canonical[name], sample.values(match.index), channels)
        if guesses is not None:
            values[name] = guesses
    used = {match.index for match in fields.values()}
    formats, notes = _formats(sample, fields, chosen[0])
    return Draft(
        file_name=file_name,
        rows=len(sample.rows),
        name=mapping_name(file_name),
        source_system=guess_source_system(file_name),
        entity=chosen,
        fields=fields,
        missing=[name for name in canonical if name not in fields],
        unmapped=[c for i, c in enumerate(sample.header) if c and i not in used],
        values=values,
        formats=formats,
        format_notes=notes,
    )


def draft_mapping(
    path: Path,
    entity: str | None = None,
    channels: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The commented YAML draft of a mapping for the CSV file PATH.

    ENTITY: what a row is (else guessed); CHANNELS: channel code -> source names (else lead
    sources are not guessed). Raises DraftError when the file cannot be read as CSV."""
    return render(build_draft(read_sample(path), path.name, entity, channels))


# --- writing YAML with comments ----------------------------------------------------------------

# Text YAML reads back as the same string when written plain: no indicator, no edge spaces.
_PLAIN = re.compile(r"\w(?:[^:#,\[\]{}\"'\\]*[^\s:#,\[\]{}\"'\\])?")
WIDTH = 100


def _scalar(text: str) -> str:
    """TEXT as a YAML scalar: plain when YAML reads it back as the same string, else quoted
    (`Yes`, `1`, `null`, `a: b`, ` x`) as JSON, which YAML reads too."""
    if text.isprintable() and _PLAIN.fullmatch(text):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=not text.isprintable())


def _comment(text: str) -> str:
    """TEXT fit for a YAML comment: one line of printable characters."""
    return "".join(c if c.isprintable() else " " for c in text)


def _line(indent: int, key: str, value: str, why: str = "") -> str:
    line = f"{' ' * indent}{key}: {value}"
    return f"{line}  # {_comment(why)}" if why else line


def _comment_block(indent: int, text: str) -> list[str]:
    prefix = " " * indent + "# "
    return textwrap.wrap(_comment(text), WIDTH, initial_indent=prefix, subsequent_indent=prefix)


def _values_lines(name: str, guesses: ValueGuesses, indent: int) -> list[str]:
    """The `values` entry of field NAME (comments only when no value was guessed)."""
    note = f"{name}: {guesses.note}; the sample's values, most frequent first"
    lines = _comment_block(indent, note)
    if guesses.mapped:
        lines.append(f"{' ' * indent}{name}:")
        lines += [_line(indent + 2, _scalar(s), _scalar(c), why) for s, c, why in guesses.mapped]
    if guesses.unguessed:
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in guesses.unguessed)
        lines += _comment_block(
            indent, f"not guessed (add them, or they stay as they are): {shown}"
        )
    if guesses.hidden:
        lines += _comment_block(
            indent, f"{guesses.hidden} value(s) not shown (personal data or long)"
        )
    if guesses.more:
        lines += _comment_block(indent, f"{guesses.more} more distinct value(s) not listed")
    return lines


def render(draft: Draft) -> str:
    """The draft as YAML text, each guess commented."""
    lines = [
        f"# DRAFT mapping written by `smarketing map` from {_comment(draft.file_name)}",
        f"# (its header and {draft.rows} sampled rows). Every line is a guess: review it, fix or",
        "# delete what is wrong, save the file in the mappings folder, then validate it with",
        "# `smarketing config check`.",
        _line(0, "name", _scalar(draft.name), "unique name of this export shape"),
        _line(0, "source_system", _scalar(draft.source_system[0]), draft.source_system[1]),
        _line(
            0,
            "recognise",
            "[" + ", ".join(map(_scalar, draft.recognise)) + "]",
            "cells that identify the export (all must be there)",
        ),
        _line(0, "entity", draft.entity[0], draft.entity[1]),
        "fields:",
        *(_line(2, m.field, _scalar(m.cell), m.comment) for m in draft.fields.values()),
    ]
    if draft.missing:
        lines += _comment_block(2, "not found in the header: " + ", ".join(draft.missing))
    if draft.unmapped:
        lines += _comment_block(2, "header cells left out: " + ", ".join(draft.unmapped))
    if any(g.mapped for g in draft.values.values()):
        lines.append("values:")
        indent = 2
    else:  # an empty `values:` would read as null
        lines += ["# values: none guessed"] if draft.values else []
        indent = 0
    for name, guesses in draft.values.items():
        lines += _values_lines(name, guesses, indent)
    if draft.formats:
        lines.append("formats:")
        lines += [_line(2, key, value, why) for key, value, why in draft.formats]
    for note in draft.format_notes:
        lines += _comment_block(0, f"formats.{note}")
    return "\n".join(lines) + "\n"
