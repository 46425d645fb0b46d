"""Write a file so a reader never sees half of it: a temporary file beside the target, then os.replace."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional


@contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:  # a read-only or full disk: say which file could not be written, not a temporary name
        raise _naming(exc, path) from exc
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
        if isinstance(exc, OSError) and exc.filename in (None, tmp):
            raise _naming(exc, path) from exc
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error naming the file the user asked for: a failed write (a full disk) names no file at all, and
    mkstemp or os.replace the temporary one."""
    return OSError(exc.errno, exc.strerror, str(path)) if exc.errno is not None else exc


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
