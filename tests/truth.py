"""A read-only connection to a small-scale warehouse with the generator's truth beside it."""

from __future__ import annotations

from pathlib import Path

import duckdb


def truth_connection(root: Path, tables: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """The warehouse of a ``small`` run, in UTC, with temp tables: each of ``tables``
    (name → truth CSV, all text), ``truth_records`` (record_key → person_id) and
    ``person_leads``: each person's unified lead, the one holding the record that opened their
    history (the earliest created HubSpot contact or Salesforce lead); a record identity
    resolution failed to attach makes a unified lead of its own."""
    connection = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    connection.execute("set timezone = 'UTC'").fetchall()
    truth = root / "truth"
    for table, file in tables.items():
        connection.execute(
            f"create temp table {table} as select * from read_csv(?, all_varchar = true)",
            [str(truth / file)],
        ).fetchall()
    connection.execute(
        "create temp table truth_records as select concat_ws(':', source_system, "
        "source_entity, source_record_id) as record_key, person_id "
        "from read_csv(?, all_varchar = true)",
        [str(truth / "source_records.csv")],
    ).fetchall()
    connection.execute(
        """
        create temp table person_leads as
        select person_id, unified_lead_id
        from (
            select
                truth_records.person_id,
                bridge.unified_lead_id,
                row_number() over (
                    partition by truth_records.person_id
                    order by records.created_at, records.record_key
                ) as record_rank
            from truth_records
            join marts.bridge_lead_source_records as bridge using (record_key)
            join intermediate.int_person_records as records using (record_key)
            where not (records.source_system = 'salesforce'
                and records.source_entity = 'contact')
        )
        where record_rank = 1
        """
    ).fetchall()
    return connection


STAGES = ("created", "mql", "handoff", "sal", "sql", "opportunity", "won", "lost", "disqualified")


def ts(column: str) -> str:
    """A truth text column as an instant (empty: NULL)."""
    return f"cast(nullif({column}, '') as timestamptz)"


def truth_funnel_connection(root: Path) -> duckdb.DuckDBPyConnection:
    """``truth_connection`` with the truth's cycles, people and opportunities, the Salesforce
    users, campaigns, leads and lead status history of the exports, and ``truth_funnel``:
    every truth cycle with its stage instants and the breakdowns the marts use, unknown
    values named as the marts name them. The team is the ``Team__c`` of the cycle's owner
    (the owner at hand-off, else the owner of the person's primary lead); the segment is the
    one the exports allow (``dim_leads``: about 1 % of people never give a company size)."""
    connection = truth_connection(
        root,
        {
            "truth_cycles": "lead_cycles.csv",
            "truth_people": "people.csv",
            "truth_opportunities": "opportunities.csv",
        },
    )
    salesforce = root / "inbox" / "salesforce"
    for table, file in [("sf_users", "User.csv"), ("sf_campaigns", "Campaign.csv")]:
        connection.execute(
            f"create temp table {table} as select * from read_csv(?, all_varchar = true)",
            [str(salesforce / file)],
        ).fetchall()
    connection.execute(
        "create temp table sf_leads as select * from read_csv(?, all_varchar = true)",
        [str(salesforce / "Lead.csv")],
    ).fetchall()
    connection.execute(
        """
        create temp table sf_status_rows as
        select LeadId as lead_id, cast(CreatedDate as timestamptz) as changed_at,
            NewValue as new_status
        from read_csv(?, all_varchar = true)
        where Field = 'Status'
        """,
        [str(salesforce / "LeadHistory.csv")],
    ).fetchall()
    # every truth cycle with its breakdowns, as the marts name unknown values
    connection.execute(
        f"""
        create temp table truth_funnel as
        with primary_leads as (
            select truth_records.person_id, sf_leads.OwnerId as owner_id,
                row_number() over (
                    partition by truth_records.person_id
                    order by sf_leads.CreatedDate, sf_leads.Id
                ) as lead_rank
            from truth_records
            join sf_leads on truth_records.record_key = 'salesforce:lead:' || sf_leads.Id
        )
        select
            cycles.person_id,
            cast(cycles.cycle as integer) as cycle,
            {", ".join(ts(f"cycles.{s}_at") + f" as {s}_at" for s in STAGES)},
            coalesce(dim_leads.segment, '(unknown)') as segment,
            coalesce(nullif(people.channel, ''), '(unknown)') as channel,
            coalesce(campaigns.Name, '(unknown)') as campaign_name,
            coalesce(nullif(people.offer, ''), '(unknown)') as offer,
            coalesce(nullif(users.Team__c, ''), '(unknown)') as team
        from truth_cycles as cycles
        join truth_people as people using (person_id)
        join person_leads using (person_id)
        join marts.dim_leads as dim_leads using (unified_lead_id)
        left join sf_campaigns as campaigns on people.campaign = campaigns.Id
        left join primary_leads
            on cycles.person_id = primary_leads.person_id and primary_leads.lead_rank = 1
        left join sf_users as users
            on coalesce(nullif(cycles.owner_id, ''), primary_leads.owner_id) = users.Id
        """
    ).fetchall()
    return connection
