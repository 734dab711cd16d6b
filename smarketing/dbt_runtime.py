"""How dbt opens the warehouse: the file and DuckDB's limits are given at run time, not in the
rendered profile.

dbt keeps the state of its last parse and reuses it only while the rendered connection profile
is unchanged; every value of the profile counts, the warehouse's absolute path and the memory
limit of the run included. A new warehouse (every first run, every test) or another memory
limit would then cost a full parse of the project (~6 s). So:

- ``smarketing-dbt`` (``main``) runs dbt from the warehouse's folder, the profile naming the file
  by its name (``SMARKETING_DBT_DATABASE``): the same profile for every warehouse of that name;
- the profile's plugin (``Plugin``) gives DuckDB its limits when the database opens, from the
  environment (``smarketing.duckdb_limits``), never through the profile.

``dbt`` run by hand with ``SMARKETING_WAREHOUSE`` (or the default path) works as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from smarketing import duckdb_limits

DATABASE_ENV = "SMARKETING_DBT_DATABASE"
WAREHOUSE_ENV = "SMARKETING_WAREHOUSE"
# profiles.yml's default, relative to the dbt folder
DEFAULT_WAREHOUSE = "../data/warehouse.duckdb"


class Plugin(BasePlugin):
    """DuckDB's memory limit, threads and spill folder for dbt's connection: the environment's
    (``smarketing.duckdb_limits``: a run sets them), else the machine's."""

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        warehouse = Path(creds.path).resolve()
        config.update(duckdb_limits.limits(warehouse))


def main() -> None:
    """``dbt`` with the same arguments, run from the warehouse's folder (``SMARKETING_WAREHOUSE``,
    else the profile's default path from where it starts)."""
    start = Path.cwd()
    warehouse = (start / os.environ.get(WAREHOUSE_ENV, DEFAULT_WAREHOUSE)).resolve()
    # what dbt would have found in the folder it was started from
    os.environ.setdefault("DBT_PROJECT_DIR", str(start))
    if (start / "profiles.yml").is_file():
        os.environ.setdefault("DBT_PROFILES_DIR", str(start))
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    os.environ[DATABASE_ENV] = warehouse.name
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.chdir(warehouse.parent)
    from dbt.cli.main import cli

    sys.exit(cli())
