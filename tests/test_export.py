"""Export: the public JSONL contract (fields, order, filters), atomic writes, and `tawsim validate`."""
from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

import app.core.exchange.exporter as exporter
import app.core.store.jsonline as jsonline
from app.core.store import Project
from app.cli import main, validate_file
from app.core.exchange.exporter import export_jsonl, iter_records, set_to_record
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io.validate import schema, schema_problems

LINE_FIELDS = ["id", "text", "meta", "annotator", "status", "schema_version", "entities", "quotes", "stances"]
ENTITY_FIELDS = ["id", "start", "end", "label", "text"]
QUOTE_FIELDS = ["id", "start", "end", "text", "speaker", "speaker_text", "cue", "kind"]
CUE_FIELDS = ["start", "end", "text"]
STANCE_FIELDS = ["id", "target", "target_text", "label", "scope"]

ANEZI = "kuwait-nato-anezi"
COLOMINA = "kuwait-nato-colomina"


def lines_of(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n")
    return [json.loads(x) for x in raw.decode("utf-8").split("\n")[:-1]]


def at(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


@pytest.fixture
def annotated(project):
    """Seeds with alice (done, full annotations), bob (todo, one entity) and gold (done) on the anezi article."""
    doc = project.document(ANEZI)
    k, t = doc.key, doc.text
    per = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    gpe = project.add_entity(k, "alice", *at(t, "الكويت"), "GPE")
    project.add_entity(k, "alice", *at(t, "بلجيكا"), "GPE")
    q = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات شراكة متميزة"), speaker=per.id,
                          cue=at(t, "أكد"), kind="indirect")
    project.add_quote(k, "alice", *at(t, "أول دولة"), speaker_text="مصدر")
    project.add_stance(k, "alice", "favor", target=gpe.id, scope=q.id)
    project.add_stance(k, "alice", "neutral")
    project.set_status(k, "alice", "done")
    project.add_entity(k, "bob", *at(t, "الكويت"), "ORG")
    project.add_entity(k, "gold", *at(t, "الكويت"), "GPE")
    project.set_status(k, "gold", "done")
    ck = project.document(COLOMINA).key
    project.set_status(ck, "bob", "flagged")
    return project


def test_field_names_and_order(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    export_jsonl(annotated, out)
    lines = lines_of(out)
    alice = next(x for x in lines if x["annotator"] == "alice")
    for line in lines:
        assert list(line) == LINE_FIELDS
        for e in line["entities"]:
            assert list(e) == ENTITY_FIELDS
        for q in line["quotes"]:
            assert list(q) == QUOTE_FIELDS
            if q["cue"] is not None:
                assert list(q["cue"]) == CUE_FIELDS
        for s in line["stances"]:
            assert list(s) == STANCE_FIELDS
    assert alice["schema_version"] == 1 and alice["status"] == "done"
    assert [e["text"] for e in alice["entities"]] == ["الكويت", "بلجيكا", "نواف العنزي"]  # document order
    q1, q2 = alice["quotes"]
    assert q1["speaker_text"] == "نواف العنزي" and q1["kind"] == "indirect"
    assert q1["cue"]["text"] == "أكد"
    assert (q2["speaker"], q2["speaker_text"], q2["cue"], q2["kind"]) == (None, "مصدر", None, "direct")
    s1, s2 = alice["stances"]
    assert (s1["label"], s1["target_text"], s1["scope"]) == ("favor", "الكويت", q1["id"])
    assert (s2["label"], s2["target"], s2["target_text"], s2["scope"]) == ("neutral", None, "", "document")


def test_field_lists_match_the_published_schema():
    sch = schema()
    assert sch["required"] == LINE_FIELDS
    # optional fields come after the required ones: "provenance" on adjudicated gold lines only
    assert list(sch["properties"]) == LINE_FIELDS + ["provenance"]
    for name, fields in (("entity", ENTITY_FIELDS), ("quote", QUOTE_FIELDS), ("cue", CUE_FIELDS),
                         ("stance", STANCE_FIELDS)):
        assert sch["$defs"][name]["required"] == fields
        optional = {"entity": ["note", "cluster"], "quote": ["note"]}.get(name, [])  # only when written / linked
        assert list(sch["$defs"][name]["properties"]) == fields + optional


def test_lines_are_utf8_not_escaped_and_one_per_set(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    n = export_jsonl(annotated, out)
    raw = out.read_bytes()
    assert "نواف العنزي".encode("utf-8") in raw  # Arabic readable, not \u escapes
    assert b"\\u0646" not in raw
    assert raw.count(b"\n") == n
    # anezi: alice, bob, gold (no null line since it has sets); colomina: bob only.
    assert [(x["id"], x["annotator"]) for x in lines_of(out)] == [
        (ANEZI, "alice"), (ANEZI, "bob"), (ANEZI, "gold"), (COLOMINA, "bob")]


def test_fresh_corpus_exports_one_line_per_document(project, tmp_path, seeds_dir):
    out = tmp_path / "out.jsonl"
    assert export_jsonl(project, out) == 2
    lines = lines_of(out)
    assert [x["id"] for x in lines] == [ANEZI, COLOMINA]
    for line in lines:
        assert line["annotator"] is None
        assert line["status"] == "todo"
        assert line["entities"] == line["quotes"] == line["stances"] == []
        assert line["meta"]["file"] == line["id"] + ".txt"
        assert set(line["meta"]) <= {"file", "body", "boilerplate"}
        assert line["text"].encode("utf-8") == (seeds_dir / (line["id"] + ".txt")).read_bytes()
        assert schema_problems(line) == []


def test_empty_project_exports_an_empty_file(empty_project, tmp_path):
    out = tmp_path / "out.jsonl"
    assert export_jsonl(empty_project, out) == 0
    assert out.read_bytes() == b""


@pytest.mark.parametrize("args, expected", [
    ([], [(ANEZI, "alice"), (ANEZI, "bob"), (ANEZI, "gold"), (COLOMINA, "bob")]),
    (["--annotator", "alice"], [(ANEZI, "alice")]),
    (["--annotator", "bob"], [(ANEZI, "bob"), (COLOMINA, "bob")]),
    (["--gold"], [(ANEZI, "gold")]),
    (["--status", "done"], [(ANEZI, "alice"), (ANEZI, "gold")]),
    (["--status", "todo"], [(ANEZI, "bob")]),
    (["--status", "flagged"], [(COLOMINA, "bob")]),
    (["--status", "skipped"], []),
    (["--annotator", "bob", "--status", "todo"], [(ANEZI, "bob")]),
])
def test_export_filters(annotated, tmp_path, capsys, args, expected):
    out = tmp_path / "out.jsonl"
    assert main(["export", str(annotated.path), str(out), *args]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {len(expected)} line(s) to {out}"
    assert [(x["id"], x["annotator"]) for x in lines_of(out)] == expected
    for x in lines_of(out):
        if args[:1] in (["--annotator"], ["--gold"]):
            assert x["annotator"] == (args[1] if args[0] == "--annotator" else "gold")


def test_status_filter_counts_documents_without_sets_as_todo(project, tmp_path):
    project.set_status(project.document(ANEZI).key, "alice", "done")
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out, status="todo")
    assert [(x["id"], x["annotator"]) for x in lines_of(out)] == [(COLOMINA, None)]


def test_export_unknown_annotator_is_an_error(annotated, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["export", str(annotated.path), str(out), "--annotator", "zoe"]) == 1
    err = capsys.readouterr().err
    assert "no annotator 'zoe'" in err and "alice, bob" in err
    assert not out.exists()


def test_gold_and_annotator_are_mutually_exclusive(annotated, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["export", str(annotated.path), str(tmp_path / "o.jsonl"), "--gold", "--annotator", "alice"])
    assert exc.value.code == 2


@pytest.fixture
def big_project(empty_project, tmp_path):
    """2,500 short documents: more than one write buffer of the exporter."""
    src = tmp_path / "many.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        for i in range(2500):
            f.write(json.dumps({"id": f"d{i:04d}", "text": f"الخبر رقم {i} عن الكويت"}, ensure_ascii=False) + "\n")
    import_sources(empty_project, [src])
    return empty_project


def _assert_untouched(folder: Path, out: Path, old: bytes) -> None:
    assert out.read_bytes() == old
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


def test_failed_export_leaves_earlier_file_untouched_dumps(big_project, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.jsonl"
    out.write_bytes(b'{"earlier": "export"}\n')
    old = out.read_bytes()
    real, calls = orjson.dumps, []

    def failing(obj, *a, **kw):
        calls.append(1)
        if len(calls) > 1200:  # one dump per line: after the first 1,000-line buffer reached the temporary file
            raise RuntimeError("disk on fire")
        return real(obj, *a, **kw)

    monkeypatch.setattr(orjson, "dumps", failing)  # the module: io.jsontext.dumps looks it up per call
    with pytest.raises(RuntimeError, match="disk on fire"):
        export_jsonl(big_project, out)
    assert len(calls) == 1201
    _assert_untouched(folder, out, old)
    assert sorted(p.name for p in folder.iterdir()) == ["out.jsonl"]


def test_failed_export_leaves_earlier_file_untouched_iter(big_project, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    export_jsonl(big_project, out)
    old = out.read_bytes()
    assert old.count(b"\n") == 2500
    real = Project.iter_export_lines

    def failing(self, *a, **kw):
        for n, (doc_id, line) in enumerate(real(self, *a, **kw)):
            if n == 1200:
                raise OSError(28, "No space left on device")
            yield doc_id, line.replace(b'"text":', b'"changed":', 1)

    monkeypatch.setattr(Project, "iter_export_lines", failing)
    with pytest.raises(OSError):
        export_jsonl(big_project, out)
    _assert_untouched(tmp_path, out, old)


def test_failed_cli_export_reports_and_leaves_no_file(big_project, tmp_path, monkeypatch, capsys):
    def failing(self, *a, **kw):
        yield "x", b'{"id": "x"}\n'
        raise OSError(28, "No space left on device", str(tmp_path / "new.jsonl"))

    monkeypatch.setattr(Project, "iter_export_lines", failing)
    out = tmp_path / "new.jsonl"
    assert main(["export", str(big_project.path), str(out)]) == 1
    assert f"the disk holding {out} ran out of space" in capsys.readouterr().err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_into_unwritable_place_is_a_clean_error(project, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", str(project.path), str(blocker / "sub" / "out.jsonl")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tawsim: ") and "Traceback" not in err


def test_export_creates_missing_folders_and_replaces(project, tmp_path):
    out = tmp_path / "a" / "b" / "out.jsonl"
    export_jsonl(project, out)
    first = out.read_bytes()
    out.write_bytes(b"old")
    export_jsonl(project, out)
    assert out.read_bytes() == first


def test_export_progress(big_project, tmp_path):
    calls = []
    n = export_jsonl(big_project, tmp_path / "o.jsonl", progress=lambda d, t: calls.append((d, t)))
    assert n == 2500
    assert calls[0] == (1000, 2500) and calls[-1] == (2500, 2500)


def test_iter_records_equals_file(annotated, tmp_path):
    out = tmp_path / "o.jsonl"
    export_jsonl(annotated, out)
    assert lines_of(out) == list(iter_records(annotated))
    assert [set_to_record(s) for s in annotated.iter_sets(annotator="alice")] == list(
        iter_records(annotated, annotator="alice"))


def test_every_exported_line_passes_validate(annotated, tmp_path, capsys):
    doc = annotated.document(COLOMINA)
    # Unlinked speaker and target keep their text; they must still validate.
    e = annotated.add_entity(doc.key, "carol", *at(doc.text, "خافيير كولومينا"), "PER")
    annotated.add_quote(doc.key, "carol", *at(doc.text, "الكويت والحلف"), speaker=e.id)
    annotated.add_stance(doc.key, "carol", "against", target=e.id)
    annotated.delete_entity(doc.key, "carol", e.id)
    out = tmp_path / "out.jsonl"
    n = export_jsonl(annotated, out)
    for line in lines_of(out):
        assert schema_problems(line) == []
    assert validate_file(str(out)) == []
    assert main(["validate", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out}: OK"
    carol = [x for x in lines_of(out) if x["annotator"] == "carol"][0]
    assert carol["quotes"][0]["speaker"] is None and carol["quotes"][0]["speaker_text"] == "خافيير كولومينا"
    assert carol["stances"][0]["target"] is None and carol["stances"][0]["target_text"] == "خافيير كولومينا"
    assert n == 5


def test_validate_reports_problems_with_line_numbers(annotated, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    export_jsonl(annotated, out)
    good = out.read_bytes().decode("utf-8").split("\n")[:-1]
    l1 = json.loads(good[0])
    del l1["status"]
    l2 = json.loads(good[1])
    l2["entities"][0]["text"] = "غلط"
    l3 = json.loads(good[2])
    l3["entities"][0]["end"] = len(l3["text"]) + 10
    l4 = json.loads(good[3])
    l4["schema_version"] = 7
    l4["quotes"] = [{"id": "q1", "start": 0, "end": 3}]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([json.dumps(l, ensure_ascii=False) for l in (l1, l2, l3, l4)]
                                + [good[0], '{"id": "cut", "text": "نص'] + [good[1]]) + "\n", encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    out_text, err = capsys.readouterr()
    problems = out_text.splitlines()
    assert any(p.startswith(f"{broken}:1: ") and "'status' is a required property" in p for p in problems)
    assert any(p.startswith(f"{broken}:2: ") and "does not match the document" in p for p in problems)
    assert any(p.startswith(f"{broken}:3: ") and "outside the text" in p for p in problems)
    assert any(p.startswith(f"{broken}:4: schema_version") for p in problems)
    assert any(p.startswith(f"{broken}:4: quotes/0") for p in problems)
    assert any(p.startswith(f"{broken}:6: invalid JSON") for p in problems)
    assert not any(p.startswith(f"{broken}:5:") for p in problems)  # a good line has no problems
    assert f"{len(problems)} problem(s)" in err


def test_validate_missing_and_empty_files(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "none.jsonl")]) == 1
    assert "cannot read" in capsys.readouterr().out
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert main(["validate", str(tmp_path / "empty.jsonl")]) == 1
    assert "empty file" in capsys.readouterr().out


def test_cached_fragments_export_the_same_bytes_as_dumping_records(annotated, tmp_path):
    """The fast path (cached fragments spliced, stale ones rebuilt) equals orjson.dumps(set_to_record(...))."""
    first = tmp_path / "first.jsonl"
    export_jsonl(annotated, first)
    copy = Project.create(tmp_path / "copy.db")
    import_sources(copy, [first], ImportOptions(gold=True))  # whole sets written: every fragment cached
    assert copy.conn.execute("SELECT count(*) FROM annotation_sets WHERE cache IS NULL").fetchone()[0] == 0
    k = copy.document(ANEZI).key
    e = copy.load(k, "alice").entities[0]
    copy.update_entity(k, "alice", e.id, label="MISC")  # a single edit rebuilds that set's fragment at once
    assert copy.conn.execute("SELECT count(*) FROM annotation_sets WHERE cache IS NULL").fetchone()[0] == 0
    expected = b"".join(orjson.dumps(set_to_record(s), option=orjson.OPT_APPEND_NEWLINE) for s in copy.iter_sets())
    out = tmp_path / "fast.jsonl"
    export_jsonl(copy, out)
    assert out.read_bytes() == expected
    assert b'"label":"MISC"' in expected and out.read_bytes() != first.read_bytes()
    # Cleared fragments on a project that cannot be written: rebuilt from rows on the fly, the same bytes.
    copy.conn.execute("UPDATE annotation_sets SET cache = NULL")
    copy.set_read_only(True)
    export_jsonl(copy, out)
    assert out.read_bytes() == expected
    assert copy.conn.execute("SELECT count(*) FROM annotation_sets WHERE cache IS NOT NULL").fetchone()[0] == 0
    copy.close()
