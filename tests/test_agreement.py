"""Agreement figures against hand-computed examples (the arithmetic is in the comments), the degenerate cases,
three annotators, the fast store read against the model path, and `tawsim agreement` on the seed articles."""
from __future__ import annotations

import json
import random

import krippendorff
import numpy as np
import pytest

from app.cli import main
from app.core.review import agreement as ag
from app.core.review.agreement import categorical
from app.core.review.agreement import (DocAnnotations, SetRows, categorical_agreement, cohen_kappa, compute,
                                entity_agreement, krippendorff_alpha, match_overlaps, project_agreement)
from app.core.model import GOLD

ANEZI, COLOMINA = "kuwait-nato-anezi", "kuwait-nato-colomina"


def approx(x):
    return pytest.approx(x, abs=1e-12)


def doc(key, sets, doc_id=None):
    """A DocAnnotations from {annotator: (entities, quotes, stances)}."""
    return DocAnnotations(key, doc_id or f"d{key}", {a: SetRows(frozenset(e), q, s) for a, (e, q, s) in
                                                     sorted(sets.items())})


# ---- entity F1 -------------------------------------------------------------------------------------------------------
A = [(0, 5, "PER"), (10, 15, "ORG"), (20, 30, "LOC"), (40, 45, "PER")]
B = [(0, 5, "PER"), (10, 16, "ORG"), (20, 30, "ORG"), (50, 55, "PER")]


def test_entity_f1_exact_overlap_span_and_per_label():
    e = entity_agreement(A, B)
    # exact: only (0,5,PER) is in both -> tp 1 of 4 and 4: P = 1/4, R = 1/4, F1 = 2*1/(4+4) = 0.25
    assert (e.exact.tp, e.exact.precision, e.exact.recall, e.exact.f1) == (1, 0.25, 0.25, 0.25)
    # overlap: also (10,15,ORG)~(10,16,ORG); (20,30) differs in label, (40,45)/(50,55) do not touch -> 2*2/8 = 0.5
    assert (e.overlap.tp, e.overlap.f1) == (2, 0.5)
    # span, label ignored: (0,5) and (20,30) -> 2*2/8 = 0.5
    assert (e.span.tp, e.span.f1) == (2, 0.5)
    d = e.to_dict()["per_label"]
    # PER: A 2, B 2, exact 1 -> 2/4; overlap 1 -> 2/4; support 4
    assert d["PER"] == {"exact_f1": 0.5, "overlap_f1": 0.5, "support": 4}
    # ORG: A 1, B 2, exact 0 -> 0; overlap 1 -> 2*1/3; support 3
    assert d["ORG"] == {"exact_f1": 0.0, "overlap_f1": approx(2 / 3), "support": 3}
    # LOC: A 1, B 0 -> nothing matched
    assert d["LOC"] == {"exact_f1": 0.0, "overlap_f1": 0.0, "support": 1}


def test_precision_and_recall_take_a_as_the_reference_and_f1_is_symmetric():
    a, b = [(0, 5, "PER")], [(0, 5, "PER"), (7, 9, "LOC")]
    ab, ba = entity_agreement(a, b), entity_agreement(b, a)
    # B found A's one entity (R = 1/1) and half of B's are A's (P = 1/2); F1 = 2*1/3
    assert (ab.exact.precision, ab.exact.recall) == (0.5, 1.0)
    assert (ba.exact.precision, ba.exact.recall) == (1.0, 0.5)
    assert ab.exact.f1 == ba.exact.f1 == approx(2 / 3)


def test_overlap_matching_is_one_to_one_greedy_by_largest_overlap():
    # (0,10) overlaps (0,3) by 3 and (2,10) by 8: it takes (2,10); (0,3) is left unmatched -> F1 2*1/3
    assert match_overlaps([(0, 10, "X")], [(0, 3, "X"), (2, 10, "X")]) == [((0, 10, "X"), (2, 10, "X"))]
    assert entity_agreement([(0, 10, "X")], [(0, 3, "X"), (2, 10, "X")]).overlap.f1 == approx(2 / 3)
    # (5,12) overlaps (0,10) by 5 and (8,20) by 4: one match only, the larger
    assert match_overlaps([(0, 10, "X"), (8, 20, "X")], [(5, 12, "X")]) == [((0, 10, "X"), (5, 12, "X"))]
    # exact matches first, and are not stolen by a longer overlap elsewhere
    assert match_overlaps([(0, 4, "X"), (0, 10, "X")], [(0, 4, "X")]) == [((0, 4, "X"), (0, 4, "X"))]
    # a different label never matches, however large the overlap
    assert match_overlaps([(0, 10, "X")], [(0, 10, "Y")]) == []


