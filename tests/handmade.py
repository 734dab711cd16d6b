"""Hand-made deliveries that share one pipeline run (the ``handmade`` fixture in conftest.py):
the real Salesforce samples (shared/fixtures), the placeholder contact data cases of
test_identity_placeholders.py, the anonymised delivery of test_pipeline.py and the Pipedrive
exports of test_mappings.py. Each lies in a
folder of its own, with names, companies and ids of its own, so cases cannot link to each
other; tests read their own records through ``_source_file`` or their ids."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import yaml

from tests.conftest import FIXTURES, REPO

AS_OF = "2026-03-10T00:00:00+01:00"
SAMPLES = "fixtures"
PLACEHOLDERS = "placeholders"
ANONYMISED = "anonymised"
MAPPED = "mapped"

# --- placeholder and shared contact data (identity) -------------------------------------------

CREATED = "2026-01-05T10:00:00.000+0000"

LEAD_COLUMNS = [
    "Id", "IsDeleted", "LastName", "FirstName", "Company", "Country", "Phone", "MobilePhone",
    "Email", "LeadSource", "Status", "OwnerId", "IsConverted", "ConvertedContactId",
    "ConvertedAccountId", "CreatedDate", "LastModifiedDate",
]  # fmt: skip
CONTACT_COLUMNS = [
    "Id", "IsDeleted", "AccountId", "LastName", "FirstName", "MailingCountry", "Phone",
    "MobilePhone", "Email", "Department", "ReportsToId", "CreatedDate", "LastModifiedDate",
]  # fmt: skip
HUBSPOT_COLUMNS = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
    "Country/Region", "Lifecycle Stage", "Lead Status", "HubSpot Score", "Original Source",
    "Create Date", "Last Modified Date", "Contact owner", "Salesforce Lead ID",
]  # fmt: skip

EIGHT_PEOPLE = [
    ("Alice", "Bernard", "Boulangerie Bernard"),
    ("Bruno", "Carré", "Carré Transports"),
    ("Camille", "Dubois", "Dubois Immobilier"),
    ("David", "Faure", "Faure Industrie"),
    ("Emma", "Girard", "Girard Conseil"),
    ("Fabien", "Hubert", "Hubert Logistique"),
    ("Gaëlle", "Jacob", "Jacob Santé"),
    ("Henri", "Klein", "Klein Mécanique"),
]
PLACEHOLDER_SPELLINGS = ["a@a.com", "A@A.com", " a@a.com", "a@a.com "]
# real numbers of one person's records, from which the model learns what a shared phone weighs
ELODIE_MOBILE = "06 45 12 78 90"
VICTOR_PHONE = "+33 4 72 18 36 90"


def _lead(lead_id: str, first: str, last: str, company: str, **fields: str) -> dict[str, str]:
    return {
        "Id": lead_id,
        "IsDeleted": "false",
        "FirstName": first,
        "LastName": last,
        "Company": company,
        "Country": "France",
        "LeadSource": "Web",
        "Status": "Open - Not Contacted",
        "OwnerId": "005000000000001",
        "IsConverted": "false",
        "CreatedDate": CREATED,
        "LastModifiedDate": CREATED,
        **fields,
    }


def _hubspot(record_id: str, email: str, first: str = "", last: str = "", **fields: str) -> dict:
    return {
        "Record ID": record_id,
        "First Name": first,
        "Last Name": last,
        "Email": email,
        "Country/Region": "France",
        "Lifecycle Stage": "Lead",
        "Original Source": "Direct Traffic",
        "Create Date": "2026-01-06 10:00",
        "Last Modified Date": "2026-01-06 10:00",
        **fields,
    }


LEADS = [
    # eight people who typed the same placeholder
    *(
        _lead(f"00Q0000000000{i:02d}", first, last, company, Email=spelling)
        for i, ((first, last, company), spelling) in enumerate(
            zip(EIGHT_PEOPLE, PLACEHOLDER_SPELLINGS * 2, strict=True), start=1
        )
    ),
    # a sending-only address and a made-up domain, each also on a nameless HubSpot contact:
    # one name, so only the seed tells they are placeholders
    _lead("00Q000000000020", "Paul", "Durand", "Durand Conseil", Email="noreply@durand-conseil.fr"),
    _lead("00Q000000000021", "Hugo", "Lambert", "Lambert Frères", Email="test@test.com"),
    # placeholder phones, one also on a nameless HubSpot contact; a real number is kept
    _lead(
        "00Q000000000030",
        "Louis",
        "Marchand",
        "Marchand SA",
        Email="louis.marchand@marchand-sa.fr",
        Phone="01 23 45 67 89",
    ),
    _lead(
        "00Q000000000031",
        "Nina",
        "Robert",
        "Robert Textile",
        Email="nina.robert@robert-textile.fr",
        Phone="0000000000",
        MobilePhone="+33 1 00 00 00 00",
    ),
    _lead(
        "00Q000000000032",
        "Oscar",
        "Simon",
        "Simon Bâtiment",
        Email="oscar.simon@simon-batiment.fr",
        MobilePhone="06 71 23 98 45",
    ),
    # a role address three different people gave
    _lead("00Q000000000040", "Rose", "Tessier", "Atelier Riou", Email="contact@atelier-riou.fr"),
    _lead("00Q000000000041", "Simon", "Vidal", "Atelier Riou", Email="Contact@Atelier-Riou.fr"),
    # one person: a lead, a contact and a HubSpot contact with the same address, no link
    _lead(
        "00Q000000000050",
        "Élodie",
        "Le Roux",
        "Riou Conseil",
        Email="Elodie.LeRoux@Riou-Conseil.fr",
        MobilePhone=ELODIE_MOBILE,
    ),
    # one person whose later HubSpot record holds a placeholder (recorded link)
    _lead(
        "00Q000000000060",
        "Victor",
        "Roux",
        "Roux Associés",
        Email="victor.roux@roux-associes.fr",
        Phone=VICTOR_PHONE,
    ),
]
CONTACTS = [
    {
        "Id": "003000000000050",
        "IsDeleted": "false",
        "FirstName": "ELODIE",
        "LastName": "LE ROUX",
        "MailingCountry": "France",
        "Email": "elodie.leroux@riou-conseil.fr",
        "MobilePhone": ELODIE_MOBILE,
        "CreatedDate": "2026-02-01T10:00:00.000+0000",
        "LastModifiedDate": "2026-02-01T10:00:00.000+0000",
    },
    # `N/A` typed in the e-mail field of two people
    *(
        {
            "Id": f"00300000000007{i}",
            "IsDeleted": "false",
            "FirstName": first,
            "LastName": last,
            "MailingCountry": "France",
            "Email": "N/A",
            "CreatedDate": CREATED,
            "LastModifiedDate": CREATED,
        }
        for i, (first, last) in enumerate([("Inès", "Garnier"), ("Jules", "Perrin")])
    ),
]
HUBSPOT = [
    _hubspot("52001", "NoReply@durand-conseil.fr"),
    _hubspot("52002", "test@test.com"),
    # nothing but the phone in common (a personal address gives no company domain)
    _hubspot("52003", "h.52003@gmail.com", **{"Phone Number": "+33123456789"}),
    _hubspot(
        "52004", "contact@atelier-riou.fr", "Théo", "Weber", **{"Company Name": "Atelier Riou"}
    ),
    _hubspot(
        "52005",
        " elodie.leroux@riou-conseil.fr",
        "elodie",
        "le roux",
        **{"Phone Number": ELODIE_MOBILE},
    ),
    _hubspot(
        "52006",
        "test@roux-associes.fr",
        "Victor",
        "Roux",
        **{
            "Salesforce Lead ID": "00Q000000000060",
            "Last Modified Date": "2026-03-01 10:00",
            "Phone Number": VICTOR_PHONE,
        },
    ),
]


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


# --- an anonymised delivery: only the record ids are certain ----------------------------------

ANONYMISED_LEADS = (
    "Lead ID,Lead Status,Lead Source,Created Date,Converted\r\n"
    "00Q5j00000AnOnAEAV,Open - Not Contacted,Web,05/03/2026 14:22,0\r\n"
    "00Q5j00000AnOnBEAV,Qualified,Partner Referral,06/03/2026 09:00,0\r\n"
    "00Q5j00000AnOnCEAV,Closed - Converted,Webinar,17/02/2026 11:30,1\r\n"
    "\r\n"
    '"Grand Totals (3 records)"\r\n'
)
ANONYMISED_OPPORTUNITIES = (
    "Account ID,Opportunity ID,Stage,Close Date,Created Date,Amount,Opportunity Currency\r\n"
    "001bm00001ZL8U9AAL,006bm00000AnOnAAA5,Closed Won,24/03/2026,20/02/2026 10:00,"
    '"12 500,00 €",EUR\r\n'
    # a currency without any rate: flagged, and in no total
    "001bm00001ZL8U9AAL,006bm00000AnOnBAA5,Closed Won,25/03/2026,21/02/2026 10:00,"
    '"¥1,000,000",JPY\r\n'
)
ANONYMISED_CONTACTS = (
    "Record ID,Lifecycle Stage,Create Date,Became a Marketing Qualified Lead Date\n"
    "501,Marketing Qualified Lead,2026-03-01 10:00,2026-03-02 11:00\n"
    "502,Lead,2026-03-04 09:30,\n"
)


# --- a tool known through its mapping files (mappings/pipedrive_*.yml) ------------------------

MAPPED_EXPORTS = Path(__file__).with_name("exports") / "mapped"
# the three non-CRM shapes (a marketing-qualified-leads file with its closed deals, an
# opportunity-only pipeline, a marketing-automation leads export) and their mapping files
SHAPES = "shapes"
SHAPE_EXPORTS = Path(__file__).with_name("exports") / "shapes"
SHIPPED_MAPPINGS = Path(__file__).resolve().parents[1] / "mappings"
# the HubSpot contact of the Pipedrive person 101: one person across the two tools
MAPPED_HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Company Name,Create Date\n"
    "701,Léa,Marchand,lea.marchand@verdier-bois.fr,Verdier Bois,2026-01-10 08:00\n"
)


# --- hostile files beside the others: what can be read still reaches the marts -----------------

HOSTILE = "hostile"
# (file, leads written) of the files that load; ids 00Q00000000H…
HOSTILE_LEADS = {
    "Lead-utf16-no-bom.csv": [
        _lead("00Q00000000H001", "Inès", "Moreau", "Moreau Bâtiment", Email="ines@moreau-bat.fr"),
        _lead("00Q00000000H002", "Loïc", "Petit", "Petit Élevage", Email="loic@petit-elevage.fr"),
    ],
    "Lead-cr-only.csv": [
        _lead("00Q00000000H003", "Maëlle", "Roux", "Roux Optique", Email="maelle@roux-optique.fr"),
    ],
    "Lead-open-quote.csv": [
        _lead("00Q00000000H004", "Noé", "Blanc", "Blanc Menuiserie", Email="noe@blanc-menu.fr"),
        _lead("00Q00000000H005", "Odile", "Garnier", '"Garnier SA', Email="odile@garnier.fr"),
        _lead("00Q00000000H006", "Pascal", "Fabre", "Fabre Transports", Email="p@fabre-tr.fr"),
        _lead("00Q00000000H007", "Rose", "Chevalier", "Chevalier Bio", Email="rose@chev-bio.fr"),
    ],
}
# the lead whose unclosed quote rejects its line alone
HOSTILE_REJECTED = "00Q00000000H005"


def _lead_csv(rows: list[dict[str, str]], newline: str = "\n") -> str:
    """Rows written by hand, not by the csv module: a quote left open stays open."""
    lines = [",".join(LEAD_COLUMNS)]
    lines += [",".join(row.get(column, "") for column in LEAD_COLUMNS) for row in rows]
    return newline.join(lines) + newline


def write_hostile(folder: Path) -> None:
    folder.mkdir(parents=True)
    utf16 = _lead_csv(HOSTILE_LEADS["Lead-utf16-no-bom.csv"]).encode("utf-16-le")
    (folder / "Lead-utf16-no-bom.csv").write_bytes(utf16)
    cr_only = _lead_csv(HOSTILE_LEADS["Lead-cr-only.csv"], newline="\r")
    (folder / "Lead-cr-only.csv").write_bytes(cr_only.encode("utf-8"))
    (folder / "Lead-open-quote.csv").write_text(
        _lead_csv(HOSTILE_LEADS["Lead-open-quote.csv"]), encoding="utf-8"
    )
    (folder / "Lead-workbook.csv").write_bytes(b"PK\x03\x04" + bytes(64))  # an .xlsx renamed
    (folder / "Lead-folder.csv").mkdir()
    os.mkfifo(folder / "Lead-pipe.csv")


def write_inbox(inbox: Path) -> None:
    for path in sorted(FIXTURES.glob("*/*.csv")):
        target = inbox / SAMPLES / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    placeholders = inbox / PLACEHOLDERS
    _write(placeholders / "salesforce" / "Lead.csv", LEAD_COLUMNS, LEADS)
    _write(placeholders / "salesforce" / "Contact.csv", CONTACT_COLUMNS, CONTACTS)
    _write(placeholders / "hubspot" / "hubspot-crm-exports-contacts.csv", HUBSPOT_COLUMNS, HUBSPOT)
    anonymised = inbox / ANONYMISED
    anonymised.mkdir(parents=True)
    (anonymised / "leads.csv").write_bytes(ANONYMISED_LEADS.encode("cp1252"))
    # a won opportunity in yen has no rate: smarketing.yml gives none, nor does any export
    (anonymised / "opportunities.csv").write_text(ANONYMISED_OPPORTUNITIES, encoding="utf-8")
    (anonymised / "contacts.csv").write_text(ANONYMISED_CONTACTS, encoding="utf-8")
    mapped = inbox / MAPPED
    shutil.copytree(MAPPED_EXPORTS, mapped)
    (mapped / "hubspot-contacts.csv").write_text(MAPPED_HUBSPOT, encoding="utf-8")
    shapes = inbox / SHAPES
    shapes.mkdir()
    for path in SHAPE_EXPORTS.glob("*.csv"):
        shutil.copyfile(path, shapes / path.name)
    write_hostile(inbox / HOSTILE)


def write_mappings(folder: Path) -> None:
    """The shipped mapping files and those of the three non-CRM shapes, in one folder."""
    folder.mkdir(parents=True)
    for path in [*SHIPPED_MAPPINGS.glob("*.yml"), *(SHAPE_EXPORTS / "mappings").glob("*.yml")]:
        shutil.copyfile(path, folder / path.name)


def write_config(path: Path) -> Path:
    """The shipped smarketing.yml, the e-mail check on inbound leads made a warning: the real
    samples are demo orgs whose addresses are all @example.com, placeholders by the key field's
    definition (no e-mail filled in), which a team loading such data decides as here."""
    data = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    data["checks"]["severities"]["inbound_email_complete"] = "warning"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path
