{#-
    One row per lead cycle that became an MQL, in its calendar month (reporting time zone):
    the grain fct_sla_volume counts and the committee's MQL volume counts, lead by lead.
-#}
with

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

final as (

    select
        unified_lead_id,
        cycle,
        cast({{ dbt.date_trunc('month', local_time('mql_at')) }} as date) as mql_month,
        coalesce(segment, '(unknown)') as segment,
        coalesce(channel, '(unknown)') as channel,
        coalesce(campaign_name, '(unknown)') as campaign_name
    from funnel
    where mql_at is not null

)

select * from final
