"""The value types and the base model the parts of the shared lead definition share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# a name written in the file and used as a column value or identifier: lowercase words
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# a value as a tool stores it (a picklist value, a label)
Value = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# ISO 3166-1 alpha-2
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    """A part of the file: an unknown key is an error, a loaded value never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)
