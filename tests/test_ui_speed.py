"""The window stays quick and readable: the document list's title column in Arabic, and the article view's
switch, long-article and painting paths (the figures themselves are the `ui` benchmark's, not tests')."""
from __future__ import annotations

import pytest
from gui_helpers import make_window

from app.ui.main_window import apply_language

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    apply_language("en")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_document_titles_take_the_room_of_the_list_at_the_default_dock_width(qtbot, project, tmp_path, lang):
    apply_language(lang)
    win = make_window(qtbot, project, tmp_path)
    table = win.documents.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    title = table.columnWidth(win.documents.model.COLUMNS.index("title"))
    ident = table.columnWidth(win.documents.model.COLUMNS.index("id"))
    assert win.documents_dock.width() <= 340  # the default width, not a widened dock
    # A title is readable (a dozen Arabic letters at least) and gets more room than the id beside it.
    assert title >= 90 and title > ident, (lang, title, ident, table.viewport().width())
