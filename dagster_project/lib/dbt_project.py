"""The dbt project, and a manifest that is never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
SOURCE_GLOBS = (
    "dbt_project.yml",
    "profiles.yml",
    "models/**/*",
    "macros/**/*",
    "seeds/**/*",
    "tests/**/*",
    "snapshots/**/*",
    "analyses/**/*",
)


def dbt_executable() -> str:
    """dbt from this interpreter's environment, whatever PATH says."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _newest_source_mtime() -> float:
    return max(
        (
            p.stat().st_mtime
            for pattern in SOURCE_GLOBS
            for p in DBT_DIR.glob(pattern)
            if p.is_file()
        ),
        default=0.0,
    )


def ensure_manifest(project: DbtProject) -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than a project file."""
    manifest = project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
            ],
            check=True,
            cwd=DBT_DIR,
        )
    return manifest


dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