def test_entity_f1_with_nothing_to_compare_is_none():
    e = entity_agreement([], [])
    assert (e.exact.precision, e.exact.recall, e.exact.f1, e.overlap.f1) == (None, None, None, None)
    e = entity_agreement([(0, 1, "X")], [])
    assert (e.exact.precision, e.exact.recall, e.exact.f1) == (None, 0.0, 0.0)


def test_duplicate_spans_count_once():
    # an annotator who tagged the same span twice agreed with themselves: sets, not lists
    assert entity_agreement([(0, 5, "PER"), (0, 5, "PER")], [(0, 5, "PER")]).exact.f1 == 1.0


# ---- Cohen's kappa ---------------------------------------------------------------------------------------------------
def test_cohen_kappa_on_a_two_by_two_table():
    #            B yes  B no
    #   A yes      20     5     po = (20 + 15) / 50 = 0.7
    #   A no       10    15     pA(yes) = 25/50 = 0.5, pB(yes) = 30/50 = 0.6
    #   pe = 0.5*0.6 + 0.5*0.4 = 0.5;  kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == approx(0.4)


def test_cohen_kappa_three_categories():
    # po = 2/4; A: favor 3, against 1; B: favor 2, neutral 1, against 1
    # pe = (3*2 + 1*1) / 16 = 7/16;  kappa = (1/2 - 7/16) / (1 - 7/16) = (1/16) / (9/16) = 1/9
    pairs = [("favor", "favor"), ("against", "neutral"), ("favor", "favor"), ("favor", "against")]
    assert cohen_kappa(pairs) == approx(1 / 9)


def test_cohen_kappa_degenerate_cases():
    assert cohen_kappa([]) is None  # no units
    assert cohen_kappa([("x", "x")] * 5) is None  # one category for both: pe = 1, kappa = 0/0
    assert cohen_kappa([("x", "y"), ("y", "x")]) == approx(-1.0)  # po 0, pe 1/2 -> -1
    # A uses one category only, B two: po = 1/2, pe = 1 * 1/2 = 1/2 -> kappa 0 (defined)
    assert cohen_kappa([("x", "x"), ("x", "y")]) == 0.0
    assert cohen_kappa([("x", "x"), ("y", "y")]) == 1.0


# ---- Krippendorff's alpha --------------------------------------------------------------------------------------------
# Two coders, five units:  A: a a b b c
#                          B: a b b b c
# Coincidences (each unit of 2 values adds 1/(2-1) per ordered pair): o_aa = 2, o_ab = o_ba = 1, o_bb = 4, o_cc = 2.
# n_a = 3, n_b = 5, n_c = 2, n = 10.  D_o = (o_ab + o_ba) / n = 2/10.
# D_e = (n^2 - sum n_c^2) / (n (n - 1)) = (100 - 38) / 90 = 62/90.  alpha = 1 - 0.2 / (62/90) = 1 - 18/62 = 22/31.
TWO_CODERS = [["a", "a", "b", "b", "c"], ["a", "b", "b", "b", "c"]]
# Three coders, four units, None missing:   A: 1    1  2  None
#                                           B: 1    2  2  2
#                                           C: None 1  2  None
# u1 {1,1} m=2: o_11 += 2.  u2 {1,2,1} m=3: 6 ordered pairs at 1/2 each: o_11 += 1, o_12 += 1, o_21 += 1.
# u3 {2,2,2} m=3: o_22 += 3.  u4 has one value: unpairable, dropped.
# o_11 = 3, o_12 = o_21 = 1, o_22 = 3; n_1 = n_2 = 4, n = 8.  D_o = 2/8; D_e = (64 - 32) / 56 = 4/7.
# alpha = 1 - (1/4) / (4/7) = 1 - 7/16 = 9/16.
THREE_CODERS = [[1, 1, 2, None], [1, 2, 2, 2], [None, 1, 2, None]]


def _library(data):
    """The krippendorff package straight on the reliability matrix, values interned, NaN missing."""
    intern: dict = {}
    m = [[np.nan if v is None else intern.setdefault(v, len(intern)) for v in row] for row in data]
    return krippendorff.alpha(reliability_data=np.array(m, float), level_of_measurement="nominal")


