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
        leads.unified_lead_id,
        web_domains.web_domain,
        web_domains.web_domain_source,
        countries.country_code,
        countries.country_source,
        employee_counts.employee_count,
        employee_counts.employee_count_source,
        industries.industry,
        industries.industry_source,
        origins.original_source,
        origins.original_source_detail,
        origins.channel,
        origins.origin_source,
        owners.owner_id,
        owners.owner_name,
        owners.owner_source,
        lead_statuses.lead_status,
        lead_statuses.lead_status_source,
        lifecycles.lifecycle_stage,
        lifecycles.lifecycle_stage_source,
        scores.score,
        scores.score_source,
        consents.email_opt_out,
        consents.email_opt_out_source,
        ----------  custom fields (var custom_fields, from smarketing.yml): value, then source
        {{ custom_field_survivor_columns('value') }}
        {{ custom_field_survivor_columns('source') }}
        leads.source_record_count,
        leads.salesforce_lead_count,
        leads.salesforce_contact_count,
        leads.hubspot_contact_count,
        leads.has_probabilistic_match,
        leads.first_created_at,
        leads.last_modified_at,
        fingerprints.records_fingerprint
    from leads
    left join web_domains on leads.unified_lead_id = web_domains.unified_lead_id
    left join countries on leads.unified_lead_id = countries.unified_lead_id
    left join employee_counts on leads.unified_lead_id = employee_counts.unified_lead_id
    left join industries on leads.unified_lead_id = industries.unified_lead_id
    left join origins on leads.unified_lead_id = origins.unified_lead_id
    left join owners on leads.unified_lead_id = owners.unified_lead_id
    left join lead_statuses on leads.unified_lead_id = lead_statuses.unified_lead_id
    left join lifecycles on leads.unified_lead_id = lifecycles.unified_lead_id
    left join scores on leads.unified_lead_id = scores.unified_lead_id
    left join consents on leads.unified_lead_id = consents.unified_lead_id
    {{ custom_field_survivor_joins('leads') }}
    left join fingerprints on leads.unified_lead_id = fingerprints.unified_lead_id

)

select * from final
