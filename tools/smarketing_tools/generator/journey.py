"""The sales side of every lead, simulated lead by lead in creation order, and written to
the Salesforce exports as soon as a lead's story up to as_of is known (bounded memory).

Each lead records the truth of its funnel cycles while it is simulated (``Cycle``); the
HubSpot export later reflects each person's primary lead through the sync (``Sales``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from smarketing_tools.generator import clock, mess, rules
from smarketing_tools.generator.clock import fmt_sf, fmt_sf_date
from smarketing_tools.generator.contacts_plan import ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.ids import IdSequence
from smarketing_tools.generator.population import KIND_CUSTOMER, KIND_OUTBOUND, MISSING_PHONE
from smarketing_tools.generator.reference import DASH
from smarketing_tools.generator.salesforce import (
    CAMPAIGN_MEMBER_COLUMNS,
    LEAD_COLUMNS,
    LEAD_HISTORY_COLUMNS,
    OPPORTUNITY_COLUMNS,
    OPPORTUNITY_HISTORY_COLUMNS,
    TASK_COLUMNS,
    AccountRec,
    CampaignStats,
    ContactRec,
    lead_source,
    salutation,
    tf,
    writer,
)
from smarketing_tools.generator.scales import STREAM_JOURNEY

WEEK = 5 * 9 * 60  # business minutes in a working week


@dataclass(slots=True)
class Cycle:
    person: int
    cycle: int
    created_at: int
    mql_at: int | None = None
    handoff_at: int | None = None
    owner: int | None = None
    expected_team: str = ""
    first_touch_at: int | None = None
    sal_at: int | None = None
    sql_at: int | None = None
    opportunity_at: int | None = None
    won_at: int | None = None
    lost_at: int | None = None
    disqualified_at: int | None = None
    reason: str = ""
    decision: str = "none"
    decision_at: int | None = None


@dataclass(slots=True)
class Sales:
    """A person's primary lead as the HubSpot sync sees it at as_of."""

    lead_id: str
    status: str
    owner: int
    touch_kind: str = ""
    sql_at: int | None = None
    opportunity_at: int | None = None
    won_at: int | None = None
    contact_id: str = ""
    requalified: list[int] = field(default_factory=list)
    recycled_at: int | None = None


@dataclass(slots=True)
class Opp:
    id: str
    person: int
    cycle: int
    account: str
    contact: str
    owner: int
    created: int
    amount: int
    offer: str
    campaign: int
    lead_source: str
    stage: str
    expected_close: str
    closed_at: int | None = None
    won: bool | None = None
    loss_reason: str = ""
    last_modified: int = 0


@dataclass(slots=True)
class LeadSim:
    id: str
    person: int
    created: int
    creator: int
    owner: int
    inbound: bool
    duplicate: bool
    channel: str
    campaign: int
    offer: str
    status: str = rules.ST_OPEN
    reason: str = ""
    last: int = 0
    last_status: int = 0
    history: list[tuple[int, int, str, str, str, str]] = field(default_factory=list)
    tasks: list[dict[str, str | int]] = field(default_factory=list)
    members: list[tuple[int, int]] = field(default_factory=list)
    converted_at: int | None = None
    contact_id: str = ""
    account_id: str = ""
    opp: Opp | None = None
    touch_kind: str = ""
    expected: str = ""
    employees_missing: bool = False


