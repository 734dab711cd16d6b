with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

mql_criteria as (

    select * from {{ ref('mql_criteria') }}

),

thresholds as (

    select
        max(case when criterion = 'score_threshold' then cast(value as integer) end)
            as score_threshold,
        max(case when criterion = 'fit_min_employees' then cast(value as integer) end)
            as fit_min_employees
    from mql_criteria

),

-- every dated lifecycle stage of every HubSpot contact of a person

lifecycle_dates as (

    {%- set dated_stages = [
        ('lead', 'became_a_lead_date', 'Became a Lead Date'),
        ('marketingqualifiedlead', 'became_a_marketing_qualified_lead_date',
            'Became a Marketing Qualified Lead Date'),
        ('salesqualifiedlead', 'became_a_sales_qualified_lead_date',
            'Became a Sales Qualified Lead Date'),
        ('opportunity', 'became_an_opportunity_date', 'Became an Opportunity Date'),
        ('customer', 'became_a_customer_date', 'Became a Customer Date'),
    ] %}
    {%- for stage, column, label in dated_stages %}
    select
        bridge.unified_lead_id,
        '{{ stage }}' as lifecycle_stage,
        'HubSpot contact {{ label }}' as evidence,
        hubspot_contacts.{{ column }} as became_at
    from bridge
    inner join hubspot_contacts
        on bridge.source_record_id = hubspot_contacts.contact_id
    where bridge.source_system = 'hubspot'
        and bridge.source_entity = 'contact'
        and hubspot_contacts.{{ column }} is not null
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

),

-- the marketing tool's MQL: the earliest date of a lifecycle stage the definition lists

tool_mqls as (

    select unified_lead_id, became_at as tool_mql_at, evidence as tool_mql_evidence
    from (
        select
            lifecycle_dates.unified_lead_id,
            lifecycle_dates.became_at,
            lifecycle_dates.evidence,
            row_number() over (
                partition by lifecycle_dates.unified_lead_id
                order by lifecycle_dates.became_at, lifecycle_dates.lifecycle_stage
            ) as date_rank
        from lifecycle_dates
        inner join mql_criteria
            on mql_criteria.criterion = 'hubspot_lifecycle_stage'
            and lifecycle_dates.lifecycle_stage = mql_criteria.value
    ) as ranked
    where date_rank = 1

),

-- the score the sync wrote on the primary lead at hand-off, else the best HubSpot score

hubspot_scores as (

    select bridge.unified_lead_id, max(hubspot_contacts.hubspot_score) as hubspot_score
    from bridge
    inner join hubspot_contacts
        on bridge.source_record_id = hubspot_contacts.contact_id
    where bridge.source_system = 'hubspot'
        and bridge.source_entity = 'contact'
    group by bridge.unified_lead_id

),

scores as (

    select
        dim_leads.unified_lead_id,
        leads.lead_score as handoff_score,
        coalesce(leads.lead_score, hubspot_scores.hubspot_score) as mql_score,
        case
            when leads.lead_score is not null then 'Salesforce lead score'
            when hubspot_scores.hubspot_score is not null then 'HubSpot contact Score'
        end as mql_score_source
    from dim_leads
    left join primary_leads
        on dim_leads.unified_lead_id = primary_leads.unified_lead_id
    left join leads
        on primary_leads.lead_id = leads.lead_id
    left join hubspot_scores
        on dim_leads.unified_lead_id = hubspot_scores.unified_lead_id

),

fit as (

    select
        dim_leads.unified_lead_id,
        dim_leads.country_code,
        dim_leads.employee_count,
        coalesce(
            dim_leads.country_code in (
                select value from mql_criteria where criterion = 'fit_country'
            )
            and dim_leads.employee_count >= thresholds.fit_min_employees,
            false
        ) as is_fit
    from dim_leads
    cross join thresholds

),

final as (

    select
        fit.unified_lead_id,
        tool_mqls.tool_mql_at,
        tool_mqls.tool_mql_evidence,
        scores.mql_score,
        scores.mql_score_source,
        coalesce(scores.mql_score >= thresholds.score_threshold, false)
            as meets_score_threshold,
        fit.country_code,
        fit.employee_count,
        fit.is_fit,
        coalesce(
            tool_mqls.tool_mql_at is not null
            and scores.mql_score >= thresholds.score_threshold
            and fit.is_fit,
            false
        ) as is_mql,
        -- a re-qualification carries no score of its own: the hand-off score, when the lead
        -- has one, still has to reach the threshold
        fit.is_fit
        and coalesce(scores.handoff_score >= thresholds.score_threshold, true)
            as requalifies_as_mql
    from fit
    cross join thresholds
    inner join scores
        on fit.unified_lead_id = scores.unified_lead_id
    left join tool_mqls
        on fit.unified_lead_id = tool_mqls.unified_lead_id

)

select * from final
