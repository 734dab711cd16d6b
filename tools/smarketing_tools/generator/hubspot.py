"""HubSpot contacts exports: one English and one French UI delivery, split by create date
(the English file holds the contacts created before 2026, the French one the others), plus
the English file delivered a second time under another name."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import date

from smarketing_tools.generator import clock, mess, rules
from smarketing_tools.generator.campaigns import SITE
from smarketing_tools.generator.contacts_plan import DUPLICATE, MAIN, SYNCED, ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import HUBSPOT_EN, HUBSPOT_FR
from smarketing_tools.generator.journey import Journey, Sales
from smarketing_tools.generator.population import (
    MISSING_COMPANY,
    MISSING_COUNTRY,
    MISSING_EMPLOYEES,
    MISSING_PHONE,
)
from smarketing_tools.generator.reference import LANGUAGES, PERSONAS
from smarketing_tools.generator.scales import STREAM_HUBSPOT

FRENCH_FROM = date(2026, 1, 1)

# (stable column, English label, French label): the labels HubSpot's UI exports use
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("record_id", "Record ID", "ID de fiche d'informations"),
    ("first_name", "First Name", "Prénom"),
    ("last_name", "Last Name", "Nom"),
    ("email", "Email", "E-mail"),
    ("phone_number", "Phone Number", "Numéro de téléphone"),
    ("company_name", "Company Name", "Nom de l'entreprise"),
    ("job_title", "Job Title", "Intitulé du poste"),
    ("website_url", "Website URL", "URL du site web"),
    ("city", "City", "Ville"),
    ("country", "Country/Region", "Pays/région"),
    ("industry", "Industry", "Secteur d'activité"),
    ("number_of_employees", "Number of Employees", "Nombre d'employés"),
    ("lifecycle_stage", "Lifecycle Stage", "Phase du cycle de vie"),
    ("lead_status", "Lead Status", "Statut du lead"),
    ("hubspot_score", "HubSpot Score", "Score HubSpot"),
    ("original_source", "Original Source", "Source d'origine"),
    (
        "original_source_drill_down_1",
        "Original Source Drill-Down 1",
        "Détail 1 de la source d'origine",
    ),
    (
        "original_source_drill_down_2",
        "Original Source Drill-Down 2",
        "Détail 2 de la source d'origine",
    ),
    ("first_conversion", "First Conversion", "Première conversion"),
    ("create_date", "Create Date", "Date de création"),
    ("last_modified_date", "Last Modified Date", "Date de dernière modification"),
    ("became_a_lead_date", "Became a Lead Date", "Date de passage au statut Lead"),
    (
        "became_a_marketing_qualified_lead_date",
        "Became a Marketing Qualified Lead Date",
        "Date de passage au statut Lead qualifié marketing",
    ),
    (
        "became_a_sales_qualified_lead_date",
        "Became a Sales Qualified Lead Date",
        "Date de passage au statut Lead qualifié commercial",
    ),
    (
        "became_an_opportunity_date",
        "Became an Opportunity Date",
        "Date de passage au statut Opportunité",
    ),
    ("became_a_customer_date", "Became a Customer Date", "Date de passage au statut Client"),
    ("contact_owner", "Contact owner", "Propriétaire du contact"),
    ("unsubscribed_from_all_email", "Unsubscribed from all email", "Désabonné de tous les e-mails"),
    ("salesforce_lead_id", "Salesforce Lead ID", "ID du lead Salesforce"),
    ("salesforce_contact_id", "Salesforce Contact ID", "ID du contact Salesforce"),
)
# a custom property of each delivery, unknown to the warehouse's column contract
CUSTOM_EN = ("persona", "Persona")
CUSTOM_FR = ("langue_preferee", "Langue préférée")
DATE_COLUMNS = (
    "create_date",
    "last_modified_date",
    "became_a_lead_date",
    "became_a_marketing_qualified_lead_date",
    "became_a_sales_qualified_lead_date",
    "became_an_opportunity_date",
    "became_a_customer_date",
)
LABELLED = {
    "lifecycle_stage": "lifecycle_stage",
    "lead_status": "lead_status",
    "original_source": "original_source",
}
# empty cells HubSpot sometimes writes as the literal ``null`` (English delivery)
NULLABLE = (
    "phone_number",
    "company_name",
    "job_title",
    "industry",
    "lead_status",
    "website_url",
    "city",
)


def file_names(as_of: date) -> tuple[str, str, str]:
    stamp = as_of.isoformat()
    return (
        f"hubspot-crm-exports-contacts-{stamp}.csv",
        f"hubspot-crm-exports-contacts-{stamp} (1).csv",
        f"hubspot-crm-exports-tous-les-contacts-{stamp}.csv",
    )


@dataclass
class ContactValues:
    """A contact's property values in tool codes (minutes for dates), before localisation."""

    values: dict[str, str]
    dates: dict[str, int | None]
    unsubscribed: bool


