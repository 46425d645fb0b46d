"""Plain-text articles: one `.txt` file is one document; its file name (without .txt) is the id."""
from __future__ import annotations

from pathlib import Path

from ..text.boilerplate import annotate_meta
from .source import Record, SourceError, read_text


def read_txt(path: str | Path) -> list[Record]:
    path = Path(path)
    text = read_text(path)
    if not text.strip():
        raise SourceError(path, 1, "empty article")
    return [Record(str(path), 1, text, id=path.stem, meta=annotate_meta(text, {"file": path.name}))]
