"""The demo-data generator: determinism, export shapes, and a truth that follows from the
exports by the rules of tools/smarketing_tools/generator/README.md (re-derived here
independently)."""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from smarketing_tools.generator import generate
from smarketing_tools.generator.business_hours import add_business_hours, business_hours_between
from smarketing_tools.generator.hubspot import COLUMNS as HUBSPOT_COLUMNS
from smarketing_tools.generator.rules import (
    COUNTRY_SPELLINGS,
    HUBSPOT_SOURCE_CHANNEL,
    LEADSOURCE_CHANNEL,
    REJECTION_REASONS,
    expected_team,
)

PARIS = ZoneInfo("Europe/Paris")
REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-20"
EN_CONTACTS = f"hubspot/hubspot-crm-exports-contacts-{AS_OF}.csv"
EN_COPY = f"hubspot/hubspot-crm-exports-contacts-{AS_OF} (1).csv"
FR_CONTACTS = f"hubspot/hubspot-crm-exports-tous-les-contacts-{AS_OF}.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small42")
    calls: list[tuple[str, int, int]] = []
    summary = generate(out, "small", 42, progress=lambda *a: calls.append(a))
    assert summary.people == 2_000
    assert calls and {c[0] for c in calls} >= {"salesforce leads", "marketing events"}
    return out


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_data(run: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", "small", 42)
    generate(tmp_path / "other", "small", 7)
    first = digests(run)
    assert digests(tmp_path / "again") == first
    other = digests(tmp_path / "other")
    assert other["inbox/salesforce/Lead.csv"] != first["inbox/salesforce/Lead.csv"]
    assert other["truth/people.csv"] != first["truth/people.csv"]


# --- reading the exports -----------------------------------------------------------------


def read_sf(run: Path, sobject: str) -> list[dict[str, str]]:
    raw = (run / "inbox" / "salesforce" / f"{sobject}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Data Loader files start with a UTF-8 BOM"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def read_truth(run: Path, name: str) -> list[dict[str, str]]:
    with (run / "truth" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_contacts(run: Path) -> list[dict[str, str]]:
    """Both HubSpot deliveries, with stable column names and English-format dates."""
    en_labels = {en: col for col, en, _ in HUBSPOT_COLUMNS}
    fr_labels = {fr: col for col, _, fr in HUBSPOT_COLUMNS}
    rows: list[dict[str, str]] = []
    with (run / "inbox" / EN_CONTACTS).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows.append({en_labels.get(k, k): v for k, v in row.items()} | {"_fr": ""})
    with (run / "inbox" / FR_CONTACTS).open(encoding="cp1252", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            rows.append({fr_labels.get(k, k): v for k, v in row.items()} | {"_fr": "1"})
    return rows


def sf_time(text: str) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.000+0000").replace(tzinfo=UTC)


def hs_time(text: str, french: bool) -> datetime | None:
    if not text or text == "null":
        return None
    fmt = "%d/%m/%Y %H:%M" if french else "%Y-%m-%d %H:%M"
    return datetime.strptime(text, fmt).replace(tzinfo=PARIS)


def truth_time(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# --- shapes --------------------------------------------------------------------------------


def test_files_and_formats(run: Path) -> None:
    inbox = run / "inbox"
    assert (inbox / EN_CONTACTS).read_bytes() == (inbox / EN_COPY).read_bytes()
    french = (inbox / FR_CONTACTS).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        french.decode("utf-8")  # accents are single Windows-1252 bytes
    text = french.decode("cp1252")
    header, first = text.split("\r\n")[:2]
    assert header.startswith("ID de fiche d'informations;Prénom;Nom;E-mail;")
    assert re.search(r";\d{2}/\d{2}/20\d{2} \d{2}:\d{2};", first)
    assert re.search(r";(Oui|Non);", first)
    english = (inbox / EN_CONTACTS).read_text(encoding="utf-8")
    assert english.startswith("Record ID,First Name,Last Name,Email,")
    assert re.search(r",20\d{2}-\d{2}-\d{2} \d{2}:\d{2},", english.splitlines()[1])
    assert ",null," in english
    months = sorted(p.name for p in (inbox / "hubspot").glob("marketing-events-*.csv"))
    assert months[0] == "marketing-events-2024-11.csv"
    assert months[-1] == "marketing-events-2026-11.csv"
    assert len(months) == 25
    for sobject in (
        "User",
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "OpportunityHistory",
        "Task",
        "LeadHistory",
        "Campaign",
        "CampaignMember",
    ):
        rows = read_sf(run, sobject)
        assert rows, sobject
        for row in rows[:50]:
            for key in ("CreatedDate", "CompletedDateTime", "SystemModstamp"):
                if row.get(key):
                    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:00\.000\+0000", row[key])
    assert not list((run / "inbox").rglob("*truth*"))


def test_headers_are_recognised_by_the_loader(run: Path) -> None:
    """Every column is one the loader knows, or one of the org's own fields that smarketing.yml
    binds (`fields:`), never a column the models would miss."""
    from smarketing.config import load_config
    from smarketing.ingest.registry import kind_named

    bound = load_config(REPO / "smarketing.yml").fields.exports()

    for sobject, kind in (
        ("Lead", "lead"),
        ("Contact", "contact"),
        ("User", "user"),
        ("LeadHistory", "lead_history"),
        ("Task", "task"),
        ("Opportunity", "opportunity"),
        ("OpportunityHistory", "opportunity_history"),
        ("Campaign", "campaign"),
        ("CampaignMember", "campaign_member"),
        ("Account", "account"),
    ):
        header = list(read_sf(run, sobject)[0])
        k = kind_named(f"salesforce__{kind}")
        org_fields = {
            h for headers in bound.get(f"salesforce_{kind}", {}).values() for h in headers
        }
        assert [h for h in header if k.column_for(h) is None and h not in org_fields] == []
        assert set(k.signature) <= {k.column_for(h) for h in header}
    contacts = kind_named("hubspot__contact")
    for name, encoding, delimiter, custom in (
        (EN_CONTACTS, "utf-8", ",", "Persona"),
        (FR_CONTACTS, "cp1252", ";", "Langue préférée"),
    ):
        with (run / "inbox" / name).open(encoding=encoding, newline="") as f:
            header = next(csv.reader(f, delimiter=delimiter))
        assert [h for h in header if contacts.column_for(h) is None] == [custom]
    events = kind_named("hubspot__marketing_event")
    with (run / "inbox" / "hubspot" / "marketing-events-2026-03.csv").open() as f:
        header = next(csv.reader(f))
    assert all(events.column_for(h) for h in header)


def test_values_use_the_seed_labels(run: Path) -> None:
    labels: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    with (REPO / "dbt" / "seeds" / "hubspot_value_labels.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels[row["property"]][0].add(row["label_en"])
            labels[row["property"]][1].add(row["label_fr"])
    for row in read_contacts(run):
        french = int(bool(row["_fr"]))
        for prop in ("lifecycle_stage", "lead_status", "original_source"):
            assert row[prop] in labels[prop][french] | {"", "null"}, (prop, row[prop])
        for column, value in row.items():
            if column.startswith("became_") or column.endswith("_date"):
                moment = hs_time(value, bool(french))
                # naive Paris times stay clear of the night-time DST changes
                assert moment is None or 7 <= moment.hour <= 22, (column, value)
    types = Counter()
    for path in (run / "inbox" / "hubspot").glob("marketing-events-*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                types[row["Event Type"]] += 1
                local = datetime.strptime(row["Event Date"], "%Y-%m-%d %H:%M")
                assert path.name == f"marketing-events-{local:%Y-%m}.csv"
                assert 7 <= local.hour <= 22
    assert set(types) == labels["event_type"][0]


# --- the truth -----------------------------------------------------------------------------


def test_source_records_cover_exactly_the_person_like_records(run: Path) -> None:
    exported = Counter()
    exported.update(("salesforce", "lead", r["Id"]) for r in read_sf(run, "Lead"))
    exported.update(("salesforce", "contact", r["Id"]) for r in read_sf(run, "Contact"))
    exported.update(("hubspot", "contact", r["record_id"]) for r in read_contacts(run))
    truth = Counter(
        (r["source_system"], r["source_entity"], r["source_record_id"])
        for r in read_truth(run, "source_records.csv")
    )
    assert max(exported.values()) == 1
    assert truth == exported
    people = {r["person_id"] for r in read_truth(run, "people.csv")}
    assert {r["person_id"] for r in read_truth(run, "source_records.csv")} == people


def test_stage_timestamps_are_ordered(run: Path) -> None:
    for row in read_truth(run, "lead_cycles.csv"):
        t = {k: truth_time(v) for k, v in row.items() if k.endswith("_at")}
        chain = [
            t["created_at"],
            t["mql_at"],
            t["handoff_at"],
            t["first_touch_at"],
            t["sal_at"],
            t["sql_at"],
            t["opportunity_at"],
        ]
        present = [x for x in chain if x is not None]
        assert present == sorted(present), row
        if t["handoff_at"]:
            assert t["mql_at"] and t["handoff_at"] >= t["mql_at"]
            assert row["owner_id"]
        if t["first_touch_at"]:
            assert t["first_touch_at"] >= (t["handoff_at"] or t["created_at"])
        for end in ("won_at", "lost_at"):
            if t[end]:
                assert t["opportunity_at"] and t[end] > t["opportunity_at"]
        if t["disqualified_at"]:
            assert row["disqualification_reason"]
            assert t["disqualified_at"] > (t["first_touch_at"] or t["created_at"])
        for value in t.values():
            if value is not None:
                assert value.second == 0
                assert value.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_every_kind_of_case_is_present(run: Path) -> None:
    sla = read_truth(run, "sla_outcomes.csv")
    assert {r["outcome"] for r in sla} == {"met", "breached", "pending", "breached_open"}
    assert {r["decision"] for r in sla} == {"accepted", "rejected", "recycled", "none"}
    assert {r["routed_correctly"] for r in sla} == {"true", "false"}
    cycles = read_truth(run, "lead_cycles.csv")
    assert {r["disqualification_reason"] for r in cycles} - {""} == {
        code for _, code in REJECTION_REASONS.values()
    }
    assert any(r["cycle"] == "2" and r["handoff_at"] for r in cycles)
    assert any(r["won_at"] for r in cycles) and any(r["lost_at"] for r in cycles)
    assert any(r["sql_at"] and not r["opportunity_at"] for r in cycles)
    assert any(r["handoff_at"] == "" and r["sal_at"] for r in cycles)  # outbound
    per_person: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for r in read_truth(run, "source_records.csv"):
        per_person[r["person_id"]][(r["source_system"], r["source_entity"])] += 1
    both = [
        c
        for c in per_person.values()
        if c["hubspot", "contact"] and (c["salesforce", "lead"] or c["salesforce", "contact"])
    ]
    assert len(both) > 100
    assert any(c["hubspot", "contact"] >= 2 for c in per_person.values())
    assert any(c["salesforce", "lead"] >= 2 for c in per_person.values())
    assert any(c["salesforce", "lead"] and c["salesforce", "contact"] for c in per_person.values())
    people = read_truth(run, "people.csv")
    assert {r["channel"] for r in people} == {
        "paid_search",
        "organic",
        "webinar",
        "content_download",
        "event",
        "partner",
        "outbound",
    }
    leads = read_sf(run, "Lead")
    names = {(r["FirstName"], r["LastName"]) for r in leads}
    assert any(f != f.strip() or (f.islower() and last.isupper()) for f, last in names)
    phones = {r["Phone"][:4] for r in leads}
    assert {"+33 ", "0033"} <= phones
    countries = {r["Country"] for r in leads}
    assert {"France", "FR"} <= countries
    assert any("gmial.com" in r["email"] or r["email"] == "" for r in read_contacts(run))


def first_change(rows: list[dict[str, str]], values: tuple[str, ...]) -> dict[str, str] | None:
    return next((r for r in rows if r["NewValue"] in values), None)


def rederive(
    run: Path,
) -> tuple[dict[tuple[str, int], dict[str, str]], dict[str, tuple[str, str, str]]]:
    """lead_cycles rebuilt from the exports alone (plus the person of each record), by the
    README rules; also each person's channel, campaign and offer."""
    person_of = {
        (r["source_system"], r["source_entity"], r["source_record_id"]): r["person_id"]
        for r in read_truth(run, "source_records.csv")
    }
    users = {r["Id"]: r for r in read_sf(run, "User")}
    sales = {u for u, r in users.items() if r["Department"] == "Ventes"}
    leads: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "Lead"):
        leads[person_of["salesforce", "lead", r["Id"]]].append(r)
    contacts: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "Contact"):
        contacts[person_of["salesforce", "contact", r["Id"]]].append(r)
    hubspot: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_contacts(run):
        hubspot[person_of["hubspot", "contact", r["record_id"]]].append(r)
    history: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "LeadHistory"):
        history[r["LeadId"]].append(r)
    tasks: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "Task"):
        tasks[r["WhoId"]].append(r)
    opps = {r["Id"]: r for r in read_sf(run, "Opportunity")}
    opp_history: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "OpportunityHistory"):
        opp_history[r["OpportunityId"]].append(r)
    members: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_sf(run, "CampaignMember"):
        members[r["LeadId"]].append(r)
    campaigns = {r["Name"]: r for r in read_sf(run, "Campaign")}
    campaign_by_id = {r["Id"]: r for r in campaigns.values()}
    forms: dict[tuple[str, str], str] = {}  # (contact, local time) -> campaign name
    for path in sorted((run / "inbox" / "hubspot").glob("marketing-events-*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for event in csv.DictReader(f):
                if event["Event Type"] == "Form submission":
                    forms[event["Contact ID"], event["Event Date"]] = event["Campaign"]
    hubspot_channel = {(code, drill): ch for code, drill, ch in HUBSPOT_SOURCE_CHANNEL}
    source_code = {}
    with (REPO / "dbt" / "seeds" / "hubspot_value_labels.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["property"] == "original_source":
                source_code[row["label_en"]] = source_code[row["label_fr"]] = row["code"]

    def channel_of_hubspot(row: dict[str, str]) -> str:
        code = source_code[row["original_source"]]
        return hubspot_channel.get(
            (code, row["original_source_drill_down_1"]), hubspot_channel.get((code, "*"), "")
        )

    cycles: dict[tuple[str, int], dict[str, str]] = {}
    channels: dict[str, tuple[str, str, str]] = {}
    iso = lambda t: t.astimezone(PARIS).isoformat() if t else ""  # noqa: E731
    for person in set(leads) | set(hubspot) | set(contacts):
        hs = [(hs_time(r["create_date"], bool(r["_fr"])), r) for r in hubspot[person]]
        lds = sorted(leads[person], key=lambda r: (r["CreatedDate"], r["Id"]))
        openers = [(t, "hubspot", r) for t, r in hs] + [
            (sf_time(r["CreatedDate"]), "lead", r) for r in lds
        ]
        if not openers:
            first_contact = min(contacts[person], key=lambda r: (r["CreatedDate"], r["Id"]))
            channels[person] = (LEADSOURCE_CHANNEL[first_contact["LeadSource"]], "", "")
            continue
        created, kind, opener = min(openers, key=lambda x: x[0])
        if kind == "hubspot":
            assert created is not None
            name = forms[opener["record_id"], f"{created:%Y-%m-%d %H:%M}"]
            campaign = campaigns[name]
            channel = channel_of_hubspot(opener)
        else:
            member = min(members[opener["Id"]], key=lambda r: (r["CreatedDate"], r["Id"]))
            campaign = campaign_by_id[member["CampaignId"]]
            channel = LEADSOURCE_CHANNEL[opener["LeadSource"]]
        channels[person] = (channel, campaign["Offer__c"], campaign["Id"])
        mqls = [
            hs_time(r["became_a_marketing_qualified_lead_date"], bool(r["_fr"]))
            for r in hubspot[person]
        ]
        mql = min((m for m in mqls if m), default=None)
        row = {"created_at": iso(created), "mql_at": iso(mql)}
        if not lds:
            cycles[person, 1] = row
            continue
        lead = lds[0]
        rows = sorted(history[lead["Id"]], key=lambda r: (r["CreatedDate"], r["Id"]))
        lead_created = sf_time(lead["CreatedDate"])
        handoff = lead_created if lead["CreatedById"] not in sales else None
        starts = [handoff or lead_created] + [
            sf_time(r["CreatedDate"])
            for r in rows
            if r["Field"] == "Status"
            and r["OldValue"] == "Nurturing"
            and r["NewValue"] == "Open - Not Contacted"
        ]
        owners = [r for r in rows if r["Field"] == "Owner" and r["DataType"] == "EntityId"]
        whos = {lead["Id"], lead["ConvertedContactId"]} - {""}
        touches = sorted(
            sf_time(t["CompletedDateTime"])
            for who in whos
            for t in tasks[who]
            if t["Status"] == "Completed"
            and t["OwnerId"] in sales
            and (t["TaskSubtype"] in ("Call", "Email") or t["Type"] == "Meeting")
        )
        opp = opps.get(lead["ConvertedOpportunityId"])
        for n, start in enumerate(starts, start=1):
            end = starts[n] if n < len(starts) else datetime.max.replace(tzinfo=UTC)
            if n > 1:
                row = {"created_at": iso(start), "mql_at": iso(start)}
            hand = handoff if n == 1 else start
            row["handoff_at"] = iso(hand)
            owner = ""
            if hand:
                before = [r for r in owners if sf_time(r["CreatedDate"]) <= hand]
                after = [r for r in owners if sf_time(r["CreatedDate"]) > hand]
                owner = (
                    before[-1]["NewValue"]
                    if before
                    else after[0]["OldValue"]
                    if after
                    else lead["OwnerId"]
                )
            row["owner_id"] = owner
            row["first_touch_at"] = iso(next((t for t in touches if start <= t < end), None))
            window = [
                r
                for r in rows
                if r["Field"] == "Status" and start <= sf_time(r["CreatedDate"]) < end
            ]
            for column, values in (
                ("sal_at", ("Accepted",)),
                ("sql_at", ("Qualified",)),
                ("disqualified_at", ("Unqualified", "Nurturing")),
            ):
                hit = first_change(window, values)
                row[column] = iso(sf_time(hit["CreatedDate"])) if hit else ""
            reason = ""
            if row["disqualified_at"]:
                at = first_change(window, ("Unqualified", "Nurturing"))["CreatedDate"]
                reason = next(
                    REJECTION_REASONS[r["NewValue"]][1]
                    for r in rows
                    if r["Field"] == "Rejection_Reason__c"
                    and r["CreatedDate"] == at
                    and r["NewValue"]
                )
            row["disqualification_reason"] = reason
            row["opportunity_at"] = row["won_at"] = row["lost_at"] = ""
            if opp and start <= sf_time(opp["CreatedDate"]) < end:
                row["opportunity_at"] = iso(sf_time(opp["CreatedDate"]))
                for h in opp_history[opp["Id"]]:
                    if h["StageName"] == "Closed Won":
                        row["won_at"] = iso(sf_time(h["CreatedDate"]))
                    if h["StageName"] == "Closed Lost":
                        row["lost_at"] = iso(sf_time(h["CreatedDate"]))
            cycles[person, n] = row
    return cycles, channels


def test_truth_follows_from_the_exports(run: Path) -> None:
    derived, channels = rederive(run)
    truth = {(r["person_id"], int(r["cycle"])): r for r in read_truth(run, "lead_cycles.csv")}
    assert set(derived) == set(truth)
    mismatches = []
    for key, row in truth.items():
        for column, value in derived[key].items():
            if row[column] != value:
                mismatches.append((key, column, row[column], value))
    assert mismatches == []
    people = {r["person_id"]: r for r in read_truth(run, "people.csv")}
    assert {p: (r["channel"], r["offer"], r["campaign"]) for p, r in people.items()} == channels


def test_sla_truth_follows_from_the_exports(run: Path) -> None:
    cycles = {(r["person_id"], r["cycle"]): r for r in read_truth(run, "lead_cycles.csv")}
    users = {r["Id"]: r for r in read_sf(run, "User")}
    iso_of = {
        spelling: code for code, spellings in COUNTRY_SPELLINGS.items() for spelling in spellings
    }
    person_of = {
        r["source_record_id"]: r["person_id"] for r in read_truth(run, "source_records.csv")
    }
    primary: dict[str, dict[str, str]] = {}
    for lead in sorted(read_sf(run, "Lead"), key=lambda r: (r["CreatedDate"], r["Id"])):
        primary.setdefault(person_of[lead["Id"]], lead)
    cutoff = datetime(2026, 11, 20, tzinfo=PARIS)
    sla = read_truth(run, "sla_outcomes.csv")
    assert len(sla) == sum(1 for r in cycles.values() if r["handoff_at"])
    for row in sla:
        c = cycles[row["person_id"], row["cycle"]]
        assert (row["handoff_at"], row["owner_id"], row["first_touch_at"]) == (
            c["handoff_at"],
            c["owner_id"],
            c["first_touch_at"],
        )
        handoff = truth_time(row["handoff_at"])
        touch = truth_time(row["first_touch_at"])
        if touch:
            hours = business_hours_between(handoff, touch)
            assert row["business_hours_to_first_touch"] == f"{hours:.2f}"
            assert float(row["calendar_hours_to_first_touch"]) == pytest.approx(
                (touch - handoff).total_seconds() / 3600, abs=0.006
            )
            assert row["outcome"] == ("met" if hours <= 48 else "breached")
        else:
            late = business_hours_between(handoff, cutoff) > 48
            assert row["outcome"] == ("breached_open" if late else "pending")
        lead = primary[row["person_id"]]
        employees = int(lead["NumberOfEmployees"]) if lead["NumberOfEmployees"] else None
        expected = expected_team(iso_of[lead["Country"]], employees, lead["State"])
        assert row["expected_team"] == expected
        assert row["owner_team"] == users[row["owner_id"]]["Team__c"]
        assert row["routed_correctly"] == ("true" if row["owner_team"] == expected else "false")
        if row["decision"] == "none":
            assert not (c["sal_at"] or c["disqualified_at"]) and not row["decision_at"]
        else:
            first = min(t for t in (c["sal_at"], c["disqualified_at"]) if t)
            assert row["decision_at"] == first
            assert row["decision"] == (
                "accepted"
                if first == c["sal_at"]
                else "recycled"
                if c["disqualification_reason"] in ("no_budget", "no_project")
                else "rejected"
            )


# --- business hours ------------------------------------------------------------------------


def brute_business_hours(start: datetime, end: datetime) -> float:
    """Minute by minute, straight from the definition."""
    off = holidays.France(years=range(start.year, end.year + 1))
    minutes, t = 0, start
    while t < end:
        local = t.astimezone(PARIS)
        if local.weekday() < 5 and local.date() not in off and 9 <= local.hour < 18:
            minutes += 1
        t += timedelta(minutes=1)
    return minutes / 60


@pytest.mark.parametrize(
    ("start", "end", "hours", "calendar"),
    [
        # Friday 17:30 hand-off, Monday 10:00 touch
        ((2026, 3, 13, 17, 30), (2026, 3, 16, 10, 0), 1.5, 64.5),
        # Thursday 17:00, Friday 1 May is Labour Day, Monday 10:00
        ((2026, 4, 30, 17, 0), (2026, 5, 4, 10, 0), 2.0, 89.0),
        # Bastille Day on a Tuesday
        ((2026, 7, 13, 17, 0), (2026, 7, 15, 10, 0), 2.0, 41.0),
        # clocks go forward on Sunday 29 March 2026: 65 real hours, not 66
        ((2026, 3, 27, 16, 0), (2026, 3, 30, 10, 0), 3.0, 65.0),
        # clocks go back on Sunday 25 October 2026
        ((2026, 10, 23, 17, 0), (2026, 10, 26, 9, 30), 1.5, 65.5),
        # from a Saturday, and before opening time
        ((2026, 6, 6, 10, 0), (2026, 6, 8, 11, 0), 2.0, 49.0),
        ((2026, 6, 8, 7, 0), (2026, 6, 8, 8, 30), 0.0, 1.5),
    ],
)
def test_business_hours_hand_crafted(
    start: tuple[int, ...], end: tuple[int, ...], hours: float, calendar: float
) -> None:
    a = datetime(*start, tzinfo=PARIS)
    b = datetime(*end, tzinfo=PARIS)
    # same-tzinfo subtraction is wall-clock time in Python: compare in UTC
    assert (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 3600 == calendar
    assert brute_business_hours(a, b) == hours
    assert business_hours_between(a, b) == pytest.approx(hours)
    assert business_hours_between(a.astimezone(UTC), b.astimezone(UTC)) == pytest.approx(hours)
    if hours:
        assert add_business_hours(a, hours) <= b
        assert business_hours_between(a, add_business_hours(a, hours)) == pytest.approx(hours)


def test_business_hours_match_the_definition_on_random_spans() -> None:
    rnd = random.Random(3)
    for _ in range(25):
        start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=rnd.randrange(900_000))
        end = start + timedelta(minutes=rnd.randrange(6_000))
        assert business_hours_between(start, end) == pytest.approx(brute_business_hours(start, end))
        added = add_business_hours(start, rnd.randrange(1, 3_000) / 60)
        assert added.astimezone(PARIS).date() not in holidays.France(years=added.year)
    assert (
        business_hours_between(
            datetime(2026, 3, 16, 12, tzinfo=PARIS), datetime(2026, 3, 16, 10, tzinfo=PARIS)
        )
        == -2.0
    )
    with pytest.raises(ValueError):
        business_hours_between(datetime(2026, 3, 16, 10), datetime(2026, 3, 16, 12))
    assert date(2026, 5, 14) in holidays.France(years=2026)  # Ascension, from the library


def test_namesakes_get_their_own_mailboxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everyone named alike (one first name, one last name): still one owner per address, work
    and personal. Two people sharing a personal mailbox would be one person to any matcher."""
    from smarketing_tools.generator import population, rules
    from smarketing_tools.generator.campaigns import build_campaigns
    from smarketing_tools.generator.clock import Window
    from smarketing_tools.generator.ids import IdSequence
    from smarketing_tools.generator.scales import SCALES

    monkeypatch.setattr(population, "FIRST_NAMES_FEMALE", ("Camille",))
    monkeypatch.setattr(population, "FIRST_NAMES_MALE", ("Camille",))
    monkeypatch.setattr(population, "LAST_NAMES", ("Martin",))
    window = Window.ending(date(2026, 11, 20), rules.HISTORY_DAYS)
    spec = SCALES["small"]
    orgs = population.build_orgs(spec, 7, window)
    book = build_campaigns(window, 7, IdSequence("Campaign"))
    people = population.build_people(spec, 7, window, orgs, book)
    assert set(people.first) == {"Camille"}
    assert len(set(people.personal_email)) == people.n
    assert len(set(people.work_email)) == people.n
