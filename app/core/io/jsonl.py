"""JSON Lines in the export schema: one document (and optionally one annotation set) per line."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Optional

from .jsontext import parse
from .source import DEFAULT_MAX_CHARS, Record, SourceError, iter_lines, scan_lines


def iter_jsonl(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line; a line that is not a JSON object is a SourceError.

    The file is streamed one bounded line at a time (source.iter_lines: an oversized line is refused without being
    read whole), after a quick scan in big chunks (source.scan_lines) that checks it is all UTF-8 and not blank,
    so those problems are reported before any line is parsed (and before an import writes anything), as when it
    was decoded at once."""
    path = Path(path)
    if not scan_lines(path, max_chars):
        raise SourceError(path, None, "empty file: no documents")
    for n, line in iter_lines(path, max_chars):
        line = line.rstrip("\n")
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip():
            continue
        obj = parse(line, path, n, "; is the line truncated?")
        if not isinstance(obj, dict):
            raise SourceError(path, n, f"expected a JSON object, got {type(obj).__name__}")
        yield n, obj


def foreign_shape(obj: dict) -> Optional[str]:
    """The other tool whose JSONL line this is ("doccano", "prodigy", "hf"), or None for the export schema. Read as
    Tawsim's own schema such a line would lose its annotations (doccano's `label` is not a Tawsim key) or fail on
    an unrelated field, so the reader names the --format to use instead."""
    ents = obj.get("entities")
    first = ents[0] if isinstance(ents, list) and ents else None
    if isinstance(first, dict) and "start_offset" in first or isinstance(first, list):
        return "doccano"
    if ("label" in obj or "labels" in obj) and not any(k in obj for k in ("entities", "quotes", "stances")):
        return "doccano"
    if "ner_tags" in obj and "tokens" in obj:
        return "hf"
    if any(k in obj for k in ("spans", "_input_hash", "_task_hash", "answer")):
        return "prodigy"
    return None


def read_jsonl(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Record]:
    for n, obj in iter_jsonl(path, max_chars):
        other = foreign_shape(obj)
        if other:
            raise SourceError(path, n, f"this line is in {other}'s JSONL shape, not Tawsim's export schema; import "
                                       f"the file with --format {other}")
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


def read_line_records(path: str | Path, parse_obj: Callable[[Path, int, dict], Record],
                      max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Record]:
    """Records of a JSONL file in another tool's shape: `parse_obj(path, line, obj)` turns one object into a Record
    and raises ValueError for a bad one, which becomes `FILE:LINE: problem` here (a SourceError passes unchanged)."""
    path = Path(path)
    for n, obj in iter_jsonl(path, max_chars):
        try:
            yield parse_obj(path, n, obj)
        except SourceError:
            raise
        except ValueError as exc:
            raise SourceError(path, n, str(exc)) from None
