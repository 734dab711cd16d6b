"""What a month's committee pack says, read from the warehouse once, when the month is frozen.

The scorecard is the frozen snapshot's (``marts.fct_committee_kpi_snapshots``); the sections
around it (what explains a KPI off track, the funnel, SLA by team, rejection reasons, volume,
data quality) are read from the marts as they stand when the pack is frozen, which is the run
that closes the month. The whole is stored as it was read (``store.py``), so a pack rendered
again later shows the same figures, whatever late data changed since.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import duckdb

from smarketing.metrics.queries import MANIFEST_TABLE, MONTH
from smarketing.metrics.sql import MetricSql
from smarketing.relations import has_table

ALL = "(all)"
# the breakdowns that explain a KPI's miss, in the pack's order: the metric layer's dimension
# of each name that is nearest the metric (fewest joins)
BREAKDOWNS = ("segment", "channel", "team", "owner_name")
TOP_CONTRIBUTIONS = 5
TOP_REASONS = 5
TREND_MONTHS = 12
# the funnel the committee reads, from the shared definition's first stage to the win
FUNNEL_STAGES = ("mql", "handoff", "sal", "sql", "opportunity", "won")

Rows = list[dict[str, Any]]


def _plain(value: Any) -> Any:
    """A value JSON keeps as it is: dates as ISO text, numbers as int or float."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Rows:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]


def closed_months(con: duckdb.DuckDBPyConnection) -> list[date]:
    """The months whose KPIs are frozen, oldest first."""
    if not has_table(con, "marts.fct_committee_kpi_snapshots"):
        return []
    return [
        month
        for (month,) in con.execute(
            "select distinct period_month from marts.fct_committee_kpi_snapshots order by 1"
        ).fetchall()
    ]


