"""Personal data: the shared serving copy holds no direct identifier, the restricted one is
its owner's only, and an erased person leaves nothing behind.

The erasure rides on the redelivery scenario (tests/redelivery.py): the request is applied by
the run its planted defect holds back (the serving copies are rewritten without the person all
the same), then the corrected delivery holds the same person again (dropped) and is published.
Then every table of every DuckDB file and every file the warehouse wrote is searched for the
person."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from smarketing.privacy import classification, pseudonym
from tests import redelivery

MARTS = Path(__file__).resolve().parents[1] / "dbt" / "models" / "marts"
# column names that hold a person's identity wherever they appear in a mart
PERSONAL_NAME = re.compile(
    r"^(?!(has|with|is)_)(\w+_)?(email|phone|first_name|last_name|full_name|subject)$"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


# --- the pseudonym and the classification -----------------------------------------------------


def test_the_sql_pseudonym_is_the_python_one() -> None:
    key = bytes(range(32))
    con = duckdb.connect()
    pseudonym.create_macro(con, key)
    values = ["Marie.Dupont@Example.FR", " jean@x.fr ", "é@ü.de", "+33612345678", "00Q5e00000A"]
    for value in values:
        sql = con.execute(f"select {pseudonym.MACRO}(?)", [value]).fetchone()[0]
        assert sql == pseudonym.pseudonym(key, value)
        assert re.fullmatch(r"p_[0-9a-f]{20}", sql)
    assert pseudonym.pseudonym(key, "A@B.FR") == pseudonym.pseudonym(key, "a@b.fr ")
    assert pseudonym.pseudonym(key, "a@b.fr") != pseudonym.pseudonym(bytes(32), "a@b.fr")
    assert con.execute(f"select {pseudonym.MACRO}(null)").fetchone()[0] is None
    # the macro is temporary: nothing of the key is in a database file
    assert con.execute(
        "select database_name from duckdb_functions() where function_name = ?",
        [pseudonym.MACRO],
    ).fetchall() == [("temp",)]


def test_the_key_is_made_once_owner_only_or_given_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(pseudonym.KEY_ENV, raising=False)
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(FileNotFoundError, match="no pseudonym key"):
        pseudonym.load_key(warehouse, create=False)
    key = pseudonym.load_key(warehouse)
    assert len(key) == 32 and pseudonym.load_key(warehouse) == key
    path = pseudonym.key_path(warehouse)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    monkeypatch.setenv(pseudonym.KEY_ENV, "ab" * 32)
    assert pseudonym.load_key(warehouse) == bytes.fromhex("ab" * 32)
    monkeypatch.setenv(pseudonym.KEY_ENV, "not hex")
    with pytest.raises(pseudonym.PseudonymKeyError, match="64 hex digits"):
        pseudonym.load_key(warehouse)


def test_every_personal_column_of_the_marts_is_classified() -> None:
    """A mart column named like an e-mail, a phone, a name or a subject must say what it is
    (``config.meta.personal_data``): the shared copy only treats what is classified."""
    unclassified = []
    for path in sorted(MARTS.rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            personal = classification.personal_columns("marts", model["name"])
            for column in model.get("columns") or []:
                name = column["name"]
                if PERSONAL_NAME.search(name) and name not in personal:
                    unclassified.append(f"{model['name']}.{name}")
    assert unclassified == []
    assert classification.personal_columns("marts", "dim_leads") == {
        "first_name": "name",
        "last_name": "name",
        "email": "contact",
        "phone": "contact",
    }


def test_a_wrong_kind_is_refused_naming_the_column(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text(
        "models:\n  - name: m\n    columns:\n      - name: email\n"
        "        config: {meta: {personal_data: secret}}\n",
        encoding="utf-8",
    )
    with pytest.raises(classification.ClassificationError, match=r"m\.email.*secret"):
        classification.classified(tmp_path)


# --- the two serving copies of the small run ---------------------------------------------------


def test_the_shared_copy_holds_no_direct_identifier(small: dict) -> None:
    root = small["root"]
    shared, restricted = root / "serving.duckdb", root / "serving_restricted.duckdb"
    assert stat.S_IMODE(restricted.stat().st_mode) == 0o600
    addresses = sorted(
        {(t, c) for t, c, value in redelivery.duckdb_cells(shared) if EMAIL.search(value)}
    )
    assert addresses == []
    key = pseudonym.load_key(root / "warehouse.duckdb", create=False)
    con = duckdb.connect(str(restricted), read_only=True)
    con.execute(f"attach '{shared}' as shared (read_only)")
    try:
        emails = con.execute(
            "select r.email, s.email, r.phone, s.phone, s.first_name, s.last_name "
            "from marts.dim_leads r join shared.marts.dim_leads s using (unified_lead_id) "
            "where r.email is not null and r.phone is not null"
        ).fetchall()
        counts = con.execute(
            "select (select count(distinct email) from marts.dim_leads), "
            "(select count(distinct email) from shared.marts.dim_leads), "
            "(select count(*) from shared.marts.fct_activities where subject is not null), "
            "(select count(*) from shared.marts.fct_activities), "
            "(select count(*) from shared.audit.rejected_rows where raw_fields is not null)"
        ).fetchone()
    finally:
        con.close()
    assert len(emails) > 500
    for email, shared_email, phone, shared_phone, first_name, last_name in emails:
        assert shared_email == pseudonym.pseudonym(key, email)
        assert shared_phone == pseudonym.pseudonym(key, phone)
        assert first_name is None and last_name is None
    # one pseudonym per address: distinct counts and joins are the restricted copy's
    assert counts[0] == counts[1] > 0
    assert counts[2] == 0 and counts[3] > 0 and counts[4] == 0


def test_the_shared_copy_of_real_export_shapes_holds_no_address(handmade: dict) -> None:
    """The hand-made run (real samples of ../shared/fixtures, report and UI exports, Pipedrive
    through mappings, a row rejected for an open quote): the restricted copy holds addresses and
    the rejected row's fields, the shared one none of them."""
    root = handmade["root"]
    assert handmade["run"].returncode == 0
    restricted = [
        (t, c)
        for t, c, value in redelivery.duckdb_cells(root / "serving_restricted.duckdb")
        if EMAIL.search(value)
    ]
    assert ("marts.dim_leads", "email") in restricted
    assert ("audit.rejected_rows", "raw_fields") in restricted
    shared = root / "serving.duckdb"
    assert sorted({(t, c) for t, c, v in redelivery.duckdb_cells(shared) if EMAIL.search(v)}) == []
    con = duckdb.connect(str(shared), read_only=True)
    try:
        rejected = con.execute(
            "select count(*), count(raw_fields) from audit.rejected_rows"
        ).fetchone()
    finally:
        con.close()
    assert rejected is not None and rejected[0] > 0 and rejected[1] == 0


