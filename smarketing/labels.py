"""The names people read for the codes the marts hold (segments, channels, rejection reasons,
funnel stages, KPI statuses, breakdowns), in French and English: the dashboard and the
committee pack show these, never the codes. A code a team added to smarketing.yml and not
named here reads as its words (`field_marketing`: "Field marketing")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ALL = "(all)"
UNKNOWN = "(unknown)"

VALUES: dict[str, dict[str, dict[str, str]]] = {
    # the team's own codes (smarketing.yml `segments`, `channels`) read as their words
    "segment": {ALL: {"fr": "Tous les segments", "en": "All segments"}},
    "channel": {ALL: {"fr": "Tous les canaux", "en": "All channels"}},
    "team": {ALL: {"fr": "Toutes les ventes", "en": "All of Sales"}},
    "owner_name": {ALL: {"fr": "Tous les commerciaux", "en": "All owners"}},
    "reason": {
        "out_of_target": {"fr": "Hors cible", "en": "Out of target"},
        "no_budget": {"fr": "Pas de budget", "en": "No budget"},
        "no_project": {"fr": "Pas de projet", "en": "No project"},
        "bad_data": {"fr": "Coordonnées erronées", "en": "Wrong contact data"},
        "duplicate": {"fr": "Doublon", "en": "Duplicate"},
        "no_reason": {"fr": "Sans motif", "en": "No reason given"},
        ALL: {"fr": "Tous les motifs", "en": "All reasons"},
    },
    "stage": {
        "created": {"fr": "Créés", "en": "Created"},
        "mql": {"fr": "MQL", "en": "MQL"},
        "handoff": {"fr": "Transmis aux ventes", "en": "Handed to Sales"},
        "sal": {"fr": "SAL (acceptés)", "en": "SAL (accepted)"},
        "sql": {"fr": "SQL (qualifiés)", "en": "SQL (qualified)"},
        "opportunity": {"fr": "Opportunités", "en": "Opportunities"},
        "won": {"fr": "Gagnés", "en": "Won"},
        "lost": {"fr": "Perdus", "en": "Lost"},
        "disqualified": {"fr": "Disqualifiés", "en": "Disqualified"},
    },
    "status": {
        "on_track": {"fr": "Dans la cible", "en": "On track"},
        "at_risk": {"fr": "À surveiller", "en": "At risk"},
        "off_track": {"fr": "Hors cible", "en": "Off track"},
        "none": {"fr": "Sans valeur", "en": "No value"},
    },
    "breakdown": {
        "segment": {"fr": "Segment", "en": "Segment"},
        "channel": {"fr": "Canal", "en": "Channel"},
        "team": {"fr": "Équipe", "en": "Team"},
        "owner_name": {"fr": "Commercial", "en": "Owner"},
    },
    "closed_by": {
        "closing rule": {"fr": "Règle de clôture", "en": "Closing rule"},
        "command": {"fr": "Clôture manuelle", "en": "Closed by hand"},
    },
    "key_field": {
        "name": {"fr": "Nom", "en": "Name"},
        "email": {"fr": "E-mail", "en": "E-mail"},
        "phone": {"fr": "Téléphone", "en": "Phone"},
        "company": {"fr": "Entreprise", "en": "Company"},
        "country": {"fr": "Pays", "en": "Country"},
        "employee_count": {"fr": "Effectif", "en": "Employees"},
        "key_fields": {"fr": "Tous les champs clés", "en": "Every key field"},
    },
    "record_sources": {
        "both": {"fr": "HubSpot et Salesforce", "en": "HubSpot and Salesforce"},
        "hubspot_only": {"fr": "HubSpot seul", "en": "HubSpot only"},
        "salesforce_only": {"fr": "Salesforce seul", "en": "Salesforce only"},
        ALL: {"fr": "Tous les leads", "en": "Every lead"},
    },
    "match_rule": {
        "converted_to_contact": {"fr": "Lead converti en contact", "en": "Lead converted"},
        "unmatched": {"fr": "Seule", "en": "On its own"},
        "salesforce_lead_id": {"fr": "Id. de lead Salesforce", "en": "Salesforce lead id"},
        "salesforce_contact_id": {"fr": "Id. de contact Salesforce", "en": "Salesforce contact id"},
        "hubspot_record_id": {"fr": "Id. HubSpot", "en": "HubSpot record id"},
        "probabilistic": {"fr": "Modèle probabiliste", "en": "Probabilistic model"},
        "same_email": {"fr": "Même e-mail", "en": "Same e-mail"},
    },
    "response_bucket": {
        "not touched": {"fr": "Pas contacté", "en": "Not touched"},
    },
    "source_system": {
        "hubspot": {"fr": "HubSpot", "en": "HubSpot"},
        "salesforce": {"fr": "Salesforce", "en": "Salesforce"},
    },
    "source_entity": {
        "lead": {"fr": "Lead", "en": "Lead"},
        "contact": {"fr": "Contact", "en": "Contact"},
        "account": {"fr": "Compte", "en": "Account"},
        "company": {"fr": "Entreprise", "en": "Company"},
    },
    "check_status": {
        "passed": {"fr": "Réussi", "en": "Passed"},
        "failed": {"fr": "En échec", "en": "Failed"},
        "error": {"fr": "Non exécuté (erreur)", "en": "Could not run"},
    },
    "severity": {
        "blocking": {"fr": "Bloquant", "en": "Blocking"},
        "warning": {"fr": "Avertissement", "en": "Warning"},
    },
    "timeline_kind": {
        "stage": {"fr": "Étape", "en": "Stage"},
        "activity": {"fr": "Action commerciale", "en": "Sales touch"},
    },
    "publication": {
        "published": {"fr": "publiés", "en": "published"},
        "held_back": {"fr": "retenus", "en": "held back"},
    },
    "load": {
        "loaded": {"fr": "chargés", "en": "loaded"},
        "loaded_with_rejects": {"fr": "chargés avec rejets", "en": "loaded with rejects"},
        "duplicate": {"fr": "déjà reçus", "en": "already received"},
        "refused": {"fr": "refusés", "en": "refused"},
        "unknown": {"fr": "non reconnus", "en": "not recognised"},
        "error": {"fr": "en erreur", "en": "failed"},
    },
}

_UNKNOWN = {"fr": "(inconnu)", "en": "(unknown)"}


def humanise(code: str) -> str:
    """A code's words: `field_marketing` -> `Field marketing`; a short single word is taken for
    an acronym (`smb` -> `SMB`)."""
    words = code.replace("_", " ").replace("-", " ").strip()
    if words.isalpha() and len(words) <= 3:
        return words.upper()
    return words[:1].upper() + words[1:] if words else code


Defined = Mapping[tuple[str, str], Mapping[str, str]]


def defined(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, str]]:
    """The names smarketing.yml gives its own codes (rows of ``config.value_labels``: kind,
    code, label_fr, label_en), by kind and code."""
    return {
        (str(row["kind"]), str(row["code"])): {"fr": row["label_fr"], "en": row["label_en"]}
        for row in rows
    }


def value_label(kind: str, value: Any, lang: str, names: Defined | None = None) -> str:
    """The name of VALUE of KIND (`segment`, `channel`, …) in LANG: the one smarketing.yml
    gives it (NAMES, from ``defined``), else this catalogue's, else its words; an empty value
    and `(unknown)` read as unknown; a team's or owner's name is shown as it is."""
    if value is None or value == UNKNOWN or (isinstance(value, float) and value != value):
        # a KPI without a value has no status
        return VALUES[kind]["none"][lang] if kind == "status" else _UNKNOWN[lang]
    named = (names or {}).get((kind, str(value))) or VALUES.get(kind, {}).get(str(value))
    if named is not None:
        return named[lang]
    if kind in ("team", "owner_name", "response_bucket"):
        return str(value)
    return humanise(str(value))
