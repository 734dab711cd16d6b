"""The monthly committee pack: once a run is published, the months the run closed get their
pack (PDF and HTML, French and English). Materialised from the UI with ``months`` set, it draws
those months' packs on demand. Logic in ``smarketing.pack``."""

from datetime import date
from pathlib import Path

import dagster as dg

from dagster_project.lib.catalog import PACKS_KEY, SERVING_KEY
from dagster_project.lib.warehouse import WarehouseResource
from smarketing.pack import produce
from smarketing.settings import committee_dir


class PackConfig(dg.Config):
    months: list[str] = []  # noqa: RUF012 (Dagster copies a Config's defaults)
    """Months (YYYY-MM) to draw again; empty: the months closed since the last pack."""


def committee_packs(
    context: dg.AssetExecutionContext, config: PackConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    months = [date.fromisoformat(f"{month}-01") for month in config.months] or None
    folder = committee_dir(Path(warehouse.warehouse))
    with warehouse.connect() as con:
        produced = produce(con, folder, months)
    for month in produced.drawn:
        context.log.info(f"Committee pack of {month:%Y-%m}: {folder / f'{month:%Y-%m}'}")
    if produced.pdf_error:
        context.log.error(
            f"Committee pack PDFs not drawn (the HTML files were): {produced.pdf_error}"
        )
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(folder)),
            "months_frozen": len(produced.frozen),
            "months_drawn": ", ".join(f"{month:%Y-%m}" for month in produced.drawn) or "none",
            "files": len(produced.files),
            "pdf_error": produced.pdf_error or "",
        }
    )


committee_packs_asset = dg.asset(
    key=PACKS_KEY,
    deps=[SERVING_KEY],
    group_name="publish",
    kinds={"pdf", "html"},
    pool="warehouse",
    description="The committee pack of each closed month (smarketing.yml `committee`, or "
    "`smarketing committee close`): PDF (A4 landscape) and self-contained HTML, in French and "
    "English, under data/committee/YYYY-MM/, drawn from the month's frozen content "
    "(committee.packs).",
)(committee_packs)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[committee_packs_asset])
