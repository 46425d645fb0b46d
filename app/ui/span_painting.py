"""Painting the article's annotations over the text: highlights, nesting bars, label tags, quote lines, marks.

Split from the view so the view keeps content and input, and this module the geometry of spans on screen. Only
spans near the viewport get any layout work, so a long article paints as fast as a short one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ..core.model import Entity, Quote
from .i18n import AR, language

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
    open_spans: list[tuple[int, int]] = []  # (end, level) of spans placed so far that may still overlap
    for e in order:
        # in start order, an earlier span overlaps this one exactly when it ends after this one starts: a sweep,
        # not a scan of every span placed (quadratic on a long article)
        open_spans = [(end, lvl) for end, lvl in open_spans if end > e.start]
        busy = {lvl for _, lvl in open_spans}
        level = 0
        while level in busy:
            level += 1
        placed.append(PlacedSpan(e, level))
        open_spans.append((e.end, level))
    return placed


class SpanPainting:
    """Mixin for the article view (a QTextEdit holding `map`, `_placed`, `_quotes`, `_labels`...): geometry of
    code-point spans in the viewport and the paintEvent that draws them."""

    # ---- geometry ------------------------------------------------------------------------------------------
    def span_rects(self, start_cp: int, end_cp: int) -> list[tuple[QRectF, float]]:
        """Viewport rectangles of a code-point span, one per line it covers, with each line's baseline bottom.
        Worked out in document coordinates once per layout (the view clears `_rect_cache` whenever the layout
        changes) and moved by the scroll offset: a repaint or a scroll costs no text geometry."""
        rects = self._rect_cache.get((start_cp, end_cp))
        if rects is None:
            rects, complete = self._document_rects(start_cp, end_cp)
            if complete:
                self._rect_cache[(start_cp, end_cp)] = rects
        dx, dy = -self.horizontalScrollBar().value(), -self.verticalScrollBar().value()
        return [(r.translated(dx, dy), bottom + dy) for r, bottom in rects]

    def _document_rects(self, start_cp: int, end_cp: int) -> tuple[list[tuple[QRectF, float]], bool]:
        """The rectangles in document coordinates, and whether every block they fall in was laid out (and
        loaded): only then may they be kept."""
        s16, e16 = self.map.to_utf16(start_cp), self.map.to_utf16(end_cp)
        doc = self.document()
        doc_layout = doc.documentLayout()
        out: list[tuple[QRectF, float]] = []
        complete = end_cp <= self._loaded
        block = doc.findBlock(s16)
        while block.isValid() and block.position() <= e16:
            layout = block.layout()
            if layout.lineCount() == 0:
                complete = False
            bpos = block.position()
            origin = doc_layout.blockBoundingRect(block).topLeft()
            first = layout.lineForTextPosition(max(s16 - bpos, 0))
            for i in range(first.lineNumber() if first.isValid() else 0, layout.lineCount()):
                line = layout.lineAt(i)
                ls, le = bpos + line.textStart(), bpos + line.textStart() + line.textLength()
                if ls >= e16:
                    break
                a, b = max(s16, ls), min(e16, le)
                if a >= b:
                    continue
                x1, x2 = self._line_x(line, bpos, ls, a), self._line_x(line, bpos, ls, b)
                left, right = min(x1, x2), max(x1, x2)
                top = origin.y() + line.y()
                glyph_bottom = top + line.ascent() + line.descent()
                out.append((QRectF(origin.x() + left, top, right - left, line.ascent() + line.descent()),
                            glyph_bottom))
            block = block.next()
        return out, complete

    def _line_x(self, line, bpos: int, line_start: int, pos: int) -> float:
        """x of a UTF-16 position on a laid-out line, kept for the current layout (`_x_cache`, cleared with
        `_rect_cache`): line starts and ends are shared by spans, suggestion marks and quotes that run over several
        lines, and each cursorToX reorders the line's right-to-left runs again (7 % fewer calls on the benchmark's
        5,000-character switch, a third fewer over a switch to a short article and back)."""
        key = (line_start, pos)
        x = self._x_cache.get(key)
        if x is None:
            x = self._x_cache[key] = line.cursorToX(pos - bpos)[0]
        return x

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
        self.tag_rects = []  # (entity id, rectangle, text) of the label tags painted: what the annotator sees
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
        tag_font = self.tag_font()
        fm = QFontMetricsF(tag_font)
        width = self.viewport().width()
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
                    w = fm.horizontalAdvance(name) + 8
                    # under the span's start, but never past the viewport's edges (a span at the end of a line)
                    left = max(0.0, min(r.right() - w, width - w))
                    tag = QRectF(left, bottom + BAR_GAP + depth * (BAR_HEIGHT + BAR_GAP), w, fm.height())
                    while any(tag.intersects(o) for o in tags):
                        tag.translate(0, fm.height() + 1)
                    tags.append(tag)
                    self.tag_rects.append((p.entity.id, QRectF(tag), name))
                    painter.fillRect(tag, color)
                    painter.setPen(QColor("#111111"))
                    painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, name)
        painter.end()

    def tag_font(self) -> QFont:
        """Label tags scale with the article text (60 %, never under 8 pt) in both languages, so they stay legible
        when the text is enlarged."""
        f = QFont(self.font())
        f.setPointSizeF(max(8.0, self.font().pointSizeF() * 0.6))
        f.setBold(True)
        return f

    def _paint_marks(self, visible: QRectF) -> None:
        painter = QPainter(self.viewport())
        lo, hi = self._visible_cp
        for start, end, colour, boxed in self._marks:
            if end <= lo or start >= hi:  # off screen: skipped before any pen or geometry (thousands of marks)
                continue
            c = QColor(colour)
            # a translucent colour marks a background item (other suggestions): a thin dotted line, not a dash
            pen = QPen(c, 2, Qt.PenStyle.DashLine) if c.alpha() == 255 else QPen(c, 1, Qt.PenStyle.DotLine)
            pen.setCosmetic(True)  # the same pixels without a transform, drawn without the dash stroker's paths
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
