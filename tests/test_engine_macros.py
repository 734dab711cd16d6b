"""The engine macros (the ``adapter.dispatch`` macros of dbt/macros/: parsing, text folding,
time zones, epochs, fingerprints, safe casts) give the same results on every engine the project
runs on: dbt's engine tests (dbt/tests/engine/, one per macro, tag ``engine``: hand-written
inputs and what they must give) run on DuckDB and on a local Spark (dbt-spark's session method,
``uv sync --extra spark``, Java 17). The cases are written in Europe/Paris, whatever the shared
definition's time zones."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.dbt_project import DBT_DIR, dbt_vars
from tests.dbt_process import dbt_test

ENGINE_TESTS = DBT_DIR / "tests" / "engine"
SPARK_MACROS = DBT_DIR / "macros" / "engine_spark.sql"


def run_engine_tests(engine: str, folder: Path) -> tuple[subprocess.CompletedProcess[str], dict]:
    """``dbt test --select tag:engine`` on ENGINE's output of the profile, its files in FOLDER:
    the process and its run_results.json."""
    variables = {
        **dbt_vars(),
        "source_time_zone": "Europe/Paris",
        "reporting_time_zone": "Europe/Paris",
    }
    env = {
        "SMARKETING_WAREHOUSE": str(folder / "engine.duckdb"),
        "SMARKETING_SPARK_HOME": str(folder / "spark"),
        "SMARKETING_SPARK_CORES": "1",
        "SMARKETING_SPARK_MEMORY": "1g",
    }
    options = ["--target", "dev" if engine == "duckdb" else engine]
    dbt = str(Path(sys.executable).with_name("dbt"))
    return dbt_test(folder, "tag:engine", variables, env, options, executable=dbt)


def require_spark() -> None:
    """Spark's prerequisites, named when missing (the suite needs them: `.ci/run` installs
    both)."""
    if shutil.which("java") is None:
        pytest.fail("Spark needs Java 17: apt-get install openjdk-17-jre-headless")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("Spark's extra is not installed: uv sync --extra spark")


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_every_engine_macro_gives_the_same_results(engine: str, tmp_path: Path) -> None:
    if engine == "spark":
        require_spark()
    run, results = run_engine_tests(engine, tmp_path)
    ran = {r["unique_id"].split(".")[2] for r in results["results"]}
    assert ran == {path.stem for path in ENGINE_TESTS.glob("*.sql")}
    failed = [
        f"{r['unique_id']}: {r['status']} {r['message']}"
        for r in results["results"]
        if r["status"] != "pass"
    ]
    assert not failed, "\n".join(failed) + "\n" + run.stdout[-3000:]
    assert run.returncode == 0, run.stdout[-3000:]


def spark_accent_map() -> dict[str, str]:
    """The letters spark_accented_letters() translates, and what to."""
    found = re.search(
        r"spark_accented_letters\(\).*?'([^']+)',\s*'([^']+)'", SPARK_MACROS.read_text(), re.S
    )
    assert found, "spark_accented_letters() not found"
    accented, plain = found.groups()
    assert len(accented) == len(plain)
    return dict(zip(accented, plain, strict=True))


def test_sparks_accent_folding_is_duckdbs_strip_accents() -> None:
    # Spark has no Unicode normalisation: its fold is a translate() over the letters DuckDB's
    # strip_accents changes, every lower-case Latin letter of the blocks names are written in
    letters = [
        chr(code)
        for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
        if unicodedata.category(chr(code)) == "Ll"
    ]
    con = duckdb.connect()
    stripped = dict(
        con.execute(
            "select letter, strip_accents(letter) from unnest(?) as t(letter)", [letters]
        ).fetchall()
    )
    expected = {k: v for k, v in stripped.items() if v != k}
    assert len(expected) > 200
    assert spark_accent_map() == expected
