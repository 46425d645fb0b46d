"""`tawsim suggest`: every article's proposals, as the window would show them to one annotator, written as JSONL
in the export schema (for batch pre-annotation, and for measuring the assistance from outside the window).

Each line is the document with the proposals as its entities and quotes (ids s1.. and p1..), `annotator` the
name the proposals were made for and `meta.suggested: true`; the annotator's own annotations are not repeated.
A proposed quote whose speaker is one of the annotator's tagged entities keeps its speaker_text; its `speaker`
id is null because that entity is not on the line (the schema wants ids of the same line).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

import orjson

from ..assist.proposals import KINDS, known_names, propose  # noqa: F401 (KINDS: the CLI choices)
from ..assist.gazetteer import entries
from ..assist.learning import rejected_patterns
from ..io.atomic import write_lines
from ..model import EXPORT_SCHEMA_VERSION
from ..store import Project

Progress = Callable[[int, int], None]


def suggestion_records(project: Project, annotator: Optional[str] = None,
                       kinds: Sequence[str] = KINDS) -> Iterator[dict]:
    gazetteer = entries(project)
    patterns = rejected_patterns(project)
    for key in project.document_keys():
        aset = project.load(key, annotator or "")
        doc = aset.document
        known = known_names(project, aset.entities) if aset.entities else gazetteer
        ents, quotes = [], []
        for p in propose(doc.text, aset.entities, aset.quotes, known, kinds, patterns=patterns):
            s = p.proposal
            if p.kind == "entity":
                ents.append({"id": f"s{len(ents) + 1}", "start": s.start, "end": s.end, "label": s.label,
                             "text": doc.text[s.start:s.end]})
            else:
                cs, ce = s.cue
                quotes.append({"id": f"p{len(quotes) + 1}", "start": s.start, "end": s.end,
                               "text": doc.text[s.start:s.end], "speaker": None, "speaker_text": s.speaker_text,
                               "cue": {"start": cs, "end": ce, "text": doc.text[cs:ce]}, "kind": s.kind})
        yield {"id": doc.id, "text": doc.text, "meta": {**doc.meta, "suggested": True}, "annotator": annotator,
               "status": aset.status, "schema_version": EXPORT_SCHEMA_VERSION, "entities": ents,
               "quotes": quotes, "stances": []}


def write_suggestions(project: Project, out: str | Path, annotator: Optional[str] = None,
                      kinds: Sequence[str] = KINDS, progress: Optional[Progress] = None) -> int:
    """Write one line per document (atomically: a failure leaves no partial file); returns the count."""
    total = project.count_documents()
    lines = (orjson.dumps(r) + b"\n" for r in suggestion_records(project, annotator, kinds))
    n = write_lines(out, lines, every=100, on_flush=(lambda k: progress(k, max(total, k))) if progress else None)
    if progress:
        progress(n, max(n, 1))
    return n
