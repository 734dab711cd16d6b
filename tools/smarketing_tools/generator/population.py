"""The true world: prospect companies and the people working there, vectorised with numpy.

Nothing here is an export yet: exports are written from this truth, with the mess of
``mess.py`` applied record by record.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.campaigns import CampaignBook
from smarketing_tools.generator.reference import (
    CITY_SUFFIXES,
    COMPANY_SUFFIXES,
    COUNTRY_TLD,
    COUNTRY_WEIGHTS,
    DEPARTMENT_NAMES,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    FOREIGN_CITIES,
    FREE_EMAIL_DOMAINS,
    FREE_EMAIL_WEIGHTS,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    JOB_TITLES,
    LAST_NAMES,
    PARTNERS,
    PHONE_PLANS,
    STATE_DEPARTMENTS,
    STUDENT_TITLE,
)
from smarketing_tools.generator.scales import STREAM_ORGS, STREAM_PEOPLE, Scale, rng_for

Progress = Callable[[str, int, int], None]
KIND_INBOUND, KIND_OUTBOUND, KIND_CUSTOMER = 0, 1, 2
CHANNEL_INDEX = {name: i for i, name in enumerate(rules.CHANNELS)}
# which field the main HubSpot record of a person lacks
MISSING_NONE, MISSING_PHONE, MISSING_COMPANY, MISSING_COUNTRY, MISSING_EMPLOYEES = 0, 1, 2, 3, 4
MISSING_EMAIL = 5

# MQL probability of a fitting inbound person, by channel
MQL_RATE = {
    "paid_search": 0.26,
    "organic": 0.18,
    "webinar": 0.34,
    "content_download": 0.24,
    "event": 0.30,
    "partner": 0.40,
}


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _email_part(name: str) -> str:
    return "".join(c for c in ascii_fold(name).lower() if c.isalnum() or c == "-")


@dataclass
class Orgs:
    n: int
    name: list[str]
    domain: list[str]
    employees: np.ndarray
    segment: list[str]
    industry: list[str]
    country: list[str]
    state: list[str]
    region: list[str]
    city: list[str]
    postal: list[str]
    phone: list[str]
    is_customer: np.ndarray
    customer_since: np.ndarray
    email_pattern: np.ndarray


@dataclass
class People:
    n: int
    kind: np.ndarray
    org: np.ndarray
    female: np.ndarray
    first: list[str]
    last: list[str]
    title: list[str]
    work_email: list[str]
    personal_email: list[str]
    phone: list[str]
    channel: np.ndarray
    """index in rules.CHANNELS of the channel that brought the person, -1 for customers"""
    campaign: np.ndarray
    """campaign index that brought the person, -1 for customers"""
    created: np.ndarray
    """creation of the record that opened the person's history (UTC minute)"""
    inbound: np.ndarray
    """the person has a HubSpot journey of their own (inbound people, and customers' contacts
    who came back through a form: their lead ends as a duplicate)"""
    mql: np.ndarray
    """first MQL (UTC minute) or -1"""
    missing: np.ndarray
    """MISSING_* field of the main HubSpot record"""
    dup_created: np.ndarray
    """creation of a second HubSpot contact with the personal e-mail, or -1"""
    contact_created: np.ndarray
    """creation of the customer's Salesforce Contact, or -1"""
    contact_channel: np.ndarray
    engagement: np.ndarray
    webinar_attended: np.ndarray


