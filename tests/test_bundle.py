"""Bundles between desktops: an annotator's sets go into one file and merge into the reviewer's project matched by
text, once (merging again changes nothing), beside everyone else's work and never over it. A bundle that is cut
short, damaged, needs texts or labels the project lacks, or breaks an invariant is refused whole: FILE:LINE, and
the project exactly as it was."""
from __future__ import annotations

import hashlib
import json

import pytest

from app.core.exchange.bundle import BundleError, write_bundle
from app.core.exchange.merge import merge_bundles
from app.core.exchange.importer import import_sources
from app.core.model import GOLD
from app.core.store import Project
from bundle_helpers import (ANEZI, COLOMINA, SEEDS, later, annotate, bundle_lines, desk,  # noqa: F401
                            export_bytes, new_project, reviewer, snapshot, span)



# ---- writing ------------------------------------------------------------------------------------------------------

def test_bundle_file_layout(desk, tmp_path):
    out = tmp_path / "alice.tawsim-bundle.jsonl"
    s = write_bundle(desk, out, "alice")
    assert (s.annotator, s.sets, s.path) == ("alice", 2, out)
    data = out.read_bytes()
    lines = bundle_lines(out)
    header, trailer = lines[0], lines[-1]
    assert header["format"] == "tawsim-bundle" and header["version"] == 1
    assert (header["annotator"], header["source_project"], header["documents"]) == ("alice", "alice-desk.db", 2)
    signature = trailer.pop("signature")  # and the installation's key signs the checksum (signing.py)
    assert trailer == {"end": True, "count": 2, "sha256": s.sha256}
    from app.core.exchange import signing

    assert header["public_key"] == signing.public_key_text(signing.installation_key())
    assert signing.verify(header["public_key"], signature, s.sha256)
    body = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]
    assert hashlib.sha256(body).hexdigest() == s.sha256
    rec = lines[1]
    d = desk.document(rec["id"])
    assert rec["hash"] == d.hash == hashlib.sha256(d.text.encode()).hexdigest()
    assert rec["updated_at"] == desk.set_updated_at(d.key, "alice")
    assert rec["comment"] == "alice's note" and rec["annotator"] == "alice" and rec["status"] == "done"
    # the export schema's fields, in the export's order
    exported = json.loads(export_bytes(desk, tmp_path, annotator="alice").splitlines()[0])
    assert {k: rec[k] for k in exported} == exported
    assert list(rec)[: len(exported)] == list(exported)


def test_bundle_refuses_gold_and_unknown_annotators(desk, tmp_path):
    with pytest.raises(BundleError, match="adjudicated"):
        write_bundle(desk, tmp_path / "g.jsonl", GOLD)
    with pytest.raises(BundleError, match=r"no annotator 'zed' \(known: alice\)"):
        write_bundle(desk, tmp_path / "z.jsonl", "zed")
    assert not (tmp_path / "g.jsonl").exists() and not (tmp_path / "z.jsonl").exists()


def test_an_annotator_without_sets_gives_an_empty_bundle_that_merges_to_nothing(desk, reviewer, tmp_path):
    desk.ensure_annotator("carol")
    write_bundle(desk, tmp_path / "c.jsonl", "carol")
    before = snapshot(reviewer, tmp_path)
    s = merge_bundles(reviewer, [tmp_path / "c.jsonl"])
    assert (s.new, s.updated, s.unchanged, s.conflicts, s.changed) == (0, 0, 0, [], False)
    assert snapshot(reviewer, tmp_path) == before


# ---- round trip and idempotence --------------------------------------------------------------------------------

