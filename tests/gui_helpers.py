"""Helpers for driving the real window in tests: mouse drags in right-to-left text, clicks, exports."""
from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from app.core.exchange.exporter import export_jsonl
from app.ui.main_window import MainWindow
from app.ui.session import Session
from app.ui.settings import Settings

ANNOTATOR = "amal"


def make_window(qtbot, project, tmp_path, annotator=ANNOTATOR, register=True):
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    session = Session(project, annotator)
    win = MainWindow(session, settings)
    if register:  # a window that will delete itself (language switch) must not be closed again by qtbot
        qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def caret_point(view, u16: int) -> QPoint:
    cur = QTextCursor(view.document())
    cur.setPosition(u16)
    return view.cursorRect(cur).center()


def mouse(view, kind, pos: QPoint, buttons=Qt.MouseButton.LeftButton, mods=Qt.KeyboardModifier.NoModifier):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    ev = QMouseEvent(kind, QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), button, buttons, mods)
    QApplication.sendEvent(view.viewport(), ev)


def drag_select(view, start_u16: int, end_u16: int, mods=Qt.KeyboardModifier.NoModifier) -> None:
    """Press at one caret gap, move, release at another: a real mouse selection in the right-to-left text."""
    a, b = caret_point(view, start_u16), caret_point(view, end_u16)
    mouse(view, QEvent.Type.MouseButtonPress, a, mods=mods)
    mouse(view, QEvent.Type.MouseMove, QPoint((a.x() + b.x()) // 2, a.y()), mods=mods)
    mouse(view, QEvent.Type.MouseMove, b, mods=mods)
    mouse(view, QEvent.Type.MouseButtonRelease, b, buttons=Qt.MouseButton.NoButton, mods=mods)


def click_at(view, u16: int) -> None:
    """Click inside the character that starts at UTF-16 position u16."""
    a, b = caret_point(view, u16), caret_point(view, u16 + 1)
    p = QPoint((a.x() + b.x()) // 2, a.y())
    mouse(view, QEvent.Type.MouseButtonPress, p)
    mouse(view, QEvent.Type.MouseButtonRelease, p, buttons=Qt.MouseButton.NoButton)


def qt_find(view, needle: str) -> tuple[int, int]:
    cur = view.document().find(needle)
    assert not cur.isNull(), needle
    return cur.selectionStart(), cur.selectionEnd()


def exported(project, tmp_path, **kw) -> list[dict]:
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out, **kw)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
