"""The adjudication window: the gold set of one document, the annotators' disagreements, one key per decision.

Keys (in the article): N / P next / previous disagreement; 1-9 (with no text selected) accept that annotator's
version; B accept all versions (both); X accept none; with text selected, 1-9 label it by hand in gold; Delete
removes the selected gold span; Ctrl+Z / Ctrl+Shift+Z undo / redo. Every decision is one undoable command.
"""
from __future__ import annotations

import string
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHeaderView, QListWidget, QListWidgetItem, QMainWindow,
                               QMessageBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.model import GOLD, AnnotationSet
from ..core.review.adjudication import (GOLD_DONE, SELF_ADJUDICATION, Gold, Unit, compare, compared_annotators,
                                        gold_status, human_sets, initial_gold, mark_done, may_adjudicate, notes_of,
                                        open_units)
from ..core.store import Project
from .annotate import AnnotationController
from .article_view import ArticleView
from .i18n import t
from .plain import PlainLabel, menu_text, plain
from .review_views import SideBySide, describe_version
from .session import Session

LETTERS = string.ascii_uppercase


class ApplyGold(QUndoCommand):
    """Replace the gold set of a document (a decision); undo restores it as it was, or removes a new one."""

    def __init__(self, window: "ReviewWindow", doc_key: int, before: Optional[Gold], after: Gold, text: str):
        super().__init__(menu_text(text))  # "Accept NAME": an annotator's name
        self.w, self.doc_key, self.before, self.after = window, doc_key, before, after

    def _write(self, gold: Optional[Gold]) -> None:
        project = self.w.project
        if gold is None:
            project.delete_set(self.doc_key, GOLD)
        else:  # done only when every disagreement has a decision (or the reviewer marked it done)
            sets = self.w.compared_sets(self.doc_key)
            project.replace_set(self.doc_key, GOLD, gold_status(compare(sets), gold.provenance), gold.entities,
                                gold.quotes, gold.stances, provenance=gold.provenance)
        self.w.after_gold_change(self.doc_key)

    def redo(self) -> None:
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)


