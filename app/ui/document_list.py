"""The document list: a lazily paged table model over the core, with a search box and a status filter.

The model holds one count and a few pages of rows, so a 100,000-document project opens instantly and scrolls
smoothly: Qt asks only for visible rows, and each miss loads one page of PAGE_SIZE rows in one query.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from typing import Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLineEdit,
                               QStyledItemDelegate, QTableView, QVBoxLayout, QWidget)

from ..core.model import STATUSES
from ..core.store import DocRow, ServerGone
from .i18n import t
from .plain import plain
from .session import Session

PAGE_SIZE = 200
MAX_PAGES = 50
STATUS_COLOURS = {"done": "#2a9d8f", "skipped": "#8d99ae", "flagged": "#e76f51", "todo": "#444444"}


class DocumentTableModel(QAbstractTableModel):
    COLUMNS = ("id", "title", "status", "labels")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.status: Optional[str] = None
        self.search: Optional[str] = None
        self._keys: list[int] = []
        self.mine: set[int] = set()  # keys of the documents assigned to the session's annotator
        self._rows: Optional[dict[int, int]] = None  # key -> row, when my documents come first
        self._pages: OrderedDict[int, list[DocRow]] = OrderedDict()
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        keys = self.session.project.document_keys(annotator=self.session.annotator, status=self.status,
                                                  search=self.search)
        # "My documents" first: those assigned to this annotator (`tawsim assign`), then the rest, each in order.
        self.mine = set(self.session.project.assigned_documents(self.session.annotator))
        if self.mine:
            keys = [k for k in keys if k in self.mine] + [k for k in keys if k not in self.mine]
        self._keys = keys
        self._rows = {k: i for i, k in enumerate(keys)} if self.mine else None
        self.endResetModel()

    @property
    def _count(self) -> int:
        return len(self._keys)

    def set_filter(self, status: Optional[str], search: Optional[str]) -> None:
        self.status, self.search = status or None, (search or "").strip() or None
        self.reload()

    def refresh_rows(self) -> None:
        """Re-read cached pages (status or label counts changed) without resetting the view."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(self.COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def row(self, r: int) -> Optional[DocRow]:
        if not 0 <= r < self._count:
            return None
        page = r // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            try:
                rows = self.session.project.document_rows(self._keys[page * PAGE_SIZE:(page + 1) * PAGE_SIZE],
                                                          annotator=self.session.annotator)
            except ServerGone:
                # Painting must not raise on a lost server connection (it would, at every repaint); the rows stay
                # blank until the next edit offers to reconnect and the list reloads.
                return None
            self._pages[page] = rows
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        i = r - page * PAGE_SIZE
        return rows[i] if i < len(rows) else None

    def row_of(self, doc_key: int) -> Optional[int]:
        """Row of a document (keys in ascending order: a binary search; with my documents first: a lookup)."""
        if self._rows is not None:
            return self._rows.get(doc_key)
        i = bisect_left(self._keys, doc_key)
        return i if i < len(self._keys) and self._keys[i] == doc_key else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {"id": row.id, "title": row.title, "status": t(row.status), "labels": row.n_labels}[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == "title":
            return plain(row.title)
        if role == Qt.ItemDataRole.ForegroundRole and col == "status":
            return QBrush(QColor(STATUS_COLOURS.get(row.status, "#444444")))
        if role == Qt.ItemDataRole.UserRole:
            return row.key
        if role == Qt.ItemDataRole.FontRole and row.key in self.mine:  # assigned to me: bold
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == "labels":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(self.COLUMNS[section])
        return None


def text_direction(text: str) -> Qt.LayoutDirection:
    """The direction of a text by its first strong character: Arabic reads right to left whatever the interface."""
    for ch in text or "":
        if "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc":
            return Qt.LayoutDirection.RightToLeft
        if ch.isalpha():
            return Qt.LayoutDirection.LeftToRight
    return Qt.LayoutDirection.LeftToRight


class TitleDelegate(QStyledItemDelegate):
    """Titles laid out in their own direction: an Arabic title in the English interface keeps its beginning and is
    cut at its end (the left), with the ellipsis there, not next to its first word."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.direction = text_direction(option.text)
        option.textElideMode = Qt.TextElideMode.ElideRight  # the logical end, on the left in right-to-left text
        option.displayAlignment = Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignRight if option.direction == Qt.LayoutDirection.RightToLeft
            else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignAbsolute


class DocumentListPanel(QWidget):
    """Search box, status filter and the table; emits the key of the document the user picks."""

    documentActivated = Signal(int)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = DocumentTableModel(session, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("documentSearch")
        self.search.setPlaceholderText(t("Search (ignores diacritics and tatweel)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.addItem(t("All"), None)
        for s in STATUSES:
            self.status.addItem(t(s), s)
        self.table = QTableView(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(self.model.COLUMNS.index("title"), TitleDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        # Fixed widths, not ResizeToContents: that mode reads up to 1,000 rows of a 100k-row model on every change.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 150), (2, 64), (3, 52)):
            self.table.setColumnWidth(col, width)
        self.table.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.table)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        # Bound methods, not lambdas: Qt drops them when this widget is destroyed (e.g. on a language switch).
        session.documentOpened.connect(self._on_opened)
        session.annotationsChanged.connect(self._on_rows_changed)
        session.statusChanged.connect(self._on_rows_changed)

    def _on_opened(self, aset) -> None:
        self.highlight(aset.document.key)

    def _on_rows_changed(self, *_) -> None:
        self.model.refresh_rows()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.status.currentData(), self.search.text())
        if self.session.doc_key is not None:
            self.highlight(self.session.doc_key)

    def _activated(self, index: QModelIndex) -> None:
        key = self.model.data(index, Qt.ItemDataRole.UserRole)
        if key is not None and key != self.session.doc_key:
            self.documentActivated.emit(key)

    def highlight(self, doc_key: int) -> None:
        r = self.model.row_of(doc_key)
        if r is not None:
            self.table.selectRow(r)
            self.table.scrollTo(self.model.index(r, 0))
