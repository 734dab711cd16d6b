{#
    Survivorship of a person's name (`first_name`, `last_name`): the best-written spelling
    among the records that give one (its `<name>_key` is known): written in both cases, then
    with accents, then the spelling the most records share, then the most recent. A spelling
    in one case only (`ÉLODIE`, `le roux`) survives as `<name>_tidy`. Output: unified_lead_id,
    `<name>`, `<name>_source` (the record it came from).
#}
{% macro name_survivor(name, relation='lead_records') -%}
    select unified_lead_id, {{ name }}, {{ name }}_source
    from (
        select
            unified_lead_id,
            case when is_cased = 1 then trim({{ name }}) else {{ name }}_tidy end as {{ name }},
            record_key as {{ name }}_source,
            row_number() over (
                partition by unified_lead_id
                order by is_cased desc, has_accents desc, spelling_records desc,
                    modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                unified_lead_id,
                record_key,
                {{ name }},
                {{ name }}_tidy,
                modified_at,
                {{ smarketing.is_cased(name) }} as is_cased,
                {{ smarketing.has_accents(name) }} as has_accents,
                count(*) over (partition by unified_lead_id, trim({{ name }}))
                    as spelling_records
            from {{ relation }}
            where {{ name }}_key is not null
        ) as spellings
    ) as ranked
    where survivor_rank = 1
{%- endmacro %}
