"""Team projects on a PostgreSQL server, the way a user meets them: `tawsim server init URL`, every command with a
URL in place of a project file, `tawsim copy` between a file and a server (export of both identical), and the one
clear line a wrong URL, a refused login, a project from a newer Tawsim or a lost connection each give."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from app.core.exchange.importer import import_sources
from app.core.store.schema import SCHEMA_VERSION
from app.core.store import Project, ProjectError

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ANEZI = "kuwait-nato-anezi"


def tawsim(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def annotate_everything(p: Project) -> None:
    """A project with every kind of thing a copy must carry: sets of two annotators with entities, quotes (cue,
    speaker), stances, statuses and comments, a gold set with provenance, a role, settings, a gazetteer entry and
    an edited label."""
    doc = p.document(ANEZI)
    t = doc.text
    s = t.index("نواف العنزي")
    e = p.add_entity(doc.key, "amal", s, s + len("نواف العنزي"), "PER")
    k = t.index("الكويت")
    p.add_entity(doc.key, "omar", k, k + 6, "GPE")
    q0 = t.index("أول دولة")
    q = p.add_quote(doc.key, "amal", q0, q0 + 8, speaker=e.id, cue=(0, 3), kind="indirect")
    p.add_stance(doc.key, "amal", "favor", target=e.id, scope=q.id)
    p.add_stance(doc.key, "omar", "against", target_text="الناتو")
    p.set_status(doc.key, "amal", "done", comment="تم ✓ 100%")
    p.set_status(doc.key, "omar", "flagged", comment="؟")
    p.replace_set(doc.key, "gold", "done", [e], [], [], provenance={"adjudicator": "rana", "sources": ["amal"]})
    p.set_role("rana", "reviewer")
    p.set_setting("guidelines", "# إرشادات\n")
    p.add_gazetteer_entries([("بروكسل", "GPE")])
    p.update_label("entity", "PER", color="#123456")


def test_server_init_then_every_command_takes_the_url(pg_url, tmp_path):
    r = tawsim("server", "init", pg_url)
    assert r.returncode == 0, r.stderr
    assert "created a Tawsim project" in r.stdout
    r = tawsim("import", pg_url, SEEDS)
    assert r.returncode == 0, r.stderr
    r = tawsim("stats", pg_url, "--json")
    assert r.returncode == 0 and '"documents": 2' in r.stdout, r.stderr
    out = tmp_path / "out.jsonl"
    r = tawsim("export", pg_url, out)
    assert r.returncode == 0, r.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    r = tawsim("server", "init", pg_url)  # a second init never touches the project that is there
    assert r.returncode == 1 and "already exists" in r.stderr
    with Project.open(pg_url) as p:
        assert p.count_documents() == 2


def test_copy_file_to_server_and_back_is_lossless(pg_url, tmp_path):
    src = tmp_path / "desk.db"
    with Project.create(src) as p:
        import_sources(p, [SEEDS])
        annotate_everything(p)
    r = tawsim("copy", src, pg_url)
    assert r.returncode == 0, r.stderr
    assert "2 document(s), 3 annotation set(s), 6 annotation(s)" in r.stdout
    back = tmp_path / "back.db"
    r = tawsim("copy", pg_url, back)
    assert r.returncode == 0, r.stderr
    outs = []
    for where in (src, pg_url, back):
        out = tmp_path / f"export-{len(outs)}.jsonl"
        assert tawsim("export", where, out).returncode == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    with Project.open(src) as a, Project.open(pg_url) as b:
        for p in (a, b):
            assert p.role("rana") == "reviewer" and p.setting("guidelines") == "# إرشادات\n"
        assert a.gazetteer_entries() == b.gazetteer_entries()
        assert a.labels() == b.labels()
        assert a.set_times("amal") == b.set_times("amal")
        # The server numbers new rows after the copied ones: a new annotator, document set and entity all work.
        doc = b.document("kuwait-nato-colomina")
        b.add_entity(doc.key, "salma", 0, 3, "PER")
        assert b.load(doc.key, "salma").entities[0].id == "e1"


def test_copy_refuses_an_existing_destination_and_leaves_it_alone(pg_url, tmp_path):
    src = tmp_path / "a.db"
    Project.create(src).close()
    assert tawsim("server", "init", pg_url).returncode == 0
    r = tawsim("copy", src, pg_url)
    assert r.returncode == 1 and "already exists" in r.stderr
    dest = tmp_path / "b.db"
    Project.create(dest).close()
    r = tawsim("copy", pg_url, dest)
    assert r.returncode == 1 and "already exists" in r.stderr


def test_bad_url_refused_login_missing_project_and_newer_schema(pg_server, pg_url):
    port = pg_server.port
    bad = {
        f"postgresql://postgres@127.0.0.1:{port}/no_such_db": "cannot connect to the server",
        f"postgresql://postgres@127.0.0.1:notaport/x": "postgresql://",
        pg_url: "not a Tawsim project (no schema_version table); create one with `tawsim server init URL`",
    }
    with psycopg.connect(pg_server.url(), autocommit=True) as c:
        c.execute("DO $$ BEGIN CREATE ROLE visitor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    bad[f"postgresql://visitor:secret@127.0.0.1:{port}/postgres"] = "not permitted to log in"
    for url, message in bad.items():
        with pytest.raises(ProjectError) as err:
            Project.open(url)
        text = str(err.value)
        assert message in text and "\n" not in text, text
        assert "secret" not in text  # a password in the URL is never shown
    r = tawsim("stats", f"postgresql://visitor:secret@127.0.0.1:{port}/postgres")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "secret" not in r.stderr
    assert r.stderr.startswith("tawsim: postgresql://visitor@127.0.0.1")
    Project.create(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("INSERT INTO schema_version VALUES (%s, '2099-01-01')", (SCHEMA_VERSION + 1,))
    with pytest.raises(ProjectError, match=f"schema version {SCHEMA_VERSION + 1} is newer than this Tawsim"):
        Project.open(pg_url)


def test_server_gone_mid_session_is_one_clear_message_and_nothing_claimed_saved(pg_server, pg_url):
    with Project.create(pg_url) as p:
        import_sources(p, [SEEDS])
        doc = p.document(ANEZI)
        p.add_entity(doc.key, "amal", 0, 3, "PER")
        pid = p.conn.raw.info.backend_pid
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(ProjectError, match="connection to the server was lost") as err:
            p.add_entity(doc.key, "amal", 4, 8, "PER")
        assert "\n" not in str(err.value)
    with Project.open(pg_url) as again:
        assert [e.start for e in again.load(doc.key, "amal").entities] == [0]
