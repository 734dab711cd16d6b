{#
    Keeps the latest delivery of each record: the file loaded last, then the last row of that
    file. Raw tables keep every delivery; staging shows each record once.
#}
{% macro latest_delivery(key_column) -%}
    qualify row_number() over (
        partition by {{ smarketing.clean_text(key_column) }}
        order by _loaded_at desc, _source_file desc, _row_number desc
    ) = 1
{%- endmacro %}

{#
    In an incremental staging model, the raw rows loaded since the model was last built: the
    files loaded after the newest row it holds (loaded_until). Raw tables only grow (a file is
    loaded once, a later delivery of a record is a new row), so these rows, deduplicated
    (latest_delivery) and merged on the record's key, give the table a full rebuild would.
#}
{% macro new_deliveries() -%}
    {%- if is_incremental() %}
    where {{ delivered_since_built() }}
    {%- endif %}
{%- endmacro %}

{#- The condition of a row delivered since the model was last built (true on a full build). -#}
{% macro delivered_since_built(column='_loaded_at') -%}
    {%- if is_incremental() -%}
    {{ column }} > {{ loaded_until() }}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{% macro loaded_until() -%}
    (select coalesce(max(_loaded_at), '-infinity'::timestamptz) from {{ this }})
{%- endmacro %}
