"""Issue 13 item 7 through the real widgets: a quote's row shows each annotator's span, speaker, cue and kind; V
shows two annotators' versions side by side; agreement figures show their support, a warning below the minimum
and a seeded bootstrap interval (window and `tawsim agreement --json`)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from app.core.review.agreement import DocAnnotations, SetRows, compute
from app.ui.review_window import ReviewWindow
from test_ui_review import QUOTE, span, three  # noqa: F401  (fixture: amal, omar, sara; 4 disagreements)

pytestmark = pytest.mark.gui


def test_a_quote_row_spells_out_every_annotators_version(qtbot, project, three):
    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    row = next(r for r, u in enumerate(win.disagreements) if u.kind == "quote")
    cells = {win.table.horizontalHeaderItem(c).text(): win.table.item(row, c).text()
             for c in range(1, win.table.columnCount() - 1)}
    s, e = span(three.text, QUOTE)
    cs, ce = span(three.text, "أكد")
    for name, speaker in (("1: amal", "نواف العنزي"), ("2: omar", "سفير الكويت"), ("3: sara", "نواف العنزي")):
        assert f"span {s}–{e}" in cells[name]
        assert f"speaker: {speaker}" in cells[name]
        assert f"cue: أكد ({cs}–{ce})" in cells[name] and "kind: indirect" in cells[name]


def test_v_shows_two_annotators_side_by_side(qtbot, project, three):
    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.index == 0  # الكويت: amal and sara say GPE, omar LOC
    QTest.keyClick(win.view, Qt.Key.Key_V)
    side = win.side
    qtbot.waitExposed(side)
    assert side.shown == ("amal", "omar")
    text = three.text
    kuwait, nato, north = span(text, "الكويت"), span(text, "حلف شمال الأطلسي"), span(text, "شمال الأطلسي")
    assert side.only_in(0) == sorted([(*kuwait, "GPE"), (*nato, "ORG")])
    assert side.only_in(1) == sorted([(*kuwait, "LOC"), (*north, "LOC")])
    assert [(m[0], m[1]) for m in side.views[1]._layers["difference"]] == sorted([kuwait, north])
    assert side.views[0].toPlainText() == side.views[1].toPlainText()
    side.pickers[1].setCurrentText("sara")  # amal and sara agree on every entity
    assert side.only_in(0) == side.only_in(1) == [] and side.views[0]._layers["difference"] == []
    QTest.keyClick(side, Qt.Key.Key_Escape)
    assert not side.isVisible()


def test_dashboard_shows_support_intervals_and_warns_on_too_few_items(qtbot, project, three, tmp_path,
                                                                      monkeypatch):
    from gui_helpers import make_window

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    win = make_window(qtbot, project, tmp_path, annotator="rana")
    win.actions["agreement"].trigger()
    dash = win.review.agreement_dashboard
    qtbot.addWidget(dash)
    table = dash.confidence
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 5)] for r in range(table.rowCount())}
    assert rows["stance alpha"] == ["1", "1", "—", "only 1 item(s): not a figure to rely on"]
    assert rows["entities exact F1 amal ~ sara"][0] == "6"  # 3 entities each, one document: no interval either
    assert rows["entities exact F1"][0] == "18" and rows["entities exact F1"][3] == ""  # 3 pairs x 6: enough


def many_documents(n=30):
    docs = []
    for k in range(n):
        a = frozenset({(0, 4, "PER"), (10, 14, "ORG"), (20, 24, "GPE")})
        b = a if k % 3 else frozenset({(0, 4, "PER"), (10, 14, "GPE")})
        stance_a = "favor" if k % 2 else "against"
        stance_b = stance_a if k % 5 else "neutral"
        docs.append(DocAnnotations(k, f"d{k}", {
            "amal": SetRows(a, [], [(stance_a, "الناتو", "document")]),
            "omar": SetRows(b, [], [(stance_b, "الناتو", "document")])}))
    return docs


def test_intervals_are_seeded_contain_the_figure_and_count_their_items():
    report, again = compute(many_documents()), compute(many_documents())
    iv = report.intervals()
    assert {k: v.to_dict() for k, v in iv.items()} == {k: v.to_dict() for k, v in again.intervals().items()}
    f1 = iv["entities exact F1"]
    assert f1.items == 30 * 3 + 20 * 3 + 10 * 2 and f1.documents == 30 and f1.reliable
    assert f1.low < report.entities.exact.f1 < f1.high < 1
    kappa = iv["stance kappa"]
    assert kappa.items == 30 and kappa.low < report.stance.cohen_kappa < kappa.high
    one = compute(many_documents(1)).intervals()["stance kappa"]
    assert one.items == 1 and not one.reliable and one.low is None


def test_cli_agreement_reports_support_and_intervals(project, three, capsys):
    from app.cli import main

    assert main(["agreement", str(project.path), "--json"]) == 0
    conf = json.loads(capsys.readouterr().out)["confidence"]
    assert conf["speaker alpha"] == {"items": 1, "documents": 1, "ci95": [None, None],
                                     "warning": "rests on 1 item(s), fewer than 10: not a figure to rely on"}
    assert main(["agreement", str(project.path)]) == 0
    out = capsys.readouterr().out
    assert "stance alpha" in out and "WARNING: rests on 1 item(s)" in out
