with

person_records as (

    select * from {{ ref('int_person_records') }}

),

-- Salesforce Ids are compared on their first 15 characters: the 18-character form only adds a
-- case-insensitive checksum, and some tools write the 15-character form.
salesforce_records as (

    select
        record_key,
        source_entity,
        substr(source_record_id, 1, 15) as id15
    from person_records
    where source_system = 'salesforce'

),

hubspot_records as (

    select
        record_key,
        source_record_id
    from person_records
    where source_system = 'hubspot'

),

recorded as (

    -- a converted lead -> the contact it became
    select
        record_key,
        'converted_to_contact' as link_type,
        'salesforce' as linked_system,
        'contact' as linked_entity,
        substr(linked_salesforce_contact_id, 1, 15) as linked_id
    from person_records
    where source_entity = 'lead' and linked_salesforce_contact_id is not null

    union all

    -- a lead -> the HubSpot contact the sync created it from (Lead.HubSpot_Record_ID__c)
    select
        record_key,
        'hubspot_record_id' as link_type,
        'hubspot' as linked_system,
        'contact' as linked_entity,
        linked_hubspot_contact_id as linked_id
    from person_records
    where linked_hubspot_contact_id is not null

    union all

    -- a HubSpot contact -> its Salesforce lead and contact (written by the sync)
    select
        record_key,
        'salesforce_lead_id' as link_type,
        'salesforce' as linked_system,
        'lead' as linked_entity,
        substr(linked_salesforce_lead_id, 1, 15) as linked_id
    from person_records
    where source_system = 'hubspot' and linked_salesforce_lead_id is not null

    union all

    select
        record_key,
        'salesforce_contact_id' as link_type,
        'salesforce' as linked_system,
        'contact' as linked_entity,
        substr(linked_salesforce_contact_id, 1, 15) as linked_id
    from person_records
    where source_system = 'hubspot' and linked_salesforce_contact_id is not null

    union all

    -- a Salesforce record merged into another one (the loser keeps MasterRecordId)
    select
        record_key,
        'merged_into' as link_type,
        source_system as linked_system,
        source_entity as linked_entity,
        substr(master_record_id, 1, 15) as linked_id
    from person_records
    where source_system = 'salesforce' and master_record_id is not null

),

resolved as (

    -- only links whose other end was delivered
    select
        recorded.record_key,
        coalesce(salesforce_records.record_key, hubspot_records.record_key) as linked_record_key,
        recorded.link_type
    from recorded
    left join salesforce_records
        on recorded.linked_system = 'salesforce'
        and recorded.linked_entity = salesforce_records.source_entity
        and recorded.linked_id = salesforce_records.id15
    left join hubspot_records
        on recorded.linked_system = 'hubspot'
        and recorded.linked_id = hubspot_records.source_record_id

),

final as (

    select distinct
        record_key,
        linked_record_key,
        link_type
    from resolved
    where linked_record_key is not null
        and linked_record_key <> record_key

)

select * from final
