"""Erasure: a person asked to be forgotten (RGPD / GDPR article 17).

``request()`` records the request (smarketing/privacy/register.py). The next run, right after
its load, ``apply()``s every pending request in one transaction of the working warehouse:

1. the person is found: the records holding the e-mail, or the record id, then (through the
   last identity resolution) every record of the same person in any tool, with their e-mails,
   phones and ids;
2. their rows are deleted: raw rows holding one of those e-mails in any column, rows of person
   exports (leads, contacts) whose id is one of theirs, rows of activity-like exports (tasks,
   events, marketing events, campaign members, history) that refer to one of those ids; the
   identity tables' rows of those records; rejected rows holding them; staging, intermediate
   and mart rows naming them (the run then rebuilds every incremental model from raw);
   their e-mails, phones and names are replaced by ``[erased]`` in the check history. Business
   objects (opportunities, deals, accounts, companies) stay: they are the company's, and keep
   only an id that no longer leads to anyone;
3. the serving copies are rewritten without them at once (the run may not publish);
4. the request becomes a tombstone: keyed hashes only.

Every later run drops, among the rows it loads, those whose e-mail or person id hashes to a
tombstone: a later export of the same person does not bring them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from smarketing.ingest.registry import ExportKind
from smarketing.ingest.schema import quote
from smarketing.privacy import pseudonym, register
from smarketing.privacy.register import ErasureRequest, RequestKind
from smarketing.publish.serving import rewrite_serving_copy
from smarketing.relations import has_table
from smarketing.settings import Settings

ERASED = "[erased]"
ERASURES = "audit.erasures"
PERSON_ENTITIES = frozenset({"lead", "contact"})
PERSON_WORDS = ("who", "lead", "contact", "person")
# the company's own records: kept, their pointer to the person leads nowhere once it is erased
BUSINESS_ENTITIES = frozenset(
    {
        "opportunity",
        "opportunity_history",
        "deal",
        "account",
        "company",
        "campaign",
        "user",
        "currency_type",
        "dated_conversion_rate",
        "opportunities",
        "accounts",
    }
)
# the check history's text columns where a value may have been quoted
HISTORY_TEXT = {
    "audit.quality_history": ("observed_value", "details", "expectation_kwargs"),
    "audit.quality_validations": ("result_json",),
    "audit.publications": ("reason",),
    "audit.load_audit": ("error",),
}
MODEL_SCHEMAS = ("staging", "intermediate", "identity", "marts")


@dataclass(frozen=True)
class Applied:
    requests: list[ErasureRequest]
    """The requests applied by this run (tombstones now)."""
    rows_removed: int
    """Rows deleted: the requested people's, and this run's rows of people erased earlier."""

    @property
    def changed(self) -> bool:
        return bool(self.requests) or self.rows_removed > 0


def request(settings: Settings, kind: RequestKind, value: str) -> tuple[ErasureRequest, bool]:
    """Record an erasure request; (the request, whether it is new). The same person asked
    again while pending, or already erased, gives the earlier request."""
    key = pseudonym.load_key(settings.warehouse)
    requested = pseudonym.pseudonym(key, value)
    with register.locked(settings.privacy_dir) as path:
        requests = register.read(path)
        for earlier in requests:
            if earlier.requested == requested or requested in earlier.identifiers:
                return earlier, False
        new = register.new_request(kind, value, requested)
        register.write(path, [*requests, new])
    return new, True


def requests(settings: Settings) -> list[ErasureRequest]:
    with register.locked(settings.privacy_dir) as path:
        return register.read(path)


def apply(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    kinds: Sequence[ExportKind],
) -> Applied:
    """Apply the pending requests and the tombstones to the warehouse CON (its load done)."""
    with register.locked(settings.privacy_dir) as path:
        known = register.read(path)
        pending = [r for r in known if r.status == "pending"]
        tombstones = {i for r in known if r.status == "applied" for i in r.identifiers}
        if not pending and not tombstones:
            return Applied([], 0)
        pseudonym.create_macro(con, pseudonym.load_key(settings.warehouse))
        raw = _raw_tables(con, kinds)
        _start_sets(con)
        for item in pending:
            _add(con, "email" if item.kind == "email" else "id", [item.value or ""])
        if tombstones:
            _tombstoned_rows(con, raw, run_id, tombstones)
        if not _count(con, "select count(*) from erase_values"):
            return Applied([], 0)
        con.execute("begin transaction")
        try:
            _expand(con, raw)
            identifiers = con.execute(
                f"select distinct {pseudonym.MACRO}(value) from erase_values "
                "where kind in ('email', 'id', 'phone')"
            ).fetchall()
            removed = _delete(con, raw, run_id, requested=bool(pending))
            _record(con, pending, run_id)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        hashes = [value for (value,) in identifiers]
        # requests applied by one run share what was found: each tombstone holds all of it
        done = {item.request_id: item.applied(run_id, hashes, removed) for item in pending}
        register.write(path, [done.get(r.request_id, r) for r in known])
    if pending:
        scrub_serving_copies(settings, _values(con), hashes)
    return Applied(list(done.values()), removed)


# --- finding the person -------------------------------------------------------------------


def _start_sets(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create or replace temp table erase_values (kind varchar, value varchar)")


def _add(con: duckdb.DuckDBPyConnection, kind: str, values: Iterable[str]) -> None:
    rows = [(kind, _norm(kind, v)) for v in values if v and v.strip()]
    if rows:
        con.executemany("insert into erase_values values (?, ?)", rows)


def _norm(kind: str, value: str) -> str:
    return pseudonym.normalise(value) if kind == "email" else value.strip()


def _raw_tables(con: duckdb.DuckDBPyConnection, kinds: Sequence[ExportKind]) -> list[RawTable]:
    present = {
        name: columns
        for name, columns in con.execute(
            "select table_name, list(column_name order by column_index) filter "
            "(data_type = 'VARCHAR') from duckdb_columns() "
            "where database_name = current_database() and schema_name = 'raw' group by all"
        ).fetchall()
    }
    return [RawTable(kind, present[kind.table]) for kind in kinds if kind.table in present]


@dataclass(frozen=True)
class RawTable:
    kind: ExportKind
    text_columns: list[str]

    @property
    def name(self) -> str:
        return f"raw.{quote(self.kind.table)}"

    @property
    def is_person(self) -> bool:
        return self.kind.entity in PERSON_ENTITIES

    @property
    def refers(self) -> list[str]:
        """Columns that point at a person's record (``who_id``, ``contact_record_id``…): by
        name, as numeric ids (HubSpot, Pipedrive) of other objects may equal a person's."""
        if self.is_person or self.kind.entity in BUSINESS_ENTITIES:
            return []
        return [
            c
            for c in self.text_columns
            if c.endswith("_id") and c != self.kind.key and any(w in c for w in PERSON_WORDS)
        ]

    def email_match(self) -> str:
        values = "(select value from erase_values where kind = 'email')"
        return (
            " or ".join(
                f"(contains({quote(c)}, '@') and lower(trim({quote(c)})) in {values})"
                for c in self.text_columns
            )
            or "false"
        )


