"""Reference lists the population is drawn from: Faker's fr_FR provider data (names,
company suffixes, departments, e-mail domains) plus the geography and B2B vocabularies
Faker does not hold.

Faker's data is sampled with the generator's own seeded RNG: calling Faker per record would
be far too slow for a million people.
"""

from __future__ import annotations

from faker.providers.address.fr_FR import Provider as AddressFR
from faker.providers.company.fr_FR import Provider as CompanyFR
from faker.providers.internet.fr_FR import Provider as InternetFR
from faker.providers.person.fr_FR import Provider as PersonFR

DASH = "\N{EN DASH}"  # campaign names use it (it exists in Windows-1252)


def _cp1252(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Keep the values the French (Windows-1252) delivery can hold, in their given order."""
    out = []
    for value in values:
        try:
            value.encode("cp1252")
        except UnicodeEncodeError:
            continue
        out.append(value)
    return tuple(out)


FIRST_NAMES_FEMALE = _cp1252(list(PersonFR.first_names_female))
FIRST_NAMES_MALE = _cp1252(list(PersonFR.first_names_male))
LAST_NAMES = _cp1252(list(PersonFR.last_names))
COMPANY_SUFFIXES = tuple(CompanyFR.company_suffixes)
CITY_SUFFIXES = tuple(s for s in AddressFR.city_suffixes if s.startswith("-") or s[0].isupper())
FREE_EMAIL_DOMAINS = tuple(
    d
    for d in InternetFR.free_email_domains
    if d
    in (
        "gmail.com",
        "orange.fr",
        "free.fr",
        "hotmail.fr",
        "yahoo.fr",
        "laposte.net",
        "sfr.fr",
        "wanadoo.fr",
    )
)
FREE_EMAIL_WEIGHTS = {
    "gmail.com": 0.45,
    "orange.fr": 0.14,
    "free.fr": 0.1,
    "hotmail.fr": 0.11,
    "yahoo.fr": 0.07,
    "laposte.net": 0.05,
    "sfr.fr": 0.04,
    "wanadoo.fr": 0.04,
}
DEPARTMENT_NAMES = {code: name for code, name in AddressFR.departments}

# French administrative regions (Lead.State), their departments and their weight in the
# economy (share of prospect companies).
STATE_DEPARTMENTS: dict[str, tuple[tuple[str, ...], float]] = {
    "Île-de-France": (("75", "75", "75", "92", "92", "93", "94", "78", "91", "95", "77"), 0.33),
    "Auvergne-Rhône-Alpes": (
        ("69", "69", "38", "74", "63", "42", "01", "73", "26", "03", "07", "15", "43"),
        0.12,
    ),
    "Provence-Alpes-Côte d'Azur": (("13", "13", "06", "83", "84", "04", "05"), 0.07),
    "Corse": (("2A", "2B"), 0.004),
    "Hauts-de-France": (("59", "59", "62", "80", "60", "02"), 0.07),
    "Grand Est": (("67", "57", "54", "51", "68", "10", "88", "08", "52", "55"), 0.06),
    "Bourgogne-Franche-Comté": (("21", "25", "71", "89", "39", "58", "70", "90"), 0.035),
    "Normandie": (("76", "14", "27", "50", "61"), 0.04),
    "Bretagne": (("35", "29", "56", "22"), 0.05),
    "Pays de la Loire": (("44", "44", "49", "72", "85", "53"), 0.055),
    "Centre-Val de Loire": (("45", "37", "28", "41", "18", "36"), 0.03),
    "Nouvelle-Aquitaine": (
        ("33", "33", "64", "87", "86", "17", "24", "40", "79", "16", "47", "19", "23"),
        0.07,
    ),
    "Occitanie": (
        ("31", "31", "34", "30", "66", "81", "11", "12", "65", "82", "46", "32", "09", "48"),
        0.07,
    ),
}

# a company's country (ISO2) -> share of prospect companies
COUNTRY_WEIGHTS: dict[str, float] = {
    "FR": 0.82,
    "BE": 0.06,
    "CH": 0.045,
    "LU": 0.02,
    "DE": 0.01,
    "ES": 0.01,
    "IT": 0.008,
    "GB": 0.006,
    "US": 0.005,
    "MA": 0.01,
    "CA": 0.006,
}
FOREIGN_CITIES: dict[str, tuple[str, ...]] = {
    "BE": ("Bruxelles", "Liège", "Namur", "Charleroi", "Anvers", "Gand", "Mons", "Louvain"),
    "CH": ("Genève", "Lausanne", "Zurich", "Berne", "Bâle", "Neuchâtel", "Fribourg", "Sion"),
    "LU": ("Luxembourg", "Esch-sur-Alzette", "Differdange", "Dudelange"),
    "DE": ("Berlin", "Munich", "Francfort", "Hambourg", "Stuttgart"),
    "ES": ("Madrid", "Barcelone", "Valence", "Séville"),
    "IT": ("Milan", "Rome", "Turin", "Bologne"),
    "GB": ("Londres", "Manchester", "Édimbourg"),
    "US": ("New York", "Boston", "San Francisco", "Chicago"),
    "MA": ("Casablanca", "Rabat", "Marrakech", "Tanger"),
    "CA": ("Montréal", "Québec", "Toronto"),
}
COUNTRY_TLD = {
    "FR": "fr",
    "BE": "be",
    "CH": "ch",
    "LU": "lu",
    "DE": "de",
    "ES": "es",
    "IT": "it",
    "GB": "co.uk",
    "US": "com",
    "MA": "ma",
    "CA": "ca",
}
# dialling code, national trunk prefix, mobile number pattern (digits after the code)
PHONE_PLANS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "FR": ("33", "0", ("6########", "7########", "1########", "4########")),
    "BE": ("32", "0", ("47#######", "48#######", "2#######")),
    "CH": ("41", "0", ("79#######", "78#######", "22#######")),
    "LU": ("352", "", ("621######", "691######")),
    "DE": ("49", "0", ("151########", "30########")),
    "ES": ("34", "", ("6########",)),
    "IT": ("39", "", ("3#########",)),
    "GB": ("44", "0", ("7#########",)),
    "US": ("1", "", ("##########",)),
    "MA": ("212", "0", ("6########",)),
    "CA": ("1", "", ("514#######",)),
}

INDUSTRIES = (
    "Industrie manufacturière",
    "Banque & assurance",
    "Santé",
    "Distribution & commerce",
    "Logiciels & services IT",
    "Transport & logistique",
    "Énergie & utilities",
    "Secteur public",
    "BTP & immobilier",
    "Conseil & services aux entreprises",
    "Agroalimentaire",
    "Télécommunications",
)
INDUSTRY_WEIGHTS = (0.13, 0.08, 0.07, 0.1, 0.13, 0.07, 0.04, 0.05, 0.07, 0.14, 0.06, 0.06)

# (masculine, feminine) job titles of B2B buyers
JOB_TITLES: tuple[tuple[str, str], ...] = (
    ("Directeur commercial", "Directrice commerciale"),
    ("Directeur marketing", "Directrice marketing"),
    ("Responsable marketing digital", "Responsable marketing digital"),
    ("DSI", "DSI"),
    ("Directeur administratif et financier", "Directrice administrative et financière"),
    ("Responsable des opérations", "Responsable des opérations"),
    ("Chef de projet", "Cheffe de projet"),
    ("Responsable RevOps", "Responsable RevOps"),
    ("Head of Sales", "Head of Sales"),
    ("Directeur général", "Directrice générale"),
    ("Contrôleur de gestion", "Contrôleuse de gestion"),
    ("Responsable conformité", "Responsable conformité"),
    ("Business Developer", "Business Developer"),
    ("Responsable des achats", "Responsable des achats"),
    ("Consultant", "Consultante"),
    ("Office manager", "Office manager"),
)
STUDENT_TITLE = ("Étudiant", "Étudiante")
PERSONAS = ("Décideur", "Utilisateur", "Influenceur", "Prescripteur")
LANGUAGES = ("Français", "Français", "Français", "Anglais", "Néerlandais", "Allemand")

PARTNERS = (
    ("Arpège Conseil", "arpege-conseil.fr", "Lumen Pipeline"),
    ("Nexa Intégration", "nexa-integration.fr", "Lumen Flux"),
    ("Orbis Digital", "orbis-digital.com", "Lumen Vigie"),
)
TRADE_SHOWS = (  # (name, city, month, day, offer)
    ("Salon Data & Cloud", "Paris", 3, 18, "Lumen Pipeline"),
    ("Rencontres DSI", "Lille", 4, 9, "Lumen Vigie"),
    ("Forum RevOps", "Lyon", 6, 11, "Lumen Pipeline"),
    ("Salon Cyber & Conformité", "Bordeaux", 9, 24, "Lumen Vigie"),
    ("Salon Automatisation & ERP", "Nantes", 10, 8, "Lumen Flux"),
    ("Journées Transformation Numérique", "Marseille", 11, 5, "Lumen Flux"),
)
WEBINAR_TITLES = {
    "Lumen Pipeline": (
        "Prévoir son chiffre d'affaires sans tableur",
        "Aligner ventes et marketing sur un seul pipeline",
        "Les 5 indicateurs d'un comité commercial efficace",
    ),
    "Lumen Flux": (
        "Automatiser la saisie des commandes",
        "Du devis à la facture en un clic",
        "Workflows d'approbation : retour d'expérience",
    ),
    "Lumen Vigie": (
        "RGPD : cartographier ses traitements",
        "NIS 2 : ce qui change pour les ETI",
        "Préparer un audit de sécurité des données",
    ),
}
WHITE_PAPERS = {
    "Lumen Pipeline": "Guide du pilotage commercial",
    "Lumen Flux": "Livre blanc de l'automatisation",
    "Lumen Vigie": "Guide conformité et données",
}
SITE_PAGES = (  # (title, path)
    ("Accueil", "/"),
    ("Tarifs", "/tarifs"),
    ("Lumen Pipeline", "/produits/pipeline"),
    ("Lumen Flux", "/produits/flux"),
    ("Lumen Vigie", "/produits/vigie"),
    ("Études de cas", "/clients"),
    ("Blog : aligner sales et marketing", "/blog/alignement-sales-marketing"),
    ("Blog : RGPD en pratique", "/blog/rgpd-en-pratique"),
    ("Blog : automatiser sans coder", "/blog/automatiser-sans-coder"),
    ("Demander une démo", "/demo"),
)
