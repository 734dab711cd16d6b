"""``python -m smarketing_tools.bench.soak`` (``make soak``): runs killed at random moments while a
reader queries the serving copy.

A baseline run publishes the small-scale exports; then runs (each ``--full-refresh``, so every
stage has work) are killed with SIGKILL after a random delay until KILLS of them died, a run that
finishes first counting as a run; a last run finishes. Meanwhile a separate process reads the
serving copy in a loop. Reported: runs, kills (and the step each died in), reader queries and
errors, and whether nothing was lost: after every kill the serving copy holds the last
published run (the status file's), the reader only ever saw published runs, never an older
one after a newer, and the last run's marts equal the baseline's, table by table.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb

from smarketing.publish import read_status

AS_OF = "2026-11-20T00:00:00+01:00"
STEP = re.compile(r'STEP_START - Started execution of step "([^"]+)"')
READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

serving, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
with out.open("a", encoding="utf-8") as log:
    while not stop.exists():
        seen = {"t": time.time()}
        try:
            con = duckdb.connect(str(serving), read_only=True)
            try:
                con.execute("select count(*) from marts.dim_leads").fetchone()
                seen["run"] = con.execute(
                    "select run_id from audit.publications where status = 'published' "
                    "order by finished_at desc limit 1"
                ).fetchone()[0]
            finally:
                con.close()
        except Exception as exc:
            seen["error"] = f"{type(exc).__name__}: {exc}"
        log.write(json.dumps(seen) + "\n")
        log.flush()
        time.sleep(0.05)
"""


@dataclass
class Soak:
    root: Path
    runs: int = 0
    kills: int = 0
    killed_in: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SMARKETING_INBOX": str(self.root / "inbox"),
            "SMARKETING_WAREHOUSE": str(self.root / "warehouse.duckdb"),
            "SMARKETING_SERVING": str(self.root / "serving.duckdb"),
            "SMARKETING_DATA_DOCS": str(self.root / "data_docs"),
            "DAGSTER_HOME": str(self.root / "dagster_home"),
        }

    def start(self, full_refresh: bool) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "smarketing.cli", "run", "--as-of", AS_OF]
        return subprocess.Popen(
            [*args, "--full-refresh"] if full_refresh else args,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: dbt dies with it
        )

    def finish(self, full_refresh: bool = True) -> float:
        """One run to its end; its seconds. A run that does not publish is a problem."""
        started = time.monotonic()
        process = self.start(full_refresh)
        process.wait()
        self.runs += 1
        status = read_status(self.root / "publication.json")
        if process.returncode != 0 or status is None or status.status != "published":
            self.problems.append(f"a run that was not killed did not publish ({status})")
        return time.monotonic() - started

    def kill_after(self, delay: float) -> bool:
        """A run killed after DELAY seconds; False when it finished first."""
        earlier = set(self.logs())
        process = self.start(full_refresh=True)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            step = self.current_step(earlier)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            self.kills += 1
            self.killed_in[step] = self.killed_in.get(step, 0) + 1
            self.check_serving(f"after kill {self.kills} (in {step})")
            return True
        self.runs += 1
        return False

    def logs(self) -> list[Path]:
        return list((self.root / "logs").glob("run-*.log"))

    def current_step(self, earlier: set[Path]) -> str:
        """The step the run was in: the last one its log started (``start``: before any; the
        run's log is the one not in EARLIER)."""
        logs = [path for path in self.logs() if path not in earlier]
        if not logs:
            return "start"
        steps = STEP.findall(logs[0].read_text(encoding="utf-8", errors="replace"))
        return steps[-1] if steps else "start"

    def check_serving(self, when: str) -> None:
        """The serving copy holds the last published run, as the status file says."""
        status = read_status(self.root / "publication.json")
        held = published_run(self.root / "serving.duckdb")
        if status is None or held != status.last_published_run_id:
            last = status.last_published_run_id if status else None
            self.problems.append(f"{when}: serving copy holds {held}, last published {last}")


