-- The Salesforce leads Marketing brings in (smarketing.yml `inbound`), each key field
-- (`key_fields`) filled or not and delivered or not, as intermediate.int_lead_key_fields
-- decides with the marts' own definition (dbt/macros/key_fields.sql). A column an anonymised
-- or partial export leaves out is not measured: only the leads of the files that carry it are.
select
    source_file as _source_file,
    source_row_number as _row_number,
    *
from intermediate.int_lead_key_fields
where is_inbound
