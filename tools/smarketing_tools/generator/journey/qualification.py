"""One funnel cycle from its first touch: working, then accepted (SAL), qualified (SQL) and
converted, or rejected with a reason, or sent back to nurturing; and the duplicate lead
found and rejected.
"""

from __future__ import annotations

from smarketing_tools.generator import rules
from smarketing_tools.generator.journey.handoff import first_touch, handoff_tasks
from smarketing_tools.generator.journey.nurture import requalify
from smarketing_tools.generator.journey.opportunity import convert
from smarketing_tools.generator.journey.records import Cycle, LeadSim
from smarketing_tools.generator.journey.state import JourneyState
from smarketing_tools.generator.population import KIND_CUSTOMER


def reject_duplicate(j: JourneyState, lead: LeadSim) -> None:
    """A second lead for a known person: found and rejected as a duplicate."""
    td = j.bh(lead.created, j.rnd.randint(60, 5_000))
    if td < j.cutoff and j.rnd.random() < 0.9:
        t = j.set_status(lead, td, rules.ST_UNQUALIFIED, lead.owner)
        j.set_reason(lead, t, "Doublon", lead.owner)


def play_cycle(j: JourneyState, lead: LeadSim, c: Cycle) -> int | None:
    """Plays one cycle from its start; returns the start of the next cycle, if any."""
    people = j.ctx.people
    p = lead.person
    start = c.handoff_at if c.handoff_at is not None else lead.created
    if c.handoff_at is not None:
        handoff_tasks(j, lead, start)
    touch = first_touch(j, lead, start, prospecting=c.handoff_at is None)
    if touch is None or touch >= j.cutoff:
        return None
    j.ensure_owner(lead, touch)
    toucher = lead.owner
    if j.rnd.random() < 0.08:
        toucher = j.pick_any(rules.TEAM_SDR, touch)
    kind = j.rnd.choices(("call", "email", "meeting"), (0.6, 0.3, 0.1))[0]
    j.touch_task(lead, touch, toucher, kind)
    lead.touch_kind = lead.touch_kind if lead.touch_kind in ("call", "meeting") else kind
    c.first_touch_at = touch
    working = touch + j.rnd.randint(0, 25)
    if working >= j.cutoff:
        return None
    j.set_status(lead, working, rules.ST_WORKING, toucher)

    forced = ""
    if people.kind[p] == KIND_CUSTOMER:
        forced = "Doublon"
    elif people.title[p].startswith("Étudiant"):
        forced = "Hors cible"
    r = j.rnd.random()
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
    decided = j.bh(touch, j.rnd.randint(30, 4_500))
    follow_ups = sorted(
        j.bh(touch, j.rnd.randint(30, 4_000)) for _ in range(j.rnd.choice((0, 0, 1, 1, 2, 3)))
    )
    for at in follow_ups:
        if at < min(decided, j.cutoff):
            j.ensure_owner(lead, at)
            j.touch_task(lead, at, lead.owner, j.rnd.choice(("call", "email")))
    if outcome == "none" or decided >= j.cutoff:
        return None
    j.ensure_owner(lead, decided)
    owner = lead.owner
    if outcome == "rejected":
        reason = (
            forced
            or j.rnd.choices(("Hors cible", "Coordonnées erronées", "Doublon"), (0.55, 0.3, 0.15))[
                0
            ]
        )
        t = j.set_status(lead, decided, rules.ST_UNQUALIFIED, owner)
        j.set_reason(lead, t, reason, owner)
        decide(j, c, t, "rejected", reason, disqualify=True)
        return None
    if outcome == "recycled":
        reason = j.rnd.choice(("Pas de budget", "Pas de projet"))
        t = j.set_status(lead, decided, rules.ST_NURTURING, owner)
        j.set_reason(lead, t, reason, owner)
        decide(j, c, t, "recycled", reason, disqualify=True)
        return requalify(j, lead, c, t)
    t = j.set_status(lead, decided, rules.ST_ACCEPTED, owner)
    c.sal_at = t
    decide(j, c, t, "accepted", "", disqualify=False)
    r = j.rnd.random()
    if r < 0.70:
        ts = j.bh(t, j.rnd.randint(240, 9_000))
        if ts >= j.cutoff:
            return None
        j.ensure_owner(lead, ts)
        ts = j.set_status(lead, ts, rules.ST_QUALIFIED, lead.owner)
        c.sql_at = ts
        if j.rnd.random() < 0.85:
            tc = j.bh(ts, j.rnd.randint(30, 2_400))
            if tc < j.cutoff:
                convert(j, lead, c, tc)
        return None
    if r < 0.82:
        tn = j.bh(t, j.rnd.randint(600, 15_000))
        if tn >= j.cutoff:
            return None
        j.ensure_owner(lead, tn)
        reason = j.rnd.choice(("Pas de budget", "Pas de projet"))
        tn = j.set_status(lead, tn, rules.ST_NURTURING, lead.owner)
        j.set_reason(lead, tn, reason, lead.owner)
        c.disqualified_at = tn
        c.reason = rules.REJECTION_REASONS[reason][1]
        return requalify(j, lead, c, tn)
    return None


def decide(j: JourneyState, c: Cycle, t: int, decision: str, reason: str, disqualify: bool) -> None:
    c.decision = decision
    c.decision_at = t
    if disqualify:
        c.disqualified_at = t
        c.reason = rules.REJECTION_REASONS[reason][1]