class ReviewWindow(QMainWindow):
    def __init__(self, project: Project, adjudicator: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(t("Adjudication") + f" — {project.path.name}")
        self.project, self.adjudicator = project, adjudicator
        self.session = Session(project, GOLD, self)  # hand edits go to the gold set
        self.sets: dict[str, AnnotationSet] = {}
        self.units: list[Unit] = []
        self.disagreements: list[Unit] = []
        self.index = -1

        self.docs = QListWidget(self)
        self.docs.setObjectName("reviewDocuments")
        self.view = ArticleView(self)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("disagreements")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.legend = PlainLabel(self)  # annotator names: plain text
        self.legend.setWordWrap(True)
        self.state = PlainLabel(self)  # the gold set's state: in progress (n open) or done
        self.state.setObjectName("goldState")
        self.notice = PlainLabel(self)  # the project's self-adjudication rule, when it matters
        self.notice.setObjectName("selfAdjudication")
        self.notice.setWordWrap(True)
        # A model's predictions (machine annotators) are left out unless the reviewer asks for them.
        self.with_machines = QCheckBox(t("Include model predictions (machine annotators)"), self)
        self.with_machines.setObjectName("includeMachines")
        self.with_machines.toggled.connect(lambda _on: self.reload_documents())
        self.help = PlainLabel(t("N/P: next/previous disagreement · 1-9: accept that annotator · B: accept all · "
                             "X: accept none · select text + 1-9: label by hand · Ctrl+Z: undo · "
                             "V: side by side · Ctrl+Enter: mark gold done"), self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #666;")
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(2, 2, 2, 2)
        rl.addWidget(self.notice)
        rl.addWidget(self.with_machines)
        rl.addWidget(self.legend)
        rl.addWidget(self.state)
        rl.addWidget(self.table, 1)
        self.notes = QListWidget(self)  # every annotator's notes on this document, agreed items too (plain text)
        self.notes.setObjectName("reviewNotes")
        self.notes_title = PlainLabel(self)
        rl.addWidget(self.notes_title)
        rl.addWidget(self.notes)
        rl.addWidget(self.help)
        split = QSplitter(self)
        split.addWidget(self.docs)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setSizes([170, 760, 430])
        self.setCentralWidget(split)

        self.controller = AnnotationController(self.session, self.view, self)
        # Digits and letters mean decisions here; the controller keeps only hand labelling (with a selection).
        self.view.labelKeyPressed.disconnect(self.controller.on_label_key)
        self.view.commandKeyPressed.disconnect(self.controller.on_command_key)
        self.view.labelKeyPressed.connect(self.on_digit)
        self.view.commandKeyPressed.connect(self.on_letter)
        self.session.documentOpened.connect(self._show)
        self.session.annotationsChanged.connect(self._hand_edit)
        self.docs.currentItemChanged.connect(self._doc_picked)
        self.table.cellClicked.connect(lambda r, _c: self.focus(r))
        for name, keys, slot in (("undo", [QKeySequence(QKeySequence.StandardKey.Undo)], self.session.undo_stack.undo),
                                 ("redo", [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")],
                                  self.session.undo_stack.redo),
                                 ("markDone", [QKeySequence("Ctrl+Return")], self.mark_gold_done),
                                 ("close", [QKeySequence("Ctrl+W")], self.close),  # as every window; StandardKey
                                 ("quit", [QKeySequence("Ctrl+Q")], self.close),  # Close is Ctrl+F4 on some desktops
                                 ("escape", [QKeySequence("Esc")], self.escape)):
            a = QAction(name, self)
            a.setShortcuts(keys)
            a.triggered.connect(slot)
            self.addAction(a)
        self.resize(1360, 820)
        self.reload_documents()

    # ---- documents -----------------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        self.docs.clear()
        allowed = bool(self.project.setting(SELF_ADJUDICATION, False))
        own = 0
        for key, doc_id, _n in self.project.documents_with_sets(2):
            names = self.compared_names(key)
            if len(names) < 2:
                continue  # two sets, one of them a model's: nothing for people to adjudicate
            if not may_adjudicate(self.adjudicator, names, allowed):
                own += 1
                continue
            it = QListWidgetItem(f"{doc_id}  ({len(names)})")
            it.setData(Qt.ItemDataRole.UserRole, key)
            self.docs.addItem(it)
        if allowed:
            self.notice.setText(t("This project allows reviewers to adjudicate documents they annotated "
                                  "themselves."))
        elif own:
            self.notice.setText(t("{n} document(s) you annotated yourself are not listed: this project does not "
                                  "allow self-adjudication.", n=own))
        self.notice.setVisible(bool(allowed or own))
        if self.docs.count():
            self.docs.setCurrentRow(0)

    def _doc_picked(self, item, _prev=None) -> None:
        if item is not None:
            self.open_document(item.data(Qt.ItemDataRole.UserRole))

    def open_document(self, doc_key: int) -> None:
        """Load every annotator's set; on first visit, gold starts with everything they agree on, in progress
        until every disagreement has a decision."""
        names = self.compared_names(doc_key)
        if not may_adjudicate(self.adjudicator, names, bool(self.project.setting(SELF_ADJUDICATION, False))):
            raise PermissionError(f"{self.adjudicator} annotated this document and the project does not allow "
                                  f"self-adjudication")
        self.sets = self.compared_sets(doc_key)
        if not self.project.has_set(doc_key, GOLD):
            gold, units = initial_gold(self.sets, self.adjudicator)
            self.project.replace_set(doc_key, GOLD, gold_status(units, gold.provenance), gold.entities,
                                     gold.quotes, gold.stances, provenance=gold.provenance)
        self.index = -1
        self.session.open_document(doc_key)
        if self.disagreements:
            self.focus(0)

    def compared_names(self, doc_key: int) -> list[str]:
        """The document's annotators to adjudicate: machine annotators only with the box ticked."""
        return compared_annotators(self.project.set_annotators(doc_key), self.project.machine_annotators(),
                                   self.with_machines.isChecked())

    def compared_sets(self, doc_key: int) -> dict[str, AnnotationSet]:
        return human_sets({a: self.project.load(doc_key, a) for a in self.compared_names(doc_key)})

    @property
    def annotators(self) -> list[str]:
        return sorted(self.sets)

    # ---- display -------------------------------------------------------------------------------------------
    def _show(self, aset: AnnotationSet) -> None:
        self.view.show_set(aset, self.project.labels("entity"))
        self.units = compare(self.sets)
        self.disagreements = [u for u in self.units if not u.agreed]
        items = aset.provenance.get("items", {})
        letter = {a: LETTERS[i] for i, a in enumerate(self.annotators)}
        self.view.set_tag_suffix({e.id: "+".join(letter[a] for a in items[e.id] if a in letter) if items.get(e.id)
                                  else "✎" for e in aset.entities})
        self.legend.setText("  ".join(f"{i + 1}/{letter[a]} = {a}" for i, a in enumerate(self.annotators)))
        self._fill_table(aset)
        self._fill_notes()
        self._mark()
        n = len(open_units(self.units, aset.provenance))
        self.state.setText(t("Gold: done") if aset.status == GOLD_DONE else
                           t("Gold: in progress, {n} of {total} disagreement(s) open", n=n,
                             total=len(self.disagreements)))

    def _fill_table(self, aset: AnnotationSet) -> None:
        decided = aset.provenance.get("decisions", {})
        cols = [t("unit")] + [f"{i + 1}: {a}" for i, a in enumerate(self.annotators)] + [t("decision")]
        self.table.setColumnCount(len(cols))
        self.table.setHorizontalHeaderLabels(cols)
        self.table.setRowCount(len(self.disagreements))
        for r, u in enumerate(self.disagreements):
            text = aset.document.text[u.start:u.end] if u.start >= 0 else u.key.split(":", 1)[1]
            self.table.setItem(r, 0, QTableWidgetItem(f"{t(u.kind)}: {text[:30]}"))
            for c, a in enumerate(self.annotators, 1):
                self.table.setItem(r, c, QTableWidgetItem(describe_version(u, a)))
            d = decided.get(u.key)
            item = QTableWidgetItem("✓ " + "+".join(d["choice"]) if d and d.get("by") != "agreement" else "")
            if not (d and d.get("by") != "agreement"):
                item.setBackground(QColor("#fde2e2"))
            self.table.setItem(r, len(cols) - 1, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()  # a quote's version is several lines (span, speaker, cue, kind)

    def _fill_notes(self) -> None:
        notes = notes_of(self.sets)
        self.notes_title.setText(t("Notes ({n})", n=len(notes)))
        self.notes.clear()
        for n in notes:
            text = n.text if len(n.text) <= 40 else n.text[:39] + "…"
            self.notes.addItem(QListWidgetItem(f"{n.annotator} · {n.what} «{text}»: {n.note}"))
        self.notes.setVisible(bool(notes))

    def _mark(self) -> None:
        decided = self.session.current.provenance.get("decisions", {}) if self.session.current else {}
        marks = []
        for i, u in enumerate(self.disagreements):
            if u.start < 0:
                continue
            done = u.key in decided and decided[u.key].get("by") != "agreement"
            marks.append((u.start, u.end, "#2a9d8f" if done else "#d62828", i == self.index))
        self.view.set_marks(marks, "review")

    def focus(self, i: int) -> None:
        if not self.disagreements:
            return
        self.index = i % len(self.disagreements)
        self.table.selectRow(self.index)
        u = self.disagreements[self.index]
        if u.start >= 0:
            cur = self.view.textCursor()
            cur.setPosition(self.view.map.to_utf16(u.start))
            self.view.setTextCursor(cur)
            self.view.ensureCursorVisible()
        self._mark()

    @property
    def current_unit(self) -> Optional[Unit]:
        return self.disagreements[self.index] if 0 <= self.index < len(self.disagreements) else None

    # ---- decisions -----------------------------------------------------------------------------------------
    def decide(self, annotators: list[str], label: str) -> None:
        u, cur = self.current_unit, self.session.current
        if u is None or cur is None:
            return
        before = Gold.from_set(cur)
        after = Gold.from_set(cur)
        after.decide(u, annotators, self.sets, self.adjudicator)
        keep = self.index
        self.session.undo_stack.push(ApplyGold(self, cur.document.key, before, after, label))
        if self.disagreements:
            self.focus(min(keep + 1, len(self.disagreements) - 1))

    def escape(self) -> None:
        """Esc clears a selection in the article first (as in the main window), then closes, like every window."""
        if self.view.selection_cp():
            self.view.clear_selection()
        else:
            self.close()

    def mark_gold_done(self) -> None:
        """Finish this document's gold; open disagreements are listed and must be confirmed first."""
        cur = self.session.current
        if cur is None or cur.status == GOLD_DONE:
            return
        still_open = open_units(self.units, cur.provenance)
        if still_open:
            answer = QMessageBox.question(
                self, t("Mark gold done"),
                plain(t("{n} disagreement(s) have no decision; gold keeps only what it holds for them now. "
                        "Mark this gold done anyway?", n=len(still_open))),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        before, after = Gold.from_set(cur), Gold.from_set(cur)
        mark_done(after, self.units, self.adjudicator)
        self.session.undo_stack.push(ApplyGold(self, cur.document.key, before, after, t("Mark gold done")))

    def on_digit(self, key: str, raw: bool) -> None:
        if self.view.selection_cp():  # a selection: label by hand in gold
            self.controller.on_label_key(key, raw)
            return
        n = int(key) - 1
        if 0 <= n < len(self.annotators):
            a = self.annotators[n]
            self.decide([a], t("Accept {name}", name=a))

    def on_letter(self, key: str, shift: bool, alt: bool) -> None:
        if key == "n":
            self.focus(self.index + 1)
        elif key == "p":
            self.focus(self.index - 1)
        elif key == "b":
            self.decide(self.annotators, t("Accept all"))
        elif key == "x":
            self.decide([], t("Accept none"))
        elif key == "v":
            self.side_by_side()

    def side_by_side(self) -> None:
        """Two annotators' versions of the article next to each other: those of the current disagreement's first
        two different versions, else the first two annotators."""
        if len(self.sets) < 2:
            return
        u = self.current_unit
        groups = u.distinct_choices() if u is not None else []
        pair = [g[0] for g in groups[:2]] if len(groups) >= 2 else self.annotators[:2]
        self.side = SideBySide(self.project, self.sets, pair[0], pair[1], self)
        self.side.show()

    def after_gold_change(self, doc_key: int) -> None:
        """A decision was written or undone: show that document (undo may reach back to another one)."""
        if self.session.doc_key != doc_key:
            self.sets = self.compared_sets(doc_key)
            self.session.open_document(doc_key)
        else:
            self.session.changed(doc_key)

    def _hand_edit(self, doc_key: int) -> None:
        if self.session.current is not None and doc_key == self.session.doc_key:
            self._show(self.session.current)
            if self.disagreements and self.index >= 0:
                self.index = min(self.index, len(self.disagreements) - 1)
                self.table.selectRow(self.index)
                self._mark()
