"""Keys and drags that act on spans already there: Tab steps through them, their edges move.

Tab / Shift+Tab select the next / previous span and scroll the article to it, so stance keys, relabelling and
resizing all work from the keyboard on what is selected *now*. Alt+Left/Right move the selected span's end by a
word (Shift: its start; Ctrl: by a character); dragging an edge of the selected span with the mouse moves it,
snapped to whole words unless Alt is held. Each resize is one undoable ResizeEntity.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject

from ..core.assist.clitics import balance, default_rules
from ..core.text.edges import move_edge
from ..core.text.offsets import is_word_char, trim_span, word_at
from .article_view import ArticleView
from .i18n import t
from .session import Session
from .undo import ResizeEntity


class SpanKeys(QObject):
    def __init__(self, session: Session, view: ArticleView, parent=None):
        super().__init__(parent)
        self.session, self.view = session, view
        view.tab_steps = True
        view.stepPressed.connect(self.step)
        view.edgeKeyPressed.connect(self.move_edge)
        view.edgeDragged.connect(self.drop_edge)
        session.selectionChanged.connect(self._follow)

    def _spans(self):
        cur = self.session.current
        return sorted(cur.entities, key=lambda e: (e.start, -(e.end - e.start), e.id)) if cur else []

    def step(self, direction: int) -> Optional[str]:
        """Select the next (+1) or previous (-1) span after the caret or the selected span."""
        spans = self._spans()
        if not spans:
            self.session.hint.emit(t("No span in this article yet."))
            return None
        ids = [e.id for e in spans]
        sel = self.session.selected_entity
        if sel in ids:
            i = (ids.index(sel) + direction) % len(ids)
        else:
            caret = self.view.map.to_codepoint(self.view.textCursor().position())
            after = [k for k, e in enumerate(spans) if e.start >= caret]
            before = [k for k, e in enumerate(spans) if e.start < caret]
            i = (after[0] if after else 0) if direction > 0 else (before[-1] if before else len(ids) - 1)
        self.view.clear_selection()
        self.session.select_quote(None)
        self.session.select_entity(ids[i])
        return ids[i]

    def _follow(self, entity_id) -> None:
        """The article scrolls to a span selected from the keyboard or a list."""
        ent = self.session.current.entity(entity_id) if entity_id and self.session.current else None
        if ent is not None:
            self.view.scroll_to(ent.start, ent.end)

    def _resize(self, entity_id: str, start: int, end: int) -> bool:
        cur = self.session.current
        ent = cur.entity(entity_id) if cur else None
        if ent is None or (start, end) == (ent.start, ent.end):
            return False
        return self.session.undo_stack.push(ResizeEntity(self.session, cur.document.key, entity_id, start, end))

    def move_edge(self, edge: str, direction: int, by_char: bool) -> bool:
        cur = self.session.current
        ent = cur.entity(self.session.selected_entity) if cur and self.session.selected_entity else None
        if ent is None:
            return False
        text = cur.document.text
        new = move_edge(text, ent.start, ent.end, edge, direction, by_char)
        if new is not None and not by_char:
            new = balance(text, *new, default_rules().pairs)  # a word step never leaves half a bracket
        if new is None or new[0] >= new[1]:
            self.session.hint.emit(t("The span cannot shrink any further."))
            return False
        return self._resize(ent.id, *new)

    def drop_edge(self, entity_id: str, edge: str, cp: int, raw: bool) -> bool:
        """An edge dropped at code point `cp`: it moves there, grown to the whole word under it unless Alt."""
        cur = self.session.current
        ent = cur.entity(entity_id) if cur else None
        if ent is None:
            return False
        text = cur.document.text
        if edge == "start":
            if not raw and cp < len(text) and is_word_char(text[cp]):
                cp = word_at(text, cp)[0]
            new = (cp, ent.end)
        else:
            if not raw and cp > 0 and is_word_char(text[cp - 1]):
                cp = word_at(text, cp - 1)[1]
            new = (ent.start, cp)
        if not raw:
            new = balance(text, *trim_span(text, *new), default_rules().pairs)
        if new[0] >= new[1]:
            self.session.hint.emit(t("A span needs at least one character: drag the edge less far."))
            return False
        return self._resize(entity_id, *new)
