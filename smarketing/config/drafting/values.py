"""Distinct values of status, stage, source and flag columns, with their guessed canonical value."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from smarketing.config.drafting.labels import MIN_SCORE, similarity, word_pattern, words
from smarketing.config.mappings import OPPORTUNITY_STAGES, PERSON_STAGES, CanonicalField

if TYPE_CHECKING:
    from smarketing.config import SmarketingConfig

MAX_VALUES = 30
"""Distinct values listed per value-mapped field (the most frequent first)."""


def _rules(*rules: tuple[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((canonical, word_pattern(pattern)) for canonical, pattern in rules)


# First rule that matches wins: `Unqualified` and `Closed - Not Converted` before `qualified`
# and `converted`, `Marketing Qualified` before `qualified`.
PERSON_STAGE_RULES = _rules(
    (
        "disqualified",
        r"unqualified|disqualified?|not qualified|non qualifiee?|rejected|rejetee?|refusee?"
        r"|lost|perdue?|junk|not converted|non convertie?",
    ),
    ("nurturing", r"nurtur\w*|recycl\w*|a relancer"),
    ("mql", r"mql|marketing qualified|qualifiee? marketing"),
    ("sal", r"sal|accepted|acceptee?|sales accepted"),
    ("sql", r"sql|sales qualified|qualified|qualifiee?"),
    ("customer", r"customers?|clients?|won|gagnee?"),
    ("opportunity", r"converted|convertie?|opportunit\w*"),
    (
        "open",
        r"new|nouveau|nouvelle|open|ouverte?|working|en cours|contacted|contactee?|attempted"
        r"|a contacter|lead|subscriber",
    ),
)
DEAL_STAGE_RULES = _rules(
    ("won", r"won|closed won|gagnee?|signee?"),
    ("lost", r"lost|closed lost|perdue?|abandon\w*|annulee?|cancell?ed"),
)
BOOLEAN_RULES = _rules(
    ("true", r"^(?:yes|oui|true|vrai|y|1|x|done|completed|fait|terminee?)$"),
    ("false", r"^(?:no|non|false|faux|n|0|to do|todo|a faire|not done|pending)$"),
)
_PERSONAL = re.compile(r"@|^\+?[\d\s().\-/]{7,}$")
MAX_VALUE_LENGTH = 100

Guess = tuple[str, str] | None
"""A canonical value and why, or None: not guessed."""


@dataclass
class ValueGuesses:
    mapped: list[tuple[str, str, str]] = field(default_factory=list)
    """source value, canonical value, why"""
    unguessed: list[str] = field(default_factory=list)
    hidden: int = 0
    """values not shown: like an e-mail or a phone number, or too long"""
    more: int = 0
    """distinct values beyond MAX_VALUES"""
    note: str = ""


def _by_rules(value: str, rules: Sequence[tuple[str, re.Pattern[str]]]) -> Guess:
    text = words(value)
    for canonical, pattern in rules:
        match = pattern.search(text)
        if match:
            return canonical, f'says "{match[0]}"'
    return None


def guess_person_stage(value: str) -> Guess:
    return _by_rules(value, PERSON_STAGE_RULES)


def guess_deal_stage(value: str) -> Guess:
    return _by_rules(value, DEAL_STAGE_RULES) or ("open", "neither won nor lost")


def guess_boolean(value: str) -> Guess:
    return _by_rules(value, BOOLEAN_RULES)


def guess_channel(value: str, channels: Mapping[str, Sequence[str]]) -> Guess:
    """The channel whose code or source names are closest to VALUE (either way round)."""
    text = words(value)
    score, code = max(
        (
            (max(similarity(text, words(name)), similarity(words(name), text)), code)
            for code, names in channels.items()
            for name in (code, *names)
        ),
        default=(0.0, ""),
    )
    return (code, f"closest channel (score {score:.2f})") if score >= MIN_SCORE else None


def _value_guesser(
    name: str, canonical: CanonicalField, channels: Mapping[str, Sequence[str]] | None
) -> tuple[Callable[[str], Guess], str] | None:
    """How to guess the canonical values of field NAME, and a note; None: not value-mapped."""
    if canonical.type == "boolean":
        return guess_boolean, "flags read as true / false"
    if canonical.values == PERSON_STAGES:
        return guess_person_stage, f"statuses mapped to stages ({', '.join(PERSON_STAGES)})"
    if canonical.values == OPPORTUNITY_STAGES:
        return guess_deal_stage, "deal stages mapped to won, lost or open"
    if name != "lead_source":
        return None
    if channels is None:
        return lambda _: None, "smarketing.yml not loaded: map each source to a channel code"
    codes = ", ".join(channels)
    return lambda value: guess_channel(value, channels), f"sources mapped to channels ({codes})"


def guess_values(
    name: str,
    canonical: CanonicalField,
    values: Sequence[str],
    channels: Mapping[str, Sequence[str]] | None,
) -> ValueGuesses | None:
    """The distinct sampled VALUES of a value-mapped field, each with its guess."""
    guesser = _value_guesser(name, canonical, channels)
    if guesser is None:
        return None
    guess, note = guesser
    counts = Counter(values).most_common()
    result = ValueGuesses(more=max(0, len(counts) - MAX_VALUES), note=note)
    for value, _ in counts[:MAX_VALUES]:
        # statuses are listed, personal data is not (a mismatched column could hold it)
        if _PERSONAL.search(value) or len(value) > MAX_VALUE_LENGTH or not value.isprintable():
            result.hidden += 1
            continue
        guessed = guess(value)
        if guessed is None:
            result.unguessed.append(value)
        else:
            result.mapped.append((value, *guessed))
    return result


def channel_names(config: SmarketingConfig) -> dict[str, tuple[str, ...]]:
    """Channel code -> the source names smarketing.yml gives it (a name several channels share,
    such as HubSpot's OTHER_CAMPAIGNS, tells no channel and is left out)."""
    names = {
        code: (
            *sources.salesforce_lead_sources,
            *(source.code for source in sources.hubspot_original_sources),
        )
        for code, sources in config.channels.items()
    }
    owners = Counter(words(name) for found in names.values() for name in set(found))
    return {
        code: tuple(dict.fromkeys(n for n in found if owners[words(n)] == 1))
        for code, found in names.items()
    }
