"""Adjudication: compare annotators' sets on one document unit by unit, and turn decisions into the gold set.

A *unit* is what annotators can agree or disagree on: a cluster of overlapping entity spans, a cluster of
overlapping quotes (with speaker, cue, kind and the quote's stance), or the article's stance toward one target.
Each annotator has a *version* of every unit (possibly empty). Unanimous units are accepted into gold at once;
the others wait for a decision: one annotator's version, several (union), or none. Decisions are pure functions
from (gold, unit, choice) to a new gold, so the UI can undo them by keeping the gold before and after.
"""
from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

from ..text.arabic import normalize
from ..model import DOCUMENT_SCOPE, GOLD, AnnotationSet, Entity, Quote, Stance

ENTITY_UNIT, QUOTE_UNIT, STANCE_UNIT = "entity", "quote", "stance"


@dataclass(frozen=True)
class QuoteVersion:
    """A quote as compared across annotators: ids differ, so the speaker is compared by its text."""

    quote: Quote
    stance: Optional[Stance]  # the stance scoped to this quote, if any

    @property
    def signature(self) -> tuple:
        q, st = self.quote, self.stance
        return (q.start, q.end, normalize(q.speaker_text), (q.cue.start, q.cue.end) if q.cue else None, q.kind,
                (st.label, normalize(st.target_text)) if st else None)


@dataclass
class Unit:
    key: str  # stable within a document: "entity:120-135", "quote:300-420", "stance:الناتو"
    kind: str
    start: int  # text range the unit covers (-1 for a document-level stance)
    end: int
    versions: dict[str, tuple] = field(default_factory=dict)  # annotator -> entities / QuoteVersions / stances

    def signature(self, annotator: str) -> tuple:
        items = self.versions.get(annotator, ())
        if self.kind == ENTITY_UNIT:
            return tuple(sorted((e.start, e.end, e.label) for e in items))
        if self.kind == QUOTE_UNIT:
            return tuple(sorted(v.signature for v in items))
        return tuple(sorted(s.label for s in items))

    @property
    def agreed(self) -> bool:
        sigs = {self.signature(a) for a in self.versions}
        return len(sigs) == 1

    def distinct_choices(self) -> list[list[str]]:
        """Annotators grouped by identical versions, largest group first."""
        groups: dict[tuple, list[str]] = {}
        for a in sorted(self.versions):
            groups.setdefault(self.signature(a), []).append(a)
        return sorted(groups.values(), key=lambda g: (-len(g), g))

    def describe(self, annotator: str) -> str:
        items = self.versions.get(annotator, ())
        if not items:
            return "—"
        if self.kind == ENTITY_UNIT:
            return " · ".join(f"{e.label} «{e.text}»" for e in items)
        if self.kind == QUOTE_UNIT:
            out = []
            for v in items:
                q = v.quote
                s = f"«{q.text[:40]}{'…' if len(q.text) > 40 else ''}» ← {q.speaker_text or '?'}"
                s += f" / {q.cue.text}" if q.cue else ""
                s += f" ({q.kind})"
                s += f" [{v.stance.label}]" if v.stance else ""
                out.append(s)
            return " · ".join(out)
        return " · ".join(s.label for s in items)


def _clusters(spans: list[tuple[int, int, object]]) -> list[list[tuple[int, int, object]]]:
    """Connected components of overlapping [start, end) ranges."""
    out: list[list] = []
    end = -1
    for item in sorted(spans, key=lambda x: (x[0], x[1])):
        if out and item[0] < end:
            out[-1].append(item)
            end = max(end, item[1])
        else:
            out.append([item])
            end = item[1]
    return out


def compare(sets: dict[str, AnnotationSet]) -> list[Unit]:
    """All units of a document across the given annotators' sets (gold excluded by the caller)."""
    annotators = sorted(sets)
    units: list[Unit] = []
    ents = [(e.start, e.end, (a, e)) for a in annotators for e in sets[a].entities]
    for cl in _clusters(ents):
        u = Unit(f"entity:{min(x[0] for x in cl)}-{max(x[1] for x in cl)}", ENTITY_UNIT,
                 min(x[0] for x in cl), max(x[1] for x in cl), {a: () for a in annotators})
        for _, _, (a, e) in cl:
            u.versions[a] += (e,)
        units.append(u)
    quotes = []
    for a in annotators:
        by_scope = {s.scope: s for s in sets[a].stances if s.scope != DOCUMENT_SCOPE}
        quotes += [(q.start, q.end, (a, QuoteVersion(q, by_scope.get(q.id)))) for q in sets[a].quotes]
    for cl in _clusters(quotes):
        u = Unit(f"quote:{min(x[0] for x in cl)}-{max(x[1] for x in cl)}", QUOTE_UNIT,
                 min(x[0] for x in cl), max(x[1] for x in cl), {a: () for a in annotators})
        for _, _, (a, v) in cl:
            u.versions[a] += (v,)
        units.append(u)
    targets: dict[str, Unit] = {}
    for a in annotators:
        for s in sets[a].stances:
            if s.scope != DOCUMENT_SCOPE:
                continue
            k = normalize(s.target_text)
            u = targets.setdefault(k, Unit(f"stance:{k}", STANCE_UNIT, -1, -1, {b: () for b in annotators}))
            u.versions[a] += (s,)
    units += [targets[k] for k in sorted(targets)]
    units.sort(key=lambda u: (u.start < 0, u.start, u.end, u.kind))
    return units


