"""Two windows, or two processes, on one project as the same annotator: ids never repeat within a set, an undo never
deletes or overwrites what the other window did since (it says so instead), and opening the project a second time
warns and offers read-only. A crashed process locks nobody out."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from gui_helpers import ANNOTATOR, click_at, drag_select, make_window, qt_find
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.store import schema
from app.core.model import Entity
from app.core.store import Project, StaleEditError
from app.ui import app as ui_app
from app.ui.settings import Settings

pytestmark = pytest.mark.gui
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STALE_UNDO = "this annotation was changed in another window/process since; undo skipped"
STALE_REDO = "this annotation was changed in another window/process since; redo skipped"


@pytest.fixture
def messages(monkeypatch):
    """Every message box the window shows, by its plain text; each is answered with its default (OK)."""
    shown = []

    def fake_exec(box):
        shown.append(box.text())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def second(project):
    """A second connection to the project, as a second window's process has (closed after the windows are)."""
    other = Project.open(project.path)
    yield other
    other.close()


def label(win, needle: str, key) -> None:
    drag_select(win.view, *qt_find(win.view, needle))
    QTest.keyClick(win.view, key)


def stored(project: Project, doc_key: int) -> dict[str, tuple[str, str]]:
    return {e.id: (e.text, e.label) for e in project.load(doc_key, ANNOTATOR).entities}


def ctrl_z(win, shift: bool = False) -> None:
    """Ctrl+Z (Ctrl+Shift+Z) in this window: the user brings it to the front first."""
    win.activateWindow()
    QApplication.processEvents()
    assert QApplication.activeWindow() is win
    mods = Qt.KeyboardModifier.ControlModifier | (Qt.KeyboardModifier.ShiftModifier if shift else
                                                  Qt.KeyboardModifier.NoModifier)
    QTest.keyClick(win, Qt.Key.Key_Z, mods)


def test_two_windows_as_one_annotator_never_reuse_ids_nor_undo_each_others_work(second, qtbot, project, tmp_path,
                                                                               messages):
    other = second
    a = make_window(qtbot, project, tmp_path)
    b = make_window(qtbot, other, tmp_path)
    doc = a.session.doc_key
    assert b.session.doc_key == doc

    label(a, "نواف العنزي", Qt.Key.Key_1)  # A: PER, then deletes it
    (mine,) = a.session.current.entities
    QTest.keyClick(a.view, Qt.Key.Key_Delete)
    assert stored(project, doc) == {}

    label(b, "بلجيكا", Qt.Key.Key_4)  # B: GPE gets a new id, never the one A deleted
    (theirs,) = b.session.current.entities
    assert theirs.id != mine.id

    ctrl_z(a)  # A undoes its delete: its entity is back, B's is untouched
    assert stored(project, doc) == {mine.id: ("نواف العنزي", "PER"), theirs.id: ("بلجيكا", "GPE")}
    assert messages == []

    b.session.open_document(doc)  # B now sees A's entity and relabels it ORG
    click_at(b.view, qt_find(b.view, "نواف العنزي")[0] + 2)
    assert b.session.selected_entity == mine.id
    QTest.keyClick(b.view, Qt.Key.Key_2)
    assert stored(other, doc)[mine.id] == ("نواف العنزي", "ORG")

    stack = a.session.undo_stack
    assert (stack.count(), stack.index()) == (2, 1)
    ctrl_z(a)  # A's undo of its add would delete B's relabelled entity: refused, with the message
    assert messages == [STALE_UNDO]
    assert stored(project, doc) == {mine.id: ("نواف العنزي", "ORG"), theirs.id: ("بلجيكا", "GPE")}
    assert (stack.count(), stack.index()) == (1, 0)  # the refused command left the stack
    assert {e.id: e.label for e in a.session.current.entities} == {mine.id: "ORG", theirs.id: "GPE"}  # shown now
    ctrl_z(a, shift=True)  # redo of A's delete: the entity is not as A left it either
    assert messages == [STALE_UNDO, STALE_REDO]
    assert stored(project, doc) == {mine.id: ("نواف العنزي", "ORG"), theirs.id: ("بلجيكا", "GPE")}
    assert stack.count() == 0


def test_undo_of_a_delete_does_not_relink_what_another_window_changed(project):
    doc = project.list_documents(0, 1)[0].key
    text = project.document(doc).text
    s = text.index("نواف العنزي")
    e = project.add_entity(doc, ANNOTATOR, s, s + len("نواف العنزي"), "PER")
    q = project.add_quote(doc, ANNOTATOR, 0, 10, speaker=e.id)
    removal = project.delete_entity(doc, ANNOTATOR, e.id)  # window A
    other = project.add_entity(doc, ANNOTATOR, 0, 3, "PER")  # window B links the quote to another speaker
    assert other.id != e.id
    project.update_quote(doc, ANNOTATOR, q.id, speaker=other.id)
    with pytest.raises(StaleEditError):
        project.restore_entity(doc, ANNOTATOR, removal)
    assert project.quote(doc, ANNOTATOR, q.id).speaker == other.id
    assert [x.id for x in project.load(doc, ANNOTATOR).entities] == [other.id]


