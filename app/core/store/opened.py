"""The project files this process has opened, so that no writer can overwrite one.

Why here: opening is the store's business, and the output guard (app.core.io.output_guard, a layer above) asks this
registry before any file is written. A new project has no SQLite header yet and a link can hide its name, so the
guard cannot rely on looking at the file alone.
"""
from __future__ import annotations

import os
from pathlib import Path

_databases: set[str] = set()  # real paths of the projects this process has opened


def remember_database(path: str | Path) -> None:
    """Note an opened project (its real path; an in-memory project is nothing to protect)."""
    if str(path) != ":memory:":
        _databases.add(os.path.realpath(path))


def opened_databases() -> frozenset[str]:
    return frozenset(_databases)
