"""`smarketing map FILE`: a draft mapping file guessed from a CSV export's header and rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from click.testing import CliRunner

from smarketing.cli import ENTITIES, main
from smarketing.config.drafting import (
    detect_date_format,
    detect_decimal,
    draft_mapping,
    guess_boolean,
    guess_channel,
    guess_deal_stage,
    guess_person_stage,
)
from smarketing.config.mappings import Entity, Mapping, load_mapping
from tests.conftest import REPO

CHANNELS = {
    "paid_search": ("Paid Search", "Google AdWords"),
    "organic": ("Web", "ORGANIC_SEARCH", "DIRECT_TRAFFIC", "SOCIAL_MEDIA"),
    "webinar": ("Webinar",),
    "partner": ("Partner Referral", "REFERRALS"),
}

PIPEDRIVE_DEALS = """\
Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Status,Deal - Deal created,\
Deal - Won time,Deal - Owner,Person - ID
501,Verdier Bois - Flux,12500,EUR,won,2026-01-15 10:00:00,2026-02-20 17:00:00,Hugo Lambert,101
502,Atelier Poirier - Vigie,4800,EUR,lost,2026-01-22 09:00:00,,Hugo Lambert,102
503,Robin & Fils - Pipeline,9000.50,USD,open,2026-02-05 14:30:00,,Sarah Meyer,103
"""
FRENCH_LEADS = """\
Identifiant;Prénom;Nom;Adresse e-mail;Société;Statut;Date de création
L-001;Léa;Marchand;lea.marchand@verdier-bois.fr;Verdier Bois;Nouveau;15/01/2026
L-002;Nathan;Poirier;n.poirier@atelier-poirier.fr;Atelier Poirier;Qualifié;03/02/2026
L-003;Inès;Robin;ines@robin.fr;Robin & Fils;Disqualifié;28/02/2026
"""
SALES_PIPELINE = """\
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514
EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Lost,2016-10-25,2017-03-07,0
MV1LWRNH,Moses Frase,GTX Basic,Codehow,Engaging,2016-10-25,,
PE84CX4O,Zane Levy,GTX Basic,Hatfan,Prospecting,,,
"""
MQL_LEADS = """\
mql_id,first_contact_date,landing_page_id,origin
dac32acd4db4c29c230538b72f8dd87d,2018-02-01,88740e65d5d6b056e0cda098e1ea6313,social
8c18d1de7f67e60dbd64e3c07d7e9d5d,2017-10-20,007f9098284a86ee80ddeb25d53e0af8,paid_search
b4bc852d233dfefc5131f593b538befa,2018-03-22,a7982125ff7aa3b2054c6e44f9d28522,organic_search
6be030b81c75970747525b843c1ef4f8,2018-01-22,d45d558f0daeecf3cccdffe3c59684aa,unknown
"""
AUTOMATION_LEADS = """\
Prospect ID,Lead Number,Lead Origin,Lead Source,Do Not Email,Converted,Country,Specialization,
7927b2df-8bba-4d29-b9a2-b6e0beafe620,660737,API,Olark Chat,No,0,Select,Select,
2a272436-5132-4136-86fa-dcc88c88f482,660728,API,Organic Search,No,0,India,Business Administration,
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,660727,Landing Page Submission,Direct Traffic,Yes,1,India,\
Media and Advertising,
0cc2df48-7cf4-4e39-9de9-19797f9b38cc,660719,API,Google,No,0,,Select,
"""


def _csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _draft(path: Path, **options: Any) -> tuple[str, Mapping]:
    """The draft's text, and the mapping it validates as (asserting it is a valid one)."""
    text = draft_mapping(path, **options)
    mapping = Mapping.model_validate(yaml.safe_load(text))
    header = path.read_text(encoding="utf-8").splitlines()[0]
    cells = [cell.strip() for cell in header.replace(";", ",").split(",")]
    assert set(mapping.recognise) <= set(cells)
    assert mapping.recognise[0] == mapping.fields["record_id"]
    assert set(mapping.fields.values()) <= set(cells)
    return text, mapping


