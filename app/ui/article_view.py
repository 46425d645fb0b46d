"""The article, right-to-left, with entity highlights, nesting bars and label tags.

This is the one place where Qt's UTF-16 positions meet the core's code points: `Utf16Map` converts both ways and
nothing else in the UI sees a UTF-16 offset.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QPainter, QPen, QTextBlockFormat,
                           QTextCursor, QTextDocument, QTextOption)
from PySide6.QtWidgets import QTextEdit

from ..core.model import AnnotationSet, Entity, Label, Quote
from ..core.text.offsets import Utf16Map
from .fonts import article_font
from .i18n import AR, language
from .keymap import command_key

LINE_HEIGHT_PERCENT = 215  # room under each line for nesting bars and label tags
BAR_HEIGHT = 3.0
BAR_GAP = 2.0


@dataclass(frozen=True)
class PlacedSpan:
    entity: Entity
    level: int  # 0 = outermost lane; overlapping spans get distinct lanes


def assign_levels(entities: list[Entity]) -> list[PlacedSpan]:
    """Greedy interval colouring: each span takes the lowest lane no overlapping span already holds.
    Outer (longer) spans are placed first, so nested spans sit in deeper lanes."""
    order = sorted(entities, key=lambda e: (e.start, -(e.end - e.start), e.id))
    placed: list[PlacedSpan] = []
    for e in order:
        busy = {p.level for p in placed if p.entity.start < e.end and e.start < p.entity.end}
        level = 0
        while level in busy:
            level += 1
        placed.append(PlacedSpan(e, level))
    return placed


class ArticleView(QTextEdit):
    labelKeyPressed = Signal(str, bool)  # key text ("1".."9"), raw (Alt held: no snapping)
    deleteRequested = Signal()
    entityClicked = Signal(object)  # entity id or None
    quoteClicked = Signal(str)  # a click inside a quote, on no entity
    commandKeyPressed = Signal(str, bool, bool)  # layout-independent letter ("q", "c" ...), shift, alt
    escapePressed = Signal()
    acceptPressed = Signal()  # Enter: accept the current suggestion
    backspacePressed = Signal()  # delete the selected span, or reject the current suggestion

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
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
        self._visible_cp = (0, 0)
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

    def _load_text(self, text: str) -> None:
        """Build the document with its options set *before* the text goes in: one layout pass, not three."""
        doc = QTextDocument(self)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(self.font())
        doc.setDefaultTextOption(self._text_option())
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        cur = QTextCursor(doc)
        cur.setBlockFormat(fmt)
        cur.insertText(text)
        old, self._own_doc = getattr(self, "_own_doc", None), doc
        self.setDocument(doc)  # Qt deletes its own initial document; ours we delete
        if old is not None:
            old.deleteLater()

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
            self.moveCursor(QTextCursor.MoveOperation.Start)
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

    # ---- geometry ------------------------------------------------------------------------------------------
    def span_rects(self, start_cp: int, end_cp: int) -> list[tuple[QRectF, float]]:
        """Viewport rectangles of a code-point span, one per line it covers, with each line's baseline bottom."""
        s16, e16 = self.map.to_utf16(start_cp), self.map.to_utf16(end_cp)
        doc = self.document()
        out: list[tuple[QRectF, float]] = []
        offset = QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())
        block = doc.findBlock(s16)
        while block.isValid() and block.position() <= e16:
            layout = block.layout()
            bpos = block.position()
            origin = doc.documentLayout().blockBoundingRect(block).topLeft() + offset
            first = layout.lineForTextPosition(max(s16 - bpos, 0))
            for i in range(first.lineNumber() if first.isValid() else 0, layout.lineCount()):
                line = layout.lineAt(i)
                ls, le = bpos + line.textStart(), bpos + line.textStart() + line.textLength()
                if ls >= e16:
                    break
                a, b = max(s16, ls), min(e16, le)
                if a >= b:
                    continue
                x1 = line.cursorToX(a - bpos)[0]
                x2 = line.cursorToX(b - bpos)[0]
                left, right = min(x1, x2), max(x1, x2)
                top = origin.y() + line.y()
                glyph_bottom = top + line.ascent() + line.descent()
                out.append((QRectF(origin.x() + left, top, right - left, line.ascent() + line.descent()),
                            glyph_bottom))
            block = block.next()
        return out

    def entity_at(self, cp: int) -> Optional[Entity]:
        """The innermost (shortest) entity covering code point `cp`."""
        hits = [p.entity for p in self._placed if p.entity.start <= cp < p.entity.end]
        return min(hits, key=lambda e: (e.end - e.start, e.id)) if hits else None

    def quote_at(self, cp: int) -> Optional[Quote]:
        hits = [q for q in self._quotes if q.start <= cp < q.end]
        return min(hits, key=lambda q: q.end - q.start) if hits else None

    # ---- painting: nesting bars and label tags ---------------------------------------------------------------
    def _visible_rects(self, start: int, end: int, visible: QRectF) -> list[tuple[QRectF, float]]:
        lo, hi = self._visible_cp
        if end <= lo or start >= hi:  # off screen: no layout work at all
            return []
        return [(r, b) for r, b in self.span_rects(start, end)
                if visible.top() - 80 <= r.bottom() and r.top() <= visible.bottom() + 10]

    def _visible_range(self) -> tuple[int, int]:
        """Code points from the first line touching the viewport (and the line above, whose tags hang into
        it) to the end of the last one: spans outside are skipped before any geometry is computed."""
        vp = self.viewport().rect()
        bounds = []
        for y, above in ((max(0, vp.top() - 60), True), (vp.bottom() + 10, False)):
            cur = self.cursorForPosition(QPoint(vp.width() // 2, y))
            block, pos = cur.block(), cur.position()
            line = block.layout().lineForTextPosition(pos - block.position()) if block.isValid() else None
            if line is not None and line.isValid():
                pos = block.position() + (line.textStart() if above else line.textStart() + line.textLength())
            bounds.append(pos)
        lo, hi = bounds
        return self.map.to_codepoint(max(0, lo)), self.map.to_codepoint(min(hi + 1, self.map.length_u16))

    def paintEvent(self, event) -> None:
        visible = QRectF(self.viewport().rect())
        self._visible_cp = self._visible_range()
        geometry = []  # (placed span, its line rectangles) for the spans near the visible area
        for p in self._placed:
            rects = self._visible_rects(p.entity.start, p.entity.end, visible)
            if rects:
                geometry.append((p, rects))
        selq = next((q for q in self._quotes if q.id == self._selected_quote), None)
        if geometry or selq:
            under = QPainter(self.viewport())  # backgrounds first, so the text is drawn over them
            if selq is not None:
                for r, _ in self._visible_rects(selq.start, selq.end, visible):
                    under.fillRect(r, QColor(255, 236, 153, 150))
                if selq.cue:
                    for r, _ in self._visible_rects(selq.cue.start, selq.cue.end, visible):
                        under.fillRect(r, QColor(255, 183, 3, 170))
            for p, rects in geometry:
                lab = self._labels.get(p.entity.label)
                color = QColor(lab.color if lab else "#999999")
                color.setAlpha(150 if p.entity.id == self._selected else 95)
                for r, _ in rects:
                    under.fillRect(r, color)
            under.end()
        super().paintEvent(event)
        if self._quotes:
            self._paint_quotes(visible, selq)
        if self._marks:
            self._paint_marks(visible)
        if self._grey:
            veil = QPainter(self.viewport())
            for s, e in self._grey:
                for r, _ in self._visible_rects(s, e, visible):
                    veil.fillRect(r.adjusted(-2, -2, 2, 2), QColor(255, 255, 255, 150))
            veil.end()
        if not geometry:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tag_font = QFont(self.font())
        # Arabic tag names need a larger size than Latin ones to stay legible.
        tag_font.setPointSizeF(max(7.0, self.font().pointSizeF() * (0.58 if language() == AR else 0.45)))
        tag_font.setBold(True)
        fm = QFontMetricsF(tag_font)
        painter.setFont(tag_font)
        depth = max(p.level for p in self._placed) + 1
        tags: list[QRectF] = []  # tags already drawn; a colliding tag moves one row down
        for p, rects in geometry:
            lab = self._labels.get(p.entity.label)
            color = QColor(lab.color if lab else "#999999")
            for i, (r, bottom) in enumerate(rects):
                y = bottom + BAR_GAP + p.level * (BAR_HEIGHT + BAR_GAP)
                painter.fillRect(QRectF(r.left(), y, r.width(), BAR_HEIGHT), color.darker(130))
                if p.entity.id == self._selected:
                    painter.setPen(QPen(QColor("#1d3557"), 2))
                    painter.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 3, 3)
                if i == 0:  # the tag sits under the start of the span: its right edge in right-to-left text
                    name = lab.display if lab and lab.display and language() == AR else p.entity.label
                    if p.entity.id in self._tag_suffix:
                        name = f"{name} {self._tag_suffix[p.entity.id]}"
                    w = fm.horizontalAdvance(name) + 6
                    tag = QRectF(r.right() - w, bottom + BAR_GAP + depth * (BAR_HEIGHT + BAR_GAP), w, fm.height())
                    while any(tag.intersects(o) for o in tags):
                        tag.translate(0, fm.height() + 1)
                    tags.append(tag)
                    painter.fillRect(tag, color)
                    painter.setPen(QColor("#111111"))
                    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, name)
        painter.end()

    def _paint_marks(self, visible: QRectF) -> None:
        painter = QPainter(self.viewport())
        for start, end, colour, boxed in self._marks:
            pen = QPen(QColor(colour), 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for r, bottom in self._visible_rects(start, end, visible):
                if boxed:
                    painter.drawRect(r.adjusted(-3, -3, 3, 3))
                else:
                    painter.drawLine(QPointF(r.left(), r.top() - 5), QPointF(r.right(), r.top() - 5))
        painter.end()

    def _paint_quotes(self, visible: QRectF, selq: Optional[Quote]) -> None:
        """A line over every quote (red while it has no speaker); the selected quote's speaker and cue boxed."""
        painter = QPainter(self.viewport())
        for q in self._quotes:
            color = QColor("#2a9d8f") if (q.speaker or q.speaker_text) else QColor("#d62828")
            pen = QPen(color, 3 if q is selq else 2)
            if not (q.speaker or q.speaker_text):
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for r, _ in self._visible_rects(q.start, q.end, visible):
                painter.drawLine(QPointF(r.left(), r.top() - 2), QPointF(r.right(), r.top() - 2))
        if selq is not None:
            speaker = self._entities.get(selq.speaker) if selq.speaker else None
            if speaker is not None:
                painter.setPen(QPen(QColor("#1d4ed8"), 2))
                for r, _ in self._visible_rects(speaker.start, speaker.end, visible):
                    painter.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 4, 4)
            if selq.cue:
                painter.setPen(QPen(QColor("#b45309"), 2))
                for r, _ in self._visible_rects(selq.cue.start, selq.cue.end, visible):
                    painter.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 4, 4)
        painter.end()

    # ---- input ---------------------------------------------------------------------------------------------
    def selection_cp(self) -> Optional[tuple[int, int]]:
        """The current text selection in code points, or None."""
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return self.map.to_codepoint(cur.selectionStart()), self.map.to_codepoint(cur.selectionEnd())

    def select_cp(self, start: int, end: int) -> None:
        """Select a code-point range (used by tests and by programmatic navigation)."""
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

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._alt_selection = bool(e.modifiers() & Qt.KeyboardModifier.AltModifier)
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
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

    def keyPressEvent(self, e: QKeyEvent) -> None:
        mods = e.modifiers()
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
            super().keyPressEvent(e)
            return
        key = e.key()
        if key == Qt.Key.Key_Delete:
            self.deleteRequested.emit()
            return
        if key == Qt.Key.Key_Backspace:
            self.backspacePressed.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.acceptPressed.emit()
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
