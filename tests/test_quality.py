"""Data governance: the Great Expectations suites of ``expectations/`` on a small warehouse (a
copy of the ``small`` fixture's), as Dagster asset checks with their severity. Bad data fails
the check; a broken engine (unknown expectation type, missing column or table) is an error,
never a pass nor a failure."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from dagster_project.definitions import defs
from dagster_project.defs.publish.definitions import SERVING_KEY
from dagster_project.defs.quality.definitions import build_checks, check_spec
from dagster_project.lib.resources import PublicationResource
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.config import load_config
from smarketing.publish import read_status
from smarketing.quality import history
from smarketing.quality.checks import run_checks
from smarketing.quality.engine import build_expectation
from smarketing.quality.parameters import PARAMETER_NAMES, suite_parameters
from smarketing.quality.suites import (
    DEFAULT_EXPECTATIONS_DIR,
    SuiteError,
    SuiteUnit,
    load_suites,
)
from tests.conftest import DEMO_WARNINGS, rows

REPO = Path(__file__).resolve().parents[1]
SUITES = load_suites(parameters=set(PARAMETER_NAMES))
UNITS = [unit for suite in SUITES for unit in suite.units()]

BROKEN_SUITE = {
    "name": "broken",
    "meta": {"dataset": {"table": "staging.stg_salesforce__lead"}},
    "expectations": [
        {
            "type": "expect_column_values_to_be_purple",
            "kwargs": {"column": "email"},
            "meta": {"name": "purple", "severity": "warning"},
        },
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "no_such_column"},
            "meta": {"name": "missing_column", "severity": "blocking"},
        },
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "lead_id"},
            "meta": {"name": "lead_id_present", "severity": "blocking"},
        },
    ],
}
MISSING_TABLE_SUITE = {
    "name": "missing_table",
    "meta": {"dataset": {"table": "marts.no_such_table"}},
    "expectations": [
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "id"},
            "meta": {"name": "id_present", "severity": "blocking"},
        }
    ],
}


def units_of(*names: str) -> list[SuiteUnit]:
    return [unit for unit in UNITS if unit.suite.name in names]


@pytest.fixture
def warehouse(small: dict, tmp_path: Path) -> Path:
    """A private copy of the small warehouse, free to be damaged."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", copy)
    return copy