def test_pipedrive_like_deals(tmp_path: Path) -> None:
    text, mapping = _draft(_csv(tmp_path, "pipedrive_deals.csv", PIPEDRIVE_DEALS))
    assert mapping.entity == "opportunity"
    assert mapping.source_system == "pipedrive"
    assert mapping.name == "pipedrive_deals"
    assert mapping.fields == {
        "record_id": "Deal - ID",
        "person_record_id": "Person - ID",
        "name": "Deal - Title",
        "stage": "Deal - Status",
        "amount": "Deal - Value",
        "currency": "Deal - Currency",
        "closed_at": "Deal - Won time",
        "owner": "Deal - Owner",
        "created_at": "Deal - Deal created",
    }
    assert mapping.values == {"stage": {"won": "won", "lost": "lost", "open": "open"}}
    assert mapping.formats.date == "%Y-%m-%d %H:%M:%S"
    assert mapping.formats.decimal == "."
    assert 'closest header to "amount" (score 1.00' in text
    assert text.startswith("# DRAFT") and "smarketing config check" in text


def test_french_leads(tmp_path: Path) -> None:
    text, mapping = _draft(_csv(tmp_path, "prospects.csv", FRENCH_LEADS))
    assert mapping.entity == "lead"
    assert mapping.fields == {
        "record_id": "Identifiant",
        "first_name": "Prénom",
        "last_name": "Nom",
        "email": "Adresse e-mail",
        "company": "Société",
        "status": "Statut",
        "created_at": "Date de création",
    }
    assert mapping.values["status"] == {
        "Nouveau": "open",
        "Qualifié": "sql",
        "Disqualifié": "disqualified",
    }
    assert mapping.formats.date == "%d/%m/%Y"
    assert mapping.source_system == "my_tool" and "set it" in text


def test_an_opportunity_only_pipeline_with_odd_spellings(tmp_path: Path) -> None:
    _, mapping = _draft(_csv(tmp_path, "sales_pipeline.csv", SALES_PIPELINE))
    assert mapping.entity == "opportunity"
    assert "person_record_id" not in mapping.fields
    assert mapping.fields["record_id"] == "opportunity_id"
    assert mapping.fields["stage"] == "deal_stage"
    assert mapping.fields["amount"] == "close_value"
    assert mapping.fields["created_at"] == "engage_date"
    assert mapping.fields["closed_at"] == "close_date"
    assert mapping.fields["owner"] == "sales_agent"
    assert mapping.fields["offer"] == "product"
    assert mapping.values["stage"] == {
        "Won": "won",
        "Lost": "lost",
        "Engaging": "open",
        "Prospecting": "open",
    }
    assert mapping.formats.date == "%Y-%m-%d"


def test_marketing_qualified_leads(tmp_path: Path) -> None:
    text, mapping = _draft(
        _csv(tmp_path, "olist_marketing_qualified_leads_dataset.csv", MQL_LEADS),
        channels=CHANNELS,
    )
    assert mapping.entity == "lead"
    assert mapping.source_system == "olist"
    assert mapping.fields == {
        "record_id": "mql_id",
        "lead_source": "origin",
        "created_at": "first_contact_date",
    }
    assert mapping.values["lead_source"] == {
        "social": "organic",
        "paid_search": "paid_search",
        "organic_search": "organic",
    }
    assert 'not guessed (add them, or they stay as they are): "unknown"' in text
    assert mapping.formats.date == "%Y-%m-%d"


def test_a_marketing_automation_export_with_select_and_trailing_commas(tmp_path: Path) -> None:
    _, mapping = _draft(_csv(tmp_path, "Leads.csv", AUTOMATION_LEADS))
    assert mapping.entity == "lead"
    assert mapping.fields["record_id"] == "Prospect ID"
    assert mapping.fields["lead_source"] == "Lead Source"
    assert mapping.fields["opted_out"] == "Do Not Email"
    assert mapping.fields["country"] == "Country"
    assert mapping.formats.null == ["", "Select"]
    assert mapping.values["opted_out"] == {"No": "false", "Yes": "true"}


