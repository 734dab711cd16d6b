"""Which HubSpot contacts exist, when each was created, and its Record ID.

Decided before the sales process runs, because Salesforce leads carry the HubSpot Record ID
of their contact. Three kinds: the main contact of a person who came in through marketing,
the second contact of a person who subscribed again with a personal address, and the
contact the CRM sync creates for a lead a rep created in Salesforce.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from smarketing_tools.generator import mess
from smarketing_tools.generator.context import Context
from smarketing_tools.generator.population import KIND_CUSTOMER, KIND_OUTBOUND, MISSING_EMAIL
from smarketing_tools.generator.scales import STREAM_HUBSPOT, rng_for

MAIN, DUPLICATE, SYNCED = 0, 1, 2


@dataclass
class ContactPlan:
    person: np.ndarray
    kind: np.ndarray
    created: np.ndarray
    record_id: np.ndarray
    main_of_person: np.ndarray
    """index of the contact the CRM sync links to each person's lead, or -1"""
    email: list[str]
    """the e-mail each contact holds"""
    outbound_email: dict[int, str]
    """the e-mail a rep typed on an outbound person's lead (copied to its synced contact)"""

    @property
    def n(self) -> int:
        return len(self.person)


def plan_contacts(ctx: Context) -> ContactPlan:
    rng = rng_for(ctx.seed, STREAM_HUBSPOT, 1)
    people = ctx.people
    main = np.flatnonzero(people.inbound)
    dup = np.flatnonzero(people.dup_created >= 0)
    outbound = np.flatnonzero(people.kind == KIND_OUTBOUND)
    synced = outbound[rng.random(len(outbound)) < 0.7]
    synced_at = people.created[synced] + rng.integers(3, 40, len(synced))
    keep = synced_at < ctx.window.cutoff
    synced, synced_at = synced[keep], synced_at[keep]
    person = np.concatenate([main, dup, synced])
    kind = np.concatenate(
        [np.full(len(main), MAIN), np.full(len(dup), DUPLICATE), np.full(len(synced), SYNCED)]
    ).astype(np.int8)
    created = np.concatenate([people.created[main], people.dup_created[dup], synced_at])
    order = np.lexsort((kind, person, created))
    person, kind, created = person[order], kind[order], created[order]
    # HubSpot ids grow with creation, with gaps (deleted and other objects' ids)
    record_id = 51_000 + np.cumsum(rng.integers(1, 60, len(person)))
    main_of_person = np.full(people.n, -1, dtype=np.int64)
    linked = kind != DUPLICATE
    main_of_person[person[linked]] = np.flatnonzero(linked)

    r = random.Random(ctx.seed * 1_000 + STREAM_HUBSPOT)
    outbound_email: dict[int, str] = {}
    for q in outbound.tolist():
        x = r.random()
        work = people.work_email[q]
        outbound_email[q] = "" if x < 0.08 else mess.email_typo(work, r) if x < 0.11 else work
    email: list[str] = []
    for q, k in zip(person.tolist(), kind.tolist(), strict=True):
        if k == SYNCED:
            email.append(outbound_email[q])
        elif k == DUPLICATE:
            personal = people.personal_email[q]
            email.append(mess.email_typo(personal, r) if r.random() < 0.03 else personal)
        elif people.missing[q] == MISSING_EMAIL:
            email.append("")
        else:
            x = r.random()
            work = people.work_email[q]
            if x < 0.07 and people.kind[q] != KIND_CUSTOMER:
                email.append(people.personal_email[q])
            elif x < 0.10:
                email.append(mess.email_typo(work, r))
            else:
                email.append(mess.email_case(work, r))
    return ContactPlan(person, kind, created, record_id, main_of_person, email, outbound_email)
