"""Live updates: what is committed through another connection (the same annotator on a second desktop, a teammate
importing documents) shows in the open window's document list and progress without a restart, on a server
project (LISTEN/NOTIFY) and on a project file (SQLite's data_version)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.core.exchange.importer import import_sources
from app.core.store import Project
from gui_helpers import ANNOTATOR, make_window

pytestmark = pytest.mark.gui
COLOMINA = "kuwait-nato-colomina"


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request) -> str:
    return request.param


def shown_statuses(win) -> dict[str, str]:
    m = win.documents.model
    return {m.data(m.index(r, 0)): m.row(r).status for r in range(m.rowCount())}


def test_others_committed_edits_appear_in_the_document_list(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    assert shown_statuses(win)[COLOMINA] == "todo"
    with Project.open(project.path) as other:  # a second desktop, its own connection
        doc = other.document(COLOMINA)
        other.add_entity(doc.key, ANNOTATOR, 0, 3, "PER")
        other.set_status(doc.key, ANNOTATOR, "done")
        qtbot.waitUntil(lambda: shown_statuses(win)[COLOMINA] == "done", timeout=5000)
        m = win.documents.model
        row = m.row_of(doc.key)
        assert m.data(m.index(row, 3)) == 1  # the label count too
        assert win.progress.value() == 1
        # A teammate imports more documents: the list grows, the current document stays selected.
        src = tmp_path / "more.jsonl"
        src.write_text(json.dumps({"id": "new-one", "text": "خبر جديد عن الكويت"}, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        import_sources(other, [src])
        qtbot.waitUntil(lambda: win.documents.model.rowCount() == 3, timeout=5000)
        assert "new-one" in shown_statuses(win)
        current = win.session.doc_key
        assert win.documents.table.currentIndex().data(Qt.ItemDataRole.UserRole) == current
    assert win.progress.maximum() == 3


def test_own_edits_do_not_trigger_a_reload(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    win.live_list.poll()
    project.set_status(win.session.doc_key, ANNOTATOR, "done")  # through the window's own connection
    assert win.live_list.poll() is False
