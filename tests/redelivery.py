"""A second delivery after the ``small`` fixture's run, through `smarketing run` as a user runs
it (the ``redelivery`` fixture in conftest.py): a run killed during dbt; a delivery with a
planted defect and a file that cannot be read (held back); the corrected delivery, with HubSpot
contacts who became MQLs in October arriving after October was closed (published). Another
process reads the serving copy all along. The publication, committee, pipeline and identity
tests read what each step did."""

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
from pathlib import Path

import psutil

from dagster_project.lib.dbt_project import dbt_executable
from smarketing.publish import read_status

# the program a run starts dbt with (smarketing-dbt, which starts dbt in its own process)
DBT = Path(dbt_executable()).name
LATE_MQLS = 6
RUN_TIMEOUT = 900
READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

serving, stop = Path(sys.argv[1]), Path(sys.argv[2])
reads, errors, runs = 0, [], []
while not stop.exists():
    try:
        con = duckdb.connect(str(serving), read_only=True)
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
        "status": json.loads((root / "publication.json").read_text(encoding="utf-8")),
    }


def run_killed_during_dbt(root: Path, cutoff: str) -> dict:
    """Start a run, and kill -9 its whole process group once dbt is building."""
    args, env = command(root, cutoff)
    process = subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: dbt dies with it
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    descendants: list[psutil.Process] = []
    try:
        while not dbt_is_building(process.pid):
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


def dbt_is_building(pid: int) -> bool:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return False
    for child in children:
        try:
            cmdline = child.cmdline()
        except psutil.Error:
            continue
        if "build" in cmdline and any(Path(part).name == DBT for part in cmdline):
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


def write_late_contacts(root: Path) -> None:
    """HubSpot contacts who became MQLs in October, a month already closed, delivered late."""
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


def scenario(source: Path, root: Path) -> dict:
    """Run the whole scenario in ROOT on a copy of SOURCE's published state."""
    for name in ("warehouse.duckdb", "serving.duckdb", "publication.json"):
        shutil.copyfile(source / name, root / name)
    shutil.copytree(source / "inbox", root / "inbox")
    shutil.copytree(source / "truth", root / "truth")
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
        leads = root / "inbox" / "salesforce" / "Lead.csv"
        observed["blanked"] = write_leads(leads, leads.with_name("Lead-defect.csv"), 10)
        # a file that cannot be read whole loads nothing: it holds the publication back too
        unreadable = root / "inbox" / "hubspot" / "contacts-truncated.csv"
        unreadable.write_bytes(UNREADABLE_CONTACTS)
        observed["defect"] = run(root, cutoff)
        unreadable.unlink()
        write_leads(leads, leads.with_name("Lead-corrected.csv"), None)
        write_late_contacts(root)
        observed["corrected"] = run(root, cutoff)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    observed["reader"] = json.loads(out)
    return observed
