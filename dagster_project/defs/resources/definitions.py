"""The pipeline's resources, registered here only (dagster_project/lib/resources.py)."""

import dagster as dg

from dagster_project.lib.resources import resources

defs = dg.Definitions(resources=resources())
