with

-- every hand-off with both of Sales' duties: the first touch and the feedback

handoffs as (

    select * from {{ ref('fct_sla_handoffs') }}

),

-- per owner, per team and for all of Sales, each for every segment and channel filter

grouped as (

    select
        handoff_month,
        coalesce(segment, '(all)') as segment,
        coalesce(channel, '(all)') as channel,
        coalesce(team, '(all)') as team,
        coalesce(owner_id, '(all)') as owner_id,
        coalesce(owner_name, '(all)') as owner_name,
        count(*) as handoff_count,
        {%- for outcome in ['met', 'breached', 'breached_open', 'pending'] %}
        count(case when outcome = '{{ outcome }}' then 1 end) as {{ outcome }}_count,
        {%- endfor %}
        count(case when is_routed_correctly then 1 end) as routed_correctly_count,
        count(case when feedback_status <> 'pending' then 1 end) as feedback_due_count,
        count(case when is_feedback_complete then 1 end) as feedback_complete_count,
        {%- for status in ['on_time', 'late', 'missing'] %}
        count(case when feedback_status = '{{ status }}' then 1 end) as feedback_{{ status }}_count
        {{- ',' if not loop.last }}
        {%- endfor %}
    from handoffs
    group by handoff_month, cube(segment, channel),
        grouping sets ((team, owner_id, owner_name), (team), ())

),

final as (

    select
        grouped.*,
        -- the committee's definitions (fct_committee_kpis): decided hand-offs only
        {{ share('met_count', 'met_count + breached_count + breached_open_count') }}
            as sla_compliance_rate,
        {{ share('feedback_complete_count', 'feedback_due_count') }} as feedback_coverage_rate,
        {{ share('routed_correctly_count', 'handoff_count') }} as routing_accuracy_rate
    from grouped

)

select * from final
