"""Personal data: the shared serving copy holds no direct identifier, the restricted one is
its owner's only, and an erased person leaves nothing behind.

The erasure scenario runs twice on a copy of the ``small`` run: a request, applied by a run a
broken file holds back (the serving copies are rewritten without the person all the same),
then a later delivery holding the same person again (dropped), published. Then every table of
every DuckDB file and every file the warehouse wrote is searched for the person."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from smarketing.privacy import classification, pseudonym
from tests.conftest import run_cli
from tests.redelivery import UNREADABLE_CONTACTS

MARTS = Path(__file__).resolve().parents[1] / "dbt" / "models" / "marts"
# column names that hold a person's identity wherever they appear in a mart
PERSONAL_NAME = re.compile(
    r"^(?!(has|with|is)_)(\w+_)?(email|phone|first_name|last_name|full_name|subject)$"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


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


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smarketing.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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
    addresses = sorted({(t, c) for t, c, value in duckdb_cells(shared) if EMAIL.search(value)})
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


# --- erasure ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def erasure(small: dict, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The request, the held-back run that applies it, the later delivery that brings the
    person back (dropped), published."""
    root = tmp_path_factory.mktemp("erasure")
    source = small["root"]
    for name in ("warehouse.duckdb", "serving.duckdb", "serving_restricted.duckdb"):
        shutil.copy2(source / name, root / name)
    for name in ("inbox", "truth", "privacy"):
        shutil.copytree(source / name, root / name)
    env = {"SMARKETING_WAREHOUSE": str(root / "warehouse.duckdb")}
    person = _a_person_in_no_committee_figure(root / "serving_restricted.duckdb")
    observed: dict = {"root": root, "person": person, "env": env}
    observed["request"] = cli("erase", "--email", person["email"].upper(), env=env)
    observed["register_pending"] = (root / "privacy" / "erasure_requests.jsonl").read_text()
    unreadable = root / "inbox" / "hubspot" / "contacts-truncated.csv"
    unreadable.write_bytes(UNREADABLE_CONTACTS)
    observed["held_back"] = run_cli(root)
    observed["after_held_back"] = {
        name: _hits(root / name, person)
        for name in ("serving.duckdb", "serving_restricted.duckdb", "warehouse.duckdb")
    }
    unreadable.unlink()
    observed["later_rows"] = _deliver_again(root, person)
    observed["published"] = run_cli(root)
    return observed


def _a_person_in_no_committee_figure(restricted: Path) -> dict:
    """A person with a Salesforce lead and a HubSpot contact, an e-mail and a phone of their
    own, who never became an MQL (so no frozen committee month counted them)."""
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
                        and (f.mql_at is not null or f.handoff_at is not null)
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


