{#- Every opportunity of every tool in one shape: Salesforce opportunities and the deals of the
    mapping files (mappings/*.yml). fct_opportunities reads this model only. -#}

with

salesforce_opportunities as (

    select * from {{ ref('stg_salesforce__opportunity') }}

),

opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

mapped_opportunities as (

    select * from {{ ref('stg_mapped__opportunities') }}

),

salesforce_leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

opportunity_stages as (

    select * from {{ source('config', 'lead_status_stages') }}
    where salesforce_object = 'opportunity'

),

-- Salesforce: the person of an opportunity is the lead converted into it (the first one)

converting_leads as (

    select
        salesforce_leads.converted_opportunity_id as opportunity_id,
        salesforce_leads.lead_id,
        row_number() over (
            partition by salesforce_leads.converted_opportunity_id
            order by salesforce_leads.created_date, salesforce_leads.lead_id
        ) as lead_rank
    from salesforce_leads
    inner join person_records
        on salesforce_leads.lead_id = person_records.source_record_id
        and person_records.source_system = 'salesforce'
        and person_records.source_entity = 'lead'
    where salesforce_leads.converted_opportunity_id is not null

),

-- Salesforce: won at the first history row at a customer stage (lead_status_stages), even if
-- reopened later; lost at the first row at the closed-lost stage it stands at

won_rows as (

    select
        opportunity_history.opportunity_id,
        opportunity_history.created_date as won_at,
        opportunity_history.stage_name as won_stage_name,
        row_number() over (
            partition by opportunity_history.opportunity_id
            order by opportunity_history.created_date, opportunity_history.opportunity_history_id
        ) as won_rank
    from opportunity_history
    inner join opportunity_stages
        on opportunity_history.stage_name = opportunity_stages.status
    where not opportunity_history.is_deleted

),

-- Salesforce: the history row that closed the opportunity, the first one at its closed stage

closing_rows as (

    select
        salesforce_opportunities.opportunity_id,
        opportunity_history.created_date as closed_at,
        row_number() over (
            partition by salesforce_opportunities.opportunity_id
            order by opportunity_history.created_date, opportunity_history.opportunity_history_id
        ) as closing_rank
    from salesforce_opportunities
    inner join opportunity_history
        on salesforce_opportunities.opportunity_id = opportunity_history.opportunity_id
        and salesforce_opportunities.stage_name = opportunity_history.stage_name
    where salesforce_opportunities.is_closed
        and not opportunity_history.is_deleted

),

salesforce as (

    select
        salesforce_opportunities.opportunity_id,
        'salesforce' as source_system,
        salesforce_opportunities.opportunity_id as source_record_id,
        converting_leads.lead_id as person_record_id,
        salesforce_opportunities.account_id,
        salesforce_opportunities.owner_id,
        salesforce_opportunities.opportunity_name,
        salesforce_opportunities.amount,
        salesforce_opportunities.currency_iso_code,
        salesforce_opportunities.offer,
        salesforce_opportunities.stage_name,
        salesforce_opportunities.is_won,
        salesforce_opportunities.is_closed,
        salesforce_opportunities.loss_reason,
        salesforce_opportunities.created_date as created_at,
        closing_rows.closed_at,
        salesforce_opportunities.close_date,
        won_rows.won_at,
        won_rows.won_stage_name,
        case
            when salesforce_opportunities.is_closed and not salesforce_opportunities.is_won
                then closing_rows.closed_at
        end as lost_at,
        salesforce_opportunities.is_deleted
    from salesforce_opportunities
    left join closing_rows
        on salesforce_opportunities.opportunity_id = closing_rows.opportunity_id
        and closing_rows.closing_rank = 1
    left join won_rows
        on salesforce_opportunities.opportunity_id = won_rows.opportunity_id
        and won_rows.won_rank = 1
    left join converting_leads
        on salesforce_opportunities.opportunity_id = converting_leads.opportunity_id
        and converting_leads.lead_rank = 1

),

-- mapped deals: the outcome their stage maps to, else their won / closed flags (a won flag
-- alone: not won is still open)

mapped_outcomes as (

    select
        mapped_opportunities.*,
        case
            when outcome is not null then outcome = 'won'
            else coalesce(is_won, false)
        end as deal_is_won,
        case
            when outcome is not null then outcome <> 'open'
            else coalesce(is_closed, is_won, false)
        end as deal_is_closed,
        -- a closed deal without a closing time closed when it last changed
        coalesce(closed_at, updated_at) as closing_at
    from mapped_opportunities

),

mapped as (

    select
        {{ dbt.concat(['source_system', "':'", 'record_id']) }} as opportunity_id,
        source_system,
        record_id as source_record_id,
        person_record_id,
        account_record_id as account_id,
        owner as owner_id,
        name as opportunity_name,
        cast(amount as decimal(18, 2)) as amount,
        upper(currency) as currency_iso_code,
        offer,
        coalesce(
            stage,
            case when deal_is_won then 'won' when deal_is_closed then 'lost' else 'open' end
        ) as stage_name,
        deal_is_won as is_won,
        deal_is_closed as is_closed,
        loss_reason,
        -- a deal known only by its closing (a closed-deals file) was created at the latest then
        coalesce(created_at, closed_at) as created_at,
        case when deal_is_closed then closing_at end as closed_at,
        cast(closed_at as date) as close_date,
        case when deal_is_won then closing_at end as won_at,
        case when deal_is_won then stage end as won_stage_name,
        case when deal_is_closed and not deal_is_won then closing_at end as lost_at,
        coalesce(is_deleted, false) as is_deleted
    from mapped_outcomes

),

unioned as (

    select * from salesforce
    union all
    select * from mapped

)

select * from unioned
