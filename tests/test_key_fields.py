"""One definition of a lead's key fields and of inbound (smarketing.yml `key_fields`,
`inbound`): the lead table, the CRM completeness, the governance checks and the dashboard all
follow the list; no product file repeats it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from dagster_project.lib.dbt_project import dbt_vars
from smarketing.config import ConfigError, load_config
from smarketing.quality.parameters import PARAMETER_NAMES
from smarketing.quality.suites import SuiteError, load_suites
from tests.conftest import REPO, dbt_build, rows

SHIPPED = REPO / "smarketing.yml"
PRODUCT = ("dbt", "dashboards", "dagster_project", "smarketing", "expectations")
# where the key fields are defined: the list's type and what "filled" means for each
DEFINING = {
    REPO / "smarketing" / "config" / "leads.py",
    REPO / "dbt" / "macros" / "key_fields.sql",
}


def product_files() -> list[Path]:
    files = []
    for folder in PRODUCT:
        for path in (REPO / folder).rglob("*"):
            parts = path.relative_to(REPO).parts
            if not path.is_file() or path.suffix not in {".py", ".sql", ".json"}:
                continue
            if "target" in parts or path in DEFINING:
                continue
            files.append(path)
    return files


def test_no_product_file_lists_the_key_fields_or_names_an_outbound_channel() -> None:
    config = load_config(SHIPPED)
    names = "|".join(config.key_fields)
    # four key fields in a row, quoted and comma-separated: a copy of the list
    listed = re.compile(rf"""(['"](?:{names})['"],\s*){{3}}['"](?:{names})['"]""")
    outbound = [
        re.compile(rf"""['"]{re.escape(channel)}['"]""")
        for channel in config.inbound.outbound_channels
    ]
    found = []
    for path in product_files():
        text = path.read_text(encoding="utf-8")
        if listed.search(text):
            found.append(f"{path.relative_to(REPO)}: lists the key fields")
        found += [
            f"{path.relative_to(REPO)}: names {pattern.pattern}"
            for pattern in outbound
            if pattern.search(text)
        ]
    assert not found, found


def test_the_inbound_checks_are_one_per_key_field_of_the_file() -> None:
    suites = load_suites(
        parameters=set(PARAMETER_NAMES), severities={}, key_fields=["email", "country"]
    )
    inbound = next(s for s in suites if s.name == "inbound_leads")
    assert [(e.name, e.columns, e.kwargs["row_condition"]) for e in inbound.expectations] == [
        ("inbound_email_complete", ("has_email",), "email_delivered == True"),
        ("inbound_country_complete", ("has_country",), "country_delivered == True"),
    ]
    assert "country" in (inbound.expectations[1].description or "")
    # the severities of smarketing.yml name checks of fields the list may drop: an error
    with pytest.raises(SuiteError, match="inbound_phone_complete"):
        load_suites(
            parameters=set(PARAMETER_NAMES),
            severities=load_config(SHIPPED).checks.severities,
            key_fields=["email", "country"],
        )


def test_a_suite_expanding_over_something_else_is_refused(tmp_path: Path) -> None:
    suite = {
        "name": "odd",
        "meta": {"dataset": {"table": "staging.stg_salesforce__lead"}},
        "expectations": [
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "{field}"},
                "meta": {"name": "odd_{field}", "severity": "warning", "for_each": "segment"},
            }
        ],
    }
    (tmp_path / "odd.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"odd\.json.*for_each must be 'key_field'"):
        load_suites(tmp_path, key_fields=["email"])


def test_a_key_field_or_outbound_channel_the_product_does_not_know_is_refused(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["key_fields"] = ["name", "fax"]
    path = tmp_path / "smarketing.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ConfigError, match=r"key_fields.*fax"):
        load_config(path)
    data["key_fields"] = ["name", "email", "name"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ConfigError, match=r"key field 'name' is listed twice"):
        load_config(path)
    data["key_fields"] = ["name"]
    data["inbound"] = {"outbound_channels": ["cold_calls"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(ConfigError, match=r"inbound.outbound_channels.*cold_calls"):
        load_config(path)


@pytest.mark.slow
def test_the_marts_follow_the_list(small: dict, tmp_path: Path) -> None:
    """The small run rebuilt with two key fields and no outbound channel: the lead table, the
    completeness marts and the inbound checks' table follow, with no model changed."""
    built = small["root"] / "warehouse.duckdb"
    shipped = rows(
        built,
        "select channel, is_inbound, count(*) from marts.dim_leads group by all",
    )
    assert {(channel, inbound) for channel, inbound, _ in shipped if channel == "outbound"} == {
        ("outbound", False)
    }
    assert all(inbound for channel, inbound, _ in shipped if channel != "outbound")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built, warehouse)
    variables = {**dbt_vars(), "key_fields": ["email", "company"], "outbound_channels": []}
    result = dbt_build(
        warehouse,
        [
            "dim_leads",
            "fct_key_field_completeness",
            "fct_accepted_leads",
            "fct_crm_completeness",
            "int_lead_key_fields",
        ],
        variables,
        tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    fields = rows(
        warehouse,
        "select distinct field, field_order from marts.fct_key_field_completeness order by 2",
    )
    assert fields == [("email", 1), ("company", 2), ("key_fields", 3)]
    wrong = rows(
        warehouse,
        "select count(*) from marts.dim_leads "
        "where has_key_fields <> (has_email and has_company) or not is_inbound",
    )
    assert wrong == [(0,)]
    columns = {
        name
        for (name,) in rows(
            warehouse,
            "select column_name from information_schema.columns "
            "where table_name = 'fct_crm_completeness'",
        )
    }
    assert {"email_completeness_rate", "company_completeness_rate"} <= columns
    assert "phone_completeness_rate" not in columns
    assert rows(
        warehouse, "select count(*) from intermediate.int_lead_key_fields where not is_inbound"
    ) == [(0,)]