def _scorecard(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    return _rows(
        con,
        """
        select s.kpi, k.label_fr, k.label_en, k.description, k.unit, k.better, k.metric,
            k.display_order, s.kpi_value, s.target, s.previous_value, s.change, s.status,
            s.closed_by
        from marts.fct_committee_kpi_snapshots as s
        left join config.committee_kpis as k using (kpi)
        where s.period_month = ?
        order by k.display_order nulls last, s.kpi
        """,
        [month],
    )


def _trend(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    """Each KPI's frozen value over the twelve months up to MONTH, oldest first."""
    return _rows(
        con,
        f"""
        select kpi, period_month, kpi_value, target, status
        from marts.fct_committee_kpi_snapshots
        where period_month <= ? and period_month > ? - interval {TREND_MONTHS} month
        order by kpi, period_month
        """,
        [month, month],
    )


class Breakdowns:
    """A KPI's metric broken down by segment, channel, team and owner, as the metric layer
    computes it: for a ratio, each member's numerator and denominator. MANIFEST: the semantic
    manifest; RUN: runs a query of the warehouse, giving its rows."""

    def __init__(self, manifest: str, run: Callable[[str], Rows]) -> None:
        self._run = run
        self._writer = MetricSql(manifest)
        parsed = json.loads(manifest)
        self._metrics = {metric["name"]: metric for metric in parsed["metrics"]}
        self._measures = {
            model["name"]: {measure["name"] for measure in model.get("measures") or []}
            for model in parsed.get("semantic_models") or []
        }
        # every month at once, asked once: a run that freezes a history asks each breakdown once
        self._by_month: dict[tuple[tuple[str, ...], str], dict[str, Rows]] = {}

    def ratio_parts(self, metric: str) -> tuple[str, str] | None:
        """The numerator and denominator metrics of METRIC, when it is a ratio."""
        definition = self._metrics.get(metric) or {}
        if definition.get("type") != "ratio":
            return None
        params = definition["type_params"]
        return params["numerator"]["name"], params["denominator"]["name"]

    def _home(self, metric: str) -> set[str]:
        """The semantic models holding the measures METRIC counts."""
        definition = self._metrics.get(metric) or {}
        params = definition.get("type_params") or {}
        if definition.get("type") == "ratio":
            return self._home(params["numerator"]["name"]) | self._home(
                params["denominator"]["name"]
            )
        measures = {(params.get("measure") or {}).get("name")} | {
            measure.get("name") for measure in params.get("input_measures") or []
        }
        return {model for model, names in self._measures.items() if names & (measures - {None})}

    def dimension(self, metric: str, name: str) -> str | None:
        """The metric layer's dimension NAME of METRIC nearest to it: the one of the semantic
        model its measures are in, else the one fewest joins away; None without one."""
        home = self._home(metric)
        candidates = [
            dimension
            for dimension in self._writer.dimensions([metric])
            if dimension.name == name and not dimension.is_partition
        ]
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda d: (
                d.semantic_model_reference is None
                or d.semantic_model_reference.semantic_model_name not in home,
                len(d.entity_links),
                d.dunder_name,
            ),
        ).dunder_name

    def members(self, metrics: list[str], dimension: str, month: date) -> Rows:
        """The members of DIMENSION in MONTH with the values of METRICS."""
        key = (tuple(metrics), dimension)
        if key not in self._by_month:
            by_month: dict[str, Rows] = {}
            for row in self._run(self._writer.sql(metrics, [MONTH, dimension])):
                period = str(_plain(row.pop(MONTH)))[:10]
                by_month.setdefault(period, []).append({"member": row.pop(dimension), **row})
            self._by_month[key] = by_month
        return [dict(row) for row in self._by_month[key].get(month.isoformat(), [])]

    def explain(self, kpi: dict[str, Any], month: date, *, against_only: bool = True) -> Rows:
        """KPI's members of each breakdown in MONTH, the miss's side only and its largest
        first (AGAINST_ONLY), else every member, the worst first."""
        metric = kpi["metric"]
        parts = self.ratio_parts(metric)
        explained: Rows = []
        for name in BREAKDOWNS:
            dimension = self.dimension(metric, name)
            if dimension is None:
                continue
            if parts is not None:
                rows = self.members(list(parts), dimension, month)
                found = contributions(kpi, rows, *parts, against_only=against_only)
            else:
                rows = self.members([metric], dimension, month)
                found = gaps(kpi, rows, metric, against_only=against_only)
            explained.extend(
                {"kpi": kpi["kpi"], "breakdown": name, "dimension": dimension, "rank": rank, **row}
                for rank, row in enumerate(found, start=1)
            )
        return explained

    def leads(self, kpi: dict[str, Any], month: date, dimension: str, member: Any) -> Rows | None:
        """The leads behind KPI's MEMBER of DIMENSION in MONTH (their part of the numerator and
        denominator, of those the metric layer holds by lead: a target is no lead's), or None
        when it holds neither by lead."""
        metric = kpi["metric"]
        parts = self.ratio_parts(metric)
        metrics = [
            part
            for part in (list(parts) if parts is not None else [metric])
            if "lead" in {entity.name for entity in self._writer.entities([part])}
        ]
        if not metrics:
            return None
        where = {} if member is None else {dimension: str(member)}
        sql = self._writer.sql(metrics, ["lead"], where=where, months=(month, month))
        # a period ratio's lead may be in the numerator only (an SQL of the month whose MQL
        # came before it)
        return [row for row in self._run(sql) if any(row.get(name) for name in metrics)]


def contributions(
    kpi: dict[str, Any],
    members: Rows,
    numerator: str,
    denominator: str,
    *,
    against_only: bool = True,
) -> Rows:
    """Each member's share of the miss of a ratio KPI: (its numerator - target x its
    denominator) over the whole denominator, in the KPI's unit. The members' contributions add
    up to the KPI's distance to its target; those in the direction of the miss, largest first,
    the first few (AGAINST_ONLY), else every member, the worst first."""
    total = sum(row[denominator] or 0 for row in members)
    if not total:
        return []
    target = float(kpi["target"])
    worse = -1.0 if kpi["better"] == "higher" else 1.0
    result = []
    for row in members:
        part = row[numerator] or 0
        whole = row[denominator] or 0
        result.append(
            {
                "member": row["member"],
                "value": round(part / whole, 4) if whole else None,
                "numerator": part,
                "denominator": whole,
                "contribution": round((part - target * whole) / total, 6),
            }
        )
    result.sort(key=lambda row: (-row["contribution"] * worse, str(row["member"])))
    if not against_only:
        return result
    return [row for row in result if row["contribution"] * worse > 0][:TOP_CONTRIBUTIONS]


def gaps(kpi: dict[str, Any], members: Rows, metric: str, *, against_only: bool = True) -> Rows:
    """The members of a KPI that is no ratio (a median) furthest from its target on the wrong
    side, furthest first (AGAINST_ONLY; else every member, the worst first): their values do
    not add up to the KPI's."""
    target = float(kpi["target"])
    worse = -1.0 if kpi["better"] == "higher" else 1.0
    result = [
        {
            "member": row["member"],
            "value": row[metric],
            "numerator": None,
            "denominator": None,
            "contribution": None,
            "gap": row[metric] - target,
        }
        for row in members
        if row[metric] is not None and (not against_only or (row[metric] - target) * worse > 0)
    ]
    result.sort(key=lambda row: (-row["gap"] * worse, str(row["member"])))
    return result[:TOP_CONTRIBUTIONS] if against_only else result


def _explanations(breakdowns: Breakdowns | None, scorecard: Rows, month: date) -> Rows:
    """For each KPI off track, the members of each breakdown that explain the miss."""
    if breakdowns is None:
        return []
    explained: Rows = []
    for kpi in scorecard:
        if kpi["status"] == "off_track" and kpi["metric"]:
            explained.extend(
                {key: value for key, value in row.items() if key != "dimension"}
                for row in breakdowns.explain(kpi, month)
            )
    return explained


def _funnel(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    """The month's entries into each stage, company-wide (marts.fct_funnel_periods), with the
    conversion from the stage before (next step) and from the first stage (cumulative)."""
    columns = ", ".join(f"{stage}_count" for stage in FUNNEL_STAGES)
    found = _rows(
        con,
        f"""
        select {columns} from marts.fct_funnel_periods
        where period_month = ? and segment = ? and channel = ? and campaign_name = ?
            and offer = ? and team = ?
        """,
        [month, ALL, ALL, ALL, ALL, ALL],
    )
    counts = found[0] if found else {}
    first = counts.get(f"{FUNNEL_STAGES[0]}_count") or 0
    stages, previous = [], None
    for order, stage in enumerate(FUNNEL_STAGES, start=1):
        count = counts.get(f"{stage}_count") or 0
        stages.append(
            {
                "stage": stage,
                "stage_order": order,
                "entry_count": count,
                "next_step_rate": round(count / previous, 4) if previous else None,
                "cumulative_rate": round(count / first, 4) if first and order > 1 else None,
            }
        )
        previous = count
    return stages


def _sla_by_team(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    """First-touch compliance and feedback coverage of the month per team, all of Sales
    first (marts.fct_sla_compliance)."""
    return _rows(
        con,
        """
        select team, handoff_count, met_count, breached_count, breached_open_count,
            pending_count, sla_compliance_rate, feedback_due_count, feedback_complete_count,
            feedback_missing_count, feedback_coverage_rate
        from marts.fct_sla_compliance
        where handoff_month = ? and segment = ? and channel = ? and owner_id = ?
        order by team <> ?, team
        """,
        [month, ALL, ALL, ALL, ALL],
    )


def _reasons(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    return _rows(
        con,
        f"""
        select disqualification_reason as reason, disqualified_count, rejected_count,
            reason_rank, reason_share, cumulative_share
        from marts.fct_rejection_reasons
        where period_month = ? and segment = ? and channel = ? and team = ?
        order by reason_rank
        limit {TOP_REASONS}
        """,
        [month, ALL, ALL, ALL],
    )


def _volume(con: duckdb.DuckDBPyConnection, month: date) -> Rows:
    return _rows(
        con,
        """
        select segment, channel, mql_count, mql_target_count, attainment_ratio,
            gap_to_target_count
        from marts.fct_sla_volume
        where period_month = ? and campaign_name = ?
        order by segment nulls last, channel nulls last
        """,
        [month, ALL],
    )


def _quality(con: duckdb.DuckDBPyConnection, month: date, time_zone: str) -> dict[str, Any]:
    """The month's data quality: key-field completeness of the leads accepted per team, the
    runs published and held back, the checks of the last publication, what the loads of the
    month refused."""
    in_month = f"cast(date_trunc('month', timezone('{time_zone}', {{column}})) as date) = ?"
    completeness = _rows(
        con,
        """
        select team, accepted_count, complete_count, key_field_completeness_rate
        from marts.fct_crm_completeness
        where sal_month = ? and owner_id = ?
        order by team
        """,
        [month, ALL],
    )
    runs = _rows(
        con,
        f"""
        select status, count(*) as run_count, list(distinct reason order by reason)
            filter (where reason is not null) as reasons
        from audit.publications where {in_month.format(column="started_at")}
        group by status order by status
        """,
        [month],
    )
    last = _rows(
        con,
        f"""
        select run_id, finished_at, checks_passed, checks_failed, blocking_failed,
            warnings_failed, check_errors
        from audit.publications
        where status = 'published' and {in_month.format(column="started_at")}
        order by finished_at desc limit 1
        """,
        [month],
    )
    loads = _rows(
        con,
        f"""
        select status, count(*) as file_count, coalesce(sum(rows_loaded), 0) as rows_loaded,
            coalesce(sum(rows_rejected), 0) as rows_rejected
        from audit.load_audit where {in_month.format(column="started_at")}
        group by status order by status
        """,
        [month],
    )
    for run in runs:
        run["reasons"] = [str(reason)[:300] for reason in (run["reasons"] or [])][:5]
    return {
        "completeness": completeness,
        "runs": runs,
        "last_publication": last[0] if last else None,
        "loads": loads,
    }


def _value_labels(con: duckdb.DuckDBPyConnection) -> Rows:
    """The names smarketing.yml gives its segments and channels, frozen with the pack."""
    if not has_table(con, "config.value_labels"):
        return []
    return _rows(
        con, "select kind, code, label_fr, label_en from config.value_labels order by kind, code"
    )


def _reporting_time_zone(con: duckdb.DuckDBPyConnection) -> str:
    found = con.execute(
        "select value from config.reporting_settings where setting = 'reporting_time_zone'"
    ).fetchone()
    return str(found[0]) if found else "UTC"


def breakdowns(con: duckdb.DuckDBPyConnection) -> Breakdowns | None:
    """The metric layer's breakdowns, when the warehouse carries its metric layer."""
    if not has_table(con, MANIFEST_TABLE):
        return None
    manifest = con.execute(f"select manifest from {MANIFEST_TABLE}").fetchone()[0]
    return Breakdowns(str(manifest), lambda sql: _rows(con, sql))


def read(
    con: duckdb.DuckDBPyConnection, month: date, metric_layer: Breakdowns | None = None
) -> dict[str, Any]:
    """Everything the pack of MONTH shows, as plain values (JSON); METRIC_LAYER: the
    breakdowns asked already (several months in a row)."""
    time_zone = _reporting_time_zone(con)
    scorecard = _scorecard(con, month)
    if not scorecard:
        raise ValueError(f"{month:%Y-%m} is not closed: no frozen KPI in the warehouse")
    frozen_at = con.execute(
        "select max(frozen_at) from marts.fct_committee_kpi_snapshots where period_month = ?",
        [month],
    ).fetchone()[0]
    as_of = con.execute("select max(as_of) from marts.fct_data_as_of").fetchone()[0]
    version = con.execute("select max(version) from config.definition").fetchone()[0]
    volume_totals = _rows(
        con,
        "select sum(mql_count) as mql_count, sum(mql_target_count) as mql_target_count "
        "from marts.fct_sla_volume where period_month = ? and campaign_name = ?",
        [month, ALL],
    )
    return {
        "month": month.isoformat(),
        "time_zone": time_zone,
        "kpis_frozen_at": _plain(frozen_at),
        "data_as_of": _plain(as_of),
        "definition_version": version,
        "scorecard": scorecard,
        "trend": _trend(con, month),
        "explanations": _explanations(metric_layer or breakdowns(con), scorecard, month),
        "funnel": _funnel(con, month),
        "sla_by_team": _sla_by_team(con, month),
        "reasons": _reasons(con, month),
        "volume": _volume(con, month),
        "volume_total": volume_totals[0] if volume_totals else {},
        "quality": _quality(con, month, time_zone),
        "value_labels": _value_labels(con),
    }
