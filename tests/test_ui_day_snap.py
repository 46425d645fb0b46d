"""Snapping as an annotator meets it: a drag that stops inside a bracket, a preposition glued to a known noun."""
from __future__ import annotations

import pytest
from gui_helpers import ANNOTATOR, drag_select, exported, qt_find
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.assist.clitics import snap

pytestmark = pytest.mark.gui



def label(win, needle: str, key, start_in: int = 0, length=None) -> None:
    s16, _ = qt_find(win.view, needle)
    drag_select(win.view, s16 + start_in, s16 + start_in + (len(needle) if length is None else length))
    QTest.keyClick(win.view, key)


def test_span_never_keeps_half_a_bracket_and_drops_lam_before_a_known_noun(win, project, tmp_path):
    label(win, "حلف شمال الأطلسي (الناتو) الخاص", Qt.Key.Key_2, length=len("حلف شمال الأطلسي (الناتو"))
    label(win, "لوكالة الأنباء الكويتية", Qt.Key.Key_2)
    got = sorted(e.text for e in win.session.current.entities)
    assert got == sorted(["حلف شمال الأطلسي (الناتو)", "وكالة الأنباء الكويتية"])
    line = next(l for l in exported(project, tmp_path, annotator=ANNOTATOR) if l["entities"])
    assert sorted(e["text"] for e in line["entities"]) == got


@pytest.mark.parametrize("text, selected, expected", [
    ("عام حلف شمال الأطلسي (الناتو) الخاص", "حلف شمال الأطلسي (الناتو", "حلف شمال الأطلسي (الناتو)"),
    ("مع (ناتو لاسيما دخول", "(ناتو لاسيما", "ناتو لاسيما"),          # no closer follows: stop after the opener
    ("الناتو) في عام", "الناتو) في", "في"),                          # a lone closer: start after it
    ("عن «الناتو» اليوم", "«الناتو» اليوم", "«الناتو» اليوم"),       # a whole pair stays
    ('عام "الناتو" يثمن', 'الناتو" يثمن', "الناتو"),                  # an odd " : stop before it
    ("كولومينا لوكالة الأنباء", "لوكالة الأنباء", "وكالة الأنباء"),  # ل + a known noun
    ("قال للجنة اليوم", "للجنة", "لجنة"),                            # ل + لجنة, not ل + ال
    ("قال لجنة اليوم", "لجنة", "لجنة"),                              # لجنة is a word of its own
])
def test_balanced_snapping_table(text, selected, expected):
    i = text.index(selected)
    s, e = snap(text, i, i + len(selected))
    assert text[s:e] == expected
