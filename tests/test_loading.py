"""The loader: every file audited, every row loaded or rejected with a reason, nothing twice."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from smarketing.ingest import loading
from smarketing.ingest.headers import UnknownExport, recognise
from smarketing.ingest.loading import load_inbox
from smarketing.ingest.registry import export_kinds, kind_named
from tests.conftest import FIXTURES

HUBSPOT_EN = (
    "Record ID,First Name,Last Name,Email,Lifecycle Stage,Lead Status,HubSpot Score,"
    "Original Source,Create Date,Contact owner,Persona\r\n"
    "101,Élodie,Dupont,elodie.dupont@exemple.fr,Marketing Qualified Lead,New,72,Paid Search,"
    "2026-03-05 14:22,Camille Martin,Décideur\r\n"
    "102,Jean,Martin,jean.martin@exemple.fr,Lead,,12,Organic Search,2026-03-06 09:00,,\r\n"
)
HUBSPOT_FR = (
    "ID de fiche d'informations;Prénom;Nom;E-mail;Phase du cycle de vie;Statut du lead;"
    "Score HubSpot;Source d'origine;Date de création;Propriétaire du contact\r\n"
    "201;Gaëlle;Lœuvre;gaelle@exemple.fr;Lead qualifié marketing;Nouveau;65;"
    "Recherche payante;05/03/2026 14:22;Camille Martin\r\n"
    "202;François;Cœur;f.coeur@exemple.fr;Abonné;;10;Trafic direct;06/03/2026 09:00;\r\n"
)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def audit(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    rows = con.execute(
        "select source_file, status, rows_read, rows_loaded, rows_rejected, error, raw_table, "
        "encoding, delimiter, header_language from audit.load_audit"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_english_and_french_hubspot_exports_land_in_one_table(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "contacts-en.csv", HUBSPOT_EN)
    write(inbox / "contacts-fr.csv", HUBSPOT_FR, encoding="cp1252")
    load_inbox(con, inbox)
    files = audit(con)
    assert files["contacts-en.csv"][:4] == ("loaded", 2, 2, 0)
    assert files["contacts-fr.csv"][:4] == ("loaded", 2, 2, 0)
    assert files["contacts-en.csv"][6:] == ("utf-8", ",", "en")
    assert files["contacts-fr.csv"][6:] == ("cp1252", ";", "fr")
    rows = con.execute(
        "select record_id, first_name, last_name, lifecycle_stage, create_date, persona, "
        "_source_file, _row_number from raw.hubspot__contact order by record_id"
    ).fetchall()
    assert rows == [
        (
            "101",
            "Élodie",
            "Dupont",
            "Marketing Qualified Lead",
            "2026-03-05 14:22",
            "Décideur",
            "contacts-en.csv",
            1,
        ),
        ("102", "Jean", "Martin", "Lead", "2026-03-06 09:00", "", "contacts-en.csv", 2),
        # Windows-1252 characters that Latin-1 lacks (œ) survive; a column the file lacks is NULL
        (
            "201",
            "Gaëlle",
            "Lœuvre",
            "Lead qualifié marketing",
            "05/03/2026 14:22",
            None,
            "contacts-fr.csv",
            1,
        ),
        ("202", "François", "Cœur", "Abonné", "06/03/2026 09:00", None, "contacts-fr.csv", 2),
    ]
    sha = con.execute(
        "select distinct _file_sha256, _loaded_at is not null from raw.hubspot__contact "
        "where _source_file = 'contacts-fr.csv'"
    ).fetchall()
    assert len(sha) == 1 and len(sha[0][0]) == 64 and sha[0][1]


def test_bom_tab_delimiter_and_utf16(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    header = ["Id", "LastName", "Company", "Status", "IsConverted", "LeadSource", "Email"]
    row = [
        "00Q000000000001AAA",
        "Müller",
        "Acme SAS",
        "Open - Not Contacted",
        "false",
        "Web",
        "a@b.fr",
    ]
    write(inbox / "bom.csv", "\ufeff" + ",".join(header) + "\n" + ",".join(row) + "\n")
    write(inbox / "tabs.txt", "\t".join(header) + "\n" + "\t".join([*row[:1], "Tab", *row[2:]]))
    utf16 = "\t".join(header) + "\r\n" + "\t".join(["00Q000000000003AAA", *row[1:]]) + "\r\n"
    (inbox / "utf16.csv").write_bytes(utf16.encode("utf-16"))
    load_inbox(con, inbox)
    files = audit(con)
    assert files["bom.csv"][0] == "loaded" and files["bom.csv"][6] == "utf-8-sig"
    assert files["tabs.txt"][0] == "loaded" and files["tabs.txt"][7] == "\t"
    assert files["utf16.csv"][0] == "loaded" and files["utf16.csv"][6] == "utf-16"
    ids = con.execute("select id, last_name from raw.salesforce__lead order by id").fetchall()
    assert ids == [
        ("00Q000000000001AAA", "Müller"),
        ("00Q000000000001AAA", "Tab"),
        ("00Q000000000003AAA", "Müller"),
    ]


def test_non_utf8_byte_late_in_the_file_rereads_as_windows_1252(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    filler = "".join(
        f"{i},Nom{i},Prenom{i},x{i}@a.fr,Lead,2026-01-01 10:00\n" for i in range(30000)
    )
    text = "Record ID,Last Name,First Name,Email,Lifecycle Stage,Create Date\n" + filler
    text += "99999,Kœnig,Zoé,z@a.fr,Lead,2026-01-01 10:00\n"
    write(inbox / "late.csv", text, encoding="cp1252")
    load_inbox(con, inbox)
    assert audit(con)["late.csv"][:4] == ("loaded", 30001, 30001, 0)
    assert con.execute(
        "select last_name, first_name from raw.hubspot__contact where record_id = '99999'"
    ).fetchall() == [("Kœnig", "Zoé")]


def test_broken_rows_are_rejected_with_reasons_and_the_rest_loads(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    text = (
        "Id,LastName,Company,Status,Email\n"
        "00Q000000000001AAA,Ok,Acme,Open,a@b.fr\n"
        "00Q000000000002AAA,Short,Acme\n"
        "00Q000000000003AAA,Long,Acme,Open,a@b.fr,extra\n"
        ",NoKey,Acme,Open,c@d.fr\n"
        "\n"
        '00Q000000000005AAA,"Multi\nline",Acme,Open,e@f.fr\n'
        "00Q000000000006AAA,Ok,Acme,Open,g@h.fr\n"
    )
    write(inbox / "Lead.csv", text)
    load_inbox(con, inbox)
    status, read, loaded, rejected, error = audit(con)["Lead.csv"][:5]
    assert (status, read, loaded, rejected) == ("loaded_with_rejects", 7, 3, 4)
    assert read == loaded + rejected
    assert "4 row(s) rejected" in error
    rejects = con.execute(
        "select row_number, line_number, reason, raw_fields from audit.rejected_rows "
        "order by row_number"
    ).fetchall()
    assert rejects == [
        (2, 3, "expected 5 fields, found 3", ["00Q000000000002AAA", "Short", "Acme"]),
        (
            3,
            4,
            "expected 5 fields, found 6",
            ["00Q000000000003AAA", "Long", "Acme", "Open", "a@b.fr", "extra"],
        ),
        (4, 5, "empty key 'Id'", ["", "NoKey", "Acme", "Open", "c@d.fr"]),
        (5, 6, "not a record: blank line", []),
    ]
    loaded_rows = con.execute(
        "select id, last_name, _row_number from raw.salesforce__lead order by id"
    ).fetchall()
    assert loaded_rows == [
        ("00Q000000000001AAA", "Ok", 1),
        ("00Q000000000005AAA", "Multi\nline", 6),
        ("00Q000000000006AAA", "Ok", 7),
    ]


def test_redelivery_changes_nothing(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "contacts.csv", HUBSPOT_EN)
    first = load_inbox(con, inbox)
    assert [r.status for r in first] == ["loaded"]
    assert load_inbox(con, inbox) == []  # the same file again: nothing to do
    shutil.copy(inbox / "contacts.csv", inbox / "contacts (1).csv")
    again = load_inbox(con, inbox)
    assert [(r.source_file, r.status, r.duplicate_of) for r in again] == [
        ("contacts (1).csv", "duplicate", "contacts.csv")
    ]
    assert again[0].rows_read == again[0].rows_loaded + again[0].rows_rejected == 0
    assert load_inbox(con, inbox) == []  # a duplicate already reported is not reported again
    assert con.execute("select count(*) from raw.hubspot__contact").fetchone() == (2,)


def test_a_file_already_handled_is_not_read_again_until_it_changes(
    tmp_path: Path, con, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run passes by the files it handled before (same name, size and modification time)
    without reading them; a file rewritten in place is read and compared again."""
    inbox = tmp_path / "inbox"
    contacts = write(inbox / "contacts.csv", HUBSPOT_EN)
    assert [r.status for r in load_inbox(con, inbox)] == ["loaded"]
    stored = con.execute("select file_bytes, file_mtime_ns from audit.load_audit").fetchone()
    assert stored == (contacts.stat().st_size, contacts.stat().st_mtime_ns)

    scanned: list[str] = []
    real_scan = loading.scan_file

    def counting_scan(path: Path) -> tuple[str, bool]:
        scanned.append(path.name)
        return real_scan(path)

    monkeypatch.setattr(loading, "scan_file", counting_scan)
    assert load_inbox(con, inbox) == []
    assert scanned == []
    # the same bytes written again (a new modification time): read, found already loaded
    contacts.write_text(HUBSPOT_EN, encoding="utf-8")
    os.utime(contacts, ns=(stored[1] + 10**9, stored[1] + 10**9))
    assert load_inbox(con, inbox) == []
    assert scanned == ["contacts.csv"]
    assert load_inbox(con, inbox) == []  # its new time noted: not read a second time
    assert scanned == ["contacts.csv"]
    # other bytes of the same size under the same name: the new time has it read and loaded
    changed = HUBSPOT_EN.replace("Élodie", "Elodie").replace("Dupont", "Dupont ")
    write(contacts, changed)
    os.utime(contacts, ns=(stored[1] + 2 * 10**9, stored[1] + 2 * 10**9))
    assert [r.status for r in load_inbox(con, inbox)] == ["loaded"]
    assert scanned == ["contacts.csv", "contacts.csv"]
    assert con.execute("select count(*) from raw.hubspot__contact").fetchone() == (4,)


