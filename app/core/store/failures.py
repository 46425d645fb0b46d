"""Failures of the storage under a file, as one line a person can act on: a project locked by another program,
a full disk (or quota, or file size limit), a read-only or unreadable file, a failing disk.

Why one module: the CLI and the window meet the same failures, from SQLite (sqlite3.Error, which carries no file
name and no errno) and from the files they write (OSError), and must say the same honest thing: what happened,
which file, what to do. A healthy project on a full disk must never be called "not a Tawsim project", and a
traceback tells an annotator nothing. The messages are plain text without a "tawsim:" prefix; callers add theirs.
"""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Optional

from .common import ProjectError

try:  # POSIX only: the per-process file size limit (`ulimit -f`) that makes writes fail with EFBIG
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

# A disk with less room than this is called full: SQLite and the exporters write pages and batches far larger.
LOW_SPACE = 1 << 20

NOTHING_CHANGED = "nothing was changed"

# I/O errors met while reading: neither a full disk nor a size limit explains these.
_READ_ERRORS = ("SQLITE_IOERR_READ", "SQLITE_IOERR_SHORT_READ")

DEFAULT_BUSY_TIMEOUT_MS = 5000


def busy_timeout_ms() -> int:
    """How long a write waits for another program's lock before giving up with ProjectLocked: the environment's
    TAWSIM_BUSY_TIMEOUT_MS, else 5 s (long enough to ride out a window's save, short enough that a locked command
    says so promptly; tests set it low to stay fast)."""
    try:
        value = int(os.environ.get("TAWSIM_BUSY_TIMEOUT_MS", ""))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_MS
    return value if value >= 0 else DEFAULT_BUSY_TIMEOUT_MS


class NewFiles:
    """The project file and its SQLite companions that did not exist when a create began, so a create that fails
    (full disk, lock) removes exactly what it made and never a file that was there before."""

    def __init__(self, path: str | Path):
        names = [] if str(path) == ":memory:" else [str(path) + s for s in ("", "-wal", "-shm", "-journal")]
        self.paths = [Path(n) for n in names if not Path(n).exists()]

    def undo(self) -> None:
        for p in self.paths:
            try:
                if p.exists():
                    p.unlink()
            except OSError:  # best effort: the failure being reported matters more than this clean-up
                pass


class StorageFailure(ProjectError):
    """A file could not be used for a reason outside its content; `path` is the file, `cause` the original error.
    A ProjectError, so every caller that already reports the tool's own errors reports these too."""

    def __init__(self, message: str, path: Optional[str | Path], cause: Optional[BaseException] = None):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.cause = cause


class ProjectLocked(StorageFailure):
    """Another connection holds the write lock (a window saving, an import running) past the busy timeout."""


class DiskFull(StorageFailure):
    """No room to write: the disk is full, the user's quota is used up, or the file hit a file size limit."""


class AccessDenied(StorageFailure):
    """The file or its folder cannot be read or written: permissions, or a read-only file system."""


class DiskIOError(StorageFailure):
    """The operating system reported an I/O error that none of the above explains (a failing or removed disk)."""


def storage_failure(exc: BaseException, path: Optional[str | Path] = None) -> Optional[StorageFailure]:
    """The StorageFailure that `exc` amounts to for `path` (for an OSError, its own file name wins), or None when
    `exc` is not a storage failure (a damaged file, bad input, a bug) and the caller must report it its own way."""
    if isinstance(exc, StorageFailure):
        return exc
    if isinstance(exc, sqlite3.Error):
        return _from_sqlite(exc, path)
    if isinstance(exc, OSError):
        return _from_oserror(exc, exc.filename if exc.filename else path)
    return None


def describe_failure(exc: BaseException, path: Optional[str | Path] = None) -> str:
    """One line for any error met while using `path`: the storage failure's message, else the error's own text
    with the file named."""
    failure = storage_failure(exc, path)
    if failure is not None:
        return str(failure)
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename or path
        return f"{where}: {exc.strerror}" if where else exc.strerror
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{path}: {text}" if path and not isinstance(exc, ProjectError) else text


# ---- SQLite ---------------------------------------------------------------------------------------------------------
def _sqlite_kind(exc: sqlite3.Error) -> Optional[str]:
    # sqlite_errorname exists from Python 3.11; the messages are SQLite's fixed texts for each primary code.
    name = getattr(exc, "sqlite_errorname", "") or ""
    msg = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in msg or "table is locked" in msg:
        return "locked"
    if name == "SQLITE_FULL" or "disk is full" in msg:
        return "full"
    if name.startswith("SQLITE_READONLY") or "readonly database" in msg:
        return "readonly"
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or "unable to open" in msg:
        return "cantopen"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in msg:
        return "io"
    if name == "SQLITE_NOMEM" or "out of memory" in msg:
        return "memory"
    return None


def _from_sqlite(exc: sqlite3.Error, path: Optional[str | Path]) -> Optional[StorageFailure]:
    kind = _sqlite_kind(exc)
    where = str(path) if path is not None else "the project"
    if kind == "locked":
        return ProjectLocked(f"{where} is locked by another program (an open window or a running import); close it "
                             f"or try again; {NOTHING_CHANGED}", path, exc)
    if kind == "full":
        return DiskFull(f"{_disk_full(path)}; free space and try again; {NOTHING_CHANGED}", path, exc)
    if kind == "readonly":
        return AccessDenied(f"{_read_only(path)}; {NOTHING_CHANGED}", path, exc)
    if kind == "cantopen":
        return AccessDenied(_cannot_open(path), path, exc)
    if kind == "memory":
        return StorageFailure(f"out of memory while using {where}; close other programs and try again; "
                              f"{NOTHING_CHANGED}", path, exc)
    if kind == "io":
        return _from_sqlite_io(exc, path)
    return None


