"""Ingestion: the inbox of exports, loaded unchanged into ``raw`` tables with a load audit;
then the erasure requests applied, and the rows of people erased earlier dropped
(smarketing/privacy/erasure.py), before anything is built on them; and the superseded
deliveries older than the retention period purged (smarketing/privacy/retention.py)."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from dagster_project.lib.warehouse import WarehouseResource
from smarketing.config import load_config
from smarketing.config.mappings import default_mappings_dir, load_mappings
from smarketing.ingest.loading import FileLoad, load_inbox
from smarketing.ingest.registry import export_kinds
from smarketing.ingest.report import run_file_issues
from smarketing.ingest.schema import AUDIT_SCHEMA, AUDIT_TABLES, RAW_SCHEMA, raw_table
from smarketing.privacy import erasure, retention
from smarketing.settings import Settings

INBOX_KEY = dg.AssetKey(["inbox"])

inbox = dg.AssetSpec(
    key=INBOX_KEY,
    description="CSV exports dropped by the RevOps team (Salesforce, HubSpot, …), "
    "recognised by their header. Folder: SMARKETING_INBOX.",
    group_name="inbox",
    kinds={"csv"},
)

raw_specs = [
    dg.AssetSpec(
        key=[RAW_SCHEMA, kind.table],
        deps=[INBOX_KEY],
        description=f"{kind.source_system} {kind.entity} exports as delivered: every column as "
        "text, plus _source_file, _file_sha256, _row_number, _loaded_at.",
        group_name="raw",
        kinds={"duckdb", kind.source_system},
    )
    for kind in export_kinds()
]
audit_specs = [
    dg.AssetSpec(
        key=[AUDIT_SCHEMA, table],
        deps=[INBOX_KEY],
        description={
            "load_audit": "One row per delivered file and load attempt: rows read, loaded, "
            "rejected, status and error.",
            "rejected_rows": "Rows that could not be loaded, with the reason.",
            "file_columns": "How each delivered header cell was named in its raw table.",
            "removed_rows": "Rows taken out of raw after their load (an erasure, the retention "
            "of old deliveries), file by file: raw = loaded - removed.",
        }[table],
        group_name="raw",
        kinds={"duckdb"},
    )
    for table in AUDIT_TABLES
]


@dg.multi_asset(specs=[*raw_specs, *audit_specs], name="load_inbox", pool="warehouse")
def load_inbox_asset(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    """Load every new file of the inbox into its raw table (one transaction per file)."""

    def progress(source_file: str, rows: int) -> None:
        context.log.info(f"{source_file}: {rows:,} rows read")

    # read at run time: a mapping added or edited applies to the next run
    mapped = tuple(mapping.kind() for mapping in load_mappings())
    with warehouse.connect() as con:
        results = load_inbox(
            con, warehouse.inbox_path, run_id=context.run_id, progress=progress, mapped=mapped
        )
        for result in results:
            _log_result(context, result)
        erased = erasure.apply(con, Settings.from_env(), context.run_id, (*export_kinds(), *mapped))
        for request in erased.requests:
            context.log.info(f"erasure request {request.request_id} applied")
        if erased.rows_removed:
            context.log.info(f"erasure: {erased.rows_removed:,} rows of erased people removed")
        days = load_config().retention.raw_deliveries_days
        if days is not None:
            purged = retention.purge(
                con, (*export_kinds(), *mapped), days, context.run_id, datetime.now(UTC)
            )
            if purged.rows:
                context.log.info(
                    f"retention: {purged.rows:,} superseded raw rows delivered before "
                    f"{purged.cutoff:%Y-%m-%d} purged"
                )
        by_table: dict[str, list[FileLoad]] = defaultdict(list)
        for result in results:
            if result.raw_table:
                by_table[result.raw_table].append(result)
        totals = {
            kind.table: con.execute(f"select count(*) from {raw_table(kind)}").fetchone()[0]
            for kind in (*export_kinds(), *mapped)
        }
        if not any(totals.values()):
            # Nothing to build on: say why here, rather than let a model or test fail later.
            issues = [
                line
                for issue in run_file_issues(
                    con, context.run_id, warehouse.inbox_path, default_mappings_dir()
                )
                for line in issue.lines()
            ]
            raise dg.Failure(
                description="No export recognised: the warehouse holds no record. "
                + (
                    "Files of this run:\n" + "\n".join(issues)
                    if issues
                    else f"The inbox {warehouse.inbox_path} holds no new export file."
                )
            )
        for kind in export_kinds():
            loaded = by_table.get(kind.table, [])
            yield dg.MaterializeResult(
                asset_key=[RAW_SCHEMA, kind.table],
                metadata={
                    "dagster/row_count": totals[kind.table],
                    "files_this_run": [r.source_file for r in loaded],
                    "rows_loaded_this_run": sum(r.rows_loaded for r in loaded),
                    "rows_rejected_this_run": sum(r.rows_rejected for r in loaded),
                },
            )
        for table in AUDIT_TABLES:
            total = con.execute(f"select count(*) from {AUDIT_SCHEMA}.{table}").fetchone()
            yield dg.MaterializeResult(
                asset_key=[AUDIT_SCHEMA, table],
                metadata={"dagster/row_count": total[0] if total else 0},
            )


def _log_result(context: dg.AssetExecutionContext, result: FileLoad) -> None:
    line = (
        f"{result.source_file}: {result.status} → {result.raw_table or '-'} "
        f"(read {result.rows_read:,}, loaded {result.rows_loaded:,}, "
        f"rejected {result.rows_rejected:,})"
    )
    if result.status in ("loaded",):
        context.log.info(line)
    else:
        context.log.warning(f"{line}: {result.error}")


defs = dg.Definitions(assets=[inbox, load_inbox_asset])
