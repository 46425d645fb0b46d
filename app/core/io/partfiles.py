"""The temporary `.part` file an atomic write fills before renaming it onto its target, and the clean-up of the
ones a killed write left behind.

Names: `.TARGET.tawsim-XXXXXXXX.part` beside TARGET (same folder, so the final rename cannot cross file systems),
XXXXXXXX being tempfile's 8 random characters. Earlier versions wrote `.TARGET.XXXXXXXX.part`; both are ours and
nothing else is: clean-up matches these two exact shapes for the one target being written, never a wider pattern.

Why a lock: a write that is killed (SIGKILL, power cut) cannot remove its part file, so the next write to the same
target removes it. Another process may be writing the same target at that very moment, though, and its part file
must survive. So a writer holds an exclusive flock on its part file from creation to rename (the kernel drops it
when the process dies), and clean-up removes only part files it can lock itself, i.e. files whose writer is gone.
A writer checks, once it holds its lock, that its file was not removed in the instant before (st_nlink), and
starts again if it was. Where flock does not exist (Windows), an open file cannot be deleted there anyway, so
trying to delete is the test.

Mode: tempfile.mkstemp makes 0600 files, which kept a reviewer from reading a colleague's bundle in a shared
folder; the finished file gets what any new file of the user gets, 0666 less the umask.
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
import threading
from pathlib import Path
from typing import Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MARK = "tawsim-"
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"  # as tempfile's, so one pattern matches both
_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the system tells it (/proc on Linux); elsewhere set and
    restored at once under a lock, with a strict 077 in between, so another thread never creates an open file."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def new_file_mode() -> int:
    return 0o666 & ~current_umask()


def stale_pattern(target: Path) -> re.Pattern:
    """The names of this target's part files, the current shape and the earlier one (see the module docstring)."""
    return re.compile(rf"\.{re.escape(target.name)}\.(?:{MARK})?[a-z0-9_]{{8}}\.part\Z")


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove the part files of `target` that no running write holds; returns those removed."""
    pattern = stale_pattern(target)
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    me = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or (me is not None and st.st_uid != me):
                continue
            if _remove_if_abandoned(Path(entry.path), st):
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _remove_if_abandoned(path: Path, st: os.stat_result) -> bool:
    if fcntl is None:  # pragma: no cover - Windows: a file its writer has open cannot be deleted
        os.unlink(path)
        return True
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer is alive
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return False
        os.unlink(path)
        return True
    finally:
        os.close(fd)


class PartFile:
    """One part file being written for `target`: open for writing, locked, removed by discard() unless
    commit() renamed it onto the target. Close it with close() (after commit or discard)."""

    def __init__(self, target: Path):
        self.target = target
        remove_stale_parts(target)
        while True:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{MARK}", suffix=".part", dir=target.parent)
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_nlink == 0:  # another write's clean-up took it before the lock: start again
                    os.close(fd)
                    continue
            break
        self.path = Path(tmp)
        self.file = os.fdopen(fd, "wb")
        self.committed = False

    def finish(self) -> None:
        """Everything written is on disk, with the user's file mode; ready to be renamed."""
        self.file.flush()
        os.fsync(self.file.fileno())
        mode = new_file_mode()
        if os.chmod in os.supports_fd:
            os.chmod(self.file.fileno(), mode)
        else:  # pragma: no cover - Windows
            os.chmod(self.path, mode)

    def commit(self) -> None:
        """Rename onto the target. Where the lock matters (POSIX) the file stays open, so locked, until renamed;
        Windows cannot rename an open file, and there an open file is what protects it."""
        if fcntl is None:  # pragma: no cover - Windows
            self.file.close()
        os.replace(self.path, self.target)
        self.committed = True

    def discard(self) -> None:
        if not self.committed:
            try:  # what is still buffered is thrown away: flushing it could only raise the same error again
                self.file.close()
            except OSError:
                pass
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass

    def close(self) -> None:
        self.file.close()


class OldCopy:
    """A second name (hard link) for the file now at a target, taken before a group of renames replaces it, so
    that the old file can be put back if a later rename of the group fails. Named and locked like a part file,
    so a killed write's copy is cleaned up like one. `path` is None if there was no file, or the file system has
    no hard links (the group is then only as safe as its renames)."""

    def __init__(self, target: Path):
        self.target, self.path, self._fd = target, None, None
        self.existed = target.is_file()
        if not self.existed:
            return
        for _ in range(10):
            rand = "".join(secrets.choice(_NAME_CHARS) for _ in range(8))
            name = target.parent / f".{target.name}.{MARK}{rand}.part"
            try:
                os.link(target, name)
            except FileExistsError:
                continue
            except OSError:
                return
            self.path = name
            if fcntl is not None:
                self._fd = os.open(name, os.O_RDONLY)
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            return

    def restore(self) -> None:
        """Put the old file back at the target (or, if there was none, remove what is there now; with no copy
        of an old file, the new one stays: better than none)."""
        if self.path is not None:
            os.replace(self.path, self.target)
            self.path = None
        elif not self.existed:
            try:
                os.unlink(self.target)
            except FileNotFoundError:
                pass

    def drop(self) -> None:
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
