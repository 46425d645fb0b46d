"""Notes on entities and quotes (issue 14, item 13) in the store (both backends), the export and its cache, import,
validate and bundles. The window's side is tests/test_ui_notes.py."""
from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.exporter import export_jsonl
from app.core.model import AnnotationError
from app.core.store import Project, schema

ROOT = Path(__file__).resolve().parent.parent
TEXT = "قال ترامب في واشنطن إن الكويت شريك مهم"
NOTE = "ليس متأكدًا: شخص أم منظمة؟"


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request) -> str:
    return request.param


def at(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


def lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


def test_set_note_is_stored_exported_and_kept_by_undo_of_a_delete(project, tmp_path):
    doc = project.document("kuwait-nato-anezi")
    e = project.add_entity(doc.key, "amal", *at(doc.text, "نواف العنزي"), "PER")
    q = project.add_quote(doc.key, "amal", *at(doc.text, "أن الكويت لديها علاقات"), speaker=e.id)
    export_jsonl(project, tmp_path / "before.jsonl", annotator="amal")
    assert project.set_note("entity", doc.key, "amal", e.id, NOTE) == ""
    assert project.set_note("quote", doc.key, "amal", q.id, "غير مباشر؟") == ""
    aset = project.load(doc.key, "amal")
    assert aset.entity(e.id).note == NOTE and aset.quotes[0].note == "غير مباشر؟"
    assert project.annotation_row("entity", doc.key, "amal", e.id)[-1] == NOTE  # what undo compares
    export_jsonl(project, tmp_path / "out.jsonl", annotator="amal")
    (line,) = lines(tmp_path / "out.jsonl")
    assert list(line["entities"][0])[-1] == "note" and line["entities"][0]["note"] == NOTE
    assert line["quotes"][0]["note"] == "غير مباشر؟"
    removal = project.delete_entity(doc.key, "amal", e.id)
    project.restore_entity(doc.key, "amal", removal)
    assert project.load(doc.key, "amal").entity(e.id).note == NOTE
    assert project.set_note("entity", doc.key, "amal", e.id, "") == NOTE  # cleared: no "note" key at all
    export_jsonl(project, tmp_path / "cleared.jsonl", annotator="amal")
    assert "note" not in lines(tmp_path / "cleared.jsonl")[0]["entities"][0]
    with pytest.raises(AnnotationError, match="only an entity or a quote"):
        project.set_note("stance", doc.key, "amal", "s1", "x")
    with pytest.raises(AnnotationError, match="no entity 'e99'"):
        project.set_note("entity", doc.key, "amal", "e99", "x")


def test_a_note_added_after_import_reaches_the_cached_export(project, tmp_path):
    """An import writes each set's export fragment at once (the cache); a note set later must replace it."""
    src = tmp_path / "in.jsonl"
    s, e = at(TEXT, "ترامب")
    src.write_text(json.dumps({"id": "n1", "text": TEXT, "annotator": "amal", "status": "done",
                               "entities": [{"id": "e1", "start": s, "end": e, "label": "PER"}]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    from app.core.exchange.importer import import_sources
    import_sources(project, [src])
    key = project.document("n1").key
    export_jsonl(project, tmp_path / "a.jsonl", annotator="amal")
    assert "note" not in lines(tmp_path / "a.jsonl")[0]["entities"][0]
    project.set_note("entity", key, "amal", "e1", NOTE)
    export_jsonl(project, tmp_path / "b.jsonl", annotator="amal")
    assert lines(tmp_path / "b.jsonl")[0]["entities"][0]["note"] == NOTE


def test_a_version_5_project_gets_empty_notes(tmp_path):
    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version in range(1, 6):
        for stmt in schema._statements(schema.MIGRATIONS[version]):
            conn.execute(stmt)
        conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
    conn.execute("INSERT INTO labels (kind, name) VALUES ('entity', 'PER')")
    conn.execute("INSERT INTO documents (id, text, hash) VALUES ('d', ?, 'h')", (TEXT,))
    conn.execute("INSERT INTO annotators (name) VALUES ('amal')")
    conn.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (1, 1, 'then')")
    conn.execute('INSERT INTO entities (set_key, id, start, "end", label) VALUES (1, \'e1\', 4, 9, \'PER\')')
    conn.close()
    p = Project.open(path)
    (e,) = p.load(p.document("d").key, "amal").entities
    assert (e.text, e.note) == ("ترامب", "")
    p.close()


def tawsim(*args, ok: bool = True) -> subprocess.CompletedProcess:
    """The CLI in this process (its parser, commands and exit codes; a subprocess per call would cost a second
    each): stdout and stderr captured as a subprocess's would be."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main([str(a) for a in args])
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
    r = subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def tawsim_process(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def test_cli_round_trip_keeps_notes_byte_for_byte_and_validate_checks_them(tmp_path):
    s, e = at(TEXT, "ترامب")
    qs, qe = at(TEXT, "إن الكويت شريك مهم")
    rec = {"id": "n1", "text": TEXT, "annotator": "amal", "status": "done",
           "entities": [{"id": "e1", "start": s, "end": e, "label": "PER", "note": NOTE},
                        {"id": "e2", "start": TEXT.index("واشنطن"), "end": TEXT.index("واشنطن") + 6, "label": "LOC"}],
           "quotes": [{"id": "q1", "start": qs, "end": qe, "speaker": "e1", "kind": "indirect",
                       "note": "اقتباس غير مباشر"}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    p1, p2 = tmp_path / "p1.tawsim", tmp_path / "p2.tawsim"
    tawsim("init", p1)
    tawsim("import", p1, src)
    tawsim("export", p1, tmp_path / "a.jsonl")
    (line,) = lines(tmp_path / "a.jsonl")
    assert [x.get("note") for x in line["entities"]] == [NOTE, None] and line["quotes"][0]["note"] == "اقتباس غير مباشر"
    assert tawsim("validate", tmp_path / "a.jsonl").stdout.endswith("OK\n")
    tawsim("init", p2)
    tawsim("import", p2, tmp_path / "a.jsonl")
    tawsim("export", p2, tmp_path / "b.jsonl")
    assert (tmp_path / "b.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()
    tawsim("bundle", p1, tmp_path / "amal.tawsim-bundle.jsonl", "--annotator", "amal")
    p3 = tmp_path / "p3.tawsim"
    tawsim("init", p3)
    tawsim("merge", p3, tmp_path / "amal.tawsim-bundle.jsonl", "--add-missing")
    tawsim("export", p3, tmp_path / "c.jsonl")
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()

    line["entities"][1]["note"] = 5
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    r = tawsim_process("validate", bad)  # once as a real process: exit code and message as a shell sees them
    assert r.returncode == 1 and f"{bad}:1:" in r.stdout + r.stderr and "note" in r.stdout + r.stderr
    r = tawsim("import", p2, bad, ok=False)
    assert r.returncode == 1 and "entity #2: note must be a string" in r.stderr

