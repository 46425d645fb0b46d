"""Prodigy JSONL: `text`, `tokens`, `spans` (`start`/`end`, `token_start`/`token_end` inclusive, `label`),
`relations` (`head`/`child` token indices, `head_span`/`child_span`, `label`), and `options` + `accept` for
document labels; `answer` accept / ignore / reject.

Reading: span offsets are code points (Prodigy is Python); a span without `start`/`end` takes them from its
tokens. A relation is matched to its spans by `head_span`/`child_span` offsets, else by the token indices (the
span holding that token). `accept` holds option ids; each is a document label (see interop.py: stances, quote
kinds). The status is the line's `status` if it is a Tawsim status, else accept -> done, ignore -> skipped,
reject -> flagged; the annotator is `_annotator_id` (Prodigy's `dataset-session` name) or `annotator`.

Writing: one line per annotation set with the tokens of app.core.io.tokens (pre-tokenized documents keep their
own tokens) plus, as spaCy makes them, a token for every run of white space that is not the single space after a
token (a newline is a token of its own): `ws` is true exactly when the next character is a space, so joining
`text + " " * ws` rebuilds the text exactly; spans with both offset kinds, relations with `head`/`child` = the last token of each span (as
rel.manual saves them), `options`/`accept` for stances and quote attributes, `meta` = the document's meta, and
`id`, `_annotator_id`, `status`, `answer` (accept for a set still to do: `prodigy db-in` wants one) so that a
re-import restores the set; `_input_hash` (of the text) and `_task_hash` (of the text and the annotations) are
stable signed 32-bit integers, as Prodigy's own, though not computed with its (closed) hash function.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..model import STATUSES
from .atomic import write_lines
from .interop import (ANSWER_FROM_STATUS, STATUS_FROM_ANSWER, ExportOptions, ExportResult, FRel, FSpan,
                      check_offsets, map_record_labels, optional_str, record_to_spans, spans_to_raw)
from .jsonl import read_line_records
from ..jsonbytes import dumps
from .source import Record, max_chars_of
from .tokens import TokenIndex, document_sentences


def _doc_id(obj: dict) -> Optional[str]:
    v = obj.get("id")
    if isinstance(v, bool) or not isinstance(v, (str, int)) or v == "":
        return None
    return str(v)


def read_prodigy(path: str | Path, opts: Any = None) -> Iterator[Record]:
    return read_line_records(path, _read_line, max_chars_of(opts))


def _read_line(path: Path, n: int, obj: dict) -> Record:
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text"')
    tokens = obj.get("tokens") or []
    if not isinstance(tokens, list):
        raise ValueError('"tokens" must be a list')

    def tok_offsets(i: Any, end: bool) -> int:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(tokens) or not isinstance(tokens[i], dict):
            raise ValueError(f"token index {i!r} is not a token of this line")
        v = tokens[i].get("end" if end else "start")
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"token {i} has no \"start\" and \"end\" offsets")
        return v

    spans: list[FSpan] = []
    tok_range: list[tuple[Optional[int], Optional[int]]] = []
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise ValueError('"spans" must be a list')
    for k, sp in enumerate(raw_spans, 1):
        if not isinstance(sp, dict):
            raise ValueError(f"span #{k} is not an object")
        s, e = sp.get("start"), sp.get("end")
        if s is None or e is None:
            s, e = tok_offsets(sp.get("token_start"), False), tok_offsets(sp.get("token_end"), True)
        s, e = check_offsets(text, s, e, f"span #{k}")
        label = sp.get("label")
        if not isinstance(label, str) or not label:
            raise ValueError(f"span #{k}: label must be a non-empty string")
        if isinstance(sp.get("text"), str) and sp["text"] != text[s:e]:
            raise ValueError(f"span #{k}: text {sp['text']!r} does not match the text at [{s}, {e}) ({text[s:e]!r})")
        spans.append(FSpan(f"s{k}", s, e, label))
        tok_range.append((sp.get("token_start"), sp.get("token_end")))

    taken: set[tuple[str, str, str]] = set()  # (end, relation label, span key) already given to a relation

    def find(ref: Any, span_ref: Any, what: str, rel_label: str = "") -> str:
        if isinstance(span_ref, dict) and "start" in span_ref and "end" in span_ref:
            hits = [sp for sp in spans if (sp.start, sp.end) == (span_ref["start"], span_ref["end"])]
            if len(hits) > 1 and span_ref.get("label"):
                hits = [sp for sp in hits if sp.label == span_ref["label"]] or hits
            if hits:  # identical spans (two quotes on one clause): each relation takes the next one not yet taken
                hit = next((sp for sp in hits if (what, rel_label, sp.key) not in taken), hits[0])
                taken.add((what, rel_label, hit.key))
                return hit.key
            raise ValueError(f"relation {what} [{span_ref['start']}, {span_ref['end']}) is not one of the spans")
        if isinstance(ref, bool) or not isinstance(ref, int):
            raise ValueError(f"relation {what} has neither a {what}_span nor a token index")
        hits = [sp for sp, (ts, te) in zip(spans, tok_range)
                if isinstance(ts, int) and isinstance(te, int) and ts <= ref <= te]
        if not hits:
            raise ValueError(f"relation {what} token {ref!r} is in none of the spans")
        return min(hits, key=lambda sp: sp.end - sp.start).key

    rels: list[FRel] = []
    raw_rels = obj.get("relations") or []
    if not isinstance(raw_rels, list):
        raise ValueError('"relations" must be a list')
    for k, r in enumerate(raw_rels, 1):
        if not isinstance(r, dict):
            raise ValueError(f"relation #{k} is not an object")
        label = str(r.get("label") or "")
        rels.append(FRel(find(r.get("head"), r.get("head_span"), "head", label),
                         find(r.get("child"), r.get("child_span"), "child", label), label))
    accept = obj.get("accept") or []
    if not isinstance(accept, list):
        raise ValueError('"accept" must be a list of option ids')
    choices = [str(a) for a in accept]
    raw, notes = spans_to_raw(text, spans, rels, choices)
    status = obj.get("status") if obj.get("status") in STATUSES else STATUS_FROM_ANSWER.get(obj.get("answer"))
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    annotator = optional_str(obj.get("_annotator_id")) or optional_str(obj.get("annotator"))
    return Record(str(path), n, text, _doc_id(obj), meta, annotator, status, raw, format="prodigy",
                  notes=[f"{path}:{n}: {x}" for x in notes])


def write_prodigy(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    opts = opts or ExportOptions()
    res = ExportResult(files=[Path(out)])
    def lines():
        for rec in records:
            line, problems = prodigy_line(map_record_labels(rec, opts.label_map))
            res.warnings.extend(f"{rec.get('id')} ({rec.get('annotator') or 'no annotator'}): {p}" for p in problems)
            yield dumps(line, len(rec.get("text") or ""), newline=True)

    res.documents = res.units = write_lines(out, lines())
    return res


def _hash32(*parts: Any) -> int:
    """A signed 32-bit integer of JSON-serialisable parts (Prodigy's hashes are signed 32-bit), stable across runs."""
    data = json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return int.from_bytes(hashlib.sha256(data).digest()[:4], "big", signed=True)


def spacy_like_tokens(text: str, toks: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, ws) covering the whole text: the given word tokens, and a token for each run of white space
    that is not the one space after a token (spaCy's rule: a token's `whitespace_` is at most one space)."""
    out: list[tuple[int, int, bool]] = []

    def gap(a: int, b: int) -> None:
        if a < b and text[a] == " " and out:
            out[-1] = (out[-1][0], out[-1][1], True)
            a += 1
        if a < b:
            if b - a > 1 and text[b - 1] == " ":
                out.append((a, b - 1, True))
            else:
                out.append((a, b, False))

    pos = 0
    for s, e in toks:
        gap(pos, s)
        out.append((s, e, False))
        pos = e
    gap(pos, len(text))
    return out


def prodigy_line(rec: dict) -> tuple[dict, list[str]]:
    text, meta = rec["text"], rec.get("meta") or {}
    spans, rels, choices = record_to_spans(rec)
    cuts = [x for sp in spans for x in (sp.start, sp.end)]
    full = spacy_like_tokens(text, [t for sent in document_sentences(text, meta, cuts) for t in sent])
    toks = [(s, e) for s, e, _ in full]
    index = TokenIndex(toks)
    problems: list[str] = []
    out_spans, by_key = [], {}
    for sp in spans:
        d: dict[str, Any] = {"text": text[sp.start:sp.end], "start": sp.start, "end": sp.end}
        c = index.cover(sp.start, sp.end)
        if c is None:
            problems.append(f"span {sp.key} [{sp.start}, {sp.end}) has no token inside it; written without "
                            f"token_start/token_end")
        else:
            d["token_start"], d["token_end"] = c[0], c[1] - 1
            if not c[2]:
                problems.append(f"span {sp.key} [{sp.start}, {sp.end}) does not begin and end on token boundaries "
                                f"(its character offsets are exact; its token indices cover it)")
        d["label"] = sp.label
        out_spans.append(d)
        by_key[sp.key] = d
    out_rels = []
    for r in rels:
        h, c = by_key[r.head], by_key[r.child]
        keys = ("start", "end", "token_start", "token_end", "label")
        out_rels.append({"head": h.get("token_end"), "child": c.get("token_end"),
                         "head_span": {k: h[k] for k in keys if k in h}, "child_span": {k: c[k] for k in keys if k in c},
                         "label": r.label})
    line: dict[str, Any] = {
        "id": rec.get("id"),
        "text": text,
        "meta": meta,
        "tokens": [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": ws} for i, (s, e, ws) in enumerate(full)],
        "spans": out_spans,
        "relations": out_rels,
    }
    if choices:
        line["options"] = [{"id": c, "text": c} for c in choices]
        line["accept"] = choices
    if rec.get("annotator"):
        line["_annotator_id"] = rec["annotator"]
    status = rec.get("status") or "todo"
    line["status"] = status
    line["answer"] = ANSWER_FROM_STATUS.get(status, "accept")
    line["_input_hash"] = _hash32("text", text)
    line["_task_hash"] = _hash32(line["_input_hash"], out_spans, out_rels, line.get("accept") or [])
    return line, problems
