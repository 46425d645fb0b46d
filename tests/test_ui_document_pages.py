"""The window's document list on a big project reads pages, never every key: opening it, scrolling, jumping to the
end, filtering by status and finding the open document each read a page (or a count), and every row shown is the
right document."""
from __future__ import annotations

from PySide6.QtWidgets import QTableView

from app.core.store import Project

from gui_helpers import make_window

N = 1000


def test_the_document_list_pages_by_key_and_shows_the_right_rows(qtbot, tmp_path):
    project = Project.create(tmp_path / "p.db")
    with project.transaction():
        keys = [project.insert_document(f"doc-{i:04d}", f"نص المقالة رقم {i}", {}) for i in range(N)]
    for k in keys[::7]:
        project.set_status(k, "amal", "done")
    statements: list[str] = []
    project.conn.set_trace_callback(statements.append)
    win = make_window(qtbot, project, tmp_path)
    table = win.findChild(QTableView, "documentTable")
    model, panel = table.model(), win.documents

    def shown(r: int) -> str:
        return model.data(model.index(r, 0))

    assert model.rowCount() == N
    for r in (0, 199, 200, 999, 800, 799, 500, 401, 0):  # scroll, jump to the end, back, the middle
        assert shown(r) == f"doc-{r:04d}"
    panel.status.setCurrentIndex(panel.status.findData("done"))
    done = keys[::7]
    assert model.rowCount() == len(done)
    for r in (0, len(done) - 1, 100, 99):
        assert shown(r) == f"doc-{keys.index(done[r]):04d}"
    assert model.row_of(done[120]) == 120 and model.row_of(keys[1]) is None
    panel.status.setCurrentIndex(panel.status.findData("todo"))
    assert model.rowCount() == N - len(done) and shown(0) == "doc-0001" and shown(N - len(done) - 1) == "doc-0999"
    project.conn.set_trace_callback(None)
    whole = [s for s in statements if "FROM documents" in s and "LIMIT" not in s and "count(" not in s
             and "key = " not in s]
    assert whole == []  # no statement read the whole list
