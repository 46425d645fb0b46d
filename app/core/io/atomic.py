"""Write files so a reader never sees half of one: a part file beside each target, then os.replace.

Every file the tool writes (exports in every format, split exports, bundles) goes through atomic_write or
atomic_write_group, so the safety rules live here once: the target is checked first (never a database:
app.core.io.output_guard), the finished file gets the user's umask, a killed write's part file is removed by the
next write to the same target (app.core.io.partfiles), and a group of files (train/dev/test) is renamed into place
only after all of them were written, old files put back if a rename fails: never a mix of two exports.
"""
from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Sequence

from .output_guard import CHOOSE_ANOTHER, check_output
from .partfiles import OldCopy, PartFile


class WriteCancelled(Exception):
    """Raised by a progress callback to stop a write (the window's Cancel button): the partial file is removed
    and a file already at the target stays as it was."""


@contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    with atomic_write_group([path]) as (f,):
        yield f


@contextmanager
def atomic_write_group(paths: Sequence[str | Path]) -> Iterator[list[BinaryIO]]:
    """One open file per path; when the block ends without an exception, all are renamed onto their targets
    together; on any exception (or cancel) none is, and their part files are removed."""
    targets = [Path(p) for p in paths]
    if len(set(map(str, targets))) != len(targets):
        raise ValueError(f"the same output file twice: {', '.join(map(str, targets))}")
    for target in targets:  # all checked before anything is written
        check_output(target)
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, f"is a folder; {CHOOSE_ANOTHER}", str(target))
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    parts: list[PartFile] = []
    try:
        for target in targets:
            parts.append(PartFile(target))
        yield [p.file for p in parts]
        for p in parts:
            p.finish()
        _commit_all(parts)
    except BaseException as exc:
        for p in parts:
            p.discard()
        if isinstance(exc, MemoryError):
            raise OutOfMemory(targets[0]) from None  # a message, not a traceback; `from None` lets the frames go
        part_names = {str(p.path) for p in parts}
        if isinstance(exc, OSError) and (exc.filename is None or str(exc.filename) in part_names
                                      or str(exc.filename).endswith(".part")):
            # a full disk: name the file the user asked for, not a temporary one (or none at all)
            raise _naming(exc, _target_of(exc, parts, targets)) from exc
        raise
    finally:
        for p in parts:
            p.close()


def _commit_all(parts: list[PartFile]) -> None:
    if len(parts) == 1:
        parts[0].commit()  # one rename is atomic by itself
        return
    olds = [OldCopy(p.target) for p in parts]
    done: list[OldCopy] = []
    try:
        for part, old in zip(parts, olds):
            part.commit()
            done.append(old)
    except BaseException:
        for old in reversed(done):
            old.restore()
        raise
    finally:
        for old in olds:
            old.drop()


def _target_of(exc: OSError, parts: list[PartFile], targets: list[Path]) -> Path:
    """The output a failed write belongs to: the one whose part file the error names, else the first."""
    for part in parts:
        if exc.filename is not None and str(exc.filename) == str(part.path):
            return part.target
    return targets[0]


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error naming the file the user asked for: a failed write (a full disk) names no file at all, and
    mkstemp or os.replace the temporary one."""
    return OSError(exc.errno, exc.strerror, str(path)) if exc.errno is not None else exc


class OutOfMemory(OSError):
    """The machine ran out of memory while writing `filename`; the temporary file is gone, `filename` untouched.
    An OSError (ENOMEM), so every caller that reports a failed write reports this one too."""

    def __init__(self, path: str | Path):
        super().__init__(errno.ENOMEM, "not enough memory to write this file; nothing was written (close other "
                                       "programs, or export fewer documents at a time)", str(path))

    def __str__(self) -> str:
        return self.strerror


def write_lines(out: str | Path, lines: Iterable[bytes], every: int = 1000,
                on_flush: Optional[Callable[[int], None]] = None) -> int:
    """Write byte lines atomically, joined in batches (one write call per `every` lines); returns the count.
    `on_flush(n)` is called after each batch, for progress bars (it may raise WriteCancelled)."""
    n = 0
    with atomic_write(out) as f:
        buf: list[bytes] = []
        for line in lines:
            buf.append(line)
            n += 1
            if len(buf) >= every:
                f.write(b"".join(buf))
                buf.clear()
                if on_flush:
                    on_flush(n)
        f.write(b"".join(buf))
    return n
