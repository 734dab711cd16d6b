"""The sales side of every lead, simulated lead by lead in creation order, and written to
the Salesforce exports as soon as a lead's story up to as_of is known (bounded memory).

Each lead records the truth of its funnel cycles while it is simulated (``Cycle``); the
HubSpot export later reflects each person's primary lead through the sync (``Sales``).

One module per stage of a lead's story: ``handoff`` (the hand-off and first touch),
``qualification`` (SAL, SQL, rejection), ``nurture`` (recycling), ``opportunity`` (conversion,
won or lost), ``export`` (the finished lead's rows); ``customers`` holds the accounts that
exist before any lead, ``state`` what every stage shares, ``run`` the order they are played in.
"""

from smarketing_tools.generator.journey.records import Cycle, Sales
from smarketing_tools.generator.journey.run import Journey

__all__ = ["Cycle", "Journey", "Sales"]
