"""The project store: annotation edits and their undo, the document list, and the file itself."""
from __future__ import annotations

import sqlite3

import pytest

from app.core.model import AnnotationError, Label
from app.core.store.schema import SCHEMA_VERSION
from app.core.store import Project, ProjectError

ANEZI = "kuwait-nato-anezi"
COLOMINA = "kuwait-nato-colomina"


def at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    s = -1
    for _ in range(nth + 1):
        s = text.index(part, s + 1)
    return s, s + len(part)


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request) -> str:
    """Every store test that uses a project runs on both backends."""
    return request.param


@pytest.fixture
def doc(project):
    return project.document(ANEZI)


# ---- entities ---------------------------------------------------------------------------------------------------

def test_add_entity_derives_text_and_ids(project, doc):
    e1 = project.add_entity(doc.key, "alice", *at(doc.text, "نواف العنزي"), "PER")
    e2 = project.add_entity(doc.key, "alice", *at(doc.text, "الكويت"), "GPE")
    assert (e1.id, e1.text, e1.label) == ("e1", "نواف العنزي", "PER")
    assert e2.id == "e2"
    aset = project.load(doc.key, "alice")
    assert [e.text for e in aset.entities] == ["الكويت", "نواف العنزي"]  # document order
    assert aset.entity("e1") == e1
    assert project.set_annotators(doc.key) == ["alice"]
    # Ids stay unique after a deletion in the middle.
    project.delete_entity(doc.key, "alice", "e1")
    e3 = project.add_entity(doc.key, "alice", *at(doc.text, "بلجيكا"), "GPE")
    assert e3.id not in {"e2"}
    assert len({e.id for e in project.load(doc.key, "alice").entities}) == 2


@pytest.mark.parametrize("start, end", [(5, 5), (6, 5), (-1, 3), (0, 10**6), (True, 3), (1.0, 3)])
def test_add_entity_refuses_bad_offsets(project, doc, start, end):
    with pytest.raises(AnnotationError):
        project.add_entity(doc.key, "alice", start, end, "PER")
    assert not project.has_set(doc.key, "alice")


def test_add_entity_refuses_unknown_label_and_duplicate_id(project, doc):
    with pytest.raises(AnnotationError, match="unknown entity label 'PERSON'"):
        project.add_entity(doc.key, "alice", 0, 3, "PERSON")
    project.add_entity(doc.key, "alice", 0, 3, "PER", entity_id="x")
    with pytest.raises(AnnotationError, match="already exists"):
        project.add_entity(doc.key, "alice", 4, 8, "PER", entity_id="x")
    with pytest.raises(AnnotationError, match="annotator name is empty"):
        project.add_entity(doc.key, "  ", 0, 3, "PER")


def test_update_entity_moves_relabels_and_keeps_links_in_step(project, doc):
    k, t = doc.key, doc.text
    e = project.add_entity(k, "alice", *at(t, "نواف"), "ORG")
    q = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات"), speaker=e.id)
    s = project.add_stance(k, "alice", "favor", target=e.id)
    old = project.update_entity(k, "alice", e.id, label="PER", end=at(t, "نواف العنزي")[1])
    assert old == e
    aset = project.load(k, "alice")
    assert (aset.entities[0].label, aset.entities[0].text) == ("PER", "نواف العنزي")
    assert aset.quotes[0].speaker_text == "نواف العنزي"
    assert aset.stances[0].target_text == "نواف العنزي"
    assert (q.speaker, s.target) == (e.id, e.id)
    with pytest.raises(AnnotationError):
        project.update_entity(k, "alice", e.id, start=len(t))
    with pytest.raises(AnnotationError):
        project.update_entity(k, "alice", e.id, label="NOPE")
    with pytest.raises(AnnotationError, match="no entity"):
        project.update_entity(k, "alice", "e99", label="PER")
    assert project.load(k, "alice").entities[0].text == "نواف العنزي"  # refused edits changed nothing