def test_the_draft_of_each_shipped_export_agrees_with_its_shipped_mapping() -> None:
    # the shipped mappings also bind the team's custom fields and say what a hand-off is,
    # which only the team knows: every field the draft binds, it binds as they do
    for export, shipped in [
        ("pipedrive_deals.csv", "pipedrive_deals.yml"),
        ("pipedrive_people.csv", "pipedrive_persons.yml"),
        ("pipedrive_activities.csv", "pipedrive_activities.yml"),
    ]:
        path = REPO / "tests" / "exports" / "mapped" / export
        _, mapping = _draft(path)
        expected = load_mapping(REPO / "mappings" / shipped)
        assert mapping.entity == expected.entity, export
        assert mapping.fields == {
            field: cell for field, cell in expected.fields.items() if field in mapping.fields
        }, export
        assert len(mapping.fields) >= 8, export


def test_given_entity_wins(tmp_path: Path) -> None:
    text, mapping = _draft(_csv(tmp_path, "deals.csv", PIPEDRIVE_DEALS), entity="activity")
    assert mapping.entity == "activity"
    assert "given with --entity" in text


def test_without_an_id_column_the_first_column_of_unique_values_is_the_record_id(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, "sheet.csv", "Région,Code,Commentaire\nOuest,A1,x\nOuest,B2,x\n")
    text, mapping = _draft(path)
    assert mapping.fields["record_id"] == "Code"
    assert "no header looks like an id" in text


def test_dates_fitting_both_orders_are_left_to_detection(tmp_path: Path) -> None:
    path = _csv(tmp_path, "leads.csv", "Lead ID,Created\n1,03/02/2026\n2,05/04/2026\n")
    text, mapping = _draft(path)
    assert mapping.formats.date is None
    assert "ambiguous" in text
    assert detect_date_format(["03/02/2026", "17/02/2026"])[0] == "%d/%m/%Y"
    assert detect_date_format(["3/17/2026 2:22 PM"])[0] == "%m/%d/%Y %I:%M %p"
    assert detect_date_format(["2026-01-15", "2026-01-15 10:00"])[0] is None


@pytest.mark.parametrize(
    ("values", "decimal"),
    [
        (["1234,56", "800"], ","),
        (["1 234,56", "12\u00a0000,5"], ","),
        (["12,500", "4800"], None),
        (["9000.50", "1234,56"], None),
        (["EUR 1.234,50"], ","),
    ],
)
def test_decimal_comma(values: list[str], decimal: str | None) -> None:
    assert detect_decimal(values) == decimal


def test_amounts_with_a_decimal_comma(tmp_path: Path) -> None:
    path = _csv(tmp_path, "affaires.csv", "ID;Montant;Étape\n1;1 234,56;Gagnée\n2;800;Perdue\n")
    _, mapping = _draft(path)
    assert mapping.entity == "opportunity"
    assert mapping.fields["amount"] == "Montant"
    assert mapping.formats.decimal == ","
    assert mapping.values["stage"] == {"Gagnée": "won", "Perdue": "lost"}


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("Open - Not Contacted", "open"),
        ("Working - Contacted", "open"),
        ("Marketing Qualified Lead", "mql"),
        ("Sales Accepted", "sal"),
        ("SQL", "sql"),
        ("Qualified", "sql"),
        ("Unqualified", "disqualified"),
        ("Closed - Not Converted", "disqualified"),
        ("Closed - Converted", "opportunity"),
        ("Client", "customer"),
        ("Recyclé", "nurturing"),
        ("Junk", "disqualified"),
    ],
)
def test_person_statuses(status: str, stage: str) -> None:
    assert (guess_person_stage(status) or ("",))[0] == stage


def test_deal_stages_flags_and_channels() -> None:
    assert [guess_deal_stage(v)[0] for v in ("Closed Won", "Closed Lost", "Negotiation")] == [  # type: ignore[index]
        "won",
        "lost",
        "open",
    ]
    assert [(guess_boolean(v) or ("?",))[0] for v in ("Oui", "non", "1", "0", "peut-être")] == [
        "true",
        "false",
        "true",
        "false",
        "?",
    ]
    assert (guess_channel("Partner referral program", CHANNELS) or ("",))[0] == "partner"
    assert guess_channel("Bouche à oreille", CHANNELS) is None


