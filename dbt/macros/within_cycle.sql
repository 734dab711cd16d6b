{#
    AT falls in the cycle CYCLE (a relation with `next_cycle_start_at`, from int_lead_cycles):
    at or after its START column (`cycle_start_at`; the hand-off for SLA facts), before the
    next cycle's start. A touch or a decision while the lead was nurtured belongs to the
    earlier cycle.
#}
{% macro within_cycle(at, cycle, start='cycle_start_at') -%}
    {{ at }} >= {{ cycle }}.{{ start }}
    and (
        {{ cycle }}.next_cycle_start_at is null
        or {{ at }} < {{ cycle }}.next_cycle_start_at
    )
{%- endmacro %}
