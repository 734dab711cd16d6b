"""HubSpot marketing events, generated with numpy per chunk of contacts and appended to one
file per month (Paris time), so that memory stays bounded at any scale.

Every contact created from a form starts with that form submission (its Create Date, its
campaign); webinar registrants who attended have a webinar attendance; each MQL and
re-qualification has its form submission; the rest (e-mail opens and clicks, page views,
content downloads) is spread over the contact's life.
"""

from __future__ import annotations

from datetime import date
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.campaigns import SITE
from smarketing_tools.generator.contacts_plan import DUPLICATE, MAIN, ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.journey import Journey
from smarketing_tools.generator.reference import SITE_PAGES
from smarketing_tools.generator.scales import STREAM_EVENTS, rng_for

TYPES = tuple(rules.HUBSPOT_LABELS["event_type"])  # codes, in a fixed order
FORM, OPEN, CLICK, VIEW, WEBINAR = (
    TYPES.index(t)
    for t in ("form_submission", "email_open", "email_click", "page_view", "webinar_attendance")
)
HEADER = "Event ID,Contact ID,Email,Event Type,Event Date,Campaign ID,Campaign,Asset,URL\n"
DEMO_FORM = "Formulaire demande de démo"
MINUTES_PER_MONTH = 30.44 * clock.DAY


class Strings:
    """Text values referenced by index from the event arrays."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        i = self._index.get(value)
        if i is None:
            i = self._index[value] = len(self.values)
            self.values.append(value)
        return i

    def array(self) -> pa.Array:
        return pa.array(self.values, pa.string())


def _blank_as_null(values: pa.Array) -> pa.Array:
    """Empty text is written as an empty cell, not as a quoted empty string."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def _month_key(local_minutes: np.ndarray) -> np.ndarray:
    months = local_minutes.astype("datetime64[m]").astype("datetime64[M]")
    return months.astype(np.int64)  # months since 1970-01


