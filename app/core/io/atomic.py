"""Write a file so a reader never sees half of it: a temporary file beside the target, then os.replace."""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional


@contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, MemoryError):
            raise OutOfMemory(path) from None  # a message, not a traceback; `from None` lets the frames go
        raise


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
    `on_flush(n)` is called after each batch, for progress bars."""
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
