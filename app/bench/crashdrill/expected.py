"""What a project must hold after the drill: its annotation sets and labels, and the journalled edits applied to
them with the store's own rules, written out again here so the check does not trust the code it checks.

The rules, as the undo commands rely on them: a moved or relabelled entity's new text is copied into the quotes
and stances that name it; a deleted entity unlinks them (they keep its text); restoring it links them again; a
deleted quote takes the stances scoped to it along; tag-all adds its spans to every document at once; renaming a
label renames it on every annotation of every annotator. Timestamps are not compared.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from ...core.store import Project
from .journal import Edit


class ReplayError(ValueError):
    """A committed edit that cannot be applied to the expected state (its target is not there)."""


class EntityRow(NamedTuple):
    start: int
    end: int
    label: str


class QuoteRow(NamedTuple):
    start: int
    end: int
    speaker: Optional[str]
    speaker_text: str
    cue: Optional[tuple[int, int]]
    kind: str


class StanceRow(NamedTuple):
    target: Optional[str]
    target_text: str
    label: str
    scope: str


@dataclass
class SetState:
    status: str = "todo"
    comment: str = ""
    entities: dict[str, EntityRow] = field(default_factory=dict)
    quotes: dict[str, QuoteRow] = field(default_factory=dict)
    stances: dict[str, StanceRow] = field(default_factory=dict)


@dataclass
class State:
    """Every annotation set of a project by (document key, annotator), and its labels as (kind, name)."""

    sets: dict[tuple[int, str], SetState]
    labels: set[tuple[str, str]]
    texts: dict[int, str]  # document key -> text: documents never change, so not compared

    def __eq__(self, other) -> bool:
        return isinstance(other, State) and self.sets == other.sets and self.labels == other.labels

    def copy(self) -> "State":
        return State(copy.deepcopy(self.sets), set(self.labels), self.texts)


def read_state(project: Project) -> State:
    """The project's sets and labels as a State, through the same reads the export uses."""
    sets, texts = {}, {}
    for aset in project.iter_sets():
        texts[aset.document.key] = aset.document.text
        if aset.key is None:
            continue
        sets[(aset.document.key, aset.annotator)] = SetState(
            aset.status, aset.comment,
            {e.id: EntityRow(e.start, e.end, e.label) for e in aset.entities},
            {q.id: QuoteRow(q.start, q.end, q.speaker, q.speaker_text, (q.cue.start, q.cue.end) if q.cue else None,
                            q.kind) for q in aset.quotes},
            {s.id: StanceRow(s.target, s.target_text, s.label, s.scope) for s in aset.stances})
    return State(sets, {(lab.kind, lab.name) for lab in project.labels()}, texts)


# ---- the rules, one function per journalled operation ------------------------------------------------------------
def _set(state: State, a: dict, create: bool = False) -> SetState:
    key = (a["doc"], a["ann"])
    if key not in state.sets:
        if not create:
            raise ReplayError(f"document {a['doc']} has no set of {a['ann']!r}")
        state.sets[key] = SetState()
    return state.sets[key]


def _entity_text(state: State, s: SetState, doc: int, entity_id: str) -> str:
    if entity_id not in s.entities:
        raise ReplayError(f"no entity {entity_id!r} to link to")
    e = s.entities[entity_id]
    return state.texts[doc][e.start:e.end]


def _one_id(ids: list) -> str:
    if not ids or len(ids) != 1:
        raise ReplayError(f"expected one new id, got {ids!r}")
    return ids[0]


def set_status(state: State, a: dict, ids: list) -> None:
    s = _set(state, a, create=True)
    s.status = a["status"]
    if a["comment"] is not None:
        s.comment = a["comment"]


def add_entity(state: State, a: dict, ids: list) -> None:
    new_id = _one_id(ids)
    s = _set(state, a, create=True)
    if new_id in s.entities:
        raise ReplayError(f"entity id {new_id!r} is already taken")
    s.entities[new_id] = EntityRow(a["start"], a["end"], a["label"])


def update_entity(state: State, a: dict, ids: list) -> None:
    s = _set(state, a)
    if a["id"] not in s.entities:
        raise ReplayError(f"no entity {a['id']!r}")
    old = s.entities[a["id"]]
    pick = lambda name: a[name] if a.get(name) is not None else getattr(old, name)  # noqa: E731 (0 is a start)
    new = EntityRow(pick("start"), pick("end"), a.get("label") or old.label)
    s.entities[a["id"]] = new
    _relink(state, s, a["doc"], a["id"], [q for q, row in s.quotes.items() if row.speaker == a["id"]],
            [t for t, row in s.stances.items() if row.target == a["id"]])


def _relink(state: State, s: SetState, doc: int, entity_id: str, quotes, stances) -> None:
    text = _entity_text(state, s, doc, entity_id)
    for q in quotes:
        if q in s.quotes:
            s.quotes[q] = s.quotes[q]._replace(speaker=entity_id, speaker_text=text)
    for t in stances:
        if t in s.stances:
            s.stances[t] = s.stances[t]._replace(target=entity_id, target_text=text)


def _unlink_and_delete(s: SetState, entity_id: str) -> None:
    for q, row in s.quotes.items():
        if row.speaker == entity_id:
            s.quotes[q] = row._replace(speaker=None)
    for t, row in s.stances.items():
        if row.target == entity_id:
            s.stances[t] = row._replace(target=None)
    s.entities.pop(entity_id, None)


