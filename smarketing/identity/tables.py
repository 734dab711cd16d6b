"""Names of the tables the identity resolution writes (schema ``identity``)."""

SCHEMA = "identity"
PERSON_LINKS = f"{SCHEMA}.person_links"
PERSON_MATCHES = f"{SCHEMA}.person_matches"
PERSON_PHONES = f"{SCHEMA}.person_phones"
REGISTRY = f"{SCHEMA}.unified_lead_ids"
PHONE_NUMBERS = f"{SCHEMA}.phone_numbers"
"""Lookup of every phone number as typed in the records, parsed (``phone_lookup``)."""
OUTPUT_TABLES = (PERSON_LINKS, PERSON_MATCHES, PERSON_PHONES, REGISTRY)