def test_delete_entity_unlinks_but_keeps_text_and_restore_relinks(project, doc):
    k, t = doc.key, doc.text
    per = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    gpe = project.add_entity(k, "alice", *at(t, "الكويت"), "GPE")
    q1 = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات"), speaker=per.id)
    q2 = project.add_quote(k, "alice", *at(t, "أول دولة"), speaker=gpe.id)
    s1 = project.add_stance(k, "alice", "favor", target=per.id)
    s2 = project.add_stance(k, "alice", "against", target=gpe.id)
    before = project.load(k, "alice")

    removal = project.delete_entity(k, "alice", per.id)
    assert removal.entity == per
    assert removal.unlinked_quotes == (q1.id,) and removal.unlinked_stances == (s1.id,)
    after = project.load(k, "alice")
    assert [e.id for e in after.entities] == [gpe.id]
    quote = next(q for q in after.quotes if q.id == q1.id)
    assert (quote.speaker, quote.speaker_text) == (None, "نواف العنزي")  # link gone, text kept
    stance = next(s for s in after.stances if s.id == s1.id)
    assert (stance.target, stance.target_text) == (None, "نواف العنزي")
    assert next(q for q in after.quotes if q.id == q2.id).speaker == gpe.id  # others untouched
    assert next(s for s in after.stances if s.id == s2.id).target == gpe.id

    project.restore_entity(k, "alice", removal)
    restored = project.load(k, "alice")
    assert (restored.entities, restored.quotes, restored.stances) == (before.entities, before.quotes, before.stances)

    with pytest.raises(AnnotationError, match="no entity"):
        project.delete_entity(k, "alice", "e99")
    with pytest.raises(AnnotationError, match="has no annotations"):
        project.delete_entity(k, "nobody", per.id)


# ---- quotes -----------------------------------------------------------------------------------------------------

def test_quote_with_speaker_cue_and_kind(project, doc):
    k, t = doc.key, doc.text
    per = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    q = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات شراكة متميزة"), speaker=per.id, cue=at(t, "أكد"),
                          kind="indirect")
    assert (q.id, q.text, q.speaker, q.speaker_text, q.kind) == (
        "q1", "الكويت لديها علاقات شراكة متميزة", per.id, "نواف العنزي", "indirect")
    assert (q.cue.start, q.cue.end, q.cue.text) == (*at(t, "أكد"), "أكد")
    # A speaker that is not an entity: free text only.
    q2 = project.add_quote(k, "alice", *at(t, "أول دولة"), speaker_text="مصدر مطلع")
    assert (q2.speaker, q2.speaker_text, q2.cue, q2.kind) == (None, "مصدر مطلع", None, "direct")
    with pytest.raises(AnnotationError, match="no entity 'e9'"):
        project.add_quote(k, "alice", 0, 3, speaker="e9")
    with pytest.raises(AnnotationError, match="quote kind"):
        project.add_quote(k, "alice", 0, 3, kind="rumour")
    with pytest.raises(AnnotationError, match="cue"):
        project.add_quote(k, "alice", 0, 3, cue=(5, 5))
    with pytest.raises(AnnotationError, match="already exists"):
        project.add_quote(k, "alice", 0, 3, quote_id=q.id)
    assert len(project.load(k, "alice").quotes) == 2


def test_update_quote(project, doc):
    k, t = doc.key, doc.text
    per = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    q = project.add_quote(k, "alice", *at(t, "الكويت لديها"), cue=at(t, "أكد"))
    old = project.update_quote(k, "alice", q.id, end=at(t, "الكويت لديها علاقات")[1], speaker=per.id,
                               kind="indirect")
    assert old == q
    new = project.quote(k, "alice", q.id)
    assert (new.text, new.speaker_text, new.kind, new.cue) == ("الكويت لديها علاقات", "نواف العنزي", "indirect",
                                                               q.cue)
    project.update_quote(k, "alice", q.id, cue=None, speaker=None, speaker_text="آخر")
    new = project.quote(k, "alice", q.id)
    assert (new.cue, new.speaker, new.speaker_text) == (None, None, "آخر")
    with pytest.raises(AnnotationError):
        project.update_quote(k, "alice", q.id, start=new.end)
    with pytest.raises(AnnotationError, match="no quote"):
        project.update_quote(k, "alice", "q9", kind="direct")


