"""A Pipedrive CRM instead of Salesforce: the same records as Pipedrive's exports.

The sales team of this delivery runs Pipedrive; Marketing still runs HubSpot (its files are
left as they are). Each Salesforce lead becomes a Pipedrive person (the contact it was
converted into is that same person, as Pipedrive keeps one record), each opportunity a deal
of the person of the lead converted into it, each task of a sales rep an activity of that
person, and each status change of a lead a row of the person's lead-status changelog. The
shipped mapping files (``mappings/pipedrive_*.yml``) read these files.

What Pipedrive has no place for is left out, as a Pipedrive team would not have it: the
customers' contacts that never were leads, their tasks, the sync's e-mails logged as tasks,
accounts, campaigns and users (owners are names). ``truth/source_records.csv`` is rewritten
to the Pipedrive person ids; every other truth file holds as it is.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

from smarketing_tools.generator import clock
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.csvio import CsvOut
from smarketing_tools.generator.delivery_fields import minute_of, read_data_loader

FOLDER = "pipedrive"
PEOPLE = "people-export.csv"
DEALS = "deals-export.csv"
ACTIVITIES = "activities-export.csv"
CHANGES = "lead-status-changelog.csv"
# Salesforce users of these departments are the sales reps (smarketing.yml's default)
SALES_DEPARTMENTS = ("Ventes",)
# Pipedrive's Source channel of a person: a web form for what Marketing's sync created
HANDED_OVER_CHANNEL = "Web forms"
PROSPECTED_CHANNEL = "Prospector"

PEOPLE_HEADER = [
    "Person - ID",
    "Person - Name",
    "Person - First name",
    "Person - Last name",
    "Person - Email - Work",
    "Person - Phone - Work",
    "Person - Phone - Mobile",
    "Person - Job title",
    "Person - Organization",
    "Person - Organization ID",
    "Person - Owner",
    "Person - Source channel",
    "Person - Lead source",
    "Person - Lead status",
    "Person - Lead score",
    "Person - Country",
    "Person - Number of employees",
    "Person - Person created",
    "Person - Update time",
]
DEALS_HEADER = [
    "Deal - ID",
    "Deal - Title",
    "Deal - Status",
    "Deal - Stage",
    "Deal - Value",
    "Deal - Currency",
    "Deal - Contact person ID",
    "Deal - Organization ID",
    "Deal - Owner",
    "Deal - Source channel",
    "Deal - Offer",
    "Deal - Deal created",
    "Deal - Deal closed on",
    "Deal - Lost reason",
    "Deal - Update time",
]
ACTIVITIES_HEADER = [
    "Activity - ID",
    "Activity - Subject",
    "Activity - Type",
    "Activity - Done",
    "Activity - Contact person ID",
    "Activity - Assigned to user",
    "Activity - Add time",
    "Activity - Marked as done time",
]
Rows = list[dict[str, str]]
UserName = Callable[[str], str]
IsSales = Callable[[str], bool]

CHANGES_HEADER = [
    "Change ID",
    "Person ID",
    "Old lead status",
    "New lead status",
    "Rejection reason",
    "Changed by",
    "Change time",
]


def _time(text: str) -> str:
    """A Data Loader instant as Pipedrive writes it: the user's (Paris) wall clock."""
    return "" if not text else clock.fmt_hs_en(minute_of(text)) + ":00"


def _rows(folder: Path, name: str) -> Rows:
    return list(read_data_loader(folder / f"{name}.csv")[1])


def deliver_pipedrive(ctx: Context) -> dict[str, int]:
    """Replace the Salesforce files by Pipedrive's exports; returns the rows written."""
    salesforce = ctx.inbox / "salesforce"
    folder = ctx.inbox / FOLDER
    folder.mkdir()
    users = {u["Id"]: u for u in _rows(salesforce, "User")}
    leads = _rows(salesforce, "Lead")
    person_of: dict[str, str] = {}  # Salesforce lead or converted contact -> Pipedrive person
    for number, lead in enumerate(leads, start=1):
        person_of[lead["Id"]] = str(number)
        if lead["ConvertedContactId"]:
            person_of.setdefault(lead["ConvertedContactId"], str(number))

    def name(user_id: str) -> str:
        return users[user_id]["Name"] if user_id in users else ""

    def is_sales(user_id: str) -> bool:
        return users.get(user_id, {}).get("Department") in SALES_DEPARTMENTS

    counts = {
        f"inbox/{FOLDER}/{PEOPLE}": _people(folder / PEOPLE, leads, person_of, name, is_sales),
        f"inbox/{FOLDER}/{CHANGES}": _changes(folder / CHANGES, salesforce, person_of, name),
        f"inbox/{FOLDER}/{DEALS}": _deals(folder / DEALS, salesforce, leads, person_of, name),
        f"inbox/{FOLDER}/{ACTIVITIES}": _activities(
            folder / ACTIVITIES, salesforce, person_of, name, is_sales
        ),
    }
    _rewrite_source_records(ctx.truth / "source_records.csv", person_of)
    shutil.rmtree(salesforce)
    return counts


