"""Entity clusters (issue 15, item 8): mentions of one referent linked in the store (both backends), exported as a
`cluster` id only where two or more mentions share it, read back by import, accepted by validate, carried by
bundles, and undone exactly."""
from __future__ import annotations

import json

import pytest

from app.cli import main
from app.core.model import AnnotationError
from app.core.store import Project, StaleEditError

ANEZI = "kuwait-nato-anezi"


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request) -> str:
    return request.param


def _three_mentions(project):
    d = project.document(ANEZI)
    words = [(d.text.index(w), d.text.index(w) + len(w)) for w in ("الكويت", "العنزي")]
    a = project.add_entity(d.key, "amal", *words[0], "GPE")
    b = project.add_entity(d.key, "amal", *words[1], "PER")
    nxt = d.text.index("الكويت", words[0][1])
    c = project.add_entity(d.key, "amal", nxt, nxt + len("الكويت"), "GPE")
    return d, a, b, c


def clusters_of(project, doc_key) -> dict:
    return {e.id: e.cluster for e in project.load(doc_key, "amal").entities}


def test_link_merge_unlink_and_their_undo(project):
    d, a, b, c = _three_mentions(project)
    first = project.link_mentions(d.key, "amal", a.id, c.id)
    assert clusters_of(project, d.key) == {a.id: "c1", b.id: None, c.id: "c1"}
    second = project.link_mentions(d.key, "amal", b.id, a.id)  # b joins a's cluster
    assert set(clusters_of(project, d.key).values()) == {"c1"}
    with pytest.raises(AnnotationError, match="already linked"):
        project.link_mentions(d.key, "amal", c.id, b.id)
    project.apply_cluster_change(d.key, "amal", second.reversed())  # undo
    assert clusters_of(project, d.key) == {a.id: "c1", b.id: None, c.id: "c1"}
    gone = project.unlink_mention(d.key, "amal", c.id)
    assert clusters_of(project, d.key) == {a.id: None, b.id: None, c.id: None}  # a lone mention is no cluster
    project.apply_cluster_change(d.key, "amal", gone.reversed())
    project.apply_cluster_change(d.key, "amal", first.reversed())
    assert set(clusters_of(project, d.key).values()) == {None}
    with pytest.raises(StaleEditError):  # redo of the second link after its first member changed under it
        project.apply_cluster_change(d.key, "amal", second)


def test_two_clusters_merge_into_one(project):
    d, a, b, c = _three_mentions(project)
    e = project.add_entity(d.key, "amal", d.text.index("بلجيكا"), d.text.index("بلجيكا") + 6, "GPE")
    project.link_mentions(d.key, "amal", a.id, c.id)
    project.link_mentions(d.key, "amal", b.id, e.id)
    change = project.link_mentions(d.key, "amal", c.id, e.id)
    assert len(set(clusters_of(project, d.key).values())) == 1
    project.apply_cluster_change(d.key, "amal", change.reversed())
    got = clusters_of(project, d.key)
    assert got[a.id] == got[c.id] != got[b.id] == got[e.id]


def test_deleting_a_mention_and_undoing_puts_it_back_in_its_cluster(project):
    d, a, b, c = _three_mentions(project)
    project.link_mentions(d.key, "amal", a.id, c.id)
    removal = project.delete_entity(d.key, "amal", c.id)
    assert clusters_of(project, d.key)[a.id] is None
    project.restore_entity(d.key, "amal", removal)
    assert clusters_of(project, d.key) == {a.id: "c1", b.id: None, c.id: "c1"}


