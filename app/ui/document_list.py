"""The document list: a lazily paged table model over the core, with a search box and a status filter.

The model holds one count and a few pages of rows, so a 1,000,000-document project opens in a blink and scrolls
smoothly: Qt asks only for visible rows, and each miss loads one page of PAGE_SIZE rows, by key from a neighbouring
page it holds (scrolling), else by position from the nearer end (a jump). It never holds every key.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Optional

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
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
ID_WIDTH, STATUS_WIDTH, LABELS_WIDTH = 150, 64, 52
ID_SHARE = 0.4  # at most this share of the room left by status and labels goes to the id: the title takes the rest
ROLES_SHOWN = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
                         Qt.ItemDataRole.UserRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole})
STATUS_COLOURS = {"done": "#2a9d8f", "skipped": "#8d99ae", "flagged": "#e76f51", "todo": "#444444"}


class DocumentTableModel(QAbstractTableModel):
    COLUMNS = ("id", "title", "status", "labels")

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.status: Optional[str] = None
        self.search: Optional[str] = None
        self._count = 0
        self._mine = 0  # the first rows: the listed documents assigned to the session's annotator (`tawsim assign`)
        self._pages: OrderedDict[int, list[DocRow]] = OrderedDict()
        self.reload()

    def _filter(self) -> dict:
        return {"annotator": self.session.annotator, "status": self.status, "search": self.search}

    def _order(self) -> dict:
        """The filter and the order: the annotator's assigned documents first, if they have any in the list."""
        return {**self._filter(), "assigned_first": self._mine > 0}

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = self.session.project.count_documents(**self._filter())
        self._mine = self.session.project.count_assigned(**self._filter())
        self.endResetModel()

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
                rows = self._load(page)
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

    def _load(self, page: int) -> list[DocRow]:
        """One page's rows: by key after the page before or before the page after, if held; else by position."""
        project, size = self.session.project, min(PAGE_SIZE, self._count - page * PAGE_SIZE)
        before, after = self._pages.get(page - 1), self._pages.get(page + 1)
        if before and len(before) == PAGE_SIZE:
            return project.document_page(**self._order(), after=before[-1].key, limit=size)
        if after:
            return project.document_page(**self._order(), before=after[0].key, limit=size)
        if page * PAGE_SIZE > self._count // 2:
            return project.document_page(**self._order(), from_end=True, offset=self._count - page * PAGE_SIZE
                                         - size, limit=size)
        return project.document_page(**self._order(), offset=page * PAGE_SIZE, limit=size)

    def row_of(self, doc_key: int) -> Optional[int]:
        """Row of a document: found in a page held, else asked of the project (None: the list does not show it)."""
        for page, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.key == doc_key:
                    return page * PAGE_SIZE + i
        return self.session.project.document_position(doc_key, **self._order())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in ROLES_SHOWN or not index.isValid():  # a repaint asks for a dozen roles per cell
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
        if role == Qt.ItemDataRole.TextAlignmentRole and col == "labels":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() < self._mine:  # assigned to me (listed first): bold
            font = QFont()
            font.setBold(True)
            return font
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
        for col, width in ((0, ID_WIDTH), (2, STATUS_WIDTH), (3, LABELS_WIDTH)):
            self.table.setColumnWidth(col, width)
        self.table.viewport().installEventFilter(self)  # the id column gives way to the title when the dock is narrow
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

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(obj, event)

    def _fit_columns(self) -> None:
        """The title is what the annotator reads: it takes the stretch, and the id column shrinks (down to 40 % of
        the room left by status and labels) rather than squeeze it. At the default dock width in Arabic, whose
        window is narrower, a 150 px id column left the title 26 px."""
        room = self.table.viewport().width() - STATUS_WIDTH - LABELS_WIDTH
        self.table.setColumnWidth(0, max(60, min(ID_WIDTH, int(room * ID_SHARE))))

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
