"""Currencies (``smarketing.yml``, key ``currency``): the corporate currency every amount is
also reported in, and the conversion rates to use when no rate export is delivered.

Rates are written as Salesforce stores them (``CurrencyType.ConversionRate``): units of the
currency for one unit of the corporate currency (with EUR corporate, USD 1.08 means
1 EUR = 1.08 USD, so 108 USD = 100 EUR). A delivered ``CurrencyType`` or
``DatedConversionRate`` export takes precedence over these rates.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Currency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    corporate: CurrencyCode = Field(
        default="EUR",
        description="ISO 4217 code of the corporate currency: every amount is also given in it, "
        "and an amount without a currency is in it.",
    )
    rates: dict[CurrencyCode, Annotated[float, Field(gt=0)]] = Field(
        default_factory=dict,
        description="Currency -> units of it for one unit of the corporate currency, used when "
        "no CurrencyType / DatedConversionRate export is delivered.",
    )

    @model_validator(mode="after")
    def _corporate_rate_is_one(self) -> Currency:
        rate = self.rates.get(self.corporate)
        if rate is not None and rate != 1:
            raise ValueError(
                f"rates.{self.corporate}: the corporate currency's rate is 1 by definition "
                f"(got {rate})"
            )
        return self


def currency_rates_csv_rows(currency: Currency) -> list[list[str]]:
    """iso_code, conversion_rate, is_corporate: the corporate currency first."""
    rows = [[currency.corporate, "1", "true"]]
    rows += [
        [code, repr(float(rate)), "false"]
        for code, rate in sorted(currency.rates.items())
        if code != currency.corporate
    ]
    return rows
