"""The ``smarketing`` command: generate demo exports, run the pipeline."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from smarketing.progress import ProgressPrinter
from smarketing.settings import AS_OF_ENV, FULL_REFRESH_ENV, INBOX_ENV, WAREHOUSE_ENV, Settings

if TYPE_CHECKING:
    from smarketing.config import SmarketingConfig

SCALES = ("small", "demo", "large")
# the generator's delivery modes (smarketing_tools.generator.deliveries.DELIVERIES), listed here
# so that the command line starts without importing the generator, and lists them without it
DELIVERIES = ("api", "report-en", "report-fr", "data-export", "hubspot-associations", "pipedrive")
# the entities of a mapping (smarketing.config.mappings.Entity), listed here for the same reason
ENTITIES = (
    "lead",
    "contact",
    "account",
    "opportunity",
    "stage_change",
    "activity",
    "marketing_event",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="smarketing-warehouse")
def main() -> None:
    """Smarketing warehouse: one set of facts about leads for Sales and Marketing.

    Exports dropped in the inbox are loaded unchanged into DuckDB, then dbt builds the
    warehouse. Paths come from SMARKETING_INBOX (default ./data/inbox) and
    SMARKETING_WAREHOUSE (default ./data/warehouse.duckdb).
    """


@main.command()
@click.option(
    "--scale",
    type=click.Choice(SCALES),
    default="small",
    show_default=True,
    help="small ≈ 2,000 people, demo ≈ 50,000, large ≈ 1,000,000 and 10M+ events.",
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="Same seed and scale, same bytes."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Exports go to OUT/inbox/, ground truth to OUT/truth/.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day of the generated history (default: a fixed date, for reproducibility).",
)
@click.option(
    "--delivery",
    type=click.Choice(DELIVERIES),
    default="api",
    show_default=True,
    help=(
        "Shape of the exports, same records: api (Data Loader and HubSpot UI files), "
        "report-en / report-fr (Salesforce report exports), data-export (Salesforce weekly "
        "Data Export), hubspot-associations (HubSpot exports with associated companies), "
        "pipedrive (a Pipedrive CRM instead of Salesforce, read through mappings/)."
    ),
)
@click.option(
    "--days-after",
    "days_after",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help=(
        "Add N daily deliveries (one per day after as-of, in dated folders) to the dataset "
        "already in OUT, whose files stay as they are; its scale, seed and as-of come from "
        "OUT/truth/manifest.json."
    ),
)
def generate(
    scale: str,
    seed: int,
    out_dir: Path,
    as_of: date | None,
    delivery: str,
    days_after: int | None,
) -> None:
    """Write realistic demo exports of a fictional French B2B software company.

    Salesforce (Data Loader) and HubSpot (English and French UI) exports, with the mess of
    real life, plus the ground truth the tests compare the warehouse with. --delivery writes
    the same records in another shape real teams deliver. --days-after N then adds the
    exports of the N following mornings (what changed each day) to a generated dataset.
    """
    if days_after is not None:
        _generate_days(out_dir, days_after)
        return
    with _demo_extra():
        from smarketing_tools.generator import generate as run_generator

    as_of_date = as_of.date() if as_of else None
    summary = run_generator(
        out_dir,
        scale=scale,
        seed=seed,
        as_of=as_of_date,
        progress=ProgressPrinter("generate"),
        delivery=delivery,
    )
    click.echo(f"Exports written to {out_dir / 'inbox'}, ground truth to {out_dir / 'truth'}")
    click.echo(str(summary))


@contextmanager
def _demo_extra() -> Iterator[None]:
    """The generator is its own package (smarketing-tools), installed with the `demo` extra:
    without it, say how to install it rather than show a traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] != "smarketing_tools":
            raise  # the generator is there but broken: its own error says more
        raise click.ClickException(
            "the demo exports generator is not installed: it comes with the `demo` extra, "
            "pip install 'smarketing-warehouse[demo]' (in a clone of the repository: "
            "uv sync --extra demo)"
        ) from exc