def _tombstoned_rows(
    con: duckdb.DuckDBPyConnection, raw: list[RawTable], run_id: str, tombstones: set[str]
) -> None:
    """The clear e-mails and ids, among this run's rows, that hash to a tombstone."""
    con.execute("create or replace temp table tombstones (hash varchar)")
    con.executemany("insert into tombstones values (?)", [(t,) for t in sorted(tombstones)])
    con.execute(
        "create or replace temp table this_run_files as select file_sha256, raw_table "
        "from audit.load_audit where run_id = ? and rows_loaded > 0",
        [run_id],
    )
    loaded = {t for (t,) in con.execute("select distinct raw_table from this_run_files").fetchall()}
    this_run = "_file_sha256 in (select file_sha256 from this_run_files)"
    for table in raw:
        if not table.text_columns or table.kind.table not in loaded:
            continue
        ids = [table.kind.key] if table.is_person else table.refers
        cells = [
            f"select 'email' as kind, lower(trim({quote(c)})) as value from {table.name} "
            f"where {this_run} and contains({quote(c)}, '@')"
            for c in table.text_columns
        ] + [
            f"select 'id', trim({quote(c)}) from {table.name} where {this_run}"
            for c in ids
            if c in table.text_columns
        ]
        con.execute(
            f"""
            insert into erase_values
            select distinct kind, value from ({" union all ".join(cells)})
            where value is not null and {pseudonym.MACRO}(value) in (select hash from tombstones)
            """
        )


