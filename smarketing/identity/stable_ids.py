"""Stable ``unified_lead_id``s: the same person keeps the same id from run to run.

The registry (``identity.unified_lead_ids``) remembers, for every source record ever seen,
the id it was given. On each run:

1. A person (cluster) reuses an id its records already had. When its records had several
   (two persons now known to be one), the oldest id wins (earliest ``first_seen_at``), then
   the id held by the most of its records, then the smallest id. An id goes to one person
   only: when a person splits, the part that keeps most of the id's records keeps it.
2. A person none of whose records had an id (or whose ids all went to others) gets a new id
   derived from its anchor record, the earliest created (then the smallest key): ``ul_``
   and the first 16 hex digits of the MD5 of the anchor's record key. The same data thus
   gives the same ids even without the registry. A derived id already in use is derived
   again from the key and a counter (``key#1``, ``key#2``…).
3. The registry is rewritten: every record of this run with its id (``first_seen_at`` kept
   for known records), and the records no longer delivered, as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from smarketing.identity.sql import count

ID_PREFIX = "ul_"
REGISTRY_COLUMNS = """
    record_key varchar not null,
    unified_lead_id varchar not null,
    first_seen_at timestamp with time zone not null,
    assigned_at timestamp with time zone not null,
    last_seen_at timestamp with time zone not null