def published_run(database: Path) -> str | None:
    """The last run published, as DATABASE (the serving copy, or the warehouse) records it."""
    runs = publications(database)
    return runs[-1] if runs else None


def marts(serving: Path) -> dict[str, int]:
    """Rows of each table of the marts schema."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by 1"
            ).fetchall()
        ]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def reader_findings(path: Path, published: list[str]) -> tuple[int, list[str], list[str]]:
    """Queries, errors, and problems in what the reader saw: a run never published, or an older
    run after a newer one."""
    order = {run: i for i, run in enumerate(published)}
    queries, errors, problems, latest = 0, [], [], -1
    for line in path.read_text(encoding="utf-8").splitlines():
        seen = json.loads(line)
        queries += 1
        if "error" in seen:
            errors.append(seen["error"])
            continue
        place = order.get(seen["run"])
        if place is None:
            problems.append(f"the reader saw run {seen['run']}, never published")
        elif place < latest:
            problems.append(f"the reader saw run {seen['run']} after a newer one")
        else:
            latest = place
    return queries, errors, problems


def publications(database: Path) -> list[str]:
    """The runs published, the first first, as DATABASE records them."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return [
            row[0]
            for row in con.execute(
                "select run_id from audit.publications where status = 'published' "
                "order by finished_at"
            ).fetchall()
        ]
    finally:
        con.close()


@click.command()
@click.option("--kills", default=20, show_default=True, help="Runs to kill.")
@click.option("--seed", default=7, show_default=True, help="Seed of the kill delays.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/out/soak"),
    show_default=True,
)
def main(kills: int, seed: int, out: Path) -> None:
    """Kill runs at random moments while a reader queries the serving copy; exit 1 on a loss."""
    root = out.resolve()
    if not (root / "inbox").is_dir():
        click.echo(f"generating small-scale exports into {root} …")
        subprocess.run(
            [sys.executable, "-m", "smarketing.cli", "generate", "--scale", "small", "--seed",
             "42", "--out", str(root)],
            check=True,
        )  # fmt: skip
    for name in ("warehouse.duckdb", "serving.duckdb", "publication.json", "reads.jsonl"):
        (root / name).unlink(missing_ok=True)
    soak = Soak(root)
    click.echo("baseline run …")
    seconds = soak.finish(full_refresh=False)
    if soak.problems:
        raise click.ClickException(f"the baseline run did not publish: {soak.problems[0]}")
    baseline = marts(root / "serving.duckdb")
    click.echo(f"baseline: {seconds:.0f} s, {len(baseline)} mart tables")
    stop = root / "reader.stop"
    stop.unlink(missing_ok=True)
    reads = root / "reads.jsonl"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(root / "serving.duckdb"),
                               str(stop), str(reads)])  # fmt: skip
    delays = random.Random(seed)
    try:
        attempts = 0
        while soak.kills < kills and attempts < 3 * kills:
            attempts += 1
            delay = delays.uniform(1.0, seconds * 1.1)
            killed = soak.kill_after(delay)
            click.echo(
                f"  run {attempts}: {'killed' if killed else 'finished'} after "
                f"{delay:.1f} s ({soak.kills}/{kills} kills)"
            )
        click.echo("last run …")
        soak.finish()
    finally:
        stop.touch()
        reader.wait(timeout=60)
    soak.check_serving("after the last run")
    final = marts(root / "serving.duckdb")
    if final != baseline:
        tables = baseline.keys() | final.keys()
        differ = sorted(t for t in tables if baseline.get(t) != final.get(t))
        soak.problems.append(f"marts differ from the baseline's: {', '.join(differ)}")
    queries, errors, seen = reader_findings(reads, publications(root / "warehouse.duckdb"))
    soak.problems += seen
    click.echo(
        f"runs {soak.runs}, kills {soak.kills} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(soak.killed_in.items()))}), "
        f"reader queries {queries}, reader errors {len(errors)}, lost {len(soak.problems)}"
    )
    for line in [*errors[:5], *soak.problems]:
        click.echo(f"  {line}")
    sys.exit(1 if errors or soak.problems or soak.kills < kills else 0)


if __name__ == "__main__":
    main()
