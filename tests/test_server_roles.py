"""Roles a PostgreSQL server enforces (app/core/store/pg_roles.py), shown the way an adversary meets them: each role
connects with plain psycopg (not through Tawsim) and tries what it must not do. Plus `tawsim server add-user` and an
annotator login working through the Tawsim store API (triggers, caches, id counters, bulk import under RLS).

Logins are cluster-wide and the test server is shared by every test, so each test's names carry its schema's name.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from psycopg import errors

from app.core.exchange.importer import import_sources
from app.core.store import NotPermitted, Project

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ANEZI = "kuwait-nato-anezi"


def login_url(pg_url: str, name: str) -> str:
    return pg_url.replace("postgresql://postgres@", f"postgresql://{name}@", 1)


def suffix(pg_url: str) -> str:
    return parse_qs(urlsplit(pg_url).query)["options"][0].rsplit("=", 1)[1]


def tawsim(*argv, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, input=stdin)


@pytest.fixture
def team(pg_url, tmp_path):
    """A server project (owner: postgres) with the seeds, two annotators, a reviewer and an admin, each added
    with `tawsim server add-user`; amal and omar have each annotated the same document through Tawsim."""
    s = suffix(pg_url)
    names = {"amal": f"amal_{s}", "omar": f"omar_{s}", "rana": f"rana_{s}", "admin": f"boss_{s}"}
    with Project.create(pg_url) as p:
        import_sources(p, [SEEDS])
    pw = tmp_path / "pw"
    pw.write_text("s3cret-pass\n", encoding="utf-8")
    for who, role in (("amal", "annotator"), ("omar", "annotator"), ("rana", "reviewer"), ("admin", "admin")):
        r = tawsim("server", "add-user", pg_url, names[who], "--role", role, "--password-file", pw)
        assert r.returncode == 0, r.stderr
        assert names[who] in r.stdout and role in r.stdout
    for who in ("amal", "omar"):
        with Project.open(login_url(pg_url, names[who])) as p:
            assert p.login_name() == names[who]
            doc = p.document(ANEZI)
            k = doc.text.index("الكويت")
            p.add_entity(doc.key, names[who], k, k + 6, "GPE")
    with psycopg.connect(pg_url, autocommit=True) as owner:
        keys = dict(owner.execute("SELECT a.name, s.key FROM annotation_sets s JOIN annotators a "
                                  "ON a.key = s.annotator").fetchall())
        ann_keys = dict(owner.execute("SELECT name, key FROM annotators").fetchall())
    return {"url": pg_url, "names": names, "sets": keys, "ann": ann_keys}


def connect_as(team, who: str) -> psycopg.Connection:
    return psycopg.connect(login_url(team["url"], team["names"][who]), autocommit=True)


def refused(conn: psycopg.Connection, sql: str, params=()) -> bool:
    """True if the server refuses the statement for lack of privilege (a grant missing, or a row-level security
    policy violated: both are SQLSTATE 42501)."""
    try:
        conn.execute(sql, params)
    except errors.InsufficientPrivilege:
        return True
    return False


def test_add_user_stores_a_scram_hash_and_refuses_reserved_names(team):
    with psycopg.connect(team["url"], autocommit=True) as owner:
        (secret,) = owner.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                  (team["names"]["amal"],)).fetchone()
        assert secret.startswith("SCRAM-SHA-256$") and "s3cret" not in secret
        member = owner.execute("SELECT pg_has_role(%s, 'tawsim_annotator', 'MEMBER'), "
                               "pg_has_role(%s, 'tawsim_reviewer', 'MEMBER')", (team["names"]["amal"],) * 2).fetchone()
        assert member == (True, False)
        assert owner.execute("SELECT role FROM annotators WHERE name = %s",
                             (team["names"]["rana"],)).fetchone() == ("reviewer",)
    r = tawsim("server", "add-user", team["url"], "gold", "--password-file", ROOT / "pyproject.toml")
    assert r.returncode == 1 and "gold" in r.stderr and "Traceback" not in r.stderr
    r = tawsim("server", "add-user", team["url"], team["names"]["amal"], "--password-file", ROOT / "pyproject.toml")
    assert r.returncode == 1 and "already exists" in r.stderr


def test_annotator_is_refused_everything_but_its_own_work(team):
    n, sets = team["names"], team["sets"]
    omar_set, amal_set = sets[n["omar"]], sets[n["amal"]]
    with connect_as(team, "amal") as c:
        # reads: the documents, its own set; another annotator's set and annotations are invisible (blind)
        assert c.execute("SELECT count(*) FROM documents").fetchone() == (2,)
        assert c.execute("SELECT count(*) FROM annotation_sets WHERE key = %s", (omar_set,)).fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM entities WHERE set_key = %s", (omar_set,)).fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM edit_times WHERE set_key = %s", (omar_set,)).fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM entities WHERE set_key = %s", (amal_set,)).fetchone() == (1,)
        # writes to another's set: refused (INSERT) or touching no row (UPDATE / DELETE see nothing)
        assert refused(c, "INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (%s, 'e99', 0, 3, 'PER')",
                       (omar_set,))
        assert c.execute("UPDATE annotation_sets SET status = 'done' WHERE key = %s", (omar_set,)).rowcount == 0
        assert c.execute("DELETE FROM entities WHERE set_key = %s", (omar_set,)).rowcount == 0
        # a set under another name, gold, documents, labels, settings, roles, users, assignments: refused
        doc = c.execute("SELECT key FROM documents ORDER BY key LIMIT 1").fetchone()[0]
        assert refused(c, "INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (%s, %s, 'x')",
                       (doc, team["ann"]["gold"]))
        assert refused(c, "INSERT INTO annotators (name) VALUES ('mallory')")
        assert refused(c, "UPDATE annotators SET role = 'reviewer' WHERE name = current_user")
        assert refused(c, "INSERT INTO documents (id, text, hash) VALUES ('new', 'نص', 'h')")
        assert refused(c, "DELETE FROM documents")
        assert refused(c, "UPDATE labels SET color = '#000000'")
        assert refused(c, "INSERT INTO settings VALUES ('blind', 'false')")
        assert refused(c, "INSERT INTO assignments VALUES (%s, %s, 'x')", (doc, team["ann"][n["amal"]]))
        assert refused(c, "SELECT tawsim_add_user('eve', 'x', 'admin')")
        assert refused(c, f'GRANT tawsim_reviewer TO "{n["amal"]}"')
        assert refused(c, "SET ROLE tawsim_admin")  # not a member: no borrowing the role either
        # its own work: allowed
        c.execute("UPDATE annotation_sets SET status = 'done' WHERE key = %s", (amal_set,))
        c.execute("INSERT INTO settings VALUES ('assist.rejected_patterns', '[]')")
    with psycopg.connect(team["url"], autocommit=True) as owner:
        assert owner.execute("SELECT count(*) FROM entities WHERE set_key = %s", (omar_set,)).fetchone() == (1,)
        assert owner.execute("SELECT status FROM annotation_sets WHERE key = %s", (omar_set,)).fetchone() == ("todo",)
        owner.execute("INSERT INTO settings VALUES ('blind', 'false')")
    with connect_as(team, "amal") as c:  # not blind: others' sets are readable, still not writable
        assert c.execute("SELECT count(*) FROM entities WHERE set_key = %s", (omar_set,)).fetchone() == (1,)
        assert c.execute("DELETE FROM entities WHERE set_key = %s", (omar_set,)).rowcount == 0


def test_reviewer_reads_every_set_and_writes_gold_only(team):
    n, sets = team["names"], team["sets"]
    with connect_as(team, "rana") as c:
        assert c.execute("SELECT count(*) FROM entities WHERE set_key IN (%s, %s)",
                         (sets[n["amal"]], sets[n["omar"]])).fetchone() == (2,)
        doc = c.execute("SELECT document FROM annotation_sets WHERE key = %s", (sets[n["amal"]],)).fetchone()[0]
        gold = c.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (%s, %s, 'x') "
                         "RETURNING key", (doc, team["ann"]["gold"])).fetchone()[0]
        c.execute("INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (%s, 'e1', 0, 3, 'PER')", (gold,))
        assert refused(c, "INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (%s, 'e9', 0, 3, 'PER')",
                       (sets[n["amal"]],))
        assert c.execute("DELETE FROM entities WHERE set_key = %s", (sets[n["amal"]],)).rowcount == 0
        assert refused(c, "INSERT INTO documents (id, text, hash) VALUES ('new', 'نص', 'h')")
        assert refused(c, "UPDATE labels SET color = '#000000'")
        assert refused(c, "INSERT INTO settings VALUES ('blind', 'false')")
        assert refused(c, "SELECT tawsim_add_user('eve', 'x', 'admin')")


def test_admin_manages_users_labels_settings_and_assignments(team):
    n = team["names"]
    admin_url = login_url(team["url"], n["admin"])
    with Project.open(admin_url) as p:  # user management without CREATEROLE: the SECURITY DEFINER function
        p.add_user(f"huda_{suffix(team['url'])}", "pw", "annotator")
        p.update_label("entity", "PER", color="#123456")
        p.set_setting("blind", False)
        p.replace_assignments({p.document(ANEZI).key: [n["amal"]]})
    with connect_as(team, "admin") as c:
        assert c.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone() == (False,)
        assert refused(c, "INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (%s, 'e9', 0, 3, 'PER')",
                       (team["sets"][n["amal"]],))
    with connect_as(team, "omar") as c:  # assignments: each annotator sees only their own
        assert c.execute("SELECT count(*) FROM assignments").fetchone() == (0,)
    with connect_as(team, "amal") as c:
        assert c.execute("SELECT count(*) FROM assignments").fetchone() == (1,)


def test_an_annotator_login_works_through_tawsim_and_is_refused_clearly(team, tmp_path):
    n = team["names"]
    url = login_url(team["url"], n["amal"])
    with Project.open(url) as p:
        me = p.login_name()
        doc = p.document(ANEZI)
        t = doc.text
        s = t.index("نواف العنزي")
        e = p.add_entity(doc.key, me, s, s + len("نواف العنزي"), "PER")
        q0 = t.index("أول دولة")
        q = p.add_quote(doc.key, me, q0, q0 + 8, speaker=e.id, cue=(0, 3), kind="indirect")
        p.add_stance(doc.key, me, "favor", target=e.id, scope=q.id)
        p.delete_entity(doc.key, me, e.id)
        p.set_status(doc.key, me, "done")
        assert p.load(doc.key, me).status == "done"
        token = p.take_lease(me)
        p.drop_lease(token)
        with pytest.raises(NotPermitted, match="refused for the login"):
            p.add_entity(doc.key, n["omar"], s, s + 3, "PER")
        with pytest.raises(NotPermitted):
            p.set_role(me, "reviewer")
        assert p.edit_times()[me]  # the edit log's trigger wrote under RLS
    # import of its own work for a document already there: 70 entities (a bulk insert, COPY for the owner)
    line = {"id": ANEZI, "text": t, "annotator": n["amal"], "status": "done",
            "entities": [{"id": f"e{i}", "start": i, "end": i + 1, "label": "PER"} for i in range(70)]}
    own = tmp_path / "own.jsonl"
    own.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    r = tawsim("import", url, own, "--replace")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out.jsonl"
    r = tawsim("export", url, out)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {x["annotator"] for x in lines} == {n["amal"], None}  # omar's set is not exported to amal
    assert len(next(x for x in lines if x["annotator"] == n["amal"])["entities"]) == 70
    # a new document, or work under another name: refused whole, one line naming the login
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "brand-new", "text": "نص جديد", "entities": []}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    r = tawsim("import", url, new)
    assert r.returncode == 1 and "refused for the login" in r.stderr and "Traceback" not in r.stderr
    r = tawsim("import", url, own, "--annotator", n["omar"], "--replace")
    assert r.returncode == 1 and "refused for the login" in r.stderr
    with Project.open(team["url"]) as owner:
        assert owner.count_documents() == 2
        assert len(owner.load(owner.document(ANEZI).key, n["omar"]).entities) == 1
