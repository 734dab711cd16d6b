"""New people of a daily delivery, drawn from the generator's own pools (reference.py) and
written like day 0's records (journey/, hubspot.py): a Salesforce lead with its
``created`` history row and, for inbound people, the HubSpot contact their form created."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from smarketing_tools.generator import clock, mess, rules
from smarketing_tools.generator.campaigns import Campaign
from smarketing_tools.generator.clock import fmt_sf
from smarketing_tools.generator.hubspot import ContactValues, localise
from smarketing_tools.generator.population import ascii_fold
from smarketing_tools.generator.reference import (
    COMPANY_SUFFIXES,
    COUNTRY_TLD,
    COUNTRY_WEIGHTS,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    FOREIGN_CITIES,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    JOB_TITLES,
    LAST_NAMES,
    PERSONAS,
    PHONE_PLANS,
    STATE_DEPARTMENTS,
)
from smarketing_tools.generator.salesforce import lead_source, tf
from smarketing_tools.generator.users import Staff

# channels whose campaigns run on every day (period campaigns, see campaigns.py)
INBOUND_CHANNELS = ("paid_search", "organic", "content_download")
INBOUND_WEIGHTS = (0.35, 0.35, 0.30)
COMPANY_WORDS = ("Conseil", "Solutions", "Technologies", "Services", "Ingénierie")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    title: str
    company: str
    domain: str
    email: str
    phone: str
    """E.164"""
    country: str
    state: str
    city: str
    postal: str
    industry: str
    employees: int


def _part(name: str) -> str:
    return "".join(c for c in ascii_fold(name).lower() if c.isalnum() or c == "-")


def _employees(r: random.Random) -> int:
    low, high = r.choices(((10, 99.99), (100, 999.99), (1000, 60000)), (0.58, 0.30, 0.12))[0]
    return int(math.exp(math.log(low) + r.random() * (math.log(high) - math.log(low))))


def draw_person(r: random.Random, taken: set[str]) -> Person:
    """A prospect at a new company, shaped like population.py's; TAKEN holds the e-mails
    already used (lower case), so that a new person never shares one by chance."""
    female = r.random() < 0.48
    first = r.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
    last = r.choice(LAST_NAMES)
    a, b, suffix = r.choice(LAST_NAMES), r.choice(LAST_NAMES), r.choice(COMPANY_SUFFIXES)
    word = r.choice(COMPANY_WORDS)
    core, company = r.choice(  # (what the domain is made of, the name) as in build_orgs
        (
            (a, f"{a} {suffix}"),
            (f"{a} {b}", f"{a} {b} {suffix}"),
            (f"{a} {word}", f"{a} {word}"),
            (f"{a} et {b}", f"{a} & {b}"),
        )
    )
    country = r.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]
    tld = "com" if r.random() < 0.35 else COUNTRY_TLD[country]
    domain = "-".join(p for p in map(_part, core.replace("&", " ").split()) if p) + f".{tld}"
    if country == "FR":
        states = list(STATE_DEPARTMENTS)
        state = r.choices(states, [STATE_DEPARTMENTS[s][1] for s in states])[0]
        dept = r.choice(STATE_DEPARTMENTS[state][0])
        postal = ("20" if dept in ("2A", "2B") else dept) + f"{r.randrange(1000):03d}"
        city = r.choice((r.choice(LAST_NAMES), f"Saint-{r.choice(FIRST_NAMES_MALE)}"))
    else:
        state, postal = "", f"{1000 + r.randrange(1000) * 7}"
        city = r.choice(FOREIGN_CITIES[country])
    fp, lp = _part(first), _part(last).replace("-", "")
    local = r.choices(
        (f"{fp}.{lp}", f"{fp[0]}.{lp}", f"{fp[0]}{lp}", f"{fp}{lp[0]}"), (0.6, 0.2, 0.12, 0.08)
    )[0]
    email, k = f"{local}@{domain}", 2
    while email in taken:
        email, k = f"{local}{k}@{domain}", k + 1
    taken.add(email)
    code, _, patterns = PHONE_PLANS[country]
    number = "".join(str(r.randrange(10)) if ch == "#" else ch for ch in patterns[0])
    return Person(
        first=first,
        last=last,
        female=female,
        title=r.choice(JOB_TITLES)[int(female)],
        company=company,
        domain=domain,
        email=email,
        phone=f"+{code}{number}",
        country=country,
        state=state,
        city=city,
        postal=postal,
        industry=r.choices(INDUSTRIES, INDUSTRY_WEIGHTS)[0],
        employees=_employees(r),
    )


def route(r: random.Random, staff: Staff, person: Person, t: int) -> int:
    """The rep the routing rule gives the person's lead (journey/state.py)."""
    team = rules.expected_team(person.country, person.employees, person.state)
    return r.choice(staff.active_in(team, t))