def _needles(person: dict) -> dict[str, str]:
    """What must not remain: the e-mail, the phone (as stored and as a French number is
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


def _hits(path: Path, person: dict) -> list[tuple[str, str, str]]:
    needles = _needles(person)
    return sorted(
        {
            (table, column, label)
            for table, column, value in duckdb_cells(path)
            for label, needle in needles.items()
            if needle in value.lower()
        }
    )


def _deliver_again(root: Path, person: dict) -> dict[str, int]:
    """Every export row of the person's lead and contacts (and one other person's per file) in
    new files, as a later export would bring them again; returns the person's rows per file."""
    written = {}
    later = root / "inbox" / "later"
    later.mkdir()
    email = person["email"]
    seen: set[bytes] = set()
    for source in sorted((root / "inbox").rglob("*.csv")):
        data = source.read_bytes()
        if "later" in source.parts or data in seen:  # an export delivered twice: once here
            continue
        seen.add(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        rows = list(csv.reader(text.splitlines()))
        theirs = [r for r in rows[1:] if any(c.strip().lower() == email for c in r)]
        if not theirs or not any(w in source.name.lower() for w in ("lead", "contact")):
            continue
        other = next(r for r in rows[1:] if r not in theirs and any("@" in c for c in r))
        target = later / f"later-{source.name}"
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([rows[0], *theirs, other])
        written[f"later/{target.name}"] = len(theirs)
    return written


def test_an_erasure_request_keeps_the_address_only_until_it_is_applied(erasure: dict) -> None:
    request = erasure["request"]
    assert request.returncode == 0, request.stderr
    assert "next run" in request.stdout
    pending = [json.loads(line) for line in erasure["register_pending"].splitlines()]
    assert [(r["status"], r["kind"]) for r in pending] == [("pending", "email")]
    assert pending[0]["value"].lower() == erasure["person"]["email"]
    again = cli("erase", "--email", erasure["person"]["email"], env=erasure["env"])
    assert again.returncode == 0 and "Already requested" in again.stdout
    bad = cli("erase", "--email", "no-at-sign", env=erasure["env"])
    assert bad.returncode != 0 and "not an e-mail address" in bad.stderr
    neither = cli("erase", env=erasure["env"])
    assert neither.returncode != 0 and "--email or --record-id" in neither.stderr


def test_a_held_back_run_still_erases_from_every_copy(erasure: dict) -> None:
    held_back = erasure["held_back"]
    assert held_back.returncode != 0
    assert "contacts-truncated.csv" in held_back.stdout + held_back.stderr
    assert erasure["after_held_back"] == {
        "serving.duckdb": [],
        "serving_restricted.duckdb": [],
        "warehouse.duckdb": [],
    }


def test_the_tombstone_keeps_keyed_hashes_only(erasure: dict) -> None:
    root, person = erasure["root"], erasure["person"]
    text = (root / "privacy" / "erasure_requests.jsonl").read_text(encoding="utf-8")
    [tombstone] = [json.loads(line) for line in text.splitlines()]
    assert tombstone["status"] == "applied" and tombstone["value"] is None
    assert tombstone["applied_at"] and tombstone["request_id"].startswith("er_")
    assert all(re.fullmatch(r"p_[0-9a-f]{20}", i) for i in tombstone["identifiers"])
    key = pseudonym.load_key(root / "warehouse.duckdb", create=False)
    for value in (person["email"], person["phone"], *(r[2] for r in person["records"])):
        assert pseudonym.pseudonym(key, value) in tombstone["identifiers"]
    for needle in _needles(person).values():
        assert needle not in text.lower()
    status = cli("erase", "--status", env=erasure["env"])
    assert tombstone["request_id"] in status.stdout and "applied" in status.stdout


def test_a_later_delivery_does_not_bring_the_person_back(erasure: dict) -> None:
    published = erasure["published"]
    assert published.returncode == 0, published.stdout[-3000:] + published.stderr[-3000:]
    con = duckdb.connect(str(erasure["root"] / "warehouse.duckdb"), read_only=True)
    try:
        loaded = dict(
            con.execute(
                "select source_file, rows_loaded from audit.load_audit "
                "where source_file like 'later/%'"
            ).fetchall()
        )
        removed = dict(
            con.execute(
                "select a.source_file, sum(r.rows_removed) from audit.removed_rows r "
                "join audit.load_audit a on a.file_sha256 = r.file_sha256 "
                "where a.source_file like 'later/%' group by all"
            ).fetchall()
        )
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw'"
            ).fetchall()
        ]
        kept = dict(
            con.execute(
                " union all ".join(
                    f"select _source_file, count(*) from raw.{name} "
                    "where _source_file like 'later/%' group by all"
                    for name in tables
                )
            ).fetchall()
        )
    finally:
        con.close()
    written = erasure["later_rows"]
    assert len(written) >= 2 and all(n >= 1 for n in written.values())
    for name, theirs in written.items():
        # loaded as delivered, the person's rows taken out and counted, the other one kept
        assert loaded[name] == theirs + 1
        assert removed[name] == theirs
        assert kept[name] == 1
    # the request's run rebuilt the merged models from raw; the later rows were dropped before
    # anything merged them, so this run merges as usual
    rebuilt = "rebuilt from raw: people were erased"
    assert rebuilt in _run_log(erasure["held_back"])
    assert rebuilt not in _run_log(published)


def _run_log(run: subprocess.CompletedProcess[str]) -> str:
    found = re.search(r"Full log: (\S+)", run.stdout + run.stderr)
    assert found, run.stdout[-2000:]
    return Path(found.group(1)).read_text(encoding="utf-8", errors="replace")


def test_nothing_of_an_erased_person_remains_anywhere(erasure: dict) -> None:
    """Every table of every DuckDB file, and every other file the warehouse wrote (status,
    quality history, Data Docs, logs, dbt's artifacts, Dagster's storage), searched for the
    e-mail, the phone and the full name."""
    root, person = erasure["root"], erasure["person"]
    assert erasure["published"].returncode == 0
    for database in sorted(root.glob("*.duckdb")):
        assert _hits(database, person) == [], database.name
    needles = _needles(person)
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
            if needles[label].encode() in content:
                found.append((str(path.relative_to(root)), label))
    assert found == []
