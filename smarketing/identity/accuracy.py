"""How well the warehouse tells people apart, against the generator's ground truth.

``python -m smarketing.identity.accuracy --data DIR`` reads ``DIR/truth/source_records.csv``
(which person each source record belongs to) and the warehouse (``--warehouse``, default
``$SMARKETING_WAREHOUSE``), and prints pairwise precision, recall and F1 for:

- ``resolution``: the project's identity resolution (``marts.bridge_lead_source_records``);
- ``email_only``: a baseline that links two records exactly when they hold the same
  normalised, well-formed e-mail address.

Pairwise: every pair of records put in the same person is a predicted pair; precision is the
share of predicted pairs that are truly one person, recall the share of true pairs found.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
import duckdb

from smarketing.settings import WAREHOUSE_ENV, Settings

TRUTH_FILE = Path("truth") / "source_records.csv"
METHODS = {
    "resolution": """
        select
            {key} as record_key,
            unified_lead_id as cluster
        from marts.bridge_lead_source_records
    """,
    "email_only": """
        select
            record_key,
            case when email_is_valid then email_normalised else record_key end as cluster
        from intermediate.int_person_records
    """,
}
RECORD_KEY = "concat_ws(':', source_system, source_entity, source_record_id)"


@dataclass(frozen=True)
class PairwiseScores:
    method: str
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"{self.method:<12} precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"F1 {self.f1:.4f}  ({self.correct_pairs:,} of {self.predicted_pairs:,} predicted "
            f"pairs correct; {self.true_pairs:,} true pairs; {self.records:,} records)"
        )


def pairwise_scores(
    con: duckdb.DuckDBPyConnection, method: str, assignments: str, truth: str
) -> PairwiseScores:
    """Scores of ``assignments`` (a query of ``record_key, cluster``) against ``truth`` (a
    relation of ``record_key, person_id``), over the records both hold."""
    rows = con.execute(
        f"""
        with assigned as ({assignments}),
        joined as (
            select assigned.record_key, assigned.cluster, truth.person_id
            from assigned
            inner join {truth} as truth using (record_key)
        ),
        by_cluster as (select count(*) as n from joined group by cluster),
        by_person as (select count(*) as n from joined group by person_id),
        by_both as (select count(*) as n from joined group by cluster, person_id)
        select
            (select count(*) from joined),
            (select coalesce(sum(n * (n - 1) // 2), 0) from by_person),
            (select coalesce(sum(n * (n - 1) // 2), 0) from by_cluster),
            (select coalesce(sum(n * (n - 1) // 2), 0) from by_both)
        """
    ).fetchall()
    records, true_pairs, predicted, correct = (int(v) for v in rows[0])
    return PairwiseScores(method, records, true_pairs, predicted, correct)


def measure(warehouse: Path, truth_csv: Path) -> list[PairwiseScores]:
    """Both methods' scores for the warehouse against one truth file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute(
            f"""
            create temp table truth as
            select {RECORD_KEY} as record_key, person_id
            from read_csv(?, header = true, all_varchar = true)
            """,
            [str(truth_csv)],
        ).fetchall()
        return [
            pairwise_scores(con, method, sql.format(key=RECORD_KEY), "truth")
            for method, sql in METHODS.items()
        ]
    finally:
        con.close()


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder the generator wrote (its truth/source_records.csv is read).",
)
@click.option(
    "--warehouse",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=f"DuckDB warehouse built from DATA/inbox (default: ${WAREHOUSE_ENV}).",
)
def main(data: Path, warehouse: Path | None) -> None:
    """Pairwise precision, recall and F1 of the identity resolution and of an e-mail-only
    baseline, against the generator's ground truth."""
    warehouse = warehouse or Settings.from_env().warehouse
    truth_csv = data / TRUTH_FILE
    if not truth_csv.exists():
        raise click.ClickException(f"{truth_csv} not found: --data must be a generator output")
    if not warehouse.exists():
        raise click.ClickException(f"warehouse {warehouse} not found: run `smarketing run`")
    for scores in measure(warehouse, truth_csv):
        click.echo(scores.line())


if __name__ == "__main__":
    sys.exit(main())