class Journey:
    def __init__(self, ctx: Context, plan: ContactPlan) -> None:
        self.ctx = ctx
        self.plan = plan
        self.rnd = random.Random(ctx.seed * 1_000 + STREAM_JOURNEY)
        self.mess = random.Random(ctx.seed * 1_000 + STREAM_JOURNEY + 500)
        self.cutoff = ctx.window.cutoff
        # the sales team spends the last four days before as_of at its annual seminar: first
        # touches due then wait until after the export (fresh hand-offs are still pending)
        self.seminar = ctx.window.cutoff - 4 * clock.DAY
        self.users = ctx.staff.users
        self.ids = {
            name: IdSequence(name)
            for name in (
                "Lead",
                "LeadHistory",
                "Task",
                "CampaignMember",
                "Opportunity",
                "OpportunityHistory",
                "Account",
                "Contact",
            )
        }
        self.accounts: dict[int, AccountRec] = {}
        self.contacts: list[ContactRec] = []
        self.customer_contact: dict[int, str] = {}
        self.cycles: dict[int, list[Cycle]] = {}
        self.sales: dict[int, Sales] = {}
        self.opportunities: list[Opp] = []
        self.campaign_stats: dict[int, CampaignStats] = {}
        self.lead_ids: dict[int, list[str]] = {}
        self.counts: dict[str, int] = {}

    # --- time ---------------------------------------------------------------------------

    def bh(self, t: int, minutes: int) -> int:
        return clock.add_business_hours(t, minutes / 60)

    def daytime_after(self, t: int, days: int) -> int:
        day = clock.local_day(t) + days
        return clock.utc_from_local(day * clock.DAY + self.rnd.randint(8 * 60, 21 * 60))

    # --- routing ------------------------------------------------------------------------

    def expected_team(self, p: int, employees_missing: bool = False) -> str:
        """The routing rule applied to the lead's data (a missing employee count routes as
        a small company)."""
        o = int(self.ctx.people.org[p])
        orgs = self.ctx.orgs
        employees = None if employees_missing else int(orgs.employees[o])
        return rules.expected_team(orgs.country[o], employees, orgs.state[o])

    def pick(self, team: str, t: int) -> int:
        return self.rnd.choice(self.ctx.staff.active_in(team, t))

    def route(self, lead: LeadSim, t: int) -> int:
        expected = lead.expected
        team = expected
        if self.rnd.random() < 0.03:
            team = self.rnd.choice([x for x in rules.ROUTING_TEAMS if x != expected])
        return self.pick(team, t)

    # --- history and tasks --------------------------------------------------------------

    def hist(self, lead: LeadSim, t: int, by: int, fld: str, kind: str, old: str, new: str) -> None:
        lead.history.append((t, by, fld, kind, old, new))
        lead.last = max(lead.last, t)

    def set_status(self, lead: LeadSim, t: int, new: str, by: int) -> int:
        t = max(t, lead.last_status + 1, lead.last)
        self.hist(lead, t, by, "Status", "Picklist", lead.status, new)
        lead.status = new
        lead.last_status = t
        return t

    def set_reason(self, lead: LeadSim, t: int, new: str, by: int) -> None:
        self.hist(lead, t, by, "Rejection_Reason__c", "Picklist", lead.reason, new)
        lead.reason = new

    def set_owner(self, lead: LeadSim, t: int, new: int, by: int) -> None:
        old = lead.owner
        if new == old:
            return
        self.hist(lead, t, by, "Owner", "EntityId", self.users[old].id, self.users[new].id)
        self.hist(lead, t, by, "Owner", "Text", self.users[old].name, self.users[new].name)
        lead.owner = new

    def ensure_owner(self, lead: LeadSim, t: int) -> None:
        """RevOps reassigns the open leads of a rep who left, on the day they leave."""
        user = self.users[lead.owner]
        if user.left_at is not None and user.left_at <= t:
            at = max(user.left_at, lead.last)
            self.set_owner(lead, at, self.pick(user.team, at), self.ctx.staff.revops)

    def task(
        self,
        lead: LeadSim,
        *,
        at: int,
        owner: int,
        subject: str,
        subtype: str,
        kind: str,
        completed: bool = True,
        created_by: int | None = None,
        due: int | None = None,
        what: str = "",
    ) -> None:
        created = at
        if completed and self.rnd.random() < 0.2:
            created = at + self.rnd.randint(1, 120)  # logged a little after the fact
        lead.tasks.append(
            {
                "at": at,
                "owner": owner,
                "subject": subject,
                "subtype": subtype,
                "type": kind,
                "completed": int(completed),
                "created": created,
                "created_by": owner if created_by is None else created_by,
                "due": due if due is not None else at,
                "what": what,
            }
        )

    def touch_task(self, lead: LeadSim, at: int, owner: int, kind: str) -> None:
        if kind == "call":
            self.task(
                lead,
                at=at,
                owner=owner,
                subject=self.rnd.choice(
                    ("Appel de découverte", "Appel de qualification", "Premier appel")
                ),
                subtype="Call",
                kind="Call",
            )
        elif kind == "email":
            self.task(
                lead,
                at=at,
                owner=owner,
                subject="E-mail : prise de contact",
                subtype="Email",
                kind="Email",
            )
        else:
            self.task(
                lead,
                at=at,
                owner=owner,
                subject="Rendez-vous de découverte",
                subtype="Task",
                kind=rules.TOUCH_TYPE_MEETING,
            )

    def member(self, lead: LeadSim, campaign: int, t: int) -> None:
        if campaign >= 0:
            lead.members.append((campaign, t))

    # --- the process --------------------------------------------------------------------

    def run(self) -> None:
        ctx = self.ctx
        people = ctx.people
        self._customer_accounts()
        starts: list[tuple[int, int, int]] = []  # (created, person, duplicate?)
        for p in range(people.n):
            if people.inbound[p] and people.mql[p] >= 0:
                handoff = int(people.mql[p]) + self.rnd.randint(2, 15)
                if handoff < self.cutoff:
                    starts.append((handoff, p, 0))
            elif people.kind[p] == KIND_OUTBOUND:
                starts.append((int(people.created[p]), p, 0))
        for t, p, _ in list(starts):
            if self.rnd.random() < 0.025:
                dup = self.bh(t + self.rnd.randint(20, 200) * clock.DAY, 60)
                if dup < self.cutoff:
                    starts.append((dup, p, 1))
        starts.sort()
        self.out = {
            "Lead": writer(ctx, "Lead", LEAD_COLUMNS),
            "LeadHistory": writer(ctx, "LeadHistory", LEAD_HISTORY_COLUMNS),
            "Task": writer(ctx, "Task", TASK_COLUMNS),
            "CampaignMember": writer(ctx, "CampaignMember", CAMPAIGN_MEMBER_COLUMNS),
            "Opportunity": writer(ctx, "Opportunity", OPPORTUNITY_COLUMNS),
            "OpportunityHistory": writer(ctx, "OpportunityHistory", OPPORTUNITY_HISTORY_COLUMNS),
        }
        self._customer_contacts()
        total = len(starts)
        for done, (t, p, dup) in enumerate(starts):
            self.simulate(p, t, bool(dup))
            if done % 2_000 == 0:
                ctx.progress("salesforce leads", done, total)
        ctx.progress("salesforce leads", total, total)
        for name, out in self.out.items():
            self.counts[name] = out.rows
            out.close()

    def _customer_accounts(self) -> None:
        ctx = self.ctx
        orgs = ctx.orgs
        for o in range(orgs.n):
            if orgs.is_customer[o]:
                since = int(orgs.customer_since[o])
                owner = self.pick_any(self.expected_team_org(o), since)
                self.accounts[o] = AccountRec(
                    self.ids["Account"](), o, since, owner, owner, "Trade Show", True, since
                )

    def expected_team_org(self, o: int) -> str:
        orgs = self.ctx.orgs
        return rules.expected_team(orgs.country[o], int(orgs.employees[o]), orgs.state[o])

    def pick_any(self, team: str, t: int) -> int:
        """A member of ``team`` at ``t``, or any member for dates before the team existed."""
        active = self.ctx.staff.active_in(team, t)
        return self.rnd.choice(active or self.ctx.staff.teams[team])

    def _customer_contacts(self) -> None:
        """Contacts of existing customers, with a few account-management tasks."""
        ctx = self.ctx
        people = ctx.people
        order = sorted(
            (int(people.contact_created[p]), p)
            for p in range(people.n)
            if people.kind[p] == KIND_CUSTOMER
        )
        for created, p in order:
            account = self.accounts[int(people.org[p])]
            cid = self.ids["Contact"]()
            self.customer_contact[p] = cid
            channel = rules.CHANNELS[int(people.contact_channel[p])]
            self.contacts.append(
                ContactRec(
                    cid,
                    p,
                    account.id,
                    created,
                    account.owner,
                    account.created_by,
                    lead_source(channel, created),
                    people.work_email[p],
                    created,
                )
            )
            # account management calls, unrelated to any lead
            for _ in range(self.rnd.choice((0, 1, 1, 2))):
                day = self.rnd.randint(
                    ctx.window.first_day.toordinal(), ctx.window.as_of.toordinal() - 1
                )
                at = self.bh(clock.from_date(date.fromordinal(day), 8, 0), self.rnd.randint(0, 540))
                if at < self.cutoff and at > created:
                    owner = (
                        account.owner
                        if self.users[account.owner].active(at)
                        else self.pick_any(self.users[account.owner].team, at)
                    )
                    self._write_task(
                        {
                            "at": at,
                            "owner": owner,
                            "subject": "Point de suivi client",
                            "subtype": "Call",
                            "type": "Call",
                            "completed": 1,
                            "created": at,
                            "created_by": owner,
                            "due": at,
                            "what": account.id,
                        },
                        cid,
                        account.id,
                    )

    def simulate(self, p: int, t: int, duplicate: bool) -> None:
        ctx = self.ctx
        people = ctx.people
        inbound = bool(people.inbound[p]) and not duplicate
        channel = (
            rules.CHANNELS[int(people.channel[p])]
            if not duplicate
            else self.rnd.choice(("event", "organic", "outbound"))
        )
        campaign = int(people.campaign[p]) if not duplicate else -1
        employees_missing = not inbound and self.rnd.random() < 0.05
        expected = self.expected_team(p, employees_missing)
        if inbound:
            owner = -1  # routed below
            creator = ctx.staff.integration
        else:
            if duplicate or self.rnd.random() < 0.5:
                team = self.rnd.choice(rules.ROUTING_TEAMS) if duplicate else rules.TEAM_SDR
            else:
                team = expected
            owner = self.pick_any(team, t)
            creator = owner
        offer = (
            ctx.book.campaigns[campaign].offer if campaign >= 0 else self.rnd.choice(rules.OFFERS)
        )
        lead = LeadSim(
            self.ids["Lead"](),
            p,
            t,
            creator,
            owner,
            inbound,
            duplicate,
            channel,
            campaign,
            offer,
            last=t,
            last_status=t,
        )
        lead.expected = expected
        lead.employees_missing = employees_missing
        if inbound:
            lead.owner = self.route(lead, t)
            owner = lead.owner
        self.lead_ids.setdefault(p, []).append(lead.id)
        self.hist(lead, t, creator, "created", "", "", "")
        self.member(lead, campaign, t)
        if duplicate:
            self._duplicate(lead)
            self.finish(lead)
            return
        first = Cycle(
            p,
            1,
            int(people.created[p]) if inbound else t,
            expected_team=lead.expected if inbound else "",
        )
        if inbound:
            first.mql_at = int(people.mql[p])
            first.handoff_at = t
            first.owner = owner
        cycles = self.cycles.setdefault(p, [])
        cycle = first
        while True:
            cycles.append(cycle)
            again = self._cycle(lead, cycle)
            if again is None:
                break
            cycle = Cycle(
                p,
                cycle.cycle + 1,
                again,
                mql_at=again,
                handoff_at=again,
                owner=lead.owner,
                expected_team=lead.expected,
            )
        self.sales[p] = Sales(
            lead.id, lead.status, lead.owner, lead.touch_kind, contact_id=lead.contact_id
        )
        s = self.sales[p]
        for c in cycles:
            s.sql_at = s.sql_at or c.sql_at
            s.opportunity_at = s.opportunity_at or c.opportunity_at
            s.won_at = s.won_at or c.won_at
            if c.cycle > 1:
                s.requalified.append(c.created_at)
            if c.decision == "recycled" or c.reason in ("no_budget", "no_project"):
                s.recycled_at = c.disqualified_at
        self.finish(lead)

    def _duplicate(self, lead: LeadSim) -> None:
        """A second lead for a known person: found and rejected as a duplicate."""
        td = self.bh(lead.created, self.rnd.randint(60, 5_000))
        if td < self.cutoff and self.rnd.random() < 0.9:
            t = self.set_status(lead, td, rules.ST_UNQUALIFIED, lead.owner)
            self.set_reason(lead, t, "Doublon", lead.owner)

    def _first_touch(self, lead: LeadSim, start: int, prospecting: bool) -> int | None:
        r = self.rnd.random()
        if prospecting and r < 0.85:
            return start + self.rnd.randint(0, 30)  # the call that made the rep create it
        if r < 0.05:
            return None
        local = clock.local(start)
        weekday = (local // clock.DAY + 3) % 7  # 1970-01-01 was a Thursday
        if r < 0.065 and weekday in (4, 5):
            # a rep answers on Saturday morning
            days = 5 - weekday
            saturday = (local // clock.DAY + days) * clock.DAY + self.rnd.randint(600, 720)
            at = clock.utc_from_local(saturday)
            if at > start:
                return at
        if r < 0.62:
            minutes = self.rnd.randint(3, 240)
        elif r < 0.80:
            minutes = self.rnd.randint(240, 540)
        elif r < 0.91:
            minutes = self.rnd.randint(540, 2_880)
        else:
            minutes = self.rnd.randint(2_881, 9_000)
        touch = self.bh(start, minutes)
        return None if touch >= self.seminar and not prospecting else touch

    def _cycle(self, lead: LeadSim, c: Cycle) -> int | None:
        """Plays one cycle from its start; returns the start of the next cycle, if any."""
        people = self.ctx.people
        p = lead.person
        start = c.handoff_at if c.handoff_at is not None else lead.created
        staff = self.ctx.staff
        if c.handoff_at is not None:
            if self.rnd.random() < 0.45:  # a planned call, never completed
                at = start + self.rnd.randint(1, 25)
                self.task(
                    lead,
                    at=at,
                    owner=lead.owner,
                    subject="Appeler le lead",
                    subtype="Call",
                    kind="Call",
                    completed=False,
                    created_by=staff.integration,
                    due=self.bh(at, 540),
                )
            if self.rnd.random() < 0.3:  # marketing e-mails logged by the integration
                for _ in range(self.rnd.randint(1, 3)):
                    at = self.daytime_after(start, self.rnd.randint(0, 6))
                    if at > start and at < self.cutoff:
                        self.task(
                            lead,
                            at=at,
                            owner=staff.integration,
                            subject="E-mail marketing : Nurturing " + lead.offer,
                            subtype="Email",
                            kind="Email",
                        )
            if self.rnd.random() < 0.2:
                at = self.bh(start, self.rnd.randint(5, 120))
                if at < self.cutoff:
                    self.task(
                        lead,
                        at=at,
                        owner=lead.owner,
                        subject="Vérifier la fiche société",
                        subtype="Task",
                        kind="Other",
                    )
        touch = self._first_touch(lead, start, prospecting=c.handoff_at is None)
        if touch is None or touch >= self.cutoff:
            return None
        self.ensure_owner(lead, touch)
        toucher = lead.owner
        if self.rnd.random() < 0.08:
            toucher = self.pick_any(rules.TEAM_SDR, touch)
        kind = self.rnd.choices(("call", "email", "meeting"), (0.6, 0.3, 0.1))[0]
        self.touch_task(lead, touch, toucher, kind)
        lead.touch_kind = lead.touch_kind if lead.touch_kind in ("call", "meeting") else kind
        c.first_touch_at = touch
        working = touch + self.rnd.randint(0, 25)
        if working >= self.cutoff:
            return None
        self.set_status(lead, working, rules.ST_WORKING, toucher)

        forced = ""
        if people.kind[p] == KIND_CUSTOMER:
            forced = "Doublon"
        elif people.title[p].startswith("Étudiant"):
            forced = "Hors cible"
        r = self.rnd.random()
        if forced:
            outcome = "rejected"
        elif r < 0.10:
            outcome = "none"
        elif r < 0.58:
            outcome = "accepted"
        elif r < 0.79:
            outcome = "rejected"
        else:
            outcome = "recycled"
        decided = self.bh(touch, self.rnd.randint(30, 4_500))
        follow_ups = sorted(
            self.bh(touch, self.rnd.randint(30, 4_000))
            for _ in range(self.rnd.choice((0, 0, 1, 1, 2, 3)))
        )
        for at in follow_ups:
            if at < min(decided, self.cutoff):
                self.ensure_owner(lead, at)
                self.touch_task(lead, at, lead.owner, self.rnd.choice(("call", "email")))
        if outcome == "none" or decided >= self.cutoff:
            return None
        self.ensure_owner(lead, decided)
        owner = lead.owner
        if outcome == "rejected":
            reason = (
                forced
                or self.rnd.choices(
                    ("Hors cible", "Coordonnées erronées", "Doublon"), (0.55, 0.3, 0.15)
                )[0]
            )
            t = self.set_status(lead, decided, rules.ST_UNQUALIFIED, owner)
            self.set_reason(lead, t, reason, owner)
            self._decide(c, t, "rejected", reason, disqualify=True)
            return None
        if outcome == "recycled":
            reason = self.rnd.choice(("Pas de budget", "Pas de projet"))
            t = self.set_status(lead, decided, rules.ST_NURTURING, owner)
            self.set_reason(lead, t, reason, owner)
            self._decide(c, t, "recycled", reason, disqualify=True)
            return self._requalify(lead, c, t)
        t = self.set_status(lead, decided, rules.ST_ACCEPTED, owner)
        c.sal_at = t
        self._decide(c, t, "accepted", "", disqualify=False)
        r = self.rnd.random()
        if r < 0.70:
            ts = self.bh(t, self.rnd.randint(240, 9_000))
            if ts >= self.cutoff:
                return None
            self.ensure_owner(lead, ts)
            ts = self.set_status(lead, ts, rules.ST_QUALIFIED, lead.owner)
            c.sql_at = ts
            if self.rnd.random() < 0.85:
                tc = self.bh(ts, self.rnd.randint(30, 2_400))
                if tc < self.cutoff:
                    self._convert(lead, c, tc)
            return None
        if r < 0.82:
            tn = self.bh(t, self.rnd.randint(600, 15_000))
            if tn >= self.cutoff:
                return None
            self.ensure_owner(lead, tn)
            reason = self.rnd.choice(("Pas de budget", "Pas de projet"))
            tn = self.set_status(lead, tn, rules.ST_NURTURING, lead.owner)
            self.set_reason(lead, tn, reason, lead.owner)
            c.disqualified_at = tn
            c.reason = rules.REJECTION_REASONS[reason][1]
            return self._requalify(lead, c, tn)
        return None

    def _decide(self, c: Cycle, t: int, decision: str, reason: str, disqualify: bool) -> None:
        c.decision = decision
        c.decision_at = t
        if disqualify:
            c.disqualified_at = t
            c.reason = rules.REJECTION_REASONS[reason][1]

    def _requalify(self, lead: LeadSim, c: Cycle, nurtured: int) -> int | None:
        """Back to marketing; the person may qualify again later (a new cycle)."""
        ctx = self.ctx
        p = lead.person
        again: int | None = None
        if self.plan.main_of_person[p] >= 0 and c.cycle < 3 and self.rnd.random() < 0.45:
            again = self.daytime_after(nurtured, self.rnd.randint(40, 300))
            if again >= self.cutoff:
                again = None
        if self.rnd.random() < 0.3:  # a courtesy call while nurtured: not a first touch
            at = self.bh(nurtured, self.rnd.randint(2_000, 20_000))
            if at < (again if again is not None else self.cutoff):
                self.ensure_owner(lead, at)
                self.task(
                    lead,
                    at=at,
                    owner=lead.owner,
                    subject="Appel de courtoisie",
                    subtype="Call",
                    kind="Call",
                )
        if again is None:
            return None
        self.ensure_owner(lead, again)
        again = max(again, lead.last_status + 1, lead.last)
        integration = ctx.staff.integration
        self.set_status(lead, again, rules.ST_OPEN, integration)
        self.set_reason(lead, again, "", integration)
        if self.rnd.random() < 0.4:
            self.set_owner(lead, again, self.route(lead, again), integration)
        offer = lead.offer
        self.member(
            lead,
            ctx.book.period_campaign("content_download", offer, clock.local_date(again)),
            again,
        )
        return again

    # --- conversion and opportunity ------------------------------------------------------

    def _convert(self, lead: LeadSim, c: Cycle, at: int) -> None:
        ctx = self.ctx
        p = lead.person
        o = int(ctx.people.org[p])
        self.ensure_owner(lead, at)
        owner = lead.owner
        t = self.set_status(lead, at, rules.ST_CONVERTED, owner)
        self.hist(lead, t, owner, "leadConverted", "", "", "")
        account = self.accounts.get(o)
        if account is None:
            account = AccountRec(
                self.ids["Account"](),
                o,
                t,
                owner,
                owner,
                rules.CHANNEL_LEADSOURCE[lead.channel],
                False,
                t,
            )
            self.accounts[o] = account
        contact_id = self.ids["Contact"]()
        # e-mail and last change are those of the lead, known when it is written
        self.contacts.append(
            ContactRec(
                contact_id,
                p,
                account.id,
                t,
                owner,
                owner,
                lead_source(lead.channel, lead.created),
                "",
                t,
            )
        )
        lead.converted_at = t
        lead.contact_id = contact_id
        lead.account_id = account.id
        c.opportunity_at = t
        segment = rules.segment_of(int(ctx.orgs.employees[o]))
        amount = rules.OFFER_BASE_AMOUNT[lead.offer] * rules.SEGMENT_AMOUNT_FACTOR[segment]
        amount = int(round(amount * self.rnd.lognormvariate(0, 0.3), -2))
        weeks = {"smb": (2, 8), "mid_market": (4, 16), "enterprise": (12, 36)}[segment]
        length = int(self.rnd.uniform(*weeks) * WEEK)
        opp = Opp(
            self.ids["Opportunity"](),
            p,
            c.cycle,
            account.id,
            contact_id,
            owner,
            t,
            amount,
            lead.offer,
            lead.campaign,
            lead_source(lead.channel, lead.created),
            "Qualification",
            fmt_sf_date(self.bh(t, length)),
            last_modified=t,
        )
        lead.opp = opp
        self.opportunities.append(opp)
        history: list[tuple[int, str, int, str]] = [
            (t, "Qualification", amount, opp.expected_close)
        ]
        r = self.rnd.random()
        outcome = "won" if r < 0.42 else "lost" if r < 0.88 else "stalled"
        stop_after = self.rnd.choice((1, 1, 2, 2, 3)) if outcome != "won" else 4
        for k, (stage, share) in enumerate(
            (("Proposal/Price Quote", 0.35), ("Negotiation/Review", 0.7), ("Closed", 1.0)), start=1
        ):
            at_k = self.bh(t, int(length * share * self.rnd.uniform(0.8, 1.1)))
            at_k = max(at_k, history[-1][0] + 1)
            if at_k >= self.cutoff:
                break
            if k == stop_after:
                if outcome == "lost":
                    history.append((at_k, "Closed Lost", amount, fmt_sf_date(at_k)))
                    opp.loss_reason = self.rnd.choice(rules.LOSS_REASONS)
                break
            if stage == "Closed":
                history.append((at_k, "Closed Won", amount, fmt_sf_date(at_k)))
                break
            if stage == "Proposal/Price Quote":
                amount = int(round(amount * self.rnd.uniform(0.9, 1.1), -2))
            elif self.rnd.random() < 0.4:
                amount = int(round(amount * 0.95, -2))
            history.append((at_k, stage, amount, opp.expected_close))
        last_at, stage, amount, close = history[-1]
        opp.stage, opp.amount, opp.last_modified = stage, amount, last_at
        if stage.startswith("Closed"):
            opp.closed_at = last_at
            opp.won = stage == "Closed Won"
            opp.expected_close = close
            if opp.won:
                c.won_at = last_at
                account.customer = True
            else:
                c.lost_at = last_at
        account.last_modified = max(account.last_modified, last_at)
        for at_k, stage_k, amount_k, close_k in history:
            probability, forecast = rules.OPPORTUNITY_STAGES[stage_k]
            self.out["OpportunityHistory"].write(
                {
                    "Id": self.ids["OpportunityHistory"](),
                    "IsDeleted": "false",
                    "OpportunityId": opp.id,
                    "CreatedById": self.users[owner].id,
                    "CreatedDate": fmt_sf(at_k),
                    "StageName": stage_k,
                    "Amount": str(amount_k),
                    "ExpectedRevenue": str(round(amount_k * probability / 100)),
                    "CloseDate": close_k,
                    "Probability": str(probability),
                    "ForecastCategory": forecast,
                    "SystemModstamp": fmt_sf(at_k),
                }
            )
        # meetings on the opportunity, logged on the new contact
        end = opp.closed_at if opp.closed_at is not None else self.cutoff
        for _ in range(self.rnd.randint(1, 3)):
            at_k = self.bh(t, self.rnd.randint(60, max(length, 120)))
            if at_k < end:
                self.task(
                    lead,
                    at=at_k,
                    owner=owner,
                    subject="Rendez-vous de suivi",
                    subtype="Task",
                    kind="Meeting",
                    what=opp.id,
                )
        self._write_opportunity(opp)

    def _write_opportunity(self, opp: Opp) -> None:
        ctx = self.ctx
        probability, forecast = rules.OPPORTUNITY_STAGES[opp.stage]
        close = date.fromisoformat(opp.expected_close)
        quarter = (close.month - 1) // 3 + 1
        name = f"{ctx.orgs.name[int(ctx.people.org[opp.person])]} {DASH} {opp.offer}"
        owner = self.users[opp.owner].id
        self.out["Opportunity"].write(
            {
                "Id": opp.id,
                "IsDeleted": "false",
                "AccountId": opp.account,
                "Name": name,
                "StageName": opp.stage,
                "Amount": str(opp.amount),
                "Probability": str(probability),
                "ExpectedRevenue": str(round(opp.amount * probability / 100)),
                "CloseDate": opp.expected_close,
                "Type": "New Business",
                "LeadSource": opp.lead_source,
                "IsClosed": tf(opp.closed_at is not None),
                "IsWon": tf(bool(opp.won)),
                "ForecastCategory": forecast,
                "ForecastCategoryName": forecast,
                "CampaignId": ctx.book.campaigns[opp.campaign].id if opp.campaign >= 0 else "",
                "OwnerId": owner,
                "CreatedDate": fmt_sf(opp.created),
                "CreatedById": owner,
                "LastModifiedDate": fmt_sf(opp.last_modified),
                "LastModifiedById": owner,
                "SystemModstamp": fmt_sf(opp.last_modified),
                "FiscalQuarter": str(quarter),
                "FiscalYear": str(close.year),
                "ContactId": opp.contact,
                "Offer__c": opp.offer,
                "Loss_Reason__c": opp.loss_reason,
            }
        )
        if opp.campaign >= 0:
            s = self.campaign_stats.setdefault(opp.campaign, CampaignStats())
            s.opportunities += 1
            s.amount += opp.amount
            if opp.won:
                s.won += 1
                s.amount_won += opp.amount

    # --- writing a finished lead ---------------------------------------------------------

    def _write_task(self, task: dict[str, str | int], who: str, account: str) -> None:
        users = self.users
        at = int(task["at"])
        created = int(task["created"])
        completed = bool(task["completed"])
        subtype = str(task["subtype"])
        call = subtype == "Call" and completed
        self.out["Task"].write(
            {
                "Id": self.ids["Task"](),
                "IsDeleted": "false",
                "WhoId": who,
                "WhatId": str(task["what"]),
                "Subject": str(task["subject"]),
                "ActivityDate": fmt_sf_date(int(task["due"])),
                "Status": "Completed" if completed else "Not Started",
                "Priority": "Normal",
                "IsHighPriority": "false",
                "OwnerId": users[int(task["owner"])].id,
                "AccountId": account,
                "IsClosed": tf(completed),
                "CreatedDate": fmt_sf(created),
                "CreatedById": users[int(task["created_by"])].id,
                "LastModifiedDate": fmt_sf(max(created, at)),
                "LastModifiedById": users[int(task["created_by"])].id,
                "SystemModstamp": fmt_sf(max(created, at)),
                "CompletedDateTime": fmt_sf(at) if completed else "",
                "CallDurationInSeconds": str(self.rnd.randint(40, 1_500)) if call else "",
                "CallType": "Outbound" if call else "",
                "CallDisposition": self.rnd.choice(("Joint", "Joint", "Messagerie"))
                if call
                else "",
                "TaskSubtype": subtype,
                "Type": str(task["type"]),
            }
        )

    def finish(self, lead: LeadSim) -> None:
        """Write a lead whose story up to as_of is complete, with its history and tasks."""
        ctx = self.ctx
        people, orgs, users = ctx.people, ctx.orgs, self.users
        p = lead.person
        o = int(people.org[p])
        r = self.mess
        who = lead.contact_id or lead.id
        for task in sorted(lead.tasks, key=lambda x: (int(x["created"]), int(x["at"]))):
            self._write_task(task, who, lead.account_id)
        lead_history = self.out["LeadHistory"]
        for t, by, fld, kind, old, new in lead.history:
            lead_history.write(
                {
                    "Id": self.ids["LeadHistory"](),
                    "IsDeleted": "false",
                    "LeadId": lead.id,
                    "CreatedById": users[by].id,
                    "CreatedDate": fmt_sf(t),
                    "Field": fld,
                    "DataType": kind,
                    "OldValue": old,
                    "NewValue": new,
                }
            )
        for campaign, t in lead.members:
            converted = lead.contact_id != ""
            s = self.campaign_stats.setdefault(campaign, CampaignStats())
            s.leads += 1
            s.responses += 1
            s.converted += int(converted)
            self.out["CampaignMember"].write(
                {
                    "Id": self.ids["CampaignMember"](),
                    "IsDeleted": "false",
                    "CampaignId": ctx.book.campaigns[campaign].id,
                    "LeadId": lead.id,
                    "ContactId": lead.contact_id,
                    "Status": "Responded",
                    "HasResponded": "true",
                    "CreatedDate": fmt_sf(t),
                    "CreatedById": users[lead.creator].id,
                    "LastModifiedDate": fmt_sf(t),
                    "LastModifiedById": users[lead.creator].id,
                    "SystemModstamp": fmt_sf(t),
                    "FirstRespondedDate": fmt_sf_date(t),
                    "LeadOrContactId": lead.contact_id or lead.id,
                    "LeadOrContactOwnerId": users[lead.owner].id,
                    "Type": "Contact" if converted else "Lead",
                }
            )
        # the record as the sync (inbound) or the rep (outbound) filled it
        plan_index = int(self.plan.main_of_person[p])
        hubspot_id = ""
        if plan_index >= 0 and not lead.duplicate and r.random() > 0.03:
            hubspot_id = str(self.plan.record_id[plan_index])
        first, last = mess.name(people.first[p], people.last[p], r)
        email = self.email_of_lead(lead, r)
        phone = ""
        if not (lead.inbound and people.missing[p] == MISSING_PHONE) and r.random() > 0.03:
            phone = mess.phone(people.phone[p], orgs.country[o], r)
        employees = "" if lead.employees_missing else str(int(orgs.employees[o]))
        last_modified = max(
            lead.last, max((int(x["created"]) for x in lead.tasks), default=lead.created)
        )
        last_activity = max((int(x["at"]) for x in lead.tasks if x["completed"]), default=None)
        score = ""
        if lead.inbound:
            score = str(r.randint(60, 100))
        converted = lead.converted_at is not None
        self.out["Lead"].write(
            {
                "Id": lead.id,
                "IsDeleted": "false",
                "LastName": last,
                "FirstName": first,
                "Salutation": salutation(ctx, p),
                "Name": f"{first.strip()} {last.strip()}",
                "Title": people.title[p],
                "Company": mess.company(orgs.name[o], r),
                "City": orgs.city[o],
                "State": orgs.state[o],
                "PostalCode": orgs.postal[o],
                "Country": mess.country(orgs.country[o], r),
                "Phone": phone,
                "Email": email,
                "Website": f"www.{orgs.domain[o]}",
                "LeadSource": lead_source(lead.channel, lead.created),
                "Status": lead.status,
                "Industry": orgs.industry[o],
                "NumberOfEmployees": employees,
                "OwnerId": users[lead.owner].id,
                "HasOptedOutOfEmail": tf(r.random() < 0.03),
                "DoNotCall": "false",
                "IsConverted": tf(converted),
                "ConvertedDate": fmt_sf_date(lead.converted_at)
                if lead.converted_at is not None
                else "",
                "ConvertedAccountId": lead.account_id,
                "ConvertedContactId": lead.contact_id,
                "ConvertedOpportunityId": lead.opp.id if lead.opp else "",
                "IsUnreadByOwner": tf(lead.status == rules.ST_OPEN and r.random() < 0.5),
                "CreatedDate": fmt_sf(lead.created),
                "CreatedById": users[lead.creator].id,
                "LastModifiedDate": fmt_sf(last_modified),
                "LastModifiedById": users[lead.history[-1][1]].id,
                "SystemModstamp": fmt_sf(last_modified),
                "LastActivityDate": fmt_sf_date(last_activity) if last_activity else "",
                "Rejection_Reason__c": lead.reason,
                "Lead_Score__c": score,
                "Offer__c": lead.offer,
                "HubSpot_Record_ID__c": hubspot_id,
            }
        )
        if converted:
            self.contacts[-1].email = email or people.work_email[p]
            self.contacts[-1].last_modified = last_modified

    def email_of_lead(self, lead: LeadSim, r: random.Random) -> str:
        """Inbound leads get the e-mail of their HubSpot contact (the sync copies it);
        reps type the others."""
        people = self.ctx.people
        p = lead.person
        if lead.duplicate:
            x = r.random()
            if x < 0.05:
                return mess.email_typo(people.work_email[p], r)
            return people.personal_email[p] if x < 0.4 else people.work_email[p]
        if lead.inbound:
            return self.plan.email[int(self.plan.main_of_person[p])]
        return self.plan.outbound_email[p]
