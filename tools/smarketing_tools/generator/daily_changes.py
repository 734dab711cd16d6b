"""What happens on one day after the dataset: new people, status moves, HubSpot lifecycle
moves, a merge, a deletion and late marketing events, applied to the state the days carry."""

from __future__ import annotations

import random
from datetime import date, timedelta

from smarketing_tools.generator import mess, rules
from smarketing_tools.generator.clock import fmt_hs_en, fmt_hs_fr, fmt_sf, fmt_sf_date
from smarketing_tools.generator.daily_base import (
    EVENT_ID_START,
    EVENT_IDS_PER_DAY,
    LABEL,
    NEXT_STAGE,
    RECORD_ID_START,
    RECORD_IDS_PER_DAY,
    SF_COUNTER_START,
    SF_COUNTERS_PER_DAY,
    State,
)
from smarketing_tools.generator.daily_events import EventRow, LateEvents
from smarketing_tools.generator.daily_people import (
    INBOUND_CHANNELS,
    INBOUND_WEIGHTS,
    contact_row,
    created_history,
    draw_person,
    lead_row,
    office_minute,
    route,
)
from smarketing_tools.generator.ids import IdSequence
from smarketing_tools.generator.scales import STREAM_DAILY

# shares of the people count (truth/people.csv) per day
NEW_RATE, CHANGED_RATE, CONTACT_RATE = 0.005, 0.005, 0.0025
LATE_EVENT_RATE, MIN_LATE_EVENTS = 0.001, 3
CALL_SUBJECTS = ("Appel de découverte", "Appel de qualification", "Premier appel")