def test_values_yaml_would_misread_are_quoted(tmp_path: Path) -> None:
    text = (
        "ID,Won: flag,# Deal closed,Status \n"
        "1,Yes,2026-01-01,null\n2,No,2026-01-02,1\n3,true,2026-01-03,Closed: won\n"
    )
    _, mapping = _draft(_csv(tmp_path, "deals.csv", text))
    assert mapping.fields["is_won"] == "Won: flag"
    assert mapping.fields["closed_at"] == "# Deal closed"
    assert mapping.fields["stage"] == "Status"
    assert mapping.values["is_won"] == {"Yes": "true", "No": "false", "true": "true"}
    assert mapping.values["stage"] == {"1": "open", "Closed: won": "won"}
    assert mapping.formats.null == ["", "null"]


def test_personal_data_is_not_copied_into_the_draft(tmp_path: Path) -> None:
    text, _ = _draft(_csv(tmp_path, "prospects.csv", FRENCH_LEADS))
    assert "@" not in text
    assert "Léa" not in text and "Marchand" not in text
    # a status column holding e-mails and phone numbers by mistake
    path = _csv(tmp_path, "leads.csv", "ID,Status\n1,a@b.fr\n2,+33 6 12 34 56 78\n3,New\n")
    text, mapping = _draft(path)
    assert mapping.values["status"] == {"New": "open"}
    assert "a@b.fr" not in text and "12 34" not in text
    assert "2 value(s) not shown" in text


def test_cli_entities_are_the_mapping_entities() -> None:
    assert get_args(Entity) == ENTITIES


def test_cli_writes_the_draft_and_refuses_to_overwrite(tmp_path: Path) -> None:
    source = _csv(tmp_path, "pipedrive_deals.csv", PIPEDRIVE_DEALS)
    out = tmp_path / "mappings" / "deals.yml"
    out.parent.mkdir()
    runner = CliRunner()
    result = runner.invoke(main, ["map", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    written = out.read_text(encoding="utf-8")
    assert Mapping.model_validate(yaml.safe_load(written)).entity == "opportunity"
    again = runner.invoke(main, ["map", str(source), "--out", str(out)])
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert out.read_text(encoding="utf-8") == written
    printed = runner.invoke(main, ["map", str(source)])
    assert printed.exit_code == 0
    assert printed.output == written


def test_cli_drafts_without_smarketing_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_CONFIG", str(tmp_path / "missing.yml"))
    source = _csv(tmp_path, "mql.csv", MQL_LEADS)
    result = CliRunner().invoke(main, ["map", str(source)])
    assert result.exit_code == 0, result.output
    mapping = Mapping.model_validate(yaml.safe_load(result.output))
    assert "lead_source" not in mapping.values
    assert "smarketing.yml not loaded" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty header"),
        (b"\n\nID,Name\n", "empty header"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV file"),
    ],
)
def test_cli_names_a_file_it_cannot_read(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["map", str(path)])
    assert result.exit_code != 0
    assert str(path) in result.output
    assert message in result.output


def test_odd_spellings_of_person_headers(tmp_path: Path) -> None:
    header = (
        " E_MAIL ;PRÉNOM;nom_de_famille;dateDeCreation;Lead  Source;Téléphone portable;Effectif"
    )
    rows = ["x@y.fr;Léa;M;2026-01-02 10:00;Web;06 12 34 56 78;11-50", "z@y.fr;Tom;N;;;;"]
    _, mapping = _draft(_csv(tmp_path, "contacts.csv", "\n".join([header, *rows]) + "\n"))
    assert mapping.entity == "contact"
    assert mapping.fields == {
        "record_id": "E_MAIL",  # no id column: the first of filled, unique values
        "first_name": "PRÉNOM",
        "last_name": "nom_de_famille",
        "email": "E_MAIL",
        "mobile_phone": "Téléphone portable",
        "employees": "Effectif",
        "lead_source": "Lead  Source",
        "created_at": "dateDeCreation",
    }
    assert mapping.formats.date == "%Y-%m-%d %H:%M"