def _generate_days(out_dir: Path, days: int) -> None:
    context = click.get_current_context()
    given = [
        f"--{name.replace('_', '-')}"
        for name in ("scale", "seed", "as_of", "delivery")
        if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        manifest = out_dir / "truth" / "manifest.json"
        raise click.UsageError(
            f"--days-after reads the scale, seed and as-of from {manifest}: "
            f"leave out {', '.join(given)}"
        )
    with _demo_extra():
        from smarketing_tools.generator.daily import generate_days

    try:
        summary = generate_days(out_dir, days, progress=ProgressPrinter("generate"))
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(summary))


@main.command()
@click.option(
    "--inbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Folder of exports (default: ${INBOX_ENV} or ./data/inbox).",
)
@click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"DuckDB file to build (default: ${WAREHOUSE_ENV} or ./data/warehouse.duckdb).",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="TIMESTAMP",
    help=(
        f"Decide time-dependent outcomes (SLA pending or breached, cohort maturity) as of this "
        f"ISO 8601 instant; a date or a time without offset is read in the reporting time zone "
        f"(default: ${AS_OF_ENV}, else when the exports were taken: the latest record change "
        f"found in the deliveries)."
    ),
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help=(
        "Rebuild the incremental tables from everything loaded, instead of merging the files "
        "delivered since the last run (done on its own when the models or smarketing.yml "
        "changed). Frozen committee months stay frozen."
    ),
)
def run(inbox: Path | None, warehouse: Path | None, as_of: str | None, full_refresh: bool) -> None:
    """Materialize every asset: load the inbox, build and test the dbt models.

    Loads the files not loaded yet and merges them into the incremental tables. Checks the
    shared lead definition (smarketing.yml) first; the run writes it into the warehouse's
    `config` schema, which the models read. Runs in this process with Dagster; the run shows
    in the Dagster UI (same DAGSTER_HOME).
    """
    if full_refresh:
        os.environ[FULL_REFRESH_ENV] = "1"
    if inbox:
        os.environ[INBOX_ENV] = str(inbox)
    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    if as_of:
        os.environ[AS_OF_ENV] = _instant(as_of)
    _load_config(None)  # a wrong definition stops here, before Dagster starts
    settings = Settings.from_env()
    settings.export_env()
    if not settings.inbox.is_dir():
        raise click.ClickException(
            f"inbox {settings.inbox} does not exist: drop exports there, or run "
            "`smarketing generate` first"
        )
    from smarketing.pipeline import run_pipeline

    ok = run_pipeline(settings)
    sys.exit(0 if ok else 1)


CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The shared lead definition (default: $SMARKETING_CONFIG or ./smarketing.yml).",
)


@main.group()
def config() -> None:
    """The shared lead definition (smarketing.yml): check it."""


def _instant(text: str) -> str:
    """TEXT as an ISO 8601 instant with its offset (naive values: the reporting time zone)."""
    from zoneinfo import ZoneInfo

    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 date or timestamp (e.g. 2026-11-20T00:00:00+01:00)",
            param_hint="--as-of",
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(_load_config(None).calendar.reporting_time_zone))
    return value.isoformat()


def _load_config(config_path: Path | None) -> SmarketingConfig:
    from smarketing.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@config.command("dbt-vars")
@CONFIG_OPTION
def config_dbt_vars(config_path: Path | None) -> None:
    """Print the dbt vars the definition sets, as JSON, for a dbt command run by hand:
    dbt build --vars "$(uv run smarketing config dbt-vars)" (from dbt/)."""
    _load_config(config_path)  # a wrong definition says where
    from dagster_project.lib.dbt_project import dbt_vars

    click.echo(json.dumps(dbt_vars(config_path)))


