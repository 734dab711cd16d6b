"""Record identifiers shaped like the real ones."""

from __future__ import annotations

import hashlib
import uuid

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

# Salesforce key prefixes of the exported objects
KEY_PREFIX = {
    "User": "005",
    "Account": "001",
    "Contact": "003",
    "Lead": "00Q",
    "Opportunity": "006",
    "OpportunityHistory": "008",
    "Task": "00T",
    "LeadHistory": "017",
    "Campaign": "701",
    "CampaignMember": "00v",
    "UserRole": "00E",
    "Profile": "00e",
}


def salesforce_id(prefix: str, number: int, pod: str = "Lm") -> str:
    """18-character Salesforce id: key prefix, pod, base-62 counter, case-safe suffix."""
    digits = ""
    for _ in range(10):
        number, rest = divmod(number, 62)
        digits = _BASE62[rest] + digits
    core = prefix + pod + digits
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(core[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += _SUFFIX[bits]
    return core + suffix


class IdSequence:
    """Ids of one Salesforce object, handed out in creation order."""

    def __init__(self, sobject: str, start: int = 1) -> None:
        self.prefix = KEY_PREFIX[sobject]
        self.next = start

    def __call__(self) -> str:
        value = salesforce_id(self.prefix, self.next * 7 + 1_000_003)
        self.next += 1
        return value


def hubspot_campaign_guid(seed: int, index: int) -> str:
    """HubSpot campaigns are identified by a GUID; derived from the seed, not drawn."""
    digest = hashlib.sha256(f"campaign:{seed}:{index}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))
