"""Salesforce objects as Data Loader exports them: columns and row builders."""

from __future__ import annotations

import random
from dataclasses import dataclass

from smarketing_tools.generator import clock, mess, rules
from smarketing_tools.generator.campaigns import campaign_status
from smarketing_tools.generator.clock import fmt_sf
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import DictRows, salesforce_csv

USER_COLUMNS = [
    "Id",
    "Username",
    "FirstName",
    "LastName",
    "Name",
    "Email",
    "IsActive",
    "UserRoleId",
    "ProfileId",
    "Title",
    "Department",
    "Division",
    "ManagerId",
    "TimeZoneSidKey",
    "LanguageLocaleKey",
    "CreatedDate",
    "LastModifiedDate",
    "Team__c",
    "Region__c",
]
ACCOUNT_COLUMNS = [
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "Name",
    "Type",
    "ParentId",
    "BillingStreet",
    "BillingCity",
    "BillingState",
    "BillingPostalCode",
    "BillingCountry",
    "Phone",
    "Website",
    "Industry",
    "AnnualRevenue",
    "NumberOfEmployees",
    "Ownership",
    "Rating",
    "Description",
    "OwnerId",
    "AccountSource",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "Segment__c",
]
CONTACT_COLUMNS = [
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "AccountId",
    "LastName",
    "FirstName",
    "Salutation",
    "Name",
    "MailingStreet",
    "MailingCity",
    "MailingState",
    "MailingPostalCode",
    "MailingCountry",
    "Phone",
    "MobilePhone",
    "Email",
    "Title",
    "Department",
    "ReportsToId",
    "LeadSource",
    "OwnerId",
    "HasOptedOutOfEmail",
    "DoNotCall",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "EmailBouncedReason",
    "EmailBouncedDate",
    "IsEmailBounced",
]
LEAD_COLUMNS = [
    "Id",
    "IsDeleted",
    "MasterRecordId",
    "LastName",
    "FirstName",
    "Salutation",
    "Name",
    "Title",
    "Company",
    "Street",
    "City",
    "State",
    "PostalCode",
    "Country",
    "Phone",
    "MobilePhone",
    "Email",
    "Website",
    "Description",
    "LeadSource",
    "Status",
    "Industry",
    "Rating",
    "AnnualRevenue",
    "NumberOfEmployees",
    "OwnerId",
    "HasOptedOutOfEmail",
    "DoNotCall",
    "IsConverted",
    "ConvertedDate",
    "ConvertedAccountId",
    "ConvertedContactId",
    "ConvertedOpportunityId",
    "IsUnreadByOwner",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "EmailBouncedReason",
    "EmailBouncedDate",
    "Rejection_Reason__c",
    "Lead_Score__c",
    "Offer__c",
    "HubSpot_Record_ID__c",
]
LEAD_HISTORY_COLUMNS = [
    "Id",
    "IsDeleted",
    "LeadId",
    "CreatedById",
    "CreatedDate",
    "Field",
    "DataType",
    "OldValue",
    "NewValue",
]
TASK_COLUMNS = [
    "Id",
    "IsDeleted",
    "WhoId",
    "WhatId",
    "Subject",
    "ActivityDate",
    "Status",
    "Priority",
    "IsHighPriority",
    "OwnerId",
    "Description",
    "AccountId",
    "IsClosed",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "CompletedDateTime",
    "CallDurationInSeconds",
    "CallType",
    "CallDisposition",
    "TaskSubtype",
    "Type",
]
OPPORTUNITY_COLUMNS = [
    "Id",
    "IsDeleted",
    "AccountId",
    "Name",
    "Description",
    "StageName",
    "Amount",
    "Probability",
    "ExpectedRevenue",
    "CloseDate",
    "Type",
    "NextStep",
    "LeadSource",
    "IsClosed",
    "IsWon",
    "ForecastCategory",
    "ForecastCategoryName",
    "CampaignId",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "FiscalQuarter",
    "FiscalYear",
    "ContactId",
    "Offer__c",
    "Loss_Reason__c",
]
OPPORTUNITY_HISTORY_COLUMNS = [
    "Id",
    "IsDeleted",
    "OpportunityId",
    "CreatedById",
    "CreatedDate",
    "StageName",
    "Amount",
    "ExpectedRevenue",
    "CloseDate",
    "Probability",
    "ForecastCategory",
    "SystemModstamp",
]
CAMPAIGN_COLUMNS = [
    "Id",
    "IsDeleted",
    "Name",
    "ParentId",
    "Type",
    "Status",
    "StartDate",
    "EndDate",
    "ExpectedRevenue",
    "BudgetedCost",
    "ActualCost",
    "ExpectedResponse",
    "NumberSent",
    "IsActive",
    "Description",
    "NumberOfLeads",
    "NumberOfConvertedLeads",
    "NumberOfContacts",
    "NumberOfResponses",
    "NumberOfOpportunities",
    "NumberOfWonOpportunities",
    "AmountAllOpportunities",
    "AmountWonOpportunities",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "Channel__c",
    "Offer__c",
]
CAMPAIGN_MEMBER_COLUMNS = [
    "Id",
    "IsDeleted",
    "CampaignId",
    "LeadId",
    "ContactId",
    "Status",
    "HasResponded",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "FirstRespondedDate",
    "LeadOrContactId",
    "LeadOrContactOwnerId",
    "Type",
]

