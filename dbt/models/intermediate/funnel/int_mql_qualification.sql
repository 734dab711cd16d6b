with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

stage_changes as (

    select * from {{ ref('int_stage_changes') }}

),

primary_leads as (

    select * from {{ ref('int_primary_leads') }}

),

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

mql_criteria as (

    select * from {{ source('config', 'mql_criteria') }}

),

thresholds as (

    select
        max(case when criterion = 'score_threshold' then cast(value as integer) end)
            as score_threshold,
        max(case when criterion = 'fit_min_employees' then cast(value as integer) end)
            as fit_min_employees
    from mql_criteria

),

-- the tool MQLs: a HubSpot contact's date of a lifecycle stage the definition lists, or a
-- mapped tool's own MQL (its MQL time, or a change to a status of the MQL stage)

mql_candidates as (

    select
        bridge.unified_lead_id,
        stage_changes.changed_at as became_at,
        coalesce(stage_changes.new_status, stage_changes.stage) as lifecycle_stage,
        stage_changes.evidence,
        stage_changes.source_system <> 'hubspot' as is_mapped
    from stage_changes
    inner join bridge
        on stage_changes.source_system = bridge.source_system
        and stage_changes.person_record_id = bridge.source_record_id
    where (
            stage_changes.source_system = 'hubspot'
            and bridge.source_entity = 'contact'
            and stage_changes.new_status in (
                select value from mql_criteria where criterion = 'hubspot_lifecycle_stage'
            )
        )
        or (
            stage_changes.source_system not in ('salesforce', 'hubspot')
            and stage_changes.stage = 'mql'
        )

),

-- the tool MQL: the earliest of them

tool_mqls as (

    select
        unified_lead_id,
        became_at as tool_mql_at,
        evidence as tool_mql_evidence,
        is_mapped as is_mapped_mql
    from (
        select
            mql_candidates.*,
            row_number() over (
                partition by unified_lead_id
                order by became_at, lifecycle_stage, evidence
            ) as date_rank
        from mql_candidates
    ) as ranked
    where date_rank = 1

),

-- the score the sync wrote on the primary lead at hand-off (or a mapped primary lead's
-- score), else the best HubSpot score, else the best score of a mapped tool

record_scores as (

    select
        bridge.unified_lead_id,
        max(case when person_records.source_system = 'hubspot' then person_records.score end)
            as hubspot_score,
        max(
            case
                when person_records.source_system not in ('salesforce', 'hubspot')
                    then person_records.score
            end
        ) as mapped_score
    from bridge
    inner join person_records
        on bridge.record_key = person_records.record_key
    group by bridge.unified_lead_id

),

scores as (

    select
        dim_leads.unified_lead_id,
        primary_records.score as handoff_score,
        coalesce(
            primary_records.score, record_scores.hubspot_score, record_scores.mapped_score
        ) as mql_score,
        case
            when primary_records.score is not null and primary_leads.source_system = 'salesforce'
                then 'Salesforce lead score'
            when primary_records.score is not null
                then {{ dbt.concat(['primary_leads.source_system', "' score'"]) }}
            when record_scores.hubspot_score is not null then 'HubSpot contact Score'
            when record_scores.mapped_score is not null then 'mapped tool score'
        end as mql_score_source
    from dim_leads
    left join primary_leads
        on dim_leads.unified_lead_id = primary_leads.unified_lead_id
    left join person_records as primary_records
        on primary_leads.record_key = primary_records.record_key
    left join record_scores
        on dim_leads.unified_lead_id = record_scores.unified_lead_id

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

-- a mapped tool's MQL stands on its own where the person has no score, country or company
-- size to check the definition against (documented in mappings/README.md)

judged as (

    select
        fit.unified_lead_id,
        tool_mqls.tool_mql_at,
        tool_mqls.tool_mql_evidence,
        coalesce(tool_mqls.is_mapped_mql, false) as is_mapped_mql,
        scores.mql_score,
        scores.mql_score_source,
        scores.handoff_score,
        coalesce(scores.mql_score >= thresholds.score_threshold, false)
            as meets_score_threshold,
        fit.country_code,
        fit.employee_count,
        fit.is_fit,
        fit.is_fit or (
            coalesce(tool_mqls.is_mapped_mql, false)
            -- no country: nothing to check (not `coalesce(x in (...), true)`: Spark gives
            -- false, not NULL, for a NULL looked up in a subquery)
            and (
                fit.country_code is null
                or fit.country_code in (
                    select value from mql_criteria where criterion = 'fit_country'
                )
            )
            and coalesce(fit.employee_count >= thresholds.fit_min_employees, true)
        ) as meets_fit
    from fit
    cross join thresholds
    inner join scores
        on fit.unified_lead_id = scores.unified_lead_id
    left join tool_mqls
        on fit.unified_lead_id = tool_mqls.unified_lead_id

),

final as (

    select
        unified_lead_id,
        tool_mql_at,
        tool_mql_evidence,
        handoff_score,
        mql_score,
        mql_score_source,
        meets_score_threshold,
        country_code,
        employee_count,
        is_fit,
        coalesce(
            tool_mql_at is not null
            and (meets_score_threshold or (is_mapped_mql and mql_score is null))
            and meets_fit,
            false
        ) as is_mql,
        -- a re-qualification carries no score of its own: the hand-off score, when the lead
        -- has one, still has to reach the threshold
        meets_fit
        and coalesce(handoff_score >= (select score_threshold from thresholds), true)
            as requalifies_as_mql
    from judged

)

select * from final