@config.command("check")
@CONFIG_OPTION
def config_check(config_path: Path | None) -> None:
    """Validate the shared lead definition and print a summary.

    Fails when a key or value is wrong. The next run writes it into the warehouse.
    """
    from smarketing.config import default_config_path
    from smarketing.config.tables import definition_version

    cfg = _load_config(config_path)
    mql = cfg.stages.mql
    path = config_path or default_config_path()
    click.echo(f"{path}: valid (version {definition_version(path)})")
    click.echo(
        f"  MQL: score >= {mql.score_threshold}, countries {', '.join(mql.fit.countries)}, "
        f">= {mql.fit.min_employees} employees; or lifecycle stage "
        f"{', '.join(mql.hubspot_lifecycle_stages)}"
    )
    for stage in ("sal", "sql", "opportunity", "disqualified"):
        statuses = getattr(cfg.stages, stage).salesforce_lead_statuses
        click.echo(f"  {stage.upper()}: lead status {', '.join(statuses)}")
    click.echo(
        "  CUSTOMER: opportunity stage "
        + ", ".join(cfg.stages.customer.salesforce_opportunity_stages)
    )
    click.echo(f"  channels: {', '.join(cfg.channels)}")
    segments = [
        f"{name} {seg.min_employees}" + (f"-{seg.max_employees}" if seg.max_employees else "+")
        for name, seg in cfg.segments.items()
    ]
    click.echo(f"  segments: {', '.join(segments)}")
    click.echo(f"  offers: {', '.join(offer.name for offer in cfg.offers)}")
    click.echo(f"  key fields: {', '.join(cfg.key_fields)}")
    outbound = ", ".join(cfg.inbound.outbound_channels) or "none"
    click.echo(f"  inbound: every channel but {outbound}")
    click.echo(f"  disqualification reasons: {', '.join(cfg.disqualification_reasons)}")
    _check_severities(cfg)
    days = cfg.retention.raw_deliveries_days
    click.echo(
        f"  retention: superseded raw deliveries purged after {days} days"
        if days
        else "  retention: every raw delivery kept"
    )
    _check_mappings(cfg, config_path)
    _check_kpis(cfg)


def _check_severities(cfg: SmarketingConfig) -> None:
    from smarketing.quality.suites import SuiteError, load_suites

    try:
        load_suites(severities=cfg.checks.severities, key_fields=cfg.key_fields)
    except SuiteError as exc:
        raise click.ClickException(str(exc)) from exc
    decided = ", ".join(f"{k} {v}" for k, v in cfg.checks.severities.items())
    click.echo(f"  check severities: {decided or 'as the suites say'}")


def _check_kpis(cfg: SmarketingConfig) -> None:
    from smarketing.config.metrics import kpi_metric_errors

    errors = kpi_metric_errors(cfg)
    if errors:
        raise click.ClickException("\n".join(errors))
    shown = ", ".join(f"{name} ({metric})" for name, metric in cfg.committee.metrics().items())
    click.echo(f"  committee KPIs (metric): {shown}")


def _check_mappings(cfg: SmarketingConfig, config_path: Path | None) -> None:
    from smarketing.config import ConfigError
    from smarketing.config.mappings import channel_errors, default_mappings_dir, load_mappings

    folder = default_mappings_dir(config_path)
    try:
        mappings = load_mappings(folder)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    errors = channel_errors(mappings, set(cfg.channels))
    if errors:
        raise click.ClickException("\n".join(errors))
    shown = ", ".join(f"{m.name} ({m.source_system} {m.entity})" for m in mappings)
    click.echo(f"  mappings ({folder}): {shown or 'none'}")


@main.command("map")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--entity",
    type=click.Choice(ENTITIES),
    default=None,
    help="What one row of the export is (default: guessed from the header and file name).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the draft to this new file (default: print it).",
)
def map_export(file: Path, entity: str | None, out: Path | None) -> None:
    """Draft a mapping file for the CSV export FILE of any other tool.

    Reads its header and up to 1,000 rows and guesses the entity, the header cell of each
    canonical field, the values of statuses, stages, sources and flags, and the formats; each
    guess is commented. Review the draft, save it in the mappings folder, then run
    `smarketing config check`.
    """
    from smarketing.config.drafting import DraftError, draft_mapping

    if out is not None and out.exists():
        raise click.ClickException(f"{out} already exists: choose another --out, or remove it")
    try:
        text = draft_mapping(file, entity=entity, channels=_channel_names())
    except DraftError as exc:
        raise click.ClickException(str(exc)) from exc
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        with out.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    click.echo(f"Draft mapping written to {out}: review it, then run `smarketing config check`")


