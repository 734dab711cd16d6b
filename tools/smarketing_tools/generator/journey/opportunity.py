"""Conversion: the account, contact and opportunity a qualified lead becomes, its stages up
to won or lost, and its Opportunity and OpportunityHistory rows.
"""

from __future__ import annotations

from datetime import date

from smarketing_tools.generator import rules
from smarketing_tools.generator.clock import fmt_sf, fmt_sf_date
from smarketing_tools.generator.journey.records import Cycle, LeadSim, Opp
from smarketing_tools.generator.journey.state import JourneyState
from smarketing_tools.generator.reference import DASH
from smarketing_tools.generator.salesforce import (
    AccountRec,
    CampaignStats,
    ContactRec,
    lead_source,
    tf,
)

WEEK = 5 * 9 * 60  # business minutes in a working week


def convert(j: JourneyState, lead: LeadSim, c: Cycle, at: int) -> None:
    ctx = j.ctx
    p = lead.person
    o = int(ctx.people.org[p])
    j.ensure_owner(lead, at)
    owner = lead.owner
    t = j.set_status(lead, at, rules.ST_CONVERTED, owner)
    j.hist(lead, t, owner, "leadConverted", "", "", "")
    account = j.accounts.get(o)
    if account is None:
        account = AccountRec(
            j.ids["Account"](),
            o,
            t,
            owner,
            owner,
            rules.CHANNEL_LEADSOURCE[lead.channel],
            False,
            t,
        )
        j.accounts[o] = account
    contact_id = j.ids["Contact"]()
    # e-mail and last change are those of the lead, known when it is written
    j.contacts.append(
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
    amount = int(round(amount * j.rnd.lognormvariate(0, 0.3), -2))
    weeks = {"smb": (2, 8), "mid_market": (4, 16), "enterprise": (12, 36)}[segment]
    length = int(j.rnd.uniform(*weeks) * WEEK)
    opp = Opp(
        j.ids["Opportunity"](),
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
        fmt_sf_date(j.bh(t, length)),
        last_modified=t,
    )
    lead.opp = opp
    j.opportunities.append(opp)
    history: list[tuple[int, str, int, str]] = [(t, "Qualification", amount, opp.expected_close)]
    r = j.rnd.random()
    outcome = "won" if r < 0.42 else "lost" if r < 0.88 else "stalled"
    stop_after = j.rnd.choice((1, 1, 2, 2, 3)) if outcome != "won" else 4
    for k, (stage, share) in enumerate(
        (("Proposal/Price Quote", 0.35), ("Negotiation/Review", 0.7), ("Closed", 1.0)), start=1
    ):
        at_k = j.bh(t, int(length * share * j.rnd.uniform(0.8, 1.1)))
        at_k = max(at_k, history[-1][0] + 1)
        if at_k >= j.cutoff:
            break
        if k == stop_after:
            if outcome == "lost":
                history.append((at_k, "Closed Lost", amount, fmt_sf_date(at_k)))
                opp.loss_reason = j.rnd.choice(rules.LOSS_REASONS)
            break
        if stage == "Closed":
            history.append((at_k, "Closed Won", amount, fmt_sf_date(at_k)))
            break
        if stage == "Proposal/Price Quote":
            amount = int(round(amount * j.rnd.uniform(0.9, 1.1), -2))
        elif j.rnd.random() < 0.4:
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
        j.out["OpportunityHistory"].write(
            {
                "Id": j.ids["OpportunityHistory"](),
                "IsDeleted": "false",
                "OpportunityId": opp.id,
                "CreatedById": j.users[owner].id,
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
    end = opp.closed_at if opp.closed_at is not None else j.cutoff
    for _ in range(j.rnd.randint(1, 3)):
        at_k = j.bh(t, j.rnd.randint(60, max(length, 120)))
        if at_k < end:
            j.task(
                lead,
                at=at_k,
                owner=owner,
                subject="Rendez-vous de suivi",
                subtype="Task",
                kind="Meeting",
                what=opp.id,
            )
    write_opportunity(j, opp)


def write_opportunity(j: JourneyState, opp: Opp) -> None:
    ctx = j.ctx
    probability, forecast = rules.OPPORTUNITY_STAGES[opp.stage]
    close = date.fromisoformat(opp.expected_close)
    quarter = (close.month - 1) // 3 + 1
    name = f"{ctx.orgs.name[int(ctx.people.org[opp.person])]} {DASH} {opp.offer}"
    owner = j.users[opp.owner].id
    j.out["Opportunity"].write(
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
        s = j.campaign_stats.setdefault(opp.campaign, CampaignStats())
        s.opportunities += 1
        s.amount += opp.amount
        if opp.won:
            s.won += 1
            s.amount_won += opp.amount