def _people(
    path: Path, leads: Rows, person_of: dict[str, str], name: UserName, is_sales: IsSales
) -> int:
    out = CsvOut(path, PEOPLE_HEADER)
    for lead in leads:
        out.write(
            [
                person_of[lead["Id"]],
                " ".join(p for p in (lead["FirstName"], lead["LastName"]) if p),
                lead["FirstName"],
                lead["LastName"],
                lead["Email"],
                lead["Phone"],
                lead["MobilePhone"],
                lead["Title"],
                lead["Company"],
                "",
                name(lead["OwnerId"]),
                PROSPECTED_CHANNEL if is_sales(lead["CreatedById"]) else HANDED_OVER_CHANNEL,
                lead["LeadSource"],
                lead["Status"],
                lead.get("Lead_Score__c", ""),
                lead["Country"],
                lead["NumberOfEmployees"],
                _time(lead["CreatedDate"]),
                _time(lead["LastModifiedDate"]),
            ]
        )
    out.close()
    return out.rows


def _changes(path: Path, salesforce: Path, person_of: dict[str, str], name: UserName) -> int:
    history = [row for row in _rows(salesforce, "LeadHistory") if row["IsDeleted"] != "true"]
    reasons = {
        (row["LeadId"], row["CreatedDate"]): row["NewValue"]
        for row in history
        if row["Field"] == "Rejection_Reason__c" and row["NewValue"]
    }
    out = CsvOut(path, CHANGES_HEADER)
    for number, row in enumerate((r for r in history if r["Field"] == "Status"), start=1):
        out.write(
            [
                str(number),
                person_of[row["LeadId"]],
                row["OldValue"],
                row["NewValue"],
                reasons.get((row["LeadId"], row["CreatedDate"]), ""),
                name(row["CreatedById"]),
                _time(row["CreatedDate"]),
            ]
        )
    out.close()
    return out.rows


def _deals(
    path: Path, salesforce: Path, leads: Rows, person_of: dict[str, str], name: UserName
) -> int:
    # the lead converted into an opportunity (the first one created) is the deal's person
    converting: dict[str, str] = {}
    for lead in sorted(leads, key=lambda lead: (minute_of(lead["CreatedDate"]), lead["Id"])):
        if lead["ConvertedOpportunityId"]:
            converting.setdefault(lead["ConvertedOpportunityId"], person_of[lead["Id"]])
    # closed at the first history row at the stage it was closed at
    closing: dict[tuple[str, str], int] = {}
    for row in _rows(salesforce, "OpportunityHistory"):
        if row["IsDeleted"] != "true":
            key, minute = (row["OpportunityId"], row["StageName"]), minute_of(row["CreatedDate"])
            closing[key] = min(closing.get(key, minute), minute)
    out = CsvOut(path, DEALS_HEADER)
    for number, opportunity in enumerate(_rows(salesforce, "Opportunity"), start=1):
        closed = opportunity["IsClosed"] == "true"
        won = opportunity["IsWon"] == "true"
        closed_at = closing.get((opportunity["Id"], opportunity["StageName"])) if closed else None
        out.write(
            [
                str(number),
                opportunity["Name"],
                "won" if won else "lost" if closed else "open",
                opportunity["StageName"],
                opportunity["Amount"],
                "EUR",
                converting.get(opportunity["Id"], ""),
                "",
                name(opportunity["OwnerId"]),
                opportunity["LeadSource"],
                opportunity.get("Offer__c", ""),
                _time(opportunity["CreatedDate"]),
                "" if closed_at is None else clock.fmt_hs_en(closed_at) + ":00",
                opportunity.get("Loss_Reason__c", ""),
                _time(opportunity["LastModifiedDate"]),
            ]
        )
    out.close()
    return out.rows


def _activity_type(task: dict[str, str]) -> str:
    if task["Type"] == "Meeting":
        return "meeting"
    return {"Call": "call", "Email": "email"}.get(task["TaskSubtype"], "task")


def _activities(
    path: Path, salesforce: Path, person_of: dict[str, str], name: UserName, is_sales: IsSales
) -> int:
    out = CsvOut(path, ACTIVITIES_HEADER)
    number = 0
    for task in _rows(salesforce, "Task"):
        person = person_of.get(task["WhoId"])
        if person is None or task["IsDeleted"] == "true" or not is_sales(task["OwnerId"]):
            continue  # a customer's contact, or what Marketing logged: not in Pipedrive
        number += 1
        done = task["Status"] == "Completed"
        out.write(
            [
                str(number),
                task["Subject"],
                _activity_type(task),
                "Done" if done else "To do",
                person,
                name(task["OwnerId"]),
                _time(task["CreatedDate"]),
                _time(task["CompletedDateTime"]) if done else "",
            ]
        )
    out.close()
    return out.rows


def _rewrite_source_records(path: Path, person_of: dict[str, str]) -> None:
    """The truth's person records: a lead is its Pipedrive person, a contact converted from a
    lead is that same person, other Salesforce records are not delivered."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    kept: list[dict[str, str]] = []
    for row in rows:
        if row["source_system"] != "salesforce":
            kept.append(row)
        elif row["source_entity"] == "lead":
            pipedrive = {"source_system": FOLDER, "source_entity": "contact"}
            kept.append(
                {**row, **pipedrive, "source_record_id": person_of[row["source_record_id"]]}
            )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(kept)
