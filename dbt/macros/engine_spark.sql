{#
    What the Spark versions of the engine macros share (the `spark__` macros beside each
    `duckdb__` one). They read the session as the profile sets it (profiles.yml, output
    `spark`): instants in UTC (`spark.sql.session.timeZone`), datetimes parsed by Spark 3's
    rules (`spark.sql.legacy.timeParserPolicy=CORRECTED`). Regular expressions are written as
    raw literals (r'...'): Spark would otherwise read `\s` in a string literal as `s`.
#}

{#- BODY with NAME bound to the value of EXPRESSION, computed once (Spark SQL has no `let`) -#}
{% macro spark_let(expression, name, body) -%}
    transform(array({{ expression }}), {{ name }} -> {{ body }})[0]
{%- endmacro %}

{#- The first of FORMATS (Spark datetime patterns) that reads VALUE, as a wall-clock
    timestamp; NULL when none does -#}
{% macro spark_parse_formats(value, formats) -%}
    coalesce(
        {%- for format in formats %}
        try_to_timestamp({{ value }}, {{ smarketing._sql_text(format) }}){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- NAIVE (a wall-clock timestamp of TIME_ZONE, read in the session's UTC) as the instant it is,
    by DuckDB's rules for the hours daylight saving time skips and repeats: a skipped time
    moves forward by the gap (as to_utc_timestamp does), a repeated one is its second
    occurrence, standard time (to_utc_timestamp takes the first): the offset in force 12 hours
    later, when it gives back the same wall-clock time -#}
{% macro spark_instant(naive, time_zone) -%}
    {%- set zone = smarketing._sql_text(time_zone) -%}
    {%- set body -%}
        {%- set first = "to_utc_timestamp(wall, " ~ zone ~ ")" -%}
        {%- set later -%}
            wall - (from_utc_timestamp({{ first }} + interval 12 hours, {{ zone }})
                - ({{ first }} + interval 12 hours))
        {%- endset -%}
        case
            when from_utc_timestamp({{ later }}, {{ zone }}) = wall then {{ later }}
            else {{ first }}
        end
    {%- endset -%}
    {{ smarketing.spark_let(naive, 'wall', body) }}
{%- endmacro %}

{#- A 2-digit year as DuckDB's %y reads it: 69-99 are 1969-1999 (Spark's `yy` reads 2069-2099) -#}
{% macro spark_century(ts) -%}
    {{ smarketing.spark_let(ts, 'parsed', "case when year(parsed) >= 2069 then parsed - interval 100 years else parsed end") }}
{%- endmacro %}

{#- FORMAT (strftime directives, as the mapping files write them) as a Spark datetime pattern:
    runs of letters between directives quoted, quotes doubled. A number is one or two digits
    (`M`, `d`: DuckDB's %m and %d read `3` too), two when it touches another directive
    (`%Y%m%d`); a directive Spark has no pattern for is an error naming it. -#}
{% macro spark_datetime_pattern(format) -%}
    {%- set directives = {
        'Y': 'yyyy', 'y': 'yy', 'm': 'M', 'd': 'd', 'e': 'd', 'H': 'H', 'I': 'h', 'M': 'mm',
        'S': 'ss', 'f': 'SSSSSS', 'p': 'a', 'b': 'MMM', 'B': 'MMMM', 'j': 'D'
    } -%}
    {#- FORMAT as tokens: ('directive', letter) or ('text', characters) -#}
    {%- set tokens = [] -%}
    {%- for match in modules.re.findall('%-?(.)|([^%]+)', format) -%}
        {%- if match[0] -%}
            {%- do tokens.append(('directive', match[0])) -%}
        {%- else -%}
            {%- do tokens.append(('text', match[1])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for kind, value in tokens -%}
        {%- if kind == 'text' -%}
            {%- for run in modules.re.findall("[A-Za-z']+|[^A-Za-z']+", value) -%}
                {%- do parts.append(
                    "'" ~ run | replace("'", "''") ~ "'" if modules.re.match("[A-Za-z']", run) else run
                ) -%}
            {%- endfor -%}
        {%- elif value == '%' -%}
            {%- do parts.append('%') -%}
        {%- elif value in directives -%}
            {%- set touching = (not loop.first and loop.previtem[0] == 'directive')
                or (not loop.last and loop.nextitem[0] == 'directive') -%}
            {%- set pattern = directives[value] -%}
            {%- do parts.append(pattern * 2 if touching and pattern in ('M', 'd', 'H', 'h') else pattern) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "the date format " ~ format ~ " uses %" ~ value ~ ", which Spark cannot read"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(parts | join('')) }}
{%- endmacro %}

{#- The lower-case letters DuckDB's strip_accents changes (Latin-1, Latin Extended-A and -B,
    Latin Extended Additional), and what it makes of each: Spark has no Unicode normalisation,
    so its fold is a translate() over them (tests/test_engine_macros.py compares the two) -#}
{% macro spark_accented_letters() -%}
    {{ return((
        'àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžơưǎǐǒǔǖǘǚǜǟǡǣǧǩǫǭǯǰǵǹǻǽǿȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿẁẃẅẇẉẋẍẏẑẓẕẖẗẘẙẛạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ',
        'aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzouaiouuuuuaaægkooʒjgnaæøaaeeiioorruusthaeooooyabbbcdddddeeeeefghhhhhiikkkllllmmmnnnnoooopprrrrsssssttttuuuuuvvwwwwwxxyzzzhtwyſaaaaaaaaaaaaeeeeeeeeiioooooooooooouuuuuuuyyyy'
    )) }}
{%- endmacro %}

{#- TEXT (lower case) without the accents DuckDB's strip_accents removes -#}
{% macro spark_strip_accents(text) -%}
    {%- set letters = smarketing.spark_accented_letters() -%}
    translate({{ text }}, '{{ letters[0] }}', '{{ letters[1] }}')
{%- endmacro %}
