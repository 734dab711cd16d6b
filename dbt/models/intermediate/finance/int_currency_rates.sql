with

dated_conversion_rates as (

    select * from {{ ref('stg_salesforce__dated_conversion_rate') }}

),

currency_types as (

    select * from {{ ref('stg_salesforce__currency_type') }}

),

configured_rates as (

    select * from {{ source('config', 'currency_rates') }}

),

corporate as (

    select iso_code
    from configured_rates
    where is_corporate

),

-- Salesforce's dated rates (advanced currency management): each rate holds from its start
-- date to the next one's

dated as (

    select
        iso_code,
        start_date as valid_from,
        next_start_date as valid_until,
        conversion_rate,
        'dated_conversion_rate' as rate_source
    from dated_conversion_rates
    where iso_code is not null
        and conversion_rate > 0

),

-- the org's static rates, for the currencies without dated rates

static as (

    select
        currency_types.iso_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_until,
        currency_types.conversion_rate,
        'currency_type' as rate_source
    from currency_types
    where currency_types.iso_code is not null
        and currency_types.conversion_rate > 0
        and currency_types.iso_code not in (select iso_code from dated)

),

-- smarketing.yml's rates, for the currencies no export gives

configured as (

    select
        configured_rates.iso_code,
        cast(null as date) as valid_from,
        cast(null as date) as valid_until,
        configured_rates.conversion_rate,
        'smarketing_yml' as rate_source
    from configured_rates
    where configured_rates.iso_code not in (select iso_code from dated)
        and configured_rates.iso_code not in (select iso_code from static)

),

unioned as (

    select * from dated
    union all
    select * from static
    union all
    select * from configured

),

final as (

    select
        unioned.iso_code,
        unioned.valid_from,
        unioned.valid_until,
        -- the corporate currency is 1, whatever an export says
        case
            when unioned.iso_code = corporate.iso_code then 1.0
            else unioned.conversion_rate
        end as conversion_rate,
        unioned.rate_source,
        corporate.iso_code as corporate_currency
    from unioned
    cross join corporate

)

select * from final
