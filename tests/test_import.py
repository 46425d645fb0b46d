"""Import: bad input is refused with FILE:LINE and leaves the project exactly as it was; good input of every kind
lands byte-for-byte, once, beside what is already there."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.exporter import export_jsonl
from app.core.exchange.importer import ImportOptions, expand_sources, import_sources
from app.core.io.source import SourceError
from app.core.store import Project

ANEZI = "kuwait-nato-anezi"
COLOMINA = "kuwait-nato-colomina"


def seed_text(seeds_dir: Path, name: str) -> str:
    return (seeds_dir / f"{name}.txt").read_bytes().decode("utf-8")


def jsonl(path: Path, *records) -> Path:
    """Write records (dicts, or raw str/bytes lines) one a line."""
    with open(path, "wb") as f:
        for r in records:
            if isinstance(r, dict):
                r = json.dumps(r, ensure_ascii=False)
            f.write((r.encode("utf-8") if isinstance(r, str) else r) + b"\n")
    return path


def snapshot(project: Project, tmp_path: Path, name: str = "snap") -> tuple:
    out = tmp_path / f"{name}.jsonl"
    export_jsonl(project, out)
    return project.count_documents(), project.stats(), out.read_bytes()


def span_of(text: str, part: str) -> dict:
    s = text.index(part)
    return {"start": s, "end": s + len(part)}


def good_record(seeds_dir) -> dict:
    """A valid new document with annotations: it must not survive a failed import."""
    text = "قال خافيير كولومينا إن الكويت شريك متميز لحلف الناتو."
    return {"id": "fresh", "text": text, "annotator": "alice",
            "entities": [{**span_of(text, "خافيير كولومينا"), "label": "PER"}]}


# ---- bad input --------------------------------------------------------------------------------------------------

def _bad_cases(tmp_path: Path, seeds_dir: Path) -> dict[str, tuple[Path, int | None, str]]:
    """name -> (file, line or None, a piece of the expected message)."""
    anezi = seed_text(seeds_dir, ANEZI)
    good = json.dumps(good_record(seeds_dir), ensure_ascii=False)
    cases = {}
    p = tmp_path / "utf8.jsonl"
    p.write_bytes(good.encode() + b"\n" + b'{"id": "x", "text": "\xd8\xa7\xff\xfe"}\n')
    cases["invalid-utf8"] = (p, 2, "not valid UTF-8")
    p = tmp_path / "utf8.txt"
    p.write_bytes("سطر أول\nسطر ثان\n".encode() + b"\xc3(\n")
    cases["invalid-utf8-txt"] = (p, 3, "not valid UTF-8")
    cases["truncated-json"] = (jsonl(tmp_path / "trunc.jsonl", good, '{"id": "y", "text": "نص مقطوع'), 2,
                               "invalid JSON")
    cases["not-an-object"] = (jsonl(tmp_path / "array.jsonl", good, "[1, 2]"), 2, "expected a JSON object")
    cases["missing-text"] = (jsonl(tmp_path / "notext.jsonl", good, {"id": "z", "meta": {}}), 2, 'missing "text"')
    cases["blank-text"] = (jsonl(tmp_path / "blank.jsonl", good, {"id": "z", "text": "  \r\n"}), 2, 'empty "text"')
    cases["span-outside"] = (jsonl(tmp_path / "outside.jsonl", good, {
        "id": ANEZI, "text": anezi, "annotator": "bob",
        "entities": [{"start": len(anezi) - 2, "end": len(anezi) + 5, "label": "PER"}]}), 2, "outside the text")
    cases["negative-span"] = (jsonl(tmp_path / "neg.jsonl", good, {
        "id": "n", "text": "نص قصير", "entities": [{"start": -1, "end": 2, "label": "PER"}]}), 2, "outside the text")
    cases["empty-span"] = (jsonl(tmp_path / "emptyspan.jsonl", good, {
        "id": "n", "text": "نص قصير", "entities": [{"start": 2, "end": 2, "label": "PER"}]}), 2, "outside the text")
    cases["text-mismatch"] = (jsonl(tmp_path / "mismatch.jsonl", good, {
        "id": "m", "text": "قال نواف العنزي", "entities": [{"start": 4, "end": 8, "label": "PER", "text": "نواف!"}]}),
        2, "does not match")
    cases["unknown-label"] = (jsonl(tmp_path / "label.jsonl", good, {
        "id": "l", "text": "قال نواف العنزي", "entities": [{"start": 4, "end": 8, "label": "PERSON"}]}),
        2, "unknown entity label 'PERSON'")
    cases["unknown-status"] = (jsonl(tmp_path / "status.jsonl", good, {"id": "s", "text": "نص", "status": "finished"}),
                               2, "unknown status 'finished'")
    cases["dangling-speaker"] = (jsonl(tmp_path / "speaker.jsonl", good, {
        "id": "q", "text": "قال العنزي إن التعاون مهم", "quotes": [{"start": 11, "end": 25, "speaker": "e9"}]}),
        2, "speaker 'e9' is not an entity id")
    cases["bad-scope"] = (jsonl(tmp_path / "scope.jsonl", good, {
        "id": "q", "text": "قال العنزي", "stances": [{"label": "favor", "scope": "q7"}]}), 2, "scope 'q7'")
    cases["id-reused"] = (jsonl(tmp_path / "reuse.jsonl", good, {"id": ANEZI, "text": "نص آخر تماما"}), 2,
                          f"id '{ANEZI}' is already used by a different text")
    cases["two-sets-one-import"] = (jsonl(tmp_path / "twice.jsonl", good, good.replace('"fresh"', '"other"')), 2,
                                    "a second annotation set by 'alice'")
    cases["empty-jsonl"] = ((tmp_path / "empty.jsonl"), None, "empty file")
    (tmp_path / "empty.jsonl").write_bytes(b"\n  \n")
    cases["empty-txt"] = ((tmp_path / "empty.txt"), 1, "empty article")
    (tmp_path / "empty.txt").write_bytes(b"\xef\xbb\xbf \r\n")
    cases["empty-csv"] = ((tmp_path / "empty.csv"), None, "empty file")
    (tmp_path / "empty.csv").write_bytes(b"")
    big = tmp_path / "big.txt"
    big.write_bytes(("مقال طويل جدا " * 400_000).encode())  # ~5.6 MB, 5.6M characters
    cases["5mb-article"] = (big, 1, "the limit is 1,000,000 (split the file, or raise it with --max-chars)")
    return cases


CASE_NAMES = ["invalid-utf8", "invalid-utf8-txt", "truncated-json", "not-an-object", "missing-text", "blank-text",
              "span-outside", "negative-span", "empty-span", "text-mismatch", "unknown-label", "unknown-status",
              "dangling-speaker", "bad-scope", "id-reused", "two-sets-one-import", "empty-jsonl", "empty-txt",
              "empty-csv", "5mb-article"]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_is_refused_with_location_and_changes_nothing(project, tmp_path, seeds_dir, case):
    path, line, message = _bad_cases(tmp_path, seeds_dir)[case]
    text = "نص آخر سليم يسبق الملف المعطوب"
    good = jsonl(tmp_path / "good-first.jsonl", {"id": "fresh-first", "text": text, "annotator": "zed",
                                                "entities": [{**span_of(text, "سليم"), "label": "MISC"}]})
    before = snapshot(project, tmp_path, "before")
    with pytest.raises(SourceError) as err:
        import_sources(project, [good, path])  # the good file comes first: it must be rolled back too
    msg = str(err.value)
    assert message in msg
    if line is not None:
        assert msg.startswith(f"{path}:{line}: ")
        assert (err.value.path, err.value.line) == (str(path), line)
    else:
        assert msg.startswith(f"{path}: ")
    assert snapshot(project, tmp_path, "after") == before
    assert not {"fresh", "fresh-first"} & {r.id for r in project.list_documents()}
    assert "zed" not in project.annotators()


@pytest.mark.parametrize("case", CASE_NAMES)
def test_cli_import_bad_input(project, tmp_path, seeds_dir, capsys, case):
    path, line, message = _bad_cases(tmp_path, seeds_dir)[case]
    before = snapshot(project, tmp_path, "before")
    assert main(["import", str(project.path), str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert err.startswith(f"tawsim: {where}")
    assert "Traceback" not in err
    assert snapshot(project, tmp_path, "after") == before


def test_5mb_article_imports_with_a_higher_max_chars(empty_project, tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_bytes(("مقال طويل جدا " * 400_000).encode())
    assert main(["import", str(empty_project.path), str(big), "--max-chars", "6000000"]) == 0
    assert empty_project.document("big").text == big.read_text(encoding="utf-8")


def test_invalid_utf8_message_names_byte_and_offset(empty_project, tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"abc\n\xff")
    with pytest.raises(SourceError, match=r"bad\.txt:2: not valid UTF-8 \(byte 0xff at offset 4\)"):
        import_sources(empty_project, [p])
    assert empty_project.count_documents() == 0


def test_missing_source_unknown_type_and_empty_folder(empty_project, tmp_path):
    with pytest.raises(SourceError, match="no such file or folder"):
        import_sources(empty_project, [tmp_path / "nope.txt"])
    (tmp_path / "a.docx").write_bytes(b"x")
    with pytest.raises(SourceError, match="unknown file type '.docx'"):
        import_sources(empty_project, [tmp_path / "a.docx"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("x")
    with pytest.raises(SourceError, match="folder holds no .txt, .jsonl or .csv files"):
        import_sources(empty_project, [tmp_path / "empty"])
    assert empty_project.count_documents() == 0


def test_expand_sources_recurses_sorted_and_filters(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/z.txt", "a.jsonl", "b/c.CSV", "skip.md"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_sources([tmp_path])] == ["a.jsonl", "b/c.CSV",
                                                                                         "b/z.txt"]


# ---- good input -------------------------------------------------------------------------------------------------

def test_seed_import_is_byte_for_byte(project, seeds_dir):
    assert project.count_documents() == 2
    for name in (ANEZI, COLOMINA):
        doc = project.document(name)
        assert doc.text.encode("utf-8") == (seeds_dir / f"{name}.txt").read_bytes()
        assert doc.meta["file"] == f"{name}.txt"
    assert project.stats()["documents_without_annotations"] == 2


def test_bom_removed_but_crlf_kept(empty_project, tmp_path):
    body = "أكد سفير الكويت\r\nأن العلاقات متميزة\r\n\r\nوقال: “ناتو”\r\n"
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    import_sources(empty_project, [p])
    text = empty_project.document("crlf").text
    assert text == body
    assert text.encode("utf-8") == p.read_bytes()[3:]
    assert "\ufeff" not in text and text.count("\r\n") == 4
    export_jsonl(empty_project, tmp_path / "out.jsonl")
    assert json.loads((tmp_path / "out.jsonl").read_bytes())["text"] == body


def test_bom_and_crlf_line_endings_in_jsonl(empty_project, tmp_path):
    p = tmp_path / "bom.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "سطر\r\nثان"}).encode() + b"\r\n\r\n"
                  + json.dumps({"id": "b", "text": "نص ٢"}).encode() + b"\r\n")
    summary = import_sources(empty_project, [p])
    assert summary.records == 2 and summary.new_documents == 2
    assert empty_project.document("a").text == "سطر\r\nثان"
    assert empty_project.document("b").text == "نص ٢"


def test_bom_inside_text_is_kept(empty_project, tmp_path):
    p = tmp_path / "inner.txt"
    p.write_bytes("نص\ufeffداخلي".encode())
    import_sources(empty_project, [p])
    assert empty_project.document("inner").text == "نص\ufeffداخلي"


def test_csv_with_text_column(empty_project, tmp_path, capsys):
    p = tmp_path / "news.csv"
    p.write_text("id,headline,body,source\nn1,عنوان,أكد سفير الكويت,KUNA\nn2,عنوان ٢,قال كولومينا,WAM\n",
                 encoding="utf-8")
    assert main(["import", str(empty_project.path), str(p), "--text-column", "body"]) == 0
    assert "2 new document(s)" in capsys.readouterr().out
    doc = empty_project.document("n1")
    assert doc.text == "أكد سفير الكويت"
    assert doc.meta == {"headline": "عنوان", "source": "KUNA"}
    assert empty_project.document("n2").text == "قال كولومينا"


def test_csv_without_the_text_column_is_refused(empty_project, tmp_path, capsys):
    p = tmp_path / "news.csv"
    p.write_text("id,body\nn1,نص\n", encoding="utf-8")
    assert main(["import", str(empty_project.path), str(p)]) == 1
    err = capsys.readouterr().err
    assert f"{p}:1: no column 'text' (columns: id, body)" in err and "--text-column" in err
    assert empty_project.count_documents() == 0


def test_csv_custom_id_column_and_rows_without_id(empty_project, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("slug,text\nabc,نص أول\n,نص ثان\n", encoding="utf-8")
    import_sources(empty_project, [p], ImportOptions(id_column="slug"))
    ids = [r.id for r in empty_project.list_documents()]
    assert ids[0] == "abc" and ids[1].startswith("doc-") and len(ids[1]) == len("doc-") + 12


def test_csv_quoted_multiline_crlf(empty_project, tmp_path):
    text = "قال العنزي:\r\n“الكويت شريك متميز”, وأضاف \"ناتو\"\r\n"
    p = tmp_path / "multi.csv"
    quoted = text.replace('"', '""')
    p.write_bytes(f'id,text,lang\r\nm1,"{quoted}",ar\r\nm2,سطر,ar\r\n'.encode("utf-8"))
    summary = import_sources(empty_project, [p])
    assert summary.new_documents == 2
    assert empty_project.document("m1").text == text  # CRLF inside the quoted field byte-for-byte
    assert empty_project.document("m1").meta == {"lang": "ar"}


def test_csv_row_with_extra_field_names_its_line(empty_project, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,text\na,نص\nb,نص,زائد\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"x\.csv:3: more fields than the header has"):
        import_sources(empty_project, [p])
    assert empty_project.count_documents() == 0


def test_csv_empty_text_cell(empty_project, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,text\na,نص\nb,  \n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"x\.csv:3: empty 'text'"):
        import_sources(empty_project, [p])


def test_same_text_imported_twice_is_stored_once(project, tmp_path, seeds_dir):
    before = snapshot(project, tmp_path, "before")
    summary = import_sources(project, [seeds_dir])
    assert (summary.new_documents, summary.existing_documents, summary.annotation_sets) == (0, 2, 0)
    # The same article under another file name is the same document (id of the first import stays).
    copy = tmp_path / "copy-of-anezi.txt"
    copy.write_bytes((seeds_dir / f"{ANEZI}.txt").read_bytes())
    summary = import_sources(project, [copy])
    assert (summary.new_documents, summary.existing_documents) == (0, 1)
    assert snapshot(project, tmp_path, "after") == before
    with pytest.raises(Exception):
        project.document("copy-of-anezi")


def test_same_text_twice_in_one_import(empty_project, tmp_path):
    p = jsonl(tmp_path / "dup.jsonl", {"id": "a", "text": "نص واحد"}, {"id": "b", "text": "نص واحد"})
    summary = import_sources(empty_project, [p])
    assert (summary.new_documents, summary.existing_documents) == (1, 1)
    assert empty_project.count_documents() == 1


def _annotated(seeds_dir, annotator: str, name: str, part: str, label: str, **extra) -> dict:
    text = seed_text(seeds_dir, name)
    return {"id": name, "text": text, "annotator": annotator, "status": "done",
            "entities": [{"id": "e1", **span_of(text, part), "label": label}], **extra}


def test_second_annotators_file_lands_beside_the_first(project, tmp_path, seeds_dir):
    alice = jsonl(tmp_path / "alice.jsonl", _annotated(seeds_dir, "alice", ANEZI, "نواف العنزي", "PER"),
                  _annotated(seeds_dir, "alice", COLOMINA, "خافيير كولومينا", "PER"))
    bob = jsonl(tmp_path / "bob.jsonl", _annotated(seeds_dir, "bob", ANEZI, "الكويت", "GPE"),
                _annotated(seeds_dir, "bob", COLOMINA, "الكويت", "GPE"))
    import_sources(project, [alice])
    summary = import_sources(project, [bob])
    assert (summary.new_documents, summary.existing_documents, summary.annotation_sets) == (0, 2, 2)
    assert project.count_documents() == 2
    for name in (ANEZI, COLOMINA):
        key = project.document(name).key
        assert project.set_annotators(key) == ["alice", "bob"]
        assert project.load(key, "alice").entities[0].label == "PER"
        assert project.load(key, "bob").entities[0].text == "الكويت"
    assert project.stats()["annotation_sets"] == 4


def test_annotator_option_overrides_the_files_annotator(project, tmp_path, seeds_dir):
    p = jsonl(tmp_path / "a.jsonl", _annotated(seeds_dir, "alice", ANEZI, "نواف العنزي", "PER"))
    summary = import_sources(project, [p], ImportOptions(annotator="carol"))
    assert summary.annotators == {"carol"}
    assert project.set_annotators(project.document(ANEZI).key) == ["carol"]


def test_records_without_annotator_go_to_imported(empty_project, tmp_path):
    text = "قال العنزي"
    p = jsonl(tmp_path / "a.jsonl", {"id": "a", "text": text, "entities": [{"start": 4, "end": 10, "label": "PER"}]})
    import_sources(empty_project, [p])
    aset = empty_project.load(empty_project.document("a").key, "imported")
    assert [(e.id, e.text) for e in aset.entities] == [("e1", "العنزي")]


def test_id_reused_by_a_different_text_is_refused(project, tmp_path, seeds_dir, capsys):
    p = jsonl(tmp_path / "reuse.jsonl", {"id": COLOMINA, "text": "نص مختلف"})
    before = snapshot(project, tmp_path, "before")
    assert main(["import", str(project.path), str(p)]) == 1
    assert f"{p}:1: id '{COLOMINA}' is already used by a different text" in capsys.readouterr().err
    assert snapshot(project, tmp_path, "after") == before


def test_reimporting_the_same_annotated_file_is_a_no_op(project, tmp_path, seeds_dir, capsys):
    anezi = seed_text(seeds_dir, ANEZI)
    # Entities deliberately out of document order, one without an id, a quote with a cue and a scoped stance.
    rec = {"id": ANEZI, "text": anezi, "annotator": "alice", "status": "flagged",
           "entities": [{"id": "e2", **span_of(anezi, "بلجيكا"), "label": "GPE"},
                        {**span_of(anezi, "نواف العنزي"), "label": "PER"},
                        {"id": "e1", **span_of(anezi, "الكويت"), "label": "GPE"}],
           "quotes": [{"id": "q1", **span_of(anezi, "الكويت لديها علاقات شراكة متميزة"), "speaker": "e3",
                       "cue": span_of(anezi, "أن"), "kind": "indirect"}],
           "stances": [{"label": "favor", "target": "e1", "scope": "q1"}, {"label": "neutral"}]}
    p = jsonl(tmp_path / "alice.jsonl", rec)
    assert main(["import", str(project.path), str(p)]) == 0
    first = snapshot(project, tmp_path, "first")
    capsys.readouterr()
    assert main(["import", str(project.path), str(p)]) == 0
    out = capsys.readouterr().out
    assert "0 annotation set(s) written, 1 unchanged" in out
    assert snapshot(project, tmp_path, "second") == first
    aset = project.load(project.document(ANEZI).key, "alice")
    # In document order; the id-less entity got a fresh id not used by the others.
    assert [(e.id, e.text) for e in aset.entities] == [("e1", "الكويت"), ("e2", "بلجيكا"), ("e3", "نواف العنزي")]
    assert aset.quotes[0].speaker_text == "نواف العنزي"
    assert aset.stances[0].target_text == "الكويت"
    # The project's own export re-imports as a no-op as well.
    summary = import_sources(project, [tmp_path / "second.jsonl"])
    assert (summary.annotation_sets, summary.unchanged_sets) == (0, 1)
    assert snapshot(project, tmp_path, "third") == first


def test_a_different_set_for_the_same_annotator_needs_replace(project, tmp_path, seeds_dir, capsys):
    a1 = jsonl(tmp_path / "a1.jsonl", _annotated(seeds_dir, "alice", ANEZI, "نواف العنزي", "PER"))
    a2 = jsonl(tmp_path / "a2.jsonl", _annotated(seeds_dir, "alice", ANEZI, "نواف العنزي", "ORG"))
    assert main(["import", str(project.path), str(a1)]) == 0
    before = snapshot(project, tmp_path, "before")
    capsys.readouterr()
    assert main(["import", str(project.path), str(a2)]) == 1
    err = capsys.readouterr().err
    assert f"{a2}:1: 'alice' already has different annotations on document '{ANEZI}'" in err
    assert "--replace" in err
    assert snapshot(project, tmp_path, "after") == before
    assert main(["import", str(project.path), str(a2), "--replace"]) == 0
    key = project.document(ANEZI).key
    assert [e.label for e in project.load(key, "alice").entities] == ["ORG"]
    assert project.stats()["annotation_sets"] == 1


def test_status_only_record_creates_a_set(project, tmp_path, seeds_dir):
    p = jsonl(tmp_path / "s.jsonl", {"id": ANEZI, "text": seed_text(seeds_dir, ANEZI), "annotator": "alice",
                                     "status": "skipped"})
    import_sources(project, [p])
    assert project.load(project.document(ANEZI).key, "alice").status == "skipped"


def test_bare_texts_create_no_annotation_sets(empty_project, tmp_path):
    p = jsonl(tmp_path / "t.jsonl", {"id": "a", "text": "نص", "annotator": None, "status": "todo",
                                     "entities": [], "quotes": [], "stances": []})
    summary = import_sources(empty_project, [p])
    assert summary.annotation_sets == 0
    assert empty_project.stats()["annotation_sets"] == 0


def test_import_progress_reports_bytes(empty_project, seeds_dir):
    calls = []
    import_sources(empty_project, [seeds_dir], progress=lambda done, total: calls.append((done, total)))
    total = sum(p.stat().st_size for p in seeds_dir.glob("*.txt"))
    assert calls[-1] == (total, total)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_import_summary_lines(project, tmp_path, seeds_dir):
    p = jsonl(tmp_path / "a.jsonl", _annotated(seeds_dir, "alice", ANEZI, "نواف العنزي", "PER"))
    lines = import_sources(project, [p]).lines()
    assert lines == ["1 record(s) from 1 file(s): 0 new document(s), 1 already in the project",
                     "1 annotation set(s) written, 0 unchanged (annotators: alice)"]
