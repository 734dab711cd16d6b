"""The metric layer's metrics (MetricFlow, ``dbt/models/semantic/``), as far as the shared
definition needs them: every committee KPI names the metric giving its value, which must exist."""

from __future__ import annotations

from pathlib import Path

import yaml

from smarketing.config.models import SmarketingConfig

SEMANTIC_DIR = Path(__file__).resolve().parents[2] / "dbt" / "models" / "semantic"


def metric_names(folder: Path = SEMANTIC_DIR) -> set[str]:
    """The names of the metrics defined in FOLDER's YAML files."""
    names: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= {metric["name"] for metric in document.get("metrics") or []}
    return names


def kpi_metric_errors(config: SmarketingConfig, folder: Path = SEMANTIC_DIR) -> list[str]:
    """One message per committee KPI whose metric the metric layer does not define."""
    known = metric_names(folder)
    return [
        f"committee.kpis.{name}.metric: no metric {metric!r} in {folder} (define it there, or "
        "name an existing one)"
        for name, metric in config.committee.metrics().items()
        if metric not in known
    ]
