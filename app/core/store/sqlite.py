"""The SQLite backend: what only a project *file* needs. Its counterpart for a server is postgres.py.

The store's shared SQL is written in SQLite's dialect (the default, single-file project); this module holds the
few things that are not SQL text at all: opening the file with its PRAGMAs (foreign keys, WAL, a busy timeout) and
registering `tkey`, the Arabic search key the document-list search calls, as a Python function.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .. import arabic


def connect(path: str | Path) -> sqlite3.Connection:
    """An autocommit connection (the store opens its own transactions) ready for the store's SQL."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
    conn.create_function("tkey", 1, arabic.search_key, deterministic=True)
    return conn


def exists(path: str | Path) -> bool:
    """A project file is there (an empty file, e.g. from mktemp, counts as none)."""
    return str(path) != ":memory:" and Path(path).exists() and Path(path).stat().st_size > 0


def data_version(conn: sqlite3.Connection) -> int:
    """A number that changes when another connection commits to the file (live.py's change check on SQLite)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]
