"""A representative subset of the bad-input benchmark (python -m app.bench badinput): hostile files through the
CLI's entry point, each refused with a one-line `tawsim: FILE...` message and the project unchanged, or accepted
where it is valid. A few also go through `python -m app` in a subprocess, exactly as a user runs them."""
from __future__ import annotations

from app.bench.badinput import run_all, table
from app.bench.badinput_projectfiles import all_cases

SUBSET = {
    "jsonl": ["lone-surrogate", "deep-nesting", "deep-meta-300", "nan", "huge-offsets", "span-text-mismatch",
              "unknown-label", "duplicate-entity-ids", "oversized-line", "bom"],
    "csv": ["unclosed-quote", "unclosed-quote-closed-later", "duplicate-header", "cr-line-endings"],
    "txt": ["binary-junk", "dangling-symlink"],
    "conll": ["cr-inside-line", "new-label-adopted"],
    "prodigy": ["token-without-offsets"],
    "doccano": ["huge-offset"],
    "labelstudio": ["lone-surrogate-in-text", "deep-nesting", "5000-digit-int", "nan", "region-text-mismatch"],
    "hf": ["side-deep", "side-lone-surrogate"],
    "bundle": ["deep-meta", "lone-surrogate-set", "checksum-wrong"],
    "gazetteer": ["invalid-utf8"],
    "labels": ["display-number", "colour-url", "key-two-chars", "key-list", "duplicate-key", "lone-surrogate",
               "deep", "txt-bad-colour", "key-int"],
    "validate": ["lone-surrogate"],
}
THROUGH_A_SUBPROCESS = {("labelstudio", "lone-surrogate-in-text"), ("csv", "unclosed-quote"),
                        ("labels", "colour-url")}


def _cases(pairs):
    cases = [c for c in all_cases() if (c.family, c.name) in pairs]
    assert len(cases) == len(pairs)  # every name still exists
    return cases


def test_hostile_inputs_are_refused_cleanly_and_valid_ones_accepted():
    outcomes = run_all(_cases({(f, n) for f, names in SUBSET.items() for n in names}), here=True)
    bad = [f"{o.verdict}: {o.case.family}/{o.case.name}\n{o.stderr}" for o in outcomes if o.verdict != "clean"]
    assert not bad, table(outcomes) + "\n" + "\n".join(bad)
    assert len(outcomes) >= 40


def test_the_same_through_the_real_command():
    outcomes = run_all(_cases(THROUGH_A_SUBPROCESS), jobs=3)
    assert [o.verdict for o in outcomes] == ["clean"] * 3, [(o.case.name, o.stderr) for o in outcomes]
    assert all(o.rc == 1 and o.stderr.count("\n") == 1 for o in outcomes)
