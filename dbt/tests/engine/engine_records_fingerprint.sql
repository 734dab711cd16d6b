{{ config(tags=['engine']) }}
{#- records_fingerprint: the same rows in another order give the same value; a changed value, or
    an empty string where a NULL was, another -#}
with delivered as (
    {{ smarketing.engine_cases([('record_key', 'bigint'), ('city', 'text')], [
        [1, "Lyon"], [2, none], [3, "Nantes"]
    ]) }}
),

reordered as (
    {{ smarketing.engine_cases([('record_key', 'bigint'), ('city', 'text')], [
        [3, "Nantes"], [1, "Lyon"], [2, none]
    ]) }}
),

emptied as (
    {{ smarketing.engine_cases([('record_key', 'bigint'), ('city', 'text')], [
        [1, "Lyon"], [2, ""], [3, "Nantes"]
    ]) }}
),

changed as (
    {{ smarketing.engine_cases([('record_key', 'bigint'), ('city', 'text')], [
        [1, "Lyon"], [2, none], [3, "Nantes "]
    ]) }}
),

fingerprints as (
    select 'delivered' as version, {{ smarketing.records_fingerprint('delivered') }} as fingerprint
    from delivered
    union all
    select 'reordered', {{ smarketing.records_fingerprint('reordered') }} from reordered
    union all
    select 'emptied', {{ smarketing.records_fingerprint('emptied') }} from emptied
    union all
    select 'changed', {{ smarketing.records_fingerprint('changed') }} from changed
),

base as (
    select fingerprint from fingerprints where version = 'delivered'
)

select fingerprints.version
from fingerprints
cross join base
where (fingerprints.version = 'reordered') = (fingerprints.fingerprint <> base.fingerprint)
    and fingerprints.version <> 'delivered'
