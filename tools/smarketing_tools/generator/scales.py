"""Sizes of the generated data sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scale:
    name: str
    people: int
    reps_per_team: int
    """sales reps per routing team (the regional teams get half as many)"""
    events_per_contact_month: float
    """mean marketing events of an average contact per month of life"""
    chunk_contacts: int
    """HubSpot contacts whose events are generated and written together"""


SCALES: dict[str, Scale] = {
    "small": Scale("small", 2_000, 2, 1.1, 20_000),
    "demo": Scale("demo", 50_000, 4, 1.1, 50_000),
    "large": Scale("large", 1_000_000, 8, 1.1, 50_000),
}


def rng_for(seed: int, stream: int, *more: int) -> np.random.Generator:
    """An independent numpy generator per part of the generation, all derived from the seed."""
    return np.random.default_rng([seed, stream, *more])


# stream numbers: one per part, fixed forever so that a part's output does not depend on
# how many numbers another part draws
STREAM_USERS = 1
STREAM_ORGS = 2
STREAM_PEOPLE = 3
STREAM_JOURNEY = 4
STREAM_MESS = 5
STREAM_HUBSPOT = 6
STREAM_EVENTS = 7
STREAM_CAMPAIGNS = 8
STREAM_SALESFORCE = 9
STREAM_DAILY = 10
