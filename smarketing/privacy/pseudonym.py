"""Keyed pseudonyms: HMAC-SHA-256 of a normalised value with the warehouse's secret key.

The key is 32 random bytes written once beside the working warehouse (``privacy/
pseudonym.key``, readable by its owner only), or given by ``SMARKETING_PSEUDONYM_KEY`` (64 hex
digits, e.g. from a secret manager). Keep it with the warehouse's backups: a new key gives every
person a new pseudonym, and the erasure tombstones (keyed hashes too) no longer match.

The same function exists twice, in Python (requests, tombstones) and as a DuckDB macro (the
shared copy, matching new deliveries against tombstones), and a test holds them equal.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import duckdb

from smarketing.settings import privacy_dir

KEY_ENV = "SMARKETING_PSEUDONYM_KEY"
KEY_BYTES = 32
BLOCK_BYTES = 64  # SHA-256's block: HMAC pads the key to it
PREFIX = "p_"
HEX_DIGITS = 20  # 80 bits: no two people of a warehouse share one
MACRO = "smarketing_pseudonym"


class PseudonymKeyError(ValueError):
    """The configured key is not 64 hex digits."""


def key_path(warehouse: Path) -> Path:
    return privacy_dir(warehouse) / "pseudonym.key"


def load_key(warehouse: Path, *, create: bool = True) -> bytes:
    """The warehouse's key: $SMARKETING_PSEUDONYM_KEY, else its key file (written the first
    time, owner-only)."""
    configured = os.environ.get(KEY_ENV, "").strip()
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError as exc:
            raise PseudonymKeyError(f"{KEY_ENV} must be {KEY_BYTES * 2} hex digits") from exc
        if len(key) != KEY_BYTES:
            raise PseudonymKeyError(
                f"{KEY_ENV} must be {KEY_BYTES * 2} hex digits, not {len(configured)}"
            )
        return key
    path = key_path(warehouse)
    if path.is_file():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    if not create:
        raise FileNotFoundError(f"no pseudonym key at {path} (and {KEY_ENV} is not set)")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = secrets.token_bytes(KEY_BYTES)
    # O_EXCL: two processes creating it at once keep the first one's
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def normalise(value: str) -> str:
    """What two spellings of one identifier share: no outer spaces, lower case (as the
    macro: DuckDB's trim() removes spaces only)."""
    return value.strip(" ").lower()


def pseudonym(key: bytes, value: str) -> str:
    digest = hmac.new(key, normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:HEX_DIGITS]


def create_macro(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """``smarketing_pseudonym(value)`` on CON (a temporary macro: it is never stored in a
    database file, nor is the key)."""
    padded = key.ljust(BLOCK_BYTES, b"\0")
    inner = _blob(bytes(b ^ 0x36 for b in padded))
    outer = _blob(bytes(b ^ 0x5C for b in padded))
    con.execute(
        f"""
        create or replace temp macro {MACRO}(value) as
        case when value is not null then '{PREFIX}' || left(sha256({outer}::blob
            || unhex(sha256({inner}::blob || encode(lower(trim(value::varchar)))))),
            {HEX_DIGITS}) end
        """
    )


def _blob(data: bytes) -> str:
    return "'" + "".join(f"\\x{byte:02x}" for byte in data) + "'"
