"""Hugging Face token classification JSONL: one sentence a line, `{"id", "doc_id", "annotator", "tokens": [...],
"ner_tags": [ids]}`, and beside it, in OUT's stem + `.labels.json`, `{"labels": ["O", "B-PER", ...] (index = id),
"id2label": {"0": "O", ...}, "label2id": {"O": 0, ...}}`: the two maps are what a transformers model config takes
(`AutoModelForTokenClassification.from_pretrained(..., id2label=..., label2id=...)`).
`datasets.load_dataset("json", data_files=OUT)` loads the data as it is. Quotes and stances have no place in token
classification and are counted in a warning, as CoNLL does.

Label ids are stable across exports of a project: `O`, then B-/I- (or B-/I-/E-/S- with `--scheme bioes`) for
every entity label of the project in its order (after `--label-map`), then any other label met.

Reading takes the same lines back: `ner_tags` as ids (resolved through `<stem>.labels.json`, which must exist)
or as tag strings. Consecutive lines with the same `doc_id` are one document, their tokens joined by spaces and
their sentences by newlines, as CoNLL (pre-tokenized: the tokens come back exactly). Lines without `doc_id` are
one document each, or `--doc-size N` lines each. The same tag rules as CoNLL apply (conll.py).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from .atomic import atomic_write
from .output_guard import check_output
from .conll import document_tags
from .interop import ExportOptions, ExportResult, FormatError, map_record_labels
from .jsonl import iter_jsonl
from ..jsonbytes import dumps
from .jsontext import parse
from .source import Record, SourceError, max_chars_of, read_text
from .tokens import TOKENIZATION_KEY, WHITESPACE, TagError, decode_tags, join_tokens, parse_tag

LABELS_SUFFIX = ".labels.json"


def labels_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + LABELS_SUFFIX)


def tag_names(entity_labels: Iterable[str], scheme: str) -> list[str]:
    prefixes = ("B", "I", "E", "S") if scheme == "bioes" else ("B", "I")
    return ["O"] + [f"{p}-{lab}" for lab in entity_labels for p in prefixes]


def write_hf(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    opts = opts or ExportOptions()
    out = Path(out)
    side = labels_path(out)
    if side == out:
        raise FormatError(out, None, "the label list would overwrite the data; name the output *.jsonl")
    check_output(side)  # before the data file is written, not after
    mapped = list(dict.fromkeys(opts.label_map.get(l, l) for l in opts.entity_labels))
    names = tag_names(mapped, opts.scheme)
    ids = {t: i for i, t in enumerate(names)}
    res = ExportResult(unit="sentence", files=[out, side])
    dropped_quotes = dropped_stances = 0
    with atomic_write(out) as f:
        buf: list[bytes] = []
        for rec in records:
            rec = map_record_labels(rec, opts.label_map)
            dropped_quotes += len(rec.get("quotes") or [])
            dropped_stances += len(rec.get("stances") or [])
            text, meta = rec["text"], rec.get("meta") or {}
            ents = rec.get("entities") or []
            sentences, tags, problems = document_tags(text, meta, ents, opts.scheme)
            where = f"{rec.get('id')} ({rec.get('annotator') or 'no annotator'})"
            res.warnings += [f"{where}: {p}" for p in problems]
            for k, (sent, stags) in enumerate(zip(sentences, tags), 1):
                for t in stags:
                    if t not in ids:  # a label the project list did not have: append, keeping earlier ids
                        for extra in tag_names([t[2:]], opts.scheme)[1:]:
                            if extra not in ids:
                                ids[extra] = len(names)
                                names.append(extra)
                buf.append(dumps({"id": f"{rec.get('id')}/{k}", "doc_id": rec.get("id"),
                                  "annotator": rec.get("annotator"),
                                  "tokens": [text[s:e] for s, e in sent], "ner_tags": [ids[t] for t in stags]},
                                 sum(e - s for s, e in sent), newline=True))
                res.units += 1
            res.documents += 1
            if len(buf) >= 2000:
                f.write(b"".join(buf))
                buf.clear()
        f.write(b"".join(buf))
    with atomic_write(side) as f:
        f.write(json.dumps({"labels": names, "id2label": {str(i): t for i, t in enumerate(names)},
                            "label2id": {t: i for i, t in enumerate(names)}}, ensure_ascii=False, indent=1)
                .encode("utf-8") + b"\n")
    if dropped_quotes or dropped_stances:
        res.warnings.append(f"Hugging Face token classification holds entities only: {dropped_quotes} quote(s) and "
                            f"{dropped_stances} stance(s) were not written (prodigy, doccano, labelstudio and spacy "
                            f"keep them)")
    return res


def _label_list(path: Path) -> Optional[list[str]]:
    side = labels_path(path)
    if not side.exists():
        return None
    obj = parse(read_text(side), side)
    if isinstance(obj, dict) and isinstance(obj.get("labels"), list):
        obj = obj["labels"]
    elif isinstance(obj, dict):  # {"0": "O", "1": "B-PER"} (a model's id2label)
        try:
            obj = [obj[k] for k in sorted(obj, key=int)]
        except (ValueError, TypeError):
            raise SourceError(side, None, "expected a list of tag names, or {id: name}") from None
    if not isinstance(obj, list) or not all(isinstance(x, str) for x in obj):
        raise SourceError(side, None, "expected a list of tag names")
    return obj


def read_hf(path: str | Path, opts: Any = None) -> Iterator[Record]:
    path = Path(path)
    doc_size: Optional[int] = getattr(opts, "doc_size", None)
    names = _label_list(path)
    docs: list[dict] = []
    cur: Optional[dict] = None
    for n, obj in iter_jsonl(path, max_chars_of(opts)):
        toks, tags = obj.get("tokens"), obj.get("ner_tags", obj.get("tags"))
        if not isinstance(toks, list) or not all(isinstance(t, str) for t in toks):
            raise SourceError(path, n, '"tokens" must be a list of strings')
        if not isinstance(tags, list) or len(tags) != len(toks):
            raise SourceError(path, n, f'"ner_tags" must be a list as long as "tokens" ({len(toks)})')
        parsed = []
        for t, tag in zip(toks, tags):
            if isinstance(tag, int) and not isinstance(tag, bool):
                if names is None:
                    raise SourceError(path, n, f"ner_tags are ids but there is no label list "
                                               f"{labels_path(path).name} beside the file")
                if not 0 <= tag < len(names):
                    raise SourceError(path, n, f"tag id {tag} is not in {labels_path(path).name} "
                                               f"({len(names)} names)")
                tag = names[tag]
            if not isinstance(tag, str):
                raise SourceError(path, n, f"tag {tag!r} is neither an id nor a tag name")
            try:
                p = parse_tag(tag)
            except TagError as exc:
                raise SourceError(path, n, str(exc)) from None
            if " " in t or "\n" in t:
                raise SourceError(path, n, f"token {t!r} contains a space or a newline; it could not be told "
                                           f"apart from two tokens")
            if t == "" and p[0] != "O":
                raise SourceError(path, n, f"empty token tagged {tag!r}")
            parsed.append((t, p))
        if not parsed:
            continue
        doc_id = obj.get("doc_id")
        doc_id = str(doc_id) if isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool) else None
        annotator = obj.get("annotator") if isinstance(obj.get("annotator"), str) else None
        same = cur is not None and (cur["doc_id"] == doc_id and doc_id is not None and cur["annotator"] == annotator
                                    or doc_id is None and cur["doc_id"] is None and doc_size
                                    and len(cur["sentences"]) < doc_size)
        if not same:
            cur = {"doc_id": doc_id, "annotator": annotator, "line": n, "sentences": []}
            docs.append(cur)
        cur["sentences"].append((n, parsed))
    if not docs:
        raise SourceError(path, None, "no tokens found")
    for d in docs:
        text, all_starts = join_tokens([[t for t, _ in sent] for _, sent in d["sentences"]])
        entities = []
        for (line, sent), starts in zip(d["sentences"], all_starts):
            for i, j, lab in decode_tags([p for _, p in sent])[0]:
                entities.append({"start": starts[i], "end": starts[j - 1] + len(sent[j - 1][0]), "label": lab,
                                 "_line": line})
        if not text.strip():
            continue
        meta = {"file": path.name, "line": d["line"], TOKENIZATION_KEY: WHITESPACE}
        yield Record(str(path), d["line"], text, d["doc_id"] or f"{path.stem}-{d['line']}", meta, d["annotator"],
                     "done", {"entities": entities, "quotes": [], "stances": []}, format="hf")