def _from_sqlite_io(exc: sqlite3.Error, path: Optional[str | Path]) -> StorageFailure:
    """SQLite reports ENOSPC as SQLITE_FULL but every other failed write (EFBIG, EDQUOT, EIO) as a "disk I/O error"
    without the errno: look at what the system can tell before blaming the disk. A finite file size limit is set on
    purpose and rarely; when one is in force it is what a failed write most likely met."""
    where = str(path) if path is not None else "the project"
    writing = _code(exc) not in _READ_ERRORS
    limit = _file_size_limit()
    if writing and limit is not None:
        return DiskFull(f"cannot write {where} (nor its -wal and -shm beside it): this session limits files to "
                        f"{limit:,} bytes (`ulimit -f`); raise the limit and try again; {NOTHING_CHANGED}", path, exc)
    free = _free_bytes(path)
    if writing and free is not None and free < LOW_SPACE:
        return DiskFull(f"{_disk_full(path)}; free space and try again; {NOTHING_CHANGED}", path, exc)
    room = f"; {free:,} bytes free" if free is not None else ""
    return DiskIOError(f"disk I/O error on {where} ({_code(exc)}{room}); the disk may be failing, removed or over "
                       f"quota: check it and try again; {NOTHING_CHANGED}", path, exc)


def _code(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or str(exc)


# ---- OSError ---------------------------------------------------------------------------------------------------------
def _from_oserror(exc: OSError, path: Optional[str | Path]) -> Optional[StorageFailure]:
    where = str(path) if path is not None else "the file"
    not_written = f"{where} was not written"
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"{_disk_full(path)}; free space and try again; {not_written}", path, exc)
    if exc.errno == getattr(errno, "EDQUOT", None):
        return DiskFull(f"your disk quota is used up on the disk holding {where}; free space and try again; "
                        f"{not_written}", path, exc)
    if exc.errno == errno.EFBIG:
        limit = _file_size_limit()
        why = (f"this session limits files to {limit:,} bytes (`ulimit -f`); raise the limit" if limit is not None
               else "it is larger than its file system allows; write it to another disk")
        return DiskFull(f"{where} is too large: {why} and try again; {not_written}", path, exc)
    if exc.errno == errno.EROFS:
        return AccessDenied(f"{where} is on a read-only file system; choose a writable place; {not_written}",
                            path, exc)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return AccessDenied(f"permission denied: {where}; choose a place you may write to or fix its permissions",
                            path, exc)
    if exc.errno == errno.EIO:
        return DiskIOError(f"disk I/O error on {where}; the disk may be failing or removed: check it and try "
                           f"again", path, exc)
    return None


# ---- what the system can tell about a path ---------------------------------------------------------------------------
def _folder(path: Optional[str | Path]) -> Path:
    p = Path(path) if path is not None else Path.cwd()
    return p if p.is_dir() else p.parent


def _free_bytes(path: Optional[str | Path]) -> Optional[int]:
    try:
        return shutil.disk_usage(_folder(path)).free
    except OSError:
        return None


def _file_size_limit() -> Optional[int]:
    if resource is None:
        return None
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return None if soft == resource.RLIM_INFINITY else soft


def _disk_full(path: Optional[str | Path]) -> str:
    # Measured after the failed write was undone (its temporary file or WAL frames freed): "now", not "before".
    free = _free_bytes(path)
    room = f" ({free:,} bytes free now)" if free is not None else ""
    return f"the disk holding {path if path is not None else 'the file'} ran out of space{room}"


def _read_only(path: Optional[str | Path]) -> str:
    where = str(path) if path is not None else "the project"
    if path is not None and Path(path).exists() and not os.access(path, os.W_OK):
        return f"{where} is read-only (its permissions); make it writable or work on a copy"
    if _on_read_only_fs(path):
        return f"{where} is on a read-only file system; copy it to a writable disk"
    return f"{where} cannot be written (read-only); check its permissions and its folder's"


def _on_read_only_fs(path: Optional[str | Path]) -> bool:
    try:
        return bool(os.statvfs(_folder(path)).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _cannot_open(path: Optional[str | Path]) -> str:
    if path is None:
        return "cannot open the project; check that you may read and write it and its folder"
    where = str(path)
    if not Path(path).exists():  # creating it
        folder = _folder(path)
        if not folder.is_dir():
            return f"{where}: cannot create the project file: the folder {folder} does not exist"
        why = "it is on a read-only file system" if _on_read_only_fs(path) else f"you may not write in {folder}"
        return f"{where}: cannot create the project file: {why}; choose another place"
    if not os.access(path, os.R_OK):
        return f"permission denied: you may not read {where}; ask its owner or fix its permissions"
    if _on_read_only_fs(path):
        return (f"cannot open {where}: it is on a read-only file system and the project needs to write "
                f"{Path(where).name}-wal beside it; copy it to a writable disk")
    if not os.access(_folder(path), os.W_OK):
        return (f"cannot open {where}: its folder is not writable and the project needs to write "
                f"{Path(where).name}-wal beside it; copy it to a writable folder")
    return f"cannot open {where}; check that it and its folder exist and that you may read and write them"