def _expand(con: duckdb.DuckDBPyConnection, raw: list[RawTable]) -> None:
    """Every record of the person: raw person rows holding the e-mail or id, then every record
    the last identity resolution gave the same person, with their e-mails, phones and names."""
    for table in raw:
        if not table.is_person or table.kind.key not in table.text_columns:
            continue
        key = quote(table.kind.key)
        found = (
            f"select * from {table.name} where ({table.email_match()}) "
            f"or {key} in (select value from erase_values where kind = 'id')"
        )
        emails = [
            f"select 'email', lower(trim({quote(c)})) from found where contains({quote(c)}, '@')"
            for c in table.text_columns
        ]
        con.execute(
            f"""
            insert into erase_values
            with found as ({found})
            select distinct * from (
                select 'id', {key} from found
                union all {" union all ".join(emails)}
                union all select 'key', '{table.kind.source_system}:{table.kind.entity}:'
                    || {key} from found
            )
            """
        )
    if all(has_table(con, t) for t in ("identity.person_links", "intermediate.int_person_records")):
        con.execute(
            """
            insert into erase_values
            with seeds as (
                select record_key from intermediate.int_person_records
                where email_normalised in (select value from erase_values where kind = 'email')
                    or source_record_id in (select value from erase_values where kind = 'id')
                    or record_key in (select value from erase_values where kind = 'key')
            ),
            persons as (
                select distinct unified_lead_id from identity.person_links
                where record_key in (select record_key from seeds)
            ),
            records as (
                select record_key from identity.person_links
                where unified_lead_id in (select unified_lead_id from persons)
                union select record_key from seeds
            ),
            found as (
                select * from intermediate.int_person_records
                where record_key in (select record_key from records)
            )
            select distinct kind, value from (
                select 'unified' as kind, unified_lead_id as value from persons
                union all select 'key', record_key from found
                union all select 'id', source_record_id from found
                union all select 'email', email_normalised from found
                union all select 'email', lower(trim(email)) from found
                union all select 'phone', phone from found
                union all select 'phone', mobile_phone from found
                union all select 'name', trim(concat_ws(' ', first_name, last_name)) from found
            ) where value is not null and value <> ''
            """
        )
        if has_table(con, "identity.person_phones"):
            con.execute(
                """
                insert into erase_values
                select distinct 'phone', value from identity.person_phones
                unpivot (value for kind in (phone_e164, mobile_phone_e164, personal_phone_e164))
                where record_key in (select value from erase_values where kind = 'key')
                """
            )
    con.execute("create or replace temp table erase_values as select distinct * from erase_values")


# --- deleting them ------------------------------------------------------------------------


def _delete(
    con: duckdb.DuckDBPyConnection, raw: list[RawTable], run_id: str, *, requested: bool
) -> int:
    """Delete the person's rows; REQUESTED (not only this run's rows of people erased earlier,
    which nothing was built on yet): from the modelled layers and the check history too."""
    removed = 0
    ids = "(select value from erase_values where kind = 'id')"
    for table in raw:
        match = [f"({table.email_match()})"]
        if table.is_person and table.kind.key in table.text_columns:
            match.append(f"{quote(table.kind.key)} in {ids}")
        match += [f"{quote(c)} in {ids}" for c in table.refers]
        where = " or ".join(match)
        # the load audit keeps what was loaded: what leaves raw is counted file by file
        con.execute(
            f"""
            insert into audit.removed_rows
            select ?, ?, _file_sha256, 'erasure', count(*), now()
            from {table.name} where {where} group by _file_sha256
            """,
            [run_id, table.kind.table],
        )
        removed += _deleted(con, f"delete from {table.name} where {where}")
    if has_table(con, "audit.rejected_rows"):
        removed += _delete_rejected(con, None)
    if requested:
        removed += _scrub_models(con, None)
        _scrub_text(con, None)
    return removed


def _delete_rejected(con: duckdb.DuckDBPyConnection, catalog: str | None) -> int:
    """Rejected rows (as delivered) holding one of the e-mails or ids."""
    return _deleted(
        con,
        f"""
        delete from {_qualified(catalog, "audit", "rejected_rows")}
        where list_has_any(list_transform(raw_fields, lambda f: lower(trim(f))),
                (select list(value) from erase_values where kind = 'email'))
            or list_has_any(list_transform(raw_fields, lambda f: trim(f)),
                (select list(value) from erase_values where kind = 'id'))
        """,
    )