"""


@dataclass(frozen=True)
class Candidate:
    """An id some records of a cluster held in the registry."""

    cluster_id: str
    unified_lead_id: str
    records: int
    first_seen_at: datetime


@dataclass(frozen=True)
class Assignment:
    reused: int
    new: int


def keep_ids(candidates: Iterable[Candidate]) -> dict[str, str]:
    """cluster_id -> the id it keeps, among the ids its records held (rule 1): by age, then
    records holding it, then the smaller id; an id goes to one cluster only."""
    kept: dict[str, str] = {}
    taken: set[str] = set()
    ordered = sorted(
        candidates,
        key=lambda c: (c.first_seen_at, -c.records, c.unified_lead_id, c.cluster_id),
    )
    for candidate in ordered:
        if candidate.cluster_id in kept or candidate.unified_lead_id in taken:
            continue
        kept[candidate.cluster_id] = candidate.unified_lead_id
        taken.add(candidate.unified_lead_id)
    return kept


def ensure_registry(con: duckdb.DuckDBPyConnection, registry: str) -> None:
    schema = registry.rsplit(".", 1)[0]
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"create table if not exists {registry} ({REGISTRY_COLUMNS})")


def assign_ids(
    con: duckdb.DuckDBPyConnection,
    *,
    clusters: str,
    records: str,
    registry: str,
    into: str,
) -> Assignment:
    """Write ``into(cluster_id, unified_lead_id)`` for every cluster of ``clusters``
    (``record_key, cluster_id``), reading the ids ``registry`` holds and the anchors of new
    persons in ``records`` (``record_key, created_at``)."""
    con.execute(
        f"""
        create or replace temp table id_candidates as
        with held as (
            select clusters.cluster_id, registry.unified_lead_id, count(*) as records
            from {clusters} as clusters
            inner join {registry} as registry using (record_key)
            group by clusters.cluster_id, registry.unified_lead_id
        ),
        id_age as (
            select unified_lead_id, min(first_seen_at) as first_seen_at
            from {registry}
            group by unified_lead_id
        )
        select
            held.cluster_id,
            held.unified_lead_id,
            held.records,
            id_age.first_seen_at,
            count(*) over (partition by held.cluster_id) as ids_held,
            count(*) over (partition by held.unified_lead_id) as clusters_holding
        from held
        inner join id_age using (unified_lead_id)
        """
    )
    # a cluster that alone holds the one id its records had keeps it whatever the order of
    # rule 1: only the contested ids (merges, splits) go through it
    con.execute(
        f"create or replace table {into} as select cluster_id, unified_lead_id "
        "from id_candidates where ids_held = 1 and clusters_holding = 1"
    )
    contested = [
        Candidate(*row)
        for row in con.execute(
            "select cluster_id, unified_lead_id, records, first_seen_at from id_candidates "
            "where ids_held > 1 or clusters_holding > 1"
        ).fetchall()
    ]
    _insert(con, into, keep_ids(contested))
    con.execute("drop table id_candidates")
    reused = count(con, f"select count(*) from {into}")
    new = _derive_new_ids(con, clusters=clusters, records=records, registry=registry, into=into)
    return Assignment(reused=reused, new=new)


def _insert(con: duckdb.DuckDBPyConnection, into: str, ids: dict[str, str]) -> None:
    table = pa.table(
        {
            "cluster_id": pa.array(list(ids), pa.string()),
            "unified_lead_id": pa.array(list(ids.values()), pa.string()),
        }
    )
    con.register("kept_ids", table)
    con.execute(f"insert into {into} select * from kept_ids")
    con.unregister("kept_ids")


def _derive_new_ids(
    con: duckdb.DuckDBPyConnection, *, clusters: str, records: str, registry: str, into: str
) -> int:
    """Rule 2 for the clusters ``into`` has no id for; returns how many."""
    con.execute(
        f"""
        create or replace temp table id_anchors as
        with unnamed as (
            select clusters.* from {clusters} as clusters anti join {into} using (cluster_id)
        )
        select unnamed.cluster_id, records.record_key as anchor
        from unnamed
        inner join {records} as records using (record_key)
        qualify row_number() over (
            partition by unnamed.cluster_id
            order by records.created_at asc nulls last, records.record_key
        ) = 1
        """
    )
    new = count(con, "select count(*) from id_anchors")
    con.execute(
        f"create or replace temp table ids_in_use as select distinct unified_lead_id "
        f"from {registry} union select unified_lead_id from {into}"
    )
    attempt = 0
    while count(con, "select count(*) from id_anchors"):
        # the anchor's key, then the key and a counter while the id is in use
        hashed = "anchor" if attempt == 0 else f"anchor || '#{attempt}'"
        con.execute(
            f"""
            create or replace temp table derived_ids as
            with derived as (
                select cluster_id, '{ID_PREFIX}' || left(md5({hashed}), 16) as unified_lead_id
                from id_anchors
            )
            select cluster_id, unified_lead_id
            from derived
            anti join ids_in_use using (unified_lead_id)
            qualify row_number() over (partition by unified_lead_id order by cluster_id) = 1
            """
        )
        con.execute(f"insert into {into} select * from derived_ids")
        con.execute("insert into ids_in_use select unified_lead_id from derived_ids")
        con.execute(
            "create or replace temp table id_anchors as "
            "select * from id_anchors anti join derived_ids using (cluster_id)"
        )
        attempt += 1
    for table in ("id_anchors", "ids_in_use", "derived_ids"):
        con.execute(f"drop table if exists {table}")
    return new


def update_registry(
    con: duckdb.DuckDBPyConnection, *, links: str, registry: str, now: datetime
) -> None:
    """Rewrite ``registry`` from ``links(record_key, unified_lead_id)`` (this run) and the
    records it knew that this run did not see."""
    con.execute(
        f"""
        create or replace temp table registry_next as
        select
            links.record_key,
            links.unified_lead_id,
            coalesce(known.first_seen_at, $now) as first_seen_at,
            case
                when known.unified_lead_id = links.unified_lead_id then known.assigned_at
                else $now
            end as assigned_at,
            $now as last_seen_at
        from {links} as links
        left join {registry} as known using (record_key)

        union all

        select known.*
        from {registry} as known
        anti join {links} as links using (record_key)
        """,
        {"now": now},
    )
    con.execute(f"delete from {registry}")
    con.execute(f"insert into {registry} select * from registry_next")
    con.execute("drop table registry_next")