def delete_entity(state: State, a: dict, ids: list) -> None:
    s = _set(state, a)
    if a["id"] not in s.entities:
        raise ReplayError(f"no entity {a['id']!r}")
    _unlink_and_delete(s, a["id"])


def restore_entity(state: State, a: dict, ids: list) -> None:
    entity_id, start, end, label = a["entity"]
    add_entity(state, {**a, "start": start, "end": end, "label": label}, [entity_id])
    _relink(state, _set(state, a), a["doc"], entity_id, a["quotes"], a["stances"])


def _quote_row(state: State, s: SetState, a: dict, fields: dict) -> QuoteRow:
    speaker = fields["speaker"]
    text = _entity_text(state, s, a["doc"], speaker) if speaker is not None else fields["speaker_text"]
    cue = tuple(fields["cue"]) if fields["cue"] is not None else None
    return QuoteRow(fields["start"], fields["end"], speaker, text, cue, fields["kind"])


def add_quote(state: State, a: dict, ids: list) -> None:
    new_id = _one_id(ids)
    s = _set(state, a, create=True)
    if new_id in s.quotes:
        raise ReplayError(f"quote id {new_id!r} is already taken")
    s.quotes[new_id] = _quote_row(state, s, a, a)


def update_quote(state: State, a: dict, ids: list) -> None:
    s = _set(state, a)
    if a["id"] not in s.quotes:
        raise ReplayError(f"no quote {a['id']!r}")
    s.quotes[a["id"]] = _quote_row(state, s, a, {**s.quotes[a["id"]]._asdict(), **a["changes"]})


def delete_quote(state: State, a: dict, ids: list) -> None:
    s = _set(state, a)
    if s.quotes.pop(a["id"], None) is None:
        raise ReplayError(f"no quote {a['id']!r}")
    for t in [t for t, row in s.stances.items() if row.scope == a["id"]]:
        del s.stances[t]


def restore_quote(state: State, a: dict, ids: list) -> None:
    add_quote(state, {**a, **a["quote"]}, [a["quote"]["id"]])
    for st in a["stances"]:
        add_stance(state, {**a, **st}, [st["id"]])


def _stance_row(state: State, s: SetState, a: dict, fields: dict) -> StanceRow:
    target = fields["target"]
    text = _entity_text(state, s, a["doc"], target) if target is not None else fields["target_text"]
    return StanceRow(target, text, fields["label"], fields["scope"])


def add_stance(state: State, a: dict, ids: list) -> None:
    new_id = _one_id(ids)
    s = _set(state, a, create=True)
    if new_id in s.stances:
        raise ReplayError(f"stance id {new_id!r} is already taken")
    if a["scope"] != "document" and a["scope"] not in s.quotes:
        raise ReplayError(f"no quote {a['scope']!r} to scope a stance to")
    s.stances[new_id] = _stance_row(state, s, a, a)


def update_stance(state: State, a: dict, ids: list) -> None:
    s = _set(state, a)
    if a["id"] not in s.stances:
        raise ReplayError(f"no stance {a['id']!r}")
    s.stances[a["id"]] = _stance_row(state, s, a, {**s.stances[a["id"]]._asdict(), **a["changes"]})


def delete_stance(state: State, a: dict, ids: list) -> None:
    if _set(state, a).stances.pop(a["id"], None) is None:
        raise ReplayError(f"no stance {a['id']!r}")


def tag_all(state: State, a: dict, ids: list) -> None:
    """ids: (doc key, entity id) of each span, in the order of a["spans"]."""
    if ids is None or len(ids) != len(a["spans"]):
        raise ReplayError(f"tag-all of {len(a['spans'])} span(s) returned {len(ids or [])} id(s)")
    for (doc, start, end, label), (id_doc, entity_id) in zip(a["spans"], ids):
        if doc != id_doc:
            raise ReplayError(f"tag-all returned an id of document {id_doc} for a span of document {doc}")
        add_entity(state, {"doc": doc, "ann": a["ann"], "start": start, "end": end, "label": label}, [entity_id])


def untag_all(state: State, a: dict, ids: list) -> None:
    for doc, entity_id in a["ids"]:
        s = state.sets.get((doc, a["ann"]))
        if s is not None:
            _unlink_and_delete(s, entity_id)


_LABEL_USES = {"entity": ("entities", "label"), "quote_kind": ("quotes", "kind"), "stance": ("stances", "label")}


def rename_label(state: State, a: dict, ids: list) -> None:
    kind, old, new = a["kind"], a["old"], a["new"]
    if (kind, old) not in state.labels:
        raise ReplayError(f"no {kind} label {old!r}")
    state.labels = (state.labels - {(kind, old)}) | {(kind, new)}
    table, col = _LABEL_USES[kind]
    for s in state.sets.values():
        rows = getattr(s, table)
        for i, row in rows.items():
            if getattr(row, col) == old:
                rows[i] = row._replace(**{col: new})


RULES = {f.__name__: f for f in (set_status, add_entity, update_entity, delete_entity, restore_entity, add_quote,
                                 update_quote, delete_quote, restore_quote, add_stance, update_stance, delete_stance,
                                 tag_all, untag_all, rename_label)}


def apply(state: State, edit: Edit, ids: Optional[list] = None) -> None:
    """Apply a journalled edit to `state` in place (ids: those it returned; by default the journalled ones)."""
    rule = RULES.get(edit.op)
    if rule is None:
        raise ReplayError(f"unknown operation {edit.op!r}")
    rule(state, edit.args, edit.ids if ids is None else ids)
