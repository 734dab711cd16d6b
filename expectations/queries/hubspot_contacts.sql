-- HubSpot contacts, with whether each contact's delivery had the key-field columns at all
-- (audit.file_columns): a column an anonymised or partial export leaves out is not measured;
-- only the contacts of the files that carry it are.
with delivered as (

    select
        source_file,
        bool_or(column_name = 'email') as email_delivered,
        bool_or(column_name = 'company_name') as company_name_delivered,
        bool_or(column_name = 'country') as country_delivered
    from audit.file_columns
    where raw_table = 'hubspot__contact'
    group by source_file

)

select
    contacts.contact_id,
    contacts.email,
    contacts.company_name,
    contacts.country,
    contacts.lifecycle_stage,
    contacts.hubspot_score,
    contacts._source_file,
    contacts._row_number,
    coalesce(delivered.email_delivered, false) as email_delivered,
    coalesce(delivered.company_name_delivered, false) as company_name_delivered,
    coalesce(delivered.country_delivered, false) as country_delivered
from staging.stg_hubspot__contact as contacts
left join delivered
    on contacts._source_file = delivered.source_file