def lifecycle_of(sales: Sales | None, mql: int, kind: int, subscriber: bool) -> str:
    if sales is not None:
        if sales.won_at is not None:
            return "customer"
        if sales.opportunity_at is not None:
            return "opportunity"
        if sales.status == rules.ST_QUALIFIED:
            return "salesqualifiedlead"
        if sales.status == rules.ST_NURTURING:
            return "lead"
        return "marketingqualifiedlead" if kind == MAIN and mql >= 0 else "lead"
    if kind == DUPLICATE or subscriber:
        return "subscriber"
    return "marketingqualifiedlead" if mql >= 0 else "lead"


def lead_status_of(sales: Sales | None) -> str:
    if sales is None:
        return ""
    if sales.status == rules.ST_WORKING:
        return "CONNECTED" if sales.touch_kind in ("call", "meeting") else "ATTEMPTED_TO_CONTACT"
    return rules.LEAD_STATUS_SYNC[sales.status]


class ContactBuilder:
    def __init__(self, ctx: Context, plan: ContactPlan, journey: Journey) -> None:
        self.ctx = ctx
        self.plan = plan
        self.journey = journey
        self.r = random.Random(ctx.seed * 1_000 + STREAM_HUBSPOT + 7)
        self.cutoff = ctx.window.cutoff

    def synced(self, t: int | None) -> int | None:
        """A Salesforce time as HubSpot receives it through the sync, a few minutes later."""
        if t is None:
            return None
        t += self.r.randint(1, 20)
        return t if t < self.cutoff else None

    def build(self, i: int) -> ContactValues:
        ctx, plan, r = self.ctx, self.plan, self.r
        people, orgs = ctx.people, ctx.orgs
        p = int(plan.person[i])
        kind = int(plan.kind[i])
        o = int(people.org[p])
        created = int(plan.created[i])
        missing = int(people.missing[p]) if kind == MAIN else 0
        sales = self.journey.sales.get(p) if kind != DUPLICATE else None
        mql = int(people.mql[p]) if kind == MAIN else -1
        campaign = int(people.campaign[p])
        channel = rules.CHANNELS[int(people.channel[p])]
        first, last = mess.name(people.first[p], people.last[p], r)
        full = kind != DUPLICATE
        v: dict[str, str] = {
            "record_id": str(int(plan.record_id[i])),
            "first_name": first,
            "last_name": last,
            "email": plan.email[i],
            "phone_number": mess.phone(people.phone[p], orgs.country[o], r)
            if missing != MISSING_PHONE and r.random() < (0.85 if full else 0.2)
            else "",
            "company_name": mess.company(orgs.name[o], r)
            if missing != MISSING_COMPANY and (full or r.random() < 0.4)
            else "",
            "job_title": people.title[p] if r.random() < (0.8 if full else 0.2) else "",
            "website_url": f"www.{orgs.domain[o]}" if full and r.random() < 0.5 else "",
            "city": orgs.city[o] if full and r.random() < 0.7 else "",
            "country": mess.country(orgs.country[o], r)
            if missing != MISSING_COUNTRY and (full or r.random() < 0.3)
            else "",
            "industry": orgs.industry[o] if full and r.random() < 0.5 else "",
            "number_of_employees": str(int(orgs.employees[o]))
            if missing != MISSING_EMPLOYEES and full and (kind == MAIN or r.random() < 0.8)
            else "",
        }
        subscriber = (
            kind == MAIN
            and mql < 0
            and channel in ("organic", "content_download")
            and r.random() < 0.15
        )
        lifecycle = lifecycle_of(sales, mql, kind, subscriber)
        v["lifecycle_stage"] = lifecycle
        v["lead_status"] = lead_status_of(sales)
        v["hubspot_score"] = str(self.score(sales, mql, kind, p))
        if kind == SYNCED:
            source = ("OFFLINE", "INTEGRATION", "salesforce")
            conversion = ""
        elif kind == DUPLICATE:
            source = r.choice(
                (
                    ("DIRECT_TRAFFIC", f"{SITE}/newsletter", ""),
                    ("ORGANIC_SEARCH", "google", ""),
                    ("SOCIAL_MEDIA", "LinkedIn", ""),
                )
            )
            month = clock.local_date(created)
            conversion = (
                f"{ctx.book.campaigns[ctx.book.newsletter(month)].name}: Inscription newsletter"
            )
        else:
            c = ctx.book.campaigns[campaign]
            source = c.source
            if channel == "organic":
                source = r.choices(
                    (
                        ("ORGANIC_SEARCH", "google", ""),
                        ("ORGANIC_SEARCH", "bing", ""),
                        ("DIRECT_TRAFFIC", c.url, ""),
                        ("SOCIAL_MEDIA", "LinkedIn", ""),
                    ),
                    (0.5, 0.1, 0.25, 0.15),
                )[0]
            elif channel == "paid_search" and r.random() < 0.15:
                source = ("PAID_SEARCH", "Bing", c.name)
            conversion = f"{c.name}: {c.form}"
        v["original_source"], v["original_source_drill_down_1"] = source[0], source[1]
        v["original_source_drill_down_2"] = source[2]
        v["first_conversion"] = conversion
        owner = self.journey.users[sales.owner].name if sales is not None else ""
        v["contact_owner"] = owner
        v["salesforce_lead_id"] = sales.lead_id if sales and r.random() > 0.04 else ""
        v["salesforce_contact_id"] = (
            sales.contact_id if sales and sales.contact_id and r.random() > 0.04 else ""
        )
        v["persona"] = r.choice(PERSONAS) if full and r.random() < 0.6 else ""
        v["langue_preferee"] = (
            LANGUAGES[3 if orgs.country[o] not in ("FR", "BE", "CH", "LU") else r.randrange(3)]
            if r.random() < 0.5
            else ""
        )
        dates: dict[str, int | None] = {
            "create_date": created,
            "became_a_lead_date": None if lifecycle == "subscriber" else created,
            "became_a_marketing_qualified_lead_date": mql if mql >= 0 else None,
            "became_a_sales_qualified_lead_date": self.synced(sales.sql_at) if sales else None,
            "became_an_opportunity_date": self.synced(sales.opportunity_at) if sales else None,
            "became_a_customer_date": self.synced(sales.won_at) if sales else None,
        }
        latest = max(t for t in dates.values() if t is not None)
        if sales is not None:
            latest = max(
                [latest, *sales.requalified, *(x for x in [sales.recycled_at] if x is not None)]
            )
        # a later edit, in the daytime like every other HubSpot date (no DST-ambiguous times)
        day = min(clock.local_day(latest) + r.randint(0, 3), clock.local_day(self.cutoff) - 1)
        modified = clock.utc_from_local(day * clock.DAY + r.randint(7 * 60, 22 * 60 - 1))
        dates["last_modified_date"] = max(modified, latest)
        if lifecycle == "customer" and dates["became_a_customer_date"] is None:
            v["lifecycle_stage"] = "opportunity"
        return ContactValues(v, dates, r.random() < 0.04)

    def score(self, sales: Sales | None, mql: int, kind: int, p: int) -> int:
        r = self.r
        if kind == DUPLICATE:
            return r.randint(0, 30)
        if sales is None:
            if mql >= 0:
                return r.randint(60, 100)
            return int(min(95, r.expovariate(1 / 18)))
        if sales.status == rules.ST_NURTURING:
            return r.randint(10, 55)
        if sales.status == rules.ST_UNQUALIFIED:
            return r.randint(20, 90)
        if kind == SYNCED and sales.sql_at is None:
            return r.randint(0, 50)
        return r.randint(60, 100)


