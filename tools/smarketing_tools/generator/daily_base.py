"""The day-0 dataset as the daily deliveries need it, read back from its files, and the state
of its leads and contacts the days carry over.

Re-simulating is not an option (a later cutoff reshuffles every random stream), so the
deliveries mutate what day 0 wrote. Only what they touch is read: the Salesforce leads and
the HubSpot contacts in full (a changed record is delivered with all its columns), the lead
history and the truth's source records through DuckDB aggregates, and no marketing-event file
(the manifest has their count, which is all the late events need).
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from smarketing_tools.generator import rules
from smarketing_tools.generator.campaigns import CampaignBook
from smarketing_tools.generator.csvio import HUBSPOT_EN, HUBSPOT_FR, SALESFORCE, CsvShape
from smarketing_tools.generator.hubspot import COLUMNS, file_names
from smarketing_tools.generator.users import Staff

# HubSpot property labels of each delivery, by stable column name
LABEL = {"en": {c[0]: c[1] for c in COLUMNS}, "fr": {c[0]: c[2] for c in COLUMNS}}


@dataclass
class Table:
    """A CSV file's header and cells, as the text written (no type conversion, '' kept)."""

    header: list[str]
    data: pa.Table

    @property
    def n(self) -> int:
        return self.data.num_rows

    def column(self, name: str) -> list[str]:
        return self.data.column(self.header.index(name)).to_pylist()

    def row(self, i: int) -> list[str]:
        return [column[i].as_py() for column in self.data.columns]


def read_table(path: Path, shape: CsvShape) -> Table:
    with path.open(encoding=shape.encoding, newline="") as handle:
        header = next(csv.reader(handle, delimiter=shape.delimiter))
    # pyarrow skips a UTF-8 BOM itself; other encodings go through its transcoder
    encoding = "utf8" if shape.encoding.startswith("utf-8") else shape.encoding
    # columns are read by position: the French header repeats no label, but names may clash
    names = [f"c{i}" for i in range(len(header))]
    data = pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(encoding=encoding, column_names=names, skip_rows=1),
        parse_options=pa_csv.ParseOptions(delimiter=shape.delimiter, newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return Table(header, data)


def _max_int(table: Table, name: str) -> int:
    values = table.data.column(table.header.index(name))
    return int(pc.max(pc.cast(values, pa.int64())).as_py() or 0) if table.n else 0


@dataclass
class Base:
    out_dir: Path
    manifest: dict[str, object]
    scale: str
    seed: int
    as_of: date
    people: int
    events: int
    """marketing events of day 0 (ids 3,100,000,001 onwards, one after the other)"""
    leads: Table
    contacts: dict[str, Table]
    """HubSpot contacts by delivery language, ``en`` and ``fr``"""
    max_record_id: int
    progression: list[str]
    """Lead statuses a lead moves through, one step at a time, from the first open one"""
    status_data_type: str
    same_person_leads: list[list[str]]
    """Lead ids of each person with several leads (truth/source_records.csv), oldest first"""
    same_email_leads: list[list[str]]
    """Lead ids sharing an e-mail, oldest first"""
    sales_side_contacts: set[str]
    """HubSpot Record IDs of people with a Salesforce record (truth/source_records.csv)"""

    @property
    def manifest_path(self) -> Path:
        return self.out_dir / "truth" / "manifest.json"


def read_manifest(out_dir: Path) -> dict[str, object]:
    path = out_dir / "truth" / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"no generated dataset at {out_dir}: {path} is missing "
            f"(run `smarketing generate --out {out_dir}` first)"
        )
    manifest: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    mode = str(manifest.get("delivery", "api"))  # api manifests carry no delivery key
    if mode != "api":
        raise ValueError(
            f"{out_dir} was generated with --delivery {mode}: daily deliveries are written "
            "for the api delivery mode only"
        )
    return manifest