@pytest.mark.parametrize("data, expected", [(TWO_CODERS, 22 / 31), (THREE_CODERS, 9 / 16)])
def test_krippendorff_alpha_by_hand_and_by_the_library(data, expected, monkeypatch):
    assert krippendorff_alpha(data) == approx(expected)
    assert _library(data) == approx(expected)
    monkeypatch.setattr(categorical, "_LIBRARY_MAX_CELLS", 0)  # the closed form used for large value sets: same number
    assert krippendorff_alpha(data) == approx(expected)


def test_closed_form_and_library_agree_on_random_data(monkeypatch):
    rng = random.Random(7)
    for _ in range(25):
        coders, units, k = rng.randint(2, 5), rng.randint(2, 40), rng.randint(2, 6)
        data = [[rng.randrange(k) if rng.random() < 0.8 else None for _ in range(units)] for _ in range(coders)]
        try:
            expected = _library(data)
        except ValueError:  # the library refuses a single value or no pairable unit: we return None there
            monkeypatch.setattr(categorical, "_LIBRARY_MAX_CELLS", 10 ** 9)
            assert krippendorff_alpha(data) is None
            continue
        monkeypatch.setattr(categorical, "_LIBRARY_MAX_CELLS", 10 ** 9)
        assert krippendorff_alpha(data) == approx(expected)
        monkeypatch.setattr(categorical, "_LIBRARY_MAX_CELLS", 0)
        assert krippendorff_alpha(data) == approx(expected)


def test_krippendorff_alpha_degenerate_cases():
    assert krippendorff_alpha([]) is None  # no data
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None  # no unit coded twice
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None  # one value: D_e = 0
    # a second value only in an unpairable unit does not rescue it: the pairable units still hold one value
    assert krippendorff_alpha([["a", "a", "b"], ["a", "a", None]]) is None
    assert krippendorff_alpha([["a", "b"], ["a", "b"]]) == 1.0


def test_categorical_agreement_with_three_annotators():
    units = {1: {"x": "a", "y": "a"}, 2: {"x": "a", "y": "b", "z": "a"}, 3: {"x": "b", "y": "b", "z": "b"},
             4: {"y": "b"}}
    c = categorical_agreement(units)
    # the THREE_CODERS matrix with a/b for 1/2: alpha 9/16; unit 4 coded once
    assert c.krippendorff_alpha == approx(9 / 16)
    assert (c.units, c.coded_once) == (3, 1)
    # observed = sum o_cc / n = (3 + 3) / 8
    assert c.observed == approx(6 / 8)
    got = {(k.a, k.b): (k.cohen_kappa, k.units) for k in c.kappa_pairs}
    # x~y on units 1,2,3: (a,a), (a,b), (b,b): po 2/3, pe (2*1 + 1*2)/9 = 4/9, kappa (2/3-4/9)/(5/9) = 2/5
    assert got[("x", "y")] == (approx(0.4), 3)
    # x~z on units 2,3: (a,a), (b,b) -> 1; y~z on 2,3: (b,a), (b,b): po 1/2, pe (2*1)/4 = 1/2 -> 0
    assert got[("x", "z")] == (1.0, 2)
    assert got[("y", "z")] == (0.0, 2)
    d = c.to_dict()
    assert isinstance(d["cohen_kappa"], list) and len(d["cohen_kappa"]) == 3  # more than two: per pair
    assert c.cohen_kappa is None


def test_categorical_agreement_without_units():
    c = categorical_agreement({}, ["a", "b"])
    assert (c.krippendorff_alpha, c.cohen_kappa, c.observed, c.units, c.coded_once) == (None, None, None, 0, 0)
    assert c.to_dict() == {"cohen_kappa": None, "krippendorff_alpha": None, "observed": None, "units": 0,
                           "coded_once": 0, "pairs": []}


# ---- units -----------------------------------------------------------------------------------------------------------
def test_quotes_are_matched_across_annotators_by_overlap():
    d = doc(1, {"a": ((), [("q1", 0, 50, ""), ("q2", 100, 150, "")], ()),
                "b": ((), [("q1", 5, 50, ""), ("q9", 200, 250, ""), ("q3", 90, 160, "")], ()),
                "c": ((), [("q1", 95, 155, ""), ("q2", 40, 60, "")], ())})
    u = ag.quote_units(d.sets)
    assert u["a"] == {"q1": (0, 50), "q2": (100, 150)}  # the first annotator's spans are the references
    assert u["b"] == {"q1": (0, 50), "q3": (100, 150), "q9": (200, 250)}
    # c's (95,155) overlaps (100,150) by 50; (40,60) overlaps (0,50) by 10: both join, one quote per unit each
    assert u["c"] == {"q1": (100, 150), "q2": (0, 50)}


