"""Every string the dashboard shows, in French and English, and the number formats of each.

The language is the sidebar switch's (st.session_state["lang"]); a string is looked up with
t("key", **values). Column names of tables stay the marts' own: they are what analysts
query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboards import warehouse
from smarketing import formats
from smarketing import labels as value_labels

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "en"
MISSING = formats.MISSING

T = TypeVar("T")

CATALOGUE: dict[str, dict[str, str]] = {
    # frame
    "app.title": {"fr": "Smarketing · comité", "en": "Smarketing · committee"},
    "app.language": {"fr": "Langue", "en": "Language"},
    "banner.text": {
        "fr": "Données publiées le {when} · {checks}",
        "en": "Data published {when} · {checks}",
    },
    "banner.never": {"fr": "jamais", "en": "never"},
    "banner.as_of": {"fr": "données au {when}", "en": "data as of {when}"},
    "banner.definition": {"fr": "définition {version}", "en": "definition {version}"},
    "banner.checks_not_recorded": {
        "fr": "contrôles : pas encore enregistrés",
        "en": "checks: not recorded yet",
    },
    "banner.checks_passed": {"fr": "contrôles : réussis", "en": "checks: passed"},
    "banner.checks_failed": {
        "fr": "contrôles : le dernier passage a échoué",
        "en": "checks: the last run failed",
    },
    "banner.warnings": {
        "fr": "({count} avertissement(s))",
        "en": "({count} warning(s))",
    },
    "banner.held_back": {
        "fr": "Le dernier passage ({when}) a échoué à ses contrôles et n'a pas été publié : "
        "les chiffres affichés sont ceux de la dernière publication (pourquoi : page "
        "Gouvernance des données).",
        "en": "The last run ({when}) failed its checks and was held back: the figures shown "
        "are those of the last publication (why: the Data governance page).",
    },
    "held.title": {
        "fr": "Dernier passage non publié ({when})",
        "en": "Last run held back ({when})",
    },
    "held.check_failed": {
        "fr": "Contrôle bloquant en échec : {check} ({details})",
        "en": "Blocking check failed: {check} ({details})",
    },
    "held.check_error": {
        "fr": "Contrôle impossible à évaluer : {check} ({details})",
        "en": "Check could not be evaluated: {check} ({details})",
    },
    "held.dbt_test": {
        "fr": "Test dbt en échec : {test} sur {table}",
        "en": "dbt test failed: {test} on {table}",
    },
    "held.delivery": {
        "fr": "Livraison non chargée : {detail}",
        "en": "Delivery not loaded: {detail}",
    },
    "held.step": {
        "fr": "Étape en échec : {step} {message}",
        "en": "Step failed: {step} {message}",
    },
    "missing.table": {
        "fr": "La table `{name}` n'est pas encore dans l'entrepôt : lancez `smarketing run`.",
        "en": "Table `{name}` is not in the warehouse yet: run `smarketing run`.",
    },
    "missing.rebuild": {
        "fr": "Non disponible dans cet entrepôt (à reconstruire avec `smarketing run`) : {detail}",
        "en": "Not available in this warehouse (rebuild it with `smarketing run`): {detail}",
    },
    "download.csv": {"fr": "Télécharger (CSV)", "en": "Download (CSV)"},
    # pages
    "page.committee": {"fr": "Comité", "en": "Committee"},
    "page.funnel": {"fr": "Entonnoir", "en": "Funnel"},
    "page.sla": {"fr": "SLA", "en": "SLA"},
    "page.segments": {"fr": "Segments", "en": "Segments"},
    "page.governance": {"fr": "Gouvernance des données", "en": "Data governance"},
    "page.lead360": {"fr": "Lead 360", "en": "Lead 360"},
    "page.sql": {"fr": "SQL", "en": "SQL"},
    # shared filters
    "filter.title": {"fr": "Filtres", "en": "Filters"},
    "filter.period": {"fr": "Période", "en": "Period"},
    "filter.segment": {"fr": "Segment", "en": "Segment"},
    "filter.channel": {"fr": "Canal", "en": "Channel"},
    "filter.team": {"fr": "Équipe", "en": "Team"},
    "filter.campaign_name": {"fr": "Campagne", "en": "Campaign"},
    "filter.offer": {"fr": "Offre", "en": "Offer"},
    "filter.all": {"fr": "Tous", "en": "All"},
    "filter.unknown": {"fr": "(inconnu)", "en": "(unknown)"},
    "filter.no_months": {
        "fr": "Aucun mois dans l'entrepôt pour l'instant.",
        "en": "No month in the warehouse yet.",
    },
    # committee
    "committee.month": {"fr": "Tableau de bord de {month}", "en": "Scorecard of {month}"},
    "committee.company_wide": {
        "fr": "Chiffres de toute l'entreprise : les filtres segment, canal et équipe "
        "s'appliquent aux autres pages. Le mois est le dernier de la période.",
        "en": "Company-wide figures: the segment, channel and team filters apply to the other "
        "pages. The month is the period's last month.",
    },
    "committee.in_progress": {
        "fr": "Mois en cours : les valeurs peuvent encore évoluer.",
        "en": "Month in progress: values can still change.",
    },
    "committee.empty": {"fr": "Aucun indicateur pour l'instant.", "en": "No KPI yet."},
    "committee.no_month": {
        "fr": "Pas d'indicateur pour {month}.",
        "en": "No KPI for {month}.",
    },
    "committee.target_last_month": {
        "fr": "Cible : {target} · mois précédent : {previous}",
        "en": "Target: {target} · last month: {previous}",
    },
    "committee.table": {"fr": "Détail", "en": "Details"},
    "committee.revisions": {
        "fr": "{count} indicateur(s) révisé(s) depuis la clôture du mois",
        "en": "{count} KPI(s) revised since the month was closed",
    },
    "committee.history": {"fr": "Douze derniers mois", "en": "Last twelve months"},
    "committee.drill": {"fr": "Détail", "en": "Drill down"},
    "drill.help": {
        "fr": "{month} : chaque groupe avec sa valeur, son volume et sa contribution à l'écart "
        "à la cible (en points de l'indicateur ; les contributions s'additionnent en l'écart "
        "total), le plus défavorable d'abord.",
        "en": "{month}: each group with its value, its volume and its contribution to the "
        "distance to target (in points of the KPI; the contributions add up to the whole "
        "distance), the worst first.",
    },
    "drill.none": {
        "fr": "Pas de décomposition pour cet indicateur ce mois-ci.",
        "en": "No breakdown for this KPI this month.",
    },
    "drill.leads": {"fr": "Les leads", "en": "The leads"},
    "drill.group": {"fr": "Groupe", "en": "Group"},
    "drill.no_leads": {
        "fr": "La couche de métriques ne tient pas cet indicateur lead par lead : la "
        "décomposition ci-dessus est son niveau le plus fin.",
        "en": "The metric layer does not hold this KPI lead by lead: the breakdown above is "
        "its finest level.",
    },
    "drill.leads_count": {
        "fr": "{count} lead(s) dans le groupe (les {shown} premiers au plus).",
        "en": "{count} lead(s) in the group (the first {shown} at most).",
    },
    "committee.packs": {"fr": "Dossiers du comité", "en": "Committee packs"},
    "committee.packs_help": {
        "fr": "Le dossier de chaque mois clos, avec les chiffres figés à la clôture : à "
        "envoyer, imprimer ou archiver.",
        "en": "Each closed month's pack, with the figures frozen when it closed: to send, "
        "print or file.",
    },
    "committee.packs_earlier": {
        "fr": "Mois précédents ({count})",
        "en": "Earlier months ({count})",
    },
    "committee.packs_none": {
        "fr": "Aucun dossier pour l'instant : il est produit à la clôture d'un mois "
        "(`smarketing committee pack AAAA-MM` pour un mois déjà clos).",
        "en": "No pack yet: one is produced when a month closes (`smarketing committee pack "
        "YYYY-MM` for a month already closed).",
    },
    "committee.pack_pdf": {"fr": "PDF", "en": "PDF"},
    "committee.pack_html": {"fr": "HTML", "en": "HTML"},
    # funnel
    "funnel.stages": {
        "fr": "Entrées dans chaque étape sur la période",
        "en": "Entries into each stage over the period",
    },
    "funnel.by_month": {"fr": "Taux par mois", "en": "Rates by month"},
    "funnel.cohorts": {"fr": "Conversion des cohortes de MQL", "en": "MQL cohort conversion"},
    "funnel.cohorts_help": {
        "fr": "Part des MQL du mois devenus SQL (ou gagnés) dans les 30, 90 et 180 jours ; "
        "une fenêtre incomplète (is_complete_… faux) peut encore progresser.",
        "en": "Share of the month's MQLs that became SQLs (or won) within 30, 90 and 180 days; "
        "an incomplete window (is_complete_… false) can still grow.",
    },
    # SLA
    "sla.help": {
        "fr": "Transmissions aux ventes dont la date tombe dans la période, selon les filtres.",
        "en": "Hand-offs to Sales made in the period, for the filters chosen.",
    },
    "sla.distribution": {
        "fr": "Délai de premier contact (heures ouvrées)",
        "en": "Time to first touch (business hours)",
    },
    "sla.compliance_team": {"fr": "Respect du SLA par équipe", "en": "Compliance by team"},
    "sla.compliance_details": {
        "fr": "Détail par équipe et par mois",
        "en": "Details by team and month",
    },
    "sla.compliance_owner": {
        "fr": "Respect du SLA par commercial",
        "en": "Compliance by owner",
    },
    "sla.monthly_help": {
        "fr": "Une ligne par mois de la période : les taux sont ceux de chaque mois, jamais "
        "recalculés sur plusieurs mois. La ligne « Toutes les ventes » : l'ensemble des "
        "équipes.",
        "en": "One row per month of the period: each month's rates, never recomputed over "
        "several months. The “All of Sales” row: every team together.",
    },
    "sla.open_breaches": {"fr": "Dépassements en cours", "en": "Open breaches"},
    "sla.open_breaches_help": {
        "fr": "Leads pas encore contactés au-delà du délai, quelle que soit la période.",
        "en": "Leads not touched yet and past their limit, whatever the period.",
    },
    "sla.speed": {"fr": "Rapidité et conversion", "en": "Speed to lead"},
    "sla.feedback": {"fr": "Retours des ventes", "en": "Feedback coverage"},
    "sla.reasons": {
        "fr": "Motifs de rejet (Pareto)",
        "en": "Rejection reasons (Pareto)",
    },
    "sla.reasons_all_months": {
        "fr": "Tout l'historique (la période couvre tous les mois).",
        "en": "The whole history (the period spans every month).",
    },
    "sla.reasons_month": {"fr": "Mois de {month}.", "en": "Month of {month}."},
    "sla.reasons_last_month": {
        "fr": "Mois de {month}, le dernier de la période : les parts de plusieurs mois ne "
        "s'additionnent pas (choisissez toute la période pour l'historique complet).",
        "en": "Month of {month}, the period's last month: shares of several months do not add "
        "up (choose the whole period for the full history).",
    },
    "sla.volume": {"fr": "Volume de MQL vs objectif", "en": "MQL volume vs target"},
    "sla.volume_help": {
        "fr": "Par segment et canal (le filtre équipe ne s'applique pas).",
        "en": "Per segment and channel (the team filter does not apply).",
    },
    # segments
    "segments.window": {"fr": "Fenêtre", "en": "Window"},
    "segments.last_12_months": {"fr": "12 derniers mois", "en": "Last 12 months"},
    "segments.all_time": {"fr": "Depuis le début", "en": "All time"},
    "segments.filters_help": {
        "fr": "Le classement suit le filtre segment ; canal, équipe et période ne s'y "
        "appliquent pas.",
        "en": "The ranking follows the segment filter; channel, team and period do not apply.",
    },
    "segments.by_segment": {
        "fr": "Taux de gain, chiffre d'affaires et cycle par segment",
        "en": "Win rate, revenue and cycle length per segment",
    },
    "segments.top_three": {"fr": "Les trois meilleures cibles (ICP)", "en": "Top three ICP cells"},
    "segments.no_top_three": {"fr": "Aucune affaire gagnée.", "en": "No deal won."},
    "segments.cell_caption": {
        "fr": "Taux de gain {win_rate} · {won} gagnées sur {closed} conclues",
        "en": "Win rate {win_rate} · {won} won of {closed} closed",
    },
    "segments.cells": {"fr": "Segment \u00d7 secteur", "en": "Segment \u00d7 industry"},
    "segments.cycle": {"fr": "Durée du cycle de vente (jours)", "en": "Sales-cycle length (days)"},
    # governance
    "governance.completeness": {
        "fr": "Complétude des champs clés",
        "en": "Key-field completeness",
    },
    "governance.completeness_help": {
        "fr": "Part des leads unifiés ayant chaque champ, selon les outils qui les "
        "connaissent (HubSpot seul, Salesforce seul, les deux, ou tous les leads). "
        "Tous les leads : les filtres ne s'y appliquent pas.",
        "en": "Share of unified leads with each field, by the tools that know them (HubSpot "
        "only, Salesforce only, both, or every lead). Every lead: the filters do not "
        "apply.",
    },
    "governance.key_fields": {
        "fr": "Leads avec tous les champs clés",
        "en": "Leads with every key field",
    },
    "governance.target": {"fr": "Cible : {target}", "en": "Target: {target}"},
    "governance.below_target": {
        "fr": "Sous la cible de {target}.",
        "en": "Below the {target} target.",
    },
    "governance.crm": {
        "fr": "Complétude du CRM sur les leads acceptés (filtres période et équipe)",
        "en": "CRM completeness of accepted leads (period and team filters)",
    },
    "governance.duplicates": {"fr": "Doublons fusionnés", "en": "Duplicates merged"},
    "governance.leads": {"fr": "Leads unifiés", "en": "Unified leads"},
    "governance.source_records": {"fr": "Fiches sources", "en": "Source records"},
    "governance.merged": {"fr": "Fiches fusionnées", "en": "Records merged"},
    "governance.checks": {"fr": "Historique des contrôles", "en": "Check history"},
    "governance.checks_not_yet": {
        "fr": "L'historique des contrôles n'est pas encore disponible : le pipeline ne "
        "l'enregistre pas encore.",
        "en": "The check history is not available yet: the pipeline does not record it yet.",
    },
    "governance.last_run_problems": {
        "fr": "Dernier passage : {count} contrôle(s) non réussi(s).",
        "en": "Last run: {count} check(s) not passed.",
    },
    "governance.docs_not_yet": {
        "fr": "Les Data Docs ne sont pas encore disponibles.",
        "en": "The Data Docs are not available yet.",
    },
    "governance.docs_link": {
        "fr": "Data Docs du dernier passage : [{path}]({url}) (à ouvrir dans un navigateur "
        "sur la machine qui les héberge)",
        "en": "Data Docs of the last run: [{path}]({url}) (open it in a browser on the machine "
        "that holds it)",
    },
    "governance.load_audit": {"fr": "Journal de chargement", "en": "Load audit"},
    "governance.rejected": {"fr": "Lignes rejetées", "en": "Rejected rows"},
    "governance.rejected_count": {
        "fr": "{total} lignes rejetées (les {shown} plus récentes au plus).",
        "en": "{total} rejected rows (the {shown} most recent at most).",
    },
    "governance.rejected_restricted": {
        "fr": "Le contenu des lignes rejetées (des données personnelles) n'est visible que "
        "dans le rôle restreint (SMARKETING_ROLE=restricted).",
        "en": "What the rejected rows held (personal data) is shown in the restricted role "
        "only (SMARKETING_ROLE=restricted).",
    },
    "banner.role_restricted": {
        "fr": "rôle restreint : données personnelles visibles",
        "en": "restricted role: personal data shown",
    },
    # lead 360
    "lead360.search": {
        "fr": "Nom, e-mail ou entreprise",
        "en": "Name, e-mail or company",
    },
    "lead360.search_shared": {
        "fr": "Identifiant du lead (ul_…), pseudonyme (p_…) ou entreprise",
        "en": "Lead id (ul_…), pseudonym (p_…) or company",
    },
    "lead360.shared_note": {
        "fr": "Rôle partagé : ni e-mail, ni téléphone, ni nom. Les équipes qui traitent les "
        "leads ouvrent le tableau de bord avec SMARKETING_ROLE=restricted.",
        "en": "Shared role: no e-mail, phone or name. The teams who work leads open the "
        "dashboard with SMARKETING_ROLE=restricted.",
    },
    "lead360.hint": {
        "fr": "Saisissez au moins deux caractères.",
        "en": "Type at least two characters.",
    },
    "lead360.none": {"fr": "Aucun lead pour « {term} ».", "en": "No lead matches “{term}”."},
    "lead360.found": {
        "fr": "{count} lead(s) trouvé(s) (au plus {limit}).",
        "en": "{count} lead(s) found (at most {limit}).",
    },
    "lead360.choose": {"fr": "Lead", "en": "Lead"},
    "lead360.lead": {"fr": "Lead unifié", "en": "Unified lead"},
    "lead360.records": {"fr": "Fiches sources", "en": "Source records"},
    "lead360.timeline": {
        "fr": "Chronologie : étapes et actions commerciales",
        "en": "Timeline: stage events and sales touches",
    },
    # SQL
    "sql.help": {
        "fr": "Requêtes en lecture seule sur l'entrepôt : une seule requête SELECT (ou WITH), "
        "sans accès aux fichiers, avec une limite de lignes et un délai maximal.",
        "en": "Read-only queries on the warehouse: one SELECT (or WITH) query, no file "
        "access, with a row limit and a timeout.",
    },
    "sql.query": {"fr": "Requête", "en": "Query"},
    "sql.row_limit": {"fr": "Lignes au plus", "en": "Row limit"},
    "sql.timeout": {"fr": "Délai maximal (s)", "en": "Timeout (s)"},
    "sql.run": {"fr": "Exécuter", "en": "Run"},
    "sql.refused": {"fr": "Requête refusée : {reason}", "en": "Query refused: {reason}"},
    "sql.rows": {"fr": "{rows} ligne(s) en {seconds} s.", "en": "{rows} row(s) in {seconds} s."},
    "sql.truncated": {
        "fr": "Résultat tronqué à {limit} lignes.",
        "en": "Result cut at {limit} rows.",
    },
    "sql.tables": {"fr": "Tables disponibles", "en": "Tables available"},
}


def language() -> str:
    lang = st.session_state.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: Any) -> str:
    """The string KEY in the current language, with VALUES filled in."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    return entry[language()].format(**values) if values else entry[language()]


