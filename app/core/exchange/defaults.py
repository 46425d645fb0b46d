"""Where the default project lives and how it is first made: from the bundled seed articles."""
from __future__ import annotations

import os
from pathlib import Path

from .importer import import_sources
from ..store import Project

SEEDS_DIR = Path(__file__).resolve().parents[3] / "seeds"


def data_dir() -> Path:
    """TAWSIM_HOME if set (tests, portable installs), else the per-user data directory; made if missing."""
    home = os.environ.get("TAWSIM_HOME")
    if home:
        base = Path(home)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("tawsim", "Tawsim"))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_project_path() -> Path:
    return data_dir() / "default.db"


def open_or_create_with_seeds(path: Path, seeds: Path = SEEDS_DIR) -> Project:
    """Open `path`; on first start create it and import the seed articles into it."""
    if path.exists() and path.stat().st_size:
        return Project.open(path)
    project = Project.create(path)
    if seeds.is_dir():
        import_sources(project, [seeds])
    return project
