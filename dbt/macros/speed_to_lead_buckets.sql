{#- The speed-to-lead buckets' labels, fastest first, from smarketing.yml's
    `sla.speed_to_lead_buckets` (the var `speed_to_lead_bucket_bounds`: exclusive upper bounds,
    business hours): `< 1 h`, `1-4 h`… `> 48 h`, then `not touched`. -#}
{% macro speed_to_lead_bucket_labels() -%}
    {%- set bounds = var('speed_to_lead_bucket_bounds') -%}
    {%- set labels = [] -%}
    {%- for bound in bounds -%}
        {%- do labels.append(('< ' ~ bound if loop.first else loop.previtem ~ '-' ~ bound) ~ ' h') -%}
    {%- endfor -%}
    {%- do labels.append('> ' ~ bounds[-1] ~ ' h') -%}
    {%- do labels.append('not touched') -%}
    {{- return(labels) -}}
{%- endmacro %}