def write_events(ctx: Context, plan: ContactPlan, journey: Journey) -> dict[str, int]:
    book, people, window = ctx.book, ctx.people, ctx.window
    campaigns = book.campaigns
    assets, urls = Strings(), Strings()
    none_url = urls("")
    page_asset = np.array([assets(title) for title, _ in SITE_PAGES])
    page_url = np.array([urls(SITE + path) for _, path in SITE_PAGES])
    demo_asset, demo_url = assets(DEMO_FORM), urls(f"{SITE}/demo")
    camp_name = np.array([assets(c.name) for c in campaigns])
    camp_form = np.array([assets(c.form or c.name) for c in campaigns])
    camp_url = np.array([urls(c.url) for c in campaigns])

    first_month = window.first_day.year * 12 + window.first_day.month - 1 - 1970 * 12
    last_month = window.as_of.year * 12 + window.as_of.month - 1 - 1970 * 12
    n_months = last_month - first_month + 1
    newsletter = np.array(
        [
            book.newsletters.get(((first_month + k) // 12 + 1970, (first_month + k) % 12 + 1), -1)
            for k in range(n_months)
        ]
    )
    # content campaign by offer and month (white papers run per half-year)
    content = np.array(
        [
            [
                book.period_campaign(
                    "content_download",
                    offer,
                    date((first_month + k) // 12 + 1970, (first_month + k) % 12 + 1, 1),
                )
                for k in range(n_months)
            ]
            for offer in rules.OFFERS
        ]
    )
    nurturing = np.array([book.nurturing[offer] for offer in rules.OFFERS])

    # per contact: offer, e-mail presence
    person = plan.person
    camp_of_person = people.campaign[person]
    offer_of_camp = np.array([rules.OFFERS.index(c.offer) if c.offer else 0 for c in campaigns])
    offer = np.where(camp_of_person >= 0, offer_of_camp[np.maximum(camp_of_person, 0)], 0)
    has_email = np.array([e != "" for e in plan.email])
    email_arr = pa.array(plan.email, pa.string())
    guid = pa.array([c.guid for c in campaigns], pa.string())
    camp_names = pa.array([c.name for c in campaigns], pa.string())
    type_labels = pa.array([rules.HUBSPOT_LABELS["event_type"][t][0] for t in TYPES])

    files: dict[int, IO[bytes]] = {}
    counts: dict[int, int] = {}
    folder = ctx.inbox / "hubspot"
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n_months):
        m = first_month + k
        name = f"marketing-events-{m // 12 + 1970}-{m % 12 + 1:02d}.csv"
        files[m] = (folder / name).open("wb")
        files[m].write(HEADER.encode())
        counts[m] = 0

    next_id = 3_100_000_001
    chunk = ctx.scale.chunk_contacts
    for c0 in range(0, plan.n, chunk):
        c1 = min(c0 + chunk, plan.n)
        rng = rng_for(ctx.seed, STREAM_EVENTS, c0 // chunk)
        idx = np.arange(c0, c1)
        created = plan.created[idx]
        kind = plan.kind[idx]
        pers = person[idx]
        # contact, time, type, campaign, asset, url
        cols: list[list[np.ndarray]] = [[], [], [], [], [], []]

        def add(
            contact: np.ndarray,
            t: np.ndarray,
            etype: np.ndarray | int,
            camp: np.ndarray,
            asset: np.ndarray,
            url: np.ndarray,
            cols: list[list[np.ndarray]] = cols,
        ) -> None:
            n = len(contact)
            for col, values in zip(
                cols,
                (
                    contact,
                    t,
                    np.broadcast_to(etype, n),
                    camp,
                    np.broadcast_to(asset, n),
                    np.broadcast_to(url, n),
                ),
                strict=True,
            ):
                col.append(np.asarray(values, dtype=np.int64))

        # the form that created the contact
        main = kind == MAIN
        dup = kind == DUPLICATE
        cm = camp_of_person[idx]
        sel = np.flatnonzero(main & (cm >= 0))
        add(idx[sel], created[sel], FORM, cm[sel], camp_form[cm[sel]], camp_url[cm[sel]])
        sel = np.flatnonzero(dup)
        if len(sel):
            month = _month_key(created[sel] + clock.offsets_np(created[sel])) - first_month
            nl = newsletter[month]
            add(idx[sel], created[sel], FORM, nl, camp_form[nl], camp_url[nl])
        # webinar attendance, at the end of the broadcast
        sel = np.flatnonzero(main & people.webinar_attended[pers])
        if len(sel):
            moment = np.array([campaigns[c].moment for c in cm[sel].tolist()], dtype=np.int64)
            at = moment + 60
            ok = (at < window.cutoff) & (at > created[sel])
            sel, at = sel[ok], at[ok]
            add(idx[sel], at, WEBINAR, cm[sel], camp_name[cm[sel]], camp_url[cm[sel]])
        # the demo request that made the MQL (when it did not come with the creation)
        mql = people.mql[pers]
        sel = np.flatnonzero(main & (mql > created) & ~people.webinar_attended[pers])
        add(
            idx[sel],
            mql[sel],
            FORM,
            cm[sel],
            np.full(len(sel), demo_asset),
            np.full(len(sel), demo_url),
        )
        # re-qualifications after nurturing
        rq_contact, rq_t = [], []
        for j in np.flatnonzero(main).tolist():
            s = journey.sales.get(int(pers[j]))
            if s is not None:
                for when in s.requalified:
                    rq_contact.append(c0 + j)
                    rq_t.append(when)
        if rq_contact:
            rc, rt = np.array(rq_contact), np.array(rq_t, dtype=np.int64)
            month = _month_key(rt + clock.offsets_np(rt)) - first_month
            cc = content[offer[rc], month]
            add(rc, rt, FORM, cc, camp_form[cc], camp_url[cc])

        # everyday engagement over the contact's life
        life = np.maximum(window.cutoff - created, 0) / MINUTES_PER_MONTH
        rate = ctx.scale.events_per_contact_month * people.engagement[pers] * life
        rate = np.where(dup, rate * 0.5, rate)
        n_events = rng.poisson(rate)
        first_day = created // clock.DAY + 1
        last_day = window.cutoff // clock.DAY - 1
        n_events = np.where(first_day <= last_day, n_events, 0)
        contact = np.repeat(idx, n_events)
        local_pos = contact - c0
        span = last_day - first_day[local_pos] + 1
        day = first_day[local_pos] + (rng.random(len(contact)) * span).astype(np.int64)
        minute = rng.integers(7 * 60, 22 * 60, len(contact))
        t = clock.utc_from_local_np(day * clock.DAY + minute)
        etype = rng.choice([OPEN, CLICK, VIEW, FORM], len(contact), p=[0.52, 0.12, 0.30, 0.06])
        etype = np.where(~has_email[contact] & ((etype == OPEN) | (etype == CLICK)), VIEW, etype)
        keep = t < window.cutoff
        contact, t, etype = contact[keep], t[keep], etype[keep]
        month = np.clip(_month_key(t + clock.offsets_np(t)) - first_month, 0, n_months - 1)
        o = offer[contact]
        camp = np.full(len(contact), -1, dtype=np.int64)
        is_mail = (etype == OPEN) | (etype == CLICK)
        use_news = rng.random(len(contact)) < 0.6
        camp = np.where(is_mail & use_news, newsletter[month], camp)
        camp = np.where(is_mail & ~use_news, nurturing[o], camp)
        camp = np.where(etype == FORM, content[o, month], camp)
        page = rng.integers(0, len(SITE_PAGES), len(contact))
        own = camp_of_person[contact]
        view_camp = (etype == VIEW) & (rng.random(len(contact)) < 0.15) & (own >= 0)
        camp = np.where(view_camp, own, camp)
        safe = np.maximum(camp, 0)
        asset = np.select(
            [is_mail, etype == FORM], [camp_name[safe], camp_form[safe]], page_asset[page]
        )
        url = np.select(
            [etype == OPEN, etype == CLICK, etype == FORM],
            [np.full(len(contact), none_url), page_url[page], camp_url[safe]],
            page_url[page],
        )
        add(contact, t, etype, camp, asset, url)

        if not sum(len(part) for part in cols[0]):
            continue
        contact = np.concatenate(cols[0])
        t = np.concatenate(cols[1])
        etype = np.concatenate(cols[2])
        camp = np.concatenate(cols[3])
        asset = np.concatenate(cols[4])
        url = np.concatenate(cols[5])
        local = t + clock.offsets_np(t)
        month = _month_key(local)
        order = np.lexsort((contact, t, month))
        contact, t, etype, camp, asset, url, local, month = (
            a[order] for a in (contact, t, etype, camp, asset, url, local, month)
        )
        event_id = next_id + np.arange(len(t), dtype=np.int64)
        next_id += len(t)
        no_camp = camp < 0
        camp_idx = pa.array(np.maximum(camp, 0), mask=no_camp)
        table = pa.table(
            {
                "Event ID": pa.array(event_id),
                "Contact ID": pa.array(plan.record_id[contact]),
                "Email": _blank_as_null(pc.take(email_arr, pa.array(contact))),
                "Event Type": pc.take(type_labels, pa.array(etype)),
                "Event Date": pc.strftime(
                    pa.array(local * 60, pa.timestamp("s")), format="%Y-%m-%d %H:%M"
                ),
                "Campaign ID": pc.take(guid, camp_idx),
                "Campaign": pc.take(camp_names, camp_idx),
                "Asset": pc.take(assets.array(), pa.array(asset)),
                "URL": _blank_as_null(pc.take(urls.array(), pa.array(url))),
            }
        )
        bounds = np.flatnonzero(np.diff(month)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(month)]])
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            m = int(month[s])
            part = table.slice(s, e - s)
            pa_csv.write_csv(part, files[m], pa_csv.WriteOptions(include_header=False))
            counts[m] += e - s
        ctx.progress("marketing events", c1, plan.n)
    out: dict[str, int] = {}
    for m, handle in files.items():
        handle.close()
        name = f"marketing-events-{m // 12 + 1970}-{m % 12 + 1:02d}.csv"
        out[f"inbox/hubspot/{name}"] = counts[m]
    return out
