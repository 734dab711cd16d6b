with

live as (

    select * from {{ ref('fct_committee_kpis') }}

),

frozen as (

    select * from {{ ref('fct_committee_kpi_snapshots') }}

),

final as (

    select
        frozen.period_month,
        frozen.kpi,
        frozen.kpi_value as frozen_value,
        live.kpi_value as live_value,
        live.kpi_value - frozen.kpi_value as difference,
        frozen.status as frozen_status,
        live.status as live_status,
        -- late data moved the figure since the committee saw it
        case
            when live.kpi_value = frozen.kpi_value then false
            when live.kpi_value is null and frozen.kpi_value is null then false
            else true
        end as is_revised,
        frozen.closed_by,
        frozen.frozen_at
    from frozen
    left join live
        on frozen.period_month = live.period_month
        and frozen.kpi = live.kpi

)

select * from final