VALUE_LABELS = "config.value_labels"


def defined_labels() -> value_labels.Defined:
    """The names smarketing.yml gives its segments and channels, as published."""
    if not warehouse.has_relation(VALUE_LABELS):
        return {}
    return value_labels.defined(
        warehouse.query(f"select kind, code, label_fr, label_en from {VALUE_LABELS}").to_dict(
            "records"
        )
    )


def value_label(kind: str, code: Any) -> str:
    """The name of a mart's CODE of KIND (a status, a stage, a segment, …) in the current
    language."""
    return value_labels.value_label(kind, code, language(), defined_labels())


def labels(values: Iterable[T], label: Callable[[T], str]) -> Callable[[T], str]:
    """A widget's format_func with its labels fixed now, in this run's language: Streamlit may
    call format_func outside the script run (AppTest does), where no language is set."""
    table = {value: label(value) for value in values}
    return table.__getitem__


def kpi_label(row: Mapping[str, Any]) -> str:
    """A KPI's name in the current language: the registry's label (smarketing.yml
    ``committee.kpis``), carried by the KPI marts as ``label_fr`` / ``label_en``."""
    label = row.get(f"label_{language()}")
    return label if isinstance(label, str) and label else str(row["kpi"])


def is_missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def format_number(value: Any, decimals: int = 1, *, signed: bool = False) -> str:
    """VALUE with DECIMALS, grouped by thousands, in the current language's notation."""
    return formats.number(value, language(), decimals, signed=signed)


