"""CSV: one row per document; `--text-column` holds the article, `id` (if present) the id, the rest goes to meta."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator, Optional

from ..text.boilerplate import annotate_meta
from .source import Record, SourceError, read_text


def read_csv(path: str | Path, text_column: str = "text", id_column: Optional[str] = "id") -> Iterator[Record]:
    path = Path(path)
    raw = read_text(path)
    if not raw.strip():
        raise SourceError(path, None, "empty file: no documents")
    csv.field_size_limit(64 * 1024 * 1024)
    # newline="" semantics: CRLF inside quoted fields is kept as written.
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    if text_column not in (reader.fieldnames or []):
        raise SourceError(path, 1, f"no column {text_column!r} (columns: {', '.join(reader.fieldnames or [])}); "
                                   f"choose one with --text-column")
    try:
        for row in reader:
            n = reader.line_num
            if None in row:
                raise SourceError(path, n, "more fields than the header has")
            text = row[text_column]
            if text is None or not text.strip():
                raise SourceError(path, n, f"empty {text_column!r}")
            doc_id = row.get(id_column) if id_column else None
            meta = {k: v for k, v in row.items() if k not in (text_column, id_column) and v is not None}
            yield Record(str(path), n, text, doc_id or None, annotate_meta(text, meta))
    except csv.Error as exc:
        raise SourceError(path, reader.line_num, f"malformed CSV: {exc}") from exc