def test_delete_quote_removes_its_stances_and_restore_brings_them_back(project, doc):
    k, t = doc.key, doc.text
    gpe = project.add_entity(k, "alice", *at(t, "الكويت"), "GPE")
    q1 = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات"), cue=at(t, "أكد"))
    q2 = project.add_quote(k, "alice", *at(t, "أول دولة"))
    s_doc = project.add_stance(k, "alice", "neutral")
    s_q1 = project.add_stance(k, "alice", "favor", target=gpe.id, scope=q1.id)
    s_q1b = project.add_stance(k, "alice", "against", scope=q1.id)
    s_q2 = project.add_stance(k, "alice", "unclear", scope=q2.id)
    before = project.load(k, "alice")

    removal = project.delete_quote(k, "alice", q1.id)
    assert removal.quote == q1
    assert removal.stances == (s_q1, s_q1b)
    after = project.load(k, "alice")
    assert [q.id for q in after.quotes] == [q2.id]
    assert [s.id for s in after.stances] == [s_doc.id, s_q2.id]

    project.restore_quote(k, "alice", removal)
    restored = project.load(k, "alice")
    assert restored.quotes == before.quotes
    assert sorted(restored.stances, key=lambda s: s.id) == sorted(before.stances, key=lambda s: s.id)


# ---- stances ----------------------------------------------------------------------------------------------------

def test_stances_document_and_quote_scope(project, doc):
    k, t = doc.key, doc.text
    gpe = project.add_entity(k, "alice", *at(t, "الكويت"), "GPE")
    q = project.add_quote(k, "alice", *at(t, "أول دولة"))
    s1 = project.add_stance(k, "alice", "favor", target=gpe.id)
    s2 = project.add_stance(k, "alice", "against", target_text="الاتحاد الأوروبي", scope=q.id)
    assert (s1.id, s1.scope, s1.target_text) == ("s1", "document", "الكويت")
    assert (s2.scope, s2.target, s2.target_text) == (q.id, None, "الاتحاد الأوروبي")
    assert project.load(k, "alice").stances == [s1, s2]
    with pytest.raises(AnnotationError, match="neither 'document' nor a quote id"):
        project.add_stance(k, "alice", "favor", scope="q42")
    with pytest.raises(AnnotationError, match="unknown stance label"):
        project.add_stance(k, "alice", "love")
    with pytest.raises(AnnotationError, match="no entity"):
        project.add_stance(k, "alice", "favor", target="e42")

    old = project.update_stance(k, "alice", s1.id, label="neutral")
    assert old == s1
    old = project.update_stance(k, "alice", s2.id, target=gpe.id)
    assert old == s2
    got = {s.id: s for s in project.load(k, "alice").stances}
    assert got[s1.id].label == "neutral"
    assert (got[s2.id].target, got[s2.id].target_text) == (gpe.id, "الكويت")
    assert project.delete_stance(k, "alice", s1.id) == got[s1.id]
    assert [s.id for s in project.load(k, "alice").stances] == [s2.id]
    with pytest.raises(AnnotationError, match="no stance"):
        project.delete_stance(k, "alice", s1.id)


# ---- status and the document list -------------------------------------------------------------------------------

def test_set_status(project, doc):
    assert project.set_status(doc.key, "alice", "done") == "todo"
    assert project.set_status(doc.key, "alice", "flagged", comment="لا أعرف") == "done"
    aset = project.load(doc.key, "alice")
    assert (aset.status, aset.comment) == ("flagged", "لا أعرف")
    project.set_status(doc.key, "alice", "skipped")
    assert project.load(doc.key, "alice").comment == "لا أعرف"  # comment=None keeps it
    with pytest.raises(AnnotationError, match="unknown status"):
        project.set_status(doc.key, "alice", "finished")
    assert project.load(doc.key, "alice").status == "skipped"
    assert project.load(doc.key, "bob").status == "todo"  # each annotator has their own


