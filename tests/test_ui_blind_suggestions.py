"""Issue 13 item 5: a blind annotator's suggestions come from their own work, gold, the imported gazetteer and the
rules only: a name another annotator tagged is never proposed to them (Enter would copy it and inflate agreement)."""
from __future__ import annotations

import pytest
from gui_helpers import make_window
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.model import GOLD

pytestmark = pytest.mark.gui


def span(text, needle):
    i = text.index(needle)
    return i, i + len(needle)


def proposed(win) -> set[tuple[str, str]]:
    return {(i.proposal.text, i.proposal.label) for i in win.assist.items if i.kind == "entity"}


def test_blind_annotator_is_never_proposed_another_annotators_names(qtbot, project, tmp_path):
    anezi, colomina = project.document("kuwait-nato-anezi"), project.document("kuwait-nato-colomina")
    project.add_entity(anezi.key, "omar", *span(anezi.text, "بلجيكا"), "GPE")  # omar's work on another desktop
    project.add_entity(colomina.key, "amal", *span(colomina.text, "الكويت"), "GPE")  # amal's own, elsewhere
    project.add_entity(colomina.key, GOLD, *span(colomina.text, "حلف شمال الأطلسي"), "ORG")  # adjudicated
    project.add_gazetteer_entries([("الاتحاد الأوروبي", "ORG")])  # imported from a file
    assert project.blind() and not project.can_see_others("amal")

    win = make_window(qtbot, project, tmp_path, annotator="amal")
    win.session.open_document(anezi.key)
    names = proposed(win)
    assert ("بلجيكا", "GPE") not in names  # omar's
    assert {("الكويت", "GPE"), ("حلف شمال الأطلسي", "ORG"), ("الاتحاد الأوروبي", "ORG")} <= names
    for _ in range(len(win.assist.items)):  # Enter on every suggestion
        QTest.keyClick(win.view, Qt.Key.Key_Return)
    assert "بلجيكا" not in {e.text for e in project.load(anezi.key, "amal").entities}

    # the reviewer (who sees everyone's work) gets omar's names too, as before
    project.set_role("amal", "reviewer")
    win.assist.refresh()
    assert ("بلجيكا", "GPE") in proposed(win)
