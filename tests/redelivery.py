"""A second delivery after the ``small`` fixture's run, through `smarketing run` as a user runs
it (the ``redelivery`` fixture in conftest.py): a run killed during dbt; a request to erase a
person, then a delivery with a planted defect and a file that cannot be read (held back: the
erasure is applied all the same); the corrected delivery, with HubSpot contacts who became
MQLs in October arriving after October was closed, and the erased person delivered again under
a new HubSpot record (dropped), published. Another process reads the serving copy all along.
The publication, committee, pipeline, identity and privacy tests read what each step did."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psutil

from smarketing.publish import read_status

# what dbt writes in the run's log when it starts building a model (it runs in the run's
# process: the log is where a building dbt shows)
DBT_BUILDING = " START sql "
LATE_MQLS = 6
# the HubSpot record id under which the erased person is delivered again
RETURNING_ID = "990099"
RUN_TIMEOUT = 900
# the dashboard's reads (dashboards/warehouse.py connect), in a loop while the pipeline runs
READER = r"""
import json, sys, time
from pathlib import Path
from dashboards.warehouse import connect

serving, stop = Path(sys.argv[1]), Path(sys.argv[2])
reads, errors, runs = 0, [], []
while not stop.exists():
    try:
        con = connect(serving)
        try:
            con.execute("select count(*) from marts.dim_leads").fetchone()
            run = con.execute(
                "select run_id from audit.publications where status = 'published' "
                "order by finished_at desc limit 1"
            ).fetchone()[0]
        finally:
            con.close()
        reads += 1
        if run not in runs:
            runs.append(run)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    time.sleep(0.02)
print(json.dumps({"reads": reads, "errors": errors, "runs": runs}))
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def command(root: Path, cutoff: str) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "SMARKETING_INBOX": str(root / "inbox"),
        "SMARKETING_WAREHOUSE": str(root / "warehouse.duckdb"),
        "SMARKETING_SERVING": str(root / "serving.duckdb"),
        "SMARKETING_DATA_DOCS": str(root / "data_docs"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    return [sys.executable, "-m", "smarketing.cli", "run", "--as-of", cutoff], env


def run(root: Path, cutoff: str) -> dict:
    args, env = command(root, cutoff)
    done = subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False
    )
    return {
        "returncode": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
        "serving": sha256(root / "serving.duckdb"),
        "served_runs": published_runs(root / "serving.duckdb"),
        "status": json.loads((root / "publication.json").read_text(encoding="utf-8")),
    }


def published_runs(serving: Path) -> list[str]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        rows = con.execute(
            "select run_id from audit.publications where status = 'published' order by finished_at"
        ).fetchall()
    finally:
        con.close()
    return [run_id for (run_id,) in rows]


def run_killed_during_dbt(root: Path, cutoff: str) -> dict:
    """Start a run, and kill -9 its whole process group once dbt is building."""
    args, env = command(root, cutoff)
    logs = root / "logs"
    earlier = set(logs.glob("run-*.log"))
    process = subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: its workers die with it
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    descendants: list[psutil.Process] = []
    try:
        while not dbt_is_building(logs, earlier):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the run ended before dbt could be caught building")
            time.sleep(0.2)
        time.sleep(2)
        descendants = psutil.Process(process.pid).children(recursive=True)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for child in descendants:  # anything that left the process group
            if child.is_running():
                child.kill()
    return {
        "pid": process.pid,
        "returncode": process.returncode,
        "serving": sha256(root / "serving.duckdb"),
        "status": json.loads((root / "publication.json").read_text(encoding="utf-8")),
    }


def dbt_is_building(logs: Path, earlier: set[Path]) -> bool:
    """Whether the run's log (the one not in EARLIER) says dbt started building a model."""
    for log in set(logs.glob("run-*.log")) - earlier:
        with log.open(encoding="utf-8", errors="replace") as handle:
            if any(DBT_BUILDING in line for line in handle):
                return True
    return False


