-- business hours come from the business calendar, read by the macro business_hours_between
-- depends_on: {{ source('config', 'business_days') }}

with

responses as (

    select * from {{ ref('fct_sla_lead_response') }}

),

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

status_changes as (

    select * from {{ ref('int_lead_status_changes') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

feedback_deadlines as (

    select * from {{ source('config', 'sla_feedback_deadlines') }}

),

handoffs as (

    select
        responses.unified_lead_id,
        responses.cycle,
        responses.handoff_at,
        responses.owner_id,
        responses.owner_name,
        responses.team,
        responses.segment,
        cycles.next_cycle_start_at
    from responses
    inner join cycles
        on responses.unified_lead_id = cycles.unified_lead_id
        and responses.cycle = cycles.cycle

),

-- Sales' decision: the first status change of the cycle (from the hand-off to the next
-- cycle's start) to a status that accepts the lead (stage sal), rejects it (a disqualified
-- status) or sends it back to nurturing (a disqualified nurturing status), as the shared
-- definition (config.lead_status_stages) classifies the statuses

decisions as (

    select
        handoffs.unified_lead_id,
        handoffs.cycle,
        status_changes.changed_at as decision_at,
        case
            when status_changes.stage = 'sal' then 'accepted'
            when status_changes.is_nurturing then 'recycled'
            else 'rejected'
        end as decision,
        status_changes.new_status as decision_status,
        status_changes.rejection_reason,
        status_changes.disqualification_reason,
        row_number() over (
            partition by handoffs.unified_lead_id, handoffs.cycle
            order by status_changes.changed_at, status_changes.status_change_id
        ) as decision_rank
    from handoffs
    inner join status_changes
        on handoffs.unified_lead_id = status_changes.unified_lead_id
        and {{ within_cycle('status_changes.changed_at', 'handoffs', 'handoff_at') }}
    where status_changes.stage in ('sal', 'disqualified')

),

measured as (

    -- the decision delay runs to the decision, or while there is none, to the as-of
    select
        handoffs.*,
        decisions.decision_at,
        coalesce(decisions.decision, 'none') as decision,
        decisions.decision_status,
        decisions.rejection_reason,
        decisions.disqualification_reason,
        {{ as_of() }} as feedback_as_of,
        coalesce(decisions.decision_at, {{ as_of() }}) as measured_until
    from handoffs
    left join decisions
        on handoffs.unified_lead_id = decisions.unified_lead_id
        and handoffs.cycle = decisions.cycle
        and decisions.decision_rank = 1

),

business_times as (

    {{ business_hours_between(
        'measured', ['unified_lead_id', 'cycle'], 'handoff_at', 'measured_until',
        output='business_hours'
    ) }}

),

feedback as (

    select
        measured.*,
        feedback_deadlines.deadline_business_hours,
        case when measured.decision_at is not null then business_times.business_hours end
            as decision_business_hours,
        case when measured.decision_at is null then business_times.business_hours end
            as business_hours_elapsed
    from measured
    inner join business_times
        on measured.unified_lead_id = business_times.unified_lead_id
        and measured.cycle = business_times.cycle
    cross join feedback_deadlines

),

final as (

    select
        feedback.unified_lead_id,
        feedback.cycle,
        feedback.handoff_at,
        feedback.owner_id,
        feedback.owner_name,
        feedback.team,
        feedback.segment,
        dim_leads.channel,
        feedback.decision,
        feedback.decision_at,
        feedback.decision_status,
        {{ round_half('feedback.decision_business_hours', 2) }} as decision_business_hours,
        feedback.deadline_business_hours,
        {{ round_half('feedback.business_hours_elapsed', 2) }} as business_hours_elapsed,
        -- decided on the unrounded business hours; unknown while still within the deadline
        case
            when feedback.decision_at is not null
                then feedback.decision_business_hours <= feedback.deadline_business_hours
            when feedback.business_hours_elapsed > feedback.deadline_business_hours
                then false
        end as is_decided_within_deadline,
        case
            when feedback.decision_at is not null
                and feedback.decision_business_hours <= feedback.deadline_business_hours
                then 'on_time'
            when feedback.decision_at is not null
                then 'late'
            when feedback.business_hours_elapsed > feedback.deadline_business_hours
                then 'missing'
            else 'pending'
        end as feedback_status,
        -- a lead rejected or sent back to nurturing owes a reason; an accepted one does not
        case
            when feedback.decision in ('rejected', 'recycled')
                then feedback.rejection_reason is not null
        end as has_reason,
        feedback.rejection_reason,
        feedback.disqualification_reason,
        -- the feedback the SLA asks for: a decision within the deadline, with its reason
        -- where one is owed; unknown while still within the deadline
        case
            when feedback.decision_at is not null
                then feedback.decision_business_hours <= feedback.deadline_business_hours
                    and (feedback.decision = 'accepted' or feedback.rejection_reason is not null)
            when feedback.business_hours_elapsed > feedback.deadline_business_hours
                then false
        end as is_feedback_complete,
        feedback.feedback_as_of
    from feedback
    left join dim_leads
        on feedback.unified_lead_id = dim_leads.unified_lead_id

)

select * from final
