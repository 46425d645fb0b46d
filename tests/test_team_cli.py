"""`tawsim assign` and `tawsim progress` as a lead uses them: documents spread k per document, balanced and the same
for a seed; per annotator assigned / done / skipped / flagged / time spent (idle gaps left out) / agreement. On a
project file and on a server (where an annotator's login sees only its own figures)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psycopg

from app.core.exchange.importer import import_sources
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]


def tawsim(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def make_corpus(target, tmp_path, n: int = 10) -> None:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(f"قال الوزير في الكويت إن الاجتماع رقم {i} انتهى.\n", encoding="utf-8")
    with Project.create(target) as p:
        import_sources(p, [folder])


def assignment_rows(conn) -> list[tuple[str, str]]:
    return sorted(conn.execute("SELECT d.id, a.name FROM assignments g JOIN documents d ON d.key = g.document "
                               "JOIN annotators a ON a.key = g.annotator").fetchall())


def test_assign_spreads_k_per_document_balanced_and_seeded(tmp_path):
    db = tmp_path / "p.db"
    make_corpus(db, tmp_path)
    r = tawsim("assign", db, "--to", "amal,omar,huda", "--per-document", "2", "--seed", "7")
    assert r.returncode == 0, r.stderr
    assert "assigned 10 document(s), 2 annotator(s) each" in r.stdout
    with sqlite3.connect(db) as c:
        first = assignment_rows(c)
    per_doc = Counter(d for d, _ in first)
    assert len(per_doc) == 10 and set(per_doc.values()) == {2}  # two distinct annotators on every document
    assert len(set(first)) == 20
    loads = Counter(n for _, n in first)
    assert set(loads) == {"amal", "omar", "huda"} and max(loads.values()) - min(loads.values()) <= 1
    pairs = Counter(tuple(sorted(n for d2, n in first if d2 == d)) for d in per_doc)
    assert len(pairs) == 3  # every pair of annotators shares documents (agreement rests on each pair)
    assert tawsim("assign", db, "--to", "amal,omar,huda", "--per-document", "2", "--seed", "7").returncode == 0
    with sqlite3.connect(db) as c:
        assert assignment_rows(c) == first  # same seed, same plan
    assert tawsim("assign", db, "--to", "amal,omar,huda", "--per-document", "2", "--seed", "8").returncode == 0
    with sqlite3.connect(db) as c:
        assert assignment_rows(c) != first
    r = tawsim("assign", db, "--to", "amal,omar", "--per-document", "3")
    assert r.returncode == 1 and "--per-document" in r.stderr
    r = tawsim("assign", db, "--to", "amal,gold", "--per-document", "1")
    assert r.returncode == 1 and "gold" in r.stderr and "Traceback" not in r.stderr


def test_assign_only_todo_keeps_finished_documents(tmp_path):
    db = tmp_path / "p.db"
    make_corpus(db, tmp_path, 4)
    assert tawsim("assign", db, "--to", "amal,omar", "--per-document", "2").returncode == 0
    with Project.open(db) as p:
        p.set_status(p.document("a00").key, "amal", "done")
    r = tawsim("assign", db, "--to", "huda", "--per-document", "1", "--only-status", "todo")
    assert r.returncode == 0, r.stderr
    assert "assigned 3 document(s)" in r.stdout
    with sqlite3.connect(db) as c:
        rows = assignment_rows(c)
    assert [n for d, n in rows if d == "a00"] == ["amal", "omar"]  # finished: its assignment stays
    assert all(n == "huda" for d, n in rows if d != "a00")


def _progress(target) -> dict:
    r = tawsim("progress", target, "--json")
    assert r.returncode == 0, r.stderr
    return {row["name"]: row for row in json.loads(r.stdout)["annotators"]}


def test_progress_counts_time_without_idle_gaps_and_agreement(tmp_path):
    db = tmp_path / "p.db"
    make_corpus(db, tmp_path, 4)
    assert tawsim("assign", db, "--to", "amal,omar", "--per-document", "2").returncode == 0
    with Project.open(db) as p:
        a0, a1, a2 = (p.document(f"a0{i}") for i in range(3))
        k = a0.text.index("الكويت")
        for name in ("amal", "omar"):
            p.add_entity(a0.key, name, k, k + 6, "GPE")  # the same entity: they agree
            p.set_status(a0.key, name, "done")
        p.add_entity(a1.key, "amal", 0, 3, "PER")
        p.set_status(a1.key, "amal", "skipped")
        p.set_status(a1.key, "omar", "done")  # omar found nothing there: a disagreement
        p.set_status(a2.key, "amal", "flagged", comment="؟")
        p.replace_set(a0.key, "gold", "done", [], [], [])  # gold is nobody's progress
    # amal's edits at known times: 3 + 2 minutes of work around a 57-minute pause (idle: not counted)
    with sqlite3.connect(db) as c:
        amal_sets = [k for (k,) in c.execute("SELECT s.key FROM annotation_sets s JOIN annotators a "
                                             "ON a.key = s.annotator WHERE a.name = 'amal'")]
        c.execute(f"DELETE FROM edit_times WHERE set_key IN ({','.join('?' * len(amal_sets))})", amal_sets)
        c.executemany("INSERT INTO edit_times VALUES (?, ?)",
                      [(amal_sets[0], "2026-01-01T10:00:00+00:00"), (amal_sets[0], "2026-01-01T10:01:00+00:00"),
                       (amal_sets[1], "2026-01-01T10:03:00+00:00"), (amal_sets[1], "2026-01-01T11:00:00+00:00"),
                       (amal_sets[2], "2026-01-01T11:02:00+00:00")])
    rows = _progress(db)
    assert set(rows) == {"amal", "omar"}
    amal, omar = rows["amal"], rows["omar"]
    assert (amal["assigned"], amal["assigned_open"], amal["done"], amal["skipped"], amal["flagged"]) == (4, 2, 1, 1, 1)
    assert (omar["assigned"], omar["assigned_open"], omar["done"]) == (4, 2, 2)
    assert amal["seconds"] == 300.0
    assert omar["seconds"] < 60  # its edits were made moments apart, by this test
    assert amal["agreement_f1"] == 2 / 3 and amal["agreement_documents"] == 2  # a0 agreed (1 of 1); on a1 only amal tagged
    r = tawsim("progress", db)
    assert r.returncode == 0 and "amal" in r.stdout and "5 min" in r.stdout


def test_assign_and_progress_on_a_server(pg_url, tmp_path):
    make_corpus(pg_url, tmp_path, 6)
    suffix = pg_url.rsplit("%3D", 1)[1]
    amal, omar = f"amal_{suffix}", f"omar_{suffix}"
    pw = tmp_path / "pw"
    pw.write_text("pw\n", encoding="utf-8")
    for name in (amal, omar):
        assert tawsim("server", "add-user", pg_url, name, "--password-file", pw).returncode == 0
    r = tawsim("assign", pg_url, "--to", f"{amal},{omar}", "--per-document", "1", "--seed", "1")
    assert r.returncode == 0, r.stderr
    with psycopg.connect(pg_url) as c:
        rows = assignment_rows(c)
    assert Counter(n for _, n in rows) == {amal: 3, omar: 3}
    amal_url = pg_url.replace("postgresql://postgres@", f"postgresql://{amal}@")
    with Project.open(amal_url) as p:
        doc = p.assigned_documents(amal)[0]
        p.set_status(doc, amal, "done")
    assert set(_progress(pg_url)) == {amal, omar}  # the owner sees everyone
    mine = _progress(amal_url)  # an annotator's login: its own figures only
    assert set(mine) == {amal} and mine[amal]["done"] == 1 and mine[amal]["assigned"] == 3
    r = tawsim("assign", amal_url, "--to", amal, "--per-document", "1")
    assert r.returncode == 1 and "refused for the login" in r.stderr
