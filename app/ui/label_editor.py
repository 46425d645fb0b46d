"""The label-set editor: names, Arabic names, colours and keys of entity labels, stances and quote kinds.

A project's labels change as its guidelines do. Every edit goes to the core at once (one transaction each), and a
rename or removal of a label that annotations carry asks first, says how many, and moves them: nothing is dropped.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QInputDialog, QMessageBox, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ..core.labels import palette_colour
from ..core.model import ENTITY, QUOTE_KIND, STANCE, AnnotationError, Label
from ..core.store import Project
from .i18n import language, t
from .label_display import KIND_TITLES, swatch
from .plain import PlainLabel, plain

NAME, DISPLAY, COLOR, KEY, USES = range(5)
EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class LabelEditor(QDialog):
    labelsChanged = Signal()  # after every change stored in the project

    def __init__(self, project: Project, parent=None, kind: str = ENTITY):
        super().__init__(parent)
        self.setObjectName("labelEditor")
        self.setWindowTitle(t("Edit labels"))
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if language() == "ar" else Qt.LayoutDirection.LeftToRight)
        self.project = project
        self._filling = False

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("labelKind")
        for k in (ENTITY, STANCE, QUOTE_KIND):
            self.kind_box.addItem(t(KIND_TITLES[k]), k)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels([t("Name"), t("Arabic name"), t("Colour"), t("Key"), t("In use")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(DISPLAY, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (("add", t("Add…"), self.add), ("rename", t("Rename…"), self.rename_selected),
                                 ("remove", t("Remove…"), self.remove_selected)):
            b = QPushButton(text, self)
            b.setObjectName(f"{name}Label")
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        for b in (*self.buttons.values(), *close.buttons()):
            b.setAutoDefault(False)  # Return commits a cell edit; it must not also press a button

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(PlainLabel(t("Kind:"), self))
        top.addWidget(self.kind_box, 1)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(close)
        self.resize(620, 420)
        self.kind_box.currentIndexChanged.connect(lambda _: self.reload())
        self.set_kind(kind)
        self.reload()

    # ---- table ---------------------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.kind_box.currentData()

    def set_kind(self, kind: str) -> None:
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))

    def labels(self) -> list[Label]:
        return self.project.labels(self.kind)

    def row_of(self, name: str) -> int:
        return next((r for r in range(self.table.rowCount()) if self.table.item(r, NAME).data(Qt.ItemDataRole.UserRole)
                     == name), -1)

    def reload(self) -> None:
        self._filling = True
        try:
            labels = self.labels()
            self.table.setRowCount(len(labels))
            for r, lab in enumerate(labels):
                self._fill_row(r, lab)
        finally:
            self._filling = False

    def _fill_row(self, r: int, lab: Label) -> None:
        name = QTableWidgetItem(lab.name)
        name.setData(Qt.ItemDataRole.UserRole, lab.name)
        name.setFlags(EDITABLE)
        self.table.setItem(r, NAME, name)
        for col, text in ((DISPLAY, lab.display), (KEY, lab.key)):
            item = QTableWidgetItem(text)
            item.setFlags(EDITABLE)
            self.table.setItem(r, col, item)
        uses = QTableWidgetItem(str(self.project.label_usage(self.kind, lab.name)))
        uses.setFlags(READ_ONLY)
        self.table.setItem(r, USES, uses)
        colour = QTableWidgetItem("")
        colour.setFlags(READ_ONLY)
        self.table.setItem(r, COLOR, colour)
        b = QPushButton(swatch(lab.color), lab.color, self.table)
        b.setObjectName(f"color-{lab.name}")
        b.setAutoDefault(False)
        b.clicked.connect(lambda _=False, n=lab.name: self.choose_colour(n))
        self.table.setCellWidget(r, COLOR, b)

    def _set_text(self, r: int, col: int, text: str) -> None:
        self._filling = True
        try:
            self.table.item(r, col).setText(text)
        finally:
            self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        r, col = item.row(), item.column()
        name = self.table.item(r, NAME).data(Qt.ItemDataRole.UserRole)
        lab = next(l for l in self.labels() if l.name == name)
        if col == NAME:
            new = item.text().strip()
            if self.rename(name, new, reload=False):
                self._filling = True
                item.setData(Qt.ItemDataRole.UserRole, new)
                self._filling = False
                QTimer.singleShot(0, self.reload)  # not now: this item is inside its own itemChanged
            else:
                self._set_text(r, NAME, name)
        elif col == DISPLAY:
            self._store(lambda: self.project.update_label(self.kind, name, display=item.text().strip()))
        elif col == KEY:
            if not self._store(lambda: self.project.update_label(self.kind, name, key=item.text().strip())):
                self._set_text(r, KEY, lab.key)

    def _store(self, change) -> bool:
        """Run one core change; on refusal say why and keep the project as it was."""
        try:
            change()
        except AnnotationError as exc:
            QMessageBox.warning(self, t("Label not changed"), plain(str(exc)))
            return False
        self.labelsChanged.emit()
        return True

    def selected_name(self) -> Optional[str]:
        r = self.table.currentRow()
        return self.table.item(r, NAME).data(Qt.ItemDataRole.UserRole) if r >= 0 else None

    def select(self, name: str) -> None:
        self.table.selectRow(self.row_of(name))

    # ---- actions -------------------------------------------------------------------------------------------
    def add(self) -> None:
        name, ok = QInputDialog.getText(self, t("Add label"), t("Name of the new label (no spaces):"))
        name = name.strip() if ok else ""
        if not name:
            return
        used = {l.key for l in self.labels()}
        key = next((k for k in "123456789" if k not in used), "") if self.kind == ENTITY else ""
        if self._store(lambda: self.project.add_label(Label(name, self.kind, "", palette_colour(len(used)), key))):
            self.reload()
            self.select(name)

    def rename_selected(self) -> None:
        old = self.selected_name()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, t("Rename label"), plain(t("New name for {name}:", name=old)), text=old)
        if ok and self.rename(old, new.strip()):
            self.select(new.strip())

    def rename(self, old: str, new: str, reload: bool = True) -> bool:
        """Rename `old` to `new`, asking first if annotations carry it. True if the project changed."""
        if not new or new == old:
            return False
        n = self.project.label_usage(self.kind, old)
        if n and QMessageBox.question(
                self, t("Rename label"),
                plain(t("{n} annotation(s) use {old}. Rename the label and all of them to {new}?", n=n, old=old,
                        new=new)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        if not self._store(lambda: self.project.rename_label(self.kind, old, new)):
            return False
        if reload:
            self.reload()
        return True

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.remove(name)

    def remove(self, name: str) -> bool:
        """Remove a label; if annotations carry it, ask first and move them to a label the user picks."""
        n = self.project.label_usage(self.kind, name)
        target = None
        if n:
            others = [l.name for l in self.labels() if l.name != name]
            if not others:
                QMessageBox.warning(self, t("Label not changed"), plain(t("{name} is the last label of its kind.", name=name)))
                return False
            if QMessageBox.question(
                    self, t("Remove label"),
                    plain(t("{n} annotation(s) use {name}. They will be moved to another label. Continue?", n=n,
                            name=name)),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
                return False
            target, ok = QInputDialog.getItem(self, t("Remove label"),
                                              plain(t("Move the {n} annotation(s) of {name} to:", n=n, name=name)),
                                              others, 0, False)
            if not ok or target not in others:
                return False
        if not self._store(lambda: self.project.remove_label(self.kind, name, replace_with=target)):
            return False
        self.reload()
        return True

    def choose_colour(self, name: str) -> None:
        lab = next(l for l in self.labels() if l.name == name)
        c = QColorDialog.getColor(QColor(lab.color), self, t("Colour of {name}", name=name))
        if c.isValid() and self._store(lambda: self.project.update_label(self.kind, name, color=c.name())):
            self.reload()