# --- erasure (the redelivery scenario: tests/redelivery.py) ------------------------------------


@pytest.fixture(scope="module")
def erasure(redelivery: dict) -> dict:
    return {**redelivery["erasure"], "root": redelivery["root"], "redelivery": redelivery}


def cli(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smarketing.cli", *args],
        env={**os.environ, "SMARKETING_WAREHOUSE": str(root / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_erasure_request_keeps_the_address_only_until_it_is_applied(erasure: dict) -> None:
    request, person = erasure["request"], erasure["person"]
    assert request["returncode"] == 0, request["stderr"]
    assert "next run" in request["stdout"]
    pending = [json.loads(line) for line in request["register"].splitlines()]
    assert [(r["status"], r["kind"]) for r in pending] == [("pending", "email")]
    assert pending[0]["value"].lower() == person["email"]
    again = cli("erase", "--email", person["email"], root=erasure["root"])
    assert again.returncode == 0 and "Already requested" in again.stdout
    bad = cli("erase", "--email", "no-at-sign", root=erasure["root"])
    assert bad.returncode != 0 and "not an e-mail address" in bad.stderr
    neither = cli("erase", root=erasure["root"])
    assert neither.returncode != 0 and "--email or --record-id" in neither.stderr


def test_a_held_back_run_still_erases_from_every_copy(erasure: dict) -> None:
    defect = erasure["redelivery"]["defect"]
    assert defect["status"]["status"] == "held_back"
    assert "erasure request" in _run_log(defect)
    assert erasure["after_defect"] == {
        "serving.duckdb": [],
        "serving_restricted.duckdb": [],
        "warehouse.duckdb": [],
    }
    # what readers see is still the last publication: the person only is gone from it
    assert defect["served_runs"] == [erasure["redelivery"]["before"].run_id]


def test_the_tombstone_keeps_keyed_hashes_only(erasure: dict) -> None:
    root, person = erasure["root"], erasure["person"]
    text = (root / "privacy" / "erasure_requests.jsonl").read_text(encoding="utf-8")
    [tombstone] = [json.loads(line) for line in text.splitlines()]
    assert tombstone["status"] == "applied" and tombstone["value"] is None
    assert tombstone["applied_at"] and tombstone["request_id"].startswith("er_")
    assert tombstone["run_id"] == erasure["redelivery"]["defect"]["status"]["run_id"]
    assert all(re.fullmatch(r"p_[0-9a-f]{20}", i) for i in tombstone["identifiers"])
    key = pseudonym.load_key(root / "warehouse.duckdb", create=False)
    for value in (person["email"], person["phone"], *(r[2] for r in person["records"])):
        assert pseudonym.pseudonym(key, value) in tombstone["identifiers"]
    for needle in redelivery.needles(person).values():
        assert needle not in text.lower()
    status = cli("erase", "--status", root=root)
    assert tombstone["request_id"] in status.stdout and "applied" in status.stdout
    con = duckdb.connect(str(root / "serving.duckdb"), read_only=True)
    try:
        logged = con.execute("select request_id, kind from audit.erasures").fetchall()
    finally:
        con.close()
    assert logged == [(tombstone["request_id"], "email")]


def test_a_later_delivery_does_not_bring_the_person_back(erasure: dict) -> None:
    """The corrected leads hold the person's lead again, the late contacts a new HubSpot record
    with their e-mail: both are loaded as delivered, counted, then taken out."""
    corrected = erasure["redelivery"]["corrected"]
    assert corrected["returncode"] == 0, corrected["stdout"][-3000:] + corrected["stderr"][-3000:]
    lead_id = next(r[2] for r in erasure["person"]["records"] if r[1] == "lead")
    con = duckdb.connect(str(erasure["root"] / "warehouse.duckdb"), read_only=True)
    try:
        removed = dict(
            con.execute(
                "select a.source_file, sum(r.rows_removed) from audit.removed_rows r "
                "join audit.load_audit a on a.file_sha256 = r.file_sha256 "
                "where a.run_id = ? group by all",
                [corrected["status"]["run_id"]],
            ).fetchall()
        )
        back = con.execute(
            "select (select count(*) from raw.salesforce__lead where trim(id) = ?), "
            "(select count(*) from raw.hubspot__contact where record_id = ?)",
            [lead_id, redelivery.RETURNING_ID],
        ).fetchone()
    finally:
        con.close()
    assert removed == {"salesforce/Lead-corrected.csv": 1, "hubspot/late-contacts.csv": 1}
    assert back == (0, 0)
    # the request's run rebuilt the merged staging models from raw; the later rows were dropped
    # before anything merged them, so this run merges them as usual (the marts' part, which the
    # defect stopped before, is rebuilt here: it has not been since the erasure)
    rebuilt = "dbt_before_identity: incremental models rebuilt from raw: people were erased"
    assert rebuilt in _run_log(erasure["redelivery"]["defect"])
    assert rebuilt not in _run_log(corrected)


def _run_log(run: dict) -> str:
    found = re.search(r"Full log: (\S+)", run["stdout"] + run["stderr"])
    assert found, run["stdout"][-2000:]
    return Path(found.group(1)).read_text(encoding="utf-8", errors="replace")


def test_nothing_of_an_erased_person_remains_anywhere(erasure: dict) -> None:
    """Every table of every DuckDB file, and every other file the warehouse wrote (status,
    quality history, Data Docs, logs, dbt's artifacts, Dagster's storage), searched for the
    e-mail, the phone and the full name."""
    root, person = erasure["root"], erasure["person"]
    assert erasure["redelivery"]["corrected"]["returncode"] == 0
    for database in sorted(root.glob("*.duckdb")):
        assert redelivery.hits(database, person) == [], database.name
    wanted = redelivery.needles(person)
    written = [
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix != ".duckdb"
        and not {"inbox", "truth"} & set(path.relative_to(root).parts)
    ]
    assert len(written) > 50
    found = []
    for path in written:
        content = path.read_bytes().lower()
        for label in ("email", "phone", "name"):
            if wanted[label].encode() in content:
                found.append((str(path.relative_to(root)), label))
    assert found == []


# --- erasure on a hand-made warehouse ------------------------------------------------------


def _raw(con: duckdb.DuckDBPyConnection, table: str, file: str, rows: list[dict]) -> None:
    for number, row in enumerate(rows, start=1):
        columns = [*row, "_source_file", "_file_sha256", "_row_number", "_loaded_at"]
        values = [*row.values(), file, f"sha-{file}", number, "2026-11-01 08:00:00+00"]
        con.execute(
            f"insert into raw.{table} ({', '.join(columns)}) "
            f"values ({', '.join('?' for _ in values)})",
            values,
        )


def test_an_erasure_by_record_id_takes_what_points_at_the_person_and_nothing_else(
    tmp_path: Path,
) -> None:
    """HubSpot ids are numbers: an event of another contact whose campaign id happens to equal
    the person's id is kept; the person's contact, their events (by id or e-mail), their
    Salesforce lead and their Pipedrive person (read through a mapping) holding the same e-mail,
    and that person's activity, go, each counted against its file. A Pipedrive deal (the
    company's) naming the person stays."""
    from smarketing.config.mappings import load_mappings
    from smarketing.ingest.registry import export_kinds
    from smarketing.ingest.schema import ensure_schema
    from smarketing.privacy import erasure
    from smarketing.settings import Settings

    settings = Settings(
        inbox=tmp_path / "inbox",
        warehouse=tmp_path / "warehouse.duckdb",
        serving=tmp_path / "serving.duckdb",
        data_docs=tmp_path / "data_docs",
    )
    kinds = (*export_kinds(), *(mapping.kind() for mapping in load_mappings()))
    con = duckdb.connect(str(settings.warehouse))
    ensure_schema(con, kinds[len(export_kinds()) :])
    deliveries = {
        ("hubspot__contact", "contacts.csv"): [
            {"record_id": "501", "first_name": "Zéphyrine", "email": "Zephyrine@Quaglia.example"},
            {"record_id": "777", "first_name": "Paul", "email": "paul@other.example"},
        ],
        ("hubspot__marketing_event", "events.csv"): [
            {"event_id": "e1", "contact_record_id": "501", "campaign_id": "c9"},
            {"event_id": "e2", "contact_record_id": "777", "campaign_id": "501"},
            {"event_id": "e3", "email": " zephyrine@quaglia.example", "campaign_id": "c9"},
        ],
        ("salesforce__lead", "Lead.csv"): [
            {"id": "00Q000000000001AAA", "email": "ZEPHYRINE@quaglia.example"},
            {"id": "00Q000000000002AAA", "email": "paul@other.example"},
        ],
        ("mapped__pipedrive_persons", "people.csv"): [
            {"person_id": "9001", "person_email_work": "zephyrine@quaglia.example"},
            {"person_id": "9002", "person_email_work": "paul@other.example"},
        ],
        ("mapped__pipedrive_activities", "activities.csv"): [
            {"activity_id": "a1", "activity_contact_person_id": "9001"},
            {"activity_id": "a2", "activity_contact_person_id": "9002"},
        ],
        ("mapped__pipedrive_deals", "deals.csv"): [
            {"deal_id": "d1", "deal_contact_person_id": "9001"},
        ],
    }
    for (table, file), rows in deliveries.items():
        _raw(con, table, file, rows)
    recorded = cli("erase", "--record-id", " 501 ", root=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    [request] = erasure.requests(settings)
    assert (request.kind, request.value, request.status) == ("record_id", "501", "pending")
    applied = erasure.apply(con, settings, "run-1", kinds)
    assert [r.request_id for r in applied.requests] == [request.request_id]
    left = {
        table: sorted(row[0] for row in con.execute(f"select {key} from raw.{table}").fetchall())
        for table, key in (
            ("hubspot__contact", "record_id"),
            ("hubspot__marketing_event", "event_id"),
            ("salesforce__lead", "id"),
            ("mapped__pipedrive_persons", "person_id"),
            ("mapped__pipedrive_activities", "activity_id"),
            ("mapped__pipedrive_deals", "deal_id"),
        )
    }
    assert left == {
        "hubspot__contact": ["777"],
        "hubspot__marketing_event": ["e2"],
        "salesforce__lead": ["00Q000000000002AAA"],
        "mapped__pipedrive_persons": ["9002"],
        "mapped__pipedrive_activities": ["a2"],
        "mapped__pipedrive_deals": ["d1"],
    }
    removed = dict(
        con.execute(
            "select file_sha256, sum(rows_removed) from audit.removed_rows "
            "where reason = 'erasure' group by all"
        ).fetchall()
    )
    assert removed == {
        "sha-contacts.csv": 1,
        "sha-events.csv": 2,
        "sha-Lead.csv": 1,
        "sha-people.csv": 1,
        "sha-activities.csv": 1,
    }
    # a second run: nothing pending, nothing of theirs delivered: nothing removed
    assert erasure.apply(con, settings, "run-2", kinds).rows_removed == 0
    con.close()
