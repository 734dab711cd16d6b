"""Every sentence and heading of the committee pack, in French and English."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "fr": "Comité de performance marketing et ventes",
        "en": "Sales and marketing performance committee",
    },
    "meta.as_of": {"fr": "Données au {when}", "en": "Data as of {when}"},
    "meta.definition": {"fr": "Définition {version}", "en": "Definition {version}"},
    "meta.frozen": {
        "fr": "Chiffres figés le {when} ({how})",
        "en": "Figures frozen on {when} ({how})",
    },
    "closed.closing rule": {"fr": "règle de clôture", "en": "closing rule"},
    "closed.command": {"fr": "clôture manuelle", "en": "closed by hand"},
    "scorecard": {"fr": "Tableau de bord", "en": "Scorecard"},
    "col.kpi": {"fr": "Indicateur", "en": "KPI"},
    "col.value": {"fr": "Valeur", "en": "Value"},
    "col.target": {"fr": "Cible", "en": "Target"},
    "col.previous": {"fr": "Mois précédent", "en": "Last month"},
    "col.change": {"fr": "Évolution", "en": "Change"},
    "col.status": {"fr": "Statut", "en": "Status"},
    "col.trend": {"fr": "12 mois", "en": "12 months"},
    "trend.help": {
        "fr": "Tendance : valeurs figées des douze derniers mois clos ; en pointillé, la cible.",
        "en": "Trend: the frozen values of the last twelve closed months; dashed, the target.",
    },
    "explain": {"fr": "Ce qui explique les écarts", "en": "What explains the misses"},
    "explain.none": {
        "fr": "Aucun indicateur hors cible ce mois-ci.",
        "en": "No KPI off track this month.",
    },
    "explain.kpi": {
        "fr": "{label} : {value} pour une cible de {target}",
        "en": "{label}: {value} against a target of {target}",
    },
    "explain.ratio_help": {
        "fr": "Contribution : l'écart à la cible que chaque groupe apporte, en points de "
        "l'indicateur (les contributions de tous les groupes s'additionnent en l'écart total) ; "
        "les plus fortes d'abord.",
        "en": "Contribution: the distance to target each group brings, in points of the KPI "
        "(the contributions of every group add up to the whole distance); largest first.",
    },
    "explain.median_help": {
        "fr": "Médiane de chaque groupe, les plus éloignées de la cible d'abord (une médiane ne "
        "se décompose pas).",
        "en": "Each group's median, furthest from target first (a median does not break down).",
    },
    "explain.none_against": {
        "fr": "Aucun groupe du côté de l'écart.",
        "en": "No group on the side of the miss.",
    },
    "col.group": {"fr": "Groupe", "en": "Group"},
    "col.volume": {"fr": "Volume", "en": "Volume"},
    "col.contribution": {"fr": "Contribution", "en": "Contribution"},
    "col.gap": {"fr": "Écart à la cible", "en": "Gap to target"},
    "funnel": {"fr": "Entonnoir du mois", "en": "The month's funnel"},
    "funnel.help": {
        "fr": "Entrées dans chaque étape pendant le mois, toute l'entreprise. Étape suivante : "
        "rapport à l'étape précédente ; cumulée : rapport aux MQL.",
        "en": "Entries into each stage during the month, company-wide. Next step: against the "
        "stage before; cumulative: against the MQLs.",
    },
    "col.stage": {"fr": "Étape", "en": "Stage"},
    "col.entries": {"fr": "Entrées", "en": "Entries"},
    "col.next_step": {"fr": "Étape suivante", "en": "Next step"},
    "col.cumulative": {"fr": "Cumulée", "en": "Cumulative"},
    "sla": {"fr": "SLA de premier contact par équipe", "en": "First-touch SLA by team"},
    "sla.help": {
        "fr": "Transmissions du mois ; le taux se calcule sur les transmissions décidées "
        "(contactées à temps ou en retard). En pointillé : la cible de {target}.",
        "en": "Hand-offs of the month; the rate is over the hand-offs decided (touched in time "
        "or late). Dashed: the {target} target.",
    },
    "col.team": {"fr": "Équipe", "en": "Team"},
    "col.handoffs": {"fr": "Transmissions", "en": "Hand-offs"},
    "col.met": {"fr": "À temps", "en": "In time"},
    "col.breached": {"fr": "En retard", "en": "Late"},
    "col.open": {"fr": "Non contactés", "en": "Not touched"},
    "col.compliance": {"fr": "Respect du SLA", "en": "Compliance"},
    "feedback": {"fr": "Retours des ventes", "en": "Sales feedback"},
    "feedback.help": {
        "fr": "Transmissions du mois qui devaient un retour, et celles qui l'ont eu à temps avec "
        "un motif.",
        "en": "Hand-offs of the month owing feedback, and those that got it in time with a reason.",
    },
    "col.due": {"fr": "Retours dus", "en": "Feedback due"},
    "col.complete": {"fr": "Complets", "en": "Complete"},
    "col.missing": {"fr": "Manquants", "en": "Missing"},
    "col.coverage": {"fr": "Couverture", "en": "Coverage"},
    "reasons": {"fr": "Principaux motifs de rejet", "en": "Top rejection reasons"},
    "col.reason": {"fr": "Motif", "en": "Reason"},
    "col.disqualified": {"fr": "Disqualifiés", "en": "Disqualified"},
    "col.share": {"fr": "Part", "en": "Share"},
    "col.cumulative_share": {"fr": "Part cumulée", "en": "Cumulative share"},
    "reasons.none": {"fr": "Aucun rejet ce mois-ci.", "en": "No rejection this month."},
    "volume": {"fr": "Volume de MQL face à l'objectif", "en": "MQL volume against target"},
    "volume.total": {
        "fr": "{mqls} MQL pour un objectif de {target}.",
        "en": "{mqls} MQLs against a target of {target}.",
    },
    "col.segment": {"fr": "Segment", "en": "Segment"},
    "col.channel": {"fr": "Canal", "en": "Channel"},
    "col.mqls": {"fr": "MQL", "en": "MQLs"},
    "col.mql_target": {"fr": "Objectif", "en": "Target"},
    "col.attainment": {"fr": "Atteinte", "en": "Attainment"},
    "col.gap_count": {"fr": "Écart", "en": "Gap"},
    "chart.mqls": {"fr": "MQL", "en": "MQLs"},
    "chart.target": {"fr": "Objectif", "en": "Target"},
    "quality": {"fr": "Qualité des données du mois", "en": "Data quality of the month"},
    "quality.completeness": {
        "fr": "Complétude des champs clés des leads acceptés, par équipe",
        "en": "Key-field completeness of the leads accepted, by team",
    },
    "col.accepted": {"fr": "Acceptés", "en": "Accepted"},
    "col.all_fields": {"fr": "Tous les champs", "en": "Every field"},
    "col.completeness": {"fr": "Complétude", "en": "Completeness"},
    "quality.runs": {"fr": "Passages du mois : {runs}.", "en": "Runs of the month: {runs}."},
    "quality.no_runs": {
        "fr": "Aucun passage enregistré pendant le mois.",
        "en": "No run recorded during the month.",
    },
    "quality.run_count": {"fr": "{count} {status}", "en": "{count} {status}"},
    "quality.held_back_reasons": {
        "fr": "Motifs des passages retenus : {reasons}",
        "en": "Why runs were held back: {reasons}",
    },
    "quality.checks": {
        "fr": "Dernière publication du mois ({when}) : {passed} contrôles réussis, "
        "{failed} en échec dont {blocking} bloquant(s), {warnings} avertissement(s).",
        "en": "Last publication of the month ({when}): {passed} checks passed, {failed} failed "
        "of which {blocking} blocking, {warnings} warning(s).",
    },
    "quality.no_checks": {
        "fr": "Aucune publication pendant le mois.",
        "en": "No publication during the month.",
    },
    "quality.loads": {
        "fr": "Fichiers reçus pendant le mois",
        "en": "Files received during the month",
    },
    "quality.no_loads": {
        "fr": "Aucun fichier reçu pendant le mois.",
        "en": "No file received during the month.",
    },
    "col.load_status": {"fr": "État", "en": "Status"},
    "col.files": {"fr": "Fichiers", "en": "Files"},
    "col.rows_loaded": {"fr": "Lignes chargées", "en": "Rows loaded"},
    "col.rows_rejected": {"fr": "Lignes rejetées", "en": "Rows rejected"},
    "footer": {"fr": "Smarketing · comité · {month}", "en": "Smarketing · committee · {month}"},
    "page": {"fr": "page", "en": "page"},
}


def text(key: str, lang: str, **values: Any) -> str:
    entry = TEXT[key][lang]
    return entry.format(**values) if values else entry
