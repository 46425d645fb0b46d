"""Issue 13 item 7: the agreement fast paths (annotators who agree exactly, two coders per unit) checked against a
slow, obviously-correct reference written from the definitions, on random inputs that include full agreement.

A bug in a fast path (per-label F1 reading 0 when two annotators agree exactly, say) used to pass the whole suite;
here it fails, because the inputs hit that path and the reference does not share its code."""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.review.agreement import DocAnnotations, SetRows, categorical_agreement, compute

LABELS = ("PER", "ORG", "GPE")


# ---- the reference: definitions, no shortcuts ------------------------------------------------------------------------
def ref_overlap_matches(a: set, b: set) -> list:
    """Exact matches, then repeatedly the best remaining same-label overlapping pair: largest overlap, then
    closest boundaries, then text order (the documented rule), each entity used once."""
    exact = a & b
    left_a, left_b = set(a - exact), set(b - exact)
    out = [(x, x) for x in exact]
    while True:
        best = None
        for x in left_a:
            for y in left_b:
                if x[2] == y[2] and y[0] < x[1] and x[0] < y[1]:
                    key = (-(min(x[1], y[1]) - max(x[0], y[0])), abs(x[0] - y[0]) + abs(x[1] - y[1]), x, y)
                    best = key if best is None or key < best else best
        if best is None:
            return out
        out.append((best[2], best[3]))
        left_a.discard(best[2])
        left_b.discard(best[3])


def f1(tp, n):
    return 2 * tp / n if n else None


def ref_entities(docs):
    """Micro exact / overlap / span F1 over all pairs and documents, and per-label exact and overlap F1."""
    tot = Counter()
    per = Counter()
    for doc in docs:
        for x, y in combinations(sorted(doc.sets), 2):
            a, b = set(doc.sets[x].entities), set(doc.sets[y].entities)
            matches = ref_overlap_matches(a, b)
            tot["exact"] += len(a & b)
            tot["overlap"] += len(matches)
            tot["n"] += len(a) + len(b)
            sa, sb = {e[:2] for e in a}, {e[:2] for e in b}
            tot["span"] += len(sa & sb)
            tot["span_n"] += len(sa) + len(sb)
            for lab in LABELS:
                per["n", lab] += sum(e[2] == lab for e in a) + sum(e[2] == lab for e in b)
                per["exact", lab] += sum(e[2] == lab for e in a & b)
                per["overlap", lab] += sum(m[0][2] == lab for m in matches)
    overall = (f1(tot["exact"], tot["n"]), f1(tot["overlap"], tot["n"]), f1(tot["span"], tot["span_n"]))
    labels = {lab: (f1(per["exact", lab], per["n", lab]), f1(per["overlap", lab], per["n", lab]))
              for lab in LABELS if per["n", lab]}
    return overall, labels


def ref_kappa(pairs):
    n = len(pairs)
    if not n:
        return None
    po = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    pe = sum(ca[k] / n * cb[k] / n for k in set(ca) | set(cb))
    return None if pe == 1 else (po - pe) / (1 - pe)


def ref_alpha(units):
    """Nominal alpha from the coincidence matrix, as Krippendorff defines it."""
    o = Counter()
    for coded in units:
        vals = list(coded.values())
        m = len(vals)
        if m < 2:
            continue
        for i, c in enumerate(vals):
            for j, k in enumerate(vals):
                if i != j:
                    o[c, k] += 1 / (m - 1)
    n_c = Counter()
    for (c, _k), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    if not n:
        return None
    d_o = sum(v for (c, k), v in o.items() if c != k) / n
    d_e = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n * (n - 1))
    return None if d_e == 0 else 1 - d_o / d_e


# ---- random inputs, full agreement included ----------------------------------------------------------------------------
span = st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(LABELS)).map(
    lambda t: (t[0], t[0] + t[1], t[2]))
entity_set = st.frozensets(span, max_size=6)


