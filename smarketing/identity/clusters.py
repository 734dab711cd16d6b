"""Connected components: records joined by a chain of links are one person."""

from __future__ import annotations

import duckdb
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from smarketing.identity.sql import count


def connected_components(
    con: duckdb.DuckDBPyConnection,
    db_api: DuckDBAPI,
    *,
    nodes: str,
    edges: str,
    into: str,
    edge_filter: str = "true",
) -> int:
    """Write ``into(record_key, cluster_id)``: one row per node of ``nodes``, ``cluster_id``
    the smallest ``record_key`` of its component (Splink's connected components in SQL).
    ``edge_filter`` is a SQL condition selecting the edges to follow. Returns the number of
    components."""
    con.execute(
        f"create or replace temp view cluster_edges as select record_key_l, record_key_r "
        f"from {edges} where {edge_filter}"
    )
    clustered = cluster_pairwise_predictions_at_threshold(
        nodes, "cluster_edges", db_api, node_id_column_name="record_key"
    )
    con.execute(
        f"""
        create or replace table {into} as
        select record_key, min(record_key) over (partition by cluster_id) as cluster_id
        from {clustered.physical_name}
        """
    )
    clustered.drop_table_from_database_and_remove_from_cache()
    con.execute("drop view cluster_edges")
    return count(con, f"select count(distinct cluster_id) from {into}")
