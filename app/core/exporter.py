"""JSONL export: one line per (document, annotation set), written to a temporary file and renamed into place."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Optional

import orjson

from .io.atomic import atomic_write
from .model import EXPORT_SCHEMA_VERSION, AnnotationSet
from .store import Project

Progress = Callable[[int, int], None]  # (lines written, lines expected)


def set_to_record(aset: AnnotationSet) -> dict:
    """The public JSONL shape of one annotation set (the contract in resources/export.schema.json)."""
    return {
        "id": aset.document.id,
        "text": aset.document.text,
        "meta": aset.document.meta,
        "annotator": aset.annotator,
        "status": aset.status,
        "schema_version": EXPORT_SCHEMA_VERSION,
        "entities": [{"id": e.id, "start": e.start, "end": e.end, "label": e.label, "text": e.text}
                     for e in aset.entities],
        "quotes": [{"id": q.id, "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
                    "speaker_text": q.speaker_text,
                    "cue": {"start": q.cue.start, "end": q.cue.end, "text": q.cue.text} if q.cue else None,
                    "kind": q.kind} for q in aset.quotes],
        "stances": [{"id": s.id, "target": s.target, "target_text": s.target_text, "label": s.label,
                     "scope": s.scope} for s in aset.stances],
    }


def iter_records(project: Project, annotator: Optional[str] = None, gold: bool = False,
                 status: Optional[str] = None) -> Iterator[dict]:
    for aset in project.iter_sets(annotator=annotator, gold=gold, status=status):
        yield set_to_record(aset)


def export_jsonl(project: Project, out: str | Path, annotator: Optional[str] = None, gold: bool = False,
                 status: Optional[str] = None, progress: Optional[Progress] = None) -> int:
    """Write the export; returns the number of lines. A failure leaves any earlier file at `out` untouched."""
    total = project.count_documents() if progress else 0
    n = 0
    dumps = orjson.dumps
    with atomic_write(out) as f:
        buf: list[bytes] = []
        for rec in iter_records(project, annotator, gold, status):
            buf.append(dumps(rec))
            n += 1
            if len(buf) >= 1000:
                f.write(b"\n".join(buf) + b"\n")
                buf.clear()
                if progress:
                    progress(n, max(total, n))
        if buf:
            f.write(b"\n".join(buf) + b"\n")
    if progress:
        progress(n, max(n, 1))
    return n
