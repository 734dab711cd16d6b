with

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

-- every disqualification with its reason category, in the month it happened

disqualifications as (

    select
        cast({{ dbt.date_trunc('month', local_time('disqualified_at')) }} as date)
            as period_month,
        coalesce(disqualification_reason, 'other') as disqualification_reason,
        coalesce(segment, '(unknown)') as segment,
        coalesce(channel, '(unknown)') as channel,
        coalesce(team, '(unknown)') as team,
        case when is_nurtured then 1 else 0 end as nurtured_flag
    from funnel
    where disqualified_at is not null

),

-- per month and over all months (period_month empty), for every filter combination

grouped as (

    select
        period_month,
        disqualification_reason,
        coalesce(segment, '(all)') as segment,
        coalesce(channel, '(all)') as channel,
        coalesce(team, '(all)') as team,
        count(*) as disqualified_count,
        {{ count_flag('nurtured_flag') }} as nurtured_count
    from disqualifications
    group by disqualification_reason, cube(segment, channel, team),
        grouping sets ((period_month), ())

),

ranked as (

    select
        grouped.*,
        sum(disqualified_count) over (
            partition by period_month, segment, channel, team
        ) as total_count,
        row_number() over (
            partition by period_month, segment, channel, team
            order by disqualified_count desc, disqualification_reason
        ) as reason_rank,
        sum(disqualified_count) over (
            partition by period_month, segment, channel, team
            order by disqualified_count desc, disqualification_reason
            rows between unbounded preceding and current row
        ) as cumulative_count
    from grouped

),

final as (

    select
        period_month,
        disqualification_reason,
        segment,
        channel,
        team,
        disqualified_count,
        nurtured_count,
        disqualified_count - nurtured_count as rejected_count,
        reason_rank,
        {{ share('disqualified_count', 'total_count') }} as reason_share,
        {{ share('cumulative_count', 'total_count') }} as cumulative_share
    from ranked

)

select * from final
