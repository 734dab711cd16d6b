"""Identity resolution over the warehouse: which source records are the same person.

Reads ``intermediate.int_person_records`` and ``intermediate.int_person_record_links``
(dbt) and the phone patterns of the seed ``seeds.placeholder_contact_values``, works in an
in-memory DuckDB database, and writes to the ``identity`` schema:

- ``identity.person_links``: one row per source record, its ``unified_lead_id``, how it joined
  its person (``match_rule``) and with what probability;
- ``identity.person_matches``: every link used (deterministic and probabilistic);
- ``identity.person_phones``: the records' phone numbers in E.164 (placeholders dropped);
- ``identity.unified_lead_ids``: the registry that keeps ids stable from run to run;
- ``identity.phone_numbers``: every number as typed with its E.164 form, so that the next run
  parses only the numbers it has not seen (``phone_lookup``).

- ``identity.match_model``, ``identity.match_term_frequencies``, ``identity.match_inputs``:
  the model and what it read, kept for the next run (``match_state``).

Steps: normalise phones, deterministic links, probabilistic links (``model``) between the
groups the deterministic links left apart (every pair with a model trained now, or the pairs
of the records that changed with the model kept), connected components, stable ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from splink import DuckDBAPI

from smarketing import duckdb_limits
from smarketing.identity import match_state
from smarketing.identity.backend import DuckDBSplink, SparkSplink, SplinkBackend
from smarketing.identity.clusters import connected_components
from smarketing.identity.deterministic import (
    EDGES,
    PROBABILISTIC,
    RULE_PRIORITY,
    UNMATCHED,
    deterministic_edges,
)
from smarketing.identity.model import (
    MATCH_THRESHOLD,
    probabilistic_edges,
    settings_fingerprint,
    summarise,
    train,
)
from smarketing.identity.phone_lookup import write_cache
from smarketing.identity.records import PHONES, RECORDS, RecordsRead, load_records
from smarketing.identity.sql import count
from smarketing.identity.stable_ids import assign_ids, ensure_registry, update_registry
from smarketing.identity.tables import (
    PERSON_LINKS,
    PERSON_MATCHES,
    PERSON_PHONES,
    PHONE_NUMBERS,
    REGISTRY,
    SCHEMA,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

WAREHOUSE = "warehouse"
"""Catalog name the warehouse file is attached under in the work database."""
SOURCE_RECORDS = f"{WAREHOUSE}.intermediate.int_person_records"
SOURCE_LINKS = f"{WAREHOUSE}.intermediate.int_person_record_links"
PLACEHOLDERS = f"{WAREHOUSE}.seeds.placeholder_contact_values"
"""The dbt seed of placeholder contact data (its phone patterns are read here)."""

Progress = Callable[[str], None]


@dataclass
class Resolution:
    """What one run found, for logs and asset metadata."""

    records: int = 0
    phone_numbers_parsed: int = 0
    """Numbers libphonenumber read this run (the others came from the lookup of earlier runs)."""
    deterministic_links: int = 0
    candidate_pairs: int = 0
    """Pairs scored this run (on a daily run, those of the records that changed)."""
    probabilistic_links: int = 0
    """Pairs linked by the model, kept from earlier runs included."""
    trained: str | None = None
    """Why the model was trained on this run's records; None: the kept one scored."""
    rescored_records: int = 0
    """Records whose pairs were scored this run (every record when the model was trained)."""
    persons: int = 0
    merged_records: int = 0
    reused_ids: int = 0
    new_ids: int = 0
    match_threshold: float = MATCH_THRESHOLD
    prior: float = 0.0
    model: dict[str, Any] = field(default_factory=dict)
    """m and u of every comparison level of the model (``model.summarise``)."""
    trained_parameters: dict[str, Any] | None = field(default=None, repr=False)
    """The model trained this run, as Splink writes it (kept for the next runs)."""
    seconds: dict[str, float] = field(default_factory=dict)


def _quiet(_: str) -> None:
    return None