def write_suites(folder: Path, *suites: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for suite in suites:
        (folder / f"{suite['name']}.json").write_text(json.dumps(suite), encoding="utf-8")
    return folder


def first_staged(
    con: duckdb.DuckDBPyConnection, model: str, key: str, where: str = "true"
) -> tuple[str, str, int]:
    """(key, file, row of the file) of MODEL's first row by KEY: where a value is planted."""
    row = con.execute(
        f"select {key}, _source_file, _row_number from staging.{model} "
        f"where {where} order by {key} limit 1"
    ).fetchone()
    assert row is not None
    return row


def test_suites_are_gx_suites_each_expectation_with_a_severity() -> None:
    layers = {unit.asset.split(".")[0] for unit in UNITS}
    assert {"raw", "staging", "marts", "audit"} <= layers
    for suite in SUITES:
        for expectation in suite.expectations:
            assert expectation.severity in ("blocking", "warning")
            build_expectation(expectation)  # GX knows the type and accepts the arguments
    severities = {e.severity for s in SUITES for e in s.expectations}
    assert severities == {"blocking", "warning"}


def test_every_check_says_what_it_checks_in_french_and_english(tmp_path: Path) -> None:
    """Each shipped check has its label in both languages (what the dashboard shows); a
    key-field check names its field in the label's language; two checks of a suite never
    read the same."""
    for suite in SUITES:
        seen: dict[str, set[str]] = {"fr": set(), "en": set()}
        for expectation in suite.expectations:
            label = expectation.label
            assert label is not None, f"{suite.name}/{expectation.name} has no meta.label"
            for lang in ("fr", "en"):
                assert "{" not in label[lang] and "_" not in label[lang], label
                assert label[lang] not in seen[lang], f"{suite.name}: {label[lang]!r} twice"
                seen[lang].add(label[lang])
    inbound_suite = next(s for s in SUITES if s.name == "inbound_leads")
    inbound = {e.name: e.label for e in inbound_suite.expectations}
    assert "E-mail" in inbound["inbound_email_complete"]["fr"]
    assert "Téléphone" in inbound["inbound_phone_complete"]["fr"]
    assert "Phone" in inbound["inbound_phone_complete"]["en"]
    broken = json.loads(json.dumps(BROKEN_SUITE))
    broken["expectations"][2]["meta"]["label"] = {"en": "Leads have an id"}
    with pytest.raises(SuiteError, match=r"broken\.json.*lead_id_present.*meta\.label"):
        load_suites(write_suites(tmp_path, broken))


def test_completeness_target_is_read_from_the_yaml_not_repeated() -> None:
    inbound = next(s for s in SUITES if s.name == "inbound_leads")
    for expectation in inbound.expectations:
        assert expectation.kwargs["mostly"] == {"$PARAMETER": "key_field_completeness_target"}
    # one check per key field of smarketing.yml; checks.severities makes three warnings
    config = load_config()
    assert [e.columns[0] for e in inbound.expectations] == [
        f"has_{field}" for field in config.key_fields
    ]
    blocking = {e.columns[0] for e in inbound.expectations if e.severity == "blocking"}
    assert blocking == {"has_name", "has_email", "has_company"}
    target = load_config().committee.kpis["key_field_completeness"].target
    for path in DEFAULT_EXPECTATIONS_DIR.rglob("*.json"):
        assert f'"mostly": {target}' not in path.read_text(encoding="utf-8"), path


def test_a_suite_breaking_the_conventions_is_refused_with_its_file(tmp_path: Path) -> None:
    no_severity = json.loads(json.dumps(BROKEN_SUITE))
    del no_severity["expectations"][2]["meta"]["severity"]
    with pytest.raises(SuiteError, match=r"broken\.json.*lead_id_present.*severity"):
        load_suites(write_suites(tmp_path / "a", no_severity))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SuiteError, match=r"bad\.json"):
        load_suites(tmp_path / "b")
    unknown = json.loads(json.dumps(MISSING_TABLE_SUITE))
    unknown["expectations"][0]["kwargs"]["mostly"] = {"$PARAMETER": "nope"}
    with pytest.raises(SuiteError, match=r"unknown \$PARAMETER nope"):
        load_suites(write_suites(tmp_path / "c", unknown), parameters=set(PARAMETER_NAMES))


def test_every_expectation_is_a_blocking_ordered_asset_check_before_publication() -> None:
    graph = defs.resolve_asset_graph()
    assets = graph.get_all_asset_keys()
    serving_parents = graph.get(SERVING_KEY).parent_keys
    for unit in UNITS:
        anchor = dg.AssetKey(unit.asset.split("."))
        assert anchor in assets, unit.label
        assert anchor in serving_parents, unit.label
        for read in unit.reads:
            assert dg.AssetKey(read.split(".")) in assets, (unit.label, read)
        for expectation in unit.suite.expectations:
            key = dg.AssetCheckKey(anchor, expectation.check_name)
            assert key in graph.asset_check_keys, key
            spec = graph.get(key)
            # blocking so the publication waits for it; only ERROR failures stop anything
            assert spec.blocking, key


