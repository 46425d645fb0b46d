"""Bytes of one export line, built from parts: a document header and a set's annotations fragment.

The annotations fragment (`"entities":[...],"quotes":[...],"stances":[...]`) is cached per set in the store, so
the export of 100k documents splices bytes instead of rebuilding millions of dicts. Splicing is exact: orjson
writes compact JSON, so header + fragment equals orjson.dumps of the whole record (tests check it byte for byte).
Huge articles are written by json instead (io.jsontext.dumps: the same bytes, but MemoryError instead of a crash).
An entity's or quote's note enters the fragment here, as a last "note" key only when it is not empty, so a set
without notes has exactly the bytes it had before notes existed.
"""
from __future__ import annotations

import json
from typing import Optional, Sequence

from ..jsonbytes import dumps
from ..model import EXPORT_SCHEMA_VERSION, Entity, Quote, Stance
from .common import shared_clusters

EMPTY_FRAGMENT = b'"entities":[],"quotes":[],"stances":[]'


def annotations_from_rows(text: str, ents: Sequence[tuple], quotes: Sequence[tuple],
                          stances: Sequence[tuple]) -> dict:
    """The "entities" / "quotes" / "stances" fields from the store's raw rows (as Project._annotation_rows returns
    them, in export order). An entity carries "cluster" only when it shares it with another mention: a line
    without clusters is byte for byte what it was before clusters existed."""
    shared = shared_clusters(ents)
    return {
        "entities": [_entity(i, s, e, lab, text[s:e], note, c if c in shared else None)
                     for _, i, s, e, lab, note, c in ents],
        "quotes": [{"id": i, "start": s, "end": e, "text": text[s:e], "speaker": sp, "speaker_text": spt,
                    "cue": {"start": cs, "end": ce, "text": text[cs:ce]} if cs is not None else None, "kind": kind,
                    **({"note": note} if note else {})}
                   for _, i, s, e, sp, spt, cs, ce, kind, note in quotes],
        "stances": [{"id": i, "target": tgt, "target_text": tt, "label": lab, "scope": scope}
                    for _, i, tgt, tt, lab, scope in stances],
    }


def annotations_from_objects(entities: Sequence[Entity], quotes: Sequence[Quote], stances: Sequence[Stance]) -> dict:
    """The same fields from model objects already in export order."""
    clusters = [e.cluster for e in entities]
    shared = shared_clusters([(c,) for c in clusters])
    return {
        "entities": [_entity(e.id, e.start, e.end, e.label, e.text, e.note, c if c in shared else None)
                     for e, c in zip(entities, clusters)],
        "quotes": [{"id": q.id, "start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
                    "speaker_text": q.speaker_text,
                    "cue": {"start": q.cue.start, "end": q.cue.end, "text": q.cue.text} if q.cue else None,
                    "kind": q.kind, **({"note": q.note} if q.note else {})} for q in quotes],
        "stances": [{"id": s.id, "target": s.target, "target_text": s.target_text, "label": s.label,
                     "scope": s.scope} for s in stances],
    }


def _entity(i: str, s: int, e: int, label: str, text: str, note: str, cluster: Optional[str]) -> dict:
    out = {"id": i, "start": s, "end": e, "label": label, "text": text}
    if note:
        out["note"] = note
    if cluster is not None:
        out["cluster"] = cluster
    return out


def fragment_from_rows(text: str, ents: Sequence[tuple], quotes: Sequence[tuple], stances: Sequence[tuple],
                       size: Optional[int] = None) -> bytes:
    """`size`: the characters the fragment holds, if known (jsonbytes.dumps picks its encoder by it); the whole
    text's length otherwise, an upper bound."""
    return dumps(annotations_from_rows(text, ents, quotes, stances), len(text) if size is None else size)[1:-1]


def fragment_from_objects(entities: Sequence[Entity], quotes: Sequence[Quote], stances: Sequence[Stance]) -> bytes:
    """From model objects in export order (entities by start/end/label/id, quotes by start/end/id)."""
    size = sum(len(e.text) for e in entities) + sum(len(q.text) for q in quotes)
    return dumps(annotations_from_objects(entities, quotes, stances), size)[1:-1]


def encode_line(doc_id: str, text: str, meta_json: str, annotator: Optional[str], status: str, fragment: bytes,
                provenance_json: Optional[str] = None) -> bytes:
    """One export line, newline included."""
    head = dumps({"id": doc_id, "text": text, "meta": json.loads(meta_json), "annotator": annotator,
                  "status": status, "schema_version": EXPORT_SCHEMA_VERSION}, len(text))
    tail = b',"provenance":' + dumps(json.loads(provenance_json), len(provenance_json)) if provenance_json else b""
    return head[:-1] + b"," + fragment + tail + b"}\n"
