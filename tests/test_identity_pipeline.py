"""The unified lead table of a small-scale run (the ``small`` fixture) against the
generator's ground truth: accuracy of the resolution, the bridge, stable ids, survivorship."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator

import dagster as dg
import duckdb
import pytest
from click.testing import CliRunner

from dagster_project.definitions import defs
from smarketing.identity import accuracy
from smarketing.identity.accuracy import TRUTH_FILE, measure

PRECISION_TARGET = 0.99
RECALL_TARGET = 0.97


@pytest.fixture
def con(small: dict) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(small["root"] / "warehouse.duckdb"), read_only=True)
    connection.execute(
        "create temp table truth as select concat_ws(':', source_system, source_entity, "
        "source_record_id) as record_key, person_id from read_csv(?, all_varchar = true)",
        [str(small["root"] / TRUTH_FILE)],
    ).fetchall()
    connection.execute(
        "create temp table people as select * from read_csv(?, all_varchar = true)",
        [str(small["root"] / "truth" / "people.csv")],
    ).fetchall()
    yield connection
    connection.close()


def test_the_pipeline_succeeded(small: dict) -> None:
    assert small["first"].returncode == 0, small["first"].stderr[-3000:]


def test_resolution_meets_its_targets_and_beats_email_only(small: dict) -> None:
    scores = {
        s.method: s for s in measure(small["root"] / "warehouse.duckdb", small["root"] / TRUTH_FILE)
    }
    resolution, baseline = scores["resolution"], scores["email_only"]
    assert resolution.precision >= PRECISION_TARGET, resolution.line()
    assert resolution.recall >= RECALL_TARGET, resolution.line()
    assert resolution.f1 > baseline.f1, (resolution.line(), baseline.line())
    assert resolution.recall > baseline.recall


def test_accuracy_command_prints_both_methods(small: dict) -> None:
    result = CliRunner().invoke(
        accuracy.main,
        ["--data", str(small["root"]), "--warehouse", str(small["root"] / "warehouse.duckdb")],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["resolution", "email_only"]
    assert all("precision" in line and "recall" in line and "F1" in line for line in lines)


def test_every_person_record_is_in_the_bridge_once(small: dict, con) -> None:
    with (small["root"] / TRUTH_FILE).open(encoding="utf-8") as handle:
        truth = Counter(
            (row["source_system"], row["source_entity"], row["source_record_id"])
            for row in csv.DictReader(handle)
        )
    bridged = Counter(
        con.execute(
            "select source_system, source_entity, source_record_id "
            "from marts.bridge_lead_source_records"
        ).fetchall()
    )
    assert bridged == truth
    leads, distinct, merged = con.execute(
        "select count(*), count(distinct unified_lead_id), sum(source_record_count) "
        "from marts.dim_leads"
    ).fetchall()[0]
    assert (
        leads
        == distinct
        == con.execute(
            "select count(distinct unified_lead_id) from marts.bridge_lead_source_records"
        ).fetchall()[0][0]
    )
    assert merged == sum(truth.values())


def test_match_rules_say_how_records_were_joined(con) -> None:
    rules = dict(
        con.execute(
            "select match_rule, count(*) from marts.bridge_lead_source_records group by 1"
        ).fetchall()
    )
    for rule in ("converted_to_contact", "hubspot_record_id", "same_email", "probabilistic"):
        assert rules.get(rule, 0) > 0, rules
    bad = con.execute(
        """
        select count(*) from marts.bridge_lead_source_records
        where (match_rule = 'probabilistic' and not match_probability between 0.9 and 1)
           or (match_rule not in ('probabilistic', 'unmatched') and match_probability <> 1)
           or (match_rule = 'unmatched' and match_probability is not null)
        """
    ).fetchall()[0][0]
    assert bad == 0
    # a converted lead and the contact it became are one person
    split = con.execute(
        """
        select count(*)
        from staging.stg_salesforce__lead as lead
        inner join marts.bridge_lead_source_records as l
            on l.source_entity = 'lead' and l.source_record_id = lead.lead_id
        inner join marts.bridge_lead_source_records as c
            on c.source_entity = 'contact' and c.source_system = 'salesforce'
            and c.source_record_id = lead.converted_contact_id
        where l.unified_lead_id <> c.unified_lead_id
        """
    ).fetchall()[0][0]
    assert split == 0


def test_later_runs_keep_every_id(small: dict, redelivery: dict) -> None:
    """Every record keeps its unified lead through the later deliveries, but the erased
    person's (tests/test_privacy.py); only the late contacts are new."""
    erased = {":".join(r) for r in redelivery["erasure"]["person"]["records"]}
    before = {k: v for k, v in small["lead_ids_after_first"].items() if k not in erased}
    assert len(before) == len(small["lead_ids_after_first"]) - len(erased) > 0
    con = duckdb.connect(str(redelivery["root"] / "warehouse.duckdb"), read_only=True)
    try:
        after = dict(
            con.execute(
                "select record_key, unified_lead_id from marts.bridge_lead_source_records"
            ).fetchall()
        )
    finally:
        con.close()
    assert before and {key: after.get(key) for key in before} == before
    assert sorted(set(after) - set(before)) == [f"hubspot:contact:{990000 + n}" for n in range(6)]
    assert not erased & set(after)