def _channel_names() -> dict[str, tuple[str, ...]] | None:
    """The channels of smarketing.yml for guessing lead sources; None when it does not load
    (a draft does not need it)."""
    from smarketing.config import load_config
    from smarketing.config.drafting import channel_names

    try:
        return channel_names(load_config())
    except (OSError, ValueError):  # ConfigError is a ValueError
        return None


WAREHOUSE_OPTION = click.option(
    "--warehouse",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"DuckDB file (default: ${WAREHOUSE_ENV} or ./data/warehouse.duckdb).",
)


@main.group()
def committee() -> None:
    """The monthly performance committee's frozen figures."""


@committee.command("close")
@click.argument("months", nargs=-1, required=True, metavar="YYYY-MM...")
@WAREHOUSE_OPTION
def committee_close(months: tuple[str, ...], warehouse: Path | None) -> None:
    """Freeze the KPIs of MONTHS now (marts.fct_committee_kpi_snapshots).

    A month is otherwise frozen by the closing rule of smarketing.yml
    (committee.closes_on_working_day). Frozen figures are never rewritten: late data changes
    the live KPIs, and marts.fct_committee_kpi_revisions shows the difference.
    """
    from smarketing.committee import CloseError, close_months

    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    settings = Settings.from_env()
    try:
        summary = close_months(list(months), settings.warehouse)
    except CloseError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Closed {', '.join(months)} in {settings.warehouse}: {summary}")
    _draw_packs(settings, list(months))


def _draw_packs(settings: Settings, months: list[str]) -> None:
    """Freeze and draw the committee packs of MONTHS (YYYY-MM), saying where they are."""
    from datetime import date

    from smarketing import duckdb_limits
    from smarketing.committee import MONTH
    from smarketing.pack import PackError, files_of, produce

    for month in months:
        if not MONTH.match(month):
            raise click.ClickException(f"{month!r} is not a month: expected YYYY-MM, e.g. 2026-10")
    if not settings.warehouse.is_file():
        raise click.ClickException(
            f"warehouse {settings.warehouse} does not exist: run `smarketing run` first"
        )
    asked = [date.fromisoformat(f"{month}-01") for month in months]
    con = duckdb_limits.connect(settings.warehouse, warehouse=settings.warehouse)
    try:
        produced = produce(con, settings.committee_dir, asked)
    except PackError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        con.close()
    for month in produced.drawn:
        for path in files_of(settings.committee_dir, month):
            if path.is_file():
                click.echo(f"Committee pack: {path}")
    if produced.pdf_error:
        raise click.ClickException(f"the PDFs could not be drawn: {produced.pdf_error}")


@committee.command("pack")
@click.argument("months", nargs=-1, required=True, metavar="YYYY-MM...")
@WAREHOUSE_OPTION
def committee_pack(months: tuple[str, ...], warehouse: Path | None) -> None:
    """Draw the committee pack of closed MONTHS: PDF and HTML, French and English, under
    the committee folder (default: `committee/` beside the warehouse, or
    $SMARKETING_COMMITTEE_DIR). A pack shows the figures frozen when its month closed: drawn
    again, it is the same."""
    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    _draw_packs(Settings.from_env(), list(months))


@main.group()
def spark() -> None:
    """The models on Apache Spark (its extra: `uv sync --extra spark`; Java 17)."""