def test_stance_and_speaker_units_compare_normalised_text():
    d = doc(1, {"a": ((), [("q1", 0, 50, "خافيير كولومينا"), ("q2", 60, 90, "")],
                      [("favor", "الناتو", "document"), ("against", "الكويت", "document"), ("favor", "", "q1")]),
                "b": ((), [("q7", 2, 48, "خافيير  كولومينا"), ("q8", 60, 90, "الجارالله")],
                      [("favor", "النّاتو", "document"), ("neutral", "الكويت", "document"), ("favor", "", "q7"),
                       ("against", "بلجيكا", "document")])})
    stance, speaker = {}, {}
    ag.document_units(d, stance, speaker)
    assert stance == {(1, "document", "الناتو"): {"a": "favor", "b": "favor"},
                      (1, "document", "الكويت"): {"a": "against", "b": "neutral"},
                      (1, (0, 50), ""): {"a": "favor", "b": "favor"},
                      (1, "document", "بلجيكا"): {"b": "against"}}
    assert speaker == {(1, (0, 50)): {"a": "خافيير كولومينا", "b": "خافيير كولومينا"},
                       (1, (60, 90)): {"a": ag.NO_SPEAKER, "b": "الجارالله"}}


# ---- the whole report ------------------------------------------------------------------------------------------------
def test_compute_three_annotators_pairs_and_documents():
    docs = [doc(1, {"a": (A, (), ()), "b": (B, (), ()), "c": (A, (), ())}),
            doc(2, {"a": ([(0, 3, "PER")], (), ()), "c": ([(0, 3, "PER")], (), ())}),
            doc(3, {"a": ((), (), ()), "b": ((), (), ())}),
            doc(4, {"b": ([(0, 1, "PER")], (), ())})]  # one annotator: not compared
    r = compute(docs)
    assert r.annotators == ["a", "b", "c"] and r.documents_compared == 3
    assert [(p.a, p.b, p.documents) for p in r.pairs] == [("a", "b", 2), ("a", "c", 2), ("b", "c", 1)]
    assert r.pair("b", "a").entities.exact.f1 == 0.25  # doc 3 has no entity: adds nothing
    assert r.pair("a", "c").entities.exact.f1 == 1.0
    # all pairs summed: exact tp 1 + 5 + 1 = 7 over (4+4) + (5+5) + (4+4) = 26 -> 14/26
    assert r.entities.exact.f1 == approx(14 / 26)
    # doc 1: pairs a~b 0.25, a~c 1, b~c 0.25 -> exact mean 0.5; overlap 0.5, 1, 0.5 -> 2/3
    # worst first: doc 1 (overlap 2/3), doc 2 (1.0), then doc 3 with no entity at all (None) last
    assert [(d.id, len(d.annotators)) for d in r.documents] == [("d1", 3), ("d2", 2), ("d3", 2)]
    assert (r.documents[0].exact_f1, r.documents[0].overlap_f1) == (approx(0.5), approx(2 / 3))
    assert (r.documents[2].exact_f1, r.documents[2].overlap_f1) == (None, None)
    assert [d.id for d in ag.worst_documents(r, 1)] == ["d1"]


def test_compute_with_nothing_to_compare():
    r = compute([doc(1, {"a": (A, (), ())})])
    assert r.documents_compared == 0 and r.pairs == [] and r.documents == []
    assert r.stance.krippendorff_alpha is None and r.speaker.cohen_kappa is None
    assert "nothing to compare" in ag.format_report(r)
    json.dumps(r.to_dict())  # serialisable: no NaN, no numpy types


# ---- on a project, through the store and the CLI ---------------------------------------------------------------------
def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


