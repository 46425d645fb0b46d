"""Checks of one exported/imported record: the JSON Schema and the offset invariant `text[start:end] == text`.

Used by `tawsim import` (against the project's labels) and by `tawsim validate` (a file on its own). Every problem
is a message that a person can act on; the caller adds FILE:LINE.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from ..model import DOCUMENT_SCOPE, STATUSES, Cue, Entity, Quote, Stance

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "resources" / "export.schema.json"


class RecordError(ValueError):
    """A problem in one record; str() is the message without file and line."""


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_problems(obj: Any) -> list[str]:
    """JSON Schema violations of one export line, as short messages with the path of the offending field."""
    import jsonschema  # imported lazily: only `validate` needs it

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for err in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(line)"
        out.append(f"{where}: {err.message}")
    return out


def _span(text: str, item: dict, what: str) -> tuple[int, int]:
    s, e = item.get("start"), item.get("end")
    if not isinstance(s, int) or not isinstance(e, int) or isinstance(s, bool) or isinstance(e, bool):
        raise RecordError(f"{what}: start and end must be integers, got {s!r}, {e!r}")
    if not 0 <= s < e <= len(text):
        raise RecordError(f"{what}: span [{s}, {e}) is outside the text (length {len(text)})")
    if "text" in item and item["text"] != text[s:e]:
        raise RecordError(f"{what}: text {item['text']!r} does not match the document at [{s}, {e}), "
                          f"which reads {text[s:e]!r}")
    return s, e


def _str_id(item: dict, what: str) -> Optional[str]:
    v = item.get("id")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int)) or str(v) == "":
        raise RecordError(f"{what}: id must be a non-empty string, got {v!r}")
    return str(v)


def _check_label(label: Any, allowed: Optional[set[str]], what: str, kind: str) -> str:
    if not isinstance(label, str) or not label:
        raise RecordError(f"{what}: {kind} label must be a non-empty string, got {label!r}")
    if allowed is not None and label not in allowed:
        raise RecordError(f"{what}: unknown {kind} label {label!r} (the project has {', '.join(sorted(allowed))})")
    return label


def _fresh_ids(prefix: str, given: Iterable[Optional[str]]):
    used = {g for g in given if g}
    n = 0
    while True:
        n += 1
        if f"{prefix}{n}" not in used:
            yield f"{prefix}{n}"


def _entity_link(item: dict, field: str, by_id: dict[str, Entity], what: str) -> tuple[Optional[str], str]:
    """A quote's speaker or a stance's target: an entity id of the record, a typed text, or both.

    The rule (stated in resources/export.schema.json, the same for `import` and `validate`): `FIELD_text` is the
    name of the speaker / target; it may differ from the linked entity's own text, because gold data puts a
    canonical name beside a mention; it is kept as given. An empty `FIELD_text` with a link takes the entity's
    text. The link must name an entity of the same record."""
    link, text = item.get(field), item.get(f"{field}_text") or ""
    if not isinstance(text, str):
        raise RecordError(f"{what}: {field}_text must be a string")
    if link is None:
        return None, text
    link = str(link)
    if link not in by_id:
        raise RecordError(f"{what}: {field} {link!r} is not an entity id of this record")
    return link, text or by_id[link].text


def _note(item: dict, what: str) -> str:
    """An entity's or quote's optional note: text, "" when absent."""
    note = item.get("note")
    if note is None:
        return ""
    if not isinstance(note, str):
        raise RecordError(f"{what}: note must be a string, got {note!r}")
    return note


def parse_annotations(obj: dict, text: str, entity_labels: Optional[set[str]] = None,
                      stance_labels: Optional[set[str]] = None, quote_kinds: Optional[set[str]] = None
                      ) -> tuple[list[Entity], list[Quote], list[Stance]]:
    """Turn the `entities` / `quotes` / `stances` of one record into model objects, checking every invariant.

    Label sets of None accept any label (for validating a file without a project). Items without an id get
    fresh ones (e1, q1, s1 ...), so hand-written or third-party files import too.
    """
    raw_e, raw_q, raw_s = (obj.get(k) or [] for k in ("entities", "quotes", "stances"))
    for k, v in (("entities", raw_e), ("quotes", raw_q), ("stances", raw_s)):
        if not isinstance(v, list) or not all(isinstance(i, dict) for i in v):
            raise RecordError(f"{k} must be a list of objects")
    entities: list[Entity] = []
    e_ids = _fresh_ids("e", (_str_id(i, "entity") for i in raw_e))
    for n, item in enumerate(raw_e, 1):
        what = f"entity #{n}"
        s, e = _span(text, item, what)
        label = _check_label(item.get("label"), entity_labels, what, "entity")
        cluster = item.get("cluster")
        if cluster is not None and (not isinstance(cluster, str) or not cluster):
            raise RecordError(f"{what}: cluster must be a non-empty string, got {cluster!r}")
        entities.append(Entity(_str_id(item, what) or next(e_ids), s, e, label, text[s:e], _note(item, what),
                               cluster))
    by_id = {e.id: e for e in entities}
    if len(by_id) != len(entities):
        raise RecordError("two entities share an id")

    quotes: list[Quote] = []
    q_ids = _fresh_ids("q", (_str_id(i, "quote") for i in raw_q))
    for n, item in enumerate(raw_q, 1):
        what = f"quote #{n}"
        s, e = _span(text, item, what)
        speaker, speaker_text = _entity_link(item, "speaker", by_id, what)
        cue = None
        if item.get("cue") is not None:
            if not isinstance(item["cue"], dict):
                raise RecordError(f"{what}: cue must be an object {{start, end, text}} or null")
            cs, ce = _span(text, item["cue"], f"{what} cue")
            cue = Cue(cs, ce, text[cs:ce])
        kind = _check_label(item.get("kind", "direct"), quote_kinds, what, "quote kind")
        quotes.append(Quote(_str_id(item, what) or next(q_ids), s, e, text[s:e], speaker, speaker_text, cue, kind,
                            _note(item, what)))
    quote_ids = {q.id for q in quotes}
    if len(quote_ids) != len(quotes):
        raise RecordError("two quotes share an id")

    stances: list[Stance] = []
    s_ids = _fresh_ids("s", (_str_id(i, "stance") for i in raw_s))
    for n, item in enumerate(raw_s, 1):
        what = f"stance #{n}"
        label = _check_label(item.get("label"), stance_labels, what, "stance")
        target, target_text = _entity_link(item, "target", by_id, what)
        scope = item.get("scope", DOCUMENT_SCOPE)
        if scope != DOCUMENT_SCOPE and scope not in quote_ids:
            raise RecordError(f"{what}: scope {scope!r} is neither \"document\" nor a quote id of this record")
        stances.append(Stance(_str_id(item, what) or next(s_ids), label, target, target_text, scope))
    if len({s.id for s in stances}) != len(stances):
        raise RecordError("two stances share an id")
    return entities, quotes, stances


def check_status(obj: dict) -> str:
    status = obj.get("status") or "todo"
    if status not in STATUSES:
        raise RecordError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
    return status