@spark.command("build")
@WAREHOUSE_OPTION
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Spark's tables, metastore and lake (default: $SMARKETING_SPARK_HOME, else spark/ "
    "beside the warehouse).",
)
@click.option(
    "--checks/--no-checks",
    default=True,
    show_default=True,
    help="Then run the Great Expectations suites on Spark's tables (Spark dataframes).",
)
def spark_build(warehouse: Path | None, home: Path | None, checks: bool) -> None:
    """Build and test every model on a local Spark, from the warehouse's inputs.

    The raw deliveries, load audit and definition of the warehouse (built by `smarketing run`)
    are written to Parquet, then dbt builds the project on the profile's `spark` output as of
    the warehouse's own instant, in two parts around the identity resolution (Splink's pairs,
    training and scores on Spark; the warehouse's ids kept): the same tables, in Spark's
    warehouse.
    The Great Expectations suites then run on Spark's tables; a blocking failure or an engine
    error ends the command with status 1.
    """
    from smarketing.spark.build import HOME_ENV, build

    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    settings = Settings.from_env()
    if not settings.warehouse.is_file():
        raise click.ClickException(f"{settings.warehouse} does not exist: run `smarketing run`")
    folder = home or Path(os.environ.get(HOME_ENV) or settings.warehouse.parent / "spark")
    from dagster_project.lib.dbt_project import dbt_vars

    try:
        result = build(settings.warehouse, folder.resolve(), dbt_vars(), echo=sys.stdout)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Spark's tables: {result.tables} (Parquet, <schema>.db/<table>/)")
    click.echo(f"Full log: {result.log}")
    seconds = dict(result.seconds)
    stopped = result.returncode
    if stopped == 0 and checks:
        from smarketing.quality.checks import stops_the_run
        from smarketing.spark import quality

        started = time.monotonic()
        results = quality.check_build(result.home, echo=click.echo)
        seconds["checks"] = round(time.monotonic() - started, 2)
        for line in quality.summary(results):
            click.echo(line)
        stopped = 1 if stops_the_run(results) else 0
    result.timings.write_text(json.dumps(seconds, indent=2), encoding="utf-8")
    click.echo("Stages: " + ", ".join(f"{stage} {s:.1f} s" for stage, s in seconds.items()))
    sys.exit(stopped)


@main.command()
@click.option("--email", default=None, help="The person's e-mail address.")
@click.option(
    "--record-id", default=None, help="The id of one of the person's records (lead, contact)."
)
@click.option("--status", "show", is_flag=True, help="List the requests and their state.")
@WAREHOUSE_OPTION
def erase(email: str | None, record_id: str | None, show: bool, warehouse: Path | None) -> None:
    """Record a request to erase a person (right to erasure); the next run applies it.

    The run removes the person (every record the identity resolution joined to them) from the
    raw deliveries, staging, identity, marts, both serving copies and the check history, and
    drops them from later deliveries. The register keeps a keyed-hash tombstone, the dates and
    the request id: never the e-mail or the record id once applied.
    """
    from smarketing.privacy import erasure
    from smarketing.privacy.register import RequestError

    if warehouse:
        os.environ[WAREHOUSE_ENV] = str(warehouse)
    settings = Settings.from_env()
    if show:
        for item in erasure.requests(settings):
            when = (
                f"applied {item.applied_at} (run {item.run_id})" if item.applied_at else "pending"
            )
            click.echo(f"{item.request_id}  {item.kind:<9}  requested {item.requested_at}  {when}")
        return
    if (email is None) == (record_id is None):
        raise click.UsageError("give one of --email or --record-id")
    kind = "email" if email is not None else "record_id"
    try:
        found, new = erasure.request(settings, kind, email or record_id or "")
    except RequestError as exc:
        raise click.ClickException(str(exc)) from exc
    if not new:
        state = f"applied {found.applied_at}" if found.applied_at else "pending"
        click.echo(f"Already requested: {found.request_id} ({state}).")
        return
    click.echo(
        f"Erasure request {found.request_id} recorded; the next run (smarketing run) applies it."
    )


if __name__ == "__main__":
    main()