def test_missing_required_column_is_refused_naming_file_and_column(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(
        inbox / "leads.csv",
        "LastName,Company,Status,IsConverted,LeadSource,Email\nA,Acme,Open,false,Web,a@b.fr\n",
    )
    write(inbox / "ok.csv", HUBSPOT_EN)
    load_inbox(con, inbox)
    files = audit(con)
    status, read, loaded, rejected, error = files["leads.csv"][:5]
    assert (status, read, loaded, rejected) == ("refused", 0, 0, 0)
    assert "leads.csv" in error and "'Id'" not in error and "salesforce__lead" in error
    assert "required column(s) Id are missing" in error
    assert con.execute("select count(*) from raw.salesforce__lead").fetchone() == (0,)
    assert files["ok.csv"][0] == "loaded"  # the other files still load


def test_empty_and_unknown_files_are_reported_not_guessed(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "empty.csv", "")
    write(inbox / "budget.csv", "Month,Team,Budget\n2026-01,Nord,1000\n")
    write(inbox / "notes.xlsx", "PK\x03\x04binary")
    write(inbox / ".hidden.csv", HUBSPOT_EN)
    write(inbox / "header_only.csv", HUBSPOT_EN.splitlines()[0] + "\n")
    load_inbox(con, inbox)
    files = audit(con)
    assert files["empty.csv"][0] == "refused" and "empty" in files["empty.csv"][4]
    assert files["budget.csv"][0] == "unknown" and "no known export" in files["budget.csv"][4]
    assert files["notes.xlsx"][0] == "unknown" and "not a CSV" in files["notes.xlsx"][4]
    assert files["header_only.csv"][:4] == ("loaded", 0, 0, 0)
    assert ".hidden.csv" not in files
    assert con.execute("select count(*) from raw.hubspot__contact").fetchone() == (0,)


def test_unknown_columns_and_repeated_labels_are_kept(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(
        inbox / "c.csv",
        "Record ID,First Name,Email,Create Date,Lifecycle Stage,Lead Status,"
        "Create Date,Langue préférée\n1,Ana,a@b.fr,2026-01-01 10:00,Lead,New,2025-06-01 08:00,fr\n",
    )
    load_inbox(con, inbox)
    assert con.execute(
        "select create_date, create_date_2, langue_preferee from raw.hubspot__contact"
    ).fetchall() == [("2026-01-01 10:00", "2025-06-01 08:00", "fr")]
    columns = con.execute(
        "select header, column_name, is_known from audit.file_columns order by position"
    ).fetchall()
    assert columns[6:] == [
        ("Create Date", "create_date_2", False),
        ("Langue préférée", "langue_preferee", False),
    ]


def test_recognition_uses_the_header_not_the_file_name() -> None:
    assert recognise(
        ["Id", "WhoId", "WhatId", "Subject", "ActivityDate", "Priority"]
    ).kind.name == ("salesforce__task")
    assert recognise(["Id", "OpportunityId", "StageName", "CreatedDate", "Amount"]).kind.name == (
        "salesforce__opportunity_history"
    )
    fr = recognise(
        ["ID de l'événement", "ID du contact", "Type d'événement", "Date de l'événement"]
    )
    assert fr.kind.name == "hubspot__marketing_event" and fr.language == "fr"
    with pytest.raises(UnknownExport):
        recognise(["foo", "bar"])
    assert kind_named("salesforce__lead").column_for("ConvertedContactId") == "converted_contact_id"


def test_real_salesforce_samples_load_without_error(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES, inbox, ignore=shutil.ignore_patterns("LICENSE*", "*.md"))
    results = load_inbox(con, inbox)
    expected = {
        "salesforce_data_cloud_workshop/Lead.csv": ("salesforce__lead", 60),
        "salesforce_data_cloud_workshop/Contact.csv": ("salesforce__contact", 102),
        "salesforce_data_cloud_workshop/Opportunity.csv": ("salesforce__opportunity", 50),
        "salesforce_data_cloud_workshop/Campaign.csv": ("salesforce__campaign", 8),
        "salesforce_data_cloud_workshop/CampaignMember.csv": ("salesforce__campaign_member", 68),
        "salesforce_data_cloud_workshop/Task.csv": ("salesforce__task", 75),
        "salesforce_demo_org/Lead.csv": ("salesforce__lead", 22),
        "salesforce_demo_org/Contact.csv": ("salesforce__contact", 25),
        "salesforce_demo_org/Opportunity.csv": ("salesforce__opportunity", 36),
        "salesforce_demo_org/OpportunityHistory.csv": ("salesforce__opportunity_history", 48),
    }
    got = {r.source_file: (r.raw_table, r.rows_loaded) for r in results}
    for source_file, value in expected.items():
        assert got[source_file] == value
    assert all(r.status == "loaded" and r.rows_rejected == 0 for r in results)
    # a JSON address column survives as delivered
    address = con.execute(
        "select address from raw.salesforce__lead where address like '{%' limit 1"
    ).fetchone()
    assert address is not None and '"city"' in address[0]


def test_a_clean_utf8_file_takes_duckdbs_reader(tmp_path: Path, con, monkeypatch) -> None:
    def row_by_row(*args: object) -> None:
        raise AssertionError("the row-by-row path was used")

    monkeypatch.setattr("smarketing.ingest.loading._load_row_by_row", row_by_row)
    inbox = tmp_path / "inbox"
    write(inbox / "contacts.csv", HUBSPOT_EN)
    assert [r.status for r in load_inbox(con, inbox)] == ["loaded"]
    assert con.execute("select count(*) from raw.hubspot__contact").fetchone() == (2,)


def test_duckdbs_reader_and_the_row_by_row_path_load_the_same(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES, inbox, ignore=shutil.ignore_patterns("LICENSE*", "*.md"))
    write(inbox / "en.csv", HUBSPOT_EN)
    write(inbox / "fr.csv", HUBSPOT_FR, encoding="cp1252")
    write(
        inbox / "broken.csv",
        "Id,LastName,Company,Status\n00Q000000000001AAA,A,B,Open\n00Q000000000002AAA,A\n,C,D,E\n",
    )
    write(
        inbox / "quoted.csv",
        'Id,LastName,Company,Status\n00Q000000000003AAA,"a ""b"", c","x\ny",\n\n',
    )
    snapshots = []
    for fast in (True, False):
        connection = duckdb.connect(str(tmp_path / f"{fast}.duckdb"))
        load_inbox(connection, inbox, fast=fast)
        tables = {
            kind.table: connection.execute(
                f"select * exclude (_loaded_at) from raw.{kind.table} "
                "order by _source_file, _row_number"
            ).fetchall()
            for kind in export_kinds()
        }
        audit_rows = connection.execute(
            "select source_file, status, rows_read, rows_loaded, rows_rejected, error "
            "from audit.load_audit order by source_file"
        ).fetchall()
        rejects = connection.execute(
            "select source_file, row_number, line_number, reason, raw_fields "
            "from audit.rejected_rows order by all"
        ).fetchall()
        connection.close()
        snapshots.append((tables, audit_rows, rejects))
    assert snapshots[0] == snapshots[1]
    assert sum(len(rows) for rows in snapshots[0][0].values()) > 500
