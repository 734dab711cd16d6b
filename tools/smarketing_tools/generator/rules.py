"""The fictional company's process: thresholds, teams, routing, channel and status vocabularies.

Every value a truth file holds follows from these tables applied to the exported data; the
README of this package states the same rules in prose.
"""

from __future__ import annotations

import datetime as dt

# Bumped whenever the same scale and seed give other data (recorded in truth/manifest.json: a
# dataset of another version is generated again, not reused). 2: personal e-mails are unique.
DATA_VERSION = 2

COMPANY = "Lumen Logiciels SAS"
COMPANY_DOMAIN = "lumen-logiciels.fr"
DEFAULT_AS_OF = dt.date(2026, 11, 20)
HISTORY_DAYS = 730

MQL_THRESHOLD = 60
FIT_MIN_EMPLOYEES = 10
SLA_BUSINESS_HOURS = 48
WORKING_HOURS = {
    "timezone": "Europe/Paris",
    "start": "09:00",
    "end": "18:00",
    "weekdays": "Mon-Fri",
    "holidays": "holidays.France",
}

# --- offers ---------------------------------------------------------------------------------

OFFERS = ("Lumen Pipeline", "Lumen Flux", "Lumen Vigie")
OFFER_TOPICS = {
    "Lumen Pipeline": "pilotage du pipeline commercial",
    "Lumen Flux": "automatisation des processus",
    "Lumen Vigie": "conformité et sécurité des données",
}
OFFER_WEIGHTS = (0.40, 0.35, 0.25)
OFFER_BASE_AMOUNT = {"Lumen Pipeline": 9_000, "Lumen Flux": 15_000, "Lumen Vigie": 24_000}

# --- segments -------------------------------------------------------------------------------

SEGMENTS = ("smb", "mid_market", "enterprise")
MID_MARKET_MIN = 100
ENTERPRISE_MIN = 1000
SEGMENT_AMOUNT_FACTOR = {"smb": 0.6, "mid_market": 1.8, "enterprise": 5.0}


def segment_of(employees: int) -> str:
    if employees >= ENTERPRISE_MIN:
        return "enterprise"
    if employees >= MID_MARKET_MIN:
        return "mid_market"
    return "smb"


# --- geography ------------------------------------------------------------------------------

TARGET_COUNTRIES = ("FR", "BE", "CH", "LU")
SALES_REGIONS = ("Île-de-France", "Nord-Ouest", "Nord-Est", "Sud-Ouest", "Sud-Est")
# French administrative region (Lead.State) -> sales region
REGION_OF_STATE = {
    "Île-de-France": "Île-de-France",
    "Normandie": "Nord-Ouest",
    "Bretagne": "Nord-Ouest",
    "Pays de la Loire": "Nord-Ouest",
    "Centre-Val de Loire": "Nord-Ouest",
    "Hauts-de-France": "Nord-Est",
    "Grand Est": "Nord-Est",
    "Bourgogne-Franche-Comté": "Nord-Est",
    "Nouvelle-Aquitaine": "Sud-Ouest",
    "Occitanie": "Sud-Ouest",
    "Auvergne-Rhône-Alpes": "Sud-Est",
    "Provence-Alpes-Côte d'Azur": "Sud-Est",
    "Corse": "Sud-Est",
}
INTERNATIONAL_REGION = "International"  # BE, CH, LU
OUT_OF_ZONE_REGION = "Hors zone"  # any other country

# every spelling of a country found in the exports -> ISO 3166 alpha-2
COUNTRY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "FR": ("France", "FRANCE", "FR", "Fr", "france", "République française"),
    "BE": ("Belgique", "Belgium", "BE", "belgique"),
    "CH": ("Suisse", "Switzerland", "CH", "Schweiz"),
    "LU": ("Luxembourg", "LU", "Luxemburg"),
    "DE": ("Allemagne", "Germany", "Deutschland", "DE"),
    "ES": ("Espagne", "Spain", "España", "ES"),
    "IT": ("Italie", "Italy", "Italia", "IT"),
    "GB": ("Royaume-Uni", "United Kingdom", "UK", "GB"),
    "US": ("États-Unis", "United States", "USA", "US"),
    "MA": ("Maroc", "Morocco", "MA"),
    "CA": ("Canada", "CA"),
}


def sales_region(country: str, state: str) -> str:
    if country == "FR":
        return REGION_OF_STATE[state]
    return INTERNATIONAL_REGION if country in TARGET_COUNTRIES else OUT_OF_ZONE_REGION


# --- teams and routing ----------------------------------------------------------------------

