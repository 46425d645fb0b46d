"""Editing the label set in the core: renames and removals carry annotations along, never drop them; guidelines
are stored in the project and survive a reopen."""
from __future__ import annotations

import json

import pytest

from app.core.exchange.exporter import export_jsonl
from app.core.store.guidelines import DEFAULT_GUIDELINES, get_guidelines, set_guidelines
from app.core.model import ENTITY, QUOTE_KIND, STANCE, AnnotationError, Label
from app.core.store import Project

DOC = "kuwait-nato-anezi"


def at(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


@pytest.fixture
def annotated(project):
    """PER×2 (two annotators), GPE×1, one indirect quote, one favor stance."""
    doc = project.document(DOC)
    t = doc.text
    project.add_entity(doc.key, "alice", *at(t, "نواف العنزي"), "PER")
    project.add_entity(doc.key, "bob", *at(t, "نواف العنزي"), "PER")
    project.add_entity(doc.key, "alice", *at(t, "الكويت"), "GPE")
    project.add_quote(doc.key, "alice", *at(t, "الكويت لديها علاقات"), kind="indirect", speaker="e1")
    project.add_stance(doc.key, "alice", "favor", target="e2")
    return doc


def exported(project, tmp_path) -> list[dict]:
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_label_usage_counts_each_kind(project, annotated):
    assert project.label_usage(ENTITY, "PER") == 2
    assert project.label_usage(ENTITY, "GPE") == 1
    assert project.label_usage(ENTITY, "ORG") == 0
    assert project.label_usage(STANCE, "favor") == 1
    assert project.label_usage(QUOTE_KIND, "indirect") == 1
    assert project.label_usage(QUOTE_KIND, "direct") == 0


def test_rename_moves_annotations_and_export_shows_new_name(project, annotated, tmp_path):
    project.rename_label(ENTITY, "PER", "PERSON")
    assert "PERSON" in project.label_names(ENTITY) and "PER" not in project.label_names(ENTITY)
    assert project.label_usage(ENTITY, "PERSON") == 2 and project.label_usage(ENTITY, "PER") == 0
    renamed = next(l for l in project.labels(ENTITY) if l.name == "PERSON")
    assert (renamed.display, renamed.key) == ("شخص", "1")  # everything but the name is kept
    lines = [l for l in exported(project, tmp_path) if l["id"] == DOC]
    labels = sorted(e["label"] for l in lines for e in l["entities"])
    assert labels == ["GPE", "PERSON", "PERSON"]
    # The links survive: the quote's speaker still names the renamed entity.
    alice = next(l for l in lines if l["annotator"] == "alice")
    assert alice["quotes"][0]["speaker"] == "e1" and alice["quotes"][0]["speaker_text"] == "نواف العنزي"
    project.add_entity(annotated.key, "carol", 0, 3, "PERSON")  # the new name is usable at once


def test_rename_stance_and_quote_kind(project, annotated):
    project.rename_label(STANCE, "favor", "pro")
    project.rename_label(QUOTE_KIND, "indirect", "reported")
    aset = project.load(annotated.key, "alice")
    assert [s.label for s in aset.stances] == ["pro"]
    assert [q.kind for q in aset.quotes] == ["reported"]


def test_rename_refuses_existing_name_and_bad_names(project, annotated):
    with pytest.raises(AnnotationError, match="already exists"):
        project.rename_label(ENTITY, "PER", "ORG")
    with pytest.raises(AnnotationError, match="spaces"):
        project.rename_label(ENTITY, "PER", "A PERSON")
    with pytest.raises(AnnotationError, match="no entity label"):
        project.rename_label(ENTITY, "NOPE", "X")
    assert project.label_usage(ENTITY, "PER") == 2


def test_remove_in_use_refuses_and_changes_nothing(project, annotated):
    with pytest.raises(AnnotationError, match="used by 2"):
        project.remove_label(ENTITY, "PER")
    assert "PER" in project.label_names(ENTITY)
    assert project.label_usage(ENTITY, "PER") == 2


def test_remove_with_replacement_moves_annotations(project, annotated, tmp_path):
    assert project.remove_label(ENTITY, "PER", replace_with="MISC") == 2
    assert "PER" not in project.label_names(ENTITY)
    assert project.label_usage(ENTITY, "MISC") == 2
    lines = [l for l in exported(project, tmp_path) if l["id"] == DOC]
    assert sum(len(l["entities"]) for l in lines) == 3  # nothing dropped
    with pytest.raises(AnnotationError):
        project.remove_label(STANCE, "favor", replace_with="nonexistent")
    with pytest.raises(AnnotationError, match="itself"):
        project.remove_label(STANCE, "favor", replace_with="favor")
    assert project.label_usage(STANCE, "favor") == 1


def test_remove_unused_label(project, annotated):
    assert project.remove_label(ENTITY, "EVENT") == 0
    assert "EVENT" not in project.label_names(ENTITY)


def test_last_label_of_a_kind_stays(empty_project):
    empty_project.remove_label(QUOTE_KIND, "indirect")
    with pytest.raises(AnnotationError, match="last"):
        empty_project.remove_label(QUOTE_KIND, "direct")


def test_duplicate_key_refused(project):
    with pytest.raises(AnnotationError, match="already used by entity label 'PER'"):
        project.update_label(ENTITY, "ORG", key="1")
    with pytest.raises(AnnotationError, match="already used"):
        project.add_label(Label("WEAPON", ENTITY, "سلاح", "#123456", "2"))
    with pytest.raises(AnnotationError, match="one character"):
        project.update_label(ENTITY, "ORG", key="12")
    project.update_label(STANCE, "favor", key="p")  # keys are unique within a kind only
    project.update_label(STANCE, "favor", key="f")
    with pytest.raises(AnnotationError, match="digit 1-9"):
        project.update_label(ENTITY, "ORG", key="x")  # letters are commands in the article view
    with pytest.raises(AnnotationError, match="taken by a command"):
        project.update_label(STANCE, "favor", key="q")  # Q makes a quote
    with pytest.raises(AnnotationError, match="taken by a command"):
        project.update_label(STANCE, "favor", key="3")
    project.update_label(ENTITY, "ORG", key="2")  # its own key is fine
    assert next(l for l in project.labels(ENTITY) if l.name == "ORG").key == "2"


def test_add_label_validates_and_appends(project):
    lab = project.add_label(Label("WEAPON", ENTITY, "سلاح", "#123456", "8"))
    assert lab.position == max(l.position for l in project.labels(ENTITY))
    assert project.labels(ENTITY)[-1].name == "WEAPON"
    with pytest.raises(AnnotationError, match="already exists"):
        project.add_label(Label("WEAPON", ENTITY))
    with pytest.raises(AnnotationError, match="kind"):
        project.add_label(Label("X", "colour"))
    project.add_label(Label("WEAPON", STANCE))  # same name in another kind is another label


def test_update_label_returns_old_and_invalidates_cache(project):
    project.labels()  # fill the cache
    old = project.update_label(ENTITY, "GPE", display="دولة", color="#112233")
    assert old.display == "كيان جغرافي سياسي"
    now = next(l for l in project.labels(ENTITY) if l.name == "GPE")
    assert (now.display, now.color, now.key) == ("دولة", "#112233", "4")


def test_edits_persist_across_reopen(tmp_path):
    path = tmp_path / "p.db"
    with Project.create(path) as p:
        p.rename_label(ENTITY, "MISC", "OTHER")
        p.update_label(ENTITY, "OTHER", color="#010203")
    with Project.open(path) as p:
        other = next(l for l in p.labels(ENTITY) if l.name == "OTHER")
        assert other.color == "#010203"


def test_guidelines_default_get_set_persist(tmp_path):
    path = tmp_path / "g.db"
    with Project.create(path) as p:
        assert get_guidelines(p) == DEFAULT_GUIDELINES
        set_guidelines(p, "# قواعدنا\n\nالكويت → GPE")
    with Project.open(path) as p:
        assert get_guidelines(p) == "# قواعدنا\n\nالكويت → GPE"
        set_guidelines(p, "   ")  # blank brings the default back
        assert get_guidelines(p) == DEFAULT_GUIDELINES


def test_default_guidelines_cover_the_labels_and_rules():
    g = DEFAULT_GUIDELINES
    for name in ("PER", "ORG", "LOC", "GPE", "DATE", "EVENT", "MISC", "favor", "against", "neutral", "unclear"):
        assert name in g
    for word in ("الكويت", "حلف شمال الأطلسي", "الناتو", "سفير الكويت", "«", "“", "إن", "أن",
                 "قال", "أكد", "أشار", "أوضح", "أضاف", "ذكر", "صرح", "شدد", "لفت"):
        assert word in g, word
