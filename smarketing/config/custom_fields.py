"""Custom fields (``smarketing.yml``, key ``custom_fields``): columns of the exports that the
project does not know, passed through to ``dim_leads`` and ``fct_lead_funnel`` so teams can
segment by their own fields.

The loader keeps every column it does not know in the raw table, named in snake_case from its
header (``Langue préférée`` → ``langue_preferee``, ``Budget__c`` → ``budget__c``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Column = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class CustomField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Column = Field(description="Column name in dim_leads and fct_lead_funnel.")
    hubspot_contact: Column | None = Field(
        default=None, description="Raw column of the HubSpot contact exports holding it."
    )
    salesforce_lead: Column | None = Field(
        default=None, description="Raw column of the Salesforce Lead export holding it."
    )
    salesforce_contact: Column | None = Field(
        default=None, description="Raw column of the Salesforce Contact export holding it."
    )

    @model_validator(mode="after")
    def _from_somewhere(self) -> CustomField:
        if not (self.hubspot_contact or self.salesforce_lead or self.salesforce_contact):
            raise ValueError(
                f"custom field {self.name!r} names no column: give hubspot_contact, "
                "salesforce_lead or salesforce_contact"
            )
        return self
