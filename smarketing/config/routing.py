"""The definition tables of the lead process in the SLA contract (``smarketing.yml``, key ``sla``).

``sales_regions.csv`` maps each French administrative region (Salesforce ``Lead.State``) to
its sales region; ``routing_rules.csv`` holds the routing rules in order, one row per rule
(``sla.routing``); ``sla_feedback_deadlines.csv`` the business hours Sales has to record its
decision on a handed-over lead (``sla.feedback``). SQL reads these, never the values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smarketing.config.csv_text import csv_text, number_text

if TYPE_CHECKING:
    from smarketing.config.models import SmarketingConfig

# joins the values of a list condition in one cell: ISO codes and segment codes never hold it
LIST_SEPARATOR = "|"


def sales_regions_csv(config: SmarketingConfig) -> str:
    """state, sales_region: one row per administrative region, in YAML order."""
    rows = [
        [state, region]
        for region, states in config.sla.routing.sales_regions.items()
        for state in states
    ]
    return csv_text(["state", "sales_region"], rows)


def routing_rules_csv(config: SmarketingConfig) -> str:
    """rule_order, team, countries, not_countries, segments, min_score, max_score.

    One row per rule, numbered from 1 in YAML order (the first rule that holds wins). A list
    condition is its values joined by ``|`` and empty when the rule has none; an empty score
    bound is no bound. ``team`` is written as in the YAML, ``{sales_region}`` included.
    """
    rows = [
        [
            str(order),
            rule.team,
            LIST_SEPARATOR.join(rule.countries),
            LIST_SEPARATOR.join(rule.not_countries),
            LIST_SEPARATOR.join(rule.segments),
            "" if rule.min_score is None else str(rule.min_score),
            "" if rule.max_score is None else str(rule.max_score),
        ]
        for order, rule in enumerate(config.sla.routing.rules, start=1)
    ]
    header = [
        "rule_order",
        "team",
        "countries",
        "not_countries",
        "segments",
        "min_score",
        "max_score",
    ]
    return csv_text(header, rows)


def sla_feedback_deadlines_csv(config: SmarketingConfig) -> str:
    """deadline_business_hours: one row, the feedback deadline from hand-off."""
    return csv_text(
        ["deadline_business_hours"],
        [[number_text(config.sla.feedback.deadline_business_hours)]],
    )
