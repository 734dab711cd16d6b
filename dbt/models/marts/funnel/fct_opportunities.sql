with

opportunities as (

    select * from {{ ref('int_opportunities') }}

),

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

funnel as (

    select * from {{ ref('fct_lead_funnel') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

currency_rates as (

    select * from {{ ref('int_currency_rates') }}

),

corporate as (

    select max(corporate_currency) as iso_code
    from currency_rates

),

-- each amount in the corporate currency: the rate of its currency on its close date (a
-- dated rate) or its only rate; the corporate currency for an amount without currency

amounts as (

    select
        opportunities.opportunity_id,
        coalesce(opportunities.currency_iso_code, corporate.iso_code) as currency_iso_code,
        corporate.iso_code as corporate_currency,
        currency_rates.conversion_rate,
        row_number() over (
            partition by opportunities.opportunity_id
            order by currency_rates.valid_from desc
        ) as rate_rank
    from opportunities
    cross join corporate
    left join currency_rates
        on coalesce(opportunities.currency_iso_code, corporate.iso_code) = currency_rates.iso_code
        and (currency_rates.valid_from is null or currency_rates.valid_from <= opportunities.close_date)
        and (
            currency_rates.valid_until is null
            or opportunities.close_date < currency_rates.valid_until
        )

),

-- the unified lead of each opportunity: the person of its person record (for Salesforce, the
-- lead converted into it; for a mapped deal, the lead or contact it names)

converted_leads as (

    select
        opportunities.opportunity_id,
        bridge.unified_lead_id,
        row_number() over (
            partition by opportunities.opportunity_id
            order by bridge.source_entity desc, bridge.record_key
        ) as lead_rank
    from opportunities
    inner join bridge
        on opportunities.person_record_id = bridge.source_record_id
        and opportunities.source_system = bridge.source_system
    where opportunities.person_record_id is not null

),

-- the cycle of that lead the opportunity was created in

opportunity_cycles as (

    select
        opportunities.opportunity_id,
        converted_leads.unified_lead_id,
        cycles.cycle
    from opportunities
    inner join converted_leads
        on opportunities.opportunity_id = converted_leads.opportunity_id
        and converted_leads.lead_rank = 1
    left join cycles
        on converted_leads.unified_lead_id = cycles.unified_lead_id
        and {{ within_cycle('opportunities.created_at', 'cycles') }}

),

final as (

    select

        ----------  ids
        opportunities.opportunity_id,
        opportunities.source_system,
        opportunity_cycles.unified_lead_id,
        opportunity_cycles.cycle,
        opportunities.account_id,
        opportunities.owner_id,

        ----------  opportunity
        opportunities.opportunity_name,
        opportunities.amount,
        amounts.currency_iso_code,
        {{ round_half('opportunities.amount / amounts.conversion_rate', 2) }} as amount_corporate,
        amounts.corporate_currency,
        case
            when opportunities.amount is null then null
            when amounts.currency_iso_code = amounts.corporate_currency then 'corporate'
            when amounts.conversion_rate is not null then 'converted'
            else 'no_rate'
        end as amount_conversion,
        opportunities.offer,
        opportunities.stage_name as current_stage,
        opportunities.is_won,
        opportunities.is_closed and not opportunities.is_won as is_lost,
        opportunities.is_closed,
        opportunities.loss_reason,

        ----------  the lead it came from
        dim_leads.channel,
        dim_leads.segment,

        ----------  timestamps
        opportunities.created_at as created_at,
        opportunities.closed_at,
        cast({{ local_time('opportunities.closed_at') }} as date) as closed_local_date,
        opportunities.close_date,

        ----------  durations in days (elapsed minutes / 1440, 2 decimals)
        {{ days_from_minutes(minutes_between('opportunities.created_at', 'opportunities.closed_at')) }}
            as cycle_days,
        case when opportunities.is_won then
            {{ days_from_minutes(minutes_between('funnel.created_at', 'opportunities.closed_at')) }}
        end as lead_created_to_won_days,
        case when opportunities.is_won then
            {{ days_from_minutes(minutes_between('funnel.mql_at', 'opportunities.closed_at')) }}
        end as mql_to_won_days

    from opportunities
    left join amounts
        on opportunities.opportunity_id = amounts.opportunity_id
        and amounts.rate_rank = 1
    left join opportunity_cycles
        on opportunities.opportunity_id = opportunity_cycles.opportunity_id
    left join funnel
        on opportunity_cycles.unified_lead_id = funnel.unified_lead_id
        and opportunity_cycles.cycle = funnel.cycle
    left join dim_leads
        on opportunity_cycles.unified_lead_id = dim_leads.unified_lead_id
    where not opportunities.is_deleted

)

select * from final