def read_base(out_dir: Path) -> Base:
    manifest = read_manifest(out_dir)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    as_of = date.fromisoformat(str(manifest["as_of"]))
    inbox = out_dir / "inbox"
    leads = read_table(inbox / "salesforce" / "Lead.csv", SALESFORCE)
    en_name, _, fr_name = file_names(as_of)
    contacts = {
        "en": read_table(inbox / "hubspot" / en_name, HUBSPOT_EN),
        "fr": read_table(inbox / "hubspot" / fr_name, HUBSPOT_FR),
    }
    progression, data_type = _progression(inbox / "salesforce" / "LeadHistory.csv")
    return Base(
        out_dir=out_dir,
        manifest=manifest,
        scale=str(manifest["scale"]),
        seed=int(str(manifest["seed"])),
        as_of=as_of,
        people=int(counts["truth/people.csv"]),
        events=sum(int(n) for k, n in counts.items() if "/marketing-events-" in k),
        leads=leads,
        contacts=contacts,
        max_record_id=max(_max_int(t, LABEL[lang]["record_id"]) for lang, t in contacts.items()),
        progression=progression,
        status_data_type=data_type,
        same_person_leads=_same_person(out_dir / "truth" / "source_records.csv", leads),
        same_email_leads=_same_email(leads),
        sales_side_contacts=_sales_side_contacts(out_dir / "truth" / "source_records.csv"),
    )


def _progression(history: Path) -> tuple[list[str], str]:
    """The statuses an open lead moves through, as the base's history shows them: the most
    frequent first status, then at each step the most frequent next one. It stops before
    Closed - Converted, whose change also creates a Contact, an Account and an Opportunity."""
    con = duckdb.connect()
    try:
        source = "read_csv(?, header = true, all_varchar = true)"
        moves = con.execute(
            f"select OldValue, NewValue, DataType, count(*) as n from {source} "
            "where Field = 'Status' group by all order by n desc, OldValue, NewValue",
            [str(history)],
        ).fetchall()
        firsts = con.execute(
            f"select arg_min(OldValue, CreatedDate) from {source} "
            "where Field = 'Status' group by LeadId",
            [str(history)],
        ).fetchall()
    finally:
        con.close()
    if not moves:
        return [rules.ST_OPEN], "Picklist"
    first = Counter(row[0] for row in firsts).most_common(1)[0][0]
    following: dict[str, str] = {}
    for old, new, _, _ in moves:  # most frequent first
        following.setdefault(old, new)
    chain = [first]
    while (nxt := following.get(chain[-1])) and nxt not in chain and nxt != rules.ST_CONVERTED:
        chain.append(nxt)
    data_types: Counter[str] = Counter()
    for _, _, data_type, n in moves:
        data_types[data_type] += n
    return chain, data_types.most_common(1)[0][0]


def _created_order(leads: Table) -> dict[str, str]:
    return dict(zip(leads.column("Id"), leads.column("CreatedDate"), strict=True))


def _same_person(source_records: Path, leads: Table) -> list[list[str]]:
    con = duckdb.connect()
    try:
        groups = con.execute(
            "select person_id, list(source_record_id order by source_record_id) "
            "from read_csv(?, header = true, all_varchar = true) "
            "where source_system = 'salesforce' and source_entity = 'lead' "
            "group by person_id having count(*) > 1 order by person_id",
            [str(source_records)],
        ).fetchall()
    finally:
        con.close()
    created = _created_order(leads)
    return [sorted(ids, key=lambda i: (created.get(i, ""), i)) for _, ids in groups]


def _sales_side_contacts(source_records: Path) -> set[str]:
    con = duckdb.connect()
    try:
        rows = con.execute(
            "with records as (select * from read_csv(?, header = true, all_varchar = true)) "
            "select source_record_id from records where source_system = 'hubspot' "
            "and person_id in (select person_id from records where source_system = 'salesforce')",
            [str(source_records)],
        ).fetchall()
    finally:
        con.close()
    return {record_id for (record_id,) in rows}


def _same_email(leads: Table) -> list[list[str]]:
    by_email: dict[str, list[str]] = {}
    for lead_id, email in zip(leads.column("Id"), leads.column("Email"), strict=True):
        key = email.strip().lower()
        if key:
            by_email.setdefault(key, []).append(lead_id)
    created = _created_order(leads)
    return [sorted(ids, key=lambda i: (created[i], i)) for ids in by_email.values() if len(ids) > 1]


