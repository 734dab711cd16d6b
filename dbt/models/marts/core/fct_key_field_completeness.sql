{#- each key field (smarketing.yml `key_fields`, in the file's order), then all of them -#}
{%- set fields = key_fields() + ['key_fields'] -%}

with

dim_leads as (

    select * from {{ ref('dim_leads') }}

),

-- each lead with the tools its records come from

leads as (

    select
        case
            when hubspot_contact_count > 0
                and salesforce_lead_count + salesforce_contact_count > 0 then 'both'
            when hubspot_contact_count > 0 then 'hubspot_only'
            else 'salesforce_only'
        end as record_sources,
        {%- for field in fields %}
        case when has_{{ field }} then 1 else 0 end as has_{{ field }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from dim_leads

),

grouped as (

    select
        coalesce(record_sources, '(all)') as record_sources,
        count(*) as lead_count,
        {%- for field in fields %}
        {{ count_flag('has_' ~ field) }} as with_{{ field }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from leads
    group by rollup (record_sources)

),

-- one row per field and group of leads

final as (

    {%- for field in fields %}
    select
        '{{ field }}' as field,
        {{ loop.index }} as field_order,
        record_sources,
        lead_count,
        with_{{ field }} as filled_count,
        {{ share('with_' ~ field, 'lead_count') }} as completeness_rate
    from grouped
    {{- '\n\n    union all\n' if not loop.last }}
    {%- endfor %}

)

select * from final