SEGMENT_LABEL = {"smb": "SMB", "mid_market": "Mid-Market", "enterprise": "Enterprise"}


def tf(value: bool) -> str:
    return "true" if value else "false"


def writer(ctx: Context, sobject: str, columns: list[str]) -> DictRows:
    return DictRows(salesforce_csv(ctx.inbox / "salesforce" / f"{sobject}.csv", columns))


def lead_source(channel: str, created: int) -> str:
    """The LeadSource picklist value of a channel at a time (legacy values before the
    clean-up)."""
    if clock.local_date(created) < rules.LEADSOURCE_CLEANUP and channel in rules.LEGACY_LEADSOURCE:
        return rules.LEGACY_LEADSOURCE[channel]
    return rules.CHANNEL_LEADSOURCE[channel]


@dataclass
class AccountRec:
    id: str
    org: int
    created: int
    owner: int
    created_by: int
    source: str
    customer: bool
    last_modified: int


@dataclass
class ContactRec:
    id: str
    person: int
    account: str
    created: int
    owner: int
    created_by: int
    lead_source: str
    email: str
    last_modified: int


def person_name(ctx: Context, p: int, r: random.Random) -> tuple[str, str]:
    return mess.name(ctx.people.first[p], ctx.people.last[p], r)


def salutation(ctx: Context, p: int) -> str:
    return "Mme" if ctx.people.female[p] else "M."


def write_users(ctx: Context) -> int:
    out = writer(ctx, "User", USER_COLUMNS)
    for u in ctx.staff.users:
        last_modified = u.left_at if u.left_at is not None else u.created
        out.write(
            {
                "Id": u.id,
                "Username": u.username,
                "FirstName": u.first,
                "LastName": u.last,
                "Name": u.name,
                "Email": u.username,
                "IsActive": tf(u.left_at is None),
                "UserRoleId": u.role,
                "ProfileId": u.profile,
                "Title": u.title,
                "Department": u.department,
                "Division": "France",
                "ManagerId": ctx.staff.users[u.manager].id if u.manager >= 0 else "",
                "TimeZoneSidKey": "Europe/Paris",
                "LanguageLocaleKey": "fr",
                "CreatedDate": fmt_sf(u.created),
                "LastModifiedDate": fmt_sf(last_modified),
                "Team__c": u.team,
                "Region__c": u.region,
            }
        )
    out.close()
    return out.rows


def write_accounts(ctx: Context, accounts: list[AccountRec], r: random.Random) -> int:
    out = writer(ctx, "Account", ACCOUNT_COLUMNS)
    orgs, users = ctx.orgs, ctx.staff.users
    for a in accounts:
        o = a.org
        employees = int(orgs.employees[o])
        out.write(
            {
                "Id": a.id,
                "IsDeleted": "false",
                "Name": mess.company(orgs.name[o], r),
                "Type": "Customer" if a.customer else "Prospect",
                "BillingCity": orgs.city[o],
                "BillingState": orgs.state[o],
                "BillingPostalCode": orgs.postal[o],
                "BillingCountry": mess.country(orgs.country[o], r),
                "Phone": mess.phone(orgs.phone[o], orgs.country[o], r),
                "Website": f"www.{orgs.domain[o]}",
                "Industry": orgs.industry[o],
                "NumberOfEmployees": "" if r.random() < 0.03 else str(employees),
                "OwnerId": users[a.owner].id,
                "AccountSource": a.source,
                "CreatedDate": fmt_sf(a.created),
                "CreatedById": users[a.created_by].id,
                "LastModifiedDate": fmt_sf(a.last_modified),
                "LastModifiedById": users[a.owner].id,
                "SystemModstamp": fmt_sf(a.last_modified),
                "Segment__c": SEGMENT_LABEL[rules.segment_of(employees)],
            }
        )
    out.close()
    return out.rows