# Ids of the daily records, in ranges day 0 never reaches, a block per day:
# - Salesforce: IdSequence counters; day 0's run from 1 to the object's row count (a few
#   million at most at large scale).
SF_COUNTER_START, SF_COUNTERS_PER_DAY = 100_000_000, 1_000_000
# - HubSpot Record IDs: day 0's are 51,000 plus gaps of at most 59 per contact (under 80
#   million at large scale); checked against the largest one read.
RECORD_ID_START, RECORD_IDS_PER_DAY = 200_000_000, 100_000
# - marketing events: day 0 numbers them one after the other from 3,100,000,001, so the
#   manifest's event count gives the largest without reading any event file.
FIRST_EVENT_ID = 3_100_000_001
EVENT_ID_START, EVENT_IDS_PER_DAY = 3_500_000_000, 1_000_000

# HubSpot lifecycle moves a day delivers: the marketing stages (the later ones come from
# Salesforce through the sync)
NEXT_STAGE = {"subscriber": "lead", "lead": "marketingqualifiedlead"}


class State:
    """Leads and contacts as the previous day left them."""

    def __init__(self, base: Base, staff: Staff, book: CampaignBook) -> None:
        if base.max_record_id >= RECORD_ID_START:
            raise ValueError(
                f"day-0 HubSpot Record IDs reach {base.max_record_id:,}, "
                f"the daily ones start at {RECORD_ID_START:,}"
            )
        if FIRST_EVENT_ID + base.events >= EVENT_ID_START:
            raise ValueError(
                f"day-0 marketing event ids reach {FIRST_EVENT_ID + base.events - 1:,}, "
                f"the daily ones start at {EVENT_ID_START:,}"
            )
        self.base, self.staff, self.book = base, staff, book
        steps = base.progression
        self.next_status = dict(itertools.pairwise(steps))
        leads = base.leads
        ids = leads.column("Id")
        self.index = {lead_id: i for i, lead_id in enumerate(ids)}
        self.rows: dict[str, dict[str, str]] = {}
        active = {u.id for u in staff.users if u.left_at is None}
        self.alive: dict[str, None] = {}  # neither deleted nor converted: can change
        self.movable: dict[str, None] = {}  # alive, one step to go, owned by an active rep
        for lead_id, status, deleted, converted, owner in zip(
            ids,
            leads.column("Status"),
            leads.column("IsDeleted"),
            leads.column("IsConverted"),
            leads.column("OwnerId"),
            strict=True,
        ):
            if deleted == "false" and converted == "false":
                self.alive[lead_id] = None
                if status in self.next_status and owner in active:
                    self.movable[lead_id] = None
        self.stage: dict[tuple[str, int], str] = {}
        self.contact_rows: dict[tuple[str, int], list[str]] = {}
        self.taken: set[str] = {e.strip().lower() for e in leads.column("Email")}
        for lang, table in base.contacts.items():
            codes = {
                labels[int(lang == "fr")]: code
                for code, labels in rules.HUBSPOT_LABELS["lifecycle_stage"].items()
            }
            # a person Sales already knows moves through Salesforce (even with no sync id on
            # the contact): a marketing move there would contradict the sales stages
            marketing_only = [
                not lead and not contact and record_id not in base.sales_side_contacts
                for lead, contact, record_id in zip(
                    table.column(LABEL[lang]["salesforce_lead_id"]),
                    table.column(LABEL[lang]["salesforce_contact_id"]),
                    table.column(LABEL[lang]["record_id"]),
                    strict=True,
                )
            ]
            for i, (stage, movable) in enumerate(
                zip(table.column(LABEL[lang]["lifecycle_stage"]), marketing_only, strict=True)
            ):
                code = codes.get(stage, "")
                if code in NEXT_STAGE and movable:
                    self.stage[(lang, i)] = code
            self.taken.update(e.strip().lower() for e in table.column(LABEL[lang]["email"]))

    def lead(self, lead_id: str) -> dict[str, str]:
        if lead_id not in self.rows:
            header = self.base.leads.header
            self.rows[lead_id] = dict(
                zip(header, self.base.leads.row(self.index[lead_id]), strict=True)
            )
        return self.rows[lead_id]

    def contact(self, key: tuple[str, int]) -> list[str]:
        if key not in self.contact_rows:
            lang, i = key
            self.contact_rows[key] = self.base.contacts[lang].row(i)
        return self.contact_rows[key]