@dataclass(frozen=True)
class Note:
    """An annotator's note on one of their spans or quotes, for the reviewer to read."""

    annotator: str
    kind: str  # ENTITY_UNIT or QUOTE_UNIT
    start: int
    end: int
    what: str  # the entity's label, or "QUOTE"
    text: str
    note: str


def notes_of(sets: dict[str, AnnotationSet]) -> list[Note]:
    """Every note the annotators left on the document, in text order (agreed items too: a doubt about an item
    everybody tagged alike is still a doubt)."""
    out = [Note(a, ENTITY_UNIT, e.start, e.end, e.label, e.text, e.note)
           for a in sorted(sets) for e in sets[a].entities if e.note]
    out += [Note(a, QUOTE_UNIT, q.start, q.end, "QUOTE", q.text, q.note)
            for a in sorted(sets) for q in sets[a].quotes if q.note]
    return sorted(out, key=lambda n: (n.start, n.end, n.annotator, n.kind))


# ---- gold ---------------------------------------------------------------------------------------------------
@dataclass
class Gold:
    """A gold set being built: plain lists plus provenance (item id -> annotators; unit key -> decision)."""

    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @classmethod
    def from_set(cls, aset: AnnotationSet) -> "Gold":
        # A deep copy: the window keeps gold before and after a decision for undo, and a shared "decisions" dict
        # would make the undone state still record the decision.
        prov = copy.deepcopy(aset.provenance or {})
        prov.setdefault("items", {})
        prov.setdefault("decisions", {})
        return cls(list(aset.entities), list(aset.quotes), list(aset.stances), prov)

    def _fresh(self, prefix: str, taken: Iterable[str]) -> str:
        used = set(taken)
        n = len(used) + 1
        while f"{prefix}{n}" in used:
            n += 1
        return f"{prefix}{n}"

    def _remove_unit(self, unit: Unit) -> None:
        items = self.provenance["items"]
        if unit.kind == ENTITY_UNIT:
            gone = {e.id for e in self.entities if e.start < unit.end and unit.start < e.end}
            self.entities = [e for e in self.entities if e.id not in gone]
            self.quotes = [replace(q, speaker=None) if q.speaker in gone else q for q in self.quotes]
            self.stances = [Stance(s.id, s.label, None if s.target in gone else s.target, s.target_text, s.scope)
                            for s in self.stances]
        elif unit.kind == QUOTE_UNIT:
            gone = {q.id for q in self.quotes if q.start < unit.end and unit.start < q.end}
            self.quotes = [q for q in self.quotes if q.id not in gone]
            gone |= {s.id for s in self.stances if s.scope in gone}
            self.stances = [s for s in self.stances if s.id not in gone]
        else:
            key = unit.key.split(":", 1)[1]
            gone = {s.id for s in self.stances if s.scope == DOCUMENT_SCOPE and normalize(s.target_text) == key}
            self.stances = [s for s in self.stances if s.id not in gone]
        for i in gone:
            items.pop(i, None)

    def _entity_at(self, start: int, end: int) -> Optional[Entity]:
        return next((e for e in self.entities if (e.start, e.end) == (start, end)), None)

    def _link(self, entity_id: Optional[str], source: AnnotationSet) -> Optional[str]:
        """Map an annotator's entity id to the gold entity on the same span (None when gold has none)."""
        e = source.entity(entity_id) if entity_id else None
        g = self._entity_at(e.start, e.end) if e else None
        return g.id if g else None

    def _add(self, unit: Unit, annotators: Sequence[str], sources: dict[str, AnnotationSet]) -> None:
        items = self.provenance["items"]
        seen: dict[tuple, str] = {}
        for a in annotators:
            for it in unit.versions.get(a, ()):
                if unit.kind == ENTITY_UNIT:
                    sig = (it.start, it.end, it.label)
                    if sig not in seen:
                        gid = self._fresh("e", (e.id for e in self.entities))
                        self.entities.append(Entity(gid, it.start, it.end, it.label, it.text))
                        seen[sig] = gid
                        items[gid] = []
                    items[seen[sig]].append(a)
                elif unit.kind == QUOTE_UNIT:
                    sig = it.signature
                    if sig not in seen:
                        q = it.quote
                        gid = self._fresh("q", (x.id for x in self.quotes))
                        speaker = self._link(q.speaker, sources[a])
                        self.quotes.append(Quote(gid, q.start, q.end, q.text, speaker, q.speaker_text, q.cue, q.kind))
                        seen[sig] = gid
                        items[gid] = []
                        if it.stance is not None:
                            st = it.stance
                            sid = self._fresh("s", (x.id for x in self.stances))
                            self.stances.append(Stance(sid, st.label, self._link(st.target, sources[a]),
                                                       st.target_text, gid))
                            items[sid] = [a]
                    items[seen[sig]].append(a)
                else:
                    sig = (it.label, normalize(it.target_text))
                    if sig not in seen:
                        sid = self._fresh("s", (x.id for x in self.stances))
                        self.stances.append(Stance(sid, it.label, self._link(it.target, sources[a]),
                                                   it.target_text, DOCUMENT_SCOPE))
                        seen[sig] = sid
                        items[sid] = []
                    items[seen[sig]].append(a)

    def decide(self, unit: Unit, annotators: Sequence[str], sources: dict[str, AnnotationSet],
               adjudicator: str, auto: bool = False) -> None:
        """Replace whatever gold holds for this unit by the chosen annotators' versions (none: empty)."""
        self._remove_unit(unit)
        self._add(unit, annotators, sources)
        self.provenance["decisions"][unit.key] = {
            "choice": sorted(annotators), "by": "agreement" if auto else adjudicator,
            "at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
        self.entities.sort(key=lambda e: (e.start, e.end, e.label, e.id))
        self.quotes.sort(key=lambda q: (q.start, q.end, q.id))


def initial_gold(sets: dict[str, AnnotationSet], adjudicator: str) -> tuple[Gold, list[Unit]]:
    """Gold seeded with every unanimous unit (entities first, so quotes and stances can link to them)."""
    units = compare(sets)
    gold = Gold(provenance={"adjudicator": adjudicator, "sources": sorted(sets), "items": {}, "decisions": {}})
    for kind in (ENTITY_UNIT, QUOTE_UNIT, STANCE_UNIT):
        for u in units:
            if u.kind == kind and u.agreed:
                gold.decide(u, sorted(u.versions), sets, adjudicator, auto=True)
    return gold, units


def compared_annotators(names: Iterable[str], machines: Iterable[str] = (), include_machines: bool = False
                        ) -> list[str]:
    """The annotators whose versions are compared and adjudicated: never gold, and a machine annotator (a model's
    predictions, `tawsim predict --as NAME`) only when asked: its sets are pre-annotations for people to correct,
    not a judgement, and a model agreeing with itself would otherwise look like a second annotator."""
    skip = set() if include_machines else set(machines)
    return [a for a in names if a != GOLD and a not in skip]


def human_sets(sets: dict[str, AnnotationSet], machines: Iterable[str] = (), include_machines: bool = False
               ) -> dict[str, AnnotationSet]:
    keep = set(compared_annotators(sets, machines, include_machines))
    return {a: s for a, s in sets.items() if a in keep}


# ---- the gold set's state -----------------------------------------------------------------------------------
# Gold is "todo" (in progress) while a disagreement waits for a decision, and "done" once every one has one, or
# once the reviewer marked it done and confirmed the open ones (listed in provenance["marked_done"]["open"], so the
# export says which were left undecided). A half-adjudicated document must never pass for finished gold.
GOLD_IN_PROGRESS, GOLD_DONE = "todo", "done"


def decided_by_hand(provenance: dict, unit: Unit) -> bool:
    d = (provenance.get("decisions") or {}).get(unit.key)
    return bool(d) and d.get("by") != "agreement"


def open_units(units: Sequence[Unit], provenance: dict) -> list[Unit]:
    """Disagreements that have no decision yet."""
    return [u for u in units if not u.agreed and not decided_by_hand(provenance, u)]


def gold_status(units: Sequence[Unit], provenance: dict) -> str:
    if provenance.get("marked_done") or not open_units(units, provenance):
        return GOLD_DONE
    return GOLD_IN_PROGRESS


def mark_done(gold: Gold, units: Sequence[Unit], adjudicator: str) -> None:
    """The reviewer declares this gold finished with the disagreements still open (they confirmed them)."""
    gold.provenance["marked_done"] = {
        "by": adjudicator, "at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "open": [u.key for u in open_units(units, gold.provenance)]}


# ---- who may adjudicate -------------------------------------------------------------------------------------
# A reviewer who annotated a document would be judging their own version against the others': off unless the
# project says otherwise (a setting, so the choice is the project's and visible, not one person's in one window).
SELF_ADJUDICATION = "allow_self_adjudication"


def may_adjudicate(reviewer: str, annotators: Iterable[str], self_allowed: bool) -> bool:
    return self_allowed or reviewer not in set(annotators)
