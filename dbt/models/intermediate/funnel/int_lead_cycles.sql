with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

status_changes as (

    select * from {{ ref('int_lead_status_changes') }}

),

mql_qualification as (

    select * from {{ ref('int_mql_qualification') }}

),

-- cycle 1: the person's first marketing or sales record: a HubSpot contact, a Salesforce lead,
-- a lead or contact of a mapped tool (a Salesforce contact comes from a conversion)

journey_records as (

    select
        bridge.unified_lead_id,
        person_records.created_at,
        case
            when person_records.source_system = 'hubspot' then 'HubSpot contact Create Date'
            when person_records.source_system = 'salesforce' then 'Lead CreatedDate'
            else {{ dbt.concat([
                'person_records.source_system', "' '",
                'person_records.source_entity', "' created_at'"
            ]) }}
        end as created_evidence
    from bridge
    inner join person_records
        on bridge.record_key = person_records.record_key
    where not (
        person_records.source_system = 'salesforce'
        and person_records.source_entity <> 'lead'
    )
        and not (
            person_records.source_system = 'hubspot'
            and person_records.source_entity <> 'contact'
        )

),

first_records as (

    select
        unified_lead_id,
        created_at,
        created_evidence,
        row_number() over (
            partition by unified_lead_id
            order by created_at, created_evidence
        ) as record_rank
    from journey_records
    where created_at is not null

),

first_cycles as (

    select
        first_records.unified_lead_id,
        1 as cycle,
        first_records.created_at,
        first_records.created_evidence,
        case when mql_qualification.is_mql then mql_qualification.tool_mql_at end as mql_at,
        case when mql_qualification.is_mql then mql_qualification.tool_mql_evidence end
            as mql_evidence,
        primary_leads.handoff_at,
        primary_leads.handoff_evidence
    from first_records
    inner join mql_qualification
        on first_records.unified_lead_id = mql_qualification.unified_lead_id
    left join primary_leads
        on first_records.unified_lead_id = primary_leads.unified_lead_id
    where first_records.record_rank = 1

),

-- cycle n >= 2: the primary lead reopened after being sent back to nurturing

recycled_cycles as (

    select
        status_changes.unified_lead_id,
        1 + row_number() over (
            partition by status_changes.unified_lead_id
            order by status_changes.changed_at, status_changes.status_change_id
        ) as cycle,
        status_changes.changed_at as created_at,
        status_changes.evidence as created_evidence,
        case when mql_qualification.requalifies_as_mql then status_changes.changed_at end
            as mql_at,
        case when mql_qualification.requalifies_as_mql then status_changes.evidence end
            as mql_evidence,
        status_changes.changed_at as handoff_at,
        status_changes.evidence as handoff_evidence
    from status_changes
    inner join mql_qualification
        on status_changes.unified_lead_id = mql_qualification.unified_lead_id
    where status_changes.is_recycling

),

cycles as (

    select * from first_cycles
    union all
    select * from recycled_cycles

),

windows as (

    select
        cycles.*,
        coalesce(cycles.handoff_at, cycles.created_at) as cycle_start_at,
        lead(coalesce(cycles.handoff_at, cycles.created_at)) over (
            partition by cycles.unified_lead_id
            order by cycles.cycle
        ) as next_cycle_start_at
    from cycles

),

-- the lead's owner at hand-off, from the Owner history rows that hold user ids

owner_rows as (

    select
        primary_leads.unified_lead_id,
        lead_history.created_date,
        lead_history.lead_history_id,
        lead_history.old_value,
        lead_history.new_value
    from lead_history
    inner join primary_leads
        on lead_history.lead_id = primary_leads.lead_id
        and primary_leads.source_system = 'salesforce'
    where lead_history.field = 'Owner'
        and lead_history.data_type = 'EntityId'
        and not lead_history.is_deleted

),

owners_before as (

    select
        windows.unified_lead_id,
        windows.cycle,
        owner_rows.new_value as owner_id,
        row_number() over (
            partition by windows.unified_lead_id, windows.cycle
            order by owner_rows.created_date desc, owner_rows.lead_history_id desc
        ) as owner_rank
    from windows
    inner join owner_rows
        on windows.unified_lead_id = owner_rows.unified_lead_id
        and owner_rows.created_date <= windows.handoff_at

),

owners_after as (

    select
        windows.unified_lead_id,
        windows.cycle,
        owner_rows.old_value as owner_id,
        row_number() over (
            partition by windows.unified_lead_id, windows.cycle
            order by owner_rows.created_date, owner_rows.lead_history_id
        ) as owner_rank
    from windows
    inner join owner_rows
        on windows.unified_lead_id = owner_rows.unified_lead_id
        and owner_rows.created_date > windows.handoff_at

),

final as (

    select
        windows.unified_lead_id,
        windows.cycle,
        windows.cycle_start_at,
        windows.next_cycle_start_at,
        windows.created_at,
        windows.created_evidence,
        windows.mql_at,
        windows.mql_evidence,
        windows.handoff_at,
        windows.handoff_evidence,
        case
            when windows.handoff_at is not null
                then coalesce(owners_before.owner_id, owners_after.owner_id, primary_leads.owner_id)
        end as handoff_owner_id
    from windows
    left join primary_leads
        on windows.unified_lead_id = primary_leads.unified_lead_id
    left join owners_before
        on windows.unified_lead_id = owners_before.unified_lead_id
        and windows.cycle = owners_before.cycle
        and owners_before.owner_rank = 1
    left join owners_after
        on windows.unified_lead_id = owners_after.unified_lead_id
        and windows.cycle = owners_after.cycle
        and owners_after.owner_rank = 1

)

select * from final
