{#
    Incremental models with one row per person (the survivor models). A person is rebuilt when
    the fingerprint of their records (int_lead_fingerprints) differs from the one their row was
    built with, or is new; a person who no longer exists is dropped after the merge. Each
    person's row depends on their own records only, so the table equals a full rebuild.

    changed_persons_only(fingerprints)  the filter of the records read: on an incremental run,
                                        the persons to rebuild (nothing on a full build)
    drop_vanished_persons()             the post-hook
#}
{% macro changed_persons_only(fingerprints) -%}
    {%- if is_incremental() %}
    where unified_lead_id in (
        select {{ fingerprints }}.unified_lead_id
        from {{ fingerprints }}
        left join {{ this }} as built
            on {{ fingerprints }}.unified_lead_id = built.unified_lead_id
        where built.unified_lead_id is null
            or built.records_fingerprint <> {{ fingerprints }}.records_fingerprint
    )
    {%- endif %}
{%- endmacro %}

{% macro drop_vanished_persons() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where not exists (
        select 1
        from {{ ref('int_lead_fingerprints') }} as fingerprints
        where fingerprints.unified_lead_id = {{ this }}.unified_lead_id
    )
    {%- endif -%}
{%- endmacro %}

{#
    records_fingerprint(relation): an aggregate over a group of rows of RELATION (its alias in
    the query) that changes when any value of any row does, whatever the rows' order.
#}
{% macro records_fingerprint(relation) -%}
    {{ return(adapter.dispatch('records_fingerprint', 'smarketing')(relation)) }}
{%- endmacro %}

{% macro default__records_fingerprint(relation) -%}
    {{ exceptions.raise_compiler_error(
        "records_fingerprint has no implementation for the " ~ adapter.type() ~ " adapter"
    ) }}
{%- endmacro %}

{% macro duckdb__records_fingerprint(relation) -%}
    -- the row as a struct: every column, a null told apart from an empty string
    bit_xor(hash({{ relation }}))
{%- endmacro %}

{% macro spark__records_fingerprint(relation) -%}
    -- the row as a struct: every column, a null told apart from an empty string
    bit_xor(xxhash64(struct({{ relation }}.*)))
{%- endmacro %}
