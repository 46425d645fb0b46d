"""Switching the interface language keeps the annotator's view: suggestions, the dock layout (also after a
restart), legible and unclipped label tags, Arabic titles cut at their end."""
from __future__ import annotations

import pytest
import shiboken6
from gui_helpers import make_window
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyleOptionViewItem

from app.ui.main_window import MainWindow, apply_language
from app.ui.session import Session
from app.ui.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    apply_language("en")


def switch(qtbot, win, lang):
    win.actions[f"lang-{lang}"].trigger()
    new = MainWindow.live
    qtbot.waitUntil(lambda: not shiboken6.isValid(win), timeout=2000)
    qtbot.waitExposed(new)
    QTest.qWait(50)
    return new


def test_language_switch_keeps_suggestions_and_the_document_list_width(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path, register=False)
    win.session.open_document(project.document("kuwait-nato-colomina").key)
    qtbot.waitUntil(lambda: bool(win.view._layers.get("suggestions")), timeout=2000)
    painted = list(win.view._layers["suggestions"])
    width = win.documents_dock.width()
    assert width >= 300
    ar = switch(qtbot, win, "ar")
    qtbot.waitUntil(lambda: ar.view._layers.get("suggestions") == painted, timeout=2000)  # still shown
    en = switch(qtbot, ar, "en")
    assert abs(en.documents_dock.width() - width) <= 4  # not squeezed to its minimum
    assert en.view._layers.get("suggestions") == painted
    session = en.session
    en.close()  # restart: the layout comes back as it was
    again = MainWindow(Session(project, "amal"), Settings(QSettings(str(tmp_path / "settings.ini"),
                                                                    QSettings.Format.IniFormat)))
    qtbot.addWidget(again)
    again.resize(en.size())  # as restoreGeometry does on a desktop (offscreen it loses the frame)
    again.show()
    qtbot.waitExposed(again)
    assert abs(again.documents_dock.width() - width) <= 4
    session.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_label_tags_scale_with_the_text_and_are_never_clipped(qtbot, project, tmp_path, lang):
    apply_language(lang)
    doc = project.document("kuwait-nato-colomina")
    text = doc.text
    for name in ("الكويت", "الناتو", "كولومينا", "إسطنبول"):
        i = text.find(name)
        while i >= 0:
            project.add_entity(doc.key, "amal", i, i + len(name), "GPE")  # the long Arabic tag كيان جغرافي سياسي
            i = text.find(name, i + len(name) + 200)
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(doc.key)
    view = win.view
    for _ in range(10):
        QTest.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # Bigger text
    win.zoom(+10) if view.point_size() < 26 else None  # the shortcut needs an active window
    view.viewport().grab()  # paint now, as on screen
    assert view.point_size() >= 26
    assert view.tag_rects
    fm = QFontMetricsF(view.tag_font())
    assert view.tag_font().pointSizeF() >= 0.55 * view.point_size()  # scaled, not stuck at 7-8
    width = view.viewport().width()
    for _, rect, name in view.tag_rects:
        assert 0 <= rect.left() and rect.right() <= width  # inside the article, at either end of a line
        assert rect.width() >= fm.horizontalAdvance(name) and rect.height() >= fm.height()


def test_arabic_titles_are_cut_at_their_end_in_the_english_interface(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    table = win.documents.table
    col = win.documents.model.COLUMNS.index("title")
    index = win.documents.model.index(0, col)
    assert any("\u0600" <= c <= "\u06ff" for c in index.data())
    option = QStyleOptionViewItem()
    option.initFrom(table)
    table.itemDelegateForColumn(col).initStyleOption(option, index)
    assert option.direction == Qt.LayoutDirection.RightToLeft  # the ellipsis lands at the text's end, on the left
    assert option.displayAlignment & Qt.AlignmentFlag.AlignRight
    assert option.textElideMode == Qt.TextElideMode.ElideRight