def write_leads(source: Path, target: Path, blank_inbound_email_every: int | None) -> int:
    """Re-deliver the Salesforce leads as a new file (other bytes, LF line ends), blanking the
    e-mail of one inbound lead in BLANK_INBOUND_EMAIL_EVERY; returns the leads blanked."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    blanked = 0
    inbound = [r for r in rows if r["LeadSource"] != "Outbound Prospecting"]
    for i, row in enumerate(inbound):
        if blank_inbound_email_every and i % blank_inbound_email_every == 0 and row["Email"]:
            row["Email"] = ""
            blanked += 1
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return blanked


# UTF-16 cut in the middle of a character (a transfer that stopped short)
UNREADABLE_CONTACTS = (
    codecs.BOM_UTF16_LE
    + (
        "Record ID,First Name,Last Name,Email,Lifecycle Stage,Create Date\r\n"
        "9000001,Ana,Riou,ana@riou.example,Lead,2026-01-01 10:00\r\n"
    ).encode("utf-16-le")
    + b"9\x00\x00\xd8"
)


def write_late_contacts(root: Path, erased: dict | None = None) -> None:
    """HubSpot contacts who became MQLs in October, a month already closed, delivered late;
    and the ERASED person again, as a new contact (RETURNING_ID) with their e-mail and name."""
    source = root / "inbox" / "hubspot" / "hubspot-crm-exports-contacts-2026-11-20.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        template = next(reader)
    with (root / "inbox" / "hubspot" / "late-contacts.csv").open(
        "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for n in range(LATE_MQLS):
            row = dict.fromkeys(header, "")
            row.update(
                {
                    "Record ID": str(990000 + n),
                    "First Name": f"Latecomer{n}",
                    "Last Name": f"Tardif{n}",
                    "Email": f"latecomer{n}@retard-industrie{n}.fr",
                    "Company Name": f"Retard Industrie {n}",
                    "Country/Region": "France",
                    "Number of Employees": "250",
                    "Lifecycle Stage": "Marketing Qualified Lead",
                    "HubSpot Score": "85",
                    "Original Source": template["Original Source"],
                    "Original Source Drill-Down 1": template["Original Source Drill-Down 1"],
                    "Create Date": f"2026-10-{10 + n} 10:00",
                    "Last Modified Date": f"2026-10-{10 + n} 11:00",
                    "Became a Lead Date": f"2026-10-{10 + n} 10:00",
                    "Became a Marketing Qualified Lead Date": f"2026-10-{10 + n} 10:30",
                    "Unsubscribed from all email": "false",
                }
            )
            writer.writerow(row)
        if erased is not None:
            first_name, _, last_name = erased["name"].partition(" ")
            row = dict.fromkeys(header, "")
            row.update(
                {
                    "Record ID": RETURNING_ID,
                    "First Name": first_name,
                    "Last Name": last_name,
                    "Email": erased["email"],
                    "Lifecycle Stage": "Lead",
                    "Create Date": "2026-11-18 10:00",
                    "Last Modified Date": "2026-11-18 10:00",
                }
            )
            writer.writerow(row)


# --- the erased person ------------------------------------------------------------------------


def a_person_in_no_committee_figure(restricted: Path) -> dict:
    """A person with a Salesforce lead and a HubSpot contact, an e-mail and a phone of their
    own, who never reached a funnel stage (so no committee month, frozen or live, counts
    them)."""
    con = duckdb.connect(str(restricted), read_only=True)
    try:
        row = con.execute(
            """
            select l.unified_lead_id, l.email, l.phone, l.first_name, l.last_name
            from marts.dim_leads l
            where l.salesforce_lead_count = 1 and l.hubspot_contact_count = 1
                and l.email_is_valid and not l.email_is_shared and not l.phone_is_shared
                and l.phone is not null and length(l.first_name || l.last_name) > 10
                and not exists (
                    select 1 from marts.fct_lead_funnel f
                    where f.unified_lead_id = l.unified_lead_id
                        and coalesce(f.mql_at, f.handoff_at, f.sal_at, f.sql_at,
                            f.opportunity_at, f.won_at, f.disqualified_at) is not null
                )
            order by l.unified_lead_id limit 1
            """
        ).fetchone()
        records = con.execute(
            "select source_system, source_entity, source_record_id "
            "from marts.bridge_lead_source_records where unified_lead_id = ?",
            [row[0]],
        ).fetchall()
    finally:
        con.close()
    unified_lead_id, email, phone, first_name, last_name = row
    return {
        "unified_lead_id": unified_lead_id,
        "email": email,
        "phone": phone,
        "name": f"{first_name} {last_name}",
        "records": records,
    }


def needles(person: dict) -> dict[str, str]:
    """What must not remain: the e-mail, the phone (as stored, and as a French number is
    typed), the full name, the unified id."""
    phone = person["phone"]
    national = "0" + phone[3:] if phone.startswith("+33") else phone
    return {
        "email": person["email"].lower(),
        "phone": phone,
        "phone_typed": " ".join(national[i : i + 2] for i in range(0, len(national), 2)),
        "phone_digits": national,
        "name": person["name"].lower(),
        "unified_lead_id": person["unified_lead_id"],
    }


def duckdb_cells(path: Path) -> Iterator[tuple[str, str, str]]:
    """(table, column, text) of every non-null text or list cell of the DuckDB file PATH, but
    the reference seeds (placeholder addresses such as a@a.com)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and schema_name <> 'seeds' "
            "and (data_type = 'VARCHAR' or data_type like '%[]' or data_type = 'JSON')"
        ).fetchall()
        for schema, table, column in columns:
            name = f'"{schema}"."{table}"'
            for (value,) in con.execute(
                f'select distinct cast("{column}" as varchar) from {name} '
                f'where "{column}" is not null'
            ).fetchall():
                yield f"{schema}.{table}", column, value
    finally:
        con.close()


