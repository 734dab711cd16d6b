"""Custom fields (``smarketing.yml``, key ``custom_fields``): export columns the project does not
know, passed through staging and ``int_person_records`` to ``dim_leads`` and ``fct_lead_funnel``.

The shipped definition lists ``persona`` (the English HubSpot export's ``Persona``) and
``preferred_language`` (the French one's ``Langue préférée``). At small scale, the values in the
marts equal the ones in the delivered CSV files; a configured column that no file had gives
NULLs, and an unknown column nobody configured stays in raw only.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.lib.dbt_project import dbt_build_args, dbt_vars
from smarketing.ingest.loading import load_inbox
from smarketing_tools.generator.hubspot import COLUMNS, CUSTOM_EN, CUSTOM_FR
from tests import dbt_in_process
from tests.truth import truth_connection

REPO = Path(__file__).resolve().parents[1]
DBT_DIR = REPO / "dbt"

SHIPPED = [
    {"name": "persona", "hubspot_contact": "persona"},
    {"name": "preferred_language", "hubspot_contact": "langue_preferee"},
]
# The export column of each shipped field: (English header, French header) of the HubSpot export
HEADERS = {"persona": CUSTOM_EN[1], "preferred_language": CUSTOM_FR[1]}
RECORD_ID = {column: (en, fr) for column, en, fr in COLUMNS}["record_id"]

PERSON_MODELS = [
    ("staging", "stg_hubspot__contact"),
    ("staging", "stg_salesforce__lead"),
    ("staging", "stg_salesforce__contact"),
    ("intermediate", "int_person_records"),
    ("intermediate", "int_lead_records"),
    ("intermediate", "int_lead_attribute_survivors"),
    ("intermediate", "int_lead_contact_survivors"),
    ("marts", "dim_leads"),
    ("marts", "fct_lead_funnel"),
]


def dbt(workdir: Path, database: Path, *args: str, custom_fields: list[dict]) -> list[str]:
    """Run dbt in this process on DATABASE with the var custom_fields; returns the messages of
    the nodes that failed (empty when it succeeded), or the error that stopped it."""
    from dbt.cli.main import dbtRunner

    patch = pytest.MonkeyPatch()
    patch.setenv("SMARKETING_WAREHOUSE", str(database))
    patch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    dbt_in_process.set_limits(patch, database)
    try:
        result = dbtRunner().invoke(
            [
                *args,
                "--vars",
                json.dumps({**dbt_vars(), "custom_fields": custom_fields}),
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
                "--target-path",
                str(workdir / "target"),
                "--log-path",
                str(workdir / "logs"),
            ]
        )
    finally:
        patch.undo()
    if result.exception is not None:
        return [str(result.exception)]
    failed = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in {"success", "pass", "warn"}
    ]
    return failed if failed or result.success else ["dbt failed"]


def query(database: Path, sql: str) -> list[tuple]:
    con = dbt_in_process.connect(database)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def columns(database: Path, schema: str, table: str) -> list[str]:
    return [
        row[0]
        for row in query(
            database,
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position",
        )
    ]


def columns_of(con: duckdb.DuckDBPyConnection, table: str, schema: str = "marts") -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


# --- the setting reaches dbt ------------------------------------------------------------------


def test_the_pipeline_passes_the_configured_fields_to_dbt() -> None:
    assert dbt_vars()["custom_fields"] == SHIPPED
    args = dbt_build_args(dbt_vars())
    assert args[0] == "build"
    assert json.loads(args[args.index("--vars") + 1]) == dbt_vars()
    # unit tests run in the test suite, not in every run
    assert args[args.index("--exclude-resource-type") + 1] == "unit_test"
    assert "--full-refresh" not in args
    assert dbt_build_args(dbt_vars(), full_refresh=True)[-1] == "--full-refresh"


def test_no_custom_fields_configured_passes_an_empty_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = yaml.safe_load((REPO / "smarketing.yml").read_text(encoding="utf-8"))
    del definition["custom_fields"]
    config = tmp_path / "smarketing.yml"
    config.write_text(
        yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    monkeypatch.setenv("SMARKETING_CONFIG", str(config))
    assert dbt_vars()["custom_fields"] == []


# --- small scale: the marts hold what the HubSpot exports say --------------------------------


def export_values(inbox: Path) -> dict[str, dict[str, str | None]]:
    """field -> {HubSpot record id -> value as delivered (trimmed; empty or `null` is None)},
    read from the contact exports themselves (English or French headers)."""
    values: dict[str, dict[str, str | None]] = {field: {} for field in HEADERS}
    for path in sorted((inbox / "hubspot").glob("*.csv")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
        if not rows:
            continue
        id_header = next((h for h in RECORD_ID if h in rows[0]), None)
        if id_header is None:
            continue  # not a contact export (marketing events)
        for field, header in HEADERS.items():
            if header not in rows[0]:
                continue
            for row in rows:
                value = row[header].strip()
                values[field][row[id_header].strip()] = (
                    None if value.lower() in ("", "null") else value
                )
    return values


@pytest.fixture
def small_con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    assert small["first"].returncode == 0, small["first"].stderr[-3000:]
    connection = truth_connection(small["root"], {})
    yield connection
    connection.close()


def cleanly_resolved_leads(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """unified_lead_id -> person_id, for the leads whose records are exactly one person's
    records (identity resolution got them right), so the expected values depend on no
    matching decision."""
    return dict(
        con.execute(
            """
            with bridge as (
                select bridge.unified_lead_id, bridge.record_key, truth_records.person_id
                from marts.bridge_lead_source_records as bridge
                left join truth_records using (record_key)
            ),
            single_person as (
                select unified_lead_id, min(person_id) as person_id
                from bridge
                group by unified_lead_id
                having count(distinct person_id) = 1 and count(person_id) = count(*)
            ),
            whole_person as (
                select person_id
                from bridge
                group by person_id
                having count(distinct unified_lead_id) = 1
            )
            select single_person.unified_lead_id, single_person.person_id
            from single_person
            inner join whole_person using (person_id)
            """
        ).fetchall()
    )


def expected_survivors(
    con: duckdb.DuckDBPyConnection, values: dict[str, str | None], leads: dict[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    """unified_lead_id -> (value, source record) by the rule: the most recent non-empty value
    among the person's records (last modification, then record key), from the export values."""
    records = con.execute(
        "select bridge.unified_lead_id, records.record_key, records.source_system, "
        "records.source_record_id, records.modified_at "
        "from marts.bridge_lead_source_records as bridge "
        "join intermediate.int_person_records as records using (record_key)"
    ).fetchall()
    candidates: dict[str, list[tuple]] = {lead: [] for lead in leads}
    for lead, record_key, system, record_id, modified_at in records:
        if lead not in candidates or system != "hubspot" or values.get(record_id) is None:
            continue
        candidates[lead].append((modified_at, record_key, values[record_id]))
    expected: dict[str, tuple[str | None, str | None]] = {}
    for lead, found in candidates.items():
        if not found:
            expected[lead] = (None, None)
            continue
        latest = max(found, key=lambda c: c[0])[0]
        _, record_key, value = min(c for c in found if c[0] == latest)
        expected[lead] = (value, record_key)
    return expected


