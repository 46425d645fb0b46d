"""The article, right-to-left, with entity highlights, nesting bars and label tags.

This is the one place where Qt's UTF-16 positions meet the core's code points: `Utf16Map` converts both ways and
nothing else in the UI sees a UTF-16 offset.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (QKeyEvent, QMouseEvent, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument,
                           QTextOption)
from PySide6.QtWidgets import QTextEdit

from ..core.model import AnnotationSet, Entity, Label, Quote
from ..core.text.offsets import Utf16Map
from .fonts import article_font
from .keymap import command_key
from .span_painting import LINE_HEIGHT_PERCENT, PlacedSpan, SpanPainting, assign_levels  # noqa: F401 (re-export)


EDGE_GRAB_PX = 4  # how close to a selected span's edge the mouse grabs it
# A long article goes into the document this many characters (whole paragraphs) at a time, one chunk per
# event-loop turn: laying out 1,000,000 characters at once froze the window for a second.
LOAD_CHUNK = 10_000


class ArticleView(SpanPainting, QTextEdit):
    labelKeyPressed = Signal(str, bool)  # key text ("1".."9"), raw (Alt held: no snapping)
    deleteRequested = Signal()
    entityClicked = Signal(object)  # entity id or None
    quoteClicked = Signal(str)  # a click inside a quote, on no entity
    commandKeyPressed = Signal(str, bool, bool)  # layout-independent letter ("q", "c" ...), shift, alt
    escapePressed = Signal()
    acceptPressed = Signal()  # Enter: accept the current suggestion
    acceptAllPressed = Signal()  # Shift+Enter: accept every suggestion of the current one's label
    backspacePressed = Signal()  # delete the selected span, or reject the current suggestion
    stepPressed = Signal(int)  # Tab / Shift+Tab: select the next / previous span
    edgeKeyPressed = Signal(str, int, bool)  # Alt+arrows: "start"/"end" edge, +1 forward / -1 back, by a character
    edgeDragged = Signal(str, str, int, bool)  # entity id, "start"/"end", code point it was dropped at, Alt held
    # The article's own keys, as the shortcut sheet lists them (keyPressEvent and event() below handle them).
    KEYS = (("Enter", "Accept the current suggestion"),
            ("Shift+Enter", "Accept every suggestion of the current one's label in this article"),
            ("Backspace", "Delete the selected span or quote; with nothing selected, reject the current suggestion"),
            ("Delete", "Delete the selected span or quote"),
            ("Esc", "Let go of the selection"),
            ("Tab / Shift+Tab", "Select the next / previous span"),
            ("Alt+Left / Alt+Right", "Move the selected span's end a word (Ctrl: a character; Left is forward)"),
            ("Alt+Shift+Left / Alt+Shift+Right", "Move the selected span's start a word (Ctrl: a character)"),
            ("Alt + selection", "Keep the raw selection (no snapping)"))
    tab_steps = False  # Tab selects the next span (the annotation window) instead of focusing the next widget

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        # Always there: a scroll bar coming and going between a short and a long article changes the text width,
        # and Qt lays the whole article out a second time for it.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setObjectName("articleView")
        self.map = Utf16Map("")
        self._text = ""
        self._doc_key: Optional[int] = None
        self._labels: dict[str, Label] = {}
        self._placed: list[PlacedSpan] = []
        self._selected: Optional[str] = None
        self._quotes: list[Quote] = []
        self._selected_quote: Optional[str] = None
        self._entities: dict[str, Entity] = {}
        self._layers: dict[str, list[tuple[int, int, str, bool]]] = {}  # overlays by layer (others, review, ...)
        self._grey: list[tuple[int, int]] = []  # boilerplate lines, shown greyed
        self._tag_suffix: dict[str, str] = {}  # entity id -> who made it (review)
        self._alt_selection = False
        self._drag_edge: Optional[str] = None  # "start"/"end" of the selected span while its edge is dragged
        self._visible_cp = (0, 0)
        self.tag_rects: list = []
        self.viewport().setMouseTracking(True)  # the cursor shows where a span edge can be grabbed
        self._loaded, self._pending = 0, ""  # code points of the article in the document; the text being loaded
        self._feeder = QTimer(self, singleShot=True, interval=0)
        self._feeder.timeout.connect(self._append_chunk)
        self.setFont(article_font())
        self.setDocument(self._new_document())
        self._rect_cache: dict = {}  # span -> its rectangles in document coordinates, for the current layout
        self._x_cache: dict = {}  # (line start, position) -> x, for the current layout
        self.document().documentLayout().update.connect(self._layout_changed)
        self.set_point_size(article_font().pointSize())

    # ---- content -------------------------------------------------------------------------------------------
    def set_point_size(self, size: int) -> None:
        self.setFont(article_font(size))
        self.document().setDefaultFont(article_font(size))

    def point_size(self) -> int:
        return self.font().pointSize()

    @staticmethod
    def _text_option() -> QTextOption:
        opt = QTextOption()
        opt.setTextDirection(Qt.LayoutDirection.RightToLeft)
        # AlignAbsolute: without it Qt mirrors AlignRight to the left in right-to-left text.
        opt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        opt.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        return opt

    def _new_document(self) -> QTextDocument:
        """The one document the view keeps: its font, options and block format are set once, so a new article is
        only new text (Qt relays out a document several times when it is attached to a QTextEdit)."""
        doc = QTextDocument(self)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(self.font())
        doc.setDefaultTextOption(self._text_option())
        return doc

    @staticmethod
    def _block_format() -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        return fmt

    def _load_text(self, text: str) -> None:
        """Replace the article's text: the first LOAD_CHUNK characters now, laid out once, the rest appended a
        paragraph-bounded chunk at a time from the event loop, so no single step lays out more than a chunk."""
        self._feeder.stop()
        doc = self.document()
        cur = QTextCursor(doc)
        cur.select(QTextCursor.SelectionType.Document)
        cur.removeSelectedText()
        cur.setBlockFormat(self._block_format())
        cur.setCharFormat(QTextCharFormat())
        self._loaded = 0
        self._pending = text
        self._append_chunk()

    def _layout_changed(self, *_) -> None:
        self._rect_cache.clear()
        self._x_cache.clear()

    def _append_chunk(self) -> None:
        text, at = self._pending, self._loaded
        if at >= len(text):
            return
        cut = text.rfind("\n", at, at + LOAD_CHUNK) + 1 if len(text) - at > LOAD_CHUNK else len(text)
        if cut <= at:  # a paragraph longer than a chunk goes in whole: a block is laid out in one piece anyway
            cut = text.find("\n", at + LOAD_CHUNK) + 1 or len(text)
        cur = QTextCursor(self.document())
        cur.movePosition(QTextCursor.MoveOperation.End)
        cur.insertText(text[at:cut])
        self._loaded = cut
        if cut < len(text):
            self._feeder.start()
        else:
            self._pending = ""

    def _load_to(self, cp: int) -> None:
        """Text up to code point `cp` is in the document (a selection or a jump far down a long article)."""
        while self._loaded < min(cp, len(self._pending)):
            self._append_chunk()

    @property
    def fully_loaded(self) -> bool:
        return not self._pending

    def show_set(self, aset: Optional[AnnotationSet], labels: list[Label]) -> None:
        """Show a document with its annotations; the text is reset only when the document changes."""
        self._labels = {l.name: l for l in labels}
        if aset is None:
            self._doc_key, self._text = None, ""
            self._load_text("")
            self._placed, self._quotes, self._entities = [], [], {}
            return
        if aset.document.key != self._doc_key or aset.document.text != self._text:
            self._doc_key, self._text = aset.document.key, aset.document.text
            self.map = Utf16Map(self._text)
            self._load_text(self._text)
            self._visible_cp = (0, 0)  # a new article shows from its top (until the next paint says more)
            self.moveCursor(QTextCursor.MoveOperation.Start)
            self.verticalScrollBar().setValue(0)
        self._placed = assign_levels(aset.entities)
        self._entities = {e.id: e for e in aset.entities}
        self._quotes = list(aset.quotes)
        self._refresh_highlights()

    def set_selected_entity(self, entity_id: Optional[str]) -> None:
        self._selected = entity_id
        self._refresh_highlights()

    def set_marks(self, marks: list[tuple[int, int, str, bool]], layer: str = "default") -> None:
        """Overlays drawn over the text: a dashed overline, or a box when `boxed` (the focused item). Each layer
        (other annotators, review units, suggestions) is replaced on its own."""
        self._layers[layer] = list(marks)
        self.viewport().update()

    @property
    def _marks(self) -> list[tuple[int, int, str, bool]]:
        return [m for layer in self._layers.values() for m in layer]

    def set_grey(self, ranges: list[tuple[int, int]]) -> None:
        self._grey = list(ranges)
        self.viewport().update()

    def set_tag_suffix(self, suffix: dict[str, str]) -> None:
        self._tag_suffix = dict(suffix)
        self.viewport().update()

    def set_selected_quote(self, quote_id: Optional[str]) -> None:
        self._selected_quote = quote_id
        self._refresh_highlights()

    def _refresh_highlights(self) -> None:
        # Highlights are painted by paintEvent, not with QTextEdit.ExtraSelection: PySide6 6.x leaks a reference
        # to None on every ExtraSelection attribute set, which crashes Python 3.11 after a few thousand spans.
        self.viewport().update()

    def entity_at(self, cp: int) -> Optional[Entity]:
        """The innermost (shortest) entity covering code point `cp`."""
        hits = [p.entity for p in self._placed if p.entity.start <= cp < p.entity.end]
        return min(hits, key=lambda e: (e.end - e.start, e.id)) if hits else None

    def quote_at(self, cp: int) -> Optional[Quote]:
        hits = [q for q in self._quotes if q.start <= cp < q.end]
        return min(hits, key=lambda q: q.end - q.start) if hits else None

    # ---- input ---------------------------------------------------------------------------------------------
    def selection_cp(self) -> Optional[tuple[int, int]]:
        """The current text selection in code points, or None."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return self.map.to_codepoint(cur.selectionStart()), self.map.to_codepoint(cur.selectionEnd())

    def select_cp(self, start: int, end: int) -> None:
        """Select a code-point range (used by tests and by programmatic navigation)."""
        self._load_to(max(start, end))
        cur = QTextCursor(self.document())
        cur.setPosition(self.map.to_utf16(start))
        cur.setPosition(self.map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def clear_selection(self) -> None:
        cur = self.textCursor()
        cur.clearSelection()
        self.setTextCursor(cur)

    @property
    def alt_selection(self) -> bool:
        return self._alt_selection

    def scroll_to(self, start: int, end: int) -> None:
        """Bring a span into view (a keyboard selection far down the article), a third from the top."""
        self._load_to(end)
        rects = self.span_rects(start, end)
        if rects:
            r, height = rects[0][0], self.viewport().height()
            if r.top() < 0 or r.bottom() + 40 > height:
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + int(r.top() - height / 3))

    def _caret_rect(self, cp: int) -> QRect:
        self._load_to(cp)
        cur = QTextCursor(self.document())
        cur.setPosition(self.map.to_utf16(cp))
        return self.cursorRect(cur)

    def edge_at(self, pos: QPoint) -> Optional[str]:
        """The edge ("start"/"end") of the selected span under the mouse, within a few pixels, or None."""
        ent = self._entities.get(self._selected) if self._selected else None
        if ent is None:
            return None
        for edge, cp in (("start", ent.start), ("end", ent.end)):
            r = self._caret_rect(cp)
            if abs(pos.x() - r.center().x()) <= EDGE_GRAB_PX and r.top() - 4 <= pos.y() <= r.bottom() + 4:
                return edge
        return None

    def _cp_at(self, pos: QPoint) -> int:
        return self.map.to_codepoint(self.cursorForPosition(pos).position())

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._alt_selection = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier)
        if e.button() == Qt.MouseButton.LeftButton:
            self._drag_edge = self.edge_at(e.position().toPoint())
            if self._drag_edge:
                return  # an edge grab, not a text selection
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        pos = e.position().toPoint()
        if self._drag_edge:
            ent = self._entities.get(self._selected)
            cp = self._cp_at(pos)
            if ent is not None:  # preview the new extent as a box while dragging
                span = (min(cp, ent.end - 1), ent.end) if self._drag_edge == "start" else (ent.start,
                                                                                           max(cp, ent.start + 1))
                self.set_marks([(*span, "#1d3557", True)], "resize")
            return
        shape = Qt.CursorShape.SizeHorCursor if self.edge_at(pos) else Qt.CursorShape.IBeamCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag_edge and e.button() == Qt.MouseButton.LeftButton:
            edge, self._drag_edge = self._drag_edge, None
            self.set_marks([], "resize")
            if self._selected:
                self.edgeDragged.emit(self._selected, edge, self._cp_at(e.position().toPoint()),
                                      bool(e.modifiers() & Qt.KeyboardModifier.AltModifier))
            return
        super().mouseReleaseEvent(e)
        if e.button() != Qt.MouseButton.LeftButton:
            return
        if not self.textCursor().hasSelection():
            pos = self.cursorForPosition(e.position().toPoint()).position()
            # cursorForPosition gives the nearest caret gap; look at the character on either side.
            cp = self.map.to_codepoint(pos)
            hit = self.entity_at(cp) or (self.entity_at(cp - 1) if cp > 0 else None)
            quote = None if hit else self.quote_at(cp)
            if quote is not None:
                self.quoteClicked.emit(quote.id)
            else:
                self.entityClicked.emit(hit.id if hit else None)

    def event(self, e: QEvent) -> bool:
        # Tab steps through the spans instead of moving the focus to the next widget.
        if self.tab_steps and e.type() == QEvent.Type.KeyPress and e.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) \
                and not e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            back = e.key() == Qt.Key.Key_Backtab or bool(e.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.stepPressed.emit(-1 if back else 1)
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        mods = e.modifiers()
        key = e.key()
        if mods & Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._selected:
            # Alt+Left/Right: the end edge; with Shift the start edge; with Ctrl by a character. In right-to-left
            # text Left moves forward, as the caret does.
            self.edgeKeyPressed.emit("start" if mods & Qt.KeyboardModifier.ShiftModifier else "end",
                                     1 if key == Qt.Key.Key_Left else -1,
                                     bool(mods & Qt.KeyboardModifier.ControlModifier))
            return
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
            super().keyPressEvent(e)
            return
        if key == Qt.Key.Key_Delete:
            self.deleteRequested.emit()
            return
        if key == Qt.Key.Key_Backspace:
            self.backspacePressed.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            (self.acceptAllPressed if mods & Qt.KeyboardModifier.ShiftModifier else self.acceptPressed).emit()
            return
        if key == Qt.Key.Key_Escape:
            self.clear_selection()
            self.escapePressed.emit()
            return
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        cmd = command_key(e.text()) or (chr(key).lower() if 0x30 <= key <= 0x5A else None)
        if cmd and cmd.isdigit():
            self.labelKeyPressed.emit(cmd, alt)
            return
        if cmd:
            self.commandKeyPressed.emit(cmd, bool(mods & Qt.KeyboardModifier.ShiftModifier), alt)
            return
        super().keyPressEvent(e)
