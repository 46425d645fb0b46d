"""Notes on spans and quotes: why this label, or a doubt for the reviewer.

M (ة on an Arabic layout; N is the neutral stance) or the article's context menu opens a small plain-text editor
on the selected span or quote (else the one under the mouse, for the menu); OK stores the note as one undoable
SetNote, an emptied note is removed. Hovering a span or quote with a note shows it as a plain-text tooltip; the
entity list and the quote panel show it in a column; the adjudication window lists every annotator's notes.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QPlainTextEdit, QToolTip, QVBoxLayout

from .article_view import ArticleView
from .i18n import t
from .plain import PlainLabel, menu_text, plain
from .session import Session
from .undo_note import SetNote

NOTE_KEY = "m"


class NoteDialog(QDialog):
    """A small plain-text editor for one note (Ctrl+Enter or OK saves, Esc cancels)."""

    def __init__(self, what: str, note: str, parent=None):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(t("Note"))
        self.what = PlainLabel(what, self)  # the span's label and text: data, plain text
        self.what.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("noteText")
        self.text.setPlainText(note)
        self.text.setPlaceholderText(t("Why this label, or a doubt for the reviewer"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.setObjectName("noteButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.text.installEventFilter(self)  # Ctrl+Enter in the text saves (Enter alone is a new line)
        lay = QVBoxLayout(self)
        lay.addWidget(self.what)
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self.resize(420, 220)
        self.text.setFocus()

    def eventFilter(self, obj, e) -> bool:
        if obj is self.text and e.type() == QEvent.Type.KeyPress and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.accept()
            return True
        return super().eventFilter(obj, e)

    def note(self) -> str:
        return self.text.toPlainText().strip()


def note_lines(view: ArticleView, cp: int) -> list[str]:
    """What the tooltip at code point `cp` says: the note of the innermost span there, then of the quote."""
    ent = view.entity_at(cp) or (view.entity_at(cp - 1) if cp > 0 else None)
    quote = view.quote_at(cp)
    return [a.note for a in (ent, quote) if a is not None and a.note]


class NoteController(QObject):
    def __init__(self, session: Session, view: ArticleView, controller, parent=None):
        super().__init__(parent)
        self.session, self.view, self.controller = session, view, controller
        self.dialog: Optional[NoteDialog] = None
        self.menu: Optional[QMenu] = None  # the last context menu shown
        controller.notes = self  # the M key (AnnotationController.command_keys)
        view.viewport().installEventFilter(self)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.context_menu)

    # ---- what a note is about ------------------------------------------------------------------------------
    def selected(self) -> Optional[tuple[str, str]]:
        """('entity' | 'quote', id) of the selected span, else the selected quote; None if neither."""
        cur = self.session.current
        if cur is None:
            return None
        if self.session.selected_entity and cur.entity(self.session.selected_entity):
            return "entity", self.session.selected_entity
        if self.session.quote(self.session.selected_quote) is not None:
            return "quote", self.session.selected_quote
        return None

    def _annotation(self, target: tuple[str, str]):
        kind, ann_id = target
        return self.session.current.entity(ann_id) if kind == "entity" else self.session.quote(ann_id)

    def _describe(self, target: tuple[str, str]) -> str:
        a = self._annotation(target)
        text = a.text if len(a.text) <= 80 else a.text[:79] + "…"
        return f"{a.label} «{text}»" if target[0] == "entity" else t("Quote «{quote}»", quote=text)

    # ---- editing ---------------------------------------------------------------------------------------------
    def edit(self, target: Optional[tuple[str, str]] = None) -> Optional[NoteDialog]:
        """Open the note editor on `target` (default: the selection); its OK pushes one SetNote."""
        target = target or self.selected()
        if target is None or self._annotation(target) is None:
            self.session.hint.emit(t("Select a span or a quote first, then press M for its note."))
            return None
        old = self._annotation(target).note
        self.dialog = NoteDialog(self._describe(target), old, self.view.window())
        self.dialog.accepted.connect(lambda d=self.dialog, tg=target, o=old: self._save(tg, o, d.note()))
        self.dialog.open()
        return self.dialog

    def _save(self, target: tuple[str, str], old: str, note: str) -> bool:
        cur = self.session.current
        if cur is None or note == old:
            return False
        return self.session.undo_stack.push(SetNote(self.session, cur.document.key, target[0], target[1], note))

    def context_menu(self, pos: QPoint) -> QMenu:
        """The article's menu (copy, select all) with "Note…" on the selection, else on what is under the mouse."""
        menu = self.view.createStandardContextMenu(pos)
        menu.setObjectName("articleMenu")
        target = self.selected()
        if target is None:
            cp = self.view.map.to_codepoint(self.view.cursorForPosition(pos).position())
            ent = self.view.entity_at(cp)
            quote = None if ent else self.view.quote_at(cp)
            target = ("entity", ent.id) if ent else ("quote", quote.id) if quote else None
        menu.addSeparator()
        action = menu.addAction(menu_text(t("Note…") + f"\t{NOTE_KEY.upper()}"))
        action.setObjectName("noteAction")
        action.setEnabled(target is not None)
        action.triggered.connect(lambda: self.edit(target))
        menu.aboutToHide.connect(menu.deleteLater)
        self.menu = menu
        menu.popup(self.view.viewport().mapToGlobal(pos))
        return menu

    # ---- hover ---------------------------------------------------------------------------------------------
    def eventFilter(self, obj, e) -> bool:
        if e.type() == QEvent.Type.ToolTip and obj is self.view.viewport():
            cp = self.view.map.to_codepoint(self.view.cursorForPosition(e.pos()).position())
            lines = note_lines(self.view, cp)
            if lines:
                QToolTip.showText(e.globalPos(), plain("\n".join(lines)), self.view.viewport())
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return False
