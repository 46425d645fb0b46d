"""The window stays quick and readable: the document list's title column in Arabic, and the article view's
switch, long-article and painting paths (the figures themselves are the `ui` benchmark's, not tests')."""
from __future__ import annotations

import pytest
from gui_helpers import make_window

from app.ui.main_window import apply_language

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    apply_language("en")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_document_titles_take_the_room_of_the_list_at_the_default_dock_width(qtbot, project, tmp_path, lang):
    apply_language(lang)
    win = make_window(qtbot, project, tmp_path)
    table = win.documents.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    title = table.columnWidth(win.documents.model.COLUMNS.index("title"))
    ident = table.columnWidth(win.documents.model.COLUMNS.index("id"))
    assert win.documents_dock.width() <= 340  # the default width, not a widened dock
    # A title is readable (a dozen Arabic letters at least) and gets more room than the id beside it.
    assert title >= 90 and title > ident, (lang, title, ident, table.viewport().width())


LONG = "وقال الوزير إن الكويت تدعم التعاون مع حلف الناتو في المنطقة.\n" * 1500  # ~95,000 characters


def painted_suggestions(win) -> set[tuple[int, int]]:
    return {(s, e) for s, e, _, _ in win.view._layers.get("suggestions", [])}


def test_a_long_article_opens_with_its_first_chunk_and_fills_in_while_the_window_runs(qtbot, project, tmp_path):
    key = project.insert_document("long-one", LONG, {})
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(key)
    view = win.view
    # Shown at once from its top, without laying out 95,000 characters in one go.
    assert 0 < view.document().characterCount() < len(LONG) // 2
    # A selection far down the article, made before the rest is in (a jump from the entity list, a search).
    far = LONG.rindex("الناتو")
    view.select_cp(far, far + len("الناتو"))
    assert view.selection_cp() == (far, far + len("الناتو"))
    qtbot.waitUntil(lambda: view.fully_loaded, timeout=5000)
    assert view.toPlainText() == LONG
    assert view.document().characterCount() == len(LONG) + 1  # the text once, nothing doubled or lost


def test_switching_articles_refills_one_document_and_shows_each_whole(qtbot, project, tmp_path):
    win = make_window(qtbot, project, tmp_path)
    keys = [project.document(d).key for d in ("kuwait-nato-colomina", "kuwait-nato-anezi", "kuwait-nato-colomina")]
    doc = win.view.document()
    for k in keys:
        aset = win.session.open_document(k)
        assert win.view.document() is doc  # refilled, not replaced: Qt lays a new document out several times
        assert win.view.toPlainText() == aset.document.text
        win.view.viewport().grab()
        assert {t[0] for t in win.view.tag_rects} <= {e.id for e in aset.entities}


def test_going_back_to_an_article_reuses_its_suggestions_until_something_changes(qtbot, project, tmp_path,
                                                                                   monkeypatch):
    import app.ui.assist as assist_module

    calls: list[str] = []
    real = assist_module.propose
    monkeypatch.setattr(assist_module, "propose", lambda text, *a, **k: (calls.append(text), real(text, *a, **k))[1])
    win = make_window(qtbot, project, tmp_path)
    colomina, anezi = (project.document(d) for d in ("kuwait-nato-colomina", "kuwait-nato-anezi"))
    win.session.open_document(colomina.key)
    first = list(win.assist.items)
    assert first and calls.count(colomina.text) == 1
    win.session.open_document(anezi.key)
    assert win.assist.items is not None
    win.session.open_document(colomina.key)
    assert win.assist.items == first and painted_suggestions(win) == {i.span for i in first}
    assert calls.count(colomina.text) == 1  # back and forth: not computed again
    # An edit is a new state: computed again, and the accepted suggestion is no longer proposed.
    win.view.setFocus()
    win.assist.accept()
    assert calls.count(colomina.text) == 2
    assert first[0].span not in {i.span for i in win.assist.items}


def test_tagging_in_a_long_article_recomputes_suggestions_a_part_per_turn(qtbot, project, tmp_path, monkeypatch):
    import app.ui.assist as assist_module
    from app.ui.undo import AddEntity

    key = project.insert_document("long-one", LONG, {})
    win = make_window(qtbot, project, tmp_path)
    win.session.open_document(key)
    qtbot.waitUntil(lambda: getattr(win.view, "fully_loaded", True) and not win.assist._stale, timeout=10000)
    sizes: list[int] = []
    real = assist_module.propose
    monkeypatch.setattr(assist_module, "propose", lambda text, *a, **k: (sizes.append(len(text)),
                                                                          real(text, *a, **k))[1])
    at = LONG.index("الكويت")
    win.session.undo_stack.push(AddEntity(win.session, key, at, at + len("الكويت"), "GPE"))
    # The edit itself returns at once; the suggestions follow, a paragraph-bounded part per event-loop turn.
    assert sizes == []
    a, b = win.assist._region
    qtbot.waitUntil(lambda: not win.assist._stale, timeout=10000)
    assert len(sizes) > 1 and max(sizes) <= assist_module.PART_CHARS + LONG.index("\n") + 1
    near = [s for s, e in painted_suggestions(win) if LONG[s:e] == "الكويت"]
    assert len(near) > 10 and all(a <= s < b for s in near)  # the new name proposed all over the region


def test_a_tag_or_its_undo_changes_one_item_of_the_speaker_and_target_pickers(qtbot, win, monkeypatch):
    from gui_helpers import drag_select, qt_find
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    pickers = (win.quotes.speaker, win.quotes.target, win.stances.target)
    cleared = []
    for p in pickers:
        monkeypatch.setattr(p, "clear", lambda p=p: (cleared.append(p), type(p).clear(p)))

    def items(p):
        return [(p.itemText(i), p.itemData(i)) for i in range(p.count())]

    def expected():
        rank = {"PER": 0, "ORG": 1, "GPE": 2}
        ents = sorted(win.session.current.entities, key=lambda e: (rank.get(e.label, 3), e.start))
        return [("", None)] + [(f"{e.text}  [{e.label}]", e.id) for e in ents]

    s16, e16 = qt_find(win.view, "الكويت")
    drag_select(win.view, s16, e16)
    QTest.keyClick(win.view, Qt.Key.Key_4)  # GPE
    assert len(win.session.current.entities) == 1
    for p in pickers:
        assert items(p) == expected()
    assert win.stances.target.currentText() == "الكويت  [GPE]"  # the span just tagged is the stance target
    win.session.undo_stack.undo()
    for p in pickers:
        assert items(p) == expected() == [("", None)]
    assert cleared == []  # one item inserted, then removed: never refilled
