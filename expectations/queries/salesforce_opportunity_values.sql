-- Salesforce opportunities with the values a deal cannot have, and where each row came from.
-- The data's date is the latest record change the exports hold (what --as-of defaults to).
with as_of as (

    select max(last_modified_date) as data_date
    from staging.stg_salesforce__opportunity

)

select
    opportunities.opportunity_id,
    opportunities.amount,
    opportunities.probability,
    opportunities.close_date between date '1990-01-01'
        and cast(as_of.data_date as date) + interval 10 year as close_date_plausible,
    opportunities.created_date between timestamp '1990-01-01'
        and as_of.data_date + interval 1 day as created_by_the_data_date,
    opportunities._source_file,
    opportunities._row_number
from staging.stg_salesforce__opportunity as opportunities
cross join as_of
