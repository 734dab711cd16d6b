with

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

lead_status_stages as (

    select * from {{ ref('lead_status_stages') }}
    where salesforce_object = 'lead'

),

disqualification_reasons as (

    select * from {{ ref('disqualification_reasons') }}

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

classified as (

    select
        primary_leads.unified_lead_id,
        status_rows.lead_id,
        status_rows.lead_history_id,
        status_rows.created_date as changed_at,
        status_rows.old_value as old_status,
        status_rows.new_value as new_status,
        new_stages.stage,
        coalesce(new_stages.is_nurturing, false) as is_nurturing,
        -- a lead sent back by Sales (a disqualified status) and reopened (a status of no
        -- stage) is qualified again: a new cycle
        coalesce(
            old_stages.stage = 'disqualified' and new_stages.stage is null,
            false
        ) as is_recycling,
        case when new_stages.stage = 'disqualified' then reason_rows.rejection_reason end
            as rejection_reason,
        case
            when new_stages.stage <> 'disqualified' then null
            when reason_rows.rejection_reason is null then null
            else coalesce(disqualification_reasons.category, 'other')
        end as disqualification_reason
    from status_rows
    inner join primary_leads
        on status_rows.lead_id = primary_leads.lead_id
    left join lead_status_stages as new_stages
        on status_rows.new_value = new_stages.status
    left join lead_status_stages as old_stages
        on status_rows.old_value = old_stages.status
    left join reason_rows
        on status_rows.lead_id = reason_rows.lead_id
        and status_rows.created_date = reason_rows.created_date
    left join disqualification_reasons
        on reason_rows.rejection_reason = disqualification_reasons.rejection_reason

),

final as (

    select
        unified_lead_id,
        lead_id,
        lead_history_id,
        changed_at,
        old_status,
        new_status,
        stage,
        is_nurturing,
        is_recycling,
        rejection_reason,
        disqualification_reason
    from classified

)

select * from final
