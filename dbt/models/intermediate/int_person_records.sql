{#- Every person record of every tool (Salesforce leads and contacts, HubSpot contacts, the
    mapped exports) in one shape, with the keys the identity resolution and survivorship read.
    Incremental: a daily run derives again the records delivered since the last build (theirs,
    their account's or their owner's delivery: `_loaded_at`) and every record of an address
    they held or hold, whose `email_is_shared` they may change; merged on `record_key`. Records
    never leave raw but by an erasure, which rebuilds everything (smarketing/build_state.py). -#}
{{ config(
    materialized=smarketing.merge_materialization(),
    unique_key='record_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail'
) }}
{%- set record_key = dbt.concat(["source_system", "':'", "source_entity", "':'", "source_record_id"]) %}
{%- set email_normalised = "nullif(" ~ fold_text('email') ~ ", '')" %}

with

salesforce_leads as (

    select * from {{ ref('stg_salesforce__lead') }}

),

salesforce_contacts as (

    select * from {{ ref('stg_salesforce__contact') }}

),

salesforce_accounts as (

    select * from {{ ref('stg_salesforce__account') }}

),

salesforce_users as (

    select * from {{ ref('stg_salesforce__user') }}

),

hubspot_contacts as (

    select * from {{ ref('stg_hubspot__contact') }}

),

mapped_persons as (

    select * from {{ ref('stg_mapped__persons') }}

),

country_spellings as (

    select * from {{ ref('country_spellings') }}

),

free_email_domains as (

    select * from {{ ref('free_email_domains') }}

),

placeholder_contact_values as (

    select * from {{ ref('placeholder_contact_values') }}

),

legal_suffixes as (

    select distinct {{ company_tokens('suffix') }} as suffix_tokens
    from {{ ref('company_legal_suffixes') }}

),

lead_source_channels as (

    select * from {{ source('config', 'lead_source_channels') }}

),

-- one shape for the three person-like exports

leads as (

    select
        'salesforce' as source_system,
        'lead' as source_entity,
        salesforce_leads.lead_id as source_record_id,
        salesforce_leads.master_record_id,
        salesforce_leads.converted_contact_id as linked_salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_salesforce_lead_id,
        salesforce_leads.hubspot_contact_id as linked_hubspot_contact_id,
        salesforce_leads.converted_account_id as salesforce_account_id,
        salesforce_leads.owner_id,
        salesforce_users.full_name as owner_name,
        salesforce_leads.first_name,
        salesforce_leads.last_name,
        salesforce_leads.title as job_title,
        salesforce_leads.email,
        salesforce_leads.phone,
        salesforce_leads.mobile_phone,
        salesforce_leads.company,
        salesforce_leads.website,
        salesforce_leads.country,
        salesforce_leads.number_of_employees,
        salesforce_leads.industry,
        salesforce_leads.lead_source as original_source,
        cast(null as {{ dbt.type_string() }}) as original_source_detail,
        salesforce_leads.status as lead_status,
        cast(null as {{ dbt.type_string() }}) as lifecycle_stage,
        salesforce_leads.lead_score as score,
        salesforce_leads.has_opted_out_of_email as email_opt_out,
        salesforce_leads.is_converted,
        salesforce_leads.is_deleted,
        cast(null as {{ dbt.type_string() }}) as mapped_channel,
        {{ custom_field_record_columns('salesforce_leads', 'salesforce_lead') }}
        salesforce_leads.created_date as created_at,
        coalesce(salesforce_leads.last_modified_date, salesforce_leads.created_date) as modified_at,
        -- the newest delivery the row is made of
        greatest(
            salesforce_leads._loaded_at,
            coalesce(salesforce_users._loaded_at, salesforce_leads._loaded_at)
        ) as _loaded_at
    from salesforce_leads
    left join salesforce_users
        on salesforce_leads.owner_id = salesforce_users.user_id

),