def test_the_small_run_checked_everything_and_everything_passed(small: dict) -> None:
    """On the demo exports every expectation holds but the phones' warning, and each was
    reported to Dagster as a check with its severity."""
    os.environ["DAGSTER_HOME"] = str(small["root"] / "dagster_home")
    with dg.DagsterInstance.get() as instance:
        first = instance.get_runs()[-1]
        records = instance.get_records_for_run(
            first.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e
        for e in (r.event_log_entry.dagster_event.asset_check_evaluation_data for r in records)
    }
    con = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            f"select asset, check_name, severity, status, success from {history.HISTORY} "
            "where run_id = ?",
            [first.run_id],
        ).fetchall()
    finally:
        con.close()
    expected = sum(len(u.suite.expectations) for u in UNITS)
    assert len(rows) == expected
    failed = {(check, level) for _, check, level, status, _ in rows if status != "passed"}
    assert failed == {(check, "warning") for check in DEMO_WARNINGS}
    assert {(status, success) for *_, status, success in rows} == {
        ("passed", True),
        ("failed", False),
    }
    severity = {"blocking": dg.AssetCheckSeverity.ERROR, "warning": dg.AssetCheckSeverity.WARN}
    for asset, check_name, level, _, _ in rows:
        evaluation = evaluations[(asset.replace(".", "/"), check_name)]
        assert evaluation.passed == (check_name not in DEMO_WARNINGS)
        assert evaluation.severity == severity[level]


def test_a_planted_defect_fails_the_blocking_completeness_check(warehouse: Path) -> None:
    """10 % of the inbound leads lose their e-mail in the latest delivery (planted in the
    table the check reads, as the build of that delivery leaves it)."""
    con = duckdb.connect(str(warehouse))
    con.execute(
        "update intermediate.int_lead_key_fields set has_email = false "
        "where is_inbound and hash(lead_id) % 10 = 0"
    )
    con.close()
    results = run_checks(warehouse, units_of("inbound_leads"), "defect")
    status = {o.expectation.name: o.status for r in results for o in r.outcomes}
    assert status.pop("inbound_email_complete") == "failed"
    assert {name for name, outcome in status.items() if outcome != "passed"} == {
        check.removeprefix("gx_") for check in DEMO_WARNINGS
    }
    con = duckdb.connect(str(warehouse), read_only=True)
    quality = history.run_quality(con, "defect")
    con.close()
    assert (quality.blocking_failed, quality.errors) == (1, 0)
    assert "gx_inbound_email_complete" in quality.blocking[0]
    assert "% filled" in quality.blocking[0] and "at least 95 %" in quality.blocking[0]


def test_the_yaml_target_decides_the_completeness_check(warehouse: Path, tmp_path: Path) -> None:
    """HubSpot contacts have 99.1 % of their e-mails: they pass at the shipped target, fail at a
    stricter one written in smarketing.yml."""
    data = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    assert data["committee"]["kpis"]["key_field_completeness"]["target"] == 0.95
    data["committee"]["kpis"]["key_field_completeness"]["target"] = 0.995
    stricter = tmp_path / "smarketing.yml"
    stricter.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    units = units_of("stg_hubspot__contact")

    def email_outcome(config_path: Path) -> tuple[str, float]:
        parameters = suite_parameters(load_config(config_path))
        results = run_checks(warehouse, units, "target", parameters=parameters)
        outcome = next(
            o for r in results for o in r.outcomes if o.expectation.name == "email_complete"
        )
        return outcome.status, outcome.kwargs["mostly"]

    assert email_outcome(REPO / "smarketing.yml") == ("passed", 0.95)
    assert email_outcome(stricter) == ("failed", 0.995)