@pytest.mark.parametrize("field", list(HEADERS))
def test_dim_leads_holds_the_exported_value_of_each_person(
    small: dict, small_con: duckdb.DuckDBPyConnection, field: str
) -> None:
    values = export_values(small["root"] / "inbox")[field]
    assert sum(v is not None for v in values.values()) > 300, "the exports carry the field"
    leads = cleanly_resolved_leads(small_con)
    assert len(leads) > 1000
    expected = expected_survivors(small_con, values, leads)
    actual = {
        lead: (value, source)
        for lead, value, source in small_con.execute(
            f"select unified_lead_id, {field}, {field}_source from marts.dim_leads"
        ).fetchall()
        if lead in leads
    }
    assert actual.keys() == expected.keys()
    wrong = {
        lead: (actual[lead], expected[lead]) for lead in expected if actual[lead] != expected[lead]
    }
    assert wrong == {}, list(wrong.items())[:5]
    assert sum(value is not None for value, _ in expected.values()) > 300


def test_a_person_whose_only_hubspot_contact_says_x_has_x(
    small: dict, small_con: duckdb.DuckDBPyConnection
) -> None:
    personas = export_values(small["root"] / "inbox")["persona"]
    rows = small_con.execute(
        """
        select dim_leads.unified_lead_id, any_value(records.source_record_id), dim_leads.persona
        from marts.dim_leads
        join marts.bridge_lead_source_records as bridge using (unified_lead_id)
        join intermediate.int_person_records as records using (record_key)
        where records.source_system = 'hubspot'
        group by dim_leads.unified_lead_id, dim_leads.persona
        having count(*) = 1
        """
    ).fetchall()
    assert len(rows) > 1000
    assert all(persona == personas.get(contact_id) for _, contact_id, persona in rows)


def test_fct_lead_funnel_carries_the_persons_fields(small_con: duckdb.DuckDBPyConnection) -> None:
    funnel = columns_of(small_con, "fct_lead_funnel")
    assert funnel[-2:] == ["persona", "preferred_language"], "added after the existing columns"
    mismatches, filled = small_con.execute(
        """
        select
            count(*) filter (
                where funnel.persona is distinct from dim_leads.persona
                or funnel.preferred_language is distinct from dim_leads.preferred_language
            ),
            count(*) filter (where funnel.persona is not null)
        from marts.fct_lead_funnel as funnel
        join marts.dim_leads using (unified_lead_id)
        """
    ).fetchone()
    assert mismatches == 0
    assert filled > 100


