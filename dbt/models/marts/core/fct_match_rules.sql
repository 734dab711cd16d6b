-- how the source records joined their lead: by a link the tools record, a deterministic rule
-- or the probabilistic model (bridge_lead_source_records.match_rule)

with

bridge as (

    select * from {{ ref('bridge_lead_source_records') }}

),

final as (

    select
        match_rule,
        count(*) as source_record_count
    from bridge
    group by match_rule

)

select * from final