@pytest.fixture
def annotated(project):
    """amal and badr on both seeds (and a gold set that must not count):

    anezi:    entities  amal: الكويت GPE, نواف العنزي PER, بلجيكا GPE      badr: الكويت GPE, العنزي PER, بلجيكا LOC
              stance    amal: favor ناتو                                     badr: against ناتو
    colomina: entities  amal: الناتو ORG, خافيير كولومينا PER                badr: الناتو ORG
              quotes    amal: q1 speaker خافيير كولومينا, q2 no speaker      badr: q1 three characters shorter, q2;
                                                                             speakers كولومينا with a shadda, الجارالله
              stance    amal: favor الناتو, against الكويت, favor q1      badr: favor النّاتو, neutral الكويت, favor q1
    """
    p = project
    anezi, colomina = p.document(ANEZI), p.document(COLOMINA)
    t1, t2 = anezi.text, colomina.text
    for ann, ents in (("amal", [("الكويت", "GPE"), ("نواف العنزي", "PER"), ("بلجيكا", "GPE")]),
                      ("badr", [("الكويت", "GPE"), ("العنزي", "PER"), ("بلجيكا", "LOC")]),
                      (GOLD, [("الكويت", "LOC")])):
        for word, label in ents:
            p.add_entity(anezi.key, ann, *_at(t1, word), label)
    p.add_stance(anezi.key, "amal", "favor", target_text="ناتو")
    p.add_stance(anezi.key, "badr", "against", target_text="ناتو")

    q1 = _at(t2, "من أهداف زيارته لدولة الكويت مناقشة أفضل سبل زيادة وتيرة التحاور السياسي")
    q2 = _at(t2, "المركز يوفر إمكانيات هائلة للمضي قدما في التعاون")
    for ann in ("amal", "badr"):
        p.add_entity(colomina.key, ann, *_at(t2, "الناتو"), "ORG")
    e = p.add_entity(colomina.key, "amal", *_at(t2, "خافيير كولومينا"), "PER")
    p.add_quote(colomina.key, "amal", *q1, speaker=e.id, cue=_at(t2, "وقال"), kind="indirect", quote_id="q1")
    p.add_quote(colomina.key, "amal", *q2, quote_id="q2")
    p.add_quote(colomina.key, "badr", q1[0] + 3, q1[1], speaker_text="خافيير كولوميّنا", quote_id="q1")
    p.add_quote(colomina.key, "badr", *q2, speaker_text="الجارالله", quote_id="q2")
    p.add_stance(colomina.key, "amal", "favor", target_text="الناتو")
    p.add_stance(colomina.key, "amal", "against", target_text="الكويت")
    p.add_stance(colomina.key, "amal", "favor", scope="q1")
    p.add_stance(colomina.key, "badr", "favor", target_text="النّاتو")
    p.add_stance(colomina.key, "badr", "neutral", target_text="الكويت")
    p.add_stance(colomina.key, "badr", "favor", scope="q1")
    return p


def test_project_agreement_on_the_seeds(annotated):
    r = project_agreement(annotated)
    assert r.annotators == ["amal", "badr"] and r.documents_compared == 2  # gold left out
    e = r.pair("amal", "badr").entities
    # anezi: exact 1 (الكويت) of 3 + 3; colomina: amal has الناتو and كولومينا, badr الناتو -> exact 1 of 2 + 1
    # exact: tp 2, a 5, b 4 -> P 2/4, R 2/5, F1 4/9. overlap adds العنزي in نواف العنزي -> tp 3: F1 6/9
    assert (e.exact.precision, e.exact.recall, e.exact.f1) == (0.5, 0.4, approx(4 / 9))
    assert (e.overlap.precision, e.overlap.recall, e.overlap.f1) == (0.75, 0.6, approx(6 / 9))
    # span ignores labels: بلجيكا counts too -> tp 3 -> 6/9
    assert e.span.f1 == approx(6 / 9)
    per = e.to_dict()["per_label"]
    # GPE: amal 2, badr 1, tp 1 -> 2/3.  PER: amal 2 (العنزي, كولومينا), badr 1; exact 0, overlap 1 -> 2/3
    assert per["GPE"] == {"exact_f1": approx(2 / 3), "overlap_f1": approx(2 / 3), "support": 3}
    assert per["PER"] == {"exact_f1": 0.0, "overlap_f1": approx(2 / 3), "support": 3}
    assert per["LOC"] == {"exact_f1": 0.0, "overlap_f1": 0.0, "support": 1}
    assert per["ORG"] == {"exact_f1": 1.0, "overlap_f1": 1.0, "support": 2}

    # stance units: (favor,against) anezi ناتو; colomina (favor,favor) الناتو, (against,neutral) الكويت,
    # (favor,favor) on q1 -> the kappa = 1/9 and alpha below:
    # n = 8 values: favor 5, against 2, neutral 1; sum o_cc = 2 + 2 = 4
    # alpha = 1 - (n-1)(n - sum o_cc)/(n^2 - sum n_c^2) = 1 - 7*4/(64 - 30) = 1 - 28/34 = 3/17
    assert r.stance.units == 4 and r.stance.coded_once == 0
    assert r.stance.cohen_kappa == approx(1 / 9)
    assert r.stance.krippendorff_alpha == approx(3 / 17)
    assert r.stance.observed == 0.5
    # speaker units: q1 (كولومينا, كولومينا with shadda: the same), q2 (none, الجارالله)
    # kappa: po 1/2; A {k 1, none 1}, B {k 1, j 1}: pe = 1/4 -> (1/2 - 1/4)/(3/4) = 1/3
    # alpha: n 4, n_k 2, n_none 1, n_j 1, sum o_cc 2 -> 1 - 3*2/(16 - 6) = 0.4
    assert r.speaker.units == 2
    assert r.speaker.cohen_kappa == approx(1 / 3)
    assert r.speaker.krippendorff_alpha == approx(0.4)
    # documents, worst first: anezi exact 2*1/6 = 1/3, overlap 2*2/6 = 2/3; colomina exact 2*1/3, overlap 2/3
    assert [d.id for d in r.documents] == [ANEZI, COLOMINA]
    assert (r.documents[0].exact_f1, r.documents[0].overlap_f1) == (approx(1 / 3), approx(2 / 3))


