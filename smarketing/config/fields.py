"""The org's own fields (``smarketing.yml``, key ``fields``): which export column holds each
field the models read that every Salesforce org names its own way (lead score, rejection
reason, offer, team…).

Each binding lists the column's header as exports write it: the API name (Data Loader, Data
Export: ``Lead_Score__c``) and/or the label (report exports: ``Lead Score``). The loader keeps
such columns under a name derived from the header (``lead_score__c``, ``lead_score``); staging
reads the first of them a delivered file had. A field bound to columns no file had is NULL, and
the run says so: never an error.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from smarketing.ingest.registry import snake_case

Header = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Headers = Annotated[list[Header], Field(min_length=1)]


def _headers(*headers: str) -> Any:
    return Field(default_factory=lambda: list(headers))


class _Bindings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _no_repeats(cls, headers: list[str]) -> list[str]:
        columns = [snake_case(header) for header in headers]
        for header, column in zip(headers, columns, strict=True):
            if columns.count(column) > 1:
                raise ValueError(f"{header!r} names the same column as another entry ({column})")
        return headers


class SalesforceLeadFields(_Bindings):
    lead_score: Headers = _headers("Lead_Score__c", "Lead Score")
    rejection_reason: Headers = _headers("Rejection_Reason__c", "Rejection Reason")
    offer: Headers = _headers("Offer__c", "Offer")
    hubspot_contact_id: Headers = _headers("HubSpot_Record_ID__c", "HubSpot Record ID")


class SalesforceOpportunityFields(_Bindings):
    offer: Headers = _headers("Offer__c", "Offer")
    loss_reason: Headers = _headers("Loss_Reason__c", "Loss Reason")


class SalesforceCampaignFields(_Bindings):
    channel: Headers = _headers("Channel__c", "Channel")
    offer: Headers = _headers("Offer__c", "Offer")


class SalesforceAccountFields(_Bindings):
    segment: Headers = _headers("Segment__c", "Segment")


class SalesforceUserFields(_Bindings):
    team: Headers = _headers("Team__c", "Team")
    region: Headers = _headers("Region__c", "Region")


class FieldBindings(BaseModel):
    """Export -> field -> the headers that may hold it (first delivered wins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    salesforce_lead: SalesforceLeadFields = Field(
        default_factory=SalesforceLeadFields,
        description="Lead: lead_score (the score the MQL rule and routing read), "
        "rejection_reason (Sales' reason for a rejected or recycled lead), offer, "
        "hubspot_contact_id (the HubSpot record the sync created the lead from).",
    )
    salesforce_opportunity: SalesforceOpportunityFields = Field(
        default_factory=SalesforceOpportunityFields,
        description="Opportunity: offer, loss_reason.",
    )
    salesforce_campaign: SalesforceCampaignFields = Field(
        default_factory=SalesforceCampaignFields,
        description="Campaign: channel, offer.",
    )
    salesforce_account: SalesforceAccountFields = Field(
        default_factory=SalesforceAccountFields, description="Account: segment."
    )
    salesforce_user: SalesforceUserFields = Field(
        default_factory=SalesforceUserFields,
        description="User: team (the sales team routing compares with), region.",
    )

    def exports(self) -> dict[str, dict[str, list[str]]]:
        """export (raw table without ``__``: ``salesforce_lead``) -> field -> headers."""
        return {
            export: dict(getattr(self, export).model_dump()) for export in type(self).model_fields
        }

    def dbt_var(self) -> dict[str, dict[str, dict[str, list[str]]]]:
        """The dbt var ``field_bindings``: each field's raw columns and its headers."""
        return {
            export: {
                field: {"columns": [snake_case(h) for h in headers], "headers": list(headers)}
                for field, headers in fields.items()
            }
            for export, fields in self.exports().items()
        }


def raw_table_of(export: str) -> str:
    """``salesforce_lead`` -> ``salesforce__lead``."""
    source_system, _, entity = export.partition("_")
    return f"{source_system}__{entity}"
