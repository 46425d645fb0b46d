"""The SQLite backend: what only a project *file* needs. Its counterpart for a server is postgres.py.

The store's shared SQL is written in SQLite's dialect (the default, single-file project); this module holds the
few things that are not SQL text at all: opening the file with its PRAGMAs (foreign keys, WAL, a busy timeout) and
registering `tkey`, the Arabic search key the document-list search calls, as a Python function.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..text import arabic
from .failures import busy_timeout_ms


def connect(path: str | Path) -> sqlite3.Connection:
    """An autocommit connection (the store opens its own transactions) ready for the store's SQL."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
    except sqlite3.Error:  # a locked or full file: close what was opened, the caller reports the error
        conn.close()
        raise
    conn.create_function("tkey", 1, arabic.search_key, deterministic=True)
    return conn


def exists(path: str | Path) -> bool:
    """A project file is there (an empty file, e.g. from mktemp, counts as none)."""
    return str(path) != ":memory:" and Path(path).exists() and Path(path).stat().st_size > 0


def data_version(conn: sqlite3.Connection) -> int:
    """A number that changes when another connection commits to the file (live.py's change check on SQLite)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]


def set_busy_timeout(conn: sqlite3.Connection, ms: int) -> None:
    """How long a write waits for another connection's write lock before "database is locked"."""
    conn.execute(f"PRAGMA busy_timeout = {int(ms)}")


def set_read_only(conn: sqlite3.Connection, read_only: bool) -> None:
    """Refuse every write on this connection (a window opened read-only)."""
    conn.execute(f"PRAGMA query_only = {1 if read_only else 0}")


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A deferred transaction for reads only: in WAL mode it sees one consistent state of the file and never
    takes, nor waits for, the write lock (query_only makes a write inside fail instead of taking it). Joins an
    outer transaction if one is open."""
    if conn.in_transaction:
        yield
        return
    was_read_only = conn.execute("PRAGMA query_only").fetchone()[0]  # a read-only window stays read-only
    conn.execute("BEGIN DEFERRED")
    conn.execute("PRAGMA query_only = ON")
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # the snapshot starts here, not later
        yield
    finally:
        conn.execute(f"PRAGMA query_only = {1 if was_read_only else 0}")
        if conn.in_transaction:
            conn.execute("COMMIT")
