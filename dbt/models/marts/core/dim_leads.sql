with

person_records as (

    select * from {{ ref('int_person_records') }}

),

person_links as (

    select * from {{ source('identity', 'person_links') }}

),

person_phones as (

    select * from {{ source('identity', 'person_phones') }}

),

employee_segments as (

    select * from {{ ref('employee_segments') }}

),

lifecycle_stages as (

    select * from {{ ref('hubspot_lifecycle_stages') }}

),

-- every source record with its unified lead, and what survivorship ranks it by

lead_records as (

    select
        person_links.unified_lead_id,
        person_links.match_rule,
        person_records.record_key,
        person_records.source_system,
        person_records.source_entity,
        person_records.first_name,
        person_records.first_name_key,
        person_records.first_name_tidy,
        person_records.last_name,
        person_records.last_name_key,
        person_records.last_name_tidy,
        person_records.email_normalised,
        person_records.email_is_valid,
        person_records.is_personal_email,
        person_records.email_is_placeholder,
        person_records.email_is_shared,
        person_records.company,
        person_records.company_key,
        person_records.web_domain,
        person_records.web_domain_origin,
        person_records.country_code,
        person_records.number_of_employees,
        person_records.industry,
        person_records.original_source,
        person_records.original_source_detail,
        person_records.channel,
        person_records.original_source_is_sync,
        person_records.owner_id,
        person_records.owner_name,
        person_records.lead_status,
        person_records.lifecycle_stage,
        lifecycle_stages.stage_order as lifecycle_stage_order,
        person_records.score,
        person_records.email_opt_out,
        person_records.is_deleted,
        {{ custom_field_columns('person_records') }}
        person_records.created_at,
        person_records.modified_at,
        person_phones.phone_e164,
        person_phones.mobile_phone_e164,
        person_phones.personal_phone_e164
    from person_records
    inner join person_links
        on person_records.record_key = person_links.record_key
    left join person_phones
        on person_records.record_key = person_phones.record_key
    left join lifecycle_stages
        on person_records.lifecycle_stage = lifecycle_stages.lifecycle_stage

),

-- survivorship: one CTE per attribute, each keeping the first record of its order

first_names as (

    -- the best-written spelling: both cases, then accents, then the most records, then recent
    select unified_lead_id, first_name, first_name_source
    from (
        select
            unified_lead_id,
            case when is_cased = 1 then trim(first_name) else first_name_tidy end as first_name,
            record_key as first_name_source,
            row_number() over (
                partition by unified_lead_id
                order by is_cased desc, has_accents desc, spelling_records desc,
                    modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                unified_lead_id,
                record_key,
                first_name,
                first_name_tidy,
                modified_at,
                {{ smarketing.is_cased('first_name') }} as is_cased,
                {{ smarketing.has_accents('first_name') }} as has_accents,
                count(*) over (partition by unified_lead_id, trim(first_name))
                    as spelling_records
            from lead_records
            where first_name_key is not null
        ) as spellings
    ) as ranked
    where survivor_rank = 1

),

