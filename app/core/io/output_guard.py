"""Refuse an output path that would overwrite a database: the one check every file writer makes first.

Why: `tawsim export P.db P.db` used to replace the project with its own export and exit 0, and a window that had the
project open went on writing to the deleted file. A project is never a sensible output, and neither is any other
SQLite database, nor a database's write-ahead log, shared-memory index or rollback journal (overwriting those loses
the edits they hold). The atomic writer (app.core.io.atomic) calls check_output before it creates anything, so no
exporter, bundle or future writer can skip it.

What counts as a database, in order: a path that is (same file, through symlinks and hard links) a project this
process opened (app.core.store.opened); a file that starts with the SQLite header, a WAL header or a journal header;
a name ending -wal, -shm or -journal beside a SQLite database. An existing file that cannot be read is refused too:
what cannot be checked is not overwritten.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from ..store.opened import opened_databases

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")  # the two byte orders of a write-ahead log's checksums
JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"  # a hot rollback journal
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
CHOOSE_ANOTHER = "nothing was written; choose another output file"



class OutputRefused(OSError):
    """An output path that must not be written. An OSError (with filename and strerror), so every caller that
    already reports a failed write (the CLI, the window's Save dialogs) shows it as one line, not a traceback."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(errno.EEXIST, f"{reason}; {CHOOSE_ANOTHER}", str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def _head(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read(len(SQLITE_MAGIC))


def _is_sqlite(path: str) -> bool:
    try:
        return _head(path) == SQLITE_MAGIC
    except OSError:
        return False


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either one missing: not the same existing file
        return False


def database_reason(path: str | Path) -> str | None:
    """Why writing `path` would destroy a database, or None if it would not."""
    given = os.fspath(path)
    real = os.path.realpath(given)
    for db in opened_databases():
        if not os.path.exists(db):  # a project since deleted: nothing left there to destroy
            continue
        for suffix in ("",) + SIDE_SUFFIXES:
            if real == db + suffix or _same(given, db + suffix):
                return (f"is the project file {db}" if not suffix else
                        f"is the {suffix} file of the project {db}")
    for name in {given, real}:
        for suffix in SIDE_SUFFIXES:
            if name.endswith(suffix) and _is_sqlite(name[: -len(suffix)]):
                return f"is the {suffix} file of the SQLite database {name[: -len(suffix)]}"
    if not os.path.lexists(given) or os.path.isdir(real):
        return None
    try:
        head = _head(given)
    except FileNotFoundError:  # a dangling symlink: writing replaces the link, nothing else
        return None
    except OSError as exc:
        return f"exists and cannot be read to check that it is not a database ({exc.strerror or exc})"
    if head == SQLITE_MAGIC:
        return "is a SQLite database (a Tawsim project?); an export never overwrites a database"
    if head[:4] in WAL_MAGICS:
        return "is a SQLite write-ahead log; overwriting it would lose the edits it holds"
    if head[:8] == JOURNAL_MAGIC:
        return "is a SQLite rollback journal; overwriting it would corrupt its database"
    return None


def check_output(path: str | Path) -> None:
    """Raise OutputRefused if `path` is a database or part of one (see the module docstring)."""
    reason = database_reason(path)
    if reason:
        raise OutputRefused(path, reason)