def localise(cv: ContactValues, french: bool, nulls: random.Random) -> list[str]:
    """The contact's row in the English or the French delivery (the daily deliveries too)."""
    row: list[str] = []
    fmt = clock.fmt_hs_fr if french else clock.fmt_hs_en
    for column, _, _ in COLUMNS:
        if column in DATE_COLUMNS:
            t = cv.dates.get(column)
            row.append("" if t is None else fmt(t))
        elif column == "unsubscribed_from_all_email":
            row.append(
                ("Oui" if cv.unsubscribed else "Non")
                if french
                else ("true" if cv.unsubscribed else "false")
            )
        elif column in LABELLED:
            code = cv.values[column]
            row.append(rules.HUBSPOT_LABELS[LABELLED[column]][code][int(french)] if code else "")
        else:
            row.append(cv.values[column])
        if not french and row[-1] == "" and column in NULLABLE and nulls.random() < 0.03:
            row[-1] = "null"
    row.append(cv.values[CUSTOM_FR[0] if french else CUSTOM_EN[0]])
    return row


def write_contacts(ctx: Context, plan: ContactPlan, journey: Journey) -> dict[str, int]:
    builder = ContactBuilder(ctx, plan, journey)
    nulls = random.Random(ctx.seed * 1_000 + STREAM_HUBSPOT + 9)
    folder = ctx.inbox / "hubspot"
    en_name, en_copy, fr_name = file_names(ctx.window.as_of)
    english = HUBSPOT_EN.writer(folder / en_name, [c[1] for c in COLUMNS] + [CUSTOM_EN[1]])
    french = HUBSPOT_FR.writer(folder / fr_name, [c[2] for c in COLUMNS] + [CUSTOM_FR[1]])
    french_from = clock.from_date(FRENCH_FROM)
    for i in range(plan.n):
        cv = builder.build(i)
        is_french = int(plan.created[i]) >= french_from
        (french if is_french else english).write(localise(cv, is_french, nulls))
        if i % 20_000 == 0:
            ctx.progress("hubspot contacts", i, plan.n)
    ctx.progress("hubspot contacts", plan.n, plan.n)
    english.close()
    french.close()
    shutil.copyfile(folder / en_name, folder / en_copy)
    return {
        f"inbox/hubspot/{en_name}": english.rows,
        f"inbox/hubspot/{en_copy}": english.rows,
        f"inbox/hubspot/{fr_name}": french.rows,
    }