def test_list_documents_rows_and_per_annotator_status(project, doc):
    rows = project.list_documents()
    assert [r.id for r in rows] == [ANEZI, COLOMINA]
    assert rows[0].title.startswith("أكد سفير الكويت") and len(rows[0].title.split()) == 12
    assert {r.status for r in rows} == {"todo"} and {r.n_labels for r in rows} == {0}
    project.add_entity(doc.key, "alice", 0, 3, "PER")
    project.add_quote(doc.key, "alice", 4, 8)
    project.add_stance(doc.key, "alice", "favor")
    project.set_status(doc.key, "alice", "done")
    alice = project.list_documents(annotator="alice")
    assert [(r.id, r.status, r.n_labels) for r in alice] == [(ANEZI, "done", 3), (COLOMINA, "todo", 0)]
    bob = project.list_documents(annotator="bob")
    assert [(r.status, r.n_labels) for r in bob] == [("todo", 0), ("todo", 0)]
    assert [r.id for r in project.list_documents(annotator="alice", status="done")] == [ANEZI]
    assert [r.id for r in project.list_documents(annotator="alice", status="todo")] == [COLOMINA]
    assert project.count_documents(annotator="alice", status="done") == 1
    assert project.count_documents(annotator="bob", status="done") == 0
    assert project.count_documents(annotator="bob", status="todo") == 2


@pytest.fixture
def many(empty_project, tmp_path):
    import json

    from app.core.exchange.importer import import_sources

    src = tmp_path / "m.jsonl"
    src.write_text("".join(json.dumps({"id": f"n{i:02d}", "text": f"خبر {i} عن {'الكويت' if i % 3 == 0 else 'بلجيكا'}"},
                                      ensure_ascii=False) + "\n" for i in range(25)), encoding="utf-8")
    import_sources(empty_project, [src])
    return empty_project


def test_list_documents_paging(many):
    assert many.count_documents() == 25
    pages = [many.list_documents(offset=o, limit=10) for o in (0, 10, 20, 30)]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    ids = [r.id for p in pages for r in p]
    assert ids == [f"n{i:02d}" for i in range(25)]
    assert [r.id for r in many.list_documents(offset=3, limit=2, search="الكويت")] == ["n09", "n12"]
    assert many.count_documents(search="الكويت") == 9


@pytest.mark.parametrize("query, expected", [
    ("الكويت", {ANEZI, COLOMINA}),
    ("الكويـــت", {ANEZI, COLOMINA}),           # tatweel ignored in the query
    ("الكُوَيْت", {ANEZI, COLOMINA}),            # tashkeel ignored in the query
    ("خافيير كولومينا", {COLOMINA}),
    ("خافِيير", {COLOMINA}),
    ("اسطنبول", {ANEZI, COLOMINA}),             # hamza form folded (both write إسطنبول)
    ("الاميركي", {ANEZI}),                      # written الأميركي
    ("انذاك", {ANEZI}),                         # written آنذاك
    ("ٱنذاك", {ANEZI}),                         # alef wasla folds too
    ("colomina", {COLOMINA}),                   # the id is searched too, case-insensitive
    ("ANEZI", {ANEZI}),
    ("طوكيو", set()),
    ("   ", {ANEZI, COLOMINA}),                 # a blank search is no filter
])
def test_search_ignores_tashkeel_tatweel_and_hamza(project, query, expected):
    assert {r.id for r in project.list_documents(search=query)} == expected
    assert project.count_documents(search=query) == len(expected)


def test_search_finds_text_written_with_tashkeel(empty_project, tmp_path):
    from app.core.exchange.importer import import_sources

    (tmp_path / "t.txt").write_text("زارَ وفدُ الكُوَيْتِ مقرَّ الحلفِ", encoding="utf-8")
    import_sources(empty_project, [tmp_path / "t.txt"])
    assert [r.id for r in empty_project.list_documents(search="الكويت")] == ["t"]
    assert [r.id for r in empty_project.list_documents(search="مقر الحلف")] == ["t"]


def test_next_document(many):
    keys = [r.key for r in many.list_documents(limit=100)]
    assert many.next_document(keys[0], "alice") == keys[1]
    for k in keys[1:4]:
        many.set_status(k, "alice", "done")
    assert many.next_document(keys[0], "alice") == keys[4]
    assert many.next_document(keys[-1], "alice") == keys[0]  # wraps around
    assert many.next_document(keys[0], "alice", statuses=("done",)) == keys[1]
    assert many.next_document(keys[3], "alice", statuses=("done",)) == keys[1]  # wraps to the first done
    assert many.next_document(keys[0], "alice", statuses=("flagged",)) is None
    assert many.next_document(keys[0], "bob") == keys[1]  # bob's statuses are his own
    for k in keys:
        many.set_status(k, "alice", "done")
    assert many.next_document(keys[5], "alice") is None


