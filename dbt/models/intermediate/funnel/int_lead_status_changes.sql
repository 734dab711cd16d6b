with

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

stage_changes as (

    select * from {{ ref('int_stage_changes') }}

),

disqualification_reasons as (

    select * from {{ source('config', 'disqualification_reasons') }}

),

-- the status changes of each person's primary lead (a duplicate record's history opens no
-- cycle), in any tool

classified as (

    select
        primary_leads.unified_lead_id,
        stage_changes.person_record_id as lead_id,
        stage_changes.source_system,
        stage_changes.stage_change_key as status_change_id,
        stage_changes.changed_at,
        stage_changes.old_status,
        stage_changes.new_status,
        stage_changes.stage,
        stage_changes.is_nurturing,
        -- a lead sent back by Sales (a disqualified status) and reopened (a status of no
        -- stage) is qualified again: a new cycle
        coalesce(
            stage_changes.old_stage = 'disqualified' and stage_changes.stage is null,
            false
        ) as is_recycling,
        case when stage_changes.stage = 'disqualified' then stage_changes.rejection_reason end
            as rejection_reason,
        case
            when stage_changes.stage <> 'disqualified' then null
            when stage_changes.rejection_reason is null then null
            else coalesce(disqualification_reasons.category, 'other')
        end as disqualification_reason,
        stage_changes.evidence
    from stage_changes
    inner join primary_leads
        on stage_changes.source_system = primary_leads.source_system
        and stage_changes.person_record_id = primary_leads.lead_id
    left join disqualification_reasons
        on stage_changes.rejection_reason = disqualification_reasons.rejection_reason

),

final as (

    select
        unified_lead_id,
        lead_id,
        source_system,
        status_change_id,
        changed_at,
        old_status,
        new_status,
        stage,
        is_nurturing,
        is_recycling,
        rejection_reason,
        disqualification_reason,
        evidence
    from classified

)

select * from final