TEAM_ENTERPRISE = "Grands Comptes"
TEAM_SMB = "Inside Sales"
TEAM_INTERNATIONAL = "International"
TEAM_SDR = "SDR"
REGIONAL_TEAMS = {region: f"Mid-Market {region}" for region in SALES_REGIONS}
SALES_TEAMS = (TEAM_ENTERPRISE, *REGIONAL_TEAMS.values(), TEAM_SMB, TEAM_INTERNATIONAL, TEAM_SDR)
# teams a hand-off can be routed to (SDRs prospect, they do not receive hand-offs)
ROUTING_TEAMS = SALES_TEAMS[:-1]
SALES_DEPARTMENT = "Ventes"


def expected_team(country: str, employees: int | None, state: str) -> str:
    """Routing rule of a hand-off: country first, then segment, then region. A lead without
    an employee count is routed as a small company."""
    if country != "FR":
        return TEAM_INTERNATIONAL
    segment = segment_of(employees or 0)
    if segment == "enterprise":
        return TEAM_ENTERPRISE
    if segment == "mid_market":
        return REGIONAL_TEAMS[REGION_OF_STATE[state]]
    return TEAM_SMB


# --- channels -------------------------------------------------------------------------------

CHANNELS = ("paid_search", "organic", "webinar", "content_download", "event", "partner", "outbound")
INBOUND_CHANNELS = CHANNELS[:-1]
INBOUND_CHANNEL_WEIGHTS = (0.22, 0.25, 0.15, 0.20, 0.10, 0.08)

# HubSpot (Original Source code, Drill-Down 1) -> channel; "*" = any drill-down value.
# OFFLINE/INTEGRATION marks a contact created by the Salesforce sync: it never opens a
# person's history (the Salesforce record is older), so it maps to no channel.
HUBSPOT_SOURCE_CHANNEL: tuple[tuple[str, str, str], ...] = (
    ("PAID_SEARCH", "*", "paid_search"),
    ("ORGANIC_SEARCH", "*", "organic"),
    ("DIRECT_TRAFFIC", "*", "organic"),
    ("SOCIAL_MEDIA", "*", "organic"),
    ("OTHER_CAMPAIGNS", "webinar", "webinar"),
    ("OTHER_CAMPAIGNS", "livre-blanc", "content_download"),
    ("OFFLINE", "IMPORT", "event"),
    ("REFERRALS", "*", "partner"),
    ("OFFLINE", "INTEGRATION", ""),
)

# Salesforce LeadSource (Lead and Contact) -> channel. Leads created before the picklist
# clean-up of LEADSOURCE_CLEANUP carry the legacy values.
LEADSOURCE_CHANNEL = {
    "Paid Search": "paid_search",
    "Google AdWords": "paid_search",
    "Web": "organic",
    "Webinar": "webinar",
    "Content Download": "content_download",
    "Trade Show": "event",
    "Salon": "event",
    "Partner Referral": "partner",
    "Outbound Prospecting": "outbound",
}
CHANNEL_LEADSOURCE = {
    "paid_search": "Paid Search",
    "organic": "Web",
    "webinar": "Webinar",
    "content_download": "Content Download",
    "event": "Trade Show",
    "partner": "Partner Referral",
    "outbound": "Outbound Prospecting",
}
LEGACY_LEADSOURCE = {"paid_search": "Google AdWords", "event": "Salon"}
LEADSOURCE_CLEANUP = dt.date(2025, 6, 1)

# --- Salesforce lead process ----------------------------------------------------------------

ST_OPEN = "Open - Not Contacted"
ST_WORKING = "Working - Contacted"
ST_ACCEPTED = "Accepted"
ST_QUALIFIED = "Qualified"
ST_UNQUALIFIED = "Unqualified"
ST_NURTURING = "Nurturing"
ST_CONVERTED = "Closed - Converted"

# Rejection_Reason__c -> (decision, disqualification_reason)
REJECTION_REASONS = {
    "Hors cible": ("rejected", "out_of_target"),
    "Coordonnées erronées": ("rejected", "bad_data"),
    "Doublon": ("rejected", "duplicate"),
    "Pas de budget": ("recycled", "no_budget"),
    "Pas de projet": ("recycled", "no_project"),
}

# first touch: a completed Task of one of these kinds, owned by a user of Department SALES
TOUCH_SUBTYPES = ("Call", "Email")
TOUCH_TYPE_MEETING = "Meeting"

OPPORTUNITY_STAGES = {  # stage -> (probability, ForecastCategory API value)
    "Qualification": (10, "Pipeline"),
    "Proposal/Price Quote": (75, "BestCase"),
    "Negotiation/Review": (90, "Forecast"),
    "Closed Won": (100, "Closed"),
    "Closed Lost": (0, "Omitted"),
}
LOSS_REASONS = ("Prix", "Concurrent retenu", "Pas de décision", "Projet reporté")