class Day:
    """Day d's changes: the export of the morning of as_of + d, covering the day before."""

    def __init__(self, state: State, d: int) -> None:
        self.state, self.d = state, d
        base = state.base
        self.date = base.as_of + timedelta(days=d)
        self.covered = self.date - timedelta(days=1)
        self.day = (self.covered - date(1970, 1, 1)).days
        self.r = random.Random((base.seed * 1_000 + STREAM_DAILY) * 10_000 + d)
        self.ids = {
            name: IdSequence(name, SF_COUNTER_START + d * SF_COUNTERS_PER_DAY)
            for name in ("Lead", "LeadHistory", "Task")
        }
        self.next_record = RECORD_ID_START + d * RECORD_IDS_PER_DAY
        self.next_event = EVENT_ID_START + d * EVENT_IDS_PER_DAY
        self.leads: dict[str, dict[str, str]] = {}
        self.history: list[dict[str, str]] = []
        self.tasks: list[dict[str, str]] = []
        self.contacts: dict[str, dict[str, list[str]]] = {"en": {}, "fr": {}}
        self.events: list[EventRow] = []

    def count(self, rate: float, of: int | None = None, least: int = 1) -> int:
        """How many of a day's changes: RATE of OF (default: the people), ± 20 %."""
        total = self.state.base.people if of is None else of
        return max(least, round(total * rate * self.r.uniform(0.8, 1.2)))

    def run(self) -> None:
        self.change_leads()
        self.merge_and_delete()
        self.advance_contacts()
        self.new_people()
        late = self.count(LATE_EVENT_RATE, self.state.base.events, MIN_LATE_EVENTS)
        late_events = LateEvents(self.state.base.contacts, self.state.book)
        self.events += late_events.draw(self.r, late, self.covered, self.next_event)
        self.next_event += late

    # --- Salesforce ------------------------------------------------------------------------

    def change_leads(self) -> None:
        """Open leads move one status step, after a completed call or e-mail by the owner."""
        state, r = self.state, self.r
        movable = list(state.movable)
        for lead_id in r.sample(movable, min(self.count(CHANGED_RATE), len(movable))):
            row = state.lead(lead_id)
            owner = row["OwnerId"]
            at = office_minute(r, self.day, 9 * 60, 17 * 60 + 30)
            self.tasks.append(self._task(lead_id, owner, at))
            moved = at + r.randint(0, 25)  # the status follows the touch (journey/qualification.py)
            old, new = row["Status"], state.next_status[row["Status"]]
            self.history.append(
                {
                    "Id": self.ids["LeadHistory"](),
                    "IsDeleted": "false",
                    "LeadId": lead_id,
                    "CreatedById": owner,
                    "CreatedDate": fmt_sf(moved),
                    "Field": "Status",
                    "DataType": state.base.status_data_type,
                    "OldValue": old,
                    "NewValue": new,
                }
            )
            row.update(
                Status=new,
                IsUnreadByOwner="false",
                LastModifiedDate=fmt_sf(moved),
                LastModifiedById=owner,
                SystemModstamp=fmt_sf(moved),
                LastActivityDate=fmt_sf_date(at),
            )
            if new not in state.next_status:
                del state.movable[lead_id]
            self.leads[lead_id] = row

    def _task(self, lead_id: str, owner: str, at: int) -> dict[str, str]:
        r = self.r
        call = r.random() < 0.7
        return {
            "Id": self.ids["Task"](),
            "IsDeleted": "false",
            "WhoId": lead_id,
            "Subject": r.choice(CALL_SUBJECTS) if call else "E-mail : prise de contact",
            "ActivityDate": fmt_sf_date(at),
            "Status": "Completed",
            "Priority": "Normal",
            "IsHighPriority": "false",
            "OwnerId": owner,
            "IsClosed": "true",
            "CreatedDate": fmt_sf(at),
            "CreatedById": owner,
            "LastModifiedDate": fmt_sf(at),
            "LastModifiedById": owner,
            "SystemModstamp": fmt_sf(at),
            "CompletedDateTime": fmt_sf(at),
            "CallDurationInSeconds": str(r.randint(40, 1_500)) if call else "",
            "CallType": "Outbound" if call else "",
            "CallDisposition": r.choice(("Joint", "Joint", "Messagerie")) if call else "",
            "TaskSubtype": "Call" if call else "Email",
            "Type": "Call" if call else "Email",
        }

    def merge_and_delete(self) -> None:
        """RevOps merges a duplicate lead into its person's older one, and deletes a lead."""
        state, r = self.state, self.r
        revops = state.staff.users[state.staff.revops].id
        pair = self._merge_pair()
        if pair is not None:
            survivor, loser = pair
            at = office_minute(r, self.day)
            self._touch(survivor, at, revops)
            self._touch(loser, at, revops, IsDeleted="true", MasterRecordId=survivor)
        candidates = [lead_id for lead_id in state.alive if lead_id not in self.leads]
        if candidates:
            self._touch(r.choice(candidates), office_minute(r, self.day), revops, IsDeleted="true")

    def _merge_pair(self) -> tuple[str, str] | None:
        alive, touched = self.state.alive, self.leads
        base = self.state.base
        for groups in (base.same_person_leads, base.same_email_leads):
            order = list(range(len(groups)))
            self.r.shuffle(order)
            for g in order:
                ids = [i for i in groups[g] if i in alive and i not in touched]
                if len(ids) >= 2:
                    return ids[0], ids[1]
        return None

    def _touch(self, lead_id: str, at: int, by: str, **changes: str) -> None:
        row = self.state.lead(lead_id)
        row.update(changes, LastModifiedDate=fmt_sf(at), LastModifiedById=by)
        row["SystemModstamp"] = fmt_sf(at)
        if row["IsDeleted"] == "true":
            self.state.alive.pop(lead_id, None)
            self.state.movable.pop(lead_id, None)
        self.leads[lead_id] = row

    # --- HubSpot ---------------------------------------------------------------------------

    def advance_contacts(self) -> None:
        """Contacts move one marketing lifecycle stage (a form, a score reaching the MQL
        threshold); the row goes to the delivery of its language."""
        state, r = self.state, self.r
        keys = list(state.stage)
        for key in r.sample(keys, min(self.count(CONTACT_RATE), len(keys))):
            lang = key[0]
            header, labels = state.base.contacts[lang].header, LABEL[lang]

            def col(name: str, header: list[str] = header, labels: dict[str, str] = labels) -> int:
                return header.index(labels[name])

            row = state.contact(key)
            new = NEXT_STAGE[state.stage[key]]
            at = office_minute(r, self.day)
            text = fmt_hs_fr(at) if lang == "fr" else fmt_hs_en(at)
            row[col("lifecycle_stage")] = rules.HUBSPOT_LABELS["lifecycle_stage"][new][
                int(lang == "fr")
            ]
            became = (
                "became_a_lead_date" if new == "lead" else "became_a_marketing_qualified_lead_date"
            )
            row[col(became)] = row[col(became)] or text
            if new == "marketingqualifiedlead":
                score = int(row[col("hubspot_score")] or 0)
                row[col("hubspot_score")] = str(max(score, r.randint(rules.MQL_THRESHOLD, 80)))
            row[col("last_modified_date")] = text
            if new in NEXT_STAGE:
                state.stage[key] = new
            else:
                del state.stage[key]
            self.contacts[lang][row[col("record_id")]] = row

    # --- new people ------------------------------------------------------------------------

    def new_people(self) -> None:
        """Half come in through a HubSpot form (MQL at once, handed off by the sync), half
        are prospected by a rep in Salesforce."""
        state, r = self.state, self.r
        staff, book = state.staff, state.book
        users = staff.users
        for _ in range(self.count(NEW_RATE)):
            person = draw_person(r, state.taken)
            lead_id = self.ids["Lead"]()
            if r.random() < 0.5:
                channel = r.choices(INBOUND_CHANNELS, INBOUND_WEIGHTS)[0]
                offer = r.choices(rules.OFFERS, rules.OFFER_WEIGHTS)[0]
                index = book.period_campaign(channel, offer, self.covered)
                campaign = book.campaigns[index]
                form_at = office_minute(r, self.day, 9 * 60, 17 * 60)
                created = form_at + r.randint(2, 15)
                owner = route(r, staff, person, created)
                creator = staff.integration
                record_id = self.next_record
                self.next_record += 1
                email = mess.email_case(person.email, r)
                self.contacts["en"][str(record_id)] = contact_row(
                    r,
                    person,
                    record_id=record_id,
                    email=email,
                    campaign=campaign,
                    channel=channel,
                    created=form_at,
                    modified=created + r.randint(1, 20),
                    owner_name=users[owner].name,
                    lead_id=lead_id,
                )
                self.events.append(
                    EventRow(
                        self.next_event,
                        record_id,
                        email,
                        "form_submission",
                        form_at,
                        index,
                        campaign.form or campaign.name,
                        campaign.url,
                    )
                )
                self.next_event += 1
                hubspot_id = str(record_id) if r.random() > 0.03 else ""
            else:
                channel, offer = "outbound", r.choice(rules.OFFERS)
                created = office_minute(r, self.day)
                team = (
                    rules.TEAM_SDR
                    if r.random() < 0.5
                    else rules.expected_team(person.country, person.employees, person.state)
                )
                owner = creator = r.choice(staff.active_in(team, created))
                x = r.random()  # reps type the address (contacts_plan.py)
                email = (
                    ""
                    if x < 0.08
                    else mess.email_typo(person.email, r)
                    if x < 0.11
                    else person.email
                )
                hubspot_id = ""
            row = dict.fromkeys(state.base.leads.header, "")
            row.update(
                lead_row(
                    r,
                    staff,
                    person,
                    lead_id=lead_id,
                    status=state.base.progression[0],
                    created=created,
                    creator=creator,
                    owner=owner,
                    channel=channel,
                    offer=offer,
                    email=email,
                    record_id=hubspot_id,
                )
            )
            self.history.append(
                created_history(self.ids["LeadHistory"](), lead_id, users[creator].id, created)
            )
            state.rows[lead_id] = self.leads[lead_id] = row
            state.alive[lead_id] = None
            if row["Status"] in state.next_status:
                state.movable[lead_id] = None
