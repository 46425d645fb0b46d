"""Issue 13 items 4, 6, 9: gold is in progress until every disagreement has a decision (or the reviewer marks it
done and confirms the open ones), `export --gold` ships done gold only; a reviewer does not adjudicate their own
documents unless the project allows it; the adjudication window closes with the main window and on Esc/Ctrl+W/Q."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.cli import main
from app.core.model import GOLD
from app.core.review.adjudication import SELF_ADJUDICATION
from app.ui.review_window import ReviewWindow
from test_ui_review import three  # noqa: F401  (fixture: amal, omar, sara on one article, 4 disagreements)

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]


def export_gold(project, tmp_path, *flags, subprocess_=False) -> list[dict]:
    """`tawsim export P OUT --gold [flags]`: as a subprocess where the flag itself is under test, in-process (the
    same main()) where only the state it reads is."""
    out = tmp_path / "gold.jsonl"
    argv = ["export", str(project.path), str(out), "--gold", *flags]
    if subprocess_:
        r = subprocess.run([sys.executable, "-m", "app", *argv], cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    else:
        assert main(argv) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def review(qtbot, project, who="rana") -> ReviewWindow:
    win = ReviewWindow(project, who)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    front(win)
    return win


def front(win) -> None:
    """The user brings the window to the front: its shortcuts (Ctrl+Enter, Ctrl+W ...) answer there."""
    win.activateWindow()
    QApplication.processEvents()
    assert QApplication.activeWindow() is win


def test_gold_is_in_progress_until_every_disagreement_is_decided(qtbot, project, three, tmp_path):
    win = review(qtbot, project)
    assert project.status_of(three.key, GOLD)[0] == "todo"  # opening the window saves gold in progress
    assert win.state.text() == "Gold: in progress, 4 of 4 disagreement(s) open"
    assert export_gold(project, tmp_path, subprocess_=True) == []  # nothing half-finished ships as final gold
    (line,) = export_gold(project, tmp_path, "--include-unfinished", subprocess_=True)
    assert line["status"] == "todo" and [e["text"] for e in line["entities"]] == ["نواف العنزي"]

    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        QTest.keyClick(win.view, key)
    assert project.status_of(three.key, GOLD)[0] == "todo"
    assert win.state.text() == "Gold: in progress, 1 of 4 disagreement(s) open"
    QTest.keyClick(win.view, Qt.Key.Key_X)  # the last one: a decision too ("none")
    assert project.status_of(three.key, GOLD)[0] == "done" and win.state.text() == "Gold: done"
    (line,) = export_gold(project, tmp_path)
    assert line["status"] == "done" and len(line["entities"]) == 3
    win.session.undo_stack.undo()  # undo the last decision
    assert project.status_of(three.key, GOLD)[0] == "todo"
    assert export_gold(project, tmp_path) == []


def test_marking_gold_done_asks_to_confirm_the_open_disagreements(qtbot, project, three, tmp_path, monkeypatch):
    win = review(qtbot, project)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    asked = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer)
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert asked and asked[0].startswith("3 disagreement(s) have no decision")
    assert project.status_of(three.key, GOLD)[0] == "todo"
    answer = QMessageBox.StandardButton.Yes
    QTest.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (line,) = export_gold(project, tmp_path)
    assert line["status"] == "done"
    marked = line["provenance"]["marked_done"]
    assert marked["by"] == "rana" and len(marked["open"]) == 3  # the export says which were left open
    win.session.undo_stack.undo()
    assert project.status_of(three.key, GOLD)[0] == "todo"


def test_export_gold_flags(project, three, tmp_path, capsys):
    assert main(["export", str(project.path), str(tmp_path / "o.jsonl"), "--include-unfinished"]) == 1
    assert "--include-unfinished goes with --gold" in capsys.readouterr().err
    assert main(["export", str(project.path), str(tmp_path / "o.jsonl"), "--gold", "--status", "todo"]) == 1
    assert "--gold exports done gold only; add --include-unfinished" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_a_reviewer_does_not_adjudicate_their_own_document_unless_the_project_allows(qtbot, project, three):
    project.set_role("amal", "reviewer")
    win = review(qtbot, project, "amal")
    assert win.docs.count() == 0 and not project.has_set(three.key, GOLD)
    assert win.notice.isVisibleTo(win) and "not allow self-adjudication" in win.notice.text()
    with pytest.raises(PermissionError):
        win.open_document(three.key)
    assert not project.has_set(three.key, GOLD)
    win.close()

    project.set_setting(SELF_ADJUDICATION, True)
    win = review(qtbot, project, "amal")
    assert win.docs.count() == 1 and project.has_set(three.key, GOLD)
    assert win.notice.isVisibleTo(win) and win.notice.text().startswith("This project allows reviewers")
    # someone who annotated nothing here sees no notice
    project.set_setting(SELF_ADJUDICATION, False)
    assert not review(qtbot, project, "rana").notice.isVisibleTo(win)


def test_adjudication_window_closes_with_the_main_window_and_on_its_keys(qtbot, project, three, tmp_path,
                                                                         monkeypatch):
    from gui_helpers import make_window

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    main = make_window(qtbot, project, tmp_path, annotator="rana")
    main.actions["adjudicate"].trigger()
    rw = main.review.review_window
    qtbot.addWidget(rw)
    qtbot.waitExposed(rw)
    main.close()
    assert not rw.isVisible()

    for key, mods in ((Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)):
        rw.show()
        qtbot.waitExposed(rw)
        front(rw)
        rw.view.setFocus()
        QTest.keyClick(rw.view, key, mods)
        assert not rw.isVisible(), key
    # Esc with text selected clears the selection first, as in the main window
    rw.show()
    qtbot.waitExposed(rw)
    rw.view.select_cp(0, 5)
    QTest.keyClick(rw.view, Qt.Key.Key_Escape)
    assert rw.isVisible() and not rw.view.selection_cp()


def test_only_a_reviewer_turns_self_adjudication_on_and_is_asked_first(qtbot, project, three, tmp_path,
                                                                        monkeypatch):
    from gui_helpers import make_window

    win = make_window(qtbot, project, tmp_path, annotator="amal")
    action = win.actions["selfAdjudication"]
    assert not action.isEnabled() and not action.isChecked()  # off by default; an annotator cannot change it
    project.set_role("amal", "reviewer")
    win.review.sync()
    assert action.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    action.trigger()
    assert not action.isChecked() and not project.setting(SELF_ADJUDICATION, False)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    action.trigger()
    assert action.isChecked() and project.setting(SELF_ADJUDICATION) is True
    win.actions["adjudicate"].trigger()
    rw = win.review.review_window
    qtbot.addWidget(rw)
    assert rw.docs.count() == 1 and rw.notice.text().startswith("This project allows reviewers")
