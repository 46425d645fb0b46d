"""Adjudication with three annotators on a seed article, through the real review window, down to the gold export."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.exchange.exporter import export_jsonl
from app.core.model import GOLD
from app.core.review.adjudication import compare, human_sets, initial_gold
from app.ui.review_window import ReviewWindow

pytestmark = pytest.mark.gui

QUOTE = "أن الكويت لديها علاقات شراكة متميزة مع “ناتو”"


def span(text, needle, start=0):
    i = text.index(needle, start)
    return i, i + len(needle)


@pytest.fixture
def three(project):
    """amal and sara mostly agree; omar differs on a label, a span, the quote's speaker and the stance."""
    doc = project.document("kuwait-nato-anezi")
    text = doc.text
    name = span(text, "نواف العنزي")
    kuwait = span(text, "الكويت")
    nato = span(text, "حلف شمال الأطلسي")
    north = span(text, "شمال الأطلسي")
    quote = span(text, QUOTE)
    cue = span(text, "أكد")
    for who, kw_label, nato_span, nato_label, speaker_typed, stance in (
            ("amal", "GPE", nato, "ORG", None, "favor"),
            ("omar", "LOC", north, "LOC", "سفير الكويت", "against"),
            ("sara", "GPE", nato, "ORG", None, "favor")):
        e_name = project.add_entity(doc.key, who, *name, "PER")
        project.add_entity(doc.key, who, *kuwait, kw_label)
        project.add_entity(doc.key, who, *nato_span, nato_label)
        project.add_quote(doc.key, who, *quote, speaker=None if speaker_typed else e_name.id,
                          speaker_text=speaker_typed or "", cue=cue, kind="indirect")
        project.add_stance(doc.key, who, stance, target_text="ناتو")
    return doc


def test_compare_finds_the_agreed_and_disputed_units(project, three):
    sets = human_sets({a: project.load(three.key, a) for a in project.set_annotators(three.key)})
    units = compare(sets)
    agreed = [u.key for u in units if u.agreed]
    disputed = [(u.kind, u.start) for u in units if not u.agreed]
    text = three.text
    assert agreed == [f"entity:{text.index('نواف العنزي')}-{text.index('نواف العنزي') + len('نواف العنزي')}"]
    assert disputed == [("entity", text.index("الكويت")), ("entity", text.index("حلف شمال الأطلسي")),
                        ("quote", text.index(QUOTE)), ("stance", -1)]
    gold, _ = initial_gold(sets, "rana")
    assert [(e.label, e.text) for e in gold.entities] == [("PER", "نواف العنزي")]
    assert gold.quotes == [] and gold.stances == []


def test_adjudicate_with_keys_undo_and_export_gold(qtbot, project, three, tmp_path):
    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = win.view
    assert win.session.doc_key == three.key
    assert win.annotators == ["amal", "omar", "sara"]
    # agreed items are already in gold, tagged with who made them
    assert [(e.label, e.text) for e in win.session.current.entities] == [("PER", "نواف العنزي")]
    assert len(win.disagreements) == 4 and win.index == 0
    assert win.table.rowCount() == 4

    QTest.keyClick(view, Qt.Key.Key_N)
    QTest.keyClick(view, Qt.Key.Key_P)  # back to the first disagreement: الكويت GPE / LOC / GPE
    assert win.index == 0
    QTest.keyClick(view, Qt.Key.Key_1)  # accept amal's GPE
    assert win.index == 1  # moved on to the next disagreement: حلف شمال الأطلسي vs شمال الأطلسي
    QTest.keyClick(view, Qt.Key.Key_2)  # accept omar's LOC span
    QTest.keyClick(view, Qt.Key.Key_3)  # the quote: sara's version (speaker linked to the entity)
    QTest.keyClick(view, Qt.Key.Key_X)  # the stance: none ...
    assert win.session.current.stances == []
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # ... undo
    win.focus(3)
    QTest.keyClick(view, Qt.Key.Key_1)  # ... and take amal's favour instead

    gold = project.load(three.key, GOLD)
    assert sorted((e.label, e.text) for e in gold.entities) == [("GPE", "الكويت"), ("LOC", "شمال الأطلسي"),
                                                                 ("PER", "نواف العنزي")]
    prov = gold.provenance
    assert prov["adjudicator"] == "rana" and prov["sources"] == ["amal", "omar", "sara"]
    assert {d["choice"][0] for d in prov["decisions"].values() if d["by"] == "rana"} == {"amal", "omar", "sara"}

    out = tmp_path / "gold.jsonl"
    export_jsonl(project, out, gold=True)
    (line,) = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert line["annotator"] == "gold"
    by_id = {e["id"]: e for e in line["entities"]}
    (q,) = line["quotes"]
    assert q["text"] == QUOTE and by_id[q["speaker"]]["text"] == "نواف العنزي" and q["cue"]["text"] == "أكد"
    assert [(s["label"], s["target_text"], s["scope"]) for s in line["stances"]] == [("favor", "ناتو", "document")]
    for e in line["entities"]:
        assert line["text"][e["start"]:e["end"]] == e["text"]


