"""Data governance: the Great Expectations suites of ``expectations/``, run against the
warehouse, their results kept in ``audit.quality_history`` and shown as Data Docs.

``suites`` reads the suite files (no GX import: Dagster builds its checks from them at load),
``engine`` runs GX on DuckDB query results, ``history`` keeps what was found, ``checks`` ties
them together for one pass.
"""
