"""Deterministic links: pairs of records that are the same person without any doubt.

1. The links the tools record themselves (``int_person_record_links``): a converted lead and
   the contact it became, a lead and the HubSpot contact the sync created it from, a HubSpot
   contact and its Salesforce lead or contact, a Salesforce record merged into another.
2. The same normalised, well-formed e-mail address on two records (``records.email_key``).
   An address is personal to one mailbox owner far more often than not; an invalid address
   links nothing, nor does a placeholder (``a@a.com``, ``test@…``, ``noreply@…``: the seed
   ``placeholder_contact_values``) or an address records of several differently named people
   hold (``contact@…``, ``info@…``: ``int_person_records.email_is_shared``), else one such
   address would merge everyone who typed it.

Edges are written as ``(record_key_l, record_key_r, match_rule, match_probability = 1)``;
records sharing an address are linked as a star to the group's smallest key, which connects
them all with one edge per record.
"""

from __future__ import annotations

import duckdb

from smarketing.identity.records import RECORDS
from smarketing.identity.sql import count

EDGES = "match_edges"
"""Work table of every edge used for clustering, deterministic and probabilistic."""

RECORDED_LINKS = (
    "merged_into",
    "converted_to_contact",
    "salesforce_contact_id",
    "salesforce_lead_id",
    "hubspot_record_id",
)
SAME_EMAIL = "same_email"
PROBABILISTIC = "probabilistic"
UNMATCHED = "unmatched"
RULE_PRIORITY: dict[str, int] = {
    rule: rank for rank, rule in enumerate((*RECORDED_LINKS, SAME_EMAIL, PROBABILISTIC))
}
"""How a record is said to have joined its person, strongest first (a record linked both by
a recorded link and by its e-mail is reported with the recorded link)."""


def deterministic_edges(con: duckdb.DuckDBPyConnection, recorded_links: str) -> int:
    """Create the edges table with the deterministic links; returns how many there are."""
    con.execute(
        f"""
        create or replace table {EDGES} as
        select
            links.record_key as record_key_l,
            links.linked_record_key as record_key_r,
            links.link_type as match_rule,
            1.0::double as match_probability
        from {recorded_links} as links
        inner join {RECORDS} as l on l.record_key = links.record_key
        inner join {RECORDS} as r on r.record_key = links.linked_record_key

        union all

        select
            record_key as record_key_l,
            min(record_key) over (partition by email_key) as record_key_r,
            '{SAME_EMAIL}' as match_rule,
            1.0::double as match_probability
        from {RECORDS}
        where email_key is not null
        qualify record_key_l <> record_key_r
        """
    )
    return count(con, f"select count(*) from {EDGES}")
