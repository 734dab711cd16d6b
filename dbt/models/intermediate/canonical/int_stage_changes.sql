{#- Every status change of a person record, of every tool, as a stage of the shared
    definition: Salesforce's LeadHistory Status rows (the status's stage from
    lead_status_stages, the rejection reason written at the same instant), HubSpot's dated
    lifecycle stages (Became a … Date: the new status is the lifecycle stage), the stage changes
    of the mapped exports, and the stage times a mapped person carries (sal_at, sql_at…). A
    mapped `nurturing` is a disqualification that sends the lead back to Marketing, as
    Salesforce's Nurturing status; `open` is a status of no stage. -#}
{% set hubspot_dated_stages = [
    ('lead', none, 'became_a_lead_date', 'Became a Lead Date'),
    ('marketingqualifiedlead', 'mql', 'became_a_marketing_qualified_lead_date',
        'Became a Marketing Qualified Lead Date'),
    ('salesqualifiedlead', 'sql', 'became_a_sales_qualified_lead_date',
        'Became a Sales Qualified Lead Date'),
    ('opportunity', 'opportunity', 'became_an_opportunity_date', 'Became an Opportunity Date'),
    ('customer', 'customer', 'became_a_customer_date', 'Became a Customer Date'),
] %}
{% set mapped_stage_times = [
    ('mql_at', 'mql'),
    ('sal_at', 'sal'),
    ('sql_at', 'sql'),
    ('opportunity_at', 'opportunity'),
    ('customer_at', 'customer'),
    ('disqualified_at', 'disqualified'),
] %}

with

lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

mapped_stage_changes as (

    select * from {{ ref('stg_mapped__stage_changes') }}

),

mapped_persons as (

    select * from {{ ref('stg_mapped__persons') }}

),

lead_status_stages as (

    select * from {{ source('config', 'lead_status_stages') }}
    where salesforce_object = 'lead'

),

status_rows as (

    select
        lead_history.lead_history_id,
        lead_history.lead_id,
        lead_history.created_date,
        lead_history.old_value,
        lead_history.new_value
    from lead_history
    where lead_history.field = 'Status'
        and not lead_history.is_deleted

),

reason_rows as (

    -- the rejection reason written with a status change (same lead, same instant)
    select
        lead_history.lead_id,
        lead_history.created_date,
        min(lead_history.new_value) as rejection_reason
    from lead_history
    where lead_history.field in {{ bound_field_headers('salesforce_lead', 'rejection_reason') }}
        and lead_history.new_value is not null
        and not lead_history.is_deleted
    group by lead_history.lead_id, lead_history.created_date

),

salesforce as (

    select
        'salesforce' as source_system,
        status_rows.lead_id as person_record_id,
        status_rows.lead_history_id as change_id,
        status_rows.created_date as changed_at,
        status_rows.old_value as old_status,
        status_rows.new_value as new_status,
        old_stages.stage as old_stage,
        new_stages.stage,
        coalesce(new_stages.is_nurturing, false) as is_nurturing,
        reason_rows.rejection_reason,
        'LeadHistory Status change' as evidence
    from status_rows
    left join lead_status_stages as new_stages
        on status_rows.new_value = new_stages.status
    left join lead_status_stages as old_stages
        on status_rows.old_value = old_stages.status
    left join reason_rows
        on status_rows.lead_id = reason_rows.lead_id
        and status_rows.created_date = reason_rows.created_date

),

hubspot as (

    {%- for lifecycle_stage, stage, column, label in hubspot_dated_stages %}
    select
        'hubspot' as source_system,
        contact_id as person_record_id,
        {{ dbt.concat(['contact_id', "':" ~ column ~ "'"]) }} as change_id,
        {{ column }} as changed_at,
        cast(null as {{ dbt.type_string() }}) as old_status,
        '{{ lifecycle_stage }}' as new_status,
        cast(null as {{ dbt.type_string() }}) as old_stage,
        {{ "'" ~ stage ~ "'" if stage else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as stage,
        false as is_nurturing,
        cast(null as {{ dbt.type_string() }}) as rejection_reason,
        'HubSpot contact {{ label }}' as evidence
    from hubspot_contacts
    where {{ column }} is not null
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

mapped_changes as (

    select
        source_system,
        person_record_id,
        record_id as change_id,
        changed_at,
        old_status,
        status as new_status,
        case
            when old_stage = 'nurturing' then 'disqualified'
            when old_stage <> 'open' then old_stage
        end as old_stage,
        case
            when stage = 'nurturing' then 'disqualified'
            when stage <> 'open' then stage
        end as stage,
        coalesce(stage = 'nurturing', false) as is_nurturing,
        rejection_reason,
        {{ dbt.concat(['source_system', "' status change'"]) }} as evidence
    from mapped_stage_changes
    where person_record_id is not null
        and changed_at is not null
        and not coalesce(is_deleted, false)

),

-- a person export with one column per stage time: each time is a change to that stage

mapped_times as (

    {%- for column, stage in mapped_stage_times %}
    select
        source_system,
        record_id as person_record_id,
        {{ dbt.concat(['record_id', "':" ~ column ~ "'"]) }} as change_id,
        {{ column }} as changed_at,
        cast(null as {{ dbt.type_string() }}) as old_status,
        case when stage = '{{ stage }}' then status end as new_status,
        cast(null as {{ dbt.type_string() }}) as old_stage,
        '{{ stage }}' as stage,
        false as is_nurturing,
        {{ 'rejection_reason' if stage == 'disqualified' else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
            as rejection_reason,
        {{ dbt.concat(['source_system', "' " ~ column ~ "'"]) }} as evidence
    from mapped_persons
    where {{ column }} is not null
        and not coalesce(is_deleted, false)
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

unioned as (

    select * from salesforce
    union all
    select * from hubspot
    union all
    select * from mapped_changes
    union all
    select * from mapped_times

),

final as (

    select
        {{ dbt.concat(['source_system', "':'", 'change_id']) }} as stage_change_key,
        source_system,
        person_record_id,
        change_id,
        changed_at,
        old_status,
        new_status,
        old_stage,
        stage,
        is_nurturing,
        rejection_reason,
        evidence
    from unioned

)

select * from final
