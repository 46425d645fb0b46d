"""The import's fast path: a record's entities / quotes / stances checked on the parsed dict and turned straight
into the store's row tuples, without building model objects (a 100k-article import checks millions of spans).

Why a second reader beside validate.parse_annotations: building Entity/Quote/Stance dataclasses and then tuples
from them was a third of the import. The rule that keeps the two from drifting apart: `annotation_rows` accepts
only the common, well-formed shape (every item has a string id, integer offsets, known labels ...) and returns
None for anything else, and the caller then runs parse_annotations, which gives the very message (or the fresh
ids) it always gave. So every refusal, and every unusual-but-valid record, still goes through the one checker;
what this module accepts, parse_annotations accepts with the same values (tests compare both on every fixture).

Rows carry a placeholder `None` where the store puts the set's key (the first column), in the store's column order:
entities (set, id, start, end, label, note, cluster), quotes (set, id, start, end, speaker, speaker_text,
cue_start, cue_end, kind, note), stances (set, id, target, target_text, label, scope).
"""
from __future__ import annotations

from typing import Optional

from ..model import DOCUMENT_SCOPE

Rows = tuple[list[tuple], list[tuple], list[tuple]]


def _span_ok(text: str, n: int, item: dict) -> bool:
    """The span checks of validate._span: integer offsets (not bools) inside the text, and its "text" if given."""
    s, e = item.get("start"), item.get("end")
    if type(s) is not int or type(e) is not int or not 0 <= s < e <= n:
        return False
    return "text" not in item or item["text"] == text[s:e]


def annotation_rows(obj: dict, text: str, entity_labels: Optional[set[str]], stance_labels: Optional[set[str]],
                    quote_kinds: Optional[set[str]]) -> Optional[Rows]:
    """The record's annotations as row tuples when they are in the common shape and valid; None otherwise (the
    caller then asks validate.parse_annotations, for the message or the less common shapes)."""
    raw_e, raw_q, raw_s = obj.get("entities") or [], obj.get("quotes") or [], obj.get("stances") or []
    if type(raw_e) is not list or type(raw_q) is not list or type(raw_s) is not list:
        return None
    n = len(text)
    ents: list[tuple] = []
    ent_text: dict[str, str] = {}
    for item in raw_e:
        if type(item) is not dict or not _span_ok(text, n, item):
            return None
        i, label, note, cluster = item.get("id"), item.get("label"), item.get("note"), item.get("cluster")
        if type(i) is not str or not i or type(label) is not str or not label or i in ent_text:
            return None
        if entity_labels is not None and label not in entity_labels:
            return None
        if note is None:
            note = ""
        elif type(note) is not str:
            return None
        if cluster is not None and (type(cluster) is not str or not cluster):
            return None
        s, e = item["start"], item["end"]
        ent_text[i] = text[s:e]
        ents.append((None, i, s, e, label, note, cluster))

    quotes: list[tuple] = []
    quote_ids: set[str] = set()
    for item in raw_q:
        if type(item) is not dict or not _span_ok(text, n, item):
            return None
        i, note, kind = item.get("id"), item.get("note"), item.get("kind", "direct")
        if type(i) is not str or not i or i in quote_ids or type(kind) is not str or not kind:
            return None
        if quote_kinds is not None and kind not in quote_kinds:
            return None
        speaker, speaker_text = _link(item, "speaker", ent_text)
        if speaker is False:
            return None
        if note is None:
            note = ""
        elif type(note) is not str:
            return None
        cue = item.get("cue")
        if cue is None:
            cs = ce = None
        elif type(cue) is dict and _span_ok(text, n, cue):
            cs, ce = cue["start"], cue["end"]
        else:
            return None
        quote_ids.add(i)
        quotes.append((None, i, item["start"], item["end"], speaker, speaker_text, cs, ce, kind, note))

    stances: list[tuple] = []
    stance_ids: set[str] = set()
    for item in raw_s:
        if type(item) is not dict:
            return None
        i, label, scope = item.get("id"), item.get("label"), item.get("scope", DOCUMENT_SCOPE)
        if type(i) is not str or not i or i in stance_ids or type(label) is not str or not label:
            return None
        if stance_labels is not None and label not in stance_labels:
            return None
        if type(scope) is not str or (scope != DOCUMENT_SCOPE and scope not in quote_ids):
            return None
        target, target_text = _link(item, "target", ent_text)
        if target is False:
            return None
        stance_ids.add(i)
        stances.append((None, i, target, target_text, label, scope))
    return ents, quotes, stances


def _link(item: dict, field: str, ent_text: dict[str, str]) -> tuple:
    """validate._entity_link for a string link (or none): (link, text), or (False, None) for anything else."""
    link, given = item.get(field), item.get(f"{field}_text") or ""
    if type(given) is not str:
        return False, None
    if link is None:
        return None, given
    if type(link) is not str or link not in ent_text:
        return False, None
    return link, given or ent_text[link]
