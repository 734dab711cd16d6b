"""Writing a finished lead (its Lead row, history, tasks and campaign memberships) as soon as
its story up to as_of is known, so memory stays bounded.
"""

from __future__ import annotations

import random

from smarketing_tools.generator import mess, rules
from smarketing_tools.generator.clock import fmt_sf, fmt_sf_date
from smarketing_tools.generator.journey.records import LeadSim
from smarketing_tools.generator.journey.state import JourneyState
from smarketing_tools.generator.population import MISSING_PHONE
from smarketing_tools.generator.salesforce import CampaignStats, lead_source, salutation, tf


def write_task(j: JourneyState, task: dict[str, str | int], who: str, account: str) -> None:
    users = j.users
    at = int(task["at"])
    created = int(task["created"])
    completed = bool(task["completed"])
    subtype = str(task["subtype"])
    call = subtype == "Call" and completed
    j.out["Task"].write(
        {
            "Id": j.ids["Task"](),
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
            "CallDurationInSeconds": str(j.rnd.randint(40, 1_500)) if call else "",
            "CallType": "Outbound" if call else "",
            "CallDisposition": j.rnd.choice(("Joint", "Joint", "Messagerie")) if call else "",
            "TaskSubtype": subtype,
            "Type": str(task["type"]),
        }
    )


def finish(j: JourneyState, lead: LeadSim) -> None:
    """Write a lead whose story up to as_of is complete, with its history and tasks."""
    ctx = j.ctx
    people, orgs, users = ctx.people, ctx.orgs, j.users
    p = lead.person
    o = int(people.org[p])
    r = j.mess
    who = lead.contact_id or lead.id
    for task in sorted(lead.tasks, key=lambda x: (int(x["created"]), int(x["at"]))):
        write_task(j, task, who, lead.account_id)
    lead_history = j.out["LeadHistory"]
    for t, by, fld, kind, old, new in lead.history:
        lead_history.write(
            {
                "Id": j.ids["LeadHistory"](),
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
        s = j.campaign_stats.setdefault(campaign, CampaignStats())
        s.leads += 1
        s.responses += 1
        s.converted += int(converted)
        j.out["CampaignMember"].write(
            {
                "Id": j.ids["CampaignMember"](),
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
    plan_index = int(j.plan.main_of_person[p])
    hubspot_id = ""
    if plan_index >= 0 and not lead.duplicate and r.random() > 0.03:
        hubspot_id = str(j.plan.record_id[plan_index])
    first, last = mess.name(people.first[p], people.last[p], r)
    email = email_of_lead(j, lead, r)
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
    j.out["Lead"].write(
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
        j.contacts[-1].email = email or people.work_email[p]
        j.contacts[-1].last_modified = last_modified


def email_of_lead(j: JourneyState, lead: LeadSim, r: random.Random) -> str:
    """Inbound leads get the e-mail of their HubSpot contact (the sync copies it);
    reps type the others."""
    people = j.ctx.people
    p = lead.person
    if lead.duplicate:
        x = r.random()
        if x < 0.05:
            return mess.email_typo(people.work_email[p], r)
        return people.personal_email[p] if x < 0.4 else people.work_email[p]
    if lead.inbound:
        return j.plan.email[int(j.plan.main_of_person[p])]
    return j.plan.outbound_email[p]