def _daytime(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """A plausible Paris wall-clock minute (07:00-22:00) on each local day -> UTC minutes."""
    n = len(days)
    peak = np.where(rng.random(n) < 0.55, 630, 870)
    minute = rng.normal(peak, 95)
    uniform = rng.random(n) < 0.3
    minute = np.where(uniform, rng.uniform(420, 1320, n), minute)
    minute = np.clip(np.rint(minute), 420, 1319).astype(np.int64)
    return clock.utc_from_local_np(days.astype(np.int64) * clock.DAY + minute)


def _business_daytime(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    minute = rng.integers(9 * 60 + 20, 17 * 60 + 40, len(days))
    return clock.utc_from_local_np(days.astype(np.int64) * clock.DAY + minute)


def _day_weights(window: clock.Window, working_only: bool = False) -> np.ndarray:
    """Relative volume of each history day: growth, weekends, summer and holiday lulls."""
    weights = np.empty(window.days)
    for i in range(window.days):
        d = window.first_day + timedelta(days=i)
        w = 1.0 + 1.2 * i / window.days
        if d.weekday() >= 5:
            w *= 0.0 if working_only else 0.3
        elif not clock.is_working_day(d):
            w *= 0.0 if working_only else 0.4
        if d.month == 8:
            w *= 0.55
        if (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 2):
            w *= 0.5
        weights[i] = w
    return weights / weights.sum()


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _first_day_number(window: clock.Window) -> int:
    return (window.first_day - date(1970, 1, 1)).days


def build_orgs(scale: Scale, seed: int, window: clock.Window, progress: Progress = _quiet) -> Orgs:
    rng = rng_for(seed, STREAM_ORGS)
    n = max(scale.people // 3, 80)
    segment_code = rng.choice(3, n, p=[0.58, 0.30, 0.12])
    log_u = rng.random(n)
    employees = np.where(
        segment_code == 0,
        np.where(
            rng.random(n) < 0.08,
            np.exp(log_u * np.log(9.99)),
            np.exp(np.log(10) + log_u * (np.log(99.99) - np.log(10))),
        ),
        np.where(
            segment_code == 1,
            np.exp(np.log(100) + log_u * (np.log(999.99) - np.log(100))),
            np.exp(np.log(1000) + log_u * (np.log(60000) - np.log(1000))),
        ),
    )
    employees = np.maximum(employees.astype(np.int64), 1)
    countries = list(COUNTRY_WEIGHTS)
    cw = np.array(list(COUNTRY_WEIGHTS.values()))
    country_code = rng.choice(len(countries), n, p=cw / cw.sum())
    states = list(STATE_DEPARTMENTS)
    sw = np.array([STATE_DEPARTMENTS[s][1] for s in states])
    state_code = rng.choice(len(states), n, p=sw / sw.sum())
    industry_code = rng.choice(
        len(INDUSTRIES), n, p=np.array(INDUSTRY_WEIGHTS) / sum(INDUSTRY_WEIGHTS)
    )
    name_format = rng.choice(6, n, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1])
    last_a = rng.integers(0, len(LAST_NAMES), n)
    last_b = rng.integers(0, len(LAST_NAMES), n)
    suffix = rng.integers(0, len(COMPANY_SUFFIXES), n)
    words = (
        "Conseil",
        "Solutions",
        "Industries",
        "Technologies",
        "Logistique",
        "Services",
        "Distribution",
        "Ingénierie",
    )
    word = rng.integers(0, len(words), n)
    city_format = rng.choice(4, n, p=[0.4, 0.3, 0.15, 0.15])
    city_a = rng.integers(0, len(LAST_NAMES), n)
    city_b = rng.integers(0, 10_000, n)
    postal_rest = rng.integers(0, 1000, n)
    phone_digits = rng.integers(0, 10, (n, 12))
    tld_com = rng.random(n) < 0.35
    is_customer = np.zeros(n, dtype=bool)
    customer_since = np.full(n, -1, dtype=np.int64)
    email_pattern = rng.choice(4, n, p=[0.6, 0.2, 0.12, 0.08])

    names: list[str] = []
    domains: list[str] = []
    cities: list[str] = []
    postals: list[str] = []
    state_names: list[str] = []
    regions: list[str] = []
    country_iso: list[str] = []
    phones: list[str] = []
    used_names: set[str] = set()
    used_domains: set[str] = set()
    for i in range(n):
        if i % 20_000 == 0:
            progress("companies", i, n)
        a, b = LAST_NAMES[last_a[i]], LAST_NAMES[last_b[i]]
        fmt = name_format[i]
        if segment_code[i] == 2 and fmt == 5:
            core, name = a, f"Groupe {a}"
        elif fmt == 0:
            core, name = a, f"{a} {COMPANY_SUFFIXES[suffix[i]]}"
        elif fmt == 1:
            core, name = f"{a} {b}", f"{a} {b} {COMPANY_SUFFIXES[suffix[i]]}"
        elif fmt == 2:
            core, name = f"{a} {words[word[i]]}", f"{a} {words[word[i]]}"
        elif fmt == 3:
            core, name = f"{a} et {b}", f"{a} & {b}"
        else:
            core, name = f"{a} {b}", f"{a} {b}"
        k = 2
        base, base_core = name, core
        while name in used_names:
            name, core = f"{base} {k}", f"{base_core} {k}"
            k += 1
        used_names.add(name)
        iso = countries[country_code[i]]
        country_iso.append(iso)
        tld = "com" if tld_com[i] else COUNTRY_TLD[iso]
        slug = "-".join(_email_part(w) for w in core.replace("&", " ").split() if _email_part(w))
        domain = f"{slug}.{tld}"
        k = 2
        while domain in used_domains:
            domain = f"{slug}{k}.{tld}"
            k += 1
        used_domains.add(domain)
        names.append(name)
        domains.append(domain)
        if iso == "FR":
            state = states[state_code[i]]
            departments = STATE_DEPARTMENTS[state][0]
            dept = departments[city_b[i] % len(departments)]
            state_names.append(state)
            regions.append(rules.REGION_OF_STATE[state])
            postal = {"2A": "20", "2B": "20"}.get(dept, dept) + f"{postal_rest[i]:03d}"
            if dept in ("2A", "2B"):
                postal = f"20{(0 if dept == '2A' else 200) + postal_rest[i] % 100:03d}"
            postals.append(postal)
            cf = city_format[i]
            c = LAST_NAMES[city_a[i]]
            if cf == 0:
                city = c
            elif cf == 1:
                sfx = CITY_SUFFIXES[city_b[i] % len(CITY_SUFFIXES)]
                city = f"{c}{sfx}" if sfx.startswith("-") else f"{c}-{sfx}"
            elif cf == 2:
                city = f"Saint-{FIRST_NAMES_MALE[city_b[i] % len(FIRST_NAMES_MALE)]}"
            else:
                city = f"{c}-sur-{DEPARTMENT_NAMES.get(dept, 'Loire').split('-')[0]}"
            cities.append(city)
        else:
            state_names.append("")
            regions.append(rules.sales_region(iso, ""))
            pool = FOREIGN_CITIES[iso]
            cities.append(pool[city_b[i] % len(pool)])
            postals.append(f"{1000 + postal_rest[i] * 7}")
        code, _, patterns = PHONE_PLANS[iso]
        pattern = patterns[-1] if len(patterns) > 1 else patterns[0]
        digits = iter(phone_digits[i])
        number = "".join(str(next(digits)) if ch == "#" else ch for ch in pattern)
        phones.append(f"+{code}{number}")
    employees_l = employees.tolist()
    return Orgs(
        n=n,
        name=names,
        domain=domains,
        employees=employees,
        segment=[rules.segment_of(e) for e in employees_l],
        industry=[INDUSTRIES[k] for k in industry_code.tolist()],
        country=country_iso,
        state=state_names,
        region=regions,
        city=cities,
        postal=postals,
        phone=phones,
        is_customer=is_customer,
        customer_since=customer_since,
        email_pattern=email_pattern,
    )


def build_people(
    scale: Scale,
    seed: int,
    window: clock.Window,
    orgs: Orgs,
    book: CampaignBook,
    progress: Progress = _quiet,
) -> People:
    rng = rng_for(seed, STREAM_PEOPLE)
    n = scale.people
    kind = rng.choice(3, n, p=[0.88, 0.07, 0.05]).astype(np.int8)

    # customers: contacts of a few mid-market and enterprise accounts (and some SMB)
    n_customers = int((kind == KIND_CUSTOMER).sum())
    big = np.flatnonzero((orgs.employees >= 20) & np.isin(orgs.country, ["FR", "BE", "CH", "LU"]))
    n_accounts = min(max(n_customers // 3, 1), len(big))
    customer_orgs = np.sort(rng.choice(big, n_accounts, replace=False))
    orgs.is_customer[customer_orgs] = True
    since_days = rng.integers(
        (date(2018, 1, 1) - date(1970, 1, 1)).days, _first_day_number(window) - 30, n_accounts
    )
    orgs.customer_since[customer_orgs] = _business_daytime(rng, since_days)

    seg_weight = np.select([orgs.employees >= 1000, orgs.employees >= 100], [14.0, 4.0], 1.0)
    org = rng.choice(orgs.n, n, p=seg_weight / seg_weight.sum())
    target = np.isin(orgs.country, list(rules.TARGET_COUNTRIES)) & (orgs.employees >= 50)
    outbound_pool = np.flatnonzero(target)
    pw = seg_weight[outbound_pool]
    is_out = kind == KIND_OUTBOUND
    org[is_out] = rng.choice(outbound_pool, int(is_out.sum()), p=pw / pw.sum())
    is_cust = kind == KIND_CUSTOMER
    org[is_cust] = rng.choice(customer_orgs, n_customers)

    female = rng.random(n) < 0.48
    fi = rng.integers(0, 1 << 30, n)
    li = rng.integers(0, len(LAST_NAMES), n)
    li2 = rng.integers(0, len(LAST_NAMES), n)
    compound = rng.random(n) < 0.03
    title_i = rng.integers(0, len(JOB_TITLES), n)
    student = rng.random(n) < 0.02
    personal_digits = rng.integers(0, 100, n)
    personal_style = rng.choice(3, n, p=[0.5, 0.3, 0.2])
    fd = np.array([FREE_EMAIL_WEIGHTS[d] for d in FREE_EMAIL_DOMAINS])
    personal_domain = rng.choice(len(FREE_EMAIL_DOMAINS), n, p=fd / fd.sum())
    mobile_digits = rng.integers(0, 10, (n, 10))

    first: list[str] = []
    last: list[str] = []
    title: list[str] = []
    work: list[str] = []
    personal: list[str] = []
    phone: list[str] = []
    used_local: set[str] = set()
    used_personal: set[str] = set()
    org_l = org.tolist()
    for i in range(n):
        if i % 20_000 == 0:
            progress("people", i, n)
        pool = FIRST_NAMES_FEMALE if female[i] else FIRST_NAMES_MALE
        f = pool[fi[i] % len(pool)]
        ln = LAST_NAMES[li[i]]
        if compound[i] and li2[i] != li[i]:
            ln = f"{ln}-{LAST_NAMES[li2[i]]}"
        first.append(f)
        last.append(ln)
        titles = STUDENT_TITLE if student[i] else JOB_TITLES[title_i[i]]
        title.append(titles[1] if female[i] else titles[0])
        o = org_l[i]
        fp, lp = _email_part(f), _email_part(ln).replace("-", "")
        pattern = orgs.email_pattern[o]
        local = (f"{fp}.{lp}", f"{fp[0]}.{lp}", f"{fp[0]}{lp}", f"{fp}{lp[0]}")[pattern]
        address = f"{local}@{orgs.domain[o]}"
        k = 2
        while address in used_local:
            address = f"{local}{k}@{orgs.domain[o]}"
            k += 1
        used_local.add(address)
        work.append(address)
        style = personal_style[i]
        digits = personal_digits[i]
        p_local = (f"{fp}.{lp}{digits}", f"{fp}{lp}", f"{fp[0]}{lp}{digits}")[style]
        domain = FREE_EMAIL_DOMAINS[personal_domain[i]]
        # a mailbox has one owner: namesakes get another address, as the provider would ask
        address, k = f"{p_local}@{domain}", 2
        while address in used_personal:
            address = f"{p_local}{k}@{domain}"
            k += 1
        used_personal.add(address)
        personal.append(address)
        iso = orgs.country[o]
        code, _, patterns = PHONE_PLANS[iso]
        digits = iter(mobile_digits[i])
        number = "".join(str(next(digits)) if ch == "#" else ch for ch in patterns[0])
        phone.append(f"+{code}{number}")

    people = People(
        n=n,
        kind=kind,
        org=org,
        female=female,
        first=first,
        last=last,
        title=title,
        work_email=work,
        personal_email=personal,
        phone=phone,
        channel=np.full(n, -1, dtype=np.int8),
        campaign=np.full(n, -1, dtype=np.int64),
        created=np.full(n, -1, dtype=np.int64),
        inbound=kind == KIND_INBOUND,
        mql=np.full(n, -1, dtype=np.int64),
        missing=np.zeros(n, dtype=np.int8),
        dup_created=np.full(n, -1, dtype=np.int64),
        contact_created=np.full(n, -1, dtype=np.int64),
        contact_channel=np.full(n, -1, dtype=np.int8),
        engagement=rng.gamma(1.5, 1 / 1.5, n),
        webinar_attended=np.zeros(n, dtype=bool),
    )
    _customers(rng, people, orgs, window)
    _inbound(rng, people, orgs, window, book)
    _outbound(rng, people, window, book)
    return people


def _customers(rng: np.random.Generator, people: People, orgs: Orgs, window: clock.Window) -> None:
    idx = np.flatnonzero(people.kind == KIND_CUSTOMER)
    since = orgs.customer_since[people.org[idx]]
    first_day = _first_day_number(window)
    # most contacts date from the account's first years, some were added recently
    lo = since // clock.DAY + 1
    recent = rng.random(len(idx)) < 0.2
    hi = np.where(recent, first_day + window.days - 2, first_day)
    days = lo + (rng.random(len(idx)) * np.maximum(hi - lo, 1)).astype(np.int64)
    people.contact_created[idx] = _business_daytime(rng, days)
    people.created[idx] = people.contact_created[idx]
    channels = rng.choice(len(rules.CHANNELS), len(idx), p=[0.15, 0.15, 0.1, 0.1, 0.2, 0.15, 0.15])
    people.contact_channel[idx] = channels
    people.channel[idx] = channels
    # a few customers' long-known contacts come back through a form: their new lead is a
    # duplicate of the contact
    back = idx[(rng.random(len(idx)) < 0.12) & ~recent]
    people.inbound[back] = True


def _inbound(
    rng: np.random.Generator, people: People, orgs: Orgs, window: clock.Window, book: CampaignBook
) -> None:
    idx = np.flatnonzero(people.inbound)
    m = len(idx)
    first_day = _first_day_number(window)
    weights = _day_weights(window)
    ch = rng.choice(len(rules.INBOUND_CHANNELS), m, p=rules.INBOUND_CHANNEL_WEIGHTS)
    offer = rng.choice(3, m, p=rules.OFFER_WEIGHTS)
    days = first_day + rng.choice(window.days, m, p=weights)
    created = _daytime(rng, days)
    campaign = np.full(m, -1, dtype=np.int64)
    campaigns = book.campaigns
    # webinar registrants: the next webinar after the registration
    web_moments = np.array([campaigns[c].moment for c in book.webinars], dtype=np.int64)
    # trade-show contacts: imported in bulk two working days after the show
    show_import = []
    for c in book.shows:
        show_day = campaigns[c].start + timedelta(days=2)
        while not clock.is_working_day(show_day):
            show_day += timedelta(days=1)
        show_import.append(clock.from_date(show_day, 10, 15 + 7 * (c % 5)))
    show_weight = np.ones(len(book.shows))
    partner_names = [p[0] for p in PARTNERS]
    created_l = created.tolist()
    ch_l, offer_l = ch.tolist(), offer.tolist()
    show_pick = rng.choice(len(book.shows), m, p=show_weight / show_weight.sum())
    partner_pick = rng.integers(0, len(partner_names), m)
    for j in range(m):
        channel = rules.INBOUND_CHANNELS[ch_l[j]]
        t = created_l[j]
        if channel == "webinar":
            k = int(np.searchsorted(web_moments, t, side="right"))
            k = min(k, len(web_moments) - 1)
            campaign[j] = book.webinars[k]
        elif channel == "event":
            campaign[j] = book.shows[show_pick[j]]
            created_l[j] = show_import[show_pick[j]]
        elif channel == "partner":
            year_campaigns = book.partners[partner_names[partner_pick[j]]]
            d = clock.local_date(t)
            campaign[j] = next(c for c in year_campaigns if campaigns[c].start.year == d.year)
        else:
            campaign[j] = book.period_campaign(
                channel, rules.OFFERS[offer_l[j]], clock.local_date(t)
            )
    created = np.array(created_l, dtype=np.int64)
    people.channel[idx] = ch
    people.campaign[idx] = campaign
    people.created[idx] = created

    # webinar registrants attend (or not) the broadcast
    is_web = ch == rules.INBOUND_CHANNELS.index("webinar")
    people.webinar_attended[idx[is_web]] = rng.random(int(is_web.sum())) < 0.62

    # missing key fields of the main HubSpot record (imports lack e-mails more often)
    r = rng.random(m)
    missing = np.select([r < 0.02, r < 0.04, r < 0.06, r < 0.08], [1, 2, 3, 4], 0)
    is_event = ch == rules.INBOUND_CHANNELS.index("event")
    missing = np.where(is_event & (rng.random(m) < 0.06), MISSING_EMAIL, missing)
    back = people.kind[idx] == KIND_CUSTOMER
    missing = np.where(back, MISSING_NONE, missing)
    people.missing[idx] = missing

    # MQL: fit (target country, >= 10 employees, both known to HubSpot) and enough score
    o = people.org[idx]
    fit = (
        np.isin(np.array(orgs.country)[o], list(rules.TARGET_COUNTRIES))
        & (orgs.employees[o] >= rules.FIT_MIN_EMPLOYEES)
        & (missing != MISSING_COUNTRY)
        & (missing != MISSING_EMPLOYEES)
        & (missing != MISSING_EMAIL)
    )
    rate = np.array([MQL_RATE[c] for c in rules.INBOUND_CHANNELS])[ch]
    becomes = fit & ((rng.random(m) < rate) | back)
    immediate = rng.random(m) < 0.3
    delay_days = np.where(immediate, 0, np.ceil(rng.exponential(28, m))).astype(np.int64)
    mql_day = (created // clock.DAY) + delay_days
    mql = np.where(immediate, created, _daytime(rng, mql_day))
    # the MQL follows the creation, and a webinar registrant qualifies at the broadcast
    mql = np.maximum(mql, created)
    web_attend = is_web & people.webinar_attended[idx]
    bc = np.array([campaigns[c].moment or 0 for c in campaign.tolist()], dtype=np.int64)
    mql = np.where(web_attend & immediate, bc + 62, mql)
    ok = becomes & (mql < window.cutoff)
    people.mql[idx] = np.where(ok, mql, -1)
    people.engagement[idx] = np.where(ok, people.engagement[idx] * 1.8, people.engagement[idx])

    # a few people also subscribe with their personal address, later
    dup = (rng.random(m) < 0.035) & ~back
    dup_day = created // clock.DAY + rng.integers(3, 400, m)
    dup_at = _daytime(rng, dup_day)
    people.dup_created[idx] = np.where(
        dup & (dup_at < window.cutoff) & (dup_at > created), dup_at, -1
    )


def _outbound(
    rng: np.random.Generator, people: People, window: clock.Window, book: CampaignBook
) -> None:
    idx = np.flatnonzero(people.kind == KIND_OUTBOUND)
    m = len(idx)
    weights = _day_weights(window, working_only=True)
    days = _first_day_number(window) + rng.choice(window.days, m, p=weights)
    created = _business_daytime(rng, days)
    offer = rng.choice(3, m, p=rules.OFFER_WEIGHTS)
    people.created[idx] = created
    people.channel[idx] = CHANNEL_INDEX["outbound"]
    people.campaign[idx] = [
        book.period_campaign("outbound", rules.OFFERS[o], clock.local_date(t))
        for o, t in zip(offer.tolist(), created.tolist(), strict=True)
    ]
