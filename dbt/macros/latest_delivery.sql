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
