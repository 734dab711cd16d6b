"""Dagster entry point: every concern under ``defs/`` registers its own definitions."""

import dagster as dg
from dagster.components import load_defs

import dagster_project.defs

defs: dg.Definitions = load_defs(defs_root=dagster_project.defs)
