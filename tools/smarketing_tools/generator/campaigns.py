"""Marketing campaigns: one list shared by Salesforce (Campaign) and HubSpot (events).

Acquisition campaigns carry a canonical channel (Campaign.Channel__c) and an offer; the
newsletter and nurturing campaigns only carry e-mails (no channel).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.ids import IdSequence, hubspot_campaign_guid
from smarketing_tools.generator.reference import (
    DASH,
    PARTNERS,
    TRADE_SHOWS,
    WEBINAR_TITLES,
    WHITE_PAPERS,
)

MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SITE = f"https://www.{rules.COMPANY_DOMAIN}"


@dataclass
class Campaign:
    index: int
    id: str
    guid: str
    name: str
    type: str
    channel: str
    offer: str
    start: date
    end: date | None
    moment: int | None = None
    """webinar broadcast or trade-show day (UTC minute)"""
    form: str = ""
    url: str = ""
    budget: int = 0
    source: tuple[str, str, str] = ("", "", "")
    """HubSpot Original Source code, Drill-Down 1, Drill-Down 2 of contacts it creates"""


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())


@dataclass
class CampaignBook:
    campaigns: list[Campaign] = field(default_factory=list)
    # (channel, offer) -> sorted (start ordinal, campaign index) of period campaigns
    periods: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)
    webinars: list[int] = field(default_factory=list)
    shows: list[int] = field(default_factory=list)
    partners: dict[str, list[int]] = field(default_factory=dict)
    newsletters: dict[tuple[int, int], int] = field(default_factory=dict)
    nurturing: dict[str, int] = field(default_factory=dict)

    def add(self, **kwargs: object) -> Campaign:
        campaign = Campaign(index=len(self.campaigns), **kwargs)  # type: ignore[arg-type]
        self.campaigns.append(campaign)
        if campaign.channel and campaign.channel not in ("webinar", "event", "partner"):
            key = (campaign.channel, campaign.offer)
            self.periods.setdefault(key, []).append((campaign.start.toordinal(), campaign.index))
        return campaign

    def period_campaign(self, channel: str, offer: str, day: date) -> int:
        """The campaign of ``channel`` and ``offer`` running on ``day``."""
        rows = self.periods[(channel, offer)]
        i = bisect.bisect_right(rows, (day.toordinal(), 1 << 60)) - 1
        return rows[max(i, 0)][1]

    def newsletter(self, day: date) -> int:
        return self.newsletters[(day.year, day.month)]


def build_campaigns(window: clock.Window, seed: int, ids: IdSequence) -> CampaignBook:
    book = CampaignBook()
    guid_index = iter(range(10_000))

    def add(**kwargs: object) -> Campaign:
        return book.add(id=ids(), guid=hubspot_campaign_guid(seed, next(guid_index)), **kwargs)

    first = _quarter_start(window.first_day - timedelta(days=60))
    last = window.as_of + timedelta(days=60)
    # always-on organic campaigns
    for offer in rules.OFFERS:
        add(
            name=f"SEO {DASH} {offer} (always-on)",
            type="Other",
            channel="organic",
            offer=offer,
            start=date(2024, 1, 1),
            end=None,
            form="Formulaire de contact",
            url=f"{SITE}/contact",
            budget=0,
        )
    # quarterly paid search and outbound campaigns
    quarter = first
    while quarter <= last:
        q = (quarter.month - 1) // 3 + 1
        end = _add_months(quarter, 3) - timedelta(days=1)
        for offer in rules.OFFERS:
            slug = _slug(offer)
            add(
                name=f"SEA Google {DASH} {offer} {DASH} T{q} {quarter.year}",
                type="Advertisement",
                channel="paid_search",
                offer=offer,
                start=quarter,
                end=end,
                form="Formulaire demande de démo",
                url=f"{SITE}/lp/{slug}-demo",
                budget=6_000,
            )
            add(
                name=f"Prospection sortante {DASH} {offer} {DASH} T{q} {quarter.year}",
                type="Telemarketing",
                channel="outbound",
                offer=offer,
                start=quarter,
                end=end,
                budget=0,
            )
        quarter = _add_months(quarter, 3)
    # half-yearly white papers
    half = date(first.year, 1 if first.month < 7 else 7, 1)
    while half <= last:
        h = 1 if half.month == 1 else 2
        end = _add_months(half, 6) - timedelta(days=1)
        for offer in rules.OFFERS:
            add(
                name=f"Livre blanc {DASH} {WHITE_PAPERS[offer]} {DASH} S{h} {half.year}",
                type="Other",
                channel="content_download",
                offer=offer,
                start=half,
                end=end,
                form=f"Téléchargement {DASH} {WHITE_PAPERS[offer]}",
                url=f"{SITE}/ressources/{_slug(WHITE_PAPERS[offer])}",
                budget=2_500,
            )
        half = _add_months(half, 6)
    # a webinar every second Tuesday at 11:00
    day = window.first_day - timedelta(days=30)
    day += timedelta(days=(1 - day.weekday()) % 7)
    n = 0
    while day <= window.as_of + timedelta(days=35):
        offer = rules.OFFERS[n % 3]
        title = WEBINAR_TITLES[offer][(n // 3) % 3]
        moment = clock.from_date(day, 11, 0)
        c = add(
            name=f"Webinar {DASH} {title} {DASH} {day.strftime('%d/%m/%Y')}",
            type="Webinar",
            channel="webinar",
            offer=offer,
            start=day - timedelta(days=21),
            end=day,
            moment=moment,
            form="Inscription webinar",
            url=f"{SITE}/webinars/{_slug(title)}",
            budget=800,
        )
        book.webinars.append(c.index)
        day += timedelta(days=14)
        n += 1
    # trade shows
    for year in range(window.first_day.year, window.as_of.year + 1):
        for name, city, month, dom, offer in TRADE_SHOWS:
            show_day = date(year, month, dom)
            if not (window.first_day <= show_day < window.as_of - timedelta(days=3)):
                continue
            c = add(
                name=f"{name} {city} {year}",
                type="Trade Show",
                channel="event",
                offer=offer,
                start=show_day,
                end=show_day + timedelta(days=1),
                moment=clock.from_date(show_day, 9, 0),
                form="Scan de badge",
                url="",
                budget=18_000,
            )
            book.shows.append(c.index)
    # partners, one campaign per partner and year
    for year in range(window.first_day.year, window.as_of.year + 1):
        for partner, domain, offer in PARTNERS:
            c = add(
                name=f"Partenaire {partner} {DASH} {year}",
                type="Partners",
                channel="partner",
                offer=offer,
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                form="Formulaire partenaire",
                url=f"{SITE}/partenaires/{_slug(partner)}",
                budget=5_000,
            )
            c.source = ("REFERRALS", domain, f"https://www.{domain}/solutions")
            book.partners.setdefault(partner, []).append(c.index)
    # monthly newsletter and per-offer nurturing e-mails
    first = date(window.first_day.year, window.first_day.month, 1)
    while first <= window.as_of:
        c = add(
            name=f"Newsletter Lumen {DASH} {MONTHS_FR[first.month - 1]} {first.year}",
            type="Email",
            channel="",
            offer="",
            start=first,
            end=_add_months(first, 1) - timedelta(days=1),
            form="Inscription newsletter",
            url=f"{SITE}/newsletter",
            budget=300,
        )
        book.newsletters[(first.year, first.month)] = c.index
        first = _add_months(first, 1)
    for offer in rules.OFFERS:
        c = add(
            name=f"Nurturing {DASH} {offer}",
            type="Email",
            channel="",
            offer=offer,
            start=date(2024, 1, 1),
            end=None,
            budget=0,
        )
        book.nurturing[offer] = c.index
    for c in book.campaigns:
        c.source = _hubspot_source(c)
    return book


def _hubspot_source(c: Campaign) -> tuple[str, str, str]:
    if c.channel == "paid_search":
        return ("PAID_SEARCH", "Google", c.name)
    if c.channel == "webinar":
        return ("OTHER_CAMPAIGNS", "webinar", c.name)
    if c.channel == "content_download":
        return ("OTHER_CAMPAIGNS", "livre-blanc", c.name)
    if c.channel == "event":
        return ("OFFLINE", "IMPORT", f"Import {c.name}")
    return c.source


def campaign_status(c: Campaign, as_of: date) -> str:
    if c.start > as_of:
        return "Planned"
    if c.end is not None and c.end < as_of:
        return "Completed"
    return "In Progress"
