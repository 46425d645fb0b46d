"""My documents first, paged: the annotator's assigned documents lead the document list, and a page that crosses
from them to the others (read by key forwards or backwards, or by position from either end) shows the right rows;
a document's row is right in each part, with or without a status filter, on both backends."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import app.ui.document_list as document_list
from app.core.store import Project

from gui_helpers import make_window

N = 30


@pytest.mark.parametrize("store_backend", ["sqlite", "postgres"])
def test_assigned_first_pages_across_the_boundary(qtbot, tmp_path, monkeypatch, project_target, store_backend):
    monkeypatch.setattr(document_list, "PAGE_SIZE", 4)  # 30 rows in 8 pages: the boundaries fall inside pages
    monkeypatch.setattr(document_list, "MAX_PAGES", 2)  # so pages are read again by every path
    p = Project.create(project_target)
    with p.transaction():
        keys = [p.insert_document(f"doc-{i:02d}", f"نص المقالة رقم {i}", {}) for i in range(N)]
    amal = [keys[i] for i in (5, 11, 17, 23, 29)]  # 5 rows first: the boundary is in page 1 (rows 4-7)
    omar = [k for i, k in enumerate(keys) if i % 3 or i > 25]  # 19 rows: the boundary in page 4, read from the end
    p.replace_assignments({k: [n for n, mine in (("amal", amal), ("omar", omar)) if k in mine] for k in keys
                           if k in amal or k in omar})
    for i in (0, 5, 9, 14, 17, 20, 26):
        p.set_status(keys[i], "amal", "done")
        p.set_status(keys[i], "omar", "done")
    for name, mine in (("amal", amal), ("omar", omar)):
        win = make_window(qtbot, p, tmp_path, annotator=name)
        model, panel = win.documents.model, win.documents
        for status in (None, "done", "todo"):
            panel.status.setCurrentIndex(panel.status.findData(status))
            listed = [k for k in keys if status is None or (p.load(k, name).status == status)]
            expected = [k for k in listed if k in mine] + [k for k in listed if k not in mine]
            assert model.rowCount() == len(expected)
            for order in (range(len(expected)), reversed(range(len(expected))), (6, 1, 17, 12, 3, 9, 18)):
                model.reload()
                for r in order:
                    if r < len(expected):
                        assert model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) == \
                            expected[r], (name, status, list(order), r)
            model.reload()  # no page held: the row comes from the project
            assert [model.row_of(k) for k in expected] == list(range(len(expected)))
            assert [model.row_of(k) for k in keys if k not in listed] == [None] * (N - len(listed))
            bold = [r for r in range(len(expected)) if model.data(model.index(r, 0),
                                                                  Qt.ItemDataRole.FontRole)]
            assert bold == list(range(sum(k in mine for k in expected)))
        win.close()
