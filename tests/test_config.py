"""The shared lead definition: smarketing.yml loads, errors name the key, it becomes the
warehouse's config tables."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from smarketing.cli import main
from smarketing.config import ConfigError, SmarketingConfig, load_config
from smarketing.config.metrics import kpi_metric_errors
from smarketing.config.tables import (
    QUERIES_TABLE,
    column_types,
    definition_version,
    render_tables,
    value_labels_csv,
    write_tables,
    written_definition,
)

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "smarketing.yml"


def shipped_data() -> dict[str, Any]:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "smarketing.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_error(tmp_path: Path, data: dict[str, Any]) -> str:
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_shipped_file_loads_with_the_shared_definition() -> None:
    config = load_config(SHIPPED)
    assert isinstance(config, SmarketingConfig)
    mql = config.stages.mql
    assert mql.score_threshold == 60
    assert mql.fit.countries == ["FR", "BE", "CH", "LU"]
    assert mql.fit.min_employees == 10
    assert config.stages.sal.salesforce_lead_statuses == ["Accepted"]
    assert config.stages.sql.salesforce_lead_statuses == ["Qualified"]
    assert list(config.channels) == [
        "paid_search",
        "organic",
        "webinar",
        "content_download",
        "event",
        "partner",
        "outbound",
    ]
    assert [config.segment_of(n) for n in (1, 99, 100, 999, 1000, 50_000)] == [
        "smb",
        "smb",
        "mid_market",
        "mid_market",
        "enterprise",
        "enterprise",
    ]
    assert [offer.name for offer in config.offers] == [
        "Lumen Pipeline",
        "Lumen Flux",
        "Lumen Vigie",
    ]
    assert config.disqualification_reasons["out_of_target"] == ["Hors cible"]


def test_default_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARKETING_CONFIG", str(SHIPPED))
    assert load_config().stages.mql.score_threshold == 60


def test_misspelt_key_names_the_key(tmp_path: Path) -> None:
    data = shipped_data()
    data["stages"]["mql"]["scor_threshold"] = data["stages"]["mql"].pop("score_threshold")
    message = load_error(tmp_path, data)
    assert "stages.mql.scor_threshold: unknown key" in message
    assert "stages.mql.score_threshold: missing key" in message


def test_threshold_out_of_range_names_the_key_and_the_value(tmp_path: Path) -> None:
    data = shipped_data()
    data["stages"]["mql"]["score_threshold"] = 150
    message = load_error(tmp_path, data)
    assert "stages.mql.score_threshold:" in message
    assert "less than or equal to 100" in message and "150" in message


def test_overlapping_segments_are_refused(tmp_path: Path) -> None:
    data = shipped_data()
    data["segments"]["mid_market"]["min_employees"] = 50
    message = load_error(tmp_path, data)
    assert "segments:" in message
    assert "mid_market.min_employees 50 overlaps smb" in message


def test_segment_gap_is_refused(tmp_path: Path) -> None:
    data = shipped_data()
    data["segments"]["enterprise"]["min_employees"] = 2000
    assert "leaves a gap after mid_market" in load_error(tmp_path, data)


def test_source_value_mapped_to_two_channels_is_refused(tmp_path: Path) -> None:
    data = shipped_data()
    data["channels"]["organic"]["salesforce_lead_sources"].append("Paid Search")
    message = load_error(tmp_path, data)
    assert "channels.organic.salesforce_lead_sources" in message
    assert "'Paid Search' is already mapped in channels.paid_search" in message


def test_hubspot_source_mapped_twice_is_refused(tmp_path: Path) -> None:
    data = shipped_data()
    data["channels"]["partner"]["hubspot_original_sources"].append("PAID_SEARCH")
    assert "'PAID_SEARCH' is already mapped in channels.paid_search" in load_error(tmp_path, data)


def test_unknown_reason_category_is_refused(tmp_path: Path) -> None:
    data = shipped_data()
    data["disqualification_reasons"]["too_expensive"] = ["Trop cher"]
    assert "disqualification_reasons.too_expensive" in load_error(tmp_path, data)


def test_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "smarketing.yml"
    text = SHIPPED.read_text(encoding="utf-8")
    path.write_text(text.replace("  organic:\n", "  organic:\n    outbound: 1\n  organic:\n", 1))
    with pytest.raises(ConfigError, match="'organic' is written twice"):
        load_config(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.yml"):
        load_config(tmp_path / "nowhere.yml")


def test_the_definition_becomes_typed_config_tables_with_its_version(tmp_path: Path) -> None:
    data = shipped_data()
    data["segments"]["smb"]["max_employees"] = 49
    data["segments"]["mid_market"]["min_employees"] = 50
    path = write(tmp_path, data)
    con = duckdb.connect()
    assert written_definition(con) is None
    definition = write_tables(con, load_config(path), path)
    assert definition.version == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert written_definition(con) == definition
    assert con.execute(
        "select segment, min_employees, max_employees from config.employee_segments"
        " order by min_employees"
    ).fetchall() == [("smb", 1, 49), ("mid_market", 50, 999), ("enterprise", 1000, None)]
    # every table, with the types the dbt source declares, column by column
    for table, types in column_types().items():
        if table == QUERIES_TABLE:  # written from the metric layer, not from the file
            continue
        described = con.execute(f"describe config.{table}").fetchall()
        declared = [
            (column, con.execute(f"select typeof(null::{kind})").fetchone()[0])
            for column, kind in types.items()
        ]
        assert [(row[0], row[1]) for row in described] == declared, table
        assert con.execute(f"select count(*) from config.{table}").fetchone()[0] > 0, table


def test_a_second_definition_replaces_the_first_whole(tmp_path: Path) -> None:
    con = duckdb.connect()
    write_tables(con, load_config(SHIPPED), SHIPPED)
    data = shipped_data()
    data["stages"]["mql"]["score_threshold"] = 75
    path = write(tmp_path, data)
    second = write_tables(con, load_config(path), path)
    assert second.version != definition_version(SHIPPED)
    assert con.execute(
        "select value from config.mql_criteria where criterion = 'score_threshold'"
    ).fetchall() == [("75",)]


def test_a_run_leaves_the_project_files_as_they_are() -> None:
    # the definition lives in the warehouse: nothing under dbt/ is written from smarketing.yml
    assert not (REPO / "dbt" / "seeds" / "mql_criteria.csv").exists()
    for table in render_tables(load_config(SHIPPED)):
        assert not list((REPO / "dbt").rglob(f"{table}.csv")), table


def test_config_check_command() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["config", "check", "--config", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "score >= 60" in result.output
    assert f"version {definition_version(SHIPPED)}" in result.output
    for args in (
        ["config", "--help"],
        ["config", "check", "--help"],
    ):
        assert runner.invoke(main, args).exit_code == 0


def test_config_check_reports_a_wrong_value(tmp_path: Path) -> None:
    data = shipped_data()
    data["stages"]["mql"]["score_threshold"] = 150
    result = CliRunner().invoke(main, ["config", "check", "--config", str(write(tmp_path, data))])
    assert result.exit_code == 1
    assert "stages.mql.score_threshold" in result.output


def test_the_orgs_fields_default_to_todays_names_and_errors_name_the_key(tmp_path: Path) -> None:
    data = shipped_data()
    del data["fields"]
    defaults = load_config(write(tmp_path, data)).fields
    assert defaults == load_config(SHIPPED).fields
    assert defaults.salesforce_lead.lead_score == ["Lead_Score__c", "Lead Score"]
    assert defaults.dbt_var()["salesforce_user"]["team"] == {
        "columns": ["team__c", "team"],
        "headers": ["Team__c", "Team"],
    }
    data["fields"] = {"salesforce_lead": {"lead_scor": ["Score"]}}
    assert "fields.salesforce_lead.lead_scor: unknown key" in load_error(tmp_path, data)
    data["fields"] = {"salesforce_lead": {"lead_score": []}}
    assert "fields.salesforce_lead.lead_score:" in load_error(tmp_path, data)
    data["fields"] = {"salesforce_lead": {"lead_score": ["Lead Score", "lead_score"]}}
    message = load_error(tmp_path, data)
    assert "fields.salesforce_lead.lead_score:" in message and "same column" in message


def test_currency_rates_are_checked_and_become_a_seed(tmp_path: Path) -> None:
    data = shipped_data()
    config = load_config(SHIPPED)
    assert config.currency.corporate == "EUR"
    assert render_tables(config)["currency_rates"].splitlines()[:2] == [
        "iso_code,conversion_rate,is_corporate",
        "EUR,1,true",
    ]
    data["currency"] = {"corporate": "EUR", "rates": {"EUR": 1.1}}
    assert "currency: rates.EUR: the corporate currency's rate is 1" in load_error(tmp_path, data)
    data["currency"] = {"corporate": "EUR", "rates": {"USD": 0}}
    assert "currency.rates.USD:" in load_error(tmp_path, data)
    data["currency"] = {"corporate": "euro"}
    assert "currency.corporate:" in load_error(tmp_path, data)


# --- the committee's KPI registry ------------------------------------------------------------

ROUTING_KPI = {
    "label": {"fr": "Routage juste", "en": "Routing accuracy"},
    "description": "hand-offs of the month received by the team the routing rules expect",
    "unit": "share",
    "metric": "routing_accuracy",
    "target": 0.9,
    "better": "higher",
    "at_risk_margin": 0.05,
}


def test_a_kpi_is_one_registry_entry_and_becomes_a_row_of_the_kpi_table(tmp_path: Path) -> None:
    data = shipped_data()
    data["committee"]["kpis"]["routing_accuracy_kpi"] = ROUTING_KPI
    path = write(tmp_path, data)
    config = load_config(path)
    assert kpi_metric_errors(config) == []
    con = duckdb.connect()
    write_tables(con, config, path)
    row = con.execute(
        "select label_fr, label_en, unit, metric, display_order from config.committee_kpis"
        " where kpi = 'routing_accuracy_kpi'"
    ).fetchone()
    assert row == ("Routage juste", "Routing accuracy", "share", "routing_accuracy", 9)
    # without `metric`, the KPI reads the metric of its own name
    assert con.execute(
        "select count(*) from config.committee_kpis where metric <> kpi"
    ).fetchone() == (1,)
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "routing_accuracy_kpi (routing_accuracy)" in result.output


def test_a_kpi_without_its_metric_or_labels_is_refused_by_name(tmp_path: Path) -> None:
    data = shipped_data()
    data["committee"]["kpis"]["routing_accuracy_kpi"] = {**ROUTING_KPI, "metric": "routing_acuracy"}
    path = write(tmp_path, data)
    errors = kpi_metric_errors(load_config(path))
    assert len(errors) == 1
    assert "committee.kpis.routing_accuracy_kpi.metric" in errors[0]
    assert "'routing_acuracy'" in errors[0]
    result = CliRunner().invoke(main, ["config", "check", "--config", str(path)])
    assert result.exit_code == 1 and "routing_acuracy" in result.output
    unlabelled = {key: value for key, value in ROUTING_KPI.items() if key != "label"}
    data["committee"]["kpis"]["routing_accuracy_kpi"] = unlabelled
    assert "committee.kpis.routing_accuracy_kpi.label" in load_error(tmp_path, data)
    data["committee"]["kpis"]["Routing Accuracy"] = ROUTING_KPI
    del data["committee"]["kpis"]["routing_accuracy_kpi"]
    assert "committee.kpis" in load_error(tmp_path, data)


# --- one definition of each concept ----------------------------------------------------------

PRODUCT = ("dbt", "dashboards", "dagster_project", "smarketing", "expectations")


def test_the_calendar_is_written_once_in_smarketing_yml() -> None:
    """The reporting and source time zones, the sales departments, the speed-to-lead buckets
    and the schedule live in smarketing.yml only: no file of the product repeats their values
    (dbt gets them as vars, the dashboard from the warehouse, the schedule from the file)."""
    config = load_config(SHIPPED)
    literals = {
        config.calendar.reporting_time_zone,
        config.calendar.source_time_zone,
        *config.sla.sales_departments,
    }
    found = []
    for folder in PRODUCT:
        for path in (REPO / folder).rglob("*"):
            if not path.is_file() or path.suffix not in {".py", ".sql", ".yml", ".json"}:
                continue
            if "target" in path.relative_to(REPO).parts:
                continue
            if path.parent == REPO / "dbt" / "tests" / "engine":
                continue  # the engine macros' cases, in a zone of their own (test_engine_macros)
            if path.suffix == ".yml" and folder == "dbt" and path.parent != REPO / "dbt":
                continue  # the models' docs and unit-test rows: data of the shipped definition
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(REPO)}: {value}" for value in literals if value in text]
    assert not found, found
    project = yaml.safe_load((REPO / "dbt" / "dbt_project.yml").read_text(encoding="utf-8"))
    assert not {
        "reporting_time_zone",
        "source_time_zone",
        "sales_departments",
        "speed_to_lead_bucket_bounds",
    } & set(project["vars"])


def test_the_definition_gives_dbt_its_vars(tmp_path: Path) -> None:
    data = shipped_data()
    data["calendar"] = {"reporting_time_zone": "America/Montreal", "source_time_zone": "UTC"}
    data["sla"]["sales_departments"] = ["Sales", "Inside Sales"]
    data["sla"]["speed_to_lead_buckets"] = [2, 8]
    path = write(tmp_path, data)
    result = CliRunner().invoke(main, ["config", "dbt-vars", "--config", str(path)])
    assert result.exit_code == 0, result.output
    variables = json.loads(result.output)
    assert variables["reporting_time_zone"] == "America/Montreal"
    assert variables["source_time_zone"] == "UTC"
    assert variables["sales_departments"] == ["Sales", "Inside Sales"]
    assert variables["speed_to_lead_bucket_bounds"] == [2, 8]
    con = duckdb.connect()
    write_tables(con, load_config(path), path)
    assert dict(con.execute("select * from config.reporting_settings").fetchall()) == {
        "reporting_time_zone": "America/Montreal",
        "source_time_zone": "UTC",
    }
    # business days in the reporting time zone unless the SLA names its own
    assert con.execute("select min(opens_at) from config.business_days").fetchone()[0] is not None
    data["calendar"]["reporting_time_zone"] = "Mars/Olympus_Mons"
    message = load_error(tmp_path, data)
    assert "calendar.reporting_time_zone" in message and "Mars/Olympus_Mons" in message
    del data["calendar"]
    assert "calendar" in load_error(tmp_path, data)


def test_segments_and_channels_are_named_in_both_languages_or_read_as_their_words(
    tmp_path: Path,
) -> None:
    data = shipped_data()
    del data["segments"]["smb"]["label"]
    data["channels"]["partner"]["label"] = {"fr": "Apporteurs", "en": "Referral partners"}
    rows = value_labels_csv(load_config(write(tmp_path, data))).splitlines()
    assert rows[0] == "kind,code,label_fr,label_en"
    assert "segment,mid_market,ETI,Mid-market" in rows
    assert "channel,partner,Apporteurs,Referral partners" in rows
    assert not [row for row in rows if row.startswith("segment,smb,")]
    data["segments"]["mid_market"]["label"] = {"fr": "ETI"}
    assert "segments.mid_market.label.en" in load_error(tmp_path, data)