# --- HubSpot vocabularies (codes of dbt/seeds/hubspot_value_labels.csv) -------------------

HUBSPOT_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "lifecycle_stage": {
        "subscriber": ("Subscriber", "Abonné"),
        "lead": ("Lead", "Lead"),
        "marketingqualifiedlead": ("Marketing Qualified Lead", "Lead qualifié marketing"),
        "salesqualifiedlead": ("Sales Qualified Lead", "Lead qualifié commercial"),
        "opportunity": ("Opportunity", "Opportunité"),
        "customer": ("Customer", "Client"),
        "evangelist": ("Evangelist", "Ambassadeur"),
        "other": ("Other", "Autre"),
    },
    "lead_status": {
        "NEW": ("New", "Nouveau"),
        "OPEN": ("Open", "Ouvert"),
        "IN_PROGRESS": ("In Progress", "En cours"),
        "OPEN_DEAL": ("Open Deal", "Transaction ouverte"),
        "UNQUALIFIED": ("Unqualified", "Non qualifié"),
        "ATTEMPTED_TO_CONTACT": ("Attempted to Contact", "Tentative de contact"),
        "CONNECTED": ("Connected", "Connecté"),
        "BAD_TIMING": ("Bad Timing", "Mauvais timing"),
    },
    "original_source": {
        "ORGANIC_SEARCH": ("Organic Search", "Recherche naturelle"),
        "PAID_SEARCH": ("Paid Search", "Recherche payante"),
        "EMAIL_MARKETING": ("Email Marketing", "Marketing par e-mail"),
        "SOCIAL_MEDIA": ("Organic Social", "Réseaux sociaux"),
        "PAID_SOCIAL": ("Paid Social", "Réseaux sociaux payants"),
        "REFERRALS": ("Referrals", "Sites référents"),
        "OTHER_CAMPAIGNS": ("Other Campaigns", "Autres campagnes"),
        "DIRECT_TRAFFIC": ("Direct Traffic", "Trafic direct"),
        "OFFLINE": ("Offline Sources", "Sources hors ligne"),
        "AI_REFERRALS": ("AI Referrals", "Références IA"),
    },
    "event_type": {
        "form_submission": ("Form submission", "Soumission de formulaire"),
        "email_open": ("Email open", "Ouverture d'e-mail"),
        "email_click": ("Email click", "Clic dans un e-mail"),
        "page_view": ("Page view", "Vue de page"),
        "webinar_attendance": ("Webinar attendance", "Participation au webinar"),
    },
}

# Salesforce lead status at as_of -> HubSpot Lead Status code (via the sync)
LEAD_STATUS_SYNC = {
    ST_OPEN: "NEW",
    ST_ACCEPTED: "IN_PROGRESS",
    ST_QUALIFIED: "OPEN_DEAL",
    ST_CONVERTED: "OPEN_DEAL",
    ST_UNQUALIFIED: "UNQUALIFIED",
    ST_NURTURING: "BAD_TIMING",
}


def rules_manifest() -> dict[str, object]:
    """The constants the truth was computed with (written to truth/manifest.json)."""
    return {
        "company": COMPANY,
        "offers": list(OFFERS),
        "mql_threshold": MQL_THRESHOLD,
        "fit": {"countries": list(TARGET_COUNTRIES), "min_employees": FIT_MIN_EMPLOYEES},
        "segments": {
            "smb": [1, MID_MARKET_MIN - 1],
            "mid_market": [MID_MARKET_MIN, ENTERPRISE_MIN - 1],
            "enterprise": [ENTERPRISE_MIN, None],
        },
        "sla_business_hours": SLA_BUSINESS_HOURS,
        "working_hours": WORKING_HOURS,
        "sales_teams": list(SALES_TEAMS),
        "sales_department": SALES_DEPARTMENT,
        "routing": {
            "country != FR": TEAM_INTERNATIONAL,
            "FR and employees >= 1000": TEAM_ENTERPRISE,
            "FR and 100 <= employees < 1000": "Mid-Market <sales region of Lead.State>",
            "FR and employees < 100": TEAM_SMB,
        },
        "region_of_state": REGION_OF_STATE,
        "hubspot_source_channel": [list(row) for row in HUBSPOT_SOURCE_CHANNEL],
        "leadsource_channel": LEADSOURCE_CHANNEL,
        "rejection_reasons": {k: list(v) for k, v in REJECTION_REASONS.items()},
        "country_spellings": {k: list(v) for k, v in COUNTRY_SPELLINGS.items()},
    }