def lead_row(
    r: random.Random,
    staff: Staff,
    person: Person,
    *,
    lead_id: str,
    status: str,
    created: int,
    creator: int,
    owner: int,
    channel: str,
    offer: str,
    email: str,
    record_id: str,
) -> dict[str, str]:
    """The Lead as the sync (inbound) or the rep (outbound) filled it (journey/export.py)."""
    users = staff.users
    first, last = mess.name(person.first, person.last, r)
    inbound = channel != "outbound"
    return {
        "Id": lead_id,
        "IsDeleted": "false",
        "LastName": last,
        "FirstName": first,
        "Salutation": "Mme" if person.female else "M.",
        "Name": f"{first.strip()} {last.strip()}",
        "Title": person.title,
        "Company": mess.company(person.company, r),
        "City": person.city,
        "State": person.state,
        "PostalCode": person.postal,
        "Country": mess.country(person.country, r),
        "Phone": mess.phone(person.phone, person.country, r) if r.random() > 0.03 else "",
        "Email": email,
        "Website": f"www.{person.domain}",
        "LeadSource": lead_source(channel, created),
        "Status": status,
        "Industry": person.industry,
        "NumberOfEmployees": str(person.employees),
        "OwnerId": users[owner].id,
        "HasOptedOutOfEmail": tf(r.random() < 0.03),
        "DoNotCall": "false",
        "IsConverted": "false",
        "IsUnreadByOwner": tf(r.random() < 0.5),
        "CreatedDate": fmt_sf(created),
        "CreatedById": users[creator].id,
        "LastModifiedDate": fmt_sf(created),
        "LastModifiedById": users[creator].id,
        "SystemModstamp": fmt_sf(created),
        "Lead_Score__c": str(r.randint(60, 100)) if inbound else "",
        "Offer__c": offer,
        "HubSpot_Record_ID__c": record_id,
    }


def contact_row(
    r: random.Random,
    person: Person,
    *,
    record_id: int,
    email: str,
    campaign: Campaign,
    channel: str,
    created: int,
    modified: int,
    owner_name: str,
    lead_id: str,
) -> list[str]:
    """The HubSpot contact a form created, after the sync linked its lead (English UI
    export, as hubspot.py writes it): an MQL whose lead is new."""
    first, last = mess.name(person.first, person.last, r)
    source = campaign.source
    if channel == "organic":
        source = r.choice((("ORGANIC_SEARCH", "google", ""), ("DIRECT_TRAFFIC", campaign.url, "")))
    values = {
        "record_id": str(record_id),
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone_number": mess.phone(person.phone, person.country, r) if r.random() < 0.85 else "",
        "company_name": mess.company(person.company, r),
        "job_title": person.title if r.random() < 0.8 else "",
        "website_url": f"www.{person.domain}" if r.random() < 0.5 else "",
        "city": person.city if r.random() < 0.7 else "",
        "country": mess.country(person.country, r),
        "industry": person.industry if r.random() < 0.5 else "",
        "number_of_employees": str(person.employees),
        "lifecycle_stage": "marketingqualifiedlead",
        "lead_status": rules.LEAD_STATUS_SYNC[rules.ST_OPEN],
        "hubspot_score": str(r.randint(60, 100)),
        "original_source": source[0],
        "original_source_drill_down_1": source[1],
        "original_source_drill_down_2": source[2],
        "first_conversion": f"{campaign.name}: {campaign.form}",
        "contact_owner": owner_name,
        "salesforce_lead_id": lead_id,
        "salesforce_contact_id": "",
        "persona": r.choice(PERSONAS) if r.random() < 0.6 else "",
        "langue_preferee": "",
    }
    dates: dict[str, int | None] = {
        "create_date": created,
        "last_modified_date": modified,
        "became_a_lead_date": created,
        "became_a_marketing_qualified_lead_date": created,
        "became_a_sales_qualified_lead_date": None,
        "became_an_opportunity_date": None,
        "became_a_customer_date": None,
    }
    return localise(ContactValues(values, dates, r.random() < 0.04), False, r)


def created_history(history_id: str, lead_id: str, by: str, at: int) -> dict[str, str]:
    return {
        "Id": history_id,
        "IsDeleted": "false",
        "LeadId": lead_id,
        "CreatedById": by,
        "CreatedDate": fmt_sf(at),
        "Field": "created",
    }


def office_minute(r: random.Random, day: int, first: int = 9 * 60, last: int = 18 * 60) -> int:
    """A UTC minute of Paris local DAY (days since 1970) between FIRST and LAST (exclusive)."""
    return clock.utc_from_local(day * clock.DAY + r.randrange(first, last))