def test_document_lookup(project):
    d = project.document(ANEZI)
    assert project.document(d.key) == d
    with pytest.raises(ProjectError, match="no document"):
        project.document("nope")
    with pytest.raises(ProjectError):
        project.document(999)


# ---- the file -----------------------------------------------------------------------------------------------------

def test_check_constraints_refuse_bad_offsets_even_via_raw_sql(project, doc):
    project.add_entity(doc.key, "alice", 0, 3, "PER")
    sk = project.load(doc.key, "alice").key
    for start, end in ((5, 5), (6, 5), (-1, 2)):
        with pytest.raises(sqlite3.IntegrityError, match="(?i)CHECK"):
            project.conn.execute('INSERT INTO entities (set_key, id, start, "end", label) VALUES (?, ?, ?, ?, ?)',
                                 (sk, f"x{start}", start, end, "PER"))
        with pytest.raises(sqlite3.IntegrityError, match="(?i)CHECK"):
            project.conn.execute('INSERT INTO quotes (set_key, id, start, "end", kind) VALUES (?, ?, ?, ?, ?)',
                                 (sk, f"x{start}", start, end, "direct"))
    with pytest.raises(sqlite3.IntegrityError, match="(?i)CHECK"):
        project.conn.execute('UPDATE entities SET "end" = start WHERE set_key = ?', (sk,))
    with pytest.raises(sqlite3.IntegrityError, match="(?i)CHECK"):  # a cue needs both ends
        project.conn.execute('INSERT INTO quotes (set_key, id, start, "end", cue_start, kind) VALUES (?, ?, ?, ?, ?, ?)',
                             (sk, "c", 0, 3, 1, "direct"))
    with pytest.raises(sqlite3.IntegrityError, match="(?i)CHECK"):
        project.conn.execute("UPDATE annotation_sets SET status = 'finished' WHERE key = ?", (sk,))
    with pytest.raises(sqlite3.IntegrityError):  # the same text cannot be stored twice
        project.conn.execute("INSERT INTO documents (id, text, hash) VALUES ('dup', ?, ?)", (doc.text, doc.hash))
    assert [(e.start, e.end) for e in project.load(doc.key, "alice").entities] == [(0, 3)]


def test_reopening_sees_everything_at_once(project, doc):
    """Every edit is committed when the call returns: a second connection (or a crash-reopen) sees it."""
    k, t = doc.key, doc.text
    e = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    with Project.open(project.path) as other:
        assert other.load(k, "alice").entities == [e]
    q = project.add_quote(k, "alice", *at(t, "أول دولة"), speaker=e.id, cue=at(t, "أكد"))
    s = project.add_stance(k, "alice", "favor", target=e.id, scope=q.id)
    project.set_status(k, "alice", "done", comment="تم")
    project.set_setting("font_size", 18)
    with Project.open(project.path) as other:
        aset = other.load(k, "alice")
        assert (aset.entities, aset.quotes, aset.stances) == ([e], [q], [s])
        assert (aset.status, aset.comment) == ("done", "تم")
        assert other.setting("font_size") == 18
        assert other.count_documents() == 2
    project.delete_entity(k, "alice", e.id)
    with Project.open(project.path) as other:
        assert other.load(k, "alice").entities == []
        assert other.load(k, "alice").quotes[0].speaker is None


def test_nested_transaction_rolls_back_as_one(project, doc):
    with pytest.raises(RuntimeError):
        with project.transaction():
            project.add_entity(doc.key, "alice", 0, 3, "PER")
            project.add_entity(doc.key, "alice", 4, 8, "PER")
            raise RuntimeError("boom")
    assert not project.has_set(doc.key, "alice")
    assert "alice" not in project.annotators()


def test_newer_schema_version_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, '2099-01-01')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match=rf"schema version {SCHEMA_VERSION + 1} is newer than this Tawsim "
                                           rf"understands \({SCHEMA_VERSION}\); please upgrade"):
        Project.open(path)


