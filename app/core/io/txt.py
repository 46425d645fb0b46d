"""Plain-text articles: one `.txt` file is one document; its file name (without .txt) is the id."""
from __future__ import annotations

from pathlib import Path

from ..text.boilerplate import annotate_meta
from .source import DEFAULT_MAX_CHARS, Record, SourceError, read_text

UTF8_MAX_BYTES = 4  # a character takes at most 4 bytes in UTF-8


def read_txt(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> list[Record]:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    if size > UTF8_MAX_BYTES * max_chars + 3:  # surely too long: refused without reading it (3: a BOM)
        raise SourceError(path, 1, f"article of {size:,} bytes is over {max_chars:,} characters; the limit is "
                                   f"{max_chars:,} (split the file, or raise it with --max-chars)")
    text = read_text(path)
    if not text.strip():
        raise SourceError(path, 1, "empty article")
    return [Record(str(path), 1, text, id=path.stem, meta=annotate_meta(text, {"file": path.name}))]
