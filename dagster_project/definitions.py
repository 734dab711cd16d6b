"""Dagster entry point: every concern under ``defs/`` registers its own definitions."""

from pathlib import Path

import dagster as dg

defs: dg.Definitions = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
