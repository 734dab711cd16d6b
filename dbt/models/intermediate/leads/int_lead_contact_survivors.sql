{{ config(
    materialized=smarketing.merge_materialization(),
    unique_key='unified_lead_id',
    incremental_strategy='delete+insert',
    post_hook="{{ drop_vanished_persons() }}"
) }}

with

fingerprints as (

    select * from {{ ref('int_lead_fingerprints') }}

),

-- a daily run rebuilds the persons whose records changed (macros/person_incremental.sql)
lead_records as (

    select * from {{ ref('int_lead_records') }}
    {{ changed_persons_only('fingerprints') }}

),

-- survivorship: one CTE per attribute, each keeping the first record of its order

first_names as (

    -- the best-written spelling: both cases, then accents, then the most records, then recent
    {{ name_survivor('first_name') }}

),

last_names as (

    {{ name_survivor('last_name') }}

),

emails as (

    -- a well-formed address of this person alone (work, then personal), then one shared with
    -- other people (`contact@`), then a malformed one, then a placeholder (`a@a.com`, `N/A`);
    -- the most records, then recent
    select
        unified_lead_id,
        email,
        email_is_valid,
        email_is_personal,
        email_is_placeholder,
        email_is_shared,
        email_source
    from (
        select
            unified_lead_id,
            email_normalised as email,
            email_is_valid,
            is_personal_email as email_is_personal,
            email_is_placeholder,
            email_is_shared,
            record_key as email_source,
            row_number() over (
                partition by unified_lead_id
                order by
                    case
                        when email_is_placeholder then 2
                        when email_is_valid then 0
                        else 1
                    end,
                    case when email_is_shared then 1 else 0 end,
                    case when is_personal_email then 1 else 0 end,
                    address_records desc, modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                unified_lead_id,
                record_key,
                email_normalised,
                email_is_valid,
                is_personal_email,
                email_is_placeholder,
                email_is_shared,
                modified_at,
                count(*) over (partition by unified_lead_id, email_normalised) as address_records
            from lead_records
            where email_normalised is not null
        ) as addresses
    ) as ranked
    where survivor_rank = 1

),

phones as (

    -- a number of this person alone (mobile first), then a shared line (a switchboard)
    select unified_lead_id, phone, phone_is_shared, phone_source
    from (
        select
            unified_lead_id,
            coalesce(personal_phone_e164, mobile_phone_e164, phone_e164) as phone,
            personal_phone_e164 is null as phone_is_shared,
            record_key as phone_source,
            row_number() over (
                partition by unified_lead_id
                order by
                    case when personal_phone_e164 is not null then 0 else 1 end,
                    number_records desc, modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                unified_lead_id,
                record_key,
                phone_e164,
                mobile_phone_e164,
                personal_phone_e164,
                modified_at,
                count(*) over (partition by unified_lead_id, personal_phone_e164)
                    as number_records
            from lead_records
            where coalesce(personal_phone_e164, mobile_phone_e164, phone_e164) is not null
        ) as numbers
    ) as ranked
    where survivor_rank = 1

),

current_companies as (

    -- the company of the most recent record that names one (people change jobs)
    {{ survivor(
        {'company_key': 'company_key'},
        order_by='modified_at desc',
        where='company_key is not null'
    ) }}

),

companies as (

    -- its best spelling: both cases, the most records, the most complete (legal form kept)
    select unified_lead_id, company, company_source
    from (
        select
            unified_lead_id,
            company,
            record_key as company_source,
            row_number() over (
                partition by unified_lead_id
                order by is_cased desc, spelling_records desc,
                    {{ dbt.length('company') }} desc, modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                lead_records.unified_lead_id,
                lead_records.record_key,
                trim(lead_records.company) as company,
                lead_records.modified_at,
                {{ smarketing.is_cased('lead_records.company') }} as is_cased,
                count(*) over (
                    partition by lead_records.unified_lead_id, trim(lead_records.company)
                ) as spelling_records
            from lead_records
            inner join current_companies
                on lead_records.unified_lead_id = current_companies.unified_lead_id
                and lead_records.company_key = current_companies.company_key
        ) as spellings
    ) as ranked
    where survivor_rank = 1

),

leads as (

    select distinct unified_lead_id from lead_records

),

final as (

    select
        leads.unified_lead_id,
        first_names.first_name,
        first_names.first_name_source,
        last_names.last_name,
        last_names.last_name_source,
        emails.email,
        emails.email_is_valid,
        emails.email_is_personal,
        emails.email_is_placeholder,
        emails.email_is_shared,
        emails.email_source,
        phones.phone,
        phones.phone_is_shared,
        phones.phone_source,
        companies.company,
        companies.company_source,
        fingerprints.records_fingerprint
    from leads
    left join first_names on leads.unified_lead_id = first_names.unified_lead_id
    left join last_names on leads.unified_lead_id = last_names.unified_lead_id
    left join emails on leads.unified_lead_id = emails.unified_lead_id
    left join phones on leads.unified_lead_id = phones.unified_lead_id
    left join companies on leads.unified_lead_id = companies.unified_lead_id
    left join fingerprints on leads.unified_lead_id = fingerprints.unified_lead_id

)

select * from final
