"""The loader on the export shapes real teams have, each as a small hand-made fixture.

Salesforce report exports (field labels in English or French, report trailers, `N/A`),
anonymised and partial reports, the weekly Data Export (every field quoted, Latin-1 and UTF-8
lines mixed, `000000000000000AAA`), Event exports, HubSpot UI exports of contacts (with
associations), companies and deals. See shared/fixtures/PROVENANCE.md for where these shapes
come from.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from smarketing.ingest.headers import UnknownExport, recognise
from smarketing.ingest.loading import load_inbox
from tests.test_loading import write

NBSP = "\u00a0"

LEAD_REPORT_EN = (
    "Lead ID,Lead Owner,First Name,Last Name,Company / Account,Email,Lead Status,Lead Source,"
    "Created Date,Converted,Lead Score,Rejection Reason\r\n"
    "00Q5j00000AbCdEEAV,Camille Martin,Élodie,Dupont,Riou SAS,e.dupont@riou.example,"
    "Working - Contacted,Web,3/5/2026 2:22 PM,0,72,N/A\r\n"
    "00Q5j00000AbCdFEAV,Camille Martin,Jean,Martin,N/A,-,Unqualified,Trade Show,"
    "11/30/2025 9:05 AM,0,-,Hors cible\r\n"
    "\r\n"
    '"Grand Totals (2 records)"\r\n'
    "\r\n"
    '"Confidential Information - Do Not Distribute"\r\n'
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
)
LEAD_REPORT_FR = (
    "ID de la piste;Propriétaire de la piste;Prénom;Nom;Société;Adresse e-mail;"
    "Statut de la piste;Origine de la piste;Date de création;Converti\r\n"
    "00Q5j00000AbCdGEAV;Camille Martin;Gaëlle;Lœuvre;Cœur SARL;g.loeuvre@coeur.example;"
    "Nurturing;Webinar;05-03-2026 14:22;0\r\n"
    "\r\n"
    "Total;1\r\n"
)
OPPORTUNITY_REPORT = (
    "Account ID,Opportunity ID,Stage,Close Date,Created Date,Amount,Account Name,"
    "Opportunity Name\n"
    "001bm00001ZL8U9AAL,006bm00000LKJNNAA5,Closed Won,2/24/2026,2/2/2026,$923.00 ,Edge,Edge - 1\n"
    "001bm00001ZL8UAAA1,006bm00000LKJNOAA5,Prospecting,3/1/2026,2/3/2026,"
    '"$1,77,000.00",Burlington,Burlington - 1\n'
    "\n"
    "0,0,0.2139,0,0,178923,0,0\n"
)
ANONYMISED_LEAD_REPORT = (
    "Lead ID,Lead Status,Lead Source,Created Date,Converted\n"
    "00Q5j00000AbCdHEAV,Open - Not Contacted,Web,05-03-2026 14:22,0\n"
    "00Q5j00000AbCdIEAV,Qualified,Partner Referral,06-03-2026 09:00,1\n"
)
NOT_AN_ID = (
    "Lead ID,Lead Status,Created Date\n"
    "00Q5j00000AbCdJEAV,Open - Not Contacted,05-03-2026 14:22\n"
    "row 2,Qualified,06-03-2026 09:00\n"
)
DATA_EXPORT_HEADER = (
    '"Id","IsDeleted","LastName","FirstName","Company","Status","OwnerId","ConvertedContactId"\n'
)
DATA_EXPORT_UTF8_ROW = (
    '"00Q5j00000AbCdKEAV","0","Bérénice","Zoé","Société A","Open - Not Contacted",'
    '"005000000000001AAA","000000000000000AAA"\n'
)
DATA_EXPORT_LATIN1_ROW = (
    '"00Q5j00000AbCdLEAV","1","Lefèvre","Hélène","Café B","Qualified",'
    '"005000000000001AAA","003000000000001AAA"\n'
)
EVENT_EXPORT = (
    "Id,WhoId,WhatId,Subject,ActivityDateTime,ActivityDate,DurationInMinutes,StartDateTime,"
    "EndDateTime,OwnerId,Type,EventSubtype\n"
    "00U5j00000AbCdMEAV,00Q5j00000AbCdEEAV,,Meeting,2026-03-06T09:00:00.000+0000,2026-03-06,30,"
    "2026-03-06T09:00:00.000+0000,2026-03-06T09:30:00.000+0000,005000000000001AAA,Meeting,Event\n"
)
HUBSPOT_ASSOCIATIONS_EN = (
    "Record ID - Contact,First Name,Last Name,Email,Create Date,Country/Region,Phone Number,"
    "Lifecycle Stage,Record ID - Company,Company name,Create Date,Country/Region,Phone Number\n"
    "101,Ana,Riou,ana@riou.example,2026-03-05 14:22,France,null,Lead,9001,Riou SAS,"
    "2024-01-10 08:00,FR,+33 1 02 03 04 05\n"
)
HUBSPOT_ASSOCIATIONS_FR = (
    "ID de fiche d'informations - Contact;Prénom;Nom;E-mail;Date de création;Pays/région;"
    "ID de fiche d'informations - Entreprise;Nom de l'entreprise;Date de création\n"
    "201;Gaëlle;Lœuvre;g@coeur.example;05/03/2026 14:22;France;9002;Cœur SARL;10/01/2024 08:00\n"
)
HUBSPOT_COMPANIES = (
    "Record ID,Company name,Company Domain Name,Create Date,Company owner,Phone Number,City,"
    "Country/Region,Industry,Number of Employees\n"
    "9001,Riou SAS,riou.example,2024-01-10 08:00,Camille Martin,,Lyon,France,Software,120\n"
)
HUBSPOT_DEALS_FR = (
    "ID de fiche d'informations;Nom de la transaction;Phase de la transaction;Pipeline;Montant;"
    "Date de fermeture;Date de création;Propriétaire de la transaction\n"
    f"7001;Riou - Flux;Conclu gagné;Pipeline des ventes;12{NBSP}500,00;"
    "05/03/2026 14:22;01/02/2026 09:00;Camille Martin\n"
)
CAMPAIGN_MEMBER_REPORT_WITHOUT_ID = (
    "Campaign ID,Lead ID,Contact ID,Member Status,Responded,First Responded Date\n"
    "701Ec00000GJDl7IAH,00Q5j00000AbCdEEAV,,Responded,1,3/5/2026\n"
)
CURRENCY_TYPE = (
    '"Id","IsoCode","ConversionRate","DecimalPlaces","IsActive","IsCorporate"\n'
    '"01L5j00000AbCdNEAV","EUR","1.000000","2","1","1"\n'
    '"01L5j00000AbCdOEAV","USD","1.080000","2","1","0"\n'
)


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def audit(con: duckdb.DuckDBPyConnection, source_file: str) -> dict:
    row = con.execute(
        "select status, raw_table, rows_read, rows_loaded, rows_rejected, error, encoding, "
        "header_language, lines_read_as_cp1252, closest_kind from audit.load_audit "
        "where source_file = ?",
        [source_file],
    ).fetchone()
    assert row is not None, f"{source_file} not in the load audit"
    names = [
        "status",
        "raw_table",
        "read",
        "loaded",
        "rejected",
        "error",
        "encoding",
        "language",
        "cp1252",
        "closest",
    ]
    return dict(zip(names, row, strict=True))


def rejected(con: duckdb.DuckDBPyConnection, source_file: str) -> list[tuple[int, str]]:
    return con.execute(
        "select line_number, reason from audit.rejected_rows where source_file = ? "
        "order by line_number",
        [source_file],
    ).fetchall()


def test_english_lead_report_loads_with_its_trailer_set_aside(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "leads-report.csv", LEAD_REPORT_EN, encoding="cp1252")
    load_inbox(con, inbox)
    got = audit(con, "leads-report.csv")
    assert (got["status"], got["raw_table"], got["language"]) == (
        "loaded",
        "salesforce__lead",
        "en",
    )
    # 11/30/2025 and the 12-hour clock: this file writes month first
    assert con.execute(
        "select distinct a.date_order, r._date_order from audit.load_audit a "
        "join raw.salesforce__lead r on r._source_file = a.source_file"
    ).fetchall() == [("month_first", "month_first")]
    # rows read = loaded + rejected: the two leads, and five lines that are not records
    assert (got["read"], got["loaded"], got["rejected"]) == (7, 2, 5)
    assert "5 line(s) that are not records" in got["error"]
    assert rejected(con, "leads-report.csv") == [
        (4, "not a record: blank line"),
        (5, "not a record: report totals line"),
        (6, "not a record: blank line"),
        (7, "not a record: report confidentiality notice"),
        (8, "not a record: report copyright notice"),
    ]
    rows = con.execute(
        "select id, owner_id, first_name, company, status, created_date, is_converted, "
        "lead_score, rejection_reason from raw.salesforce__lead order by id"
    ).fetchall()
    # labels map to the API names' columns; custom fields are kept under their label's name
    assert rows == [
        (
            "00Q5j00000AbCdEEAV",
            "Camille Martin",
            "Élodie",
            "Riou SAS",
            "Working - Contacted",
            "3/5/2026 2:22 PM",
            "0",
            "72",
            "N/A",
        ),
        (
            "00Q5j00000AbCdFEAV",
            "Camille Martin",
            "Jean",
            "N/A",
            "Unqualified",
            "11/30/2025 9:05 AM",
            "0",
            "-",
            "Hors cible",
        ),
    ]


def test_french_lead_report(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "pistes.csv", LEAD_REPORT_FR, encoding="cp1252")
    load_inbox(con, inbox)
    got = audit(con, "pistes.csv")
    assert (got["status"], got["raw_table"], got["language"], got["encoding"]) == (
        "loaded",
        "salesforce__lead",
        "fr",
        "cp1252",
    )
    assert (got["read"], got["loaded"], got["rejected"]) == (3, 1, 2)
    assert con.execute(
        "select last_name, company, email, lead_source, created_date from raw.salesforce__lead"
    ).fetchall() == [
        ("Lœuvre", "Cœur SARL", "g.loeuvre@coeur.example", "Webinar", "05-03-2026 14:22")
    ]


def test_opportunity_report_is_an_opportunity_and_its_statistics_row_is_not_a_record(
    tmp_path: Path, con
) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "opportunities.csv", OPPORTUNITY_REPORT)
    load_inbox(con, inbox)
    got = audit(con, "opportunities.csv")
    assert (got["status"], got["raw_table"]) == ("loaded", "salesforce__opportunity")
    assert (got["read"], got["loaded"], got["rejected"]) == (4, 2, 2)
    assert rejected(con, "opportunities.csv") == [
        (4, "not a record: blank line"),
        (5, "not a record: report row of column totals or shares"),
    ]
    assert con.execute(
        "select id, account_id, stage_name, amount, account_name from raw.salesforce__opportunity "
        "order by id"
    ).fetchall() == [
        ("006bm00000LKJNNAA5", "001bm00001ZL8U9AAL", "Closed Won", "$923.00 ", "Edge"),
        ("006bm00000LKJNOAA5", "001bm00001ZL8UAAA1", "Prospecting", "$1,77,000.00", "Burlington"),
    ]
    assert con.execute("select count(*) from raw.salesforce__opportunity_history").fetchone() == (
        0,
    )


def test_an_anonymised_report_loads_with_its_record_id_alone(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "anonymised.csv", ANONYMISED_LEAD_REPORT)
    load_inbox(con, inbox)
    got = audit(con, "anonymised.csv")
    assert (got["status"], got["raw_table"], got["loaded"]) == ("loaded", "salesforce__lead", 2)
    # the columns the file lacks exist in raw, empty: staging never fails on them
    assert con.execute(
        "select count(*) from raw.salesforce__lead where last_name is null and company is null"
    ).fetchone() == (2,)


def test_a_key_that_is_not_a_salesforce_id_is_not_a_record(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "leads.csv", NOT_AN_ID)
    load_inbox(con, inbox)
    got = audit(con, "leads.csv")
    assert (got["status"], got["read"], got["loaded"], got["rejected"]) == (
        "loaded_with_rejects",
        2,
        1,
        1,
    )
    assert rejected(con, "leads.csv") == [
        (
            3,
            "key 'Lead ID' 'row 2' is not a Salesforce id (15 or 18 letters and digits): "
            "not a record",
        )
    ]


def test_data_export_mixing_latin1_and_utf8_lines_loads_every_line(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    data = (
        DATA_EXPORT_HEADER.encode("ascii")
        + DATA_EXPORT_UTF8_ROW.encode("utf-8")
        + DATA_EXPORT_LATIN1_ROW.encode("latin-1")
    )
    write(inbox / "Lead.csv", data)
    load_inbox(con, inbox)
    got = audit(con, "Lead.csv")
    assert (got["status"], got["loaded"], got["rejected"]) == ("loaded", 2, 0)
    assert (got["encoding"], got["cp1252"]) == ("utf-8+cp1252", 1)
    assert "1 line(s) read as Windows-1252" in got["error"]
    assert con.execute(
        "select last_name, first_name, company, is_deleted, converted_contact_id "
        "from raw.salesforce__lead order by id"
    ).fetchall() == [
        ("Bérénice", "Zoé", "Société A", "0", "000000000000000AAA"),
        ("Lefèvre", "Hélène", "Café B", "1", "003000000000001AAA"),
    ]


def test_a_latin1_data_export_with_a_late_byte_sequence_keeps_utf8_lines(
    tmp_path: Path, con
) -> None:
    inbox = tmp_path / "inbox"
    utf8_rows = "".join(
        DATA_EXPORT_UTF8_ROW.replace("AbCdKEAV", f"AbC{i:05d}")
        for i in range(20_000)  # more than the sniffing sample: the Latin-1 line comes late
    )
    data = (
        DATA_EXPORT_HEADER.encode("ascii")
        + utf8_rows.encode("utf-8")
        + DATA_EXPORT_LATIN1_ROW.encode("latin-1")
    )
    write(inbox / "Lead.csv", data)
    load_inbox(con, inbox)
    got = audit(con, "Lead.csv")
    assert (got["status"], got["loaded"], got["encoding"], got["cp1252"]) == (
        "loaded",
        20_001,
        "utf-8+cp1252",
        1,
    )
    assert con.execute(
        "select count(*) from raw.salesforce__lead where last_name in ('Bérénice', 'Lefèvre')"
    ).fetchone() == (20_001,)


def test_an_event_export_is_its_own_kind(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "Event.csv", EVENT_EXPORT)
    load_inbox(con, inbox)
    assert audit(con, "Event.csv")["raw_table"] == "salesforce__event"
    assert con.execute("select count(*) from raw.salesforce__task").fetchone() == (0,)
    assert con.execute(
        "select who_id, activity_date_time, duration_in_minutes from raw.salesforce__event"
    ).fetchall() == [("00Q5j00000AbCdEEAV", "2026-03-06T09:00:00.000+0000", "30")]


@pytest.mark.parametrize(
    ("text", "encoding", "language"),
    [(HUBSPOT_ASSOCIATIONS_EN, "utf-8", "en"), (HUBSPOT_ASSOCIATIONS_FR, "cp1252", "fr")],
    ids=["en", "fr"],
)
def test_hubspot_contacts_with_associations_keep_the_company_columns_apart(
    tmp_path: Path, con, text: str, encoding: str, language: str
) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "contacts.csv", text, encoding=encoding)
    load_inbox(con, inbox)
    got = audit(con, "contacts.csv")
    assert (got["status"], got["raw_table"], got["language"], got["loaded"]) == (
        "loaded",
        "hubspot__contact",
        language,
        1,
    )
    columns = dict(
        con.execute(
            "select header, column_name from audit.file_columns where source_file = 'contacts.csv' "
            "order by position desc"
        ).fetchall()
    )
    # the first `Create Date` is the contact's, the company's is prefixed
    row = con.execute(
        "select record_id, create_date, company__record_id, company__create_date, country "
        "from raw.hubspot__contact"
    ).fetchone()
    assert row[0] in ("101", "201") and row[2] in ("9001", "9002")
    assert row[1] in ("2026-03-05 14:22", "05/03/2026 14:22")
    assert row[3] in ("2024-01-10 08:00", "10/01/2024 08:00")
    assert row[4] == "France"
    assert "company__name" in columns.values()


def test_hubspot_companies_and_deals_exports(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "companies.csv", HUBSPOT_COMPANIES)
    write(inbox / "transactions.csv", HUBSPOT_DEALS_FR, encoding="cp1252")
    load_inbox(con, inbox)
    assert audit(con, "companies.csv")["raw_table"] == "hubspot__company"
    deals = audit(con, "transactions.csv")
    assert (deals["raw_table"], deals["language"], deals["loaded"]) == ("hubspot__deal", "fr", 1)
    assert con.execute(
        "select deal_name, deal_stage, amount, close_date from raw.hubspot__deal"
    ).fetchall() == [("Riou - Flux", "Conclu gagné", f"12{NBSP}500,00", "05/03/2026 14:22")]
    assert con.execute(
        "select name, company_domain_name, number_of_employees from raw.hubspot__company"
    ).fetchall() == [("Riou SAS", "riou.example", "120")]


def test_a_report_without_its_own_record_id_is_refused_for_that_id(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "members.csv", CAMPAIGN_MEMBER_REPORT_WITHOUT_ID)
    load_inbox(con, inbox)
    got = audit(con, "members.csv")
    assert got["status"] == "refused"
    assert "salesforce__campaign_member" in got["error"]
    assert "Campaign Member ID" in got["error"]


def test_an_unknown_file_names_the_closest_kind(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "budget.csv", "Month,Team,Budget\n2026-01,Nord,1000\n")
    write(inbox / "people.csv", "First Name,Last Name,Email,City\nAna,Riou,a@riou.example,Lyon\n")
    load_inbox(con, inbox)
    budget, people = audit(con, "budget.csv"), audit(con, "people.csv")
    assert budget["status"] == people["status"] == "unknown"
    assert budget["closest"] is None and budget["error"].endswith("no known export")
    # a header that shares some signature columns with a kind names it
    assert people["closest"] is not None
    assert f"closest: {people['closest']}" in people["error"]


def test_currency_types_load(tmp_path: Path, con) -> None:
    inbox = tmp_path / "inbox"
    write(inbox / "CurrencyType.csv", CURRENCY_TYPE)
    load_inbox(con, inbox)
    assert audit(con, "CurrencyType.csv")["raw_table"] == "salesforce__currency_type"
    assert con.execute(
        "select iso_code, conversion_rate, is_corporate from raw.salesforce__currency_type "
        "order by iso_code"
    ).fetchall() == [("EUR", "1.000000", "1"), ("USD", "1.080000", "0")]


def test_recognition_on_labels() -> None:
    opportunity = recognise(
        ["Account ID", "Opportunity ID", "Stage", "Close Date", "Created Date", "Amount"]
    )
    assert opportunity.kind.name == "salesforce__opportunity"
    assert opportunity.columns[:2] == ("account_id", "id")
    history = recognise(["Id", "OpportunityId", "StageName", "CreatedDate", "Amount"])
    assert history.kind.name == "salesforce__opportunity_history" and history.language == "api"
    assert recognise(["ID de la piste", "Statut de la piste"]).kind.name == "salesforce__lead"
    # HubSpot ids are `Record ID` for every object: a column only contacts have decides
    anonymised = ["Record ID", "Lifecycle Stage", "Create Date", "Became a Lead Date"]
    assert recognise(anonymised).kind.name == "hubspot__contact"
    with pytest.raises(UnknownExport) as unknown:
        recognise(["Month", "Team", "Budget"])
    assert unknown.value.closest is None
    with pytest.raises(UnknownExport) as unknown:
        recognise(["First Name", "Last Name", "Email", "City"])
    assert unknown.value.closest is not None


@pytest.mark.parametrize(
    ("cells", "order"),
    [
        (["3/17/2026", "3/5/2026"], "month_first"),
        (["3/5/2026 2:22 PM"], "month_first"),
        (["17/03/2026 14:22", "05/03/2026"], "day_first"),
        (["05/03/2026 14:22", "2026-03-17"], None),  # nothing says which
        (["17/03/2026", "3/17/2026"], None),  # a file mixing both orders
        (["Riou SAS", "a/b/c", "1/2/26"], None),  # 2-digit years follow their own rule
    ],
)
def test_the_date_order_of_a_file_comes_from_its_own_dates(cells: list[str], order: str) -> None:
    from smarketing.ingest.dates import date_order

    assert date_order(cells) == order
