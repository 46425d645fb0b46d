"""Clitic snapping on real news (issue 15, item 11): a proclitic before a name of one or several words is
dropped, and a word that merely starts like a clitic is never cut. Measured on the hand-tagged entities of the
news gold: every name written with a proclitic, selected with it, must snap to the name."""
from __future__ import annotations

import pytest

from app.core.assist.clitics import Snapper, snap, vocabulary
from app.core.assist.suggest import cue_forms
from app.core.text.arabic import normalize
from quote_scoring import gold_records


@pytest.mark.parametrize("word", ["فالنسيا", "بالتيمور", "والتر", "والدة", "والي", "كولومبيا", "فلوريدا", "ككل"])
def test_a_word_that_starts_like_a_clitic_is_never_cut(word):
    text = f"وصل {word} اليوم"
    s, e = snap(text, 4, 4 + len(word))
    assert text[s:e] == word


@pytest.mark.parametrize("selected, expected", [
    ("وإيران", "إيران"),            # و before a hamza-alef: no word starts like that
    ("فأوروبا", "أوروبا"),
    ("ووزارة الخارجية", "وزارة الخارجية"),  # a doubled و
    ("ومجلس الأمن", "مجلس الأمن"),   # an institution noun of the lexicon
    ("وسان بطرسبورغ", "سان بطرسبورغ"),  # و before a place of two words
    ("والكويت", "الكويت"),
    ("للحوثيين", "حوثيين"),
])
def test_proclitic_before_a_name_of_one_or_several_words(selected, expected):
    text = f"قال {selected} اليوم"
    s, e = snap(text, 4, 4 + len(selected))
    assert text[s:e] == expected


def test_a_known_name_of_several_words_loses_its_proclitic():
    text = "وقال الوزير لسكاي نيوز عربية إن الاجتماع مثمر"
    sel = text.index("لسكاي"), text.index(" إن")
    plain = Snapper(known=vocabulary([text]))
    assert text[slice(*plain.snap(text, *sel))] == "لسكاي نيوز عربية"  # nothing says سكاي is a word
    knows = Snapper(known=vocabulary([text]), names=frozenset({normalize("سكاي نيوز عربية")}))
    assert text[slice(*knows.snap(text, *sel))] == "سكاي نيوز عربية"


def test_snapping_rate_on_the_news_gold():
    recs = gold_records()
    names = sorted({e["text"] for r in recs for e in r["entities"]})
    cases = ok = ok_named = 0
    for r in recs:
        t = r["text"]
        plain = Snapper(known=vocabulary([t] + cue_forms()))
        named = Snapper(known=vocabulary([t] + names + cue_forms()),
                        names=frozenset(normalize(n) for n in names if " " in n))
        for e in r["entities"]:
            s, end = e["start"], e["end"]
            if not t[s].isalpha() or (end < len(t) and t[end].isalpha()) or t[end:end + 1] in "\u064b\u064c":
                continue
            ws = s
            while ws > 0 and t[ws - 1].isalpha():
                ws -= 1
            if ws == s:
                continue  # no proclitic here
            cases += 1
            ok += plain.snap(t, ws, end) == (s, end)
            ok_named += named.snap(t, ws, end) == (s, end)
    print(f"\nproclitic before a name: {ok}/{cases} = {ok / cases:.3f} from the article alone, "
          f"{ok_named / cases:.3f} with the names tagged in the project")
    assert cases >= 60
    assert ok / cases >= 0.95 and ok_named / cases >= 0.95
