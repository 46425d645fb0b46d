"""The export cache kept by the store instead of triggers (schema 6): a project made at schema 5 migrates with its
data and export intact; every edit path leaves each set's cached fragment either exact or cleared, in the edit's
own transaction; single edits keep the fragment filled, bulk edits leave it to the export, which stores it back.
Exports are run as `tawsim export` subprocesses, as a user runs them."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from app.core.exchange.exporter import set_to_record
from app.core.store import Project, StaleEditError
from app.core.store.common import EntityRemoval
from app.core.store.jsonline import fragment_from_rows

ROOT = Path(__file__).resolve().parents[1]
V5 = ROOT / "tests" / "fixtures" / "projects" / "v5-edited.db"  # made by the schema-5 code, with its triggers
CACHE_TRIGGERS = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_cache' ESCAPE '\\'"


def cli_export(project: Path, out: Path) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "app", "export", str(project), str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


def from_rows(p: Project) -> bytes:
    """The export built from the annotation rows alone, never from a cached fragment."""
    return b"".join(orjson.dumps(set_to_record(s), option=orjson.OPT_APPEND_NEWLINE) for s in p.iter_sets())


def wrong_fragments(p: Project) -> list[int]:
    """Set keys whose cached fragment differs from what their rows give (a cleared one is never wrong)."""
    rows = p.conn.execute("SELECT s.key, d.text, s.cache FROM annotation_sets s JOIN documents d "
                          "ON d.key = s.document WHERE s.cache IS NOT NULL").fetchall()
    if not rows:
        return []
    ents, quotes, stances = p._annotation_rows([k for k, _, _ in rows])
    return [k for k, text, cache in rows
            if bytes(cache) != fragment_from_rows(text, ents.get(k, ()), quotes.get(k, ()), stances.get(k, ()))]


def cleared(p: Project) -> int:
    return p.conn.execute("SELECT count(*) FROM annotation_sets WHERE cache IS NULL").fetchone()[0]


@pytest.fixture
def v5(tmp_path) -> Path:
    path = tmp_path / "v5.db"
    shutil.copy(V5, path)
    return path


def test_schema_5_project_migrates_without_triggers_and_exports_the_same_bytes(v5, tmp_path):
    import sqlite3

    raw = sqlite3.connect(v5)
    assert raw.execute(CACHE_TRIGGERS).fetchone()[0] == 9
    before = {t: raw.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
              for t in ("documents", "annotation_sets", "entities", "quotes", "stances")}
    raw.close()
    assert cli_export(v5, tmp_path / "out.jsonl") == V5.with_suffix(".export.jsonl").read_bytes()
    with Project.open(v5) as p:
        assert p.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 6
        assert p.conn.execute(CACHE_TRIGGERS).fetchone()[0] == 0
        for table, rows in before.items():  # the export only filled the fragments the triggers had cleared
            now = p.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            if table == "annotation_sets":
                now, rows = [r[:-4] + r[-3:] for r in now], [r[:-4] + r[-3:] for r in rows]  # all but cache
            elif table in ("entities", "quotes"):  # later versions appended an empty note (and no cluster) to each
                width = len(rows[0]) if rows else 0
                assert {r[width:] for r in now} <= {("",), ("", None)}
                now = [r[:width] for r in now]
            assert now == rows, table
        assert cleared(p) == 0 and wrong_fragments(p) == []
        # The migrated project goes on being edited: the edit shows in the next export.
        k = p.document_keys()[0]
        who = p.set_annotators(k)[0]
        e = p.load(k, who).entities[0]
        p.update_entity(k, who, e.id, label="EVENT")
        expected = from_rows(p)
    assert b'"label":"EVENT"' in expected
    assert cli_export(v5, tmp_path / "edited.jsonl") == expected


def test_single_edits_keep_every_fragment_filled_and_exact(v5, tmp_path):
    with Project.open(v5) as p:
        k = p.document_keys()[1]
        who = p.set_annotators(k)[0]
        text = p.document(k).text
        e = p.add_entity(k, who, 0, 4, "PER")
        p.update_entity(k, who, e.id, start=1)
        q = p.add_quote(k, who, 5, 30, speaker=e.id, cue=(2, 4))
        p.update_quote(k, who, q.id, kind="indirect")
        s = p.add_stance(k, who, "favor", target=e.id, scope=q.id)
        p.update_stance(k, who, s.id, label="against")
        removal = p.delete_entity(k, who, e.id)  # unlinks the quote's speaker and the stance's target
        p.restore_entity(k, who, removal)  # relinks them after add_entity rebuilt the fragment
        qr = p.delete_quote(k, who, q.id)
        p.restore_quote(k, who, qr)
        p.delete_stance(k, who, s.id)
        cache = p.conn.execute("SELECT cache FROM annotation_sets WHERE key = ?", (p._set_key(k, who, False),))
        assert cache.fetchone()[0] is not None, "a single edit leaves its set's fragment filled"
        assert wrong_fragments(p) == []
        assert text == p.document(k).text
        expected = from_rows(p)
    assert cli_export(v5, tmp_path / "out.jsonl") == expected


def test_bulk_edits_clear_fragments_and_the_export_rebuilds_and_stores_them(v5, tmp_path):
    from app.core.model import ENTITY

    with Project.open(v5) as p:
        keys = p.document_keys()
        added = p.add_entities_bulk("amal", [(k, 0, 2, "GPE") for k in keys])  # tag-all across the corpus
        assert cleared(p) >= len(keys) and wrong_fragments(p) == []
        p.rename_label(ENTITY, "GPE", "COUNTRY")
        assert wrong_fragments(p) == []
        expected = from_rows(p)
        assert expected.count(b'"label":"COUNTRY"') >= len(keys)
    assert cli_export(v5, tmp_path / "out.jsonl") == expected
    with Project.open(v5) as p:
        assert cleared(p) == 0 and wrong_fragments(p) == []  # stored back: the next export splices
        p.delete_entities_bulk("amal", added)  # undo of the tag-all
        assert wrong_fragments(p) == []
        expected = from_rows(p)
    assert cli_export(v5, tmp_path / "undone.jsonl") == expected


def test_a_refused_edit_rolls_its_fragment_back_with_its_rows(v5, tmp_path):
    with Project.open(v5) as p:
        p.refresh_export_cache()
        k = p.document_keys()[0]
        who = p.set_annotators(k)[0]
        e = p.load(k, who).entities[0]
        before = from_rows(p)
        gone = p.delete_entity(k, who, e.id)
        # A stale undo: the quote it would relink does not exist. It adds the entity (rebuilding the fragment),
        # then is refused; rows and fragment go back together.
        stale = EntityRemoval(gone.entity, ("no-such-quote",), ())
        with pytest.raises(StaleEditError):
            p.restore_entity(k, who, stale)
        assert wrong_fragments(p) == [] and cleared(p) == 0
        expected = from_rows(p)
        assert expected != before
    assert cli_export(v5, tmp_path / "out.jsonl") == expected


def test_a_process_killed_inside_an_edit_leaves_rows_and_fragment_as_they_were(v5, tmp_path):
    with Project.open(v5) as p:
        p.refresh_export_cache()
        before = from_rows(p)
    script = ("import os, sys\nfrom app.core.store import Project\n"
              "p = Project.open(sys.argv[1])\nk = p.document_keys()[0]\nwho = p.set_annotators(k)[0]\n"
              "with p.transaction():\n"
              "    p.add_entity(k, who, 0, 3, 'MISC')\n"  # rows written and the fragment rebuilt, not committed
              "    os._exit(9)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(v5)], cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode == 9, proc.stderr
    assert cli_export(v5, tmp_path / "out.jsonl") == before
    with Project.open(v5) as p:
        assert wrong_fragments(p) == []


def test_fragments_stay_exact_on_the_project_backend(project, tmp_path):
    """The same rules on whichever backend `project` is (TAWSIM_TEST_BACKEND=postgres puts it on the server), but
    one: on a server a single edit only clears its set's fragment (a rebuild would cost the edit five more round
    trips); the export rebuilds it."""
    import sqlite3

    from app.core.exchange.exporter import export_jsonl

    k = project.document_keys()[0]
    text = project.document(k).text
    e = project.add_entity(k, "amal", 0, 4, "PER")
    q = project.add_quote(k, "amal", 5, 20, speaker=e.id)
    project.update_entity(k, "amal", e.id, end=3)  # the quote's speaker text follows
    assert cleared(project) == (0 if isinstance(project.conn, sqlite3.Connection) else 1)
    assert wrong_fragments(project) == []
    project.add_entities_bulk("amal", [(key, 0, 2, "GPE") for key in project.document_keys()])
    assert wrong_fragments(project) == []
    expected = from_rows(project)
    out = tmp_path / "out.jsonl"
    export_jsonl(project, out)
    assert out.read_bytes() == expected and text[:3].encode() in expected
    assert cleared(project) == 0 and wrong_fragments(project) == []
    assert q.id.encode() in expected


def test_schema_5_server_project_loses_its_cache_triggers(pg_url, monkeypatch):
    from app.core.store import schema

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 5)
    with Project.create(pg_url) as p:
        p.ensure_annotator("amal")
        triggers = "SELECT count(*) FROM information_schema.triggers WHERE trigger_name LIKE '%\\_cache' ESCAPE '\\'"
        assert p.conn.execute(triggers).fetchone()[0] == 9
    monkeypatch.undo()
    with Project.open(pg_url) as p:
        assert p.conn.execute(triggers).fetchone()[0] == 0
        assert p.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 6
        assert p.annotators() == ["amal"]


def test_every_store_function_writing_annotation_rows_also_keeps_the_cache():
    """No trigger keeps the cache any more, so a function of the store that writes entity, quote or stance rows must
    clear or rebuild its sets' fragments itself (ProjectBase._touch, `cache = NULL`, or writing the fragment), in
    its transaction. A new write path without it would export stale annotations: this names it."""
    import ast
    import re

    writes = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(entities|quotes|stances|\{table\})\b", re.I)
    keeps = re.compile(r"_touch\(|\bcache\s*=\s*(NULL|\?)|_refresh_fragments\(|"
                       r"INSERT INTO annotation_sets \([^)]*\bcache\b")  # a new set written with its fragment
    store = ROOT / "app" / "core" / "store"
    unkept = []
    for path in sorted(store.glob("*.py")):
        if path.name in ("schema.py", "postgres.py", "pg_connection.py"):  # DDL, and SQL passed through
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                body = ast.get_source_segment(source, node) or ""
                if writes.search(body) and not keeps.search(body):
                    unkept.append(f"{path.name}:{node.lineno} {node.name}")
    assert unkept == []
