"""Ground truth files (out_dir/truth/): what the warehouse must rebuild from the exports."""

from __future__ import annotations

import json
from pathlib import Path

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.business_hours import business_hours_between
from smarketing_tools.generator.clock import fmt_iso
from smarketing_tools.generator.contacts_plan import ContactPlan
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import truth_csv
from smarketing_tools.generator.journey import Cycle, Journey

CYCLE_COLUMNS = [
    "person_id",
    "cycle",
    "created_at",
    "mql_at",
    "sal_at",
    "sql_at",
    "opportunity_at",
    "won_at",
    "lost_at",
    "disqualified_at",
    "disqualification_reason",
    "handoff_at",
    "owner_id",
    "first_touch_at",
]
SLA_COLUMNS = [
    "person_id",
    "cycle",
    "handoff_at",
    "owner_id",
    "owner_team",
    "expected_team",
    "routed_correctly",
    "first_touch_at",
    "business_hours_to_first_touch",
    "calendar_hours_to_first_touch",
    "outcome",
    "decision_at",
    "decision",
]
PEOPLE_COLUMNS = [
    "person_id",
    "first_name",
    "last_name",
    "work_email",
    "personal_email",
    "phone_e164",
    "company",
    "country",
    "region",
    "employee_count",
    "segment",
    "industry",
    "channel",
    "offer",
    "campaign",
]


def person_id(p: int) -> str:
    return f"P{p + 1:07d}"


def _t(m: int | None) -> str:
    return "" if m is None else fmt_iso(m)


def _hours(value: float) -> str:
    return f"{value:.2f}"


def sla_outcome(handoff: int, touch: int | None, cutoff: int) -> tuple[str, str, str]:
    """(outcome, business hours, calendar hours) of a hand-off, as of ``cutoff``."""
    start = clock.to_datetime(handoff)
    if touch is not None:
        business = business_hours_between(start, clock.to_datetime(touch))
        outcome = "met" if business <= rules.SLA_BUSINESS_HOURS else "breached"
        return outcome, _hours(business), _hours((touch - handoff) / 60)
    elapsed = business_hours_between(start, clock.to_datetime(cutoff))
    return ("breached_open" if elapsed > rules.SLA_BUSINESS_HOURS else "pending"), "", ""


def write_truth(
    ctx: Context, plan: ContactPlan, journey: Journey, counts: dict[str, int]
) -> dict[str, int]:
    folder = ctx.truth
    folder.mkdir(parents=True, exist_ok=True)
    people, orgs, users = ctx.people, ctx.orgs, journey.users
    written: dict[str, int] = {}

    def done(name: str, rows: int) -> None:
        written[f"truth/{name}"] = rows

    # every person-like record of the exports
    records: list[tuple[str, str, str, str]] = []
    for p, ids in journey.lead_ids.items():
        records.extend(("salesforce", "lead", lead_id, person_id(p)) for lead_id in ids)
    records.extend(("salesforce", "contact", c.id, person_id(c.person)) for c in journey.contacts)
    records.extend(
        ("hubspot", "contact", str(int(plan.record_id[i])), person_id(int(plan.person[i])))
        for i in range(plan.n)
    )
    records.sort()
    out = truth_csv(
        folder / "source_records.csv",
        ["source_system", "source_entity", "source_record_id", "person_id"],
    )
    for row in records:
        out.write(list(row))
    out.close()
    done("source_records.csv", out.rows)

    out = truth_csv(folder / "people.csv", PEOPLE_COLUMNS)
    campaigns = ctx.book.campaigns
    for p in range(people.n):
        o = int(people.org[p])
        camp = int(people.campaign[p])
        channel = int(people.channel[p])
        out.write(
            [
                person_id(p),
                people.first[p],
                people.last[p],
                people.work_email[p],
                people.personal_email[p],
                people.phone[p],
                orgs.name[o],
                orgs.country[o],
                orgs.region[o],
                str(int(orgs.employees[o])),
                orgs.segment[o],
                orgs.industry[o],
                rules.CHANNELS[channel] if channel >= 0 else "",
                campaigns[camp].offer if camp >= 0 else "",
                campaigns[camp].id if camp >= 0 else "",
            ]
        )
    out.close()
    done("people.csv", out.rows)

    cycles_out = truth_csv(folder / "lead_cycles.csv", CYCLE_COLUMNS)
    sla_out = truth_csv(folder / "sla_outcomes.csv", SLA_COLUMNS)
    for p in range(people.n):
        if p % 50_000 == 0:
            ctx.progress("truth", p, people.n)
        cycles = journey.cycles.get(p)
        if cycles is None:
            if not people.inbound[p]:
                continue
            mql = int(people.mql[p])
            cycles = [Cycle(p, 1, int(people.created[p]), mql_at=mql if mql >= 0 else None)]
        for c in cycles:
            owner = users[c.owner].id if c.owner is not None else ""
            cycles_out.write(
                [
                    person_id(p),
                    str(c.cycle),
                    _t(c.created_at),
                    _t(c.mql_at),
                    _t(c.sal_at),
                    _t(c.sql_at),
                    _t(c.opportunity_at),
                    _t(c.won_at),
                    _t(c.lost_at),
                    _t(c.disqualified_at),
                    c.reason,
                    _t(c.handoff_at),
                    owner,
                    _t(c.first_touch_at),
                ]
            )
            if c.handoff_at is None or c.owner is None:
                continue
            outcome, business, calendar = sla_outcome(
                c.handoff_at, c.first_touch_at, ctx.window.cutoff
            )
            team = users[c.owner].team
            sla_out.write(
                [
                    person_id(p),
                    str(c.cycle),
                    _t(c.handoff_at),
                    owner,
                    team,
                    c.expected_team,
                    "true" if team == c.expected_team else "false",
                    _t(c.first_touch_at),
                    business,
                    calendar,
                    outcome,
                    _t(c.decision_at),
                    c.decision,
                ]
            )
    cycles_out.close()
    sla_out.close()
    done("lead_cycles.csv", cycles_out.rows)
    done("sla_outcomes.csv", sla_out.rows)

    out = truth_csv(
        folder / "opportunities.csv",
        [
            "opportunity_id",
            "person_id",
            "cycle",
            "amount",
            "offer",
            "created_at",
            "closed_at",
            "won",
        ],
    )
    for opp in journey.opportunities:
        out.write(
            [
                opp.id,
                person_id(opp.person),
                str(opp.cycle),
                str(opp.amount),
                opp.offer,
                _t(opp.created),
                _t(opp.closed_at),
                "" if opp.won is None else ("true" if opp.won else "false"),
            ]
        )
    out.close()
    done("opportunities.csv", out.rows)

    out = truth_csv(
        folder / "channel_mapping.csv",
        ["source_system", "field", "value", "drill_down_1", "channel"],
    )
    for code, drill, mapped in rules.HUBSPOT_SOURCE_CHANNEL:
        out.write(["hubspot", "original_source", code, drill, mapped])
    for value, mapped in rules.LEADSOURCE_CHANNEL.items():
        out.write(["salesforce", "LeadSource", value, "", mapped])
    out.close()
    done("channel_mapping.csv", out.rows)

    manifest = {
        "scale": ctx.scale.name,
        "seed": ctx.seed,
        "data_version": rules.DATA_VERSION,
        "as_of": ctx.window.as_of.isoformat(),
        "history_start": fmt_iso(ctx.window.start),
        "cutoff": fmt_iso(ctx.window.cutoff),
        "counts": dict(sorted({**counts, **written}.items())),
        "rules": rules.rules_manifest(),
    }
    path: Path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written
