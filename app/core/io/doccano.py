"""doccano JSONL, both export shapes:

* sequence labeling: `{"text": ..., "label": [[start, end, "LABEL"], ...]}` (older versions: `labels`);
* relation projects: `{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
  "relations": [{"id", "from_id", "to_id", "type"}]}`; intent / slot projects: `"entities": [[s, e, "L"]]`;
* document labels: `"cats": ["..."]` (intent projects), or `"label": ["..."]` (a list of strings: text
  classification); each is a document label as interop.py reads them (stances, quote kinds).

Offsets are code points. The document id is `id` (a string or a number), the annotator `annotator`, the status
`status`, the meta `meta`; other top-level keys (`Comments` ...) go to the meta as they are.

Writing uses the relation shape plus `cats`, with entity ids 1, 2 ... per line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..model import STATUSES
from .atomic import write_lines
from .interop import (ExportOptions, ExportResult, FRel, FSpan, check_offsets, map_record_labels, record_to_spans,
                      spans_to_raw)
from .jsonl import read_line_records
from ..jsonbytes import dumps
from .source import Record, max_chars_of

_KNOWN = {"id", "text", "data", "label", "labels", "entities", "relations", "cats", "meta", "annotator", "status"}


def read_doccano(path: str | Path, opts: Any = None) -> Iterator[Record]:
    return read_line_records(path, _read_line, max_chars_of(opts))


def _triple(text: str, item: Any, what: str) -> tuple[int, int, str]:
    if not isinstance(item, (list, tuple)) or len(item) != 3 or not isinstance(item[2], str) or not item[2]:
        raise ValueError(f"{what}: expected [start, end, \"LABEL\"], got {item!r}")
    s, e = check_offsets(text, item[0], item[1], what)
    return s, e, item[2]


def _read_line(path: Path, n: int, obj: dict) -> Record:
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text"')
    spans: list[FSpan] = []
    rels: list[FRel] = []
    choices: list[str] = []
    labels = obj.get("label", obj.get("labels"))
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError('"label" must be a list')
        for k, item in enumerate(labels, 1):
            if isinstance(item, str):
                choices.append(item)
            else:
                s, e, lab = _triple(text, item, f"label #{k}")
                spans.append(FSpan(f"l{k}", s, e, lab))
    ents = obj.get("entities") or []
    if not isinstance(ents, list):
        raise ValueError('"entities" must be a list')
    keys: dict[Any, str] = {}
    for k, item in enumerate(ents, 1):
        what = f"entity #{k}"
        if isinstance(item, dict):
            s, e = check_offsets(text, item.get("start_offset"), item.get("end_offset"), what)
            lab = item.get("label")
            if not isinstance(lab, str) or not lab:
                raise ValueError(f"{what}: label must be a non-empty string")
            if "id" in item:
                if item["id"] in keys:
                    raise ValueError(f"{what}: id {item['id']!r} is used twice")
                keys[item["id"]] = f"d{k}"
        else:
            s, e, lab = _triple(text, item, what)
        spans.append(FSpan(f"d{k}", s, e, lab))
    raw_rels = obj.get("relations") or []
    if not isinstance(raw_rels, list):
        raise ValueError('"relations" must be a list')
    for k, r in enumerate(raw_rels, 1):
        if not isinstance(r, dict) or r.get("from_id") not in keys or r.get("to_id") not in keys:
            raise ValueError(f"relation #{k}: from_id and to_id must be ids of this line's entities")
        rels.append(FRel(keys[r["from_id"]], keys[r["to_id"]], str(r.get("type") or "")))
    cats = obj.get("cats") or []
    if isinstance(cats, dict):  # spaCy-style {"label": score}: the labels scored above one half
        cats = [c for c, v in cats.items() if isinstance(v, (int, float)) and v > 0.5]
    if not isinstance(cats, list):
        raise ValueError('"cats" must be a list of strings')
    choices += [str(c) for c in cats]
    raw, notes = spans_to_raw(text, spans, rels, choices)
    meta = dict(obj["meta"]) if isinstance(obj.get("meta"), dict) else {}
    meta.update({k: v for k, v in obj.items() if k not in _KNOWN})
    doc_id = obj.get("id")
    doc_id = None if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or doc_id == "" else str(doc_id)
    annotator = obj.get("annotator")
    annotator = str(annotator) if isinstance(annotator, (str, int)) and not isinstance(annotator, bool) \
        and str(annotator).strip() else None
    status = obj.get("status") if obj.get("status") in STATUSES else None
    return Record(str(path), n, text, doc_id, meta, annotator, status, raw, format="doccano",
                  notes=[f"{path}:{n}: {x}" for x in notes])


def write_doccano(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    opts = opts or ExportOptions()
    res = ExportResult(files=[Path(out)])
    res.documents = res.units = write_lines(
        out, (dumps(doccano_line(map_record_labels(rec, opts.label_map)), len(rec.get("text") or ""), newline=True)
              for rec in records))
    return res


def doccano_line(rec: dict) -> dict:
    spans, rels, choices = record_to_spans(rec)
    num = {sp.key: k for k, sp in enumerate(spans, 1)}
    line: dict[str, Any] = {
        "id": rec.get("id"),
        "text": rec["text"],
        "entities": [{"id": num[sp.key], "label": sp.label, "start_offset": sp.start, "end_offset": sp.end}
                     for sp in spans],
        "relations": [{"id": k, "from_id": num[r.head], "to_id": num[r.child], "type": r.label}
                      for k, r in enumerate(rels, 1)],
        "cats": choices,
        "meta": rec.get("meta") or {},
        "status": rec.get("status") or "todo",
        # Always present (empty when unknown): doccano's importer wants every line to have the same keys.
        "annotator": rec.get("annotator") or "",
    }
    return line