contacts as (

    select
        'salesforce' as source_system,
        'contact' as source_entity,
        salesforce_contacts.contact_id as source_record_id,
        salesforce_contacts.master_record_id,
        cast(null as {{ dbt.type_string() }}) as linked_salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_hubspot_contact_id,
        salesforce_contacts.account_id as salesforce_account_id,
        salesforce_contacts.owner_id,
        salesforce_users.full_name as owner_name,
        salesforce_contacts.first_name,
        salesforce_contacts.last_name,
        salesforce_contacts.title as job_title,
        salesforce_contacts.email,
        salesforce_contacts.phone,
        salesforce_contacts.mobile_phone,
        salesforce_accounts.account_name as company,
        salesforce_accounts.website,
        coalesce(salesforce_contacts.mailing_country, salesforce_accounts.billing_country) as country,
        salesforce_accounts.number_of_employees,
        salesforce_accounts.industry,
        salesforce_contacts.lead_source as original_source,
        cast(null as {{ dbt.type_string() }}) as original_source_detail,
        cast(null as {{ dbt.type_string() }}) as lead_status,
        cast(null as {{ dbt.type_string() }}) as lifecycle_stage,
        cast(null as double) as score,
        salesforce_contacts.has_opted_out_of_email as email_opt_out,
        cast(null as boolean) as is_converted,
        salesforce_contacts.is_deleted,
        cast(null as {{ dbt.type_string() }}) as mapped_channel,
        {{ custom_field_record_columns('salesforce_contacts', 'salesforce_contact') }}
        salesforce_contacts.created_date as created_at,
        coalesce(salesforce_contacts.last_modified_date, salesforce_contacts.created_date) as modified_at,
        greatest(
            salesforce_contacts._loaded_at,
            coalesce(salesforce_accounts._loaded_at, salesforce_contacts._loaded_at),
            coalesce(salesforce_users._loaded_at, salesforce_contacts._loaded_at)
        ) as _loaded_at
    from salesforce_contacts
    left join salesforce_accounts
        on salesforce_contacts.account_id = salesforce_accounts.account_id
    left join salesforce_users
        on salesforce_contacts.owner_id = salesforce_users.user_id

),

hubspot as (

    select
        'hubspot' as source_system,
        'contact' as source_entity,
        contact_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as master_record_id,
        salesforce_contact_id as linked_salesforce_contact_id,
        salesforce_lead_id as linked_salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_hubspot_contact_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        contact_owner as owner_name,
        first_name,
        last_name,
        job_title,
        email,
        phone_number as phone,
        mobile_phone_number as mobile_phone,
        company_name as company,
        website_url as website,
        country,
        {{ parse_employee_count('number_of_employees') }} as number_of_employees,
        industry,
        original_source,
        original_source_drill_down_1 as original_source_detail,
        lead_status,
        lifecycle_stage,
        hubspot_score as score,
        unsubscribed_from_all_email as email_opt_out,
        cast(null as boolean) as is_converted,
        false as is_deleted,
        cast(null as {{ dbt.type_string() }}) as mapped_channel,
        {{ custom_field_record_columns('hubspot_contacts', 'hubspot_contact') }}
        create_date as created_at,
        coalesce(last_modified_date, create_date) as modified_at,
        _loaded_at
    from hubspot_contacts

),

