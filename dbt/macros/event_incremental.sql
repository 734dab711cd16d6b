{#
    Incremental event models: one row per event of staging tables that only grow by
    deliveries. A run re-derives the events delivered since the model was last built (their
    staging rows' `_loaded_at`, kept in the model), merged on the event's key; a row whose
    latest delivery is a deletion leaves. What joins every event (a campaign) re-derives them
    all when it changed. Staging merges each delivery on its key, so a staged row newer than
    the model's newest is exactly what changed.

    campaigns_changed_since_built()  whether a campaign was delivered since (false on a full
                                     build); each branch also reads delivered_since_built()
                                     (macros/latest_delivery.sql)
    reopen_marketing_events() the pre-hook of int_marketing_events: removes the rows the run
                              derives again (or all of them), so that deletions leave
#}
{% macro campaigns_changed_since_built() -%}
    {%- if is_incremental() -%}
    exists (
        select 1 from {{ ref('stg_salesforce__campaign') }}
        where {{ delivered_since_built() }}
    )
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}

{% macro reopen_marketing_events() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ campaigns_changed_since_built() }}
        or event_key in (
            select {{ dbt.concat(["'salesforce'", "':'", 'campaign_member_id']) }}
            from {{ ref('stg_salesforce__campaign_member') }}
            where {{ delivered_since_built() }}

            union all

            select {{ dbt.concat(["'hubspot'", "':'", 'event_id']) }}
            from {{ ref('stg_hubspot__marketing_event') }}
            where {{ delivered_since_built() }}

            union all

            -- the mapped exports are views over raw, re-read whole at each run
            select {{ dbt.concat(['source_system', "':'", 'record_id']) }}
            from {{ ref('stg_mapped__marketing_events') }}
        )
    {%- endif -%}
{%- endmacro %}