def test_hand_edit_in_gold_and_accept_all(qtbot, project, three):
    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    QTest.keyClick(win.view, Qt.Key.Key_B)  # الكويت: accept all -> both GPE and LOC on the same span
    labels = sorted(e.label for e in win.session.current.entities if e.text == "الكويت")
    assert labels == ["GPE", "LOC"]
    # by hand: select بلجيكا and label it GPE in gold
    text = three.text
    s, e = span(text, "بلجيكا")
    win.view.select_cp(s, e)
    QTest.keyClick(win.view, Qt.Key.Key_4)
    gold = project.load(three.key, GOLD)
    assert ("GPE", "بلجيكا") in [(x.label, x.text) for x in gold.entities]
    assert win.view._tag_suffix[next(x.id for x in gold.entities if x.text == "بلجيكا")] == "✎"
    win.session.undo_stack.undo()
    win.session.undo_stack.undo()
    assert [e.text for e in project.load(three.key, GOLD).entities] == ["نواف العنزي"]


def test_blind_project_hides_others_until_reviewer(qtbot, project, three, tmp_path, monkeypatch):
    from gui_helpers import make_window
    from PySide6.QtWidgets import QMessageBox

    from app.ui.main_window import MainWindow

    win = make_window(qtbot, project, tmp_path, annotator="amal")
    win.session.open_document(three.key)
    assert project.blind()  # several annotators: blind by default
    assert not win.actions["showOthers"].isEnabled()
    win.actions["showOthers"].setChecked(True)
    win.review.show_others()
    assert win.view._layers["others"] == []  # nothing of omar's or sara's shows
    # opening the review asks first; "No" keeps the annotator blind
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    win.actions["adjudicate"].trigger()
    assert project.role("amal") == "annotator" and win.review.review_window is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    win.actions["adjudicate"].trigger()
    qtbot.addWidget(win.review.review_window)
    assert project.role("amal") == "reviewer"
    assert win.actions["showOthers"].isEnabled()
    win.actions["showOthers"].setChecked(True)
    win.review.show_others()
    assert len(win.view._layers["others"]) == 6  # omar's 3 and sara's 3 entities
    # the reviewer may switch blindness off for everyone
    win.actions["blind"].trigger()
    assert project.blind() is False


def test_gold_provenance_is_exported_and_survives_a_round_trip(qtbot, project, three, tmp_path):
    from app.core.exchange.importer import ImportOptions, import_sources
    from app.core.store import Project

    win = ReviewWindow(project, "rana")
    qtbot.addWidget(win)
    QTest.keyClick(win.view, Qt.Key.Key_1)
    out = tmp_path / "all.jsonl"
    export_jsonl(project, out)
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    gold = next(l for l in lines if l["annotator"] == "gold")
    assert gold["provenance"]["adjudicator"] == "rana"
    assert all("provenance" not in l for l in lines if l["annotator"] != "gold")
    other = Project.create(tmp_path / "other.db")
    import_sources(other, [out], ImportOptions(gold=True))  # gold is moved on purpose: --gold
    again = tmp_path / "again.jsonl"
    export_jsonl(other, again)
    assert again.read_bytes() == out.read_bytes()
    other.close()


def test_agreement_dashboard_shows_the_core_figures_and_opens_worst(qtbot, project, three, tmp_path, monkeypatch):
    from gui_helpers import make_window
    from PySide6.QtWidgets import QMessageBox

    from app.core.review.agreement import project_agreement

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    win = make_window(qtbot, project, tmp_path, annotator="rana")
    win.actions["agreement"].trigger()
    dash = win.review.agreement_dashboard
    qtbot.addWidget(dash)
    qtbot.waitExposed(dash)
    report = project_agreement(project)
    assert dash.pairs.rowCount() == 3  # amal/omar, amal/sara, omar/sara
    row = next(r for r in range(3) if dash.pairs.item(r, 0).text() == "amal / sara")
    assert dash.pairs.item(row, 2).text() == f"{report.pair('amal', 'sara').entities.exact.f1:.3f}" == "1.000"
    assert dash.chart_series.count() == 2 and dash.chart_series.barSets()[0].count() == len(
        report.entities.per_label)
    assert dash.worst.item(0, 0).text() == "kuwait-nato-anezi"
    win.session.open_document(project.document("kuwait-nato-colomina").key)
    dash.worst.setFocus()
    dash.worst.setCurrentCell(0, 0)
    QTest.keyClick(dash.worst, Qt.Key.Key_Return)  # open the worst article
    assert win.session.doc_key == three.key
