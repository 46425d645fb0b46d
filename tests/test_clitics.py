"""Clitic-aware snapping and occurrence finding, table-driven (the rules are data in resources/arabic)."""
from __future__ import annotations

import pytest

from app.core.assist.clitics import Snapper, snap, vocabulary
from app.core.assist.occurrences import find_occurrences, untagged


@pytest.mark.parametrize("word, expected", [
    ("والكويت", "الكويت"),      # و + ال
    ("بالكويت", "الكويت"),      # ب + ال
    ("وبالكويت", "الكويت"),     # و + ب + ال
    ("فالناتو", "الناتو"),      # ف + ال
    ("وبروكسل", "بروكسل"),      # و + a known word starting with ب: only و goes
    ("ولندن", "لندن"),
    ("للحوثيين", "حوثيين"),     # ل + ال with the alef dropped
    ("للندن", "لندن"),          # ل + لندن (lexicon)
    ("للبنان", "لبنان"),        # ل + لبنان (lexicon)
    ("وزير", "وزير"),           # a root و: never cut
    ("كولومينا", "كولومينا"),   # a root ك
    ("ولي", "ولي"),             # too short to be و + word
    ("الكويت", "الكويت"),
    ("بلجيكا", "بلجيكا"),
])
def test_snapping_table(word, expected):
    text = f"قال {word} اليوم"
    s, e = snap(text, 4, 4 + len(word))
    assert text[s:e] == expected


def test_corpus_vocabulary_decides_lam_lam():
    text = "دعم للحوثيين"
    # With "الحوثيين" elsewhere in the corpus the ل + ال reading stands; with "لحوثيين" it would not.
    s = Snapper(known=vocabulary(["الحوثيين في اليمن"]))
    assert text[slice(*s.snap(text, 4, len(text)))] == "حوثيين"
    s = Snapper(known=vocabulary(["مدينة لحوثيين"]))
    assert text[slice(*s.snap(text, 4, len(text)))] == "لحوثيين"


def test_vocabulary_strips_a_known_word_after_a_conjunction():
    text = "ورحب بالمبادرة وواشنطن"
    s = Snapper(known=vocabulary(["زار الوفد واشنطن"]))
    start = text.index("وواشنطن")
    assert text[slice(*s.snap(text, start, start + len("وواشنطن")))] == "واشنطن"


def test_sloppy_selection_inside_a_word_snaps_and_strips():
    text = "وصل الوفد والكويت ترحب"
    start = text.index("والكويت")
    s, e = snap(text, start + 2, start + 5)
    assert text[s:e] == "الكويت"


@pytest.mark.parametrize("needle, text, found", [
    ("الكويت", "دعم للكويت والكويت وبالكويت الكويتية الكويت", ["كويت", "الكويت", "الكويت", "الكويت"]),
    ("الكويت", "الكُوَيْت والكويـــت", ["الكُوَيْت", "الكويـــت"]),
    ("إسطنبول", "مبادرة اسطنبول وإسطنبول", ["اسطنبول", "إسطنبول"]),
    ("NATO", "nato and NATO, not NATOs", ["nato", "NATO"]),
    ("حلف شمال الأطلسي", "وحلف شمال الأطلسي", ["حلف شمال الأطلسي"]),
])
def test_find_occurrences_table(needle, text, found):
    assert [text[s:e] for s, e in find_occurrences(text, needle)] == found


def test_untagged_leaves_tagged_text_alone():
    hits = [(0, 5), (10, 15), (20, 25)]
    assert list(untagged(hits, [(12, 14), (0, 5)])) == [(20, 25)]


def test_tag_all_plans_skip_tagged_text_and_undo(project):
    from app.core.assist.tagall import plan_corpus, plan_document

    k = project.document("kuwait-nato-colomina").key
    text = project.document(k).text
    i = text.index("الكويت")
    project.add_entity(k, "amal", i, i + len("الكويت"), "GPE")
    here = plan_document(project, "amal", k, "الكويت", "GPE")
    assert here.documents == 1 and all(text[s:e] in ("الكويت", "كويت") for _, s, e in here.spans)
    assert (k, i, i + 6) not in here.spans  # already tagged: left alone
    corpus = plan_corpus(project, "amal", "الكويت", "GPE")
    assert corpus.documents == 2 and len(corpus.spans) > len(here.spans)
    ids = project.add_entities_bulk("amal", corpus.rows())
    assert plan_corpus(project, "amal", "الكويت", "GPE").spans == ()
    project.delete_entities_bulk("amal", ids)
    assert [e.start for e in project.load(k, "amal").entities] == [i]


def test_gazetteer_from_annotations_and_file(project, tmp_path):
    from app.core.assist.gazetteer import entries, import_gazetteer, matches
    from app.core.io.source import SourceError

    k = project.document("kuwait-nato-colomina").key
    text = project.document(k).text
    i = text.index("كولومينا")
    project.add_entity(k, "amal", i, i + len("كولومينا"), "PER")
    f = tmp_path / "names.tsv"
    f.write_text("نواف العنزي\tPER\nبلجيكا\tGPE\n", encoding="utf-8")
    assert import_gazetteer(project, f) == 2
    assert import_gazetteer(project, f) == 0  # idempotent
    known = entries(project)
    assert ("كولومينا", "PER") in known and ("بلجيكا", "GPE") in known
    anezi = project.document("kuwait-nato-anezi").text
    assert {(m.text, m.label) for m in matches(anezi, known)} >= {("نواف العنزي", "PER"), ("بلجيكا", "GPE")}
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok\tPER\nno tab here\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.tsv:2: expected"):
        import_gazetteer(project, bad)
    bad.write_text("x\tWEAPON\n", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown entity label 'WEAPON'"):
        import_gazetteer(project, bad)


def test_boilerplate_lines_and_body_range_in_meta(project):
    from app.core.text.boilerplate import boilerplate_lines

    doc = project.document("kuwait-nato-colomina")
    lines = [doc.text[s:e] for s, e in boilerplate_lines(doc.text)]
    assert "0 تعليق ارسل طباعة" in lines and "أخبار ذات صلة" in lines and "للمزيد تابع" in lines
    assert not any("كولومينا" in line for line in lines)
    s, e = doc.meta["body"]
    assert doc.text[s:e].startswith("ممثل أمين عام") and doc.text[s:e].endswith("المنطقة والعالم.")
    assert [doc.text[a:b] for a, b in doc.meta["boilerplate"]] == lines
    assert "body" not in project.document("kuwait-nato-anezi").meta  # nothing to mark


def test_version_1_project_is_migrated(tmp_path):
    import sqlite3

    from app.core.store import schema
    from app.core.store import Project

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for stmt in schema._statements(schema._V1):
        conn.execute(stmt)
    conn.execute("INSERT INTO schema_version VALUES (1, 'then')")
    conn.execute("INSERT INTO labels VALUES ('entity', 'PER', '', '#fff', '1', 0)")
    conn.execute("INSERT INTO documents (id, text, hash) VALUES ('d', 'نص قديم', 'h')")
    conn.close()
    p = Project.open(path)
    assert schema.current_version(p.conn) == schema.SCHEMA_VERSION == 6
    assert p.document("d").text == "نص قديم"
    assert p.add_gazetteer_entries([("نص", "PER")]) == 1
    p.close()
