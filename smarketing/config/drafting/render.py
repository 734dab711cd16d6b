"""Writing a draft as YAML text, each guess with its comment."""

from __future__ import annotations

import json
import re
import textwrap
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # types only: draft.py imports this module
    from smarketing.config.drafting.draft import Draft
    from smarketing.config.drafting.values import ValueGuesses

# Text YAML reads back as the same string when written plain: no indicator, no edge spaces.
_PLAIN = re.compile(r"\w(?:[^:#,\[\]{}\"'\\]*[^\s:#,\[\]{}\"'\\])?")
WIDTH = 100


def scalar(text: str) -> str:
    """TEXT as a YAML scalar: plain when YAML reads it back as the same string, else quoted
    (`Yes`, `1`, `null`, `a: b`, ` x`) as JSON, which YAML reads too."""
    if text.isprintable() and _PLAIN.fullmatch(text):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=not text.isprintable())


def _comment(text: str) -> str:
    """TEXT fit for a YAML comment: one line of printable characters."""
    return "".join(c if c.isprintable() else " " for c in text)


def _line(indent: int, key: str, value: str, why: str = "") -> str:
    line = f"{' ' * indent}{key}: {value}"
    return f"{line}  # {_comment(why)}" if why else line


def _comment_block(indent: int, text: str) -> list[str]:
    prefix = " " * indent + "# "
    return textwrap.wrap(_comment(text), WIDTH, initial_indent=prefix, subsequent_indent=prefix)


def _values_lines(name: str, guesses: ValueGuesses, indent: int) -> list[str]:
    """The `values` entry of field NAME (comments only when no value was guessed)."""
    note = f"{name}: {guesses.note}; the sample's values, most frequent first"
    lines = _comment_block(indent, note)
    if guesses.mapped:
        lines.append(f"{' ' * indent}{name}:")
        lines += [_line(indent + 2, scalar(s), scalar(c), why) for s, c, why in guesses.mapped]
    if guesses.unguessed:
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in guesses.unguessed)
        lines += _comment_block(
            indent, f"not guessed (add them, or they stay as they are): {shown}"
        )
    if guesses.hidden:
        lines += _comment_block(
            indent, f"{guesses.hidden} value(s) not shown (personal data or long)"
        )
    if guesses.more:
        lines += _comment_block(indent, f"{guesses.more} more distinct value(s) not listed")
    return lines


def render(draft: Draft) -> str:
    """The draft as YAML text, each guess commented."""
    lines = [
        f"# DRAFT mapping written by `smarketing map` from {_comment(draft.file_name)}",
        f"# (its header and {draft.rows} sampled rows). Every line is a guess: review it, fix or",
        "# delete what is wrong, save the file in the mappings folder, then validate it with",
        "# `smarketing config check`.",
        _line(0, "name", scalar(draft.name), "unique name of this export shape"),
        _line(0, "source_system", scalar(draft.source_system[0]), draft.source_system[1]),
        _line(
            0,
            "recognise",
            "[" + ", ".join(map(scalar, draft.recognise)) + "]",
            "cells that identify the export (all must be there)",
        ),
        _line(0, "entity", draft.entity[0], draft.entity[1]),
        "fields:",
        *(_line(2, m.field, scalar(m.cell), m.comment) for m in draft.fields.values()),
    ]
    if draft.missing:
        lines += _comment_block(2, "not found in the header: " + ", ".join(draft.missing))
    if draft.unmapped:
        lines += _comment_block(2, "header cells left out: " + ", ".join(draft.unmapped))
    if any(g.mapped for g in draft.values.values()):
        lines.append("values:")
        indent = 2
    else:  # an empty `values:` would read as null
        lines += ["# values: none guessed"] if draft.values else []
        indent = 0
    for name, guesses in draft.values.items():
        lines += _values_lines(name, guesses, indent)
    if draft.formats:
        lines.append("formats:")
        lines += [_line(2, key, value, why) for key, value, why in draft.formats]
    for note in draft.format_notes:
        lines += _comment_block(0, f"formats.{note}")
    return "\n".join(lines) + "\n"
