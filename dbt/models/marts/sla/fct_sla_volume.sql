with

mqls as (

    select * from {{ ref('fct_mqls') }}

),

targets as (

    select * from {{ source('config', 'mql_volume_targets') }}

),

-- calendar months (reporting time zone) from the first MQL to the as-of month

bounds as (

    select
        min(mql_month) as first_month,
        cast({{ dbt.date_trunc('month', local_time(as_of())) }} as date) as last_month
    from mqls

),

months as (

    {{ month_series('bounds') }}

),

-- MQLs per month, per segment and channel, and per campaign within them

mql_counts as (

    select
        mql_month as period_month,
        segment,
        channel,
        coalesce(campaign_name, '(all)') as campaign_name,
        count(*) as mql_count
    from mqls
    group by grouping sets (
        (mql_month, segment, channel),
        (mql_month, segment, channel, campaign_name)
    )

),

-- the target of each month: the targets in force that month (a target without a campaign
-- is the segment and channel's as a whole)

month_targets as (

    select
        months.period_month,
        targets.segment,
        targets.channel,
        coalesce(targets.campaign, '(all)') as campaign_name,
        cast(sum(targets.mqls_per_month) as {{ dbt.type_bigint() }}) as mql_target_count
    from months
    inner join targets
        on (targets.from_month is null
            or {{ dbt.concat(["targets.from_month", "'-01'"]) }}
                <= cast(months.period_month as {{ dbt.type_string() }}))
        and (targets.until_month is null
            or {{ dbt.concat(["targets.until_month", "'-01'"]) }}
                >= cast(months.period_month as {{ dbt.type_string() }}))
    group by months.period_month, targets.segment, targets.channel,
        coalesce(targets.campaign, '(all)')

),

cells as (

    select period_month, segment, channel, campaign_name from mql_counts
    union
    select period_month, segment, channel, campaign_name from month_targets

),

final as (

    select
        cells.period_month,
        cells.segment,
        cells.channel,
        cells.campaign_name,
        coalesce(mql_counts.mql_count, 0) as mql_count,
        month_targets.mql_target_count,
        {{ share('coalesce(mql_counts.mql_count, 0)', 'month_targets.mql_target_count') }}
            as attainment_ratio,
        coalesce(mql_counts.mql_count, 0) - month_targets.mql_target_count as gap_to_target_count,
        cells.period_month = bounds.last_month as is_month_in_progress
    from cells
    cross join bounds
    left join mql_counts
        on cells.period_month = mql_counts.period_month
        and cells.segment = mql_counts.segment
        and cells.channel = mql_counts.channel
        and cells.campaign_name = mql_counts.campaign_name
    left join month_targets
        on cells.period_month = month_targets.period_month
        and cells.segment = month_targets.segment
        and cells.channel = month_targets.channel
        and cells.campaign_name = month_targets.campaign_name

)

select * from final
