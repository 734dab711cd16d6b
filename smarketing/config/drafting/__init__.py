"""Drafting a mapping file from a CSV export (`smarketing map FILE`).

The header and a sample of rows tell most of a mapping: what one row is, which header cell holds
each canonical field, how dates, empty cells and amounts are written, what the statuses mean.
Each guess is written with a comment saying why, for the user to review: a draft is never
loaded as it is (`smarketing config check` validates the reviewed file).

Modules: `sample` reads the file, `labels` compares header cells with each field's EN/FR labels,
`entity` and `fields` guess what a row is and which cell holds each field, `values` and
`formats` guess value mappings and formats, `draft` gathers the guesses and `render` writes them.
"""

from __future__ import annotations

from smarketing.config.drafting.draft import (
    DEFAULT_SOURCE_SYSTEM,
    KNOWN_TOOLS,
    RECOGNISE_CELLS,
    Draft,
    build_draft,
    draft_mapping,
    guess_source_system,
    mapping_name,
)
from smarketing.config.drafting.entity import (
    ENTITY_HINTS,
    ENTITY_ORDER,
    FILE_NAME_WEIGHT,
    ID_CELL_WEIGHT,
    guess_entity,
)
from smarketing.config.drafting.fields import FieldMatch, match_fields
from smarketing.config.drafting.formats import DATE_FORMATS, detect_date_format, detect_decimal
from smarketing.config.drafting.labels import (
    ENTITY_WORDS,
    MIN_SCORE,
    RECORD_ID_SYNONYMS,
    SECONDARY_IDS,
    SECONDARY_WEIGHT,
    STRIPPED_WEIGHT,
    SYNONYMS,
    common_prefix,
    similarity,
    words,
)
from smarketing.config.drafting.render import WIDTH, render
from smarketing.config.drafting.sample import (
    NULL_TOKENS,
    SAMPLE_ROWS,
    DraftError,
    Sample,
    read_sample,
)
from smarketing.config.drafting.values import (
    BOOLEAN_RULES,
    DEAL_STAGE_RULES,
    MAX_VALUE_LENGTH,
    MAX_VALUES,
    PERSON_STAGE_RULES,
    Guess,
    ValueGuesses,
    channel_names,
    guess_boolean,
    guess_channel,
    guess_deal_stage,
    guess_person_stage,
    guess_values,
)

__all__ = [
    "BOOLEAN_RULES",
    "DATE_FORMATS",
    "DEAL_STAGE_RULES",
    "DEFAULT_SOURCE_SYSTEM",
    "ENTITY_HINTS",
    "ENTITY_ORDER",
    "ENTITY_WORDS",
    "FILE_NAME_WEIGHT",
    "ID_CELL_WEIGHT",
    "KNOWN_TOOLS",
    "MAX_VALUES",
    "MAX_VALUE_LENGTH",
    "MIN_SCORE",
    "NULL_TOKENS",
    "PERSON_STAGE_RULES",
    "RECOGNISE_CELLS",
    "RECORD_ID_SYNONYMS",
    "SAMPLE_ROWS",
    "SECONDARY_IDS",
    "SECONDARY_WEIGHT",
    "STRIPPED_WEIGHT",
    "SYNONYMS",
    "WIDTH",
    "Draft",
    "DraftError",
    "FieldMatch",
    "Guess",
    "Sample",
    "ValueGuesses",
    "build_draft",
    "channel_names",
    "common_prefix",
    "detect_date_format",
    "detect_decimal",
    "draft_mapping",
    "guess_boolean",
    "guess_channel",
    "guess_deal_stage",
    "guess_entity",
    "guess_person_stage",
    "guess_source_system",
    "guess_values",
    "mapping_name",
    "match_fields",
    "read_sample",
    "render",
    "similarity",
    "words",
]
