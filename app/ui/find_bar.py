"""Find in the article (Ctrl+F): spelling-insensitive like the document search, next / previous, tag this match.

The bar sits over the article; Enter goes to the next match, Shift+Enter to the previous one, Esc closes it. The
match is selected in the article, so a label key tags it as usual; "Tag as" tags it with the chosen label (exactly
the match, no snapping) and moves on. The article's match key is built once per document.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ..core.model import ENTITY
from ..core.text.find import find_all, text_key
from .annotate import AnnotationController
from .article_view import ArticleView
from .i18n import language, t
from .plain import PlainLabel
from .session import Session


class FindBar(QWidget):
    def __init__(self, session: Session, view: ArticleView, controller: AnnotationController, parent=None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.session, self.view, self.controller = session, view, controller
        self.query = QLineEdit(self)
        self.query.setObjectName("findText")
        self.query.setPlaceholderText(t("Find in the article (ignores diacritics, tatweel and hamza forms)"))
        self.query.setClearButtonEnabled(True)
        self.count = PlainLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.prev = QPushButton(t("Previous"), self)
        self.next = QPushButton(t("Next"), self)
        self.label = QComboBox(self)
        self.label.setObjectName("findLabel")
        self.tag = QPushButton(t("Tag this match"), self)
        self.tag.setObjectName("findTag")
        close = QPushButton("✕", self)
        close.setFlat(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        for w, stretch in ((self.query, 1), (self.count, 0), (self.prev, 0), (self.next, 0), (self.label, 0),
                           (self.tag, 0), (close, 0)):
            lay.addWidget(w, stretch)
        self._key: tuple[Optional[int], object] = (None, None)
        self.matches: list[tuple[int, int]] = []
        self.index = -1
        self.query.textChanged.connect(self._search)
        self.query.installEventFilter(self)
        self.prev.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        self.tag.clicked.connect(self.tag_match)
        close.clicked.connect(self.close_bar)
        session.documentOpened.connect(lambda *_: self._search())
        self.hide()

    def open(self) -> None:
        self.label.clear()
        for lab in self.session.project.labels(ENTITY):
            self.label.addItem(lab.display if language() == "ar" and lab.display else lab.name, lab.name)
        self.show()
        self.query.setFocus()
        self.query.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.setFocus()

    def eventFilter(self, obj, e) -> bool:
        if obj is self.query and isinstance(e, QKeyEvent) and e.type() == QKeyEvent.Type.KeyPress:
            if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.step(-1 if e.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if e.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(obj, e)

    def _search(self, *_) -> None:
        cur = self.session.current
        if cur is None or not self.query.text().strip():
            self.matches, self.index = [], -1
            self._show()
            return
        if self._key[0] != cur.document.key:
            self._key = (cur.document.key, text_key(cur.document.text))
        self.matches = find_all(self._key[1], self.query.text())
        caret = self.view.map.to_codepoint(self.view.textCursor().selectionStart())
        self.index = next((i for i, (s, _) in enumerate(self.matches) if s >= caret), 0) if self.matches else -1
        self._show()

    def step(self, direction: int) -> None:
        if self.matches:
            self.index = (self.index + direction) % len(self.matches)
        self._show()

    def _show(self) -> None:
        if self.index < 0:
            self.count.setText(t("no match") if self.query.text().strip() else "")
            return
        s, e = self.matches[self.index]
        self.count.setText(f"{self.index + 1} / {len(self.matches)}")
        self.view.select_cp(s, e)
        self.view.scroll_to(s, e)

    def current(self) -> Optional[tuple[int, int]]:
        return self.matches[self.index] if 0 <= self.index < len(self.matches) else None

    def tag_match(self) -> None:
        match, label = self.current(), self.label.currentData()
        if match is None or label is None:
            return
        self.view.select_cp(*match)
        self.controller.apply_label(label, raw=True)
        self.view.setFocus()
        if self.matches:  # on to the next match
            self.index = (self.index + 1) % len(self.matches)
            self._show()
