{#
    A Salesforce record id as text (a record's own id or a lookup: OwnerId, AccountId, WhoId,
    ConvertedContactId, …): cleaned as any text (clean_text: trimmed, empty or a null spelling
    such as `N/A` is NULL), and the empty id of Salesforce's weekly Data Export,
    `000000000000000AAA` (or its 15-character form `000000000000000`), is NULL too: the Data
    Export writes it for a lookup that points to nothing. Case is kept (Salesforce ids are
    case-sensitive). Not for HubSpot ids, where `0` is not special.
#}
{% macro clean_id(column) -%}
    {{ return(adapter.dispatch('clean_id', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__clean_id(column) -%}
    case
        when {{ smarketing.clean_text(column) }} in ('000000000000000', '000000000000000AAA') then null
        else {{ smarketing.clean_text(column) }}
    end
{%- endmacro %}

{% macro duckdb__clean_id(column) -%}
    nullif(regexp_replace({{ smarketing.clean_text(column) }}, '^0{15}(AAA)?$', ''), '')
{%- endmacro %}

{% macro spark__clean_id(column) -%}
    nullif(regexp_replace({{ smarketing.clean_text(column) }}, r'^0{15}(AAA)?$', ''), '')
{%- endmacro %}
