"""The trained model in the window: its suggestions with their confidence, accept-all-above-threshold in one key,
retraining in the background from the menu, the status line, and a damaged model that never stops the window."""
from __future__ import annotations

import pytest
from gui_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.exchange.importer import ImportOptions, import_sources
from app.ui.model_suggest import ModelMatch
from test_learn import write_corpus

pytestmark = pytest.mark.gui


@pytest.fixture
def news(project, tmp_path):
    """The seed project plus 6 imported (done) news-like documents to learn from."""
    corpus = tmp_path / "news.conll"
    write_corpus(corpus, 6, sentences=4)
    import_sources(project, [corpus], ImportOptions(format="conll"))
    (tmp_path / "fresh.txt").write_text("قال الرئيس سعيد ناصر في طرابلس إن الناتو سيجتمع غدا .\n"
                                        "قال الرئيس هدى سالم في دمشق إن الجامعة العربية سيجتمع غدا .\n",
                                        encoding="utf-8")
    import_sources(project, [tmp_path / "fresh.txt"])
    return project


def test_background_training_then_model_suggestions_accepted_above_threshold_in_one_key(qtbot, news, tmp_path):
    win = make_window(qtbot, news, tmp_path)
    doc = news.document("fresh").key
    win.session.open_document(doc)
    assert not any(isinstance(i.proposal, ModelMatch) for i in win.assist.items)  # no model yet
    win.actions["retrainModel"].trigger()
    assert win.model_label.text() == "Retraining the model in the background..."  # the window did not wait
    qtbot.waitUntil(lambda: win.model_label.text().startswith("Model in use: LOC, ORG, PER; held-out entity F1"),
                    timeout=60_000)
    assert news.model_names() == ["default"]
    model_items = [i.proposal for i in win.assist.items if isinstance(i.proposal, ModelMatch)]
    assert {(m.text, m.label) for m in model_items} >= {("سعيد ناصر", "PER"), ("طرابلس", "LOC"), ("هدى سالم", "PER")}
    assert all(0 < m.confidence <= 1 for m in model_items)
    news.set_setting("model_threshold", 0.5)
    confident = {(m.start, m.end, m.label) for m in model_items if m.confidence >= 0.5}
    win.view.setFocus()
    QTest.keyClick(win.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    saved = {(e.start, e.end, e.label) for e in news.load(doc, "amal").entities}
    assert saved == confident
    win.session.undo_stack.undo()
    assert len(news.load(doc, "amal").entities) == len(confident) - 1  # each acceptance is its own undo step


def test_a_damaged_model_in_the_project_is_reported_and_the_window_goes_on(qtbot, project, tmp_path):
    project.save_model("default", b"TAWSIM-NER\nnot really", 1, ["PER"], {})
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(project.document("kuwait-nato-colomina").key)
    assert win.assist.items is not None  # suggestions (the gazetteer's, the quotes') still computed
    assert win.model_label.text().startswith("Model not used: the project's model: damaged model file")
    assert not any(isinstance(i.proposal, ModelMatch) for i in win.assist.items)


def test_active_learning_opens_the_document_the_model_is_least_sure_of(qtbot, news, tmp_path):
    from app.core.learn.modelfile import FORMAT_VERSION
    from app.core.learn.sequences import CliticCutter, plain_sentences
    from app.core.learn.training import train_project

    m = train_project(news, evaluate_first=False).model
    news.save_model("default", m.to_bytes(), FORMAT_VERSION, m.labels, m.metrics)
    win = make_window(qtbot, news, tmp_path)
    first = news.document("news-1").key
    win.session.open_document(first)
    tagger = m.tagger()
    todo = [k for k in news.document_keys("amal", "todo") if k != first]
    unsure = {k: tagger.uncertainty(plain_sentences(news.document(k).text, news.document(k).meta, CliticCutter()))
              for k in todo}
    rotated = [k for k in todo if k > first] + [k for k in todo if k < first]
    want = max(rotated, key=lambda k: (unsure[k], -rotated.index(k)))
    assert want != news.next_document(first, "amal")  # list order would open another one
    win.actions["activeOrder"].trigger()
    win.actions["doneNext"].trigger()  # Annotate > Done and next
    assert win.session.doc_key == want
    win.actions["activeOrder"].trigger()  # off: list order again
    expected = news.next_document(want, "amal")
    win.actions["doneNext"].trigger()
    assert win.session.doc_key == expected
