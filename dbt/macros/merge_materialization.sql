{#
    The materialization of a model merged on its key at each run (delete+insert: the rows of
    the keys a run touched replaced, the others kept): incremental where the engine deletes
    rows (DuckDB); a table rebuilt every run on Spark without a table format (Parquet tables
    take no DELETE), which gives the same rows. The models' hooks act on incremental runs only.
#}
{% macro merge_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}