@st.composite
def documents(draw):
    docs = []
    for k in range(draw(st.integers(1, 4))):
        a = draw(entity_set)
        how = draw(st.sampled_from(("same", "same", "random", "one-more")))
        b = a if how == "same" else draw(entity_set) if how == "random" else a | {draw(span)}
        sets = {"amal": SetRows(a, [], []), "omar": SetRows(frozenset(b), [], [])}
        if draw(st.booleans()):
            sets["sara"] = SetRows(a, [], [])  # a third annotator who agrees exactly with amal
        docs.append(DocAnnotations(k, f"d{k}", sets))
    return docs


def close(x, y):
    return (x is None and y is None) or (x is not None and y is not None and abs(x - y) < 1e-9)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_entity_agreement_matches_the_reference(docs):
    report = compute(docs)
    (ex, ov, sp), labels = ref_entities(docs)
    e = report.entities
    assert close(e.exact.f1, ex) and close(e.overlap.f1, ov) and close(e.span.f1, sp)
    got = {lab: (x.f1, o.f1) for lab, (x, o) in e.per_label.items()}
    assert set(got) == set(labels)
    for lab, (x, o) in labels.items():
        assert close(got[lab][0], x) and close(got[lab][1], o), lab


@settings(max_examples=30, deadline=None)
@given(entity_set.filter(bool))
def test_full_agreement_reads_one_everywhere(a):
    """The case the fast path exists for: every figure, overall and per label, is exactly 1."""
    report = compute([DocAnnotations(0, "d", {"amal": SetRows(a, [], []), "omar": SetRows(a, [], [])})])
    e = report.entities
    assert e.exact.f1 == e.overlap.f1 == e.span.f1 == 1.0
    assert {lab: (x.f1, o.f1) for lab, (x, o) in e.per_label.items()} == {lab: (1.0, 1.0) for _, _, lab in a}


stance_value = st.sampled_from(("favor", "against", "neutral"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(stance_value, stance_value, st.booleans(), st.one_of(st.none(), stance_value)),
                max_size=12))
def test_kappa_and_alpha_match_the_reference(rows):
    units = {}
    for i, (x, y, agree, third) in enumerate(rows):
        coded = {"amal": x, "omar": x if agree else y}
        if third is not None:
            coded["sara"] = third
        units[(i // 3, i)] = coded
    got = categorical_agreement(units, ["amal", "omar", "sara"])
    assert close(got.krippendorff_alpha, ref_alpha(units.values()))
    kappas = {(k.a, k.b): k.cohen_kappa for k in got.kappa_pairs}
    for a, b in combinations(["amal", "omar", "sara"], 2):
        pairs = [(c[a], c[b]) for c in units.values() if a in c and b in c]
        if pairs:
            assert close(kappas[a, b], ref_kappa(pairs)), (a, b)


def test_the_reference_catches_a_per_label_bug_in_the_fast_path(monkeypatch):
    """The check itself can fail: break the fast path as the deliberate bug did, and the reference disagrees."""
    from app.core.review.agreement import spans

    real = spans._add_pair

    def broken(acc, a, b):
        if len(a) == len(b) and a == b:
            acc.labels_a.update(map(spans._LABEL, a))
            acc.labels_b.update(map(spans._LABEL, b))
            acc.exact.add(len(a), len(a), len(b))
            acc.overlap.add(len(a), len(a), len(b))
            acc.span.add(len(a), len(a), len(a))
            return len(a), len(a)  # labels_exact forgotten: per-label F1 reads 0 on full agreement
        return real(acc, a, b)

    monkeypatch.setattr("app.core.review.agreement.report._add_pair", broken)
    a = frozenset({(0, 3, "PER"), (5, 9, "ORG")})
    report = compute([DocAnnotations(0, "d", {"amal": SetRows(a, [], []), "omar": SetRows(a, [], [])})])
    _, labels = ref_entities([DocAnnotations(0, "d", {"amal": SetRows(a, [], []), "omar": SetRows(a, [], [])})])
    got = {lab: x.f1 for lab, (x, _o) in report.entities.per_label.items()}
    assert got != {lab: x for lab, (x, _o) in labels.items()}
