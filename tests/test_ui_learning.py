"""Learning from the annotator (issue 15, item 10): a suggestion rejected in the window is remembered by the
project as a pattern and not proposed again (another window, `tawsim suggest`), and cue words of accepted quotes
that the lexicon lacks are proposed for it by `tawsim suggest`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import ANNOTATOR, make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.assist.learning import SETTING

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]


def test_a_rejected_pattern_is_not_proposed_again_in_the_project(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(project.document("kuwait-nato-colomina").key)
    rejected = win.assist.current
    assert rejected.kind == "quote"
    QTest.keyClick(win.view, Qt.Key.Key_Backspace)
    (pattern,) = project.setting(SETTING)
    assert pattern.startswith("quote|")
    assert project.load(project.document("kuwait-nato-colomina").key, ANNOTATOR).quotes == []

    other = make_window(qtbot, project, tmp_path / "other", annotator="omar")  # a new session, another person
    other.session.open_document(project.document("kuwait-nato-colomina").key)
    assert rejected.span not in [i.span for i in other.assist.items]
    assert other.assist.items  # the rest is still proposed

    project.conn.commit()
    out = tmp_path / "s.jsonl"
    r = subprocess.run([sys.executable, "-m", "app", "suggest", str(project.path), str(out), "--kinds", "quotes"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    line = next(json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()
                if json.loads(x)["id"] == "kuwait-nato-colomina")
    assert rejected.span not in [(q["start"], q["end"]) for q in line["quotes"]]
    assert line["quotes"]


def test_suggest_proposes_cue_words_the_lexicon_lacks(project, tmp_path):
    doc = project.document("kuwait-nato-anezi")
    text = doc.text
    cue = text.index("أكد")
    project.add_quote(doc.key, ANNOTATOR, cue + 10, cue + 40, cue=(cue, cue + 3), kind="indirect")
    i = text.index("الكويت")
    project.add_quote(doc.key, ANNOTATOR, i + 10, i + 40, cue=(i, i + 6), kind="indirect")  # "الكويت" as a cue
    project.conn.commit()
    r = subprocess.run([sys.executable, "-m", "app", "suggest", str(project.path), str(tmp_path / "s.jsonl")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "not in the reporting lexicon: الكويت (1)" in r.stdout
    assert "أكد" not in r.stdout.split("lexicon:")[-1]
