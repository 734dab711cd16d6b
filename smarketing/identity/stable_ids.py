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
   again from the key and a counter.
3. The registry is rewritten: every record of this run with its id (``first_seen_at`` kept
   for known records), and the records no longer delivered, as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

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
    ids: dict[str, str]
    """cluster_id -> unified_lead_id"""
    reused: int
    new: int


def derive_id(anchor_record_key: str, attempt: int = 0) -> str:
    text = anchor_record_key if attempt == 0 else f"{anchor_record_key}#{attempt}"
    return ID_PREFIX + hashlib.md5(text.encode("utf-8")).hexdigest()[:16]


def assign(
    candidates: Iterable[Candidate],
    anchors: dict[str, str],
    ids_in_use: set[str],
) -> Assignment:
    """Give every cluster of ``anchors`` (cluster_id -> anchor record key) an id.

    ``candidates`` are the ids the clusters' records already held; ``ids_in_use`` every id
    of the registry (a new id must not take one of them).
    """
    ids: dict[str, str] = {}
    taken: set[str] = set()
    ordered = sorted(
        candidates,
        key=lambda c: (c.first_seen_at, -c.records, c.unified_lead_id, c.cluster_id),
    )
    for candidate in ordered:
        if candidate.cluster_id in ids or candidate.unified_lead_id in taken:
            continue
        ids[candidate.cluster_id] = candidate.unified_lead_id
        taken.add(candidate.unified_lead_id)
    reused = len(ids)
    unavailable = ids_in_use | taken
    for cluster_id in sorted(anchors):
        if cluster_id in ids:
            continue
        attempt = 0
        new_id = derive_id(anchors[cluster_id])
        while new_id in unavailable:
            attempt += 1
            new_id = derive_id(anchors[cluster_id], attempt)
        ids[cluster_id] = new_id
        unavailable.add(new_id)
    return Assignment(ids=ids, reused=reused, new=len(ids) - reused)


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
    (``record_key, cluster_id``), reading the ids ``registry`` holds."""
    rows = con.execute(
        f"""
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
        select held.cluster_id, held.unified_lead_id, held.records, id_age.first_seen_at
        from held
        inner join id_age using (unified_lead_id)
        """
    ).fetchall()
    candidates = [Candidate(*row) for row in rows]
    anchors = dict(
        con.execute(
            f"""
            select clusters.cluster_id, records.record_key
            from {clusters} as clusters
            inner join {records} as records using (record_key)
            qualify row_number() over (
                partition by clusters.cluster_id
                order by records.created_at asc nulls last, records.record_key
            ) = 1
            """
        ).fetchall()
    )
    in_use = {
        row[0] for row in con.execute(f"select distinct unified_lead_id from {registry}").fetchall()
    }
    assignment = assign(candidates, anchors, in_use)
    table = pa.table(
        {
            "cluster_id": pa.array(list(assignment.ids), pa.string()),
            "unified_lead_id": pa.array(list(assignment.ids.values()), pa.string()),
        }
    )
    con.register("assigned_ids", table)
    con.execute(f"create or replace table {into} as select * from assigned_ids")
    con.unregister("assigned_ids")
    return assignment


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
