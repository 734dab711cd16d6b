"""A local Spark session in this process, set up as dbt's ``spark`` output sets up its own.

The Spark settings are written once, in the profile (``dbt/profiles.yml``, output ``spark``,
``server_side_parameters``): they are read from there and rendered with this process's
environment, so the identity resolution and the checks run here see the tables dbt built
(same warehouse folder, registered in a catalog of this process's own: ``register_tables``)
and read instants as dbt wrote them (UTC).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

from smarketing.spark.build import HOME_ENV

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROFILE = Path(__file__).resolve().parents[2] / "dbt" / "profiles.yml"
OUTPUT = "spark"


def profile_conf(environment: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``spark`` output's Spark settings, rendered with ENVIRONMENT (this process's by
    default) as dbt renders them (``env_var(name, default)``)."""
    env = os.environ if environment is None else environment
    document = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    outputs = next(iter(document.values()))["outputs"]
    parameters = outputs[OUTPUT]["server_side_parameters"]

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(f"{PROFILE}: environment variable {name} is not set")
        return default

    templates = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return {
        key: templates.from_string(str(value)).render(env_var=env_var)
        for key, value in parameters.items()
    }


def local_session(home: Path) -> SparkSession:
    """A local Spark session over the tables a build put in HOME (``smarketing spark build
    --home``), one per process as Spark allows. Its catalog is its own, in memory
    (``register_tables``): the metastore belongs to dbt's process, and Derby lets one process
    open it. Splink's similarity functions (Jaro-Winkler) come with it."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    conf = profile_conf({**os.environ, HOME_ENV: str(home.resolve())})
    conf.update(
        {
            "spark.sql.catalogImplementation": "in-memory",
            "spark.jars": similarity_jar_location(),
            # this process's console is the user's: no progress bars
            "spark.ui.showConsoleProgress": "false",
        }
    )
    builder = SparkSession.builder.appName("smarketing")
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def register_tables(spark: SparkSession, home: Path) -> list[str]:
    """Every table of HOME (dbt's in ``tables/<schema>.db/<table>/``, the lake's in
    ``lake/<schema>/<table>/``) in SPARK's catalog, as it is now; the names registered."""
    folders = [
        (folder.parent.name.removesuffix(".db"), folder)
        for folder in sorted((home / "tables").glob("*.db/*"))
    ] + [(folder.parent.name, folder) for folder in sorted((home / "lake").glob("*/*"))]
    names = []
    for schema, folder in folders:
        if not folder.is_dir():
            continue
        name = f"`{schema}`.`{folder.name}`"
        spark.sql(f"create database if not exists `{schema}`")
        spark.sql(f"drop table if exists {name}")
        location = str(folder.resolve()).replace("\\", "\\\\").replace("'", "\\'")
        spark.sql(f"create table {name} using parquet location '{location}'")
        names.append(f"{schema}.{folder.name}")
    return names