@pytest.mark.parametrize("content, message", [
    (b"this is not a database, just text\n" * 40, "not a Tawsim project"),
    (b"", "not a Tawsim project (no schema_version table)"),
])
def test_open_non_project_file(tmp_path, content, message):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        Project.open(path)
    assert str(path) in str(err.value)


def test_open_other_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="no schema_version table"):
        Project.open(path)


def test_open_missing_and_create_existing(tmp_path, project):
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.db")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project.path)
    with pytest.raises(ProjectError, match="cannot create"):
        Project.create(tmp_path / "no" / "such" / "folder" / "p.db")


def test_open_or_create(tmp_path):
    path = tmp_path / "p.db"
    with Project.open_or_create(path) as p:
        p.set_setting("k", [1, "ب"])
    with Project.open_or_create(path) as p:
        assert p.setting("k") == [1, "ب"]
        assert p.setting("missing", "dflt") == "dflt"


def test_labels_and_annotators(project, doc):
    names = {l.name for l in project.labels("entity")}
    assert {"PER", "ORG", "LOC", "GPE"} <= names
    assert project.label_names("stance") == {"favor", "against", "neutral", "unclear"}
    assert project.label_names("quote_kind") == {"direct", "indirect"}
    project.add_labels([Label("WEAPON", "entity", "سلاح", "#123456", "8", 7)])
    assert "WEAPON" in project.label_names("entity")
    project.add_entity(doc.key, "alice", 0, 3, "WEAPON")
    project.ensure_annotator("bob")
    assert project.annotators() == ["alice", "bob"]
    assert project.annotators(include_gold=True) == ["alice", "bob", "gold"]


def test_stats(project, doc):
    t = doc.text
    project.add_entity(doc.key, "alice", *at(t, "نواف العنزي"), "PER")
    project.add_entity(doc.key, "alice", *at(t, "الكويت"), "GPE")
    project.add_entity(doc.key, "bob", *at(t, "الكويت"), "GPE")
    project.add_quote(doc.key, "alice", *at(t, "أول دولة"), kind="indirect")
    project.add_stance(doc.key, "bob", "against")
    project.set_status(doc.key, "alice", "done")
    st = project.stats()
    assert st["documents"] == 2
    assert st["characters"] == sum(len(project.document(i).text) for i in (ANEZI, COLOMINA))
    assert st["annotators"] == ["alice", "bob"]
    assert st["annotation_sets"] == 2
    assert st["entities_per_label"] == {"GPE": 2, "PER": 1}
    assert (st["quotes"], st["quotes_per_kind"]) == (1, {"indirect": 1})
    assert st["stances_per_label"] == {"against": 1}
    assert st["status"] == {"done": 1, "todo": 1}
    assert st["documents_without_annotations"] == 1


def test_iter_sets_orders_and_filters(project, doc):
    other = project.document(COLOMINA)
    project.add_entity(doc.key, "bob", 0, 3, "PER")
    project.add_entity(doc.key, "alice", 0, 3, "PER")
    rows = [(s.document.id, s.annotator) for s in project.iter_sets()]
    assert rows == [(ANEZI, "alice"), (ANEZI, "bob"), (COLOMINA, None)]
    assert [(s.document.id, s.annotator) for s in project.iter_sets(annotator="bob")] == [(ANEZI, "bob")]
    assert list(project.iter_sets(gold=True)) == []
    # Small batches give the same result as one batch.
    assert [(s.document.id, s.annotator, s.entities) for s in project.iter_sets(batch=1)] == [
        (s.document.id, s.annotator, s.entities) for s in project.iter_sets()]
    assert other.key != doc.key


def test_document_keys_and_rows_match_the_paged_list(project):
    k = project.list_documents(0, 1)[0].key
    project.add_entity(k, "amal", 0, 3, "PER")
    project.set_status(k, "amal", "done")
    keys = project.document_keys(annotator="amal")
    assert keys == [r.key for r in project.list_documents(0, 100, annotator="amal")]
    assert project.document_rows(keys[::-1], annotator="amal") == project.list_documents(0, 100, annotator="amal")[::-1]
    assert project.document_keys(annotator="amal", status="done") == [k]
    assert project.document_keys(annotator="amal", search="كولومينا") == [project.document("kuwait-nato-colomina").key]