def test_bulk_writes_keep_the_id_counter_above_their_ids(project):
    """Import, merge and adjudication write whole sets with their own ids, tag-all many at once: a later id is
    never one of theirs, even once they are deleted."""
    doc = project.list_documents(0, 1)[0].key
    project.replace_set(doc, ANNOTATOR, "todo", [Entity(f"e{i}", i, i + 1, "PER") for i in range(1, 6)], [], [])
    project.delete_entity(doc, ANNOTATOR, "e5")
    assert project.add_entity(doc, ANNOTATOR, 10, 12, "PER").id == "e6"
    project.delete_entity(doc, ANNOTATOR, "e6")
    assert project.add_entities_bulk(ANNOTATOR, [(doc, 20, 22, "PER"), (doc, 30, 32, "PER")]) == [(doc, "e7"),
                                                                                                  (doc, "e8")]
    project.delete_entities_bulk(ANNOTATOR, [(doc, "e7"), (doc, "e8")])
    assert project.add_entity(doc, ANNOTATOR, 40, 42, "PER").id == "e9"
    q = project.add_quote(doc, ANNOTATOR, 0, 10)
    project.delete_quote(doc, ANNOTATOR, q.id)
    assert project.add_quote(doc, ANNOTATOR, 0, 10).id != q.id


def test_version_3_project_keeps_its_ids_and_counts_on_from_the_highest(tmp_path):
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version in (1, 2, 3):
        for stmt in schema._statements(schema.MIGRATIONS[version]):
            conn.execute(stmt)
        conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
    conn.execute("INSERT INTO labels (kind, name) VALUES ('entity', 'PER'), ('quote_kind', 'direct')")
    conn.execute("INSERT INTO documents (id, text, hash) VALUES ('d', 'نص قديم فيه أسماء كثيرة', 'h')")
    conn.execute("INSERT INTO annotators (name) VALUES ('amal')")
    conn.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (1, 1, 'then')")
    for i, eid in enumerate(("e1", "e7", "person-3", "e2")):
        conn.execute('INSERT INTO entities (set_key, id, start, "end", label) VALUES (1, ?, ?, ?, \'PER\')',
                     (eid, i, i + 1))
    conn.execute("INSERT INTO quotes (set_key, id, start, \"end\", kind) VALUES (1, 'q12', 0, 5, 'direct')")
    conn.close()
    p = Project.open(path)
    assert schema.current_version(p.conn) == schema.SCHEMA_VERSION == 6
    doc = p.document("d").key
    assert sorted(e.id for e in p.load(doc, "amal").entities) == ["e1", "e2", "e7", "person-3"]
    assert p.add_entity(doc, "amal", 5, 8, "PER").id == "e8"  # above the highest, not count + 1
    assert p.add_quote(doc, "amal", 4, 9).id == "q13"
    p.close()


# ---- the project already open in another process ------------------------------------------------------------
def _wait_for_lease(path, annotator: str, proc, timeout: float = 60.0) -> None:
    p = Project.open(path)
    try:
        deadline = time.monotonic() + timeout
        while not p.open_elsewhere(annotator):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the other window never opened"
            time.sleep(0.1)
    finally:
        p.close()


def test_second_process_is_warned_and_read_only_refuses_edits_and_a_killed_one_locks_nobody_out(
        qtbot, project, tmp_path, monkeypatch):
    path = project.path
    project.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / "config")}
    first = subprocess.Popen([sys.executable, "-m", "app", str(path), "--annotator", ANNOTATOR], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_lease(path, ANNOTATOR, first)

        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        monkeypatch.setattr(ui_app, "Settings", lambda: settings)
        asked, answer, seen = [], [QMessageBox.StandardButton.Open], {}

        def fake_exec(box):
            asked.append(box.text())
            return answer[0]

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)

        class App:  # the real startup, with the event loop replaced by what the user does in the window
            def exec(self):
                from app.ui.main_window import MainWindow

                win = MainWindow.live
                qtbot.addWidget(win)
                win.show()
                qtbot.waitExposed(win)
                seen["title"] = win.windowTitle()
                label(win, "بلجيكا", Qt.Key.Key_4)
                seen["entities"] = list(win.session.current.entities)
                seen["status"] = win.statusBar().currentMessage()
                qtbot.wait(20)  # the window's deferred work runs while the project is open, as in a real session
                win.close()
                return 0

        monkeypatch.setattr(ui_app, "ensure_app", App)
        assert ui_app.run([str(path), "--annotator", ANNOTATOR]) == 0
        assert len(asked) == 2  # the warning, then the refused edit
        assert f"{path} is already open for {ANNOTATOR} in another window" in asked[0]
        assert f"process {first.pid} on " in asked[0]
        assert asked[1].startswith("This window is read-only")
        assert seen["entities"] == [] and seen["status"] == asked[1] and "(read-only)" in seen["title"]
    finally:
        first.send_signal(signal.SIGKILL)  # a crash: its lease stays behind
        first.wait()

    asked.clear()
    assert ui_app.run([str(path), "--annotator", ANNOTATOR]) == 0
    assert asked == []  # the dead process's lease is ignored: no warning, and the window can edit
    assert [(e.text, e.label) for e in seen["entities"]] == [("بلجيكا", "GPE")]
    check = Project.open(path)
    assert check.open_elsewhere(ANNOTATOR) == []  # both windows' leases are gone (closed, or dead and purged)
    assert [e.label for e in check.load(check.list_documents(0, 1)[0].key, ANNOTATOR).entities] == ["GPE"]
    check.close()
