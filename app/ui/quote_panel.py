"""The Quotes panel: every quote of the article with its speaker, cue, kind and stance; edit the selected one.

Quotes without a speaker are flagged (⚠) so an annotator sees at a glance what is unfinished.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from ..core.model import QUOTE_KIND, STANCE, Quote
from .annotate import AnnotationController
from .entity_picker import EntityPicker
from .i18n import t
from .plain import PlainLabel, plain
from .session import Session


def excerpt(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class QuoteTableModel(QAbstractTableModel):
    COLUMNS = ("", "quote", "speaker", "cue", "kind", "stance", "note")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.quotes: list[Quote] = []
        self.stances: dict[str, str] = {}

    def reload(self) -> None:
        """Reset the rows, unless they would be the same (an article without quotes, switched to another): a reset
        repaints the table and its header."""
        cur = self.session.current
        quotes = list(cur.quotes) if cur else []
        stances = {s.scope: s.label for s in cur.stances} if cur else {}
        if (quotes, stances) == (self.quotes, self.stances):
            return
        self.beginResetModel()
        self.quotes, self.stances = quotes, stances
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.quotes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        q = self.quotes[index.row()]
        col = self.COLUMNS[index.column()]
        incomplete = not (q.speaker or q.speaker_text)
        if role == Qt.ItemDataRole.DisplayRole:
            return {"": "⚠" if incomplete else "", "quote": excerpt(q.text), "speaker": q.speaker_text,
                    "cue": q.cue.text if q.cue else "", "kind": t(q.kind),
                    "stance": t(self.stances[q.id]) if q.id in self.stances else "", "note": q.note}[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return t("No speaker yet") if incomplete and col == "" else plain(q.note if col == "note" else q.text)
        if role == Qt.ItemDataRole.ForegroundRole and incomplete and col in ("", "speaker"):
            return QBrush(QColor("#d62828"))
        if role == Qt.ItemDataRole.UserRole:
            return q.id
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.COLUMNS[section]) if self.COLUMNS[section] else ""
        return None

    def row_of(self, quote_id: Optional[str]) -> Optional[int]:
        return next((i for i, q in enumerate(self.quotes) if q.id == quote_id), None)


class QuotePanel(QWidget):
    def __init__(self, session: Session, controller: AnnotationController, parent=None):
        super().__init__(parent)
        self.session, self.controller = session, controller
        self.model = QuoteTableModel(session, self)
        self.table = QTableView(self)
        self.table.setObjectName("quoteTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._row_clicked)

        self.speaker = EntityPicker(self)
        self.speaker.setObjectName("quoteSpeaker")
        self.kind = QComboBox(self)
        self.kind.setObjectName("quoteKind")
        self.cue = PlainLabel(self)
        self.clear_cue = QPushButton(t("Clear cue"), self)
        self.stance = QComboBox(self)
        self.stance.setObjectName("quoteStance")
        self.target = EntityPicker(self)
        self.target.setObjectName("quoteStanceTarget")
        self.delete = QPushButton(t("Delete quote"), self)
        self.delete.setObjectName("deleteQuote")
        form = QFormLayout()
        form.addRow(t("Speaker"), self.speaker)
        cue_row = QHBoxLayout()
        cue_row.addWidget(self.cue, 1)
        cue_row.addWidget(self.clear_cue)
        form.addRow(t("Cue"), cue_row)
        form.addRow(t("Kind"), self.kind)
        form.addRow(t("Stance"), self.stance)
        form.addRow(t("Toward"), self.target)
        self.editor = QWidget(self)
        ed = QVBoxLayout(self.editor)
        ed.setContentsMargins(0, 0, 0, 0)
        ed.addLayout(form)
        ed.addWidget(self.delete)
        self.help = PlainLabel(t("Select text and press Q for a quote; click its speaker; select the cue verb and press C; "
                             "K switches direct/indirect; F/A/N/U set its stance."), self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #666;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.editor)
        lay.addWidget(self.help)

        self.speaker.picked.connect(self._speaker_picked)
        self.kind.activated.connect(self._kind_picked)
        self.clear_cue.clicked.connect(lambda: self._with_quote(lambda q: self.controller.clear_cue(q.id)))
        self.stance.activated.connect(lambda _: self._stance_changed())
        self.target.picked.connect(lambda *_: self._stance_changed())
        self.delete.clicked.connect(lambda: self._with_quote(lambda q: self.controller.delete_quote(q.id)))
        session.documentOpened.connect(self.refresh)
        session.annotationsChanged.connect(self.refresh)
        session.quoteSelected.connect(self._show_selected)
        self.refresh()

    def refresh(self, *_) -> None:
        project = self.session.project
        for combo, items in ((self.kind, [(t(lab.name), lab.name) for lab in project.labels(QUOTE_KIND)]),
                             (self.stance, [("—", None)] + [(t(lab.name), lab.name)
                                                            for lab in project.labels(STANCE)])):
            if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] != items:
                combo.clear()  # the labels were edited: refilling the same items only repainted the panel
                for text, name in items:
                    combo.addItem(text, name)
        self.model.reload()
        ents = self.session.current.entities if self.session.current else []
        self.speaker.set_entities(ents)
        self.target.set_entities(ents)
        self._show_selected()

    def _show_selected(self, *_) -> None:
        q = self.session.quote(self.session.selected_quote)
        self.editor.setEnabled(q is not None)
        row = self.model.row_of(q.id) if q else None
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
        if q is None:
            self.speaker.show_value(None, "")
            self.cue.setText("")
            return
        self.speaker.show_value(q.speaker, q.speaker_text)
        self.kind.setCurrentIndex(max(0, self.kind.findData(q.kind)))
        self.cue.setText(q.cue.text if q.cue else "—")
        st = next((s for s in self.session.current.stances if s.scope == q.id), None)
        self.stance.setCurrentIndex(max(0, self.stance.findData(st.label)) if st else 0)
        if st:
            self.target.show_value(st.target, st.target_text)
        else:
            self.target.show_value(*self.controller.default_target())

    def _row_clicked(self, index: QModelIndex) -> None:
        qid = self.model.data(index, Qt.ItemDataRole.UserRole)
        self.session.select_entity(None)
        self.session.select_quote(qid)

    def _with_quote(self, fn) -> None:
        q = self.session.quote(self.session.selected_quote)
        if q is not None:
            fn(q)

    def _speaker_picked(self, entity_id, text: str) -> None:
        self._with_quote(lambda q: self.controller.set_speaker(q.id, entity_id=entity_id, name=text))

    def _kind_picked(self, index: int) -> None:
        kind = self.kind.itemData(index)
        self._with_quote(lambda q: self.controller.set_kind(q.id, kind))

    def _stance_changed(self) -> None:
        q = self.session.quote(self.session.selected_quote)
        if q is None:
            return
        label = self.stance.currentData()
        existing = next((s for s in self.session.current.stances if s.scope == q.id), None)
        if label is None:
            if existing is not None:
                self.controller.delete_stance(existing.id)
            return
        target, text = self.target.value()
        self.controller.set_stance(label, q.id, target, text)
