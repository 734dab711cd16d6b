{#- Everyone who owns a record or logs a touch, of every tool: the Salesforce users (their
    department says who is Sales), and the owners the mapped exports name (a mapped owner is
    known by the name the tool writes; a CRM's owners are its sales reps). -#}
{% set sales_departments = var('sales_departments') %}

with

salesforce_users as (

    select * from {{ ref('stg_salesforce__user') }}

),

mapped_persons as (

    select * from {{ ref('stg_mapped__persons') }}

),

mapped_opportunities as (

    select * from {{ ref('stg_mapped__opportunities') }}

),

mapped_activities as (

    select * from {{ ref('stg_mapped__activities') }}

),

salesforce as (

    select
        user_id,
        'salesforce' as source_system,
        full_name,
        team,
        department,
        coalesce(
            department in (
                {%- for department in sales_departments %}
                '{{ department }}'{{ ',' if not loop.last }}
                {%- endfor %}
            ),
            false
        ) as is_sales_user
    from salesforce_users

),

mapped_owners as (

    select source_system, owner from mapped_persons where owner is not null
    union
    select source_system, owner from mapped_opportunities where owner is not null
    union
    select source_system, owner from mapped_activities where owner is not null

),

mapped as (

    select
        owner as user_id,
        min(source_system) as source_system,
        owner as full_name,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as {{ dbt.type_string() }}) as department,
        true as is_sales_user
    from mapped_owners
    where owner not in (select user_id from salesforce)
    group by owner

),

final as (

    select * from salesforce
    union all
    select * from mapped

)

select * from final
