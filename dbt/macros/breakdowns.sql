{#-
    The breakdowns of the funnel metrics: every metric model is grouped by its period and
    CUBE(segment, channel, campaign_name, offer, team), so each combination of filters (one
    value or all values of each breakdown) is one ready row and the dashboard never adds
    figures up. In those rows '(all)' stands for all values of a breakdown and '(unknown)'
    for leads without a value.
-#}
{% macro funnel_breakdowns() -%}
    {{ return(['segment', 'channel', 'campaign_name', 'offer', 'team']) }}
{%- endmacro %}

{#- the breakdown columns of a lead-level row, unknown values named -#}
{% macro breakdown_values(prefix='') -%}
    {%- for column in funnel_breakdowns() %}
        coalesce({{ prefix }}{{ column }}, '(unknown)') as {{ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- the GROUP BY item that rolls every breakdown up -#}
{% macro breakdown_cube() -%}
    cube({{ funnel_breakdowns() | join(', ') }})
{%- endmacro %}

{#- the breakdown columns of a grouped row: a rolled-up breakdown reads '(all)' -#}
{% macro breakdown_labels() -%}
    {%- for column in funnel_breakdowns() %}
        coalesce({{ column }}, '(all)') as {{ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- NUMERATOR / DENOMINATOR as a share rounded to 4 decimals; empty when nothing to divide -#}
{% macro share(numerator, denominator) -%}
    {{ smarketing.round_half('cast(' ~ numerator ~ ' as double) / nullif(' ~ denominator ~ ', 0)', 4) }}
{%- endmacro %}

{#- the number of rows where FLAG (a 0/1 column) is 1, as a plain integer (0 over no rows) -#}
{% macro count_flag(flag) -%}
    cast(coalesce(sum({{ flag }}), 0) as {{ dbt.type_bigint() }})
{%- endmacro %}
