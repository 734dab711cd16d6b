"""Figures no mart row holds (a sum over the months of the period, a breakdown) asked of the
metric layer (dbt/models/semantic/), as an analyst's ``mf query``: MetricFlow writes the SQL from
the semantic manifest the published copy carries (``config.semantic_manifest``, so the
definitions are those of the build shown), the warehouse runs it. The dashboard adds nothing
up itself."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from dashboards import filters, warehouse
from smarketing.metrics.queries import MANIFEST_TABLE
from smarketing.metrics.sql import MetricSql
from smarketing.pack.content import Breakdowns


@functools.lru_cache(maxsize=2)
def _writer(path: str, stamp: int) -> MetricSql:
    """The SQL writer of PATH's semantic manifest as of its version STAMP (the copy shown and
    the one before: a publication replaces the file)."""
    manifest = warehouse.scalar(f"select manifest from {MANIFEST_TABLE}")
    if manifest is None:
        raise warehouse.WarehouseUnavailable(f"{MANIFEST_TABLE} is empty")
    return MetricSql(str(manifest))


@functools.lru_cache(maxsize=2)
def _breakdowns(path: str, stamp: int) -> Breakdowns:
    manifest = warehouse.scalar(f"select manifest from {MANIFEST_TABLE}")
    if manifest is None:
        raise warehouse.WarehouseUnavailable(f"{MANIFEST_TABLE} is empty")
    return Breakdowns(
        str(manifest), lambda sql: warehouse.query(sql).astype(object).to_dict("records")
    )


def breakdowns() -> Breakdowns:
    """The metric layer's breakdowns of a KPI (by segment, channel, team, owner, down to the
    leads) on the data shown: the committee pack's own, so both say the same."""
    if not available():
        raise warehouse.WarehouseUnavailable(f"no {MANIFEST_TABLE} in the data shown")
    source = warehouse.source()
    return _breakdowns(str(source.path), source.stamp()[2])


def available() -> bool:
    """Whether the data shown carries its metric layer (a build before it did not)."""
    return warehouse.has_relation(MANIFEST_TABLE)


def query(
    metrics: Sequence[str],
    group_by: Sequence[str] = (),
    where: Mapping[str, str] | None = None,
    months: tuple[date | None, date | None] | None = None,
    order_by: Sequence[str] = (),
) -> pd.DataFrame:
    """METRICS by GROUP_BY over MONTHS (the period's first and last month), WHERE each
    dimension equals its value (a filter at '(all)' is left out; '(unknown)' is a value, as in
    the marts). Counts come back as integers."""
    if not available():
        raise warehouse.WarehouseUnavailable(f"no {MANIFEST_TABLE} in the data shown")
    source = warehouse.source()
    writer = _writer(str(source.path), source.stamp()[2])
    chosen = {name: value for name, value in (where or {}).items() if value != filters.ALL}
    period = None
    if months is not None and months[0] is not None and months[1] is not None:
        period = (months[0], months[1])
    sql = writer.sql(metrics, group_by, chosen, period, order_by)
    frame = warehouse.query(sql)
    for metric in metrics:
        if metric.endswith("_count") and metric in frame:
            frame[metric] = frame[metric].fillna(0).astype("int64")
    return frame


def filter_dimensions(
    chosen: filters.Filters, names: Mapping[str, str], local: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The filters as metric-layer dimensions: NAMES maps a filter (segment, channel, team,
    campaign_name, offer) to the dimension holding it (``{"segment": "lead__segment"}``); a
    page's own filters (LOCAL) over the shared ones."""
    local = local or {}
    return {dimension: local.get(name, chosen.value(name)) for name, dimension in names.items()}
