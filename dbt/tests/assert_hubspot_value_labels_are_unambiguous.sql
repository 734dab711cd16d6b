-- Each spelling of a HubSpot coded value (English label, French label or code, compared the way
-- staging compares them) must name one code per property; otherwise staging could not decide
-- which code a delivered label means (and would duplicate the record).

with

spellings as (

    select property, code, {{ label_key('label_en') }} as spelling_key
    from {{ ref('hubspot_value_labels') }}
    union all
    select property, code, {{ label_key('label_fr') }} as spelling_key
    from {{ ref('hubspot_value_labels') }}
    union all
    select property, code, {{ label_key('code') }} as spelling_key
    from {{ ref('hubspot_value_labels') }}

)

select
    property,
    spelling_key,
    count(distinct code) as codes
from spellings
group by property, spelling_key
having count(distinct code) > 1