def format_percent(value: Any, *, signed: bool = False) -> str:
    """A share (0.123) as a percentage (`12.3%`, `12,3 %`), or, SIGNED, a change in points."""
    return formats.points(value, language()) if signed else formats.percent(value, language())


def format_money(value: Any) -> str:
    return formats.money(value, language())


def format_int(value: Any) -> str:
    return formats.integer(value, language())


def format_kpi(unit: Any, value: Any, *, signed: bool = False) -> str:
    """A KPI's value in its UNIT (the mart's `unit` column): `days` as days, `share` as a
    percentage (a change as points); any other unit as a plain number."""
    if unit == "share":
        return format_percent(value, signed=signed)
    if unit == "days":
        return formats.days(value, language(), signed=signed)
    return format_number(value, 2, signed=signed)


def month_label(month: date) -> str:
    """A month in the current language: `déc. 2026`, `Dec 2026`."""
    return formats.month(month, language())


def format_date(day: date) -> str:
    """A date in the current language: `4 déc. 2026`, `4 Dec 2026`."""
    return formats.day(day, language())


def format_datetime(moment: datetime) -> str:
    """An instant in the reporting time zone (the teams' clock, smarketing.yml `calendar`); a
    naive value is taken as UTC."""
    return formats.moment(moment, language(), warehouse.reporting_time_zone())
