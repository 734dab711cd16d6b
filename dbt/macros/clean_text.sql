{#
    Text as an analyst expects it: surrounding white space removed (including the no-break
    spaces of French exports), and an empty cell or a null spelling turned into NULL. NULL (a
    column the delivered file did not have) stays NULL.

    Null spellings (null_spellings(), any case, surrounding spaces ignored): `null` (HubSpot),
    `N/A` and `n.a.` (`n.a`) (Salesforce report exports, spreadsheets), `-` and `--` (report
    exports). Every parse_* macro and clean_id read them as NULL too.
#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text', 'smarketing')(column)) }}
{%- endmacro %}

{% macro default__clean_text(column) -%}
    case
        when lower(trim({{ column }})) in ('', {{ smarketing.null_spellings_sql() }}) then null
        else trim({{ column }})
    end
{%- endmacro %}

{% macro duckdb__clean_text(column) -%}
    {%- set blank -%} [\s\x{00A0}\x{202F}\x{FEFF}] {%- endset -%}
    nullif(regexp_replace({{ column }}, '^{{ blank }}*(?i:{{ smarketing.null_spellings_pattern() }}){{ blank }}*$|^{{ blank }}+|{{ blank }}+$', '', 'g'), '')
{%- endmacro %}

{% macro spark__clean_text(column) -%}
    {%- set blank -%} [\s\x{00A0}\x{202F}\x{FEFF}] {%- endset -%}
    nullif(regexp_replace({{ column }}, r'^{{ blank }}*(?i:{{ smarketing.null_spellings_pattern() }}){{ blank }}*$|^{{ blank }}+|{{ blank }}+$', ''), '')
{%- endmacro %}

{#- The spellings of an empty value, lower case (clean_text compares them case-insensitively). -#}
{% macro null_spellings() -%}
    {{ return(['null', 'n/a', 'n.a.', 'n.a', '-', '--']) }}
{%- endmacro %}

{#- null_spellings() as SQL string literals separated by commas (for an `in (...)` list). -#}
{% macro null_spellings_sql() -%}
    {%- for spelling in smarketing.null_spellings() -%}
        '{{ spelling }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- null_spellings() as a regular-expression alternation (no anchors, no group). -#}
{% macro null_spellings_pattern() -%}
    {%- set patterns = [] -%}
    {%- for spelling in smarketing.null_spellings() -%}
        {%- do patterns.append(modules.re.escape(spelling)) -%}
    {%- endfor -%}
    {{ return(patterns | join('|')) }}
{%- endmacro %}
