"""Read access to the warehouse: which file, short read-only connections, cached queries.

DuckDB lets one read-write process exclude every other one, readers included, so the
dashboard never keeps a connection: each query opens the file read-only, runs, and closes.
Results are cached by Streamlit, keyed on the file's identity (path, size, modification
time), so a newly published copy is read at once and an unchanged one is never read twice.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from smarketing.settings import RESTRICTED_ENV, SERVING_ENV, WAREHOUSE_ENV, Settings

ROLE_ENV = "SMARKETING_ROLE"
SHARED, RESTRICTED = "shared", "restricted"
ROLES = (SHARED, RESTRICTED)
"""Who the dashboard serves: ``shared`` (the committee, analysts: the shared copy only, no
e-mail, phone, name or rejected raw row) or ``restricted`` (those who work leads: the
restricted copy). Set when the dashboard is started; an unknown value is ``shared``."""

# No file or network access and no extension loading; connect() then locks the
# configuration, so no query can turn them back on.
SAFE_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
REPORTING_SETTINGS = "config.reporting_settings"

CACHE_TTL_SECONDS = 600
# opens of a serving copy a publication swapped meanwhile (one swap per publication)
SWAP_ATTEMPTS = 3


class WarehouseUnavailable(Exception):
    """The warehouse file is missing, or a table or column a page reads is not in it."""


@dataclass(frozen=True)
class Source:
    """The file the dashboard reads, and the stamp that identifies its current contents."""

    path: Path
    env: str

    def stamp(self) -> tuple[str, int, int]:
        stat = self.path.stat()
        return (str(self.path), stat.st_size, stat.st_mtime_ns)


def role() -> str:
    chosen = os.environ.get(ROLE_ENV, "").strip().lower()
    return chosen if chosen in ROLES else SHARED


def is_restricted() -> bool:
    return role() == RESTRICTED


def shared_source() -> Source:
    """The shared serving copy, published or not (never the working warehouse: it holds every
    identifier)."""
    return Source(Settings.from_env().serving, SERVING_ENV)


def source() -> Source:
    """What this role reads. Shared: the shared copy. Restricted: the restricted copy, else
    the working warehouse itself (nothing published yet)."""
    if not is_restricted():
        return shared_source()
    settings = Settings.from_env()
    if settings.serving_restricted.is_file():
        return Source(settings.serving_restricted, RESTRICTED_ENV)
    return Source(settings.warehouse, WAREHOUSE_ENV)


def _published_time_zone(con: duckdb.DuckDBPyConnection) -> str:
    """The reporting time zone the file CON reads was published with, else UTC."""
    try:
        row = con.execute(
            f"select value from {REPORTING_SETTINGS} where setting = 'reporting_time_zone'"
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse built before the definition was published
        row = None
    return str(row[0]) if row else "UTC"


@functools.cache
def _time_zone_of(path: str, stamp: int) -> str:
    """The reporting time zone of PATH as of its version STAMP (a connection as every other of
    this process: DuckDB refuses a second configuration for an open file)."""
    con = connect(Path(path))
    try:
        return str(con.execute("select current_setting('TimeZone')").fetchone()[0])
    finally:
        con.close()


def reporting_time_zone() -> str:
    """The reporting time zone of the data shown (smarketing.yml `calendar`, as the build that
    published it had it): the marts' months are calendar months there, and the dashboard shows
    instants in it."""
    path = source().path
    if not path.is_file():
        return "UTC"
    return _time_zone_of(str(path), path.stat().st_mtime_ns)


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def _open(path: Path, config: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """PATH opened read-only, from one file: DuckDB opens the path three times while it
    starts (its magic, its header, then its blocks), so a publication swapping the file in
    between would give it the header of one file and the blocks of the next (`Failed to
    load metadata pointer`); a swap seen across the open is opened again."""
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        before = _file_id(path)
        try:
            con = duckdb.connect(str(path), read_only=True, config=config)
        except duckdb.Error:
            if attempt < SWAP_ATTEMPTS and _file_id(path) != before:
                continue
            raise
        if _file_id(path) == before or attempt == SWAP_ATTEMPTS:
            return con
        con.close()
    raise AssertionError("unreachable")


def connect(path: Path, extra_config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to PATH with the safe settings, instants in the reporting time
    zone, its configuration locked; the caller closes it."""
    if not path.is_file():
        raise WarehouseUnavailable(f"no warehouse file at {path}")
    con = _open(path, {**SAFE_CONFIG, **(extra_config or {})})
    try:
        # TimeZone comes with ICU, loaded after connect: set it, then lock everything.
        con.execute("set TimeZone = ?", [_published_time_zone(con)])
        con.execute("set lock_configuration = true")
    except duckdb.Error:
        con.close()
        raise
    return con


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached_query(sql: str, params: tuple[Any, ...], stamp: tuple[str, int, int]) -> pd.DataFrame:
    con = connect(Path(stamp[0]))
    try:
        return con.execute(sql, list(params)).df()
    except (duckdb.CatalogException, duckdb.BinderException) as error:
        # A mart not built yet, or built before a column existed: the page says so.
        raise WarehouseUnavailable(str(error).splitlines()[0]) from error
    finally:
        con.close()


def query(sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run a parameterised read-only query on the current source (cached)."""
    src = source()
    if not src.path.is_file():
        raise WarehouseUnavailable(f"no warehouse file at {src.path} (set {src.env})")
    return _cached_query(sql, tuple(params), src.stamp())


def scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    frame = query(sql, params)
    return None if frame.empty else frame.iloc[0, 0]


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _relations(stamp: tuple[str, int, int]) -> frozenset[str]:
    con = connect(Path(stamp[0]))
    try:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    finally:
        con.close()
    return frozenset(name for (name,) in rows)


def has_relation(name: str) -> bool:
    """Whether the table or view SCHEMA.NAME exists in the current source."""
    src = source()
    return src.path.is_file() and name in _relations(src.stamp())
