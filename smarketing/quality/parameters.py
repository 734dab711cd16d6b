"""Values the suites take from the shared lead definition at run time (``$PARAMETER``), so that
a target or a list of accepted values is written once, in ``smarketing.yml``."""

from __future__ import annotations

from typing import Any

from smarketing.config import ConfigError, SmarketingConfig, load_config
from smarketing.config.mappings import load_mappings

KEY_FIELD_KPI = "key_field_completeness"
PARAMETER_NAMES = frozenset(
    {"key_field_completeness_target", "segments", "channels", "committee_kpis", "source_systems"}
)
BUILT_IN_SOURCE_SYSTEMS = ("salesforce", "hubspot")


def suite_parameters(config: SmarketingConfig | None = None) -> dict[str, Any]:
    """``$PARAMETER`` name -> value, from CONFIG (default: the shared definition on disk)."""
    config = config or load_config()
    kpis = config.committee.kpis
    if KEY_FIELD_KPI not in kpis:
        raise ConfigError(
            f"committee.kpis.{KEY_FIELD_KPI}: missing; its target is the completeness the "
            "governance checks require of inbound leads (expectations/)"
        )
    return {
        "key_field_completeness_target": float(kpis[KEY_FIELD_KPI].target),
        "segments": [str(name) for name in config.segments],
        "channels": [str(name) for name in config.channels],
        "committee_kpis": [str(name) for name in kpis],
        # the tools records may come from: the built-in exports and every mapping file's
        "source_systems": sorted(
            {*BUILT_IN_SOURCE_SYSTEMS, *(m.source_system for m in load_mappings())}
        ),
    }
