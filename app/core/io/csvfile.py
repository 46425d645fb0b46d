"""CSV: one row per document; `--text-column` holds the article, `id` (if present) the id, the rest goes to meta.

Read strictly, because a lenient CSV reader loses data without a word: a quote that never closes swallows the rest
of the file into one field (one "document" made of every following row), and a header naming a column twice keeps
only one of the two. Both are refused with the line where the trouble starts. Lines are read bounded
(source.iter_lines), so an oversized line is refused without being held in memory.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator, Optional

from ..text.boilerplate import annotate_meta
from .source import DEFAULT_MAX_CHARS, Record, SourceError, iter_lines, line_limit


def _lines(path: Path, max_chars: int) -> Iterator[str]:
    """The file's lines as csv.reader wants them (newline="" semantics: a lone "\\r" also ends a line, and the
    line endings inside quoted fields are kept as written)."""
    for _, line in iter_lines(path, max_chars):
        if "\r" in line:
            yield from io.StringIO(line, newline="")
        else:
            yield line


def _problem(exc: csv.Error, start: int, at: int) -> tuple[int, str]:
    """(line, message) for a csv.Error in the row that began on line `start`; the reader stopped on line `at`."""
    msg = str(exc)
    if "unexpected end of data" in msg:
        return start, ("a quoted field opens on this line and never closes: the rest of the file would be read as "
                       "one field (close the quote, or write a quote inside a field as \"\")")
    if "expected after" in msg:
        return at, (f"text follows the closing quote of a field (the quoted field opened on line {start}): a quote "
                    f"was left open earlier, or a quote inside a field was not written as \"\"")
    if "field limit" in msg:
        return start, f"a field is longer than {csv.field_size_limit():,} bytes, more than any article allowed"
    return at, f"malformed CSV: {msg}"


def _rows(path: Path, max_chars: int) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of every row, blank lines skipped."""
    reader = csv.reader(_lines(path, max_chars), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(path, *_problem(exc, start, reader.line_num)) from None
        if row:
            yield start, reader.line_num, row


def read_csv(path: str | Path, text_column: str = "text", id_column: Optional[str] = "id",
             max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Record]:
    path = Path(path)
    blank = True
    for _, line in iter_lines(path, max_chars):  # UTF-8 and line lengths checked before any row is read
        if blank and line.strip():
            blank = False
    if blank:
        raise SourceError(path, None, "empty file: no documents")
    csv.field_size_limit(line_limit(max_chars))
    rows = _rows(path, max_chars)
    head_line, _, header = next(rows)
    where: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        if name and name in where:
            raise SourceError(path, head_line, f"column {name!r} is named twice in the header (columns "
                                               f"{where[name]} and {i}); rename one so it is clear which holds what")
        where[name] = i
    if text_column not in where:
        raise SourceError(path, head_line, f"no column {text_column!r} (columns: {', '.join(header)}); "
                                           f"choose one with --text-column")
    for _, n, fields in rows:
        if len(fields) > len(header):
            raise SourceError(path, n, "more fields than the header has")
        row: dict[str, Optional[str]] = dict(zip(header, fields))
        for name in header[len(fields):]:
            row.setdefault(name, None)
        text = row[text_column]
        if text is None or not text.strip():
            raise SourceError(path, n, f"empty {text_column!r}")
        doc_id = row.get(id_column) if id_column else None
        meta = {k: v for k, v in row.items() if k not in (text_column, id_column) and v is not None}
        yield Record(str(path), n, text, doc_id or None, annotate_meta(text, meta))
