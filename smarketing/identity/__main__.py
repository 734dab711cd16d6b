"""``python -m smarketing.identity [WAREHOUSE]``: resolve identities in a built warehouse.

The dbt models the resolution reads must be built (``dbt build --exclude source:identity+``);
build the marts after it (``dbt build --select source:identity+``). The pipeline
(``smarketing run``) does all three in order.
"""

from __future__ import annotations

from pathlib import Path

import click

from smarketing.identity.resolve import resolve_identities
from smarketing.settings import Settings


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "warehouse", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@click.option("--retrain", is_flag=True, help="Train the match model again and score every pair.")
def main(warehouse: Path | None, retrain: bool) -> None:
    """Resolve the person records of WAREHOUSE (default: $SMARKETING_WAREHOUSE)."""
    target = warehouse or Settings.from_env().warehouse
    result = resolve_identities(
        target,
        progress=lambda message: click.echo(f"[identity] {message}", err=True),
        retrain=retrain,
    )
    click.echo(
        f"{result.records:,} records -> {result.persons:,} persons "
        f"({result.deterministic_links:,} deterministic links, "
        f"{result.probabilistic_links:,} probabilistic of {result.candidate_pairs:,} candidate "
        f"pairs; ids: {result.reused_ids:,} kept, {result.new_ids:,} new)"
    )


if __name__ == "__main__":
    main()
