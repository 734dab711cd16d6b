{#- Every marketing touch of a person record, of every tool, with the campaign it belongs to:
    Salesforce campaign memberships (a lead's or a contact's), HubSpot marketing events (form
    submissions, e-mail clicks… that name a campaign), and the marketing events of the mapped
    exports. A campaign is known by its Salesforce id, else matched by name to a Salesforce
    campaign (its offer comes with it), else only by the name the event writes.
    Incremental: a daily run derives the events delivered since the last build, and every event
    when a campaign changed (macros/event_incremental.sql). -#}
{{ config(
    materialized=smarketing.merge_materialization(),
    unique_key='event_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{{ reopen_marketing_events() }}"
) }}

with

campaign_members as (

    select * from {{ ref('stg_salesforce__campaign_member') }}

),

hubspot_events as (

    select * from {{ ref('stg_hubspot__marketing_event') }}

),

mapped_events as (

    select * from {{ ref('stg_mapped__marketing_events') }}

),

person_records as (

    select * from {{ ref('int_person_records') }}

),

-- an event that names no person id but an e-mail: the person of that e-mail in the same tool
-- (the first record, when several share it)

mapped_by_email as (

    select
        mapped_events.source_system,
        mapped_events.record_id,
        min(person_records.source_record_id) as person_record_id
    from mapped_events
    inner join person_records
        on mapped_events.source_system = person_records.source_system
        and nullif({{ fold_text('mapped_events.email') }}, '') = person_records.email_normalised
    where mapped_events.person_record_id is null
    group by mapped_events.source_system, mapped_events.record_id

),

campaigns as (

    select * from {{ ref('stg_salesforce__campaign') }}

),

-- a name two campaigns share matches the first one

campaigns_by_name as (

    select campaign_name, min(campaign_id) as campaign_id
    from campaigns
    group by campaign_name

),

events as (

    select
        'salesforce' as source_system,
        campaign_member_id as event_id,
        coalesce(lead_id, contact_id) as person_record_id,
        case when lead_id is not null then 'lead' else 'contact' end as person_entity,
        'campaign member' as event_type,
        created_date as occurred_at,
        campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        _loaded_at
    from campaign_members
    where not is_deleted
        and ({{ delivered_since_built() }} or {{ campaigns_changed_since_built() }})

    union all

    select
        'hubspot' as source_system,
        event_id,
        contact_id as person_record_id,
        'contact' as person_entity,
        event_type,
        occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        campaign_name,
        _loaded_at
    from hubspot_events
    where {{ delivered_since_built() }} or {{ campaigns_changed_since_built() }}

    union all

    select
        mapped_events.source_system,
        mapped_events.record_id as event_id,
        coalesce(mapped_events.person_record_id, mapped_by_email.person_record_id)
            as person_record_id,
        cast(null as {{ dbt.type_string() }}) as person_entity,
        mapped_events.type as event_type,
        mapped_events.occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        mapped_events.campaign as campaign_name,
        mapped_events._loaded_at
    from mapped_events
    left join mapped_by_email
        on mapped_events.source_system = mapped_by_email.source_system
        and mapped_events.record_id = mapped_by_email.record_id
    where coalesce(mapped_events.person_record_id, mapped_by_email.person_record_id) is not null
        and not coalesce(mapped_events.is_deleted, false)

),

final as (

    select
        {{ dbt.concat(['events.source_system', "':'", 'events.event_id']) }} as event_key,
        events.source_system,
        events.event_id,
        events.person_record_id,
        events.person_entity,
        events.event_type,
        events.occurred_at,
        coalesce(by_id.campaign_id, by_name.campaign_id) as campaign_id,
        coalesce(by_id.campaign_name, by_name.campaign_name, events.campaign_name)
            as campaign_name,
        coalesce(by_id.offer, by_name.offer) as offer,
        events._loaded_at
    from events
    left join campaigns as by_id
        on events.campaign_id = by_id.campaign_id
    left join campaigns_by_name
        on events.campaign_id is null
        and events.campaign_name = campaigns_by_name.campaign_name
    left join campaigns as by_name
        on campaigns_by_name.campaign_id = by_name.campaign_id

)

select * from final
