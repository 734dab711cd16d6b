"""What the delivery modes need to know about the Data Loader files they rewrite: each
Salesforce field's type, its instants as minutes, and seeded draws per file.

The delivery modes (``deliveries.py``) start from the files ``generate()`` wrote; they keep
every record and every value, and change only how values are written.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from smarketing_tools.generator import clock

# Salesforce objects of the Data Loader files, by file stem -> export kind of the loader
SOBJECT_KIND = {
    "User": "salesforce__user",
    "Account": "salesforce__account",
    "Contact": "salesforce__contact",
    "Lead": "salesforce__lead",
    "LeadHistory": "salesforce__lead_history",
    "Task": "salesforce__task",
    "Opportunity": "salesforce__opportunity",
    "OpportunityHistory": "salesforce__opportunity_history",
    "Campaign": "salesforce__campaign",
    "CampaignMember": "salesforce__campaign_member",
}

DATETIME = "datetime"
DATE = "date"
BOOLEAN = "boolean"
CURRENCY = "currency"
PERCENT = "percent"
NUMBER = "number"
LOOKUP = "lookup"
TEXT = "text"

_TYPES: dict[str, tuple[str, ...]] = {
    DATETIME: (
        "CreatedDate",
        "LastModifiedDate",
        "SystemModstamp",
        "CompletedDateTime",
        "EmailBouncedDate",
        "ActivityDateTime",
        "StartDateTime",
        "EndDateTime",
    ),
    DATE: (
        "ActivityDate",
        "ConvertedDate",
        "CloseDate",
        "LastActivityDate",
        "StartDate",
        "EndDate",
        "FirstRespondedDate",
    ),
    BOOLEAN: (
        "IsDeleted",
        "IsActive",
        "HasOptedOutOfEmail",
        "DoNotCall",
        "IsConverted",
        "IsUnreadByOwner",
        "IsHighPriority",
        "IsClosed",
        "IsWon",
        "HasResponded",
        "IsEmailBounced",
        "IsAllDayEvent",
        "IsPrivate",
        "IsCorporate",
    ),
    CURRENCY: (
        "AnnualRevenue",
        "Amount",
        "ExpectedRevenue",
        "BudgetedCost",
        "ActualCost",
        "AmountAllOpportunities",
        "AmountWonOpportunities",
    ),
    PERCENT: ("Probability", "ExpectedResponse"),
    NUMBER: (
        "NumberOfEmployees",
        "Lead_Score__c",
        "CallDurationInSeconds",
        "NumberSent",
        "NumberOfLeads",
        "NumberOfConvertedLeads",
        "NumberOfContacts",
        "NumberOfResponses",
        "NumberOfOpportunities",
        "NumberOfWonOpportunities",
        "FiscalQuarter",
        "FiscalYear",
        "DurationInMinutes",
    ),
}
FIELD_TYPE = {name: kind for kind, names in _TYPES.items() for name in names}


def field_type(api_name: str) -> str:
    """The type of a Salesforce field, from its API name (a lookup ends with ``Id``)."""
    if api_name in FIELD_TYPE:
        return FIELD_TYPE[api_name]
    if api_name != "Id" and api_name.endswith("Id"):
        return LOOKUP
    return TEXT


# --- instants -------------------------------------------------------------------------------

_DATA_LOADER_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.000\+0000")
_EPOCH_DAY = date(1970, 1, 1)


def minute_of(text: str) -> int:
    """UTC minute of a Data Loader datetime (``2026-03-05T13:22:00.000+0000``).

    The generator's clock counts whole minutes, so seconds are always 0; a report shows times
    to the minute, so a timestamp with seconds would come back as another instant: refuse it.
    """
    match = _DATA_LOADER_TIME.fullmatch(text)
    if match is None:
        raise ValueError(f"not a Data Loader datetime: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    if second:
        raise ValueError(f"{text}: a report would drop its seconds; write them")
    days = (date(year, month, day) - _EPOCH_DAY).days
    return days * clock.DAY + hour * 60 + minute


def paris_wall_clock(m: int) -> int:
    """The Paris wall-clock minute of UTC minute M, which must name one instant only.

    Report exports write local time without an offset: a time in the autumn overlap would
    name two instants (every generated time is between 07:00 and 23:00, far from it).
    """
    lm = clock.local(m)
    offsets = {clock.offset(m - 180), clock.offset(m + 180)}
    instants = {lm - o for o in offsets if clock.offset(lm - o) == o}
    if instants != {m}:
        raise ValueError(f"UTC minute {m}: Paris wall-clock time is ambiguous")
    return lm


# --- files ----------------------------------------------------------------------------------


def read_data_loader(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    """Header and rows (as dicts) of a Data Loader file: UTF-8 with BOM, comma."""
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    header = next(reader)

    def rows() -> Iterator[dict[str, str]]:
        with handle:
            for record in reader:
                yield dict(zip(header, record, strict=True))

    return header, rows()


def draws(seed: int, *parts: str) -> random.Random:
    """Seeded draws for one part of a delivery (a file, a mode), independent of the others."""
    digest = hashlib.sha256(":".join((str(seed), "delivery", *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def unit_draw(seed: int, *parts: str) -> float:
    """A number in [0, 1) fixed by the seed and PARTS (no state: the same for every file)."""
    digest = hashlib.sha256(":".join((str(seed), "delivery", *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