def test_round_trip_into_the_reviewers_project(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    others = {n: export_bytes(reviewer, tmp_path, annotator=n) for n in ("rev", GOLD)}
    s = merge_bundles(reviewer, [b])
    assert (s.new, s.updated, s.unchanged, s.conflicts, s.missing) == (2, 0, 0, [], [])
    assert export_bytes(reviewer, tmp_path, annotator="alice") == export_bytes(desk, tmp_path, annotator="alice")
    for doc in (ANEZI, COLOMINA):
        dk, rk = desk.document(doc).key, reviewer.document(doc).key
        assert reviewer.set_updated_at(rk, "alice") == desk.set_updated_at(dk, "alice")  # the annotator's time
        assert reviewer.load(rk, "alice").comment == "alice's note"
    # nobody else's sets moved
    assert {n: export_bytes(reviewer, tmp_path, annotator=n) for n in ("rev", GOLD)} == others


def test_merging_the_same_bundle_twice_changes_nothing(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    merge_bundles(reviewer, [b])
    before = snapshot(reviewer, tmp_path)
    s = merge_bundles(reviewer, [b])
    assert (s.new, s.updated, s.unchanged, s.conflicts, s.changed) == (0, 0, 2, [], False)
    assert snapshot(reviewer, tmp_path) == before
    # and the same bundle twice in one merge, too
    s = merge_bundles(reviewer, [b, b])
    assert (s.new, s.updated, s.unchanged) == (0, 0, 4)
    assert snapshot(reviewer, tmp_path) == before


def test_documents_are_matched_by_text_not_by_id(desk, tmp_path):
    renamed = tmp_path / "renamed.jsonl"
    with open(renamed, "w", encoding="utf-8") as f:
        for i, name in enumerate((COLOMINA, ANEZI)):
            text = (SEEDS / f"{name}.txt").read_bytes().decode("utf-8")
            f.write(json.dumps({"id": f"article-{i}", "text": text}, ensure_ascii=False) + "\n")
    r = Project.create(tmp_path / "r.db")
    import_sources(r, [renamed])
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    s = merge_bundles(r, [b])
    assert (s.new, s.missing) == (2, [])
    assert sorted(r.document_ids()) == ["article-0", "article-1"]  # no document added
    got, want = r.load(r.document("article-1").key, "alice"), desk.load(desk.document(ANEZI).key, "alice")
    assert (got.entities, got.quotes, got.stances, got.status) == (want.entities, want.quotes, want.stances,
                                                                   want.status)
    r.close()


# ---- several annotators, ids, conflicts ------------------------------------------------------------------------

def test_two_annotators_with_the_same_ids_merge_side_by_side(tmp_path, reviewer):
    a, b = new_project(tmp_path, "a"), new_project(tmp_path, "b")
    annotate(a, "alice", ANEZI, variant=0)
    annotate(b, "bob", ANEZI, variant=2)
    write_bundle(a, tmp_path / "alice.jsonl", "alice")
    write_bundle(b, tmp_path / "bob.jsonl", "bob")
    dk = reviewer.document(ANEZI).key
    rev_before = reviewer.load(dk, "rev")
    s = merge_bundles(reviewer, [tmp_path / "alice.jsonl", tmp_path / "bob.jsonl"])
    assert [(r.annotator, r.new) for r in s.bundles] == [("alice", 1), ("bob", 1)]
    alice, bob = reviewer.load(dk, "alice"), reviewer.load(dk, "bob")
    assert {e.id for e in alice.entities} == {e.id for e in bob.entities} == {"e1", "e2"}
    assert {q.id for q in alice.quotes} == {q.id for q in bob.quotes} == {"q1"}
    assert {st.id for st in alice.stances} == {st.id for st in bob.stances} == {"s1", "s2"}
    assert alice.entities != bob.entities  # same ids, each annotator's own spans
    assert alice.entities == a.load(a.document(ANEZI).key, "alice").entities
    assert bob.entities == b.load(b.document(ANEZI).key, "bob").entities
    after = reviewer.load(dk, "rev")
    assert (after.entities, after.quotes, after.stances) == (rev_before.entities, rev_before.quotes,
                                                             rev_before.stances)
    assert set(reviewer.set_annotators(dk)) == {"alice", "bob", "rev", GOLD}
    a.close()
    b.close()


def test_a_newer_bundle_updates_an_older_one_is_a_conflict(desk, reviewer, tmp_path):
    LATER = later()
    b1, b2 = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    write_bundle(desk, b1, "alice")
    merge_bundles(reviewer, [b1])
    dk, rk = desk.document(ANEZI).key, reviewer.document(ANEZI).key
    # alice goes on working: her set changes later than the copy the reviewer has
    desk.add_entity(dk, "alice", *span(desk.document(dk).text, "بلجيكا"), "GPE")
    desk.stamp_set(dk, "alice", LATER)
    write_bundle(desk, b2, "alice")
    s = merge_bundles(reviewer, [b2])
    assert (s.new, s.updated, s.unchanged, s.conflicts) == (0, 1, 1, [])
    assert reviewer.load(rk, "alice").entities == desk.load(dk, "alice").entities
    assert reviewer.set_updated_at(rk, "alice") == LATER
    # the old bundle again: older than the project's set -> kept, reported, the merge still succeeds
    before = snapshot(reviewer, tmp_path)
    s = merge_bundles(reviewer, [b1])
    assert (s.new, s.updated, s.unchanged) == (0, 0, 1)
    assert len(s.conflicts) == 1 and s.conflicts[0].startswith(f"{ANEZI}: kept the project's set by alice")
    assert LATER in s.conflicts[0] and "is not newer" in s.conflicts[0]
    assert snapshot(reviewer, tmp_path) == before
    # the project's copy was changed after the bundle's time (equal times count as not newer, too)
    reviewer.add_entity(rk, "alice", *span(reviewer.document(rk).text, "الاتحاد الأوروبي"), "ORG")
    reviewer.stamp_set(rk, "alice", LATER)
    before = snapshot(reviewer, tmp_path)
    s = merge_bundles(reviewer, [b2])
    assert (s.updated, len(s.conflicts)) == (0, 1)
    assert snapshot(reviewer, tmp_path) == before
    assert any(line.startswith("  conflict: ") for line in s.lines())


def test_bundles_of_one_annotator_in_one_merge_newest_wins(desk, reviewer, tmp_path):
    LATER, MUCH_LATER = later(1), later(2)
    b1, b2 = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    dk = desk.document(ANEZI).key
    desk.stamp_set(dk, "alice", LATER)
    write_bundle(desk, b1, "alice")
    desk.add_entity(dk, "alice", *span(desk.document(dk).text, "بلجيكا"), "GPE")
    desk.stamp_set(dk, "alice", MUCH_LATER)
    write_bundle(desk, b2, "alice")
    s = merge_bundles(reviewer, [b2, b1])  # the older one last: it must not win
    assert (s.bundles[0].new, s.bundles[1].unchanged, len(s.bundles[1].conflicts)) == (2, 1, 1)
    assert reviewer.load(reviewer.document(ANEZI).key, "alice").entities == desk.load(dk, "alice").entities


def test_a_bundle_of_the_reviewers_own_name_is_refused_when_protected(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    before = snapshot(reviewer, tmp_path)
    with pytest.raises(BundleError, match=rf"{b}:1: .*'alice' is your own name"):
        merge_bundles(reviewer, [b], protect=["alice"])
    assert snapshot(reviewer, tmp_path) == before
