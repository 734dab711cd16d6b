-- Salesforce leads Marketing brings in: every lead whose source is not an outbound one
-- (smarketing.yml `channels`, through the seed lead_source_channels); a source no channel
-- lists counts as inbound. `<field>_delivered`: whether the lead's delivery had that column at
-- all (audit.file_columns): a column an anonymised or partial export leaves out is not
-- measured; only the leads of the files that carry it are.
with delivered as (

    select
        source_file,
        bool_or(column_name = 'last_name') as last_name_delivered,
        bool_or(column_name = 'email') as email_delivered,
        bool_or(column_name = 'company') as company_delivered,
        bool_or(column_name = 'country') as country_delivered,
        bool_or(column_name = 'number_of_employees') as number_of_employees_delivered
    from audit.file_columns
    where raw_table = 'salesforce__lead'
    group by source_file

)

select
    leads.lead_id,
    leads.lead_source,
    leads.last_name,
    leads.email,
    leads.company,
    leads.country,
    leads.number_of_employees,
    coalesce(delivered.last_name_delivered, false) as last_name_delivered,
    coalesce(delivered.email_delivered, false) as email_delivered,
    coalesce(delivered.company_delivered, false) as company_delivered,
    coalesce(delivered.country_delivered, false) as country_delivered,
    coalesce(delivered.number_of_employees_delivered, false) as number_of_employees_delivered
from staging.stg_salesforce__lead as leads
left join delivered
    on leads._source_file = delivered.source_file
where not exists (
    select 1
    from config.lead_source_channels as channels
    where channels.source_system = 'salesforce'
        and channels.source_field = 'lead_source'
        and channels.source_value = leads.lead_source
        and channels.channel = 'outbound'
)