def test_export_carries_cluster_only_on_linked_mentions_and_round_trips(tmp_path):
    p = Project.create(tmp_path / "p.db")
    from app.core.exchange.importer import import_sources
    from conftest import SEEDS
    import_sources(p, [SEEDS])
    d, a, b, c = _three_mentions(p)
    before = (tmp_path / "before.jsonl")
    assert main(["export", str(tmp_path / "p.db"), str(before), "--annotator", "amal"]) == 0
    p.link_mentions(d.key, "amal", a.id, c.id)
    p.close()
    out = tmp_path / "out.jsonl"
    assert main(["export", str(tmp_path / "p.db"), str(out), "--annotator", "amal"]) == 0
    line = json.loads(out.read_text(encoding="utf-8"))
    assert {e["id"]: e.get("cluster") for e in line["entities"]} == {a.id: "c1", b.id: None, c.id: "c1"}
    assert list(line["entities"][0]) == ["id", "start", "end", "label", "text", "cluster"]
    # Without clusters the bytes are what they were: no "cluster" key at all.
    assert b'"cluster"' not in before.read_bytes()
    assert main(["validate", str(out)]) == 0
    # Import into a new project, export again: the same bytes.
    assert main(["init", str(tmp_path / "q.db")]) == 0
    assert main(["import", str(tmp_path / "q.db"), str(out)]) == 0
    again = tmp_path / "again.jsonl"
    assert main(["export", str(tmp_path / "q.db"), str(again), "--annotator", "amal"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_validate_and_import_refuse_a_cluster_that_is_not_a_string(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "d", "text": "قال الوزير", "meta": {}, "annotator": "amal", "status": "todo",
                               "schema_version": 1, "entities": [{"id": "e1", "start": 4, "end": 10, "label": "PER",
                                                                  "text": "الوزير", "cluster": 7}],
                               "quotes": [], "stances": []}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "bad.jsonl:1: entity #1: cluster must be a non-empty string, got 7" in capsys.readouterr().out
    assert main(["init", str(tmp_path / "p.db")]) == 0
    assert main(["import", str(tmp_path / "p.db"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:1" in err and "cluster" in err


def test_a_bundle_carries_clusters_into_the_reviewers_project(tmp_path):
    from app.core.exchange.importer import import_sources
    from conftest import SEEDS
    desk = Project.create(tmp_path / "desk.db")
    import_sources(desk, [SEEDS])
    d, a, b, c = _three_mentions(desk)
    desk.link_mentions(d.key, "amal", a.id, c.id)
    desk.close()
    bundle = tmp_path / "amal.tawsim-bundle.jsonl"
    assert main(["bundle", str(tmp_path / "desk.db"), str(bundle), "--annotator", "amal"]) == 0
    rev = Project.create(tmp_path / "rev.db")
    import_sources(rev, [SEEDS])
    rev.close()
    assert main(["merge", str(tmp_path / "rev.db"), str(bundle)]) == 0
    rev = Project.open(tmp_path / "rev.db")
    got = clusters_of(rev, rev.document(ANEZI).key)
    rev.close()
    assert got == {a.id: "c1", b.id: None, c.id: "c1"}


def test_suggested_quotes_give_a_clustered_title_the_named_mention(tmp_path, capsys):
    """`tawsim suggest` (what the window proposes): «الوزير» linked to the minister's name speaks as that name."""
    text = "وصل أحمد سالم إلى بغداد أمس في زيارة رسمية. وقال الوزير إن المحادثات كانت صريحة جدا."
    ents = [{"id": "e1", "start": text.index("أحمد سالم"), "end": text.index("أحمد سالم") + 9, "label": "PER",
             "text": "أحمد سالم"},
            {"id": "e2", "start": text.index("الوزير"), "end": text.index("الوزير") + 6, "label": "PER",
             "text": "الوزير"}]
    rec = {"id": "d", "text": text, "meta": {}, "annotator": "amal", "status": "todo", "schema_version": 1,
           "entities": ents, "quotes": [], "stances": []}
    db, out = tmp_path / "p.db", tmp_path / "s.jsonl"
    assert main(["init", str(db)]) == 0
    for name, linked in (("plain.jsonl", False), ("linked.jsonl", True)):
        if linked:
            for e in ents:
                e["cluster"] = "c1"
        src = tmp_path / name
        src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
        assert main(["import", str(db), str(src), "--replace"] if linked else ["import", str(db), str(src)]) == 0
        assert main(["suggest", str(db), str(out), "--annotator", "amal", "--kinds", "quotes"]) == 0
        (q,) = json.loads(out.read_text(encoding="utf-8"))["quotes"]
        assert q["speaker_text"] == ("أحمد سالم" if linked else "الوزير")


def test_a_window_heartbeat_on_a_lost_server_raises_nothing(pg_url, qtbot):
    """A server project's connection gone (closed, or the server lost) before the window's lease heartbeat fires:
    the beat is skipped, not raised into the event loop (the next edit reports the lost server)."""
    from app.ui.session import Session

    p = Project.create(pg_url)
    session = Session(p, "amal")
    p.close()
    session._beat()  # raised ServerGone out of the QTimer before
    session._heartbeat.stop()