def hits(path: Path, person: dict) -> list[tuple[str, str, str]]:
    """(table, column, what) wherever the DuckDB file PATH still holds the person."""
    wanted = needles(person)
    return sorted(
        {
            (table, column, label)
            for table, column, value in duckdb_cells(path)
            for label, needle in wanted.items()
            if needle in value.lower()
        }
    )


def request_erasure(root: Path, person: dict) -> dict:
    """`smarketing erase --email` as a DPO types it (another case), and the register after."""
    done = subprocess.run(
        [sys.executable, "-m", "smarketing.cli", "erase", "--email", person["email"].upper()],
        env={**os.environ, "SMARKETING_WAREHOUSE": str(root / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    register = root / "privacy" / "erasure_requests.jsonl"
    return {
        "returncode": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
        "register": register.read_text(encoding="utf-8") if register.is_file() else "",
    }


def scenario(source: Path, root: Path) -> dict:
    """Run the whole scenario in ROOT on a copy of SOURCE's published state."""
    for name in (
        "warehouse.duckdb",
        "serving.duckdb",
        "serving_restricted.duckdb",
        "publication.json",
    ):
        shutil.copy2(source / name, root / name)
    for name in ("inbox", "truth", "privacy"):
        shutil.copytree(source / name, root / name)
    cutoff = json.loads((source / "truth" / "manifest.json").read_text(encoding="utf-8"))["cutoff"]
    published_before = read_status(root / "publication.json")
    assert published_before is not None and published_before.status == "published"
    observed: dict = {
        "root": root,
        "before": published_before,
        "serving": sha256(root / "serving.duckdb"),
    }
    observed["killed"] = run_killed_during_dbt(root, cutoff)

    stop = root / "stop-reader"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root / "serving.duckdb"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        person = a_person_in_no_committee_figure(root / "serving_restricted.duckdb")
        observed["erasure"] = {"person": person, "request": request_erasure(root, person)}
        leads = root / "inbox" / "salesforce" / "Lead.csv"
        observed["blanked"] = write_leads(leads, leads.with_name("Lead-defect.csv"), 10)
        # a file that cannot be read whole loads nothing: it holds the publication back too
        unreadable = root / "inbox" / "hubspot" / "contacts-truncated.csv"
        unreadable.write_bytes(UNREADABLE_CONTACTS)
        observed["defect"] = run(root, cutoff)
        observed["erasure"]["after_defect"] = {
            name: hits(root / name, person)
            for name in ("serving.duckdb", "serving_restricted.duckdb", "warehouse.duckdb")
        }
        unreadable.unlink()
        # every lead again, the erased person's included
        write_leads(leads, leads.with_name("Lead-corrected.csv"), None)
        write_late_contacts(root, erased=person)
        observed["corrected"] = run(root, cutoff)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    observed["reader"] = json.loads(out)
    return observed
