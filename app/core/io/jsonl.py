"""JSON Lines in the export schema: one document (and optionally one annotation set) per line."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import orjson

from .source import BOM, Record, SourceError


def _decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line without its "\\n") of a UTF-8 file, a leading BOM removed: read_text(path).split("\\n")
    one line at a time, so a 500 MB file is not held in memory twice over (as text and as its list of lines)."""
    offset = 0
    try:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:  # the message read_text gives, offset counted in the whole file
                    raise SourceError(path, n, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                                               f"{offset + exc.start}); convert the file to UTF-8") from exc
                offset += len(raw)
                if n == 1 and line.startswith(BOM):
                    line = line[1:]
                yield n, line[:-1] if line.endswith("\n") else line
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from exc


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; a line that is not a JSON object is a SourceError.

    The file is streamed, read twice: first to check that it is all UTF-8 and not blank, so those problems are
    reported before any line is parsed (and before an import writes anything), as when it was decoded at once."""
    path = Path(path)
    blank = True
    for _, line in _decoded_lines(path):
        if blank and line.strip():
            blank = False
    if blank:
        raise SourceError(path, None, "empty file: no documents")
    for n, line in _decoded_lines(path):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise SourceError(path, n, f"invalid JSON ({exc}); is the line truncated?") from exc
        if not isinstance(obj, dict):
            raise SourceError(path, n, f"expected a JSON object, got {type(obj).__name__}")
        yield n, obj


def read_jsonl(path: str | Path) -> Iterator[Record]:
    for n, obj in iter_jsonl(path):
        text = obj.get("text")
        if not isinstance(text, str):
            raise SourceError(path, n, "missing \"text\" (a string)" if text is None else
                              f"\"text\" must be a string, got {type(text).__name__}")
        if not text.strip():
            raise SourceError(path, n, "empty \"text\"")
        doc_id = obj.get("id")
        if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == ""):
            raise SourceError(path, n, f"\"id\" must be a non-empty string, got {doc_id!r}")
        meta = obj.get("meta") or {}
        if not isinstance(meta, dict):
            raise SourceError(path, n, "\"meta\" must be an object")
        annotator = obj.get("annotator")
        if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
            raise SourceError(path, n, f"\"annotator\" must be a non-empty string or null, got {annotator!r}")
        yield Record(str(path), n, text, None if doc_id is None else str(doc_id), meta, annotator,
                     obj.get("status"), {k: obj.get(k) for k in ("entities", "quotes", "stances", "provenance")})


def read_line_records(path: str | Path, parse: Callable[[Path, int, dict], Record]) -> Iterator[Record]:
    """Records of a JSONL file in another tool's shape: `parse(path, line, obj)` turns one object into a Record and
    raises ValueError for a bad one, which becomes `FILE:LINE: problem` here (a SourceError passes unchanged)."""
    path = Path(path)
    for n, obj in iter_jsonl(path):
        try:
            yield parse(path, n, obj)
        except SourceError:
            raise
        except ValueError as exc:
            raise SourceError(path, n, str(exc)) from None