def write_contacts(ctx: Context, contacts: list[ContactRec], r: random.Random) -> int:
    out = writer(ctx, "Contact", CONTACT_COLUMNS)
    people, orgs, users = ctx.people, ctx.orgs, ctx.staff.users
    for c in contacts:
        p = c.person
        o = int(people.org[p])
        first, last = person_name(ctx, p, r)
        has_phone = r.random() > 0.04
        out.write(
            {
                "Id": c.id,
                "IsDeleted": "false",
                "AccountId": c.account,
                "LastName": last,
                "FirstName": first,
                "Salutation": salutation(ctx, p),
                "Name": f"{first} {last}",
                "MailingCity": orgs.city[o],
                "MailingState": orgs.state[o],
                "MailingPostalCode": orgs.postal[o],
                "MailingCountry": mess.country(orgs.country[o], r),
                "Phone": mess.phone(orgs.phone[o], orgs.country[o], r) if has_phone else "",
                "MobilePhone": mess.phone(people.phone[p], orgs.country[o], r)
                if r.random() < 0.7
                else "",
                "Email": c.email,
                "Title": people.title[p],
                "LeadSource": c.lead_source,
                "OwnerId": users[c.owner].id,
                "HasOptedOutOfEmail": tf(r.random() < 0.03),
                "DoNotCall": "false",
                "CreatedDate": fmt_sf(c.created),
                "CreatedById": users[c.created_by].id,
                "LastModifiedDate": fmt_sf(c.last_modified),
                "LastModifiedById": users[c.owner].id,
                "SystemModstamp": fmt_sf(c.last_modified),
                "IsEmailBounced": "false",
            }
        )
    out.close()
    return out.rows


@dataclass
class CampaignStats:
    leads: int = 0
    converted: int = 0
    contacts: int = 0
    responses: int = 0
    opportunities: int = 0
    won: int = 0
    amount: int = 0
    amount_won: int = 0


def write_campaigns(ctx: Context, stats: dict[int, CampaignStats]) -> int:
    out = writer(ctx, "Campaign", CAMPAIGN_COLUMNS)
    owner = ctx.staff.users[ctx.staff.marketing]
    for c in ctx.book.campaigns:
        s = stats.get(c.index, CampaignStats())
        created = clock.from_date(c.start, 9, 30) - 30 * clock.DAY
        status = campaign_status(c, ctx.window.as_of)
        out.write(
            {
                "Id": c.id,
                "IsDeleted": "false",
                "Name": c.name,
                "Type": c.type,
                "Status": status,
                "StartDate": c.start.isoformat(),
                "EndDate": c.end.isoformat() if c.end else "",
                "BudgetedCost": str(c.budget) if c.budget else "",
                "ActualCost": str(round(c.budget * 0.93))
                if c.budget and status == "Completed"
                else "",
                "IsActive": tf(status == "In Progress"),
                "NumberOfLeads": str(s.leads),
                "NumberOfConvertedLeads": str(s.converted),
                "NumberOfContacts": str(s.contacts),
                "NumberOfResponses": str(s.responses),
                "NumberOfOpportunities": str(s.opportunities),
                "NumberOfWonOpportunities": str(s.won),
                "AmountAllOpportunities": str(s.amount),
                "AmountWonOpportunities": str(s.amount_won),
                "OwnerId": owner.id,
                "CreatedDate": fmt_sf(created),
                "CreatedById": owner.id,
                "LastModifiedDate": fmt_sf(created),
                "LastModifiedById": owner.id,
                "SystemModstamp": fmt_sf(created),
                "Channel__c": c.channel,
                "Offer__c": c.offer,
            }
        )
    out.close()
    return out.rows
