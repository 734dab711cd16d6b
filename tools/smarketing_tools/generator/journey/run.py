"""The journey: every lead of the dataset, played in creation order."""

from __future__ import annotations

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.journey.customers import customer_accounts, customer_contacts
from smarketing_tools.generator.journey.export import finish
from smarketing_tools.generator.journey.qualification import play_cycle, reject_duplicate
from smarketing_tools.generator.journey.records import Cycle, LeadSim, Sales
from smarketing_tools.generator.journey.state import JourneyState
from smarketing_tools.generator.population import KIND_OUTBOUND
from smarketing_tools.generator.salesforce import (
    CAMPAIGN_MEMBER_COLUMNS,
    LEAD_COLUMNS,
    LEAD_HISTORY_COLUMNS,
    OPPORTUNITY_COLUMNS,
    OPPORTUNITY_HISTORY_COLUMNS,
    TASK_COLUMNS,
    writer,
)


class Journey(JourneyState):
    """Every lead played in creation order, from hand-off (or prospecting) to its last
    move before as_of."""

    def run(self) -> None:
        ctx = self.ctx
        people = ctx.people
        customer_accounts(self)
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
        customer_contacts(self)
        total = len(starts)
        for done, (t, p, dup) in enumerate(starts):
            self.simulate(p, t, bool(dup))
            if done % 2_000 == 0:
                ctx.progress("salesforce leads", done, total)
        ctx.progress("salesforce leads", total, total)
        for name, out in self.out.items():
            self.counts[name] = out.rows
            out.close()

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
            reject_duplicate(self, lead)
            finish(self, lead)
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
            again = play_cycle(self, lead, cycle)
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
        finish(self, lead)