def _scrub_models(con: duckdb.DuckDBPyConnection, catalog: str | None) -> int:
    """Rows of the modelled layers (or of a serving copy's marts) that name the person: by
    unified id, record key, e-mail, phone or pseudonym, in columns of those kinds."""
    removed = 0
    for schema, table, columns in _text_columns(con, catalog, MODEL_SCHEMAS):
        checks = [
            f"{quote(c)} in (select value from erase_values)" for c in columns if _names_person(c)
        ]
        if checks:
            name = _qualified(catalog, schema, table)
            removed += _deleted(con, f"delete from {name} where {' or '.join(checks)}")
    return removed


def _names_person(column: str) -> bool:
    """Whether a modelled column holds a person's id, record key, e-mail or phone."""
    return (
        column in ("unified_lead_id", "email", "email_normalised", "phone", "mobile_phone")
        or column in ("lead_id", "contact_id", "who_id", "lead_or_contact_id")
        or column in ("converted_contact_id", "typed")  # typed: a phone number as delivered
        or column.endswith(("record_key", "record_key_l", "record_key_r", "_record_id", "e164"))
    )


def _scrub_text(con: duckdb.DuckDBPyConnection, catalog: str | None) -> None:
    """E-mails, phones and full names quoted in the check history become ``[erased]``."""
    texts = [
        value
        for (value,) in con.execute(
            "select value from erase_values where kind in ('email', 'phone', 'name', 'pseudonym') "
            "and length(value) >= 5 order by length(value) desc"
        ).fetchall()
    ]
    if not texts:
        return
    for name, columns in HISTORY_TEXT.items():
        schema, table = name.split(".")
        if not has_table(con, f"{schema}.{table}", catalog):
            continue
        qualified = _qualified(catalog, schema, table)
        for column in columns:
            expression = quote(column)
            for text in texts:
                expression = f"replace({expression}, {_literal(text)}, '{ERASED}')"
            con.execute(
                f"update {qualified} set {quote(column)} = {expression} "
                f"where {quote(column)} is not null and ("
                + " or ".join(f"contains({quote(column)}, {_literal(t)})" for t in texts)
                + ")"
            )


def _record(con: duckdb.DuckDBPyConnection, pending: list[ErasureRequest], run_id: str) -> None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"""
        create table if not exists {ERASURES} (
            request_id varchar, requested_at timestamptz, applied_at timestamptz,
            run_id varchar, kind varchar
        )
        """
    )
    for item in pending:
        con.execute(
            f"insert into {ERASURES} values (?, ?::timestamptz, now(), ?, ?)",
            [item.request_id, item.requested_at, run_id, item.kind],
        )


# --- the serving copies -------------------------------------------------------------------


def scrub_serving_copies(
    settings: Settings, values: list[tuple[str, str]], hashes: list[str]
) -> None:
    """Rewrite each serving copy without the person (the shared one holds pseudonyms)."""
    for path, pseudonymised in (
        (settings.serving_restricted, False),
        (settings.serving, True),
    ):
        if not path.is_file():
            continue
        rows = [*values, *(("pseudonym", h) for h in (hashes if pseudonymised else []))]

        def scrub(con: duckdb.DuckDBPyConnection, catalog: str, rows: list = rows) -> None:
            _start_sets(con)
            if rows:
                con.executemany("insert into erase_values values (?, ?)", rows)
            _scrub_models(con, catalog)
            if has_table(con, "audit.rejected_rows", catalog):
                _delete_rejected(con, catalog)
            _scrub_text(con, catalog)

        rewrite_serving_copy(path, settings.warehouse, scrub)


# --- helpers ------------------------------------------------------------------------------


def _values(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [(kind, value) for kind, value in con.execute("select * from erase_values").fetchall()]


def _text_columns(
    con: duckdb.DuckDBPyConnection, catalog: str | None, schemas: Sequence[str]
) -> list[tuple[str, str, list[str]]]:
    database = catalog or con.execute("select current_database()").fetchone()[0]
    return [
        (schema, table, columns)
        for schema, table, columns in con.execute(
            "select c.schema_name, c.table_name, list(c.column_name order by c.column_index) "
            "from duckdb_columns() c join duckdb_tables() t on t.database_name = c.database_name "
            "and t.schema_name = c.schema_name and t.table_name = c.table_name "
            "where c.database_name = ? and list_contains(?, c.schema_name) "
            "and c.data_type = 'VARCHAR' group by all order by all",
            [database, list(schemas)],
        ).fetchall()
    ]


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row else 0


def _deleted(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _qualified(catalog: str | None, schema: str, table: str) -> str:
    prefix = f"{quote(catalog)}." if catalog else ""
    return f"{prefix}{quote(schema)}.{quote(table)}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