last_names as (

    select unified_lead_id, last_name, last_name_source
    from (
        select
            unified_lead_id,
            case when is_cased = 1 then trim(last_name) else last_name_tidy end as last_name,
            record_key as last_name_source,
            row_number() over (
                partition by unified_lead_id
                order by is_cased desc, has_accents desc, spelling_records desc,
                    modified_at desc, record_key
            ) as survivor_rank
        from (
            select
                unified_lead_id,
                record_key,
                last_name,
                last_name_tidy,
                modified_at,
                {{ smarketing.is_cased('last_name') }} as is_cased,
                {{ smarketing.has_accents('last_name') }} as has_accents,
                count(*) over (partition by unified_lead_id, trim(last_name)) as spelling_records
            from lead_records
            where last_name_key is not null
        ) as spellings
    ) as ranked
    where survivor_rank = 1

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

web_domains as (

    -- a company website, then the domain of a work e-mail; the most recent
    {{ survivor(
        {'web_domain': 'web_domain'},
        source='web_domain_source',
        order_by="case when web_domain_origin = 'website' then 0 else 1 end, modified_at desc",
        where='web_domain is not null'
    ) }}

),

countries as (

    -- the most recent non-empty value
    {{ survivor(
        {'country_code': 'country_code'},
        source='country_source',
        order_by='modified_at desc',
        where='country_code is not null'
    ) }}

),

employee_counts as (

    -- the most recent non-empty value
    {{ survivor(
        {'employee_count': 'number_of_employees'},
        source='employee_count_source',
        order_by='modified_at desc',
        where='number_of_employees is not null'
    ) }}

),

industries as (

    -- the most recent non-empty value
    {{ survivor(
        {'industry': 'industry'},
        source='industry_source',
        order_by='modified_at desc',
        where='industry is not null'
    ) }}

),

origins as (

    -- the record that opened the person's history: the earliest created HubSpot contact or
    -- Salesforce lead (not a contact the CRM sync created), else their Salesforce contact
    {{ survivor(
        {
            'original_source': 'original_source',
            'original_source_detail': 'original_source_detail',
            'channel': 'channel'
        },
        source='origin_source',
        order_by="case
            when original_source_is_sync then 2
            when source_system = 'salesforce' and source_entity = 'contact' then 1
            else 0
        end, created_at asc"
    ) }}

),

owners as (

    -- from the CRM: the owner of the most recent Salesforce record; else HubSpot's owner
    {{ survivor(
        {'owner_id': 'owner_id', 'owner_name': 'owner_name'},
        source='owner_source',
        order_by="case when source_system = 'salesforce' and not is_deleted then 0 else 1 end,
            modified_at desc",
        where='owner_id is not null or owner_name is not null'
    ) }}

),

lead_statuses as (

    -- from the CRM: the status of the most recent Salesforce lead
    {{ survivor(
        {'lead_status': 'lead_status'},
        source='lead_status_source',
        order_by='case when is_deleted then 1 else 0 end, modified_at desc',
        where="source_system = 'salesforce' and source_entity = 'lead'
            and lead_status is not null"
    ) }}

),

lifecycles as (

    -- from marketing automation: the most advanced HubSpot lifecycle stage
    {{ survivor(
        {'lifecycle_stage': 'lifecycle_stage'},
        source='lifecycle_stage_source',
        order_by='lifecycle_stage_order desc, modified_at desc',
        where="source_system = 'hubspot' and lifecycle_stage is not null"
    ) }}

),

scores as (

    -- from marketing automation: the highest HubSpot score; else the latest lead score
    {{ survivor(
        {'score': 'score'},
        source='score_source',
        order_by="case when source_system = 'hubspot' then 0 else 1 end,
            case when source_system = 'hubspot' then score end desc, modified_at desc",
        where='score is not null'
    ) }}

),

consents as (

    -- an opt-out on any record stands; else marketing automation's latest value
    {{ survivor(
        {'email_opt_out': 'email_opt_out'},
        source='email_opt_out_source',
        order_by="case when email_opt_out then 0 else 1 end,
            case when source_system = 'hubspot' then 0 else 1 end, modified_at desc",
        where='email_opt_out is not null'
    ) }}

),

-- custom fields (var custom_fields, from smarketing.yml): one CTE each, custom_field__<name>
{{ custom_field_survivors() }}

leads as (

    select
        unified_lead_id,
        count(*) as source_record_count,
        sum(case when source_system = 'salesforce' and source_entity = 'lead' then 1 else 0 end)
            as salesforce_lead_count,
        sum(case when source_system = 'salesforce' and source_entity = 'contact' then 1 else 0 end)
            as salesforce_contact_count,
        sum(case when source_system = 'hubspot' then 1 else 0 end) as hubspot_contact_count,
        {{ dbt.bool_or("match_rule = 'probabilistic'") }} as has_probabilistic_match,
        min(created_at) as first_created_at,
        max(modified_at) as last_modified_at
    from lead_records
    group by unified_lead_id

),

final as (

    select

        ----------  ids
        leads.unified_lead_id,

        ----------  person
        first_names.first_name,
        last_names.last_name,
        emails.email,
        emails.email_is_valid,
        emails.email_is_personal,
        emails.email_is_placeholder,
        emails.email_is_shared,
        phones.phone,
        phones.phone_is_shared,

        ----------  company
        companies.company,
        web_domains.web_domain,
        countries.country_code,
        employee_counts.employee_count,
        employee_segments.segment,
        industries.industry,

        ----------  marketing and sales
        origins.original_source,
        origins.original_source_detail,
        origins.channel,
        owners.owner_id,
        owners.owner_name,
        lead_statuses.lead_status,
        lifecycles.lifecycle_stage,
        scores.score,
        coalesce(consents.email_opt_out, false) as email_opt_out,

        ----------  custom fields (var custom_fields, from smarketing.yml)
        {{ custom_field_survivor_columns('value') }}

        ----------  where each value came from (the record key of the surviving record)
        first_names.first_name_source,
        last_names.last_name_source,
        emails.email_source,
        phones.phone_source,
        companies.company_source,
        web_domains.web_domain_source,
        countries.country_source,
        employee_counts.employee_count_source,
        industries.industry_source,
        origins.origin_source,
        owners.owner_source,
        lead_statuses.lead_status_source,
        lifecycles.lifecycle_stage_source,
        scores.score_source,
        consents.email_opt_out_source,
        {{ custom_field_survivor_columns('source') }}

        ----------  merged records
        leads.source_record_count,
        leads.salesforce_lead_count,
        leads.salesforce_contact_count,
        leads.hubspot_contact_count,
        leads.has_probabilistic_match,

        ----------  key-field completeness
        first_names.first_name is not null and last_names.last_name is not null as has_name,
        -- a placeholder (`a@a.com`) is not an e-mail filled in
        coalesce(emails.email_is_valid and not emails.email_is_placeholder, false) as has_email,
        phones.phone is not null as has_phone,
        companies.company is not null as has_company,
        countries.country_code is not null as has_country,
        employee_counts.employee_count is not null as has_employee_count,
        (
            first_names.first_name is not null
            and last_names.last_name is not null
            and coalesce(emails.email_is_valid and not emails.email_is_placeholder, false)
            and phones.phone is not null
            and companies.company is not null
            and countries.country_code is not null
            and employee_counts.employee_count is not null
        ) as has_key_fields,

        ----------  timestamps
        leads.first_created_at,
        leads.last_modified_at

    from leads
    left join first_names on leads.unified_lead_id = first_names.unified_lead_id
    left join last_names on leads.unified_lead_id = last_names.unified_lead_id
    left join emails on leads.unified_lead_id = emails.unified_lead_id
    left join phones on leads.unified_lead_id = phones.unified_lead_id
    left join companies on leads.unified_lead_id = companies.unified_lead_id
    left join web_domains on leads.unified_lead_id = web_domains.unified_lead_id
    left join countries on leads.unified_lead_id = countries.unified_lead_id
    left join employee_counts on leads.unified_lead_id = employee_counts.unified_lead_id
    left join employee_segments
        on employee_counts.employee_count >= employee_segments.min_employees
        and (
            employee_segments.max_employees is null
            or employee_counts.employee_count <= employee_segments.max_employees
        )
    left join industries on leads.unified_lead_id = industries.unified_lead_id
    left join origins on leads.unified_lead_id = origins.unified_lead_id
    left join owners on leads.unified_lead_id = owners.unified_lead_id
    left join lead_statuses on leads.unified_lead_id = lead_statuses.unified_lead_id
    left join lifecycles on leads.unified_lead_id = lifecycles.unified_lead_id
    left join scores on leads.unified_lead_id = scores.unified_lead_id
    left join consents on leads.unified_lead_id = consents.unified_lead_id
    {{ custom_field_survivor_joins('leads') }}

)

select * from final
