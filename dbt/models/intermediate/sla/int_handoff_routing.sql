with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

employee_segments as (

    select * from {{ source('config', 'employee_segments') }}

),

sales_regions as (

    select * from {{ source('config', 'sales_regions') }}

),

routing_rules as (

    select * from {{ source('config', 'routing_rules') }}

),

-- the primary lead as Salesforce holds it: country (ISO, from any spelling, as
-- int_person_records normalises it), number of employees, administrative region, score

handoff_leads as (

    select
        cycles.unified_lead_id,
        cycles.cycle,
        cycles.handoff_at,
        primary_leads.lead_id,
        lead_records.country,
        lead_records.country_code,
        leads.state,
        lead_records.number_of_employees,
        lead_records.score as lead_score
    from cycles
    inner join primary_leads
        on cycles.unified_lead_id = primary_leads.unified_lead_id
    left join person_records as lead_records
        on primary_leads.record_key = lead_records.record_key
    left join leads
        on primary_leads.lead_id = leads.lead_id
        and primary_leads.source_system = 'salesforce'
    where cycles.handoff_at is not null

),

classified as (

    -- the segment of the company size (none without one) and the sales region of the state
    select
        handoff_leads.*,
        employee_segments.segment,
        sales_regions.sales_region
    from handoff_leads
    left join employee_segments
        on handoff_leads.number_of_employees >= employee_segments.min_employees
        and (
            employee_segments.max_employees is null
            or handoff_leads.number_of_employees <= employee_segments.max_employees
        )
    left join sales_regions
        on handoff_leads.state = sales_regions.state

),

-- every rule whose conditions all hold; a list condition is `|`-joined values, so a value is
-- in it when `|value|` occurs in `|list|`; an unknown value is in no list

matching_rules as (

    select
        classified.unified_lead_id,
        classified.cycle,
        routing_rules.rule_order,
        routing_rules.team,
        row_number() over (
            partition by classified.unified_lead_id, classified.cycle
            order by routing_rules.rule_order
        ) as rule_rank
    from classified
    cross join routing_rules
    where (
            routing_rules.countries is null
            or {{ dbt.position(
                dbt.concat(["'|'", "classified.country_code", "'|'"]),
                dbt.concat(["'|'", "routing_rules.countries", "'|'"])
            ) }} > 0
        )
        and (
            routing_rules.not_countries is null
            or classified.country_code is null
            or {{ dbt.position(
                dbt.concat(["'|'", "classified.country_code", "'|'"]),
                dbt.concat(["'|'", "routing_rules.not_countries", "'|'"])
            ) }} = 0
        )
        and (
            routing_rules.segments is null
            or {{ dbt.position(
                dbt.concat(["'|'", "classified.segment", "'|'"]),
                dbt.concat(["'|'", "routing_rules.segments", "'|'"])
            ) }} > 0
        )
        and (routing_rules.min_score is null or classified.lead_score >= routing_rules.min_score)
        and (routing_rules.max_score is null or classified.lead_score <= routing_rules.max_score)

),

final as (

    select
        classified.unified_lead_id,
        classified.cycle,
        classified.handoff_at,
        classified.lead_id,
        classified.country,
        classified.country_code,
        classified.state,
        classified.sales_region,
        classified.number_of_employees,
        classified.segment,
        classified.lead_score,
        matching_rules.rule_order as routing_rule_order,
        -- a regional team needs the lead's sales region: without one, the team is unknown
        case
            when {{ dbt.position("'{sales_region}'", 'matching_rules.team') }} > 0
                then {{ dbt.replace('matching_rules.team', "'{sales_region}'", 'classified.sales_region') }}
            else matching_rules.team
        end as expected_team
    from classified
    left join matching_rules
        on classified.unified_lead_id = matching_rules.unified_lead_id
        and classified.cycle = matching_rules.cycle
        and matching_rules.rule_rank = 1

)

select * from final