def resolve_identities(
    warehouse: Path,
    *,
    progress: Progress = _quiet,
    now: datetime | None = None,
    retrain: bool = False,
    spark: SparkSession | None = None,
) -> Resolution:
    """Resolve every person record of ``warehouse`` and write the ``identity`` tables: the
    pairs of the records that changed scored with the model kept by an earlier run, or every
    pair with a model trained now (``match_state``; RETRAIN forces it). With SPARK, Splink
    trains and scores on Spark (``backend``); the rest is DuckDB's work either way."""
    now = now or datetime.now(UTC)
    result = Resolution()
    started = last = time.monotonic()

    def step(name: str, message: str) -> None:
        nonlocal last
        at = time.monotonic()
        result.seconds[name] = round(at - last, 2)
        last = at
        progress(f"{message} ({at - started:.1f} s)")

    # what the process holds already (the run's earlier steps) comes out of DuckDB's share
    con = duckdb_limits.connect(
        ":memory:", warehouse=Path(warehouse), memory=duckdb_limits.memory_left()
    )
    try:
        path = str(warehouse).replace("'", "''")
        con.execute(f"attach '{path}' as {WAREHOUSE}")
        db_api = DuckDBAPI(con)
        splink: SplinkBackend = DuckDBSplink(con) if spark is None else SparkSplink(con, spark)
        read = load_records(
            con, SOURCE_RECORDS, PLACEHOLDERS, f"{WAREHOUSE}.{PHONE_NUMBERS}", progress
        )
        result.records, result.phone_numbers_parsed = read.records, read.numbers_parsed
        step(
            "records",
            f"{result.records:,} person records read, phones in E.164 "
            f"({result.phone_numbers_parsed:,} numbers not seen before parsed)",
        )

        result.deterministic_links = deterministic_edges(con, SOURCE_LINKS)
        con.execute(f"create or replace temp view record_nodes as select record_key from {RECORDS}")
        connected_components(con, db_api, nodes="record_nodes", edges=EDGES, into="det_clusters")
        con.execute(
            f"""
            create or replace table records_to_match as
            select {RECORDS}.*, det_clusters.cluster_id as det_cluster
            from {RECORDS} inner join det_clusters using (record_key)
            """
        )
        step("deterministic", f"{result.deterministic_links:,} deterministic links")

        match_state.fingerprint_inputs(con, RECORDS)
        if result.records > 1:
            _match(con, splink, result, retrain)
        step(
            "probabilistic",
            f"{result.candidate_pairs:,} candidate pairs scored"
            + (
                f" (model trained: {result.trained})"
                if result.trained
                else f" (kept model; pairs of {result.rescored_records:,} changed records)"
            )
            + f", {result.probabilistic_links:,} linked (probability ≥ {MATCH_THRESHOLD})",
        )

        result.persons = connected_components(
            con, db_api, nodes="record_nodes", edges=EDGES, into="clusters"
        )
        result.merged_records = result.records - result.persons
        step("clusters", f"{result.persons:,} persons")

        ensure_registry(con, f"{WAREHOUSE}.{REGISTRY}")
        assignment = assign_ids(
            con,
            clusters="clusters",
            records=RECORDS,
            registry=f"{WAREHOUSE}.{REGISTRY}",
            into="cluster_ids",
        )
        result.reused_ids, result.new_ids = assignment.reused, assignment.new
        _write_outputs(con, now, read, result)
        step("ids", f"ids: {assignment.reused:,} kept, {assignment.new:,} new; tables written")
    finally:
        con.close()
    return result


def _best_links_sql() -> str:
    """Each record's strongest link to another record of its person."""
    priority = " ".join(f"when '{rule}' then {rank}" for rule, rank in RULE_PRIORITY.items())
    return f"""
        with both_ways as (
            select record_key_l as record_key, record_key_r as matched_record_key,
                   match_rule, match_probability
            from {EDGES}
            union all
            select record_key_r, record_key_l, match_rule, match_probability
            from {EDGES}
        )
        select *
        from both_ways
        qualify row_number() over (
            partition by record_key
            order by case match_rule {priority} end, match_probability desc, matched_record_key
        ) = 1
    """


def _match(
    con: duckdb.DuckDBPyConnection, splink: SplinkBackend, result: Resolution, retrain: bool
) -> None:
    """The probabilistic edges of ``records_to_match``: every pair with a model trained now,
    or the pairs of the changed records with the kept model (the others kept as scored)."""
    kept = match_state.kept_model(con, WAREHOUSE)
    reason = match_state.training_reason(kept, result.records, settings_fingerprint(), retrain)
    if reason is not None or kept is None:
        parameters = train(con, splink, "records_to_match")
        result.trained, result.rescored_records = reason, result.records
        run = probabilistic_edges(con, splink, "records_to_match", parameters)
    else:
        match_state.load_term_frequencies(con, WAREHOUSE)
        result.rescored_records = match_state.flag_changed(
            con,
            catalog=WAREHOUSE,
            records="records_to_match",
            edges=EDGES,
            kept_edges=PERSON_MATCHES,
        )
        run = probabilistic_edges(
            con, splink, "records_to_match", kept.parameters, changed_only=True
        )
        match_state.keep_unchanged_pairs(
            con,
            catalog=WAREHOUSE,
            records="records_to_match",
            edges=EDGES,
            kept_edges=PERSON_MATCHES,
        )
    result.candidate_pairs = run.candidate_pairs
    result.probabilistic_links = count(
        con, f"select count(*) from {EDGES} where match_rule = '{PROBABILISTIC}'"
    )
    result.prior, result.model = run.prior, summarise(run.parameters)
    result.trained_parameters = run.parameters if result.trained else None


def _write_outputs(
    con: duckdb.DuckDBPyConnection, now: datetime, read: RecordsRead, result: Resolution
) -> None:
    con.execute(
        f"""
        create or replace table links as
        with best as ({_best_links_sql()})
        select
            {RECORDS}.record_key,
            {RECORDS}.source_system,
            {RECORDS}.source_entity,
            {RECORDS}.source_record_id,
            cluster_ids.unified_lead_id,
            coalesce(best.match_rule, '{UNMATCHED}') as match_rule,
            best.match_probability,
            best.matched_record_key
        from {RECORDS}
        inner join clusters using (record_key)
        inner join cluster_ids using (cluster_id)
        left join best using (record_key)
        """
    )
    con.execute("begin transaction")
    try:
        con.execute(f"create schema if not exists {WAREHOUSE}.{SCHEMA}")
        con.execute(f"create or replace table {WAREHOUSE}.{PERSON_LINKS} as select * from links")
        con.execute(
            f"create or replace table {WAREHOUSE}.{PERSON_MATCHES} as select * from {EDGES}"
        )
        con.execute(
            f"create or replace table {WAREHOUSE}.{PERSON_PHONES} as select * from {PHONES}"
        )
        update_registry(
            con,
            links="links",
            registry=f"{WAREHOUSE}.{REGISTRY}",
            now=now,
        )
        write_cache(con, f"{WAREHOUSE}.{PHONE_NUMBERS}", read.patterns)
        match_state.save(
            con,
            WAREHOUSE,
            trained=result.trained_parameters,
            records=result.records,
            settings_fingerprint=settings_fingerprint(),
            now=now,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