def test_fast_store_read_matches_the_model_path(annotated):
    fast = project_agreement(annotated).to_dict()
    slow = compute(ag.from_annotation_sets(annotated.iter_sets())).to_dict()
    assert fast == slow


def test_status_filter(annotated):
    p = annotated
    for ann in ("amal", "badr"):
        p.set_status(p.document(ANEZI).key, ann, "done")
    p.set_status(p.document(COLOMINA).key, "amal", "done")
    r = project_agreement(p, ("done",))
    assert [d.id for d in r.documents] == [ANEZI]  # badr has not finished colomina
    assert r.speaker.units == 0


def test_cli_agreement_text_and_json(annotated, capsys):
    path = str(annotated.path)
    assert main(["agreement", path]) == 0
    out = capsys.readouterr().out
    assert "amal ~ badr" in out and "Krippendorff's alpha (nominal): 0.176" in out
    assert "Cohen's kappa amal ~ badr: 0.111" in out and "Cohen's kappa amal ~ badr: 0.333" in out
    assert out.index("WORST DOCUMENTS") < out.index(ANEZI) < out.index(COLOMINA)

    assert main(["agreement", path, "--json", "--worst", "1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"pairs", "stance", "speaker", "documents", "entities", "annotators"}
    pair = d["pairs"][0]
    assert (pair["a"], pair["b"], pair["documents"]) == ("amal", "badr", 2)
    assert set(pair["entities"]) >= {"exact", "overlap", "per_label"}
    assert set(pair["entities"]["exact"]) == {"precision", "recall", "f1"}
    assert set(pair["entities"]["per_label"]["PER"]) == {"exact_f1", "overlap_f1", "support"}
    assert d["stance"]["cohen_kappa"] == approx(1 / 9)  # exactly two annotators: a number
    assert d["stance"]["krippendorff_alpha"] == approx(3 / 17) and d["stance"]["units"] == 4
    assert d["speaker"]["cohen_kappa"] == approx(1 / 3)
    assert [x["id"] for x in d["documents"]] == [ANEZI]
    assert set(d["documents"][0]) >= {"id", "annotators", "exact_f1", "overlap_f1"}
    assert d["documents"][0]["annotators"] == 2

    assert main(["agreement", path, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["documents"]) == 2


def test_cli_agreement_with_a_single_annotator(project, capsys):
    project.add_entity(project.document(ANEZI).key, "amal", 0, 3, "PER")
    assert main(["agreement", str(project.path)]) == 0
    assert "nothing to compare" in capsys.readouterr().out
    assert main(["agreement", str(project.path), "--worst", "-1"]) == 1


def test_cli_agreement_flags_and_status_filter(annotated, capsys):
    from app.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {"--json", "--worst", "--status"} <= {o for a in sub.choices["agreement"]._actions for o in a.option_strings}
    p = annotated
    for ann in ("amal", "badr"):
        p.set_status(p.document(ANEZI).key, ann, "done")
    assert main(["agreement", str(p.path), "--json", "--status", "done"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["documents_compared"] == 1 and [x["id"] for x in d["documents"]] == [ANEZI]
