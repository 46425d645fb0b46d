"""The learning curve in the review dashboard: held-out entity F1 against the documents the model learnt from.

It answers a lead's question, "is annotating more still paying off?", where the agreement figures are read. The
points come from app.core.learn.curve (the held-out split `tawsim train` measures on, models on growing shares of
the rest) computed on a QThreadPool worker with a connection of its own (SQLite connections stay in their thread),
so opening the dashboard never waits for several trainings. Drawn with QPainter (no plotting dependency); every
axis and point label is drawn with drawText, which never reads text as rich text.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject, QPointF, QRectF, QRunnable, QThreadPool, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.learn.curve import CurvePoint
from .i18n import t
from .plain import PlainLabel

CURVE_POINTS = 4  # models trained: on 1/4, 2/4, 3/4 and all of the documents outside the held-out part
LINE_COLOUR = QColor("#1f6fb4")
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 48, 36, 24, 40


class _Signals(QObject):
    ready = Signal(str, list)  # how the held-out part was chosen, the points
    failed = Signal(str)  # why there is no curve (too few documents, a damaged project ...)


class _CurveJob(QRunnable):
    def __init__(self, target, signals: _Signals):
        super().__init__()
        self.target, self.signals = target, signals  # the job holds the signals: the dialog may close first

    def run(self) -> None:
        from ..core.learn.curve import learning_curve
        from ..core.learn.training import NotEnoughData
        from ..core.store import Project

        try:
            with Project.open(self.target) as project:
                how, points = learning_curve(project, points=CURVE_POINTS)
            self.signals.ready.emit(how, points)
        except NotEnoughData as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a background job reports, never takes the window down
            self.signals.failed.emit(t("No learning curve: {error}", error=str(exc)))


class CurveChart(QWidget):
    """F1 (0-1, vertical) against documents learnt from (horizontal), a line through the points."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[CurvePoint] = []
        self.setMinimumHeight(220)

    def set_points(self, points: list[CurvePoint]) -> None:
        self.points = list(points)
        self.update()

    def _plot_rect(self) -> QRectF:
        return QRectF(_MARGIN_LEFT, _MARGIN_TOP, max(1, self.width() - _MARGIN_LEFT - _MARGIN_RIGHT),
                      max(1, self.height() - _MARGIN_TOP - _MARGIN_BOTTOM))

    def _x_max(self) -> int:
        return max((p.units for p in self.points), default=1)

    def positions(self) -> list[QPointF]:
        """Where each point is drawn, in widget coordinates."""
        r, xmax = self._plot_rect(), self._x_max()
        return [QPointF(r.left() + r.width() * p.units / xmax, r.bottom() - r.height() * p.f1) for p in self.points]

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        r = self._plot_rect()
        axis = QPen(QColor("#444444"))
        painter.setPen(axis)
        painter.drawLine(r.bottomLeft(), r.topLeft())
        painter.drawLine(r.bottomLeft(), r.bottomRight())
        fm = painter.fontMetrics()
        for k in range(6):  # F1 0.0 ... 1.0
            y = r.bottom() - r.height() * k / 5
            painter.setPen(QColor("#dddddd"))
            painter.drawLine(QPointF(r.left() + 1, y), QPointF(r.right(), y))
            painter.setPen(axis)
            label = f"{k / 5:.1f}"
            painter.drawText(QPointF(r.left() - 6 - fm.horizontalAdvance(label), y + fm.ascent() / 2 - 1), label)
        xmax = self._x_max()
        for p in self.points:
            x = r.left() + r.width() * p.units / xmax
            label = str(p.units)
            painter.drawText(QPointF(x - fm.horizontalAdvance(label) / 2, r.bottom() + fm.height()), label)
        title = t("documents learnt from")
        painter.drawText(QPointF(r.center().x() - fm.horizontalAdvance(title) / 2, self.height() - 4), title)
        painter.drawText(QPointF(r.left() - 6 - fm.horizontalAdvance("F1"), r.top() - 10), "F1")
        if not self.points:
            painter.end()
            return
        pos = self.positions()
        painter.setPen(QPen(LINE_COLOUR, 2))
        for a, b in zip(pos, pos[1:]):
            painter.drawLine(a, b)
        painter.setBrush(LINE_COLOUR)
        for pt, p in zip(pos, self.points):
            painter.drawEllipse(pt, 4, 4)
            painter.drawText(QPointF(pt.x() + 6, pt.y() - 6), f"{p.f1:.2f}")
        painter.end()


class LearningCurvePanel(QWidget):
    """The chart, and a line saying how the held-out part was chosen (or why there is no curve yet)."""

    finished = Signal()  # the curve (or the reason there is none) is shown

    def __init__(self, target, parent=None, pool: Optional[QThreadPool] = None):
        """`target`: the project's location (a path or a server location), opened again by the worker."""
        super().__init__(parent)
        self.chart = CurveChart(self)
        self.chart.setObjectName("learningCurve")
        self.note = PlainLabel(t("Computing the learning curve in the background..."), self)
        self.note.setObjectName("learningCurveNote")
        self.note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.note)
        lay.addWidget(self.chart, 1)
        self.done = False
        # No parent: the job keeps it alive; Qt drops the connections if this panel goes first.
        self._signals = signals = _Signals()
        signals.ready.connect(self._ready, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        (pool or QThreadPool.globalInstance()).start(_CurveJob(target, signals))

    def _ready(self, how: str, points: list) -> None:
        self.chart.set_points(points)
        self.note.setText(t("Held-out entity F1 against documents learnt from (held out {how})", how=how))
        self.done = True
        self.finished.emit()

    def _failed(self, message: str) -> None:
        self.note.setText(message)
        self.done = True
        self.finished.emit()
