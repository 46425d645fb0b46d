"""The drill's editing process: `python -m app.bench.crashdrill.driver PROJECT JOURNAL --seed N [--edits N]`.

It edits as an annotator at the window would, through the same Project calls the undo commands of app/ui/undo.py
make (add, move, relabel, delete and restore entities; quotes with speaker, cue and kind; stances; statuses; tag all
occurrences across the corpus and its undo; renaming a label), a seeded random mix of them, until it is killed or
has made --edits edits. Targets are picked from what the project holds now, ids are the ones the calls return:
nothing is computed that the window would not know. Each edit is journalled (app.bench.crashdrill.journal) before it
starts and after it returns (with the number of transactions it committed), so the check can tell committed
edits from the one in flight.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sys
from collections import Counter
from typing import Callable, Optional

from ...core.model import ENTITY, QUOTE_KIND, STANCE, STATUSES, AnnotationError, Cue, Entity, Quote, Stance
from ...core.store import EntityRemoval, Project, ProjectError, QuoteRemoval
from ...core.assist.tagall import plan_corpus
from .journal import JournalWriter

WORD = re.compile(r"\S+")
RENAMED = "_renamed"  # suffix of a label the drill has renamed (the next rename of it takes it back)

# How often each edit is tried, roughly as an annotator mixes them (tag-all and label renames are rarer).
WEIGHTS = {"add_entity": 18, "update_entity": 10, "delete_entity": 7, "restore_entity": 4, "add_quote": 8,
           "update_quote": 8, "delete_quote": 4, "restore_quote": 2, "add_stance": 6, "update_stance": 5,
           "delete_stance": 3, "set_status": 6, "tag_all": 4, "untag_all": 3, "rename_label": 2}


class Drill:
    """Plans one random edit at a time against the project as it is, makes it, and journals it."""

    def __init__(self, project: Project, annotator: str, rng: random.Random, journal: JournalWriter,
                 focus: int = 4, kill_at: tuple[int, int] = (0, 1)):
        self.p, self.ann, self.rng, self.journal = project, annotator, rng, journal
        self.trace = StatementTrace(project.conn, *kill_at)
        texts = dict(project.iter_texts())
        self.texts = texts
        self.focus = sorted(texts)[:focus]  # single edits stay on a few articles, so they pile up and interact
        self.words = {k: [m.span() for m in WORD.finditer(t)] for k, t in texts.items()}
        df = Counter(w for t in texts.values() for w in set(WORD.findall(t)) if len(w) >= 4)
        self.surfaces = [w for w, _ in df.most_common(15)]  # common words: tag-all spans many documents
        self.entity_removals: list[dict] = []  # undo stacks, as the window's: the latest deletion comes back first
        self.quote_removals: list[dict] = []
        self.tagged: list[list] = []
        self.tag_lengths: dict = {}
        project.conn.set_trace_callback(self.trace)  # from here on: the edits' statements, not the set-up's

    # ---- planning: the arguments of one edit, or None when it does not apply now -----------------------------
    def _span(self, doc: int, min_words: int = 1, max_words: int = 2) -> tuple[int, int]:
        words = self.words[doc]
        i = self.rng.randrange(len(words))
        j = min(len(words) - 1, i + self.rng.randint(min_words, max_words) - 1)
        return words[i][0], words[j][1]

    def _label(self, kind: str) -> str:
        return self.rng.choice(sorted(self.p.label_names(kind)))

    def _maybe_entity(self, aset) -> Optional[str]:
        return self.rng.choice(aset.entities).id if aset.entities and self.rng.random() < 0.7 else None

    def _word(self, doc: int) -> str:
        s, e = self._span(doc)
        return self.texts[doc][s:e]

    def plan(self, op: str) -> Optional[dict]:
        doc = self.rng.choice(self.focus)
        a = {"doc": doc, "ann": self.ann}
        aset = self.p.load(doc, self.ann)
        pick = self.rng.choice
        if op == "set_status":
            return {**a, "status": pick(STATUSES), "comment": pick([None, "", f"c{self.rng.randrange(100)}"])}
        if op == "add_entity":
            s, e = self._span(doc)
            return {**a, "start": s, "end": e, "label": self._label(ENTITY)}
        if op in ("update_entity", "delete_entity"):
            if not aset.entities:
                return None
            # Mostly one a quote or stance names, so the rules that keep links in step get exercised.
            linked = sorted({q.speaker for q in aset.quotes if q.speaker} | {s.target for s in aset.stances if s.target})
            a["id"] = pick(linked) if linked and self.rng.random() < 0.7 else pick(aset.entities).id
            if op == "update_entity":
                if self.rng.random() < 0.5:
                    a["label"] = self._label(ENTITY)
                else:
                    a["start"], a["end"] = self._span(doc)
            return a
        if op == "add_quote":
            s, e = self._span(doc, 3, 10)
            speaker = self._maybe_entity(aset)
            return {**a, "start": s, "end": e, "speaker": speaker,
                    "speaker_text": "" if speaker or self.rng.random() < 0.5 else self._word(doc),
                    "cue": list(self._span(doc, 1, 1)) if self.rng.random() < 0.5 else None,
                    "kind": self._label(QUOTE_KIND)}
        if op in ("update_quote", "delete_quote"):
            if not aset.quotes:
                return None
            a["id"] = pick(aset.quotes).id
            if op == "update_quote":
                field = pick(["kind", "speaker", "speaker_text", "cue", "extent"])
                a["changes"] = ({"kind": self._label(QUOTE_KIND)} if field == "kind" else
                                {"speaker": self._maybe_entity(aset)} if field == "speaker" else
                                {"speaker_text": self._word(doc)} if field == "speaker_text" else
                                {"cue": pick([None, list(self._span(doc, 1, 1))])} if field == "cue" else
                                dict(zip(("start", "end"), self._span(doc, 3, 10))))
            return a
        if op == "add_stance":
            target = self._maybe_entity(aset)
            return {**a, "label": self._label(STANCE), "target": target,
                    "target_text": "" if target or self.rng.random() < 0.5 else self._word(doc),
                    "scope": pick(aset.quotes).id if aset.quotes and self.rng.random() < 0.4 else "document"}
        if op in ("update_stance", "delete_stance"):
            if not aset.stances:
                return None
            a["id"] = pick(aset.stances).id
            if op == "update_stance":
                field = pick(["label", "target", "target_text"])
                a["changes"] = ({"label": self._label(STANCE)} if field == "label" else
                                {"target": self._maybe_entity(aset)} if field == "target" else
                                {"target_text": self._word(doc)})
            return a
        if op == "restore_entity":
            return self.entity_removals.pop() if self.entity_removals else None
        if op == "restore_quote":
            return self.quote_removals.pop() if self.quote_removals else None
        if op == "tag_all":
            plan = plan_corpus(self.p, self.ann, pick(self.surfaces), self._label(ENTITY))
            if not plan.spans:
                return None
            self.tag_lengths = plan.lengths
            # Grouped by document, so the ids the store returns (per document) line up with the spans.
            return {"ann": self.ann, "spans": [list(r) for r in sorted(plan.rows(), key=lambda r: r[0])]}
        if op == "untag_all":
            return {"ann": self.ann, "ids": self.tagged.pop()} if self.tagged else None
        if op == "rename_label":
            old = self._label(ENTITY)
            new = old[:-len(RENAMED)] if old.endswith(RENAMED) else old + RENAMED
            return {"kind": ENTITY, "old": old, "new": new}
        raise ValueError(f"unknown operation {op!r}")

    # ---- making the edit: the Project call the window's undo command makes, returning the new ids ------------
    def do_set_status(self, a):
        self.p.set_status(a["doc"], self.ann, a["status"], a["comment"])

    def do_add_entity(self, a):
        return [self.p.add_entity(a["doc"], self.ann, a["start"], a["end"], a["label"]).id]

    def do_update_entity(self, a):
        self.p.update_entity(a["doc"], self.ann, a["id"], label=a.get("label"), start=a.get("start"),
                             end=a.get("end"))

    def do_delete_entity(self, a):
        r = self.p.delete_entity(a["doc"], self.ann, a["id"])
        e = r.entity
        self.entity_removals.append({"doc": a["doc"], "ann": self.ann, "entity": [e.id, e.start, e.end, e.label],
                                     "quotes": list(r.unlinked_quotes), "stances": list(r.unlinked_stances)})

    def do_restore_entity(self, a):
        eid, s, e, label = a["entity"]
        entity = Entity(eid, s, e, label, self.texts[a["doc"]][s:e])
        self.p.restore_entity(a["doc"], self.ann, EntityRemoval(entity, tuple(a["quotes"]), tuple(a["stances"])))

    def do_add_quote(self, a):
        return [self.p.add_quote(a["doc"], self.ann, a["start"], a["end"], speaker=a["speaker"],
                                 speaker_text=a["speaker_text"], cue=tuple(a["cue"]) if a["cue"] else None,
                                 kind=a["kind"]).id]

    def do_update_quote(self, a):
        changes = dict(a["changes"])
        if changes.get("cue") is not None:
            changes["cue"] = tuple(changes["cue"])
        self.p.update_quote(a["doc"], self.ann, a["id"], **changes)

    def do_delete_quote(self, a):
        r = self.p.delete_quote(a["doc"], self.ann, a["id"])
        q = r.quote
        self.quote_removals.append({"doc": a["doc"], "ann": self.ann, "quote": {
            "id": q.id, "start": q.start, "end": q.end, "speaker": q.speaker, "speaker_text": q.speaker_text,
            "cue": [q.cue.start, q.cue.end] if q.cue else None, "kind": q.kind}, "stances": [
            {"id": s.id, "label": s.label, "target": s.target, "target_text": s.target_text, "scope": s.scope}
            for s in r.stances]})

    def do_restore_quote(self, a):
        q, text = a["quote"], self.texts[a["doc"]]
        cue = Cue(q["cue"][0], q["cue"][1], text[q["cue"][0]:q["cue"][1]]) if q["cue"] else None
        quote = Quote(q["id"], q["start"], q["end"], text[q["start"]:q["end"]], q["speaker"], q["speaker_text"],
                      cue, q["kind"])
        self.p.restore_quote(a["doc"], self.ann, QuoteRemoval(quote, tuple(Stance(**s) for s in a["stances"])))

    def do_add_stance(self, a):
        return [self.p.add_stance(a["doc"], self.ann, a["label"], target=a["target"], target_text=a["target_text"],
                                  scope=a["scope"]).id]

    def do_update_stance(self, a):
        self.p.update_stance(a["doc"], self.ann, a["id"], **a["changes"])

    def do_delete_stance(self, a):
        self.p.delete_stance(a["doc"], self.ann, a["id"])

    def do_tag_all(self, a):
        ids = [list(pair) for pair in self.p.add_entities_bulk(self.ann, [tuple(r) for r in a["spans"]],
                                                               self.tag_lengths)]
        self.tagged.append(ids)
        return ids

    def do_untag_all(self, a):
        self.p.delete_entities_bulk(self.ann, [tuple(pair) for pair in a["ids"]])

    def do_rename_label(self, a):
        self.p.rename_label(a["kind"], a["old"], a["new"])

    # ---- one step ----------------------------------------------------------------------------------------------
    def step(self) -> str:
        """Plan, journal, make and journal one edit; returns its operation."""
        ops, weights = list(WEIGHTS), list(WEIGHTS.values())
        while True:
            op = self.rng.choices(ops, weights)[0]
            args = self.plan(op)
            if args is not None:
                break
        call: Callable[[dict], Optional[list]] = getattr(self, f"do_{op}")
        self.journal.begin(op, args)
        self.trace.begin_edit()
        try:
            ids = call(args)
        except (AnnotationError, ProjectError) as exc:  # refused by the store: nothing may have changed
            self.journal.failed(str(exc), self.trace.take_transactions())
        else:
            self.journal.done(ids or [], self.trace.take_transactions())
        return op


class StatementTrace:
    """The driver's SQL trace, for two faults a kill timed from outside finds only by luck.

    It counts the transactions each edit commits (COMMITs, and writes outside a transaction, each its own): an
    edit must commit exactly one, or a kill between two of them leaves it half made. And given (kill_edit,
    kill_statement) it kills the process with SIGKILL just before the kill_statement-th SQL statement of the
    kill_edit-th edit (or the first statement after it, if that edit has fewer): a kill placed by position in the
    edit's SQL, so it can fall between any two statements of it, where a timed kill rarely does (the time goes to
    the journal's fsyncs). A trigger's own statements, and the rows of one executemany (SQLite traces each row with
    its values bound in: they are masked, so the rows compare equal), count with the statement that ran them."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
    VALUES = re.compile(r"'(?:[^']|'')*'|\bX'[0-9A-Fa-f]*'|-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\bNULL\b")

    def __init__(self, conn, kill_edit: int = 0, kill_statement: int = 1):
        self.conn, self.kill_edit, self.kill_statement = conn, kill_edit, kill_statement
        self.edit, self.statements, self.transactions, self.last = 0, 0, 0, None

    def begin_edit(self) -> None:
        """The edit's own statements start here (its planning's reads are not counted)."""
        self.edit, self.statements, self.transactions, self.last = self.edit + 1, 0, 0, None

    def __call__(self, sql: str) -> None:
        if sql.startswith("--"):  # "-- TRIGGER name": the body of a trigger the last statement fired
            return
        verb = sql.lstrip()[:7].upper()
        if verb.startswith("COMMIT") or (verb.startswith(self.WRITES) and not self.conn.in_transaction):
            self.transactions += 1
        shape = self.VALUES.sub("?", sql)
        if shape != self.last:
            self.statements, self.last = self.statements + 1, shape
            if self.kill_edit and (self.edit > self.kill_edit or
                                   (self.edit == self.kill_edit and self.statements >= self.kill_statement)):
                os.kill(os.getpid(), signal.SIGKILL)

    def take_transactions(self) -> int:
        n, self.transactions = self.transactions, 0
        return n


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app.bench.crashdrill.driver", description=__doc__.splitlines()[0])
    ap.add_argument("project")
    ap.add_argument("journal")
    ap.add_argument("--annotator", default="drill")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--edits", type=int, default=0, help="stop after this many edits (0: until killed)")
    ap.add_argument("--kill-at", type=int, nargs=2, default=(0, 1), metavar=("EDIT", "STATEMENT"),
                    help="SIGKILL this process just before the STATEMENT-th SQL statement of the EDIT-th edit")
    a = ap.parse_args(argv)
    journal = JournalWriter(a.journal)
    with Project.open(a.project) as project:
        drill = Drill(project, a.annotator, random.Random(a.seed), journal, kill_at=tuple(a.kill_at))
        n = 0
        while not a.edits or n < a.edits:
            drill.step()
            n += 1
    journal.finished()
    journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
