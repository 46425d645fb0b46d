"""Bundles that are refused whole (truncated, damaged, duplicate ids, missing texts or labels, gold) and the
bundle/merge command line."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from app.cli import COMMANDS, build_parser, main
from app.core.exchange.bundle import BundleError, read_bundle, write_bundle
from app.core.exchange.merge import merge_bundles
from app.core.exchange.exporter import export_jsonl
from app.core.exchange.importer import import_sources
from app.core.model import ENTITY, GOLD, Label
from app.core.store import Project
from bundle_helpers import (ANEZI, COLOMINA, SEEDS, annotate, bundle_lines, desk, export_bytes,  # noqa: F401
                            reviewer, rewrite, snapshot, span)


# ---- refused bundles: FILE:LINE, nothing applied -----------------------------------------------------------------

def refused(reviewer: Project, tmp_path: Path, paths, match: str, **kw) -> BundleError:
    before = snapshot(reviewer, tmp_path)
    with pytest.raises(BundleError, match=match) as exc:
        merge_bundles(reviewer, paths, **kw)
    assert str(exc.value).endswith("nothing was merged; the project is unchanged")
    assert snapshot(reviewer, tmp_path) == before
    return exc.value


def test_a_bundle_cut_in_the_middle_of_a_line_is_refused(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    data = b.read_bytes()
    line3 = [i for i, c in enumerate(data) if c == ord("\n")][1] + 1  # start of line 3 (the second set)
    b.write_bytes(data[: line3 + 500])
    refused(reviewer, tmp_path, [b], rf"^{b}:3: the bundle is truncated \(line 3 is cut short\)")
    # cut inside the first set: line 2
    b.write_bytes(data[:300])
    refused(reviewer, tmp_path, [b], rf"^{b}:2: the bundle is truncated")
    # cut inside the header
    b.write_bytes(data[:40])
    refused(reviewer, tmp_path, [b], rf"^{b}:1: the bundle is truncated")


def test_a_bundle_without_its_end_line_is_refused(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    lines = b.read_bytes().splitlines(keepends=True)
    b.write_bytes(b"".join(lines[:-1]))
    refused(reviewer, tmp_path, [b], rf"^{b}:3: the bundle is truncated \(there is no end line after line 3\)")
    b.write_bytes(b"".join(lines[:2]))  # a whole set dropped as well
    refused(reviewer, tmp_path, [b], rf"^{b}:2: the bundle is truncated")


def test_a_damaged_bundle_fails_its_checksum(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    data = b.read_bytes()
    assert data.count(b'"label":"GPE"') >= 1
    b.write_bytes(data.replace(b'"label":"GPE"', b'"label":"LOC"', 1))  # valid JSON, valid label, wrong bytes
    refused(reviewer, tmp_path, [b], rf"^{b}:4: checksum mismatch")
    # a wrong count in an otherwise intact end line
    body = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]
    trailer = json.loads(data[len(body):])
    b.write_bytes(body + json.dumps({**trailer, "count": 5}).encode() + b"\n")
    refused(reviewer, tmp_path, [b], rf"^{b}:4: the end line counts 5 set\(s\) but the bundle holds 2")


def test_one_bad_bundle_refuses_the_whole_merge(desk, reviewer, tmp_path):
    good, bad = tmp_path / "alice.jsonl", tmp_path / "bob.jsonl"
    write_bundle(desk, good, "alice")
    annotate(desk, "bob", ANEZI, variant=2)
    write_bundle(desk, bad, "bob")
    bad.write_bytes(bad.read_bytes()[:-30])
    refused(reviewer, tmp_path, [good, bad], rf"^{bad}:3: the bundle is truncated")
    assert not reviewer.has_set(reviewer.document(ANEZI).key, "alice")


def test_duplicate_ids_inside_one_set_are_refused(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")

    def dup(records):
        records[1]["entities"][1]["id"] = records[1]["entities"][0]["id"]

    rewrite(b, dup)
    refused(reviewer, tmp_path, [b], rf"^{b}:3: two entities share an id")

    def dup_quote(records):
        records[0]["quotes"].append(dict(records[0]["quotes"][0]))

    write_bundle(desk, b, "alice")
    rewrite(b, dup_quote)
    refused(reviewer, tmp_path, [b], rf"^{b}:2: two quotes share an id")


def test_every_problem_is_listed_with_its_line(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")

    def spoil(records):
        first, second = records
        records += [copy.deepcopy(second) for _ in range(3)]
        first["text"] = first["text"] + " "  # line 2: the hash no longer matches; line 3 stays good
        records[3]["annotator"] = "bob"  # line 5 (line 4: the same text as line 3)
        records[4]["entities"][0]["end"] = 10 ** 6  # line 6

    rewrite(b, spoil)
    start = bundle_lines(b)[5]["entities"][0]["start"]
    err = refused(reviewer, tmp_path, [b], "hash")
    assert err.problems == [
        f'{b}:2: "hash" does not match the text (the text was changed after the bundle was written)',
        f"{b}:4: a second set for the text of line 3 (document '{COLOMINA}')",
        f"{b}:5: annotator 'bob' differs from the bundle's annotator 'alice' (line 1)",
        f"{b}:6: entity #1: span [{start}, 1000000) is outside the text "
        f"(length {len(desk.document(COLOMINA).text)})",
        "nothing was merged; the project is unchanged",
    ]


def test_not_a_bundle(desk, reviewer, tmp_path):
    export = tmp_path / "export.jsonl"
    export_jsonl(desk, export)
    refused(reviewer, tmp_path, [export], rf"^{export}:1: not a Tawsim bundle")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    refused(reviewer, tmp_path, [empty], rf"^{empty}: empty file")
    refused(reviewer, tmp_path, [tmp_path / "nope.jsonl"], r"nope.jsonl: cannot read")
    newer = tmp_path / "newer.jsonl"
    write_bundle(desk, newer, "alice")
    lines = newer.read_bytes().splitlines(keepends=True)
    newer.write_bytes(lines[0].replace(b'"version":1', b'"version":2') + b"".join(lines[1:]))
    refused(reviewer, tmp_path, [newer], rf"^{newer}:1: bundle version 2 is newer than this Tawsim")


def test_texts_missing_from_the_project_refuse_the_merge(desk, reviewer, tmp_path):
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "extra-doc", "text": "قال الوزير إن الكويت شريك."}, ensure_ascii=False)
                     + "\n", encoding="utf-8")
    import_sources(desk, [extra])
    annotate_short(desk, "alice", "extra-doc")
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    refused(reviewer, tmp_path, [b], rf"^{b}: 1 text\(s\) are not in this project: 'extra-doc' "
                                     rf"\(merge with --add-missing")
    # nothing half-applied: the two texts the project has got no set either
    assert not any(reviewer.has_set(reviewer.document(d).key, "alice") for d in (ANEZI, COLOMINA))

    s = merge_bundles(reviewer, [b], add_missing=True)
    assert (s.new, s.missing) == (3, ["extra-doc"])
    d = reviewer.document("extra-doc")
    assert d.text == desk.document("extra-doc").text and d.hash == desk.document("extra-doc").hash
    assert reviewer.load(d.key, "alice").entities == desk.load(desk.document("extra-doc").key, "alice").entities
    again = merge_bundles(reviewer, [b], add_missing=True)
    assert (again.new, again.unchanged, again.missing) == (0, 3, [])


def annotate_short(p: Project, annotator: str, doc_id: str) -> None:
    d = p.document(doc_id)
    p.add_entity(d.key, annotator, *span(d.text, "الكويت"), "GPE")


def test_add_missing_with_an_id_taken_by_another_text(desk, reviewer, tmp_path):
    for p, text in ((desk, "نص عند المحررة."), (reviewer, "نص آخر تماما عند المراجع.")):
        f = tmp_path / "x.jsonl"
        f.write_text(json.dumps({"id": "x", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
        import_sources(p, [f])
    d = desk.document("x")
    desk.add_entity(d.key, "alice", 0, 2, "MISC")
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    s = merge_bundles(reviewer, [b], add_missing=True)
    new_id = f"x~{desk.document('x').hash[:8]}"
    assert s.missing == [new_id] and s.bundles[0].renamed == [("x", new_id)]
    assert reviewer.document(new_id).text == "نص عند المحررة."
    assert reviewer.document("x").text == "نص آخر تماما عند المراجع."
    assert any("added document 'x' as" in line for line in s.lines())


def test_labels_the_project_lacks_refuse_the_merge(desk, reviewer, tmp_path):
    desk.add_label(Label("WEAPON", ENTITY))
    desk.add_label(Label("mixed", "stance"))
    d = desk.document(COLOMINA)
    desk.add_entity(d.key, "alice", *span(d.text, "الناتو"), "WEAPON")
    desk.add_stance(d.key, "alice", "mixed")
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    err = refused(reviewer, tmp_path, [b], "WEAPON")
    line = 2 + [r["id"] for r in bundle_lines(b)[1:-1]].index(COLOMINA)
    assert f"{b}:{line}: entity label 'WEAPON' is not in this project" in err.problems[0]
    assert f"{b}:{line}: stance label 'mixed' is not in this project" in err.problems[1]
    assert not any(reviewer.has_set(reviewer.document(x).key, "alice") for x in (ANEZI, COLOMINA))


def test_a_gold_bundle_is_refused(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")

    def as_gold(records):
        for r in records:
            r["annotator"] = GOLD

    rewrite(b, as_gold, header={"annotator": GOLD})
    refused(reviewer, tmp_path, [b], rf"^{b}:1: a bundle of 'gold' sets")


def test_read_bundle_gives_the_sets(desk, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    bundle = read_bundle(b)
    assert (bundle.annotator, bundle.source_project, len(bundle.sets)) == ("alice", "alice-desk.db", 2)
    assert {s.doc_id for s in bundle.sets} == {ANEZI, COLOMINA}
    assert [s.line for s in bundle.sets] == [2, 3]


# ---- the command line --------------------------------------------------------------------------------------------

def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_names():
    assert {"bundle", "merge"} <= set(COMMANDS)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    flags = {name: {o for a in p._actions for o in a.option_strings} for name, p in sub.choices.items()}
    assert "--annotator" in flags["bundle"] and "--add-missing" in flags["merge"]


def test_cli_bundle_and_merge(tmp_path, capsys):
    a, r = tmp_path / "a.db", tmp_path / "r.db"
    for db in (a, r):
        assert run(capsys, "init", db)[0] == 0
        assert run(capsys, "import", db, SEEDS)[0] == 0
    with Project.open(a) as p:
        annotate(p, "alice", ANEZI)
    b = tmp_path / "alice.tawsim-bundle.jsonl"
    rc, out, err = run(capsys, "bundle", a, b, "--annotator", "alice")
    assert (rc, err) == (0, "") and out.strip() == f"wrote 1 annotation set(s) by alice to {b}"
    rc, out, err = run(capsys, "merge", r, b)
    assert (rc, err) == (0, "")
    first, pinned = out.strip().splitlines()
    assert first == f"{b} (alice): 1 new, 0 updated, 0 unchanged, 0 conflict(s), 0 missing text(s) added"
    assert pinned.startswith("  pinned alice's key SHA256:")  # the first merge pins the signer's key
    rc, out, err = run(capsys, "merge", r, b, b)
    assert rc == 0 and out.count("0 new, 0 updated, 1 unchanged") == 2
    with Project.open(r) as p:
        assert p.load(p.document(ANEZI).key, "alice").status == "done"


def test_cli_errors(tmp_path, capsys):
    a = tmp_path / "a.db"
    run(capsys, "init", a)
    run(capsys, "import", a, SEEDS)
    rc, out, err = run(capsys, "bundle", a, tmp_path / "b.jsonl", "--annotator", "nobody")
    assert rc == 1 and err.startswith("tawsim: a.db: no annotator 'nobody'")
    with Project.open(a) as p:
        annotate(p, "alice", ANEZI)
        alice = export_bytes(p, tmp_path, annotator="alice")
    b = tmp_path / "b.jsonl"
    run(capsys, "bundle", a, b, "--annotator", "alice")
    b.write_bytes(b.read_bytes()[:-20])
    r = tmp_path / "r.db"
    run(capsys, "init", r)
    rc, out, err = run(capsys, "merge", r, b)
    assert rc == 1 and err.startswith(f"tawsim: {b}:3: the bundle is truncated") and out == ""
    with Project.open(r) as p:
        assert p.count_documents() == 0
    b2 = tmp_path / "b2.jsonl"
    run(capsys, "bundle", a, b2, "--annotator", "alice")
    rc, out, err = run(capsys, "merge", r, b2)  # r has no texts
    assert rc == 1 and f"1 text(s) are not in this project: '{ANEZI}'" in err
    rc, out, err = run(capsys, "merge", r, b2, "--add-missing")
    assert rc == 0 and "1 new" in out and "1 missing text(s) added" in out
    with Project.open(r) as p:
        assert export_bytes(p, tmp_path, annotator="alice") == alice
    with pytest.raises(SystemExit) as exc:
        main(["bundle", str(a), str(b)])  # --annotator is required
    assert exc.value.code == 2
