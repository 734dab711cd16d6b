"""Existing customers: their accounts and contacts exist before any lead, with a few
account-management calls.
"""

from __future__ import annotations

from datetime import date

from smarketing_tools.generator import clock, rules
from smarketing_tools.generator.journey.export import write_task
from smarketing_tools.generator.journey.state import JourneyState
from smarketing_tools.generator.population import KIND_CUSTOMER
from smarketing_tools.generator.salesforce import AccountRec, ContactRec, lead_source


def customer_accounts(j: JourneyState) -> None:
    ctx = j.ctx
    orgs = ctx.orgs
    for o in range(orgs.n):
        if orgs.is_customer[o]:
            since = int(orgs.customer_since[o])
            owner = j.pick_any(j.expected_team_org(o), since)
            j.accounts[o] = AccountRec(
                j.ids["Account"](), o, since, owner, owner, "Trade Show", True, since
            )


def customer_contacts(j: JourneyState) -> None:
    """Contacts of existing customers, with a few account-management tasks."""
    ctx = j.ctx
    people = ctx.people
    order = sorted(
        (int(people.contact_created[p]), p)
        for p in range(people.n)
        if people.kind[p] == KIND_CUSTOMER
    )
    for created, p in order:
        account = j.accounts[int(people.org[p])]
        cid = j.ids["Contact"]()
        j.customer_contact[p] = cid
        channel = rules.CHANNELS[int(people.contact_channel[p])]
        j.contacts.append(
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
        for _ in range(j.rnd.choice((0, 1, 1, 2))):
            day = j.rnd.randint(ctx.window.first_day.toordinal(), ctx.window.as_of.toordinal() - 1)
            at = j.bh(clock.from_date(date.fromordinal(day), 8, 0), j.rnd.randint(0, 540))
            if at < j.cutoff and at > created:
                owner = (
                    account.owner
                    if j.users[account.owner].active(at)
                    else j.pick_any(j.users[account.owner].team, at)
                )
                write_task(
                    j,
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
