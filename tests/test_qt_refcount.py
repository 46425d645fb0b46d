"""Guard against a PySide6 binding bug: 6.12.0's QPainter calls drop a reference to None each time, and Python
3.11 aborts ("deallocating None") after a few thousand paints. pyproject pins a good version; this fails loudly
if an upgrade brings the bug back."""
from __future__ import annotations

import sys

import pytest
from gui_helpers import make_window

pytestmark = pytest.mark.gui


def test_painting_the_article_does_not_leak_references_to_none(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    doc = win.session.current.document
    text = doc.text
    for i in range(0, 400, 20):  # a few spans to paint: highlights, bars, tags, marks
        project.add_entity(doc.key, "amal", i, i + 5, "PER")
    win.session.open_document(doc.key)
    win.view.set_marks([(0, 10, "#888888", True)], "test")
    win.view.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(30):
        win.view.viewport().repaint()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 30 paints: a broken PySide6 build ({len(text)})"
