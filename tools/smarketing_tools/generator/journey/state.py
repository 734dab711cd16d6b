"""The journey's shared state, and the moves every stage makes on a lead: time in business
hours, routing, history entries and tasks.

All stages draw from the same two random streams, in the order the leads are played:
that order is what makes the same seed give the same bytes.
"""

from __future__ import annotations

import random

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.contacts_plan import ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import DictRows
from smarketing_tools.generator.ids import IdSequence
from smarketing_tools.generator.journey.records import Cycle, LeadSim, Opp, Sales
from smarketing_tools.generator.salesforce import AccountRec, CampaignStats, ContactRec
from smarketing_tools.generator.scales import STREAM_JOURNEY


class JourneyState:
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
        # the Salesforce exports, open while the leads are played (Journey.run)
        self.out: dict[str, DictRows] = {}

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

    def expected_team_org(self, o: int) -> str:
        orgs = self.ctx.orgs
        return rules.expected_team(orgs.country[o], int(orgs.employees[o]), orgs.state[o])

    def pick(self, team: str, t: int) -> int:
        return self.rnd.choice(self.ctx.staff.active_in(team, t))

    def pick_any(self, team: str, t: int) -> int:
        """A member of ``team`` at ``t``, or any member for dates before the team existed."""
        active = self.ctx.staff.active_in(team, t)
        return self.rnd.choice(active or self.ctx.staff.teams[team])

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
