"""Identity resolution: which Salesforce leads and contacts and HubSpot contacts are the same
person, and the stable ``unified_lead_id`` of each person.

Normalisation is dbt SQL (``int_person_records``); this package adds what SQL does poorly
(phones in E.164), the deterministic and probabilistic (Splink) links, the clustering, the
stable ids, and the accuracy measure against the demo data's truth.
"""

DBT_AFTER_IDENTITY = "source:identity+"
"""dbt selection of every model built on the identity tables (the marts and what follows)."""
