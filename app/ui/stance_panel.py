"""The Stance panel: the article's stance toward one or more targets (entity spans or typed names)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

from ..core.model import DOCUMENT_SCOPE, STANCE, Stance
from .annotate import AnnotationController
from .entity_picker import EntityPicker
from .i18n import t
from .plain import PlainLabel, menu_text, style_colour
from .session import Session


class StanceTableModel(QAbstractTableModel):
    COLUMNS = ("target", "stance")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.stances: list[Stance] = []
        self.colours: dict[str, str] = {}

    def reload(self) -> None:
        """Reset the rows, unless they would be the same: a reset repaints the table and its header."""
        cur = self.session.current
        stances = [s for s in cur.stances if s.scope == DOCUMENT_SCOPE] if cur else []
        colours = {l.name: l.color for l in self.session.project.labels(STANCE)}
        if (stances, colours) == (self.stances, self.colours):
            return
        self.beginResetModel()
        self.stances, self.colours = stances, colours
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.stances)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self.stances[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.target_text or "—") if index.column() == 0 else t(s.label)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(self.colours.get(s.label, "#333333")))
        if role == Qt.ItemDataRole.UserRole:
            return s.id
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.COLUMNS[section])
        return None


class StancePanel(QWidget):
    def __init__(self, session: Session, controller: AnnotationController, parent=None):
        super().__init__(parent)
        self.session, self.controller = session, controller
        self.model = StanceTableModel(session, self)
        self.table = QTableView(self)
        self.table.setObjectName("stanceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._row_clicked)
        self.target = EntityPicker(self)
        self.target.setObjectName("stanceTarget")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        self._button_row = row
        self.rebuild_buttons()
        self.delete = QPushButton(t("Delete stance"), self)
        self.delete.setObjectName("deleteStance")
        self.delete.clicked.connect(self._delete)
        hint = PlainLabel(t("Article stance toward a target: pick or type the target, then a stance. "
                        "Keyboard: select an entity, Shift+F/A/N/U."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.table, 1)
        lay.addWidget(PlainLabel(t("Target"), self))
        lay.addWidget(self.target)
        lay.addLayout(row)
        lay.addWidget(self.delete)
        lay.addWidget(hint)
        session.documentOpened.connect(self.refresh)
        session.annotationsChanged.connect(self.refresh)
        session.selectionChanged.connect(self._entity_selected)
        self.refresh()

    def rebuild_buttons(self) -> None:
        """One button per stance label (rebuilt when the label set is edited)."""
        for b in self.buttons.values():
            self._button_row.removeWidget(b)
            b.deleteLater()
        self.buttons.clear()
        for lab in self.session.project.labels(STANCE):
            b = QPushButton(menu_text(f"{t(lab.name)} ({lab.key.upper()})" if lab.key else t(lab.name)), self)
            b.setObjectName(f"stance-{lab.name}")
            b.setStyleSheet(f"QPushButton {{ border: 2px solid {style_colour(lab.color)}; border-radius: 4px; padding: 2px 6px; }}")
            b.clicked.connect(lambda _=False, n=lab.name: self._apply(n))
            self._button_row.addWidget(b)
            self.buttons[lab.name] = b

    def refresh(self, *_) -> None:
        self.model.reload()
        self.target.set_entities(self.session.current.entities if self.session.current else [])

    def _entity_selected(self, entity_id) -> None:
        ent = self.session.current.entity(entity_id) if entity_id and self.session.current else None
        if ent is not None:
            self.target.show_value(ent.id, ent.text)

    def _row_clicked(self, index: QModelIndex) -> None:
        st = self.model.stances[index.row()]
        self.target.show_value(st.target, st.target_text)

    def _apply(self, label: str) -> None:
        target, text = self.target.value()
        if target is None and not text:
            self.session.hint.emit(t("Pick or type a target first."))
            return
        self.controller.set_stance(label, DOCUMENT_SCOPE, target, text)

    def _delete(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.controller.delete_stance(self.model.stances[rows[0].row()].id)