def _agreement(con: duckdb.DuckDBPyConnection, survived: str, truth: str, held: str) -> float:
    """Share of leads whose survived value equals the truth, among the leads one of whose
    records holds the true value (``held``: a condition on ``r``, a record, and ``p``)."""
    total, agreeing = con.execute(
        f"""
        with lead_person as (
            select unified_lead_id, mode(person_id) as person_id
            from marts.bridge_lead_source_records inner join truth using (record_key)
            group by unified_lead_id
        ),
        holding as (
            select distinct lead_person.unified_lead_id
            from lead_person
            inner join marts.bridge_lead_source_records as b using (unified_lead_id)
            inner join intermediate.int_person_records as r using (record_key)
            left join identity.person_phones as ph using (record_key)
            inner join people as p using (person_id)
            where {held}
        )
        select count(*), count(*) filter (where {survived} = {truth})
        from holding
        inner join lead_person using (unified_lead_id)
        inner join marts.dim_leads as d using (unified_lead_id)
        inner join people as p using (person_id)
        """
    ).fetchall()[0]
    assert total > 100
    return agreeing / total


@pytest.mark.parametrize(
    ("survived", "truth", "held"),
    [
        ("d.first_name", "p.first_name", "trim(r.first_name) = p.first_name"),
        ("d.last_name", "p.last_name", "trim(r.last_name) = p.last_name"),
        ("d.email", "p.work_email", "r.email_normalised = p.work_email"),
        ("d.phone", "p.phone_e164", "ph.personal_phone_e164 = p.phone_e164"),
        ("d.company", "p.company", "trim(r.company) = p.company"),
        ("d.country_code", "p.country", "r.country_code = p.country"),
        ("d.employee_count::varchar", "p.employee_count", "r.number_of_employees is not null"),
        ("d.segment", "p.segment", "r.number_of_employees is not null"),
        ("coalesce(d.channel, '')", "coalesce(p.channel, '')", "true"),
    ],
)
def test_survived_values_are_the_true_ones(con, survived: str, truth: str, held: str) -> None:
    assert _agreement(con, survived, truth, held) >= 0.97


def test_survivorship_sources_name_records_of_the_same_lead(con) -> None:
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = 'dim_leads' and column_name like '%\\_source' escape '\\' "
            "and column_name <> 'original_source'"
        ).fetchall()
    ]
    assert len(columns) >= 14
    for column in columns:
        foreign = con.execute(
            f"""
            select count(*) from marts.dim_leads as d
            left join marts.bridge_lead_source_records as b
                on b.record_key = d.{column} and b.unified_lead_id = d.unified_lead_id
            where d.{column} is not null and b.record_key is null
            """
        ).fetchall()[0][0]
        assert foreign == 0, column


def test_lineage_runs_staging_intermediate_identity_marts() -> None:
    graph = defs.resolve_asset_graph()

    def parents(*key: str) -> set[dg.AssetKey]:
        return graph.get(dg.AssetKey(list(key))).parent_keys

    assert dg.AssetKey(["staging", "stg_hubspot__contact"]) in parents(
        "intermediate", "int_person_records"
    )
    assert dg.AssetKey(["intermediate", "int_person_records"]) in parents(
        "identity", "person_links"
    )
    assert dg.AssetKey(["identity", "person_links"]) in parents("intermediate", "int_lead_records")
    for survivors in ("int_lead_attribute_survivors", "int_lead_contact_survivors"):
        assert dg.AssetKey(["intermediate", "int_lead_records"]) in parents(
            "intermediate", survivors
        )
        assert dg.AssetKey(["intermediate", survivors]) in parents("marts", "dim_leads")
    assert dg.AssetKey(["identity", "person_links"]) in parents(
        "marts", "bridge_lead_source_records"
    )
    checks = {c.asset_key for c in graph.asset_check_keys}
    assert dg.AssetKey(["marts", "dim_leads"]) in checks
    assert dg.AssetKey(["marts", "bridge_lead_source_records"]) in checks