def test_a_broken_engine_is_an_error_not_a_pass_nor_bad_data(
    warehouse: Path, tmp_path: Path
) -> None:
    suites = load_suites(write_suites(tmp_path / "suites", BROKEN_SUITE, MISSING_TABLE_SUITE))
    units = [unit for suite in suites for unit in suite.units()]
    results = run_checks(warehouse, units, "broken", data_docs=tmp_path / "docs", suites=suites)
    outcomes = {o.expectation.name: o for r in results for o in r.outcomes}
    assert outcomes["lead_id_present"].status == "passed"
    for name, cause in [
        ("purple", "expect_column_values_to_be_purple not found"),  # the suite does not load
        ("missing_column", "no_such_column"),  # GX caught an exception computing a metric
        ("id_present", "no_such_table"),  # the dataset cannot be read
    ]:
        assert outcomes[name].status == "error", name
        assert cause in (outcomes[name].error or ""), (name, outcomes[name].error)
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        f"select check_name, status, success from {history.HISTORY} "
        "where run_id = 'broken' and status = 'error' order by 1"
    ).fetchall()
    quality = history.run_quality(con, "broken")
    con.close()
    assert rows == [
        ("gx_id_present", "error", None),
        ("gx_missing_column", "error", None),
        ("gx_purple", "error", None),
    ]
    # an error holds a publication back, even on a warning-only expectation
    assert quality.errors == 3 and len(quality.blocking) == 3
    assert (tmp_path / "docs" / "index.html").is_file()


def test_a_broken_engine_fails_its_dagster_check_step(warehouse: Path, tmp_path: Path) -> None:
    suites = load_suites(write_suites(tmp_path / "suites", BROKEN_SUITE))
    checks = build_checks("staging", [u for s in suites for u in s.units()], suites)
    job = dg.define_asset_job("gx_only", selection=dg.AssetSelection.checks(checks))
    local = dg.Definitions(
        assets=[dg.AssetSpec(["staging", "stg_salesforce__lead"])],
        asset_checks=[checks],
        jobs=[job],
        resources={
            "warehouse": WarehouseResource(inbox=str(tmp_path), warehouse=str(warehouse)),
            "publication": PublicationResource(
                serving=str(tmp_path / "serving.duckdb"), data_docs=str(tmp_path / "docs")
            ),
        },
    )
    result = local.resolve_job_def("gx_only").execute_in_process(raise_on_error=False)
    assert not result.success
    evaluations = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ]
    # only the check that could run reports; the others are neither passed nor failed
    assert [(e.check_name, e.passed) for e in evaluations] == [("gx_lead_id_present", True)]
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE)
    assert "could not run" in failure.step_failure_data.error.cause.message


