"""The pipeline's resources, registered here only (dagster_project/lib/resources.py)."""

import dagster as dg

from dagster_project.lib.resources import resources


@dg.definitions
def defs() -> dg.Definitions:
    # the paths come from the environment as it is when the definitions load
    return dg.Definitions(resources=resources())