def test_raw_keeps_the_unknown_columns_and_the_marts_only_the_configured_ones(
    small_con: duckdb.DuckDBPyConnection,
) -> None:
    raw = columns_of(small_con, "hubspot__contact", "raw")
    assert {"persona", "langue_preferee"} <= set(raw)
    for schema, table in PERSON_MODELS:
        names = columns_of(small_con, table, schema)
        assert "langue_preferee" not in names, table
    assert {"persona", "preferred_language", "persona_source", "preferred_language_source"} <= set(
        columns_of(small_con, "dim_leads")
    )


def documented_columns(table: str) -> set[str]:
    for path in (DBT_DIR / "models").rglob(f"{table}.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            if model["name"] == table:
                return {column["name"] for column in model.get("columns", [])}
    raise AssertionError(f"no YAML documents {table}")


def test_every_other_column_is_documented_so_no_custom_field_shadows_one(
    small_con: duckdb.DuckDBPyConnection,
) -> None:
    """A custom field may not take the name of a column of the models it passes through
    (macro check_custom_field_names compares with the documented columns): the check is
    complete only when every column of those models is documented."""
    custom = {f["name"] + suffix for f in SHIPPED for suffix in ("", "_source")}
    for schema, table in PERSON_MODELS:
        built = set(columns_of(small_con, table, schema)) - custom
        assert built - documented_columns(table) == set(), table


def two_records(database: Path, first: str, second: str) -> tuple[str, str]:
    """Record keys (older, newer) of a unified lead with a FIRST-system record and a SECOND-system
    record (`hubspot:contact`, `salesforce:lead`), the newer one modified after every other
    record of the lead."""
    rows = query(
        database,
        f"""
        select older.record_key, newer.record_key
        from marts.bridge_lead_source_records as older_link
        join marts.bridge_lead_source_records as newer_link using (unified_lead_id)
        join intermediate.int_person_records as older on older.record_key = older_link.record_key
        join intermediate.int_person_records as newer on newer.record_key = newer_link.record_key
        where older.record_key like '{first}:%' and newer.record_key like '{second}:%'
            and older.modified_at < newer.modified_at
            and not exists (
                select 1
                from marts.bridge_lead_source_records as other_link
                join intermediate.int_person_records as other using (record_key)
                where other_link.unified_lead_id = older_link.unified_lead_id
                    and other.record_key <> newer.record_key
                    and other.modified_at >= newer.modified_at
            )
        order by older.record_key, newer.record_key
        limit 1
        """,
    )
    assert rows, (first, second)
    return rows[0]


def set_raw(database: Path, table: str, key_column: str, record_key: str, column: str, value: str):
    record_id = record_key.rsplit(":", 1)[1]
    query(
        database,
        f"update raw.{table} set {column} = '{value}' where trim({key_column}) = '{record_id}'",
    )


def dim_lead(database: Path, record_key: str, columns: str) -> tuple:
    return query(
        database,
        f"select {columns} from marts.dim_leads join marts.bridge_lead_source_records "
        f"using (unified_lead_id) where record_key = '{record_key}'",
    )[0]


def test_another_setting_most_recent_value_missing_column_unconfigured_column(
    small: dict, tmp_path: Path
) -> None:
    """The small warehouse rebuilt with another setting: `persona` from HubSpot and from a
    Salesforce Lead column added to raw, `budget` from a Salesforce Contact column no file had,
    and `langue_preferee` now an unknown column nobody configured."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small["root"] / "warehouse.duckdb", database)
    # a person with two HubSpot contacts that disagree: the most recent value survives
    older, newer = two_records(database, "hubspot:contact", "hubspot:contact")
    set_raw(database, "hubspot__contact", "record_id", older, "persona", "Ancien")
    set_raw(database, "hubspot__contact", "record_id", newer, "persona", " Nouveau ")
    # a person whose Salesforce lead changed after their HubSpot contact: across the tools too
    contact, lead = two_records(database, "hubspot:contact", "salesforce:lead")
    query(database, "alter table raw.salesforce__lead add column persona__c varchar")
    set_raw(database, "hubspot__contact", "record_id", contact, "persona", "Depuis HubSpot")
    set_raw(database, "salesforce__lead", "id", lead, "persona__c", "Depuis Salesforce")
    assert "budget__c" not in columns(database, "raw", "salesforce__contact")

    setting = [
        {"name": "persona", "hubspot_contact": "persona", "salesforce_lead": "persona__c"},
        {"name": "budget", "salesforce_contact": "budget__c"},
    ]
    models = [table for _, table in PERSON_MODELS]
    # another definition: the pipeline rebuilds the incremental models from raw (build_state)
    failed = dbt(
        tmp_path, database, "run", "--full-refresh", "--select", *models, custom_fields=setting
    )
    assert failed == []

    assert dim_lead(database, newer, "persona, persona_source") == ("Nouveau", newer)
    assert dim_lead(database, lead, "persona, persona_source") == ("Depuis Salesforce", lead)
    assert "langue_preferee" in columns(database, "raw", "hubspot__contact")
    for schema, table in PERSON_MODELS:
        names = columns(database, schema, table)
        assert "langue_preferee" not in names and "preferred_language" not in names, table
    for table in ("dim_leads", "fct_lead_funnel"):
        assert {"persona", "budget"} <= set(columns(database, "marts", table)), table
        budgets, personas = query(
            database, f"select count(budget), count(persona) from marts.{table}"
        )[0]
        assert budgets == 0 and personas > 100, table
    assert query(database, "select count(budget_source) from marts.dim_leads") == [(0,)]


# --- unit level: a tiny inbox through the loader and the staging models ----------------------

HUBSPOT_EN = (
    "Record ID,First Name,Last Name,Email,Lifecycle Stage,Create Date,Persona,Score interne\r\n"
    "101,Élodie,Dupont,elodie.dupont@exemple.fr,Lead,2026-03-05 14:22,\u00a0Décideur ,12\r\n"
    "102,Jean,Martin,jean.martin@exemple.fr,Lead,2026-03-06 09:00,null,\r\n"
    "103,Ana,Silva,ana.silva@exemple.fr,Lead,2026-03-06 09:00,,40\r\n"
)
SALESFORCE_LEAD = (
    "Id,LastName,Company,Status,CreatedDate\r\n"
    "00Q000000000001AAA,Durand,Riou SAS,Open - Not Contacted,2026-03-05T10:00:00.000+0000\r\n"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    workdir = tmp_path_factory.mktemp("custom_fields")
    inbox = workdir / "inbox"
    inbox.mkdir()
    (inbox / "contacts.csv").write_text(HUBSPOT_EN, encoding="utf-8")
    (inbox / "Lead.csv").write_text(SALESFORCE_LEAD, encoding="utf-8")
    database = workdir / "warehouse.duckdb"
    con = dbt_in_process.connect(database)
    try:
        load_inbox(con, inbox)
    finally:
        con.close()
    return workdir, database


def test_a_configured_column_missing_from_raw_gives_nulls(tiny: tuple[Path, Path]) -> None:
    workdir, database = tiny
    raw = columns(database, "raw", "hubspot__contact")
    assert {"persona", "score_interne"} <= set(raw) and "langue_preferee" not in raw
    assert "budget__c" not in columns(database, "raw", "salesforce__lead")
    setting = [
        {"name": "persona", "hubspot_contact": "persona"},
        {"name": "preferred_language", "hubspot_contact": "langue_preferee"},
        {"name": "budget", "salesforce_lead": "budget__c"},
    ]
    failed = dbt(
        workdir,
        database,
        "build",
        "--select",
        "hubspot_value_labels",
        "stg_hubspot__contact",
        "stg_salesforce__lead",
        "stg_salesforce__contact",
        "--exclude-resource-type",
        "test",
        custom_fields=setting,
    )
    assert failed == []
    # cleaned as any text; NULL where no delivered file had the column
    assert query(
        database,
        "select contact_id, persona, preferred_language "
        "from staging.stg_hubspot__contact order by contact_id",
    ) == [("101", "Décideur", None), ("102", None, None), ("103", None, None)]
    assert query(database, "select budget from staging.stg_salesforce__lead") == [(None,)]
    # each staging model has the fields of its export only
    assert "budget" not in columns(database, "staging", "stg_hubspot__contact")
    contact = columns(database, "staging", "stg_salesforce__contact")
    assert not {"persona", "preferred_language", "budget"} & set(contact)
    # the unknown column nobody configured stays in raw only
    assert "score_interne" not in columns(database, "staging", "stg_hubspot__contact")


def test_a_custom_field_may_not_take_the_name_of_a_column(tiny: tuple[Path, Path]) -> None:
    workdir, database = tiny
    failed = dbt(
        workdir,
        database,
        "compile",
        "--select",
        "dim_leads",
        custom_fields=[{"name": "segment", "hubspot_contact": "persona"}],
    )
    assert any("custom field segment: dim_leads already has a column segment" in f for f in failed)
    failed = dbt(
        workdir,
        database,
        "compile",
        "--select",
        "dim_leads",
        custom_fields=[{"name": "Persona", "hubspot_contact": "persona"}],
    )
    assert any("custom_fields[0].name: Persona is not a column name" in f for f in failed)