def test_data_docs_show_every_suite_of_the_run(warehouse: Path, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    units = units_of("inbound_leads", "raw_staging_reconciliation")
    run_checks(warehouse, units, "docs", data_docs=docs, suites=SUITES)
    index = (docs / "index.html").read_text(encoding="utf-8")
    for suite in SUITES:
        assert suite.name in index, suite.name
    validations = {p.parent.parent.parent.name for p in docs.glob("validations/*/*/*/*.html")}
    assert validations == {"inbound_leads", "raw_staging_reconciliation"}


def test_a_runs_data_docs_show_the_validations_of_all_its_check_steps(small: dict) -> None:
    """Built once, after the last checks: every suite validated by any step of the run."""
    root = small["root"]
    status = read_status(root / "publication.json")
    assert status is not None and status.status == "published"
    validated = {
        suite
        for (suite,) in rows(
            root / "warehouse.duckdb",
            f"select distinct suite from {history.VALIDATIONS} where run_id = '{status.run_id}'",
        )
    }
    # the suites of the raw tables (first checks) and of the marts (last checks), at least
    assert {"raw_deliveries", "inbound_leads", "dim_leads"} <= validated
    docs = Path(status.data_docs).parent
    shown = {p.parent.parent.parent.name for p in docs.glob(f"validations/*/{status.run_id}/*/*")}
    assert shown == validated


def test_values_out_of_range_are_warnings_naming_their_file_and_row(
    warehouse: Path, tmp_path: Path
) -> None:
    """A negative amount, a creation in the year 2999 and a score of 250, planted in staging as
    a delivery would leave them: warned about (not blocking), each with the file and row it came
    from, in the run's summary line and in the Data Docs."""
    con = duckdb.connect(str(warehouse))
    planted = first_staged(con, "stg_salesforce__opportunity", "opportunity_id")
    con.execute(
        "update staging.stg_salesforce__opportunity set amount = -500, "
        "created_date = timestamp '2999-01-01' where opportunity_id = ?",
        [planted[0]],
    )
    contact = first_staged(con, "stg_hubspot__contact", "contact_id")
    con.execute(
        "update staging.stg_hubspot__contact set hubspot_score = 250 where contact_id = ?",
        [contact[0]],
    )
    con.close()
    docs = tmp_path / "data_docs"
    units = units_of("stg_salesforce__opportunity", "stg_hubspot__contact")
    results = run_checks(warehouse, units, "ranges", data_docs=docs, suites=SUITES)
    failed = {o.expectation.name: o for r in results for o in r.outcomes if o.status != "passed"}
    assert set(failed) == {
        "opportunity_amount_not_negative",
        "opportunity_created_by_the_data_date",
        "hubspot_score_in_range",
    }
    assert all(not o.is_blocking_failure for o in failed.values())
    where = f"in {planted[1]} row {planted[2]}"
    assert where in failed["opportunity_amount_not_negative"].details()
    assert f"in {contact[1]} row {contact[2]}" in failed["hubspot_score_in_range"].details()
    page = next(docs.glob("validations/stg_salesforce__opportunity/*/*/*.html"))
    text = page.read_text(encoding="utf-8")
    assert "_row_number" in text and planted[1] in text


def test_a_failing_check_on_an_email_names_its_row_never_the_address(
    warehouse: Path, tmp_path: Path
) -> None:
    """An invalid e-mail planted in staging: the warning names the file and the row, and
    neither the summary, the stored results nor the Data Docs show the address."""
    planted = "Not An Address Zephyrine"
    con = duckdb.connect(str(warehouse))
    lead = first_staged(con, "stg_salesforce__lead", "lead_id", "email is not null")
    con.execute(
        "update staging.stg_salesforce__lead set email = ? where lead_id = ?", [planted, lead[0]]
    )
    con.close()
    docs = tmp_path / "data_docs"
    results = run_checks(
        warehouse, units_of("stg_salesforce__lead"), "masked", data_docs=docs, suites=SUITES
    )
    failed = {o.expectation.name: o for r in results for o in r.outcomes if o.status == "failed"}
    assert "email_valid" in failed
    details = failed["email_valid"].details()
    assert f"in {lead[1]} row {lead[2]}" in details
    assert planted not in details and "[personal data]" in details
    assert all(planted not in json.dumps(r.validation) for r in results if r.validation)
    pages = list(docs.rglob("*.html"))
    assert pages and all(planted not in page.read_text(encoding="utf-8") for page in pages)


def test_smarketing_yml_decides_each_checks_severity(tmp_path: Path) -> None:
    """checks.severities: a name turns every suite's check of that name, suite.name one suite's;
    a name no suite has is refused rather than ignored."""
    own = {s.name: {e.name: e.severity for e in s.expectations} for s in SUITES}
    assert own["stg_salesforce__lead"]["lead_score_in_range"] == "warning"  # as smarketing.yml says
    suites = load_suites(
        parameters=set(PARAMETER_NAMES),
        severities={
            "lead_score_in_range": "blocking",
            "dim_leads.email_valid": "blocking",
        },
    )
    decided = {s.name: {e.name: e.severity for e in s.expectations} for s in suites}
    assert decided["stg_salesforce__lead"]["lead_score_in_range"] == "blocking"
    assert decided["dim_leads"]["email_valid"] == "blocking"
    assert decided["stg_salesforce__lead"]["email_valid"] == "warning"  # another suite's: as is
    unit = next(u for s in suites if s.name == "dim_leads" for u in s.units())
    spec = check_spec(unit, next(e for e in unit.suite.expectations if e.name == "email_valid"))
    assert spec.blocking
    with pytest.raises(SuiteError, match="names no check of the suites: lead_scor_in_range"):
        load_suites(severities={"lead_scor_in_range": "warning"})