-- the exports of the mapping files (mappings/*.yml): a full name alone is split at its first
-- space, as the identity keys compare first and last names

mapped as (

    select
        source_system,
        source_entity,
        record_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as master_record_id,
        cast(null as {{ dbt.type_string() }}) as linked_salesforce_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_salesforce_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_hubspot_contact_id,
        cast(null as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        owner as owner_name,
        coalesce(
            first_name,
            case when last_name is null and full_name like '% %'
                then {{ dbt.split_part('full_name', "' '", 1) }}
            end
        ) as first_name,
        coalesce(
            last_name,
            case
                when first_name is not null then null
                when full_name like '% %'
                    then trim(substr(full_name, {{ dbt.position("' '", 'full_name') }} + 1))
                else full_name
            end
        ) as last_name,
        job_title,
        email,
        phone,
        mobile_phone,
        company,
        website,
        country,
        employees as number_of_employees,
        industry,
        lead_source as original_source,
        cast(null as {{ dbt.type_string() }}) as original_source_detail,
        status as lead_status,
        cast(null as {{ dbt.type_string() }}) as lifecycle_stage,
        score,
        opted_out as email_opt_out,
        cast(null as boolean) as is_converted,
        coalesce(is_deleted, false) as is_deleted,
        channel as mapped_channel,
        {{ custom_field_record_columns('mapped_persons', 'mapped') }}
        created_at,
        coalesce(updated_at, created_at) as modified_at,
        _loaded_at
    from mapped_persons

),

every_record as (

    select * from leads
    union all
    select * from contacts
    union all
    select * from hubspot
    union all
    select * from mapped

),
{%- if is_incremental() %}

-- a daily run: the records delivered since the last build, and every record of the addresses
-- they held (as built) or hold (as delivered), so that each address read has all its holders

delivered as (

    select {{ record_key }} as record_key, {{ email_normalised }} as email_normalised
    from every_record
    where {{ delivered_since_built() }}

),

reopened_emails as (

    select email_normalised from delivered where email_normalised is not null
    union
    select built.email_normalised
    from {{ this }} as built
    inner join delivered on built.record_key = delivered.record_key
    where built.email_normalised is not null

),

reopened as (

    select record_key from delivered
    union
    select built.record_key
    from {{ this }} as built
    inner join reopened_emails on built.email_normalised = reopened_emails.email_normalised

),
{%- endif %}

unioned as (

    select * from every_record
    {%- if is_incremental() %}
    where {{ record_key }} in (select record_key from reopened)
    {%- endif %}

),

normalised as (

    select
        unioned.*,
        {{ record_key }} as record_key,
        {{ email_normalised }} as email_normalised,
        {{ match_key('first_name') }} as first_name_key,
        {{ match_key('last_name') }} as last_name_key,
        {{ match_key('job_title') }} as job_title_key,
        {{ company_tokens('company') }} as company_tokens,
        {{ match_key('country') }} as country_key,
        {{ url_host('website') }} as website_domain
    from unioned

),

-- read by every check below: computed once, not once per reader
with_email as {{ materialized_cte() }} (

    select
        normalised.*,
        coalesce({{ is_valid_email('email_normalised') }}, false) as email_is_valid,
        case
            when email_normalised like '%@%'
                then {{ dbt.split_part('email_normalised', "'@'", 1) }}
        end as email_local_part,
        case
            when email_normalised like '%@%'
                then {{ dbt.split_part('email_normalised', "'@'", 2) }}
        end as email_domain,
        case
            when first_name_key is not null and last_name_key is not null
                then {{ dbt.concat(["first_name_key", "' '", "last_name_key"]) }}
        end as full_name_key
    from normalised

),

placeholder_local_parts as (

    -- compared without dots, hyphens and underscores: `no-reply`, `no_reply`, `noreply`
    select distinct
        replace(replace(replace(value, '.', ''), '-', ''), '_', '') as local_part_key
    from placeholder_contact_values
    where kind = 'email_local_part'

),

email_placeholders as (

    -- placeholders of the seed: the whole value (`a@a.com`, `n/a`), the local part, the
    -- domain, or its top-level domain (`.test`, `.invalid`); one equi-join each, so that the
    -- check stays a hash join however long the seed grows
    select with_email.record_key
    from with_email
    inner join placeholder_contact_values
        on placeholder_contact_values.kind = 'email'
        and with_email.email_normalised = placeholder_contact_values.value

    union

    select with_email.record_key
    from with_email
    inner join placeholder_local_parts
        on replace(replace(replace(with_email.email_local_part, '.', ''), '-', ''), '_', '')
            = placeholder_local_parts.local_part_key

    union

    select with_email.record_key
    from with_email
    inner join placeholder_contact_values
        on placeholder_contact_values.kind = 'email_domain'
        and with_email.email_domain = placeholder_contact_values.value

    union

    select with_email.record_key
    from with_email
    inner join placeholder_contact_values
        on placeholder_contact_values.kind = 'email_top_level_domain'
        and {{ dbt.split_part('with_email.email_domain', "'.'", -1) }}
            = placeholder_contact_values.value

),

shared_emails as (

    -- an address several people gave (told apart by full name, as the phone rule does; a
    -- record without one says nothing) is a role or made-up address, not one person's
    select email_normalised
    from with_email
    where email_normalised is not null
        and full_name_key is not null
    group by email_normalised
    having count(distinct full_name_key) > 1

),

company_name_ends as (

    -- first and last word of names of two words or more (a legal form is never the whole name)
    select
        record_key,
        company_tokens,
        {{ dbt.split_part('company_tokens', "' '", 1) }} as first_token,
        {{ dbt.split_part('company_tokens', "' '", -1) }} as last_token
    from with_email
    where company_tokens like '% %'

),

legal_form_ends as (

    select
        suffix_tokens,
        {{ dbt.split_part('suffix_tokens', "' '", 1) }} as first_token,
        {{ dbt.split_part('suffix_tokens', "' '", -1) }} as last_token
    from legal_suffixes

),

legal_form_matches as (

    -- a legal form the name ends with (`riou sas` ends with `sas`; the dots of `S.A.S.` are
    -- gone already) or starts with (`sarl dupont`); found by the word at that end first, so
    -- that each name is compared with the few forms ending (starting) with its word
    select
        company_name_ends.record_key,
        {{ dbt.length('legal_form_ends.suffix_tokens') }} + 1 as trailing_length,
        0 as leading_length
    from company_name_ends
    inner join legal_form_ends
        on company_name_ends.last_token = legal_form_ends.last_token
        and company_name_ends.company_tokens
            like {{ dbt.concat(["'% '", "legal_form_ends.suffix_tokens"]) }}

    union all

    select
        company_name_ends.record_key,
        0 as trailing_length,
        {{ dbt.length('legal_form_ends.suffix_tokens') }} + 1 as leading_length
    from company_name_ends
    inner join legal_form_ends
        on company_name_ends.first_token = legal_form_ends.first_token
        and company_name_ends.company_tokens
            like {{ dbt.concat(["legal_form_ends.suffix_tokens", "' %'"]) }}

),

company_legal_forms as (

    -- the longest legal form at each end
    select
        record_key,
        max(trailing_length) as trailing_length,
        max(leading_length) as leading_length
    from legal_form_matches
    group by record_key

),

companies as (

    -- the name without its legal form, then without spaces (`Turpin & Le Roux SARL` ->
    -- `turpinleroux`); a name that is nothing but a legal form keeps it
    select
        with_email.record_key,
        replace(
            case
                when {{ dbt.length('with_email.company_tokens') }}
                    - company_legal_forms.leading_length
                    - company_legal_forms.trailing_length > 0
                    then substr(
                        with_email.company_tokens,
                        1 + company_legal_forms.leading_length,
                        {{ dbt.length('with_email.company_tokens') }}
                        - company_legal_forms.leading_length
                        - company_legal_forms.trailing_length
                    )
                else with_email.company_tokens
            end,
            ' ',
            ''
        ) as company_key
    from with_email
    inner join company_legal_forms
        on with_email.record_key = company_legal_forms.record_key

),

first_names_tidy as (

    -- tidied once per spelling (a few thousand), not once per record
    select distinct
        first_name,
        {{ tidy_case('first_name') }} as first_name_tidy
    from with_email
    where first_name_key is not null

),

last_names_tidy as (

    select distinct
        last_name,
        {{ tidy_case('last_name') }} as last_name_tidy
    from with_email
    where last_name_key is not null

),

source_channels as (

    -- a rule for the exact drill-down wins over the rule for any drill-down (`*`)
    select
        with_email.record_key,
        lead_source_channels.channel,
        row_number() over (
            partition by with_email.record_key
            order by case when lead_source_channels.drill_down_1 = '*' then 1 else 0 end
        ) as rule_rank
    from with_email
    inner join lead_source_channels
        on with_email.source_system = lead_source_channels.source_system
        and with_email.original_source = lead_source_channels.source_value
        and (
            lead_source_channels.drill_down_1 = '*'
            or lead_source_channels.drill_down_1 = with_email.original_source_detail
        )

),

final as (

    select

        ----------  ids
        with_email.record_key,
        with_email.source_system,
        with_email.source_entity,
        with_email.source_record_id,
        with_email.master_record_id,
        with_email.linked_salesforce_lead_id,
        with_email.linked_salesforce_contact_id,
        with_email.linked_hubspot_contact_id,
        with_email.salesforce_account_id,
        with_email.owner_id,

        ----------  names
        with_email.first_name,
        with_email.last_name,
        with_email.first_name_key,
        with_email.last_name_key,
        case
            when with_email.first_name_key is not null then first_names_tidy.first_name_tidy
        end as first_name_tidy,
        case
            when with_email.last_name_key is not null then last_names_tidy.last_name_tidy
        end as last_name_tidy,
        with_email.job_title,
        with_email.job_title_key,

        ----------  e-mail
        with_email.email,
        with_email.email_normalised,
        with_email.email_is_valid,
        with_email.email_local_part,
        with_email.email_domain,
        free_email_domains.domain is not null as is_personal_email,
        email_placeholders.record_key is not null as email_is_placeholder,
        shared_emails.email_normalised is not null as email_is_shared,

        ----------  phone (E.164 is computed by the identity resolution, in Python)
        with_email.phone,
        with_email.mobile_phone,

        ----------  company
        with_email.company,
        with_email.company_tokens,
        coalesce(companies.company_key, replace(with_email.company_tokens, ' ', '')) as company_key,
        with_email.website,
        -- a made-up address (`x@test.com`) says nothing of the company
        case
            when with_email.website_domain is not null then with_email.website_domain
            when with_email.email_is_valid and free_email_domains.domain is null
                and email_placeholders.record_key is null
                then with_email.email_domain
        end as web_domain,
        case
            when with_email.website_domain is not null then 'website'
            when with_email.email_is_valid and free_email_domains.domain is null
                and email_placeholders.record_key is null
                then 'email'
        end as web_domain_origin,
        with_email.country,
        country_spellings.country_code,
        with_email.number_of_employees,
        with_email.industry,

        ----------  marketing and sales
        with_email.original_source,
        with_email.original_source_detail,
        coalesce(source_channels.channel, with_email.mapped_channel) as channel,
        coalesce(source_channels.record_key is not null and source_channels.channel is null, false)
            as original_source_is_sync,
        with_email.owner_name,
        with_email.lead_status,
        with_email.lifecycle_stage,
        with_email.score,
        with_email.email_opt_out,
        with_email.is_converted,
        with_email.is_deleted,

        ----------  custom fields (var custom_fields, from smarketing.yml)
        {{ custom_field_columns('with_email') }}

        ----------  timestamps
        with_email.created_at,
        with_email.modified_at,

        ----------  lineage
        with_email._loaded_at

    from with_email
    left join free_email_domains
        on with_email.email_domain = free_email_domains.domain
    left join email_placeholders
        on with_email.record_key = email_placeholders.record_key
    left join shared_emails
        on with_email.email_normalised = shared_emails.email_normalised
    left join companies
        on with_email.record_key = companies.record_key
    left join first_names_tidy
        on with_email.first_name = first_names_tidy.first_name
    left join last_names_tidy
        on with_email.last_name = last_names_tidy.last_name
    left join country_spellings
        on with_email.country_key = country_spellings.spelling_key
    left join source_channels
        on with_email.record_key = source_channels.record_key
        and source_channels.rule_rank = 1

)

select * from final
