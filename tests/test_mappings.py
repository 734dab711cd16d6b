"""Mapping files (mappings/*.yml): validation, loading mapped exports, their staging."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from dagster_project.lib.dbt_project import dbt_executable
from dagster_project.lib.dbt_project import dbt_vars as definition_vars
from smarketing.cli import main
from smarketing.config import ConfigError
from smarketing.config.mappings import CANONICAL_FIELDS, load_mappings
from smarketing.ingest.loading import load_inbox
from tests.conftest import REPO

SHIPPED = REPO / "mappings"
EXPORTS = REPO / "tests" / "exports" / "mapped"
DBT_DIR = REPO / "dbt"

VALID = """\
name: crm_deals
source_system: mycrm
recognise: [Deal ID, Deal stage]
entity: opportunity
fields:
  record_id: Deal ID
  stage: Deal stage
values:
  stage: {Won: won, Lost: lost, "*": open}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(folder: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_mappings(folder)
    return str(caught.value)


def test_a_valid_mapping_loads(tmp_path: Path) -> None:
    _write(tmp_path, "deals.yml", VALID)
    (mapping,) = load_mappings(tmp_path)
    assert mapping.table == "mapped__crm_deals"
    assert mapping.column("record_id") == "deal_id"
    assert mapping.values["stage"]["*"] == "open"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("stage: Deal stage", "stagex: Deal stage"), r"fields: stagex: not a canonical field"),
        (("  record_id: Deal ID\n", ""), r"fields\.record_id: missing"),
        (("Lost: lost", "Lost: gone"), r"values\.stage: 'gone' is not one of open, won, lost"),
        (("entity: opportunity", "entity: deal"), r"entity: .*'deal'"),
        (("name: crm_deals", "name: CRM Deals"), r"name: .*'CRM Deals'"),
        (("recognise: [Deal ID, Deal stage]", "recognise: []"), r"recognise: "),
        (("values:", "colour: blue\nvalues:"), r"colour: unknown key"),
        (("values:\n  stage:", "values:\n  amount:"), r"values\.amount: amount is not mapped"),
    ],
)
def test_mapping_errors_name_the_file_the_key_and_the_problem(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    path = _write(tmp_path, "deals.yml", VALID.replace(*edit))
    message = _error(tmp_path)
    assert str(path) in message
    assert re.search(expected, message), message


def test_two_mappings_of_one_name_or_one_header_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.yml", VALID)
    _write(tmp_path, "b.yml", VALID)
    assert "is already the name of" in _error(tmp_path)
    _write(tmp_path, "b.yml", VALID.replace("name: crm_deals", "name: other_deals"))
    assert "the same header cells as" in _error(tmp_path)


def test_the_issue_s_example_shape_works_as_written(tmp_path: Path) -> None:
    text = VALID + 'formats:\n  date: "%d/%m/%Y %H:%M"\n  null: ["", "N/A", "Select"]\n'
    text += '  decimal: ","\n'
    _write(tmp_path, "deals.yml", text)  # `null:` unquoted: YAML reads the key as None
    (mapping,) = load_mappings(tmp_path)
    assert mapping.formats.null == ["", "N/A", "Select"]
    assert mapping.formats.decimal == ","


def test_a_yaml_boolean_in_values_reads_as_text(tmp_path: Path) -> None:
    text = VALID.replace("  stage: Deal stage\n", "  stage: Deal stage\n  is_won: Won?\n")
    text += "  is_won: {Yes: true, No: false}\n"
    _write(tmp_path, "deals.yml", text)
    (mapping,) = load_mappings(tmp_path)
    # YAML 1.1 reads Yes / No as booleans: they are still the cells' text
    assert mapping.values["is_won"] == {"true": "true", "false": "false"}


def test_config_check_validates_the_mappings_and_their_channels(tmp_path: Path) -> None:
    _write(tmp_path / "mappings", "deals.yml", VALID)
    config = tmp_path / "smarketing.yml"
    shutil.copy(REPO / "smarketing.yml", config)
    runner = CliRunner()
    result = runner.invoke(main, ["config", "check", "--config", str(config)])
    assert "crm_deals (mycrm opportunity)" in result.output, result.output
    text = VALID.replace("  stage: Deal stage\n", "  stage: Deal stage\n  lead_source: Src\n")
    _write(tmp_path / "mappings", "deals.yml", text + "  lead_source: {Ads: paid_ads}\n")
    result = runner.invoke(main, ["config", "check", "--config", str(config)])
    assert result.exit_code != 0
    assert "'paid_ads' is not a channel of smarketing.yml" in result.output


def test_the_shipped_mappings_are_valid() -> None:
    names = {mapping.name for mapping in load_mappings(SHIPPED)}
    assert names == {
        "pipedrive_persons",
        "pipedrive_deals",
        "pipedrive_activities",
        "pipedrive_lead_status_changes",
    }


def test_the_readme_documents_every_canonical_field() -> None:
    text = (SHIPPED / "README.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    documented = {
        section.splitlines()[0]: set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
        for section in sections
    }
    for entity, fields in CANONICAL_FIELDS.items():
        title = "lead / contact" if entity in ("lead", "contact") else entity.replace("_", " ")
        assert documented[title] == set(fields), entity


def test_the_mapped_staging_models_list_every_canonical_field() -> None:
    models = {
        "persons": "lead",
        "accounts": "account",
        "opportunities": "opportunity",
        "stage_changes": "stage_change",
        "activities": "activity",
        "marketing_events": "marketing_event",
    }
    for model, entity in models.items():
        sql = (DBT_DIR / "models" / "staging" / "mapped" / f"stg_mapped__{model}.sql").read_text()
        listed = dict(re.findall(r"^\s+\('(\w+)', '(\w+)'\),?$", sql, re.MULTILINE))
        assert listed == {f: c.type for f, c in CANONICAL_FIELDS[entity].items()}, model


# --- loading and staging ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def mapped_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hand-made Pipedrive exports loaded with the shipped mappings, staged by dbt."""
    folder = tmp_path_factory.mktemp("mapped")
    warehouse = folder / "warehouse.duckdb"
    mappings = load_mappings(SHIPPED)
    kinds = tuple(mapping.kind() for mapping in mappings)
    with duckdb.connect(str(warehouse)) as con:
        load_inbox(con, EXPORTS, run_id="first", mapped=kinds)
        load_inbox(con, EXPORTS, run_id="again", mapped=kinds)  # nothing is loaded twice
    dbt_vars = json.dumps({**definition_vars(), "mappings": [m.dbt_var() for m in mappings]})
    subprocess.run(
        [
            dbt_executable(),
            "run",
            "--quiet",
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(folder / "target"),
            "--select",
            "path:models/staging/mapped",
            "--vars",
            dbt_vars,
        ],
        check=True,
        env={**os.environ, "SMARKETING_WAREHOUSE": str(warehouse)},
    )
    yield warehouse


def test_mapped_exports_load_as_delivered_with_their_audit(mapped_warehouse: Path) -> None:
    with duckdb.connect(str(mapped_warehouse), read_only=True) as con:
        audit = con.execute(
            "select source_file, run_id, source_system, entity, raw_table, status, rows_read, "
            "rows_loaded from audit.load_audit order by source_file"
        ).fetchall()
        assert [row[0] for row in audit] == [
            "pipedrive_activities.csv",
            "pipedrive_deals.csv",
            "pipedrive_people.csv",
        ]
        assert {row[1] for row in audit} == {"first"}
        assert audit[1][2:] == (
            "pipedrive",
            "opportunity",
            "mapped__pipedrive_deals",
            "loaded",
            4,
            4,
        )
        value = con.execute(
            "select deal_value from raw.mapped__pipedrive_deals where deal_id = '501'"
        ).fetchone()
        assert value == ("12,500",)  # as delivered


def test_mapped_staging_reads_the_canonical_fields(mapped_warehouse: Path) -> None:
    with duckdb.connect(str(mapped_warehouse), read_only=True) as con:
        deals = con.execute(
            "select record_id, person_record_id, outcome, amount, currency, "
            "strftime(closed_at at time zone 'Europe/Paris', '%Y-%m-%d %H:%M') "
            "from staging.stg_mapped__opportunities order by record_id"
        ).fetchall()
        assert deals == [
            ("501", "101", "won", 12500.0, "EUR", "2026-02-20 17:00"),
            ("502", "102", "lost", 4800.0, "EUR", "2026-02-25 12:00"),
            ("503", "103", "open", 9000.5, "USD", None),
            ("504", None, "open", None, None, None),  # a deal without any person
        ]
        activities = con.execute(
            "select record_id, is_done, occurred_at is not null "
            "from staging.stg_mapped__activities order by record_id"
        ).fetchall()
        assert activities == [("9001", True, True), ("9002", True, True), ("9003", False, False)]
        persons = con.execute(
            "select count(*), count(email), min(source_entity) from staging.stg_mapped__persons"
        ).fetchone()
        assert persons == (3, 2, "contact")
        empty = con.execute("select count(*) from staging.stg_mapped__marketing_events").fetchone()
        assert empty == (0,)


def test_a_mapped_row_without_id_is_rejected_and_a_file_without_the_id_column_refused(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox, "deals.csv", "Deal ID,Deal stage\nD1,Won\n,Lost\nD3,Open\n")
    _write(inbox, "no_id.csv", "Lead name,Lead status\nAnne,New\n")
    _write(inbox, "other.csv", "Deal stage,Amount\nWon,3\n")
    _write(tmp_path / "mappings", "deals.yml", VALID)
    leads = "name: leads\nsource_system: sheet\nrecognise: [Lead name, Lead status]\n"
    leads += "entity: lead\nfields: {record_id: Lead key, full_name: Lead name}\n"
    _write(tmp_path / "mappings", "leads.yml", leads)
    kinds = tuple(mapping.kind() for mapping in load_mappings(tmp_path / "mappings"))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        results = {r.source_file: r for r in load_inbox(con, inbox, mapped=kinds)}
        rejected = con.execute("select row_number, reason from audit.rejected_rows").fetchall()
    deals = results["deals.csv"]
    assert (deals.status, deals.rows_read, deals.rows_loaded, deals.rows_rejected) == (
        "loaded_with_rejects", 3, 2, 1,
    )  # fmt: skip
    assert rejected == [(2, "empty key 'Deal ID'")]
    assert results["no_id.csv"].status == "refused"
    assert "Lead key" in (results["no_id.csv"].error or "")
    assert results["other.csv"].status == "unknown"  # not every `recognise` cell


# --- through the whole pipeline (the shared hand-made run, tests/handmade.py) ---------------


def test_mapped_persons_reach_the_unified_leads_across_tools(handmade: dict) -> None:
    run = handmade["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    warehouse = handmade["root"] / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        bridge = dict(
            con.execute(
                "select record_key, unified_lead_id from marts.bridge_lead_source_records "
                "where record_key like 'pipedrive:%'"
            ).fetchall()
        )
        names = con.execute(
            "select source_record_id, first_name, last_name from intermediate.int_person_records "
            "where source_system = 'pipedrive' order by 1"
        ).fetchall()
    assert names == [
        ("101", "Léa", "Marchand"),
        ("102", "Nathan", "Poirier"),
        ("103", "Inès", "Robin"),
    ]  # first and last names split from Person - Name
    assert {"pipedrive:contact:101", "pipedrive:contact:102", "pipedrive:contact:103"} <= set(
        bridge
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        hubspot = con.execute(
            "select unified_lead_id from marts.bridge_lead_source_records "
            "where record_key = 'hubspot:contact:701'"
        ).fetchone()
    assert hubspot == (bridge["pipedrive:contact:101"],)  # same e-mail and name: one person
    assert bridge["pipedrive:contact:102"] != bridge["pipedrive:contact:101"]


def test_mapped_deals_are_opportunities_of_their_person(handmade: dict) -> None:
    warehouse = handmade["root"] / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        deals = con.execute(
            "select opportunity_id, source_system, is_won, is_lost, is_closed, amount_corporate, "
            "closed_at is not null from marts.fct_opportunities "
            "where source_system = 'pipedrive' order by opportunity_id"
        ).fetchall()
        linked = dict(
            con.execute(
                "select o.opportunity_id, b.record_key from marts.fct_opportunities o "
                "left join marts.bridge_lead_source_records b "
                "on b.unified_lead_id = o.unified_lead_id and b.source_system = 'pipedrive' "
                "where o.source_system = 'pipedrive'"
            ).fetchall()
        )
    assert deals == [
        ("pipedrive:501", "pipedrive", True, False, True, 12500.0, True),
        ("pipedrive:502", "pipedrive", False, True, True, 4800.0, True),
        ("pipedrive:503", "pipedrive", False, False, False, deals[2][5], False),  # USD
        ("pipedrive:504", "pipedrive", False, False, False, None, False),
    ]
    assert linked == {
        "pipedrive:501": "pipedrive:contact:101",
        "pipedrive:502": "pipedrive:contact:102",
        "pipedrive:503": "pipedrive:contact:103",
        "pipedrive:504": None,  # a deal without any person
    }
