{#
    On Spark, the tables dbt reads and does not build (the loader's raw deliveries and audit,
    the definition's config, the identity resolution's links), registered before a build from
    the Parquet folders written for it (`dbt run-operation register_lake` with var
    `spark_lake`: [{schema, table, location}, ...], smarketing/spark/build.py): each dropped
    and created again over its folder, so the build reads the files as they are now.
#}
{% macro register_lake() -%}
    {%- if target.type == 'spark' and execute -%}
        {%- set tables = var('spark_lake', []) -%}
        {%- for schema in tables | map(attribute='schema') | unique -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- endfor -%}
        {%- for table in tables -%}
            {%- set name = table['schema'] ~ '.' ~ table['table'] -%}
            {%- do run_query('drop table if exists ' ~ name) -%}
            {%- do run_query(
                'create table ' ~ name ~ ' using parquet location ' ~ smarketing._sql_text(table['location'])
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#
    dbt-spark's seed rows. A local Spark (master `local[...]`) reads the file itself, as
    DuckDB does: agate, which dbt-spark's rows come from, reads the text `null` as an empty cell
    (the placeholder local part `null@` of placeholder_contact_values would be lost). On a
    cluster, which cannot read this machine's files, each value is a literal, quotes and
    backslashes escaped, an empty cell NULL (dbt-spark's own rows break on `Côte d'Ivoire` and
    make an empty cell the text 'None').
#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column in agate_table.column_names -%}
        {%- do types.append(column_override.get(column, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set master = run_query('set spark.master').columns[1].values()[0] | string -%}
    {%- if master.startswith('local') -%}
        {%- set view = this.identifier ~ '__csv' -%}
        {%- set path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
        {%- set sql -%}
            create or replace temporary view {{ view }} using csv
            options (path {{ smarketing._sql_text(path) }}, header 'true', escape '"', multiLine 'true')
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- set insert -%}
            insert into {{ this.render() }}
            select
                {%- for column in agate_table.column_names %}
                cast(`{{ column }}` as {{ types[loop.index0] }}){{ ',' if not loop.last }}
                {%- endfor %}
            from {{ view }}
        {%- endset -%}
        {%- do adapter.add_query(insert, abridge_sql_log=True) -%}
        {{ return(insert) }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    {%- if value is none -%}
                        cast(null as {{ types[loop.index0] }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ types[loop.index0] }})
                    {%- endif -%}
                    {{- ', ' if not loop.last -}}
                {%- endfor -%}
            ){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}
