{#-
    The instant the warehouse describes (macro as_of()): `smarketing run --as-of` when given,
    else the time the exports were taken, read from the data itself (the latest record change
    found in the deliveries), else the build time. Old exports then describe the day they
    were taken, and open leads do not turn into SLA breaches because the build ran later.
-#}
{%- set record_times = [
    ('stg_salesforce__lead', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__contact', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__account', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__opportunity', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__opportunity_history', ['system_modstamp', 'created_date']),
    ('stg_salesforce__lead_history', ['created_date']),
    ('stg_salesforce__task', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__event', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_salesforce__campaign_member', ['system_modstamp', 'last_modified_date', 'created_date']),
    ('stg_hubspot__contact', ['last_modified_date', 'create_date']),
] -%}

with

{% for model, columns in record_times %}
{{ model }} as (

    select * from {{ ref(model) }}

),

{% endfor %}

-- every record's change times; a time after its file was loaded is a typo, not a change
record_times as (

    {%- for model, columns in record_times %}
    {%- set outer_loop = loop %}
    {%- for column in columns %}
    select {{ column }} as changed_at, _loaded_at from {{ model }}
    {{- '\n    union all' if not (outer_loop.last and loop.last) }}
    {%- endfor %}
    {%- endfor %}

),

latest as (

    select max(changed_at) as latest_record_at
    from record_times
    where changed_at <= _loaded_at

),

final as (

    select
        {%- set forced = env_var('SMARKETING_AS_OF', '') | trim %}
        {%- if forced %}
        cast('{{ forced }}' as {{ type_instant() }}) as as_of,
        'as_of_option' as as_of_source,
        {%- else %}
        coalesce(latest_record_at, {{ dbt.current_timestamp() }}) as as_of,
        case
            when latest_record_at is not null then 'latest_record'
            else 'build_time'
        end as as_of_source,
        {%- endif %}
        latest_record_at,
        {{ dbt.current_timestamp() }} as built_at
    from latest

)

select * from final
