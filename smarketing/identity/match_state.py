"""What a run keeps for the next one to resolve only what changed.

The match model (Splink's m and u, the prior, the term frequencies of the names and job titles)
is trained on a run that resolves everything, and kept (``identity.match_model``,
``identity.match_term_frequencies``). The next runs score with it the candidate pairs of the
records whose inputs changed (``identity.match_inputs``: a fingerprint of each record's
matching columns) and keep the other pairs as scored: with the same model, the same pair
scores the same, so the result equals a resolution of every pair with that model. The model is
trained again when there is none, when the comparisons in the code changed, when the records
grew or shrank by more than ``RETRAIN_DRIFT`` since, or when a full refresh asks for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from smarketing.identity.deterministic import PROBABILISTIC
from smarketing.identity.model import TF_COLUMNS, tf_table
from smarketing.identity.sql import count
from smarketing.identity.tables import MATCH_INPUTS, MATCH_MODEL, MATCH_TERM_FREQUENCIES
from smarketing.relations import has_table

RETRAIN_DRIFT = 0.10
"""The share of records gained or lost since training beyond which the model is trained again."""


@dataclass(frozen=True)
class KeptModel:
    parameters: dict[str, Any]
    """The model as Splink writes it to JSON."""
    trained_records: int
    settings_fingerprint: str


def kept_model(con: duckdb.DuckDBPyConnection, catalog: str) -> KeptModel | None:
    """The model the last training kept in CATALOG, if any (with its term frequencies)."""
    if not all(has_table(con, t, catalog) for t in (MATCH_MODEL, MATCH_TERM_FREQUENCIES)):
        return None
    rows = con.execute(
        f"select parameters, trained_records, settings_fingerprint from {catalog}.{MATCH_MODEL}"
    ).fetchall()
    if len(rows) != 1:
        return None
    parameters, trained, fingerprint = rows[0]
    return KeptModel(json.loads(parameters), int(trained), str(fingerprint))


def training_reason(
    kept: KeptModel | None, records: int, settings_fingerprint: str, retrain: bool
) -> str | None:
    """Why the model must be trained on this run's records, or None when the kept one serves."""
    if retrain:
        return "a full refresh was asked for"
    if kept is None:
        return "no model kept yet"
    if kept.settings_fingerprint != settings_fingerprint:
        return "the comparisons changed since the model was trained"
    drift = abs(records - kept.trained_records) / max(kept.trained_records, 1)
    if drift > RETRAIN_DRIFT:
        return (
            f"{records:,} records against {kept.trained_records:,} when the model was trained "
            f"({drift:.0%}, more than {RETRAIN_DRIFT:.0%})"
        )
    return None


def load_term_frequencies(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    """The kept term frequencies into the work tables ``tf_<column>``."""
    for column in TF_COLUMNS:
        con.execute(
            f"""
            create or replace table {tf_table(column)} as
            select value as "{column}", frequency as "tf_{column}"
            from {catalog}.{MATCH_TERM_FREQUENCIES}
            where column_name = ?
            """,
            [column],
        )


def flag_changed(
    con: duckdb.DuckDBPyConnection, *, catalog: str, records: str, edges: str, kept_edges: str
) -> int:
    """Add ``is_changed`` to RECORDS (with ``det_cluster``): whether the record's pairs must be
    scored again. A record whose matching columns changed (or a new one), a record a
    deterministic link was added to or removed from, and every record of the deterministic
    groups they are in now (a group that split or merged changes which of its pairs are
    candidates). EDGES holds this run's deterministic links, KEPT_EDGES (in CATALOG) the last
    run's links; without them or the last run's inputs, every record. Returns how many."""
    if has_table(con, kept_edges, catalog) and has_table(con, MATCH_INPUTS, catalog):
        changed = f"""
            with changed_inputs as (
                select inputs.record_key
                from match_inputs_now as inputs
                left join {catalog}.{MATCH_INPUTS} as kept using (record_key)
                where kept.record_key is null or kept.fingerprint <> inputs.fingerprint
            ),
            kept_links as (
                select record_key_l, record_key_r, match_rule from {catalog}.{kept_edges}
                where match_rule <> '{PROBABILISTIC}'
            ),
            links as (
                select record_key_l, record_key_r, match_rule from {edges}
                where match_rule <> '{PROBABILISTIC}'
            ),
            link_changes as (
                (select * from kept_links except select * from links)
                union all
                (select * from links except select * from kept_links)
            ),
            touched as (
                select record_key from changed_inputs
                union
                select record_key_l from link_changes
                union
                select record_key_r from link_changes
            )
            select det_cluster from {records} inner join touched using (record_key)
        """
        flag = f"det_cluster in ({changed})"
    else:
        flag = "true"
    con.execute(
        f"create or replace table {records} as "
        f"select {records}.*, {flag} as is_changed from {records}"
    )
    return count(con, f"select count(*) from {records} where is_changed")


def keep_unchanged_pairs(
    con: duckdb.DuckDBPyConnection, *, catalog: str, records: str, edges: str, kept_edges: str
) -> None:
    """Append to EDGES the probabilistic links of KEPT_EDGES (in CATALOG, the last run's)
    between records not flagged ``is_changed`` in RECORDS: with the same model they score as
    they did."""
    if not has_table(con, kept_edges, catalog):
        return
    con.execute(
        f"""
        insert into {edges}
        select kept.record_key_l, kept.record_key_r, kept.match_rule, kept.match_probability
        from {catalog}.{kept_edges} as kept
        inner join {records} as l on kept.record_key_l = l.record_key and not l.is_changed
        inner join {records} as r on kept.record_key_r = r.record_key and not r.is_changed
        where kept.match_rule = '{PROBABILISTIC}'
        """
    )


def fingerprint_inputs(con: duckdb.DuckDBPyConnection, records: str) -> None:
    """``match_inputs_now(record_key, fingerprint)``: every column the matching reads."""
    con.execute(
        f"create or replace table match_inputs_now as "
        f"select record_key, hash({records}) as fingerprint from {records}"
    )


def save(
    con: duckdb.DuckDBPyConnection,
    catalog: str,
    *,
    trained: dict[str, Any] | None,
    records: int,
    settings_fingerprint: str,
    now: datetime,
) -> None:
    """Keep this run's inputs, and the model with its term frequencies when it was trained
    (inside the caller's transaction)."""
    con.execute(
        f"create or replace table {catalog}.{MATCH_INPUTS} as select * from match_inputs_now"
    )
    if trained is None:
        return
    con.execute(
        f"""
        create or replace table {catalog}.{MATCH_MODEL} as
        select ?::timestamptz as trained_at, ?::bigint as trained_records,
            ?::varchar as settings_fingerprint, ?::varchar as parameters
        """,
        [now, records, settings_fingerprint, json.dumps(trained)],
    )
    frequencies = " union all ".join(
        f"select '{column}' as column_name, \"{column}\"::varchar as value, "
        f'"tf_{column}"::double as frequency from {tf_table(column)}'
        for column in TF_COLUMNS
    )
    con.execute(f"create or replace table {catalog}.{MATCH_TERM_FREQUENCIES} as {frequencies}")
