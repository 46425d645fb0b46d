"""Assignment and progress in the window: an annotator's assigned documents come first in the document list (bold),
Ctrl+Enter goes to their next assigned unfinished document, and Review → Progress… shows per annotator figures that
follow what teammates save (the live list), on a project file and on a server."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.exchange.importer import import_sources
from app.core.review.assignment import assign
from app.core.store import Project
from gui_helpers import make_window

pytestmark = pytest.mark.gui


def corpus(target, tmp_path, n: int = 5) -> Project:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"نشرة الطقس رقم {i}: سماء صافية ورياح خفيفة.\n", encoding="utf-8")
    p = Project.create(target)
    import_sources(p, [folder])
    return p


def listed_ids(win) -> list[str]:
    m = win.documents.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def test_my_documents_first_and_ctrl_enter_goes_to_the_next_assigned(qtbot, tmp_path):
    p = corpus(tmp_path / "p.db", tmp_path)
    keys = {i: p.document(f"a{i}").key for i in range(5)}
    p.replace_assignments({keys[3]: ["amal", "omar"], keys[1]: ["amal"], keys[4]: ["omar"]})
    win = make_window(qtbot, p, tmp_path, annotator="amal")
    qtbot.wait(20)  # let the shown window settle (as between a fixture and its test), so shortcuts reach it
    assert listed_ids(win) == ["a1", "a3", "a0", "a2", "a4"]
    assert win.session.doc_key == keys[1]  # the window opens on the annotator's first assigned document
    m = win.documents.model
    assert m.data(m.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    assert m.data(m.index(2, 0), Qt.ItemDataRole.FontRole) is None
    win.session.open_document(keys[0])
    assert win.documents.table.currentIndex().row() == 2  # the list still finds the shown document
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.session.doc_key == keys[1]  # not a1's neighbour in key order by chance: a0 -> a1 is also next...
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.session.doc_key == keys[3]  # ...but a1 -> a3 skips a2: only assignments lead here
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert win.session.doc_key == keys[4]  # every assigned one done: the next not done, as before
    assert {k: p.load(keys[k], "amal").status for k in (0, 1, 3)} == {0: "done", 1: "done", 3: "done"}


@pytest.mark.parametrize("store_backend", ["sqlite", "postgres"])
def test_progress_view_follows_what_teammates_save(qtbot, tmp_path, project_target, store_backend):
    p = corpus(project_target, tmp_path, 4)
    assign(p, ["amal", "omar"], 1, seed=3)
    win = make_window(qtbot, p, tmp_path, annotator="amal")
    qtbot.wait(20)
    win.actions["progress"].trigger()
    view = win.review.progress_view
    qtbot.waitExposed(view)

    def shown() -> dict[str, list[str]]:
        table = view.table
        return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
                for r in range(table.rowCount())}

    assert shown()["amal"][1:6] == ["2", "2", "0", "0", "0"]  # assigned, open, done, skipped, flagged
    with Project.open(p.path) as other:  # omar, on his desktop
        doc = other.assigned_documents("omar")[0]
        other.set_status(doc, "omar", "done")
    qtbot.waitUntil(lambda: shown()["omar"][1:4] == ["2", "1", "1"], timeout=5000)
    win.session.open_document(p.assigned_documents("amal")[0])
    win.actions["doneNext"].trigger()  # amal's own Ctrl+Enter (the progress view has the keyboard focus)
    qtbot.waitUntil(lambda: shown()["amal"][1:4] == ["2", "1", "1"], timeout=5000)


def test_an_annotator_login_cannot_make_itself_the_reviewer(qtbot, tmp_path, pg_url, _no_modal_message_box_waits):
    """Review → I am the reviewer used to be one click for anyone; on a server the database refuses it, and the
    window says so and shows the role unchanged."""
    corpus(pg_url, tmp_path, 2).close()
    name = "amal_" + pg_url.rsplit("%3D", 1)[1]
    with Project.open(pg_url) as owner:
        owner.add_user(name, "pw", "annotator")
    p = Project.open(pg_url.replace("postgresql://postgres@", f"postgresql://{name}@"))
    win = make_window(qtbot, p, tmp_path, annotator=p.login_name())
    win.actions["reviewerRole"].trigger()
    assert any("refused for the login" in text for text in _no_modal_message_box_waits)
    assert not win.actions["reviewerRole"].isChecked()
    with Project.open(pg_url) as owner:
        assert owner.role(name) == "annotator"
    # (the window and its connection go with the test: closing the connection under a live window makes its
    # timers raise, which this branch's base does not yet absorb)
