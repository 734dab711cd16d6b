-- Salesforce leads Marketing brings in: every lead whose source is not an outbound one
-- (smarketing.yml `channels`, through the seed lead_source_channels); a source no channel
-- lists counts as inbound.
select
    leads.lead_id,
    leads.lead_source,
    leads.last_name,
    leads.email,
    leads.company,
    leads.country,
    leads.number_of_employees
from staging.stg_salesforce__lead as leads
where not exists (
    select 1
    from seeds.lead_source_channels as channels
    where channels.source_system = 'salesforce'
        and channels.source_field = 'lead_source'
        and channels.source_value = leads.lead_source
        and channels.channel = 'outbound'
)
