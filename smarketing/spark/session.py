"""A local Spark session in this process, set up as dbt's ``spark`` output sets up its own.

The Spark settings are written once, in the profile (``dbt/profiles.yml``, output ``spark``,
``server_side_parameters``): they are read from there and rendered with this process's
environment, so the checks run here see the tables dbt built (same warehouse folder, same
metastore) and read instants as dbt wrote them (UTC).
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
    """The local Spark session over the tables a build put in HOME (``smarketing spark
    build --home``); one per process, as Spark allows."""
    from pyspark.sql import SparkSession

    conf = profile_conf({**os.environ, HOME_ENV: str(home.resolve())})
    builder = SparkSession.builder.appName("smarketing").enableHiveSupport()
    for key, value in conf.items():
        builder = builder.config(key, value)
    # this process's console is the user's: no progress bars, no JVM warnings
    session = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
