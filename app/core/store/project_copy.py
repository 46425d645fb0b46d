"""`tawsim copy SOURCE DEST`: a whole project from one place to another, SQLite file <-> PostgreSQL server, losslessly.

Why a table-by-table copy rather than export + import: an export is what annotators made, not everything a project
holds (settings, roles, label colours and keys, the gazetteer, comments, set times, provenance, export caches).
Rows keep their keys, so documents list and export in the same order and every set keeps its identity; both
backends sort text by code point, so exporting the copy gives the same lines as exporting the original.

The destination is created here (a file that does not exist yet, or a server database without a project) and
filled in one transaction: a failed copy leaves no half-filled project behind (a new file is removed).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .schema import atomic
from . import Project
from .common import ProjectError
from .location import is_server_url, location
from .postgres import SEARCH_KEYED

# Parents before children (foreign keys); schema_version is made by the destination's own migrations.
TABLES = ("settings", "labels", "gazetteer", "annotators", "documents", "annotation_sets", "entities", "quotes",
          "stances", "assignments", "edit_times")
_BATCH = 2000


def _columns(project: Project, table: str) -> list[str]:
    """A table's columns as the store sees them (not the server's stored search keys, which it derives)."""
    derived = {f"{c}_key" for c in SEARCH_KEYED.get(table, ())}
    cur = project.conn.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description if d[0] not in derived]


def _rows(project: Project, table: str, columns: list[str]) -> Iterator[list[tuple]]:
    order = "key" if "key" in columns and table not in ("settings", "labels") else ", ".join(columns[:2])
    cur = project.conn.cursor()
    cur.execute(f"SELECT {', '.join(_quoted(columns))} FROM {table} ORDER BY {order}")
    while True:
        rows = cur.fetchmany(_BATCH)
        if not rows:
            return
        yield rows


def _quoted(columns: list[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def copy_project(source: str | Path, dest: str | Path) -> dict[str, int]:
    """Copy the project at `source` into a new project at `dest`; returns rows copied per table."""
    src = Project.open(source)
    try:
        if str(location(source)) == str(location(dest)):
            raise ProjectError(f"{location(dest)}: the source and the destination are the same project")
        out = Project.create(dest)
    except BaseException:
        src.close()
        raise
    counts: dict[str, int] = {}
    try:
        with atomic(out.conn):
            # create() gave the new project default labels and the gold annotator: the source's replace them.
            for table in reversed(TABLES):
                out.conn.execute(f"DELETE FROM {table}")
            for table in TABLES:
                cols = _columns(src, table)
                missing = set(cols) - set(_columns(out, table))
                if missing:
                    raise ProjectError(f"{location(dest)}: table {table} lacks {', '.join(sorted(missing))}")
                # Export caches go in last: the triggers clear a set's cache whenever its rows are inserted.
                copied = [c for c in cols if not (table == "annotation_sets" and c == "cache")]
                sql = f"INSERT INTO {table} ({', '.join(_quoted(copied))}) VALUES ({', '.join('?' * len(copied))})"
                n = 0
                for rows in _rows(src, table, cols):
                    idx = [cols.index(c) for c in copied]
                    out.conn.executemany(sql, [tuple(r[i] for i in idx) for r in rows])
                    n += len(rows)
                counts[table] = n
            if "cache" in _columns(src, "annotation_sets"):
                cur = src.conn.cursor()
                cur.execute("SELECT cache, key FROM annotation_sets WHERE cache IS NOT NULL ORDER BY key")
                while rows := cur.fetchmany(_BATCH):
                    out.conn.executemany("UPDATE annotation_sets SET cache = ? WHERE key = ?",
                                         [(bytes(c), k) for c, k in rows])
    except BaseException:
        out.close()
        src.close()
        if not is_server_url(dest):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dest}{suffix}").unlink(missing_ok=True)
        else:
            _drop_server_schema(dest)
        raise
    out.close()
    src.close()
    return counts


def _drop_server_schema(dest) -> None:
    """Undo the server project a failed copy created (its tables only; the database is the caller's)."""
    from .pg_connection import connect

    try:
        conn = connect(location(dest))
    except ProjectError:
        return
    try:
        conn.drop_project()
    finally:
        conn.close()
