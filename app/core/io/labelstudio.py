"""Label Studio JSON: a list of tasks `{"id", "data": {"text": ...}, "annotations": [{"result": [...]}]}`.

Result items read: `labels` regions (`value.start`, `value.end`, `value.labels`, `value.text`), `relation` items
(`from_id`, `to_id`, `labels`, `direction`), `choices` items (`value.choices`: document labels, see interop.py).
Other result types (textarea, rating ...) and `predictions` are skipped and counted in the import summary.

Offsets: Label Studio's editor is JavaScript and counts UTF-16 code units, which differ from code points after
every character outside the Basic Multilingual Plane (emoji): the off-by-one of Label Studio issue #2007 on
Arabic text with emoji. Reading converts UTF-16 offsets to code points; where a region's `value.text` shows the
offsets were code points already (files written by Python tools), they are used as they are; where neither
reading matches `value.text`, the task is rejected. Writing converts code points to UTF-16 offsets. Offsets are
logical (reading) order for right-to-left text as for any other (issue #2653): nothing to convert there.

The text is `data.text`, or the field `--text-column` names, or the task's only string field. Each annotation is
one annotation set: the annotator is `created_username` (without Label Studio's `, <id>` suffix), else
`completed_by` (an e-mail in an object, or `user-<id>`); `was_cancelled` means skipped; a `status` key (Tawsim's
own) is used as it is. Region ids become entity and quote ids. A task without annotations is a bare document.
The JSON-MIN export (`[{"text": ..., "label": [{"start", "end", "labels"}]}]`) is read too.

Writing: one task per document (every annotator's set is one annotation of it), one task per line of the JSON
array so that FILE:LINE points at a task; regions `from_name: "label"`, `to_name: "text"`; stances and quote kinds
as choices from a closed set, per region (labelstudio_choices.py), what that cannot say as old-style strings.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..model import STATUSES
from ..text.offsets import Utf16Map
from .atomic import atomic_write
from .interop import ExportOptions, ExportResult, FRel, FSpan, map_record_labels, record_to_spans, spans_to_raw
from ..jsonbytes import dumps
from .jsontext import iter_array
from .labelstudio_choices import (TARGET_REL, TEXT_CONTROL, apply_closed_choices, closed_choices, is_closed_choice,
                                  labeling_config)
from .source import Record, SourceError, read_text

_USER_SUFFIX = re.compile(r",\s*\d+$")


def _tasks(path: Path) -> Iterator[tuple[int, int, Any]]:
    """(task number, line, task) for each element of the top-level JSON array (or the single task object)."""
    text = read_text(path)
    if not text.strip():
        raise SourceError(path, None, "empty file: no tasks")
    yield from iter_array(text, path, "task", single=True)


def read_labelstudio(path: str | Path, opts: Any = None) -> Iterator[Record]:
    path = Path(path)
    text_field = getattr(opts, "text_column", "text") or "text"
    for k, line, task in _tasks(path):
        try:
            yield from _task_records(path, k, line, task, text_field)
        except ValueError as exc:
            if isinstance(exc, SourceError):
                raise
            tid = task.get("id") if isinstance(task, dict) else None
            raise SourceError(path, line, f"task #{k}" + (f" (id {tid})" if tid is not None else "") +
                              f": {exc}") from None


def _task_text(task: dict, field: str) -> tuple[str, dict]:
    data = task.get("data")
    if not isinstance(data, dict):
        raise ValueError('no "data" object')
    if isinstance(data.get(field), str):
        return data[field], data
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in ("doc_id", "id")]
    if len(strings) == 1:
        return data[strings[0]], data
    raise ValueError(f"no data.{field} string (name the text field with --text-column; "
                     f"the data has {', '.join(data) or 'no fields'})")


SETS_KEY = "tawsim_sets"  # data.tawsim_sets: [{annotator, status}] of the task's annotations, in order


def _own_sets(data: dict, n: int) -> list[Optional[dict]]:
    """The Tawsim annotator and status of each of n annotations, from data.tawsim_sets when it lists exactly n
    (an annotation added or removed in Label Studio: its own names and statuses are used instead)."""
    sets = data.get(SETS_KEY)
    if not isinstance(sets, list) or len(sets) != n:
        return [None] * n
    return [x if isinstance(x, dict) and isinstance(x.get("annotator"), str) and x["annotator"].strip()
            and x.get("status") in STATUSES else None for x in sets]


def _annotator(ann: dict) -> Optional[str]:
    name = ann.get("created_username")
    if isinstance(name, str) and name.strip():
        return _USER_SUFFIX.sub("", name.strip()) or None
    by = ann.get("completed_by")
    if isinstance(by, dict):
        for key in ("email", "username"):
            if isinstance(by.get(key), str) and by[key].strip():
                return by[key].strip()
        by = by.get("id")
    if isinstance(by, int) and not isinstance(by, bool):
        return f"user-{by}"
    if isinstance(by, str) and by.strip():
        return by.strip()
    return None


def _task_records(path: Path, k: int, line: int, task: Any, text_field: str) -> Iterator[Record]:
    if not isinstance(task, dict):
        raise ValueError("a task must be a JSON object")
    if "data" not in task and isinstance(task.get("text"), str):
        yield _json_min(path, k, line, task)
        return
    text, data = _task_text(task, text_field)
    if not text.strip():
        raise ValueError("empty text")
    u16 = Utf16Map(text)
    meta = dict(task["meta"]) if isinstance(task.get("meta"), dict) else {}
    for key, v in data.items():
        if v is not text and key not in ("doc_id", SETS_KEY) and key != text_field:
            meta.setdefault(key, v)
    doc_id = data.get("doc_id")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or doc_id == "":
        doc_id = task.get("id")
    doc_id = None if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) else str(doc_id)
    notes: list[str] = []
    preds = task.get("predictions") or []
    if preds:
        notes.append(f"{path}:{line}: task #{k}: {len(preds)} prediction(s) skipped (only annotations are read)")
    anns = task.get("annotations") or []
    if not isinstance(anns, list):
        raise ValueError('"annotations" must be a list')
    if not anns:
        yield Record(str(path), line, text, doc_id, meta, format="labelstudio", notes=notes)
        return
    own = _own_sets(data, len(anns))
    for a, ann in enumerate(anns, 1):
        if not isinstance(ann, dict):
            raise ValueError(f"annotation #{a} is not an object")
        raw, more = _result(text, u16, ann.get("result") or [], f"annotation #{a}")
        status = ann.get("status") if ann.get("status") in STATUSES else ("skipped" if ann.get("was_cancelled")
                                                                          else "done")
        annotator = _annotator(ann)
        if own[a - 1]:
            annotator, status = own[a - 1]["annotator"], own[a - 1]["status"]
        yield Record(str(path), line, text, doc_id, meta, annotator, status, raw, format="labelstudio",
                     notes=notes + [f"{path}:{line}: task #{k}: {x}" for x in more])
        notes = []


def _offsets(text: str, u16: Utf16Map, value: dict, what: str) -> tuple[int, int]:
    s, e = value.get("start"), value.get("end")
    if not isinstance(s, int) or not isinstance(e, int) or isinstance(s, bool) or isinstance(e, bool):
        raise ValueError(f"{what}: start and end must be integers, got {s!r}, {e!r}")
    region_text = value.get("text")
    if 0 <= s < e <= u16.length_u16:
        cs, ce = u16.to_codepoint(s), u16.to_codepoint(e)
        if not isinstance(region_text, str) or text[cs:ce] == region_text:
            if cs < ce:
                return cs, ce
    if isinstance(region_text, str) and 0 <= s < e <= len(text) and text[s:e] == region_text:
        return s, e  # code points already (written by a Python tool)
    if isinstance(region_text, str):
        raise ValueError(f"{what}: offsets [{s}, {e}) do not hold the region's text {region_text!r} "
                         f"(read as UTF-16 units or as code points)")
    raise ValueError(f"{what}: span [{s}, {e}) is outside the text (length {u16.length_u16} UTF-16 units)")


def _result(text: str, u16: Utf16Map, result: Any, where: str) -> tuple[dict, list[str]]:
    if not isinstance(result, list):
        raise ValueError(f"{where}: \"result\" must be a list")
    spans: list[FSpan] = []
    rels: list[FRel] = []
    choices: list[str] = []
    closed: list[tuple[str, dict]] = []  # per-region and article stance choices, quote kinds
    targets: dict[str, str] = {}  # quote region id -> entity region id (TARGET_REL)
    skipped: dict[str, int] = {}
    used: set[str] = set()
    for r, item in enumerate(result, 1):
        what = f"{where} result #{r}"
        if not isinstance(item, dict):
            raise ValueError(f"{what} is not an object")
        typ = item.get("type")
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        if typ == "labels":
            s, e = _offsets(text, u16, value, what)
            labs = value.get("labels")
            if not isinstance(labs, list) or not labs or not all(isinstance(x, str) and x for x in labs):
                raise ValueError(f"{what}: value.labels must be a list of label names")
            rid = str(item.get("id") or f"r{r}")
            for i, lab in enumerate(labs):
                key = rid if i == 0 else f"{rid}-{i + 1}"
                if key in used:
                    raise ValueError(f"{what}: region id {key!r} is used twice")
                used.add(key)
                spans.append(FSpan(key, s, e, lab))
        elif typ == "relation":
            a, b = item.get("from_id"), item.get("to_id")
            labs = item.get("labels") or []
            label = labs[0] if isinstance(labs, list) and labs and isinstance(labs[0], str) else ""
            if item.get("direction") == "left":
                a, b = b, a
            if label == TARGET_REL:
                targets[str(a)] = str(b)
            else:
                rels.append(FRel(str(a), str(b), label))
        elif typ == "choices" and is_closed_choice(item):
            closed.append((what, item))
        elif typ == "choices":
            ch = value.get("choices")
            if not isinstance(ch, list) or not all(isinstance(x, str) for x in ch):
                raise ValueError(f"{what}: value.choices must be a list of strings")
            choices += ch
        else:
            skipped[str(typ)] = skipped.get(str(typ), 0) + 1
    raw, notes = spans_to_raw(text, spans, rels, choices, keep_ids=True)
    notes += apply_closed_choices(raw, closed, targets, lambda v: _offsets(text, u16, v, "a choice region"))
    if skipped:
        notes.append(f"{where}: skipped result item(s) Tawsim does not store: "
                     + ", ".join(f"{k} x{v}" for k, v in sorted(skipped.items())))
    return raw, notes


def _json_min(path: Path, k: int, line: int, task: dict) -> Record:
    text = task["text"]
    u16 = Utf16Map(text)
    spans = []
    labels = task.get("label", task.get("labels")) or []
    if not isinstance(labels, list):
        raise ValueError('"label" must be a list of regions')
    for r, reg in enumerate(labels, 1):
        if not isinstance(reg, dict):
            raise ValueError(f"region #{r} is not an object")
        s, e = _offsets(text, u16, reg, f"region #{r}")
        for i, lab in enumerate(reg.get("labels") or []):
            spans.append(FSpan(f"m{r}-{i}", s, e, str(lab)))
    # JSON-MIN flattens each control to a key: only the task-level article stance still says what it belongs to
    article = task.get("article_stance")
    raw, notes = spans_to_raw(text, spans, [], [article] if isinstance(article, str) and article else [])
    doc_id = task.get("id")
    doc_id = None if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) else str(doc_id)
    annotator = task.get("annotator")
    annotator = f"user-{annotator}" if isinstance(annotator, int) and not isinstance(annotator, bool) else \
        (annotator if isinstance(annotator, str) and annotator.strip() else None)
    status = "done"
    (own,) = _own_sets(task, 1)  # JSON-MIN flattens data: one annotation per line
    if own:
        annotator, status = own["annotator"], own["status"]
    return Record(str(path), line, text, doc_id, {}, annotator, status, raw, format="labelstudio",
                  notes=[f"{path}:{line}: task #{k}: {x}" for x in notes])


# ---- writing -------------------------------------------------------------------------------------------------------

def write_labelstudio(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    opts = opts or ExportOptions()
    res = ExportResult(unit="task", files=[Path(out)])
    with atomic_write(out) as f:
        f.write(b"[")
        first = True
        task: Optional[dict] = None
        seen_labels: set[str] = set()
        seen_choices: set[str] = set()  # old-style strings (what the closed choices cannot say)
        seen_kinds: set[str] = set()
        seen_stances: set[str] = set()

        def flush() -> None:
            nonlocal first
            if task is None:
                return
            f.write((b"\n" if first else b",\n") + dumps(task, len(task["data"]["text"])))
            first = False
            res.units += 1

        for rec in records:
            rec = map_record_labels(rec, opts.label_map)
            if task is None or task["data"]["doc_id"] != rec.get("id"):
                flush()
                task = {"id": res.units + 1, "data": {"text": rec["text"], "doc_id": rec.get("id")},
                        "meta": rec.get("meta") or {}, "annotations": [], "predictions": []}
            if rec.get("annotator") is not None:
                ann = _annotation(rec, len(task["annotations"]) + 1)
                task["annotations"].append(ann)
                # Label Studio replaces the annotator by its own user and drops the status; task data survives.
                task["data"].setdefault(SETS_KEY, []).append({"annotator": rec["annotator"],
                                                              "status": rec.get("status") or "todo"})
                for item in ann["result"]:
                    v = item.get("value") or {}
                    seen_labels.update(v.get("labels") or [])
                    {TEXT_CONTROL: seen_choices, "quote_kind": seen_kinds}.get(item.get("from_name"), set()).update(
                        v.get("choices") or [])
                    if item.get("from_name") in ("stance", "article_stance") and item.get("type") == "choices":
                        seen_stances.update(v.get("choices") or [])
            res.documents += 1
        flush()
        f.write(b"\n]\n")
    side = config_path(out)
    with atomic_write(side) as f:
        f.write(labeling_config([*opts.entity_labels, *sorted(seen_labels)], sorted(seen_choices),
                                [*opts.stance_labels, *sorted(seen_stances)], sorted(seen_kinds)).encode("utf-8"))
    res.files.append(side)
    return res


def config_path(out: str | Path) -> Path:
    """tasks.json -> tasks.config.xml: the labeling config a new Label Studio project is created with."""
    out = Path(out)
    return out.with_name(out.stem + ".config.xml")


def _annotation(rec: dict, n: int) -> dict:
    text = rec["text"]
    u16 = Utf16Map(text)
    spans, rels, choices = record_to_spans(rec)
    items, legacy = closed_choices(rec, u16)
    # stances and quote kinds come from closed_choices; only free-text speakers stay strings
    choices = legacy + [c for c in choices if c.startswith("quote_speaker:")]
    result: list[dict] = []
    for sp in spans:
        result.append({"id": sp.key, "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                       "value": {"start": u16.to_utf16(sp.start), "end": u16.to_utf16(sp.end),
                                 "text": text[sp.start:sp.end], "labels": [sp.label]}})
    for r in rels:
        result.append({"from_id": r.head, "to_id": r.child, "type": "relation", "direction": "right",
                       "labels": [r.label]})
    result += items
    if choices:
        result.append({"id": TEXT_CONTROL, "from_name": TEXT_CONTROL, "to_name": "text", "type": "choices",
                       "value": {"choices": choices}})
    status = rec.get("status") or "todo"
    return {"id": n, "created_username": rec["annotator"], "result": result, "was_cancelled": status == "skipped",
            "ground_truth": rec["annotator"] == "gold", "status": status}
