"""The entity list (a dock): every span of the article with its label and text; filter by label, click to jump,
select several to relabel or delete them in one undo step.

A model/view pair over the session's current annotation set, rebuilt when the article or its annotations change
(an article has hundreds of spans, not millions). Texts are data: shown as plain text by the item view.
"""
from __future__ import annotations

import re
from typing import Optional

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt, QSortFilterProxyModel
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from ..core.model import ENTITY, Entity
from .i18n import language, t
from .plain import plain
from .session import Session
from .undo import EditEntities


class EntityTableModel(QAbstractTableModel):
    COLUMNS = ("label", "text", "note")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.entities: list[Entity] = []
        self.colours: dict[str, str] = {}
        self.names: dict[str, str] = {}

    def reload(self) -> None:
        """Reset the rows, unless they would be the same: a reset repaints the table and drops its selection."""
        cur = self.session.current
        entities = sorted(cur.entities, key=lambda e: (e.start, -(e.end - e.start), e.id)) if cur else []
        labels = self.session.project.labels(ENTITY)
        colours = {l.name: l.color for l in labels}
        names = {l.name: (l.display or l.name) if language() == "ar" else l.name for l in labels}
        if (entities, colours, names) == (self.entities, self.colours, self.names):
            return
        self.beginResetModel()
        self.entities, self.colours, self.names = entities, colours, names
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entities)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entities[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names.get(e.label, e.label) if col == "label" else e.note if col == "note" else e.text
        if role == Qt.ItemDataRole.ToolTipRole and col == "note" and e.note:
            return plain(e.note)
        if role == Qt.ItemDataRole.BackgroundRole and col == "label":
            return QBrush(QColor(self.colours.get(e.label, "#dddddd")))
        if role == Qt.ItemDataRole.UserRole:
            return e.id
        if role == Qt.ItemDataRole.UserRole + 1:
            return e.label
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.COLUMNS[section])
        return None


class EntityListPanel(QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = EntityTableModel(session, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(Qt.ItemDataRole.UserRole + 1)
        self.proxy.setFilterKeyColumn(0)
        self.filter = QComboBox(self)
        self.filter.setObjectName("entityFilter")
        self.table = QTableView(self)
        self.table.setObjectName("entityTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.relabel_to = QComboBox(self)
        self.relabel_to.setObjectName("entityRelabelTo")
        self.relabel = QPushButton(t("Relabel"), self)
        self.relabel.setObjectName("entityRelabel")
        self.delete = QPushButton(t("Delete"), self)
        self.delete.setObjectName("entityDelete")
        row = QHBoxLayout()
        row.addWidget(self.relabel_to, 1)
        row.addWidget(self.relabel)
        row.addWidget(self.delete)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.filter)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.table.clicked.connect(self._jump)
        self.relabel.clicked.connect(self.relabel_selected)
        self.delete.clicked.connect(self.delete_selected)
        session.documentOpened.connect(self.refresh)
        session.annotationsChanged.connect(self.refresh)
        session.selectionChanged.connect(self._show_selected)
        self.refresh()

    def refresh(self, *_) -> None:
        keep = self.filter.currentData()
        labels = self.session.project.labels(ENTITY)
        names = [(lab.display if language() == "ar" and lab.display else lab.name, lab.name) for lab in labels]
        for combo, first in ((self.filter, t("All labels")), (self.relabel_to, None)):
            items = ([(first, None)] if first else []) + names
            if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
                continue  # the same labels (a switch to another article): refilling only repainted the dock
            combo.blockSignals(True)
            combo.clear()
            for text, name in items:
                combo.addItem(text, name)
            combo.blockSignals(False)
        self.filter.setCurrentIndex(max(0, self.filter.findData(keep)))
        self.model.reload()
        self._filter_changed()
        self._show_selected(self.session.selected_entity)

    def _filter_changed(self, *_) -> None:
        label = self.filter.currentData()
        self.proxy.setFilterRegularExpression(f"^{re.escape(label)}$" if label else "")

    def selected_ids(self) -> list[str]:
        return [self.proxy.data(i, Qt.ItemDataRole.UserRole) for i in self.table.selectionModel().selectedRows()]

    def _jump(self, index: QModelIndex) -> None:
        if len(self.selected_ids()) == 1:  # a plain click: show it in the article (the article scrolls to it)
            self.session.select_quote(None)
            self.session.select_entity(self.proxy.data(index, Qt.ItemDataRole.UserRole))

    def _show_selected(self, entity_id: Optional[str]) -> None:
        if entity_id is None or entity_id in self.selected_ids():
            return
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if self.proxy.data(index, Qt.ItemDataRole.UserRole) == entity_id:
                self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                                   | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return

    def _edit(self, label: Optional[str]) -> bool:
        ids, cur = self.selected_ids(), self.session.current
        if not ids or cur is None:
            self.session.hint.emit(t("Select one or more spans in the list first."))
            return False
        if label is not None:
            ids = [i for i in ids if cur.entity(i) and cur.entity(i).label != label]
            if not ids:
                return False
        return self.session.undo_stack.push(EditEntities(self.session, cur.document.key, ids, label))

    def relabel_selected(self) -> bool:
        return self._edit(self.relabel_to.currentData())

    def delete_selected(self) -> bool:
        return self._edit(None)
