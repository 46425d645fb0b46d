"""The project file's schema and its migrations.

A project is one SQLite file. Invariants live in the schema as well as in code (doccano's CHECK on offsets):
a corrupt row cannot be written even by a buggy caller. Each migration runs in one transaction and is recorded in
`schema_version`, so an old project file opens in a newer Tawsim and a newer file is refused by an older one.
"""
from __future__ import annotations

import datetime as _dt
import sqlite3
from contextlib import contextmanager
from typing import Iterator

SCHEMA_VERSION = 9

_V1 = """
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                       -- JSON
);
CREATE TABLE labels (
    kind     TEXT NOT NULL CHECK (kind IN ('entity', 'stance', 'quote_kind')),
    name     TEXT NOT NULL CHECK (length(name) > 0),
    display  TEXT NOT NULL DEFAULT '',
    color    TEXT NOT NULL DEFAULT '#999999',
    key      TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, name)
);
CREATE TABLE documents (
    key   INTEGER PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
    text  TEXT NOT NULL,
    meta  TEXT NOT NULL DEFAULT '{}',         -- JSON object, kept as imported
    hash  TEXT NOT NULL UNIQUE,               -- sha256 of the text: the same article is stored once
    title TEXT NOT NULL DEFAULT ''
);
CREATE TABLE annotators (
    key  INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL DEFAULT 'annotator' CHECK (role IN ('annotator', 'reviewer', 'gold'))
);
CREATE TABLE annotation_sets (
    key        INTEGER PRIMARY KEY,
    document   INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    annotator  INTEGER NOT NULL REFERENCES annotators(key) ON DELETE CASCADE,
    status     TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'done', 'skipped', 'flagged')),
    comment    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    provenance TEXT NOT NULL DEFAULT '{}',    -- JSON: for gold, who adjudicated and from which sets
    UNIQUE (document, annotator)
);
CREATE INDEX annotation_sets_by_annotator ON annotation_sets (annotator, status);
CREATE TABLE entities (
    key     INTEGER PRIMARY KEY,
    set_key INTEGER NOT NULL REFERENCES annotation_sets(key) ON DELETE CASCADE,
    id      TEXT NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    label   TEXT NOT NULL,
    CHECK (start >= 0 AND start < "end"),
    UNIQUE (set_key, id)
);
CREATE TABLE quotes (
    key          INTEGER PRIMARY KEY,
    set_key      INTEGER NOT NULL REFERENCES annotation_sets(key) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    speaker      TEXT,                        -- entity id in the same set, or NULL
    speaker_text TEXT NOT NULL DEFAULT '',
    cue_start    INTEGER,
    cue_end      INTEGER,
    kind         TEXT NOT NULL,
    CHECK (start >= 0 AND start < "end"),
    CHECK ((cue_start IS NULL) = (cue_end IS NULL)),
    CHECK (cue_start IS NULL OR (cue_start >= 0 AND cue_start < cue_end)),
    UNIQUE (set_key, id)
);
CREATE TABLE stances (
    key         INTEGER PRIMARY KEY,
    set_key     INTEGER NOT NULL REFERENCES annotation_sets(key) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    target      TEXT,                         -- entity id in the same set, or NULL
    target_text TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT 'document',  -- 'document' or a quote id in the same set
    UNIQUE (set_key, id)
);
"""

# Version 2: the gazetteer (entries imported from a file; entries from annotations are derived, not stored).
_V2 = """
CREATE TABLE gazetteer (
    text   TEXT NOT NULL CHECK (length(text) > 0),
    label  TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'file',
    PRIMARY KEY (text, label)
);
"""

# Version 3: each set's annotations as export-ready JSON bytes, so a 100k-document export splices bytes instead of
# rebuilding 2M entity objects. Triggers clear it on ANY change to a set's rows (whatever code path made it);
# the store refills it when it writes a whole set, and the export rebuilds missing ones on the fly.
_V3 = """
ALTER TABLE annotation_sets ADD COLUMN cache BLOB;
CREATE TRIGGER entities_ins_cache AFTER INSERT ON entities BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = NEW.set_key AND cache IS NOT NULL; END;
CREATE TRIGGER entities_upd_cache AFTER UPDATE ON entities BEGIN UPDATE annotation_sets SET cache = NULL WHERE key IN (OLD.set_key, NEW.set_key) AND cache IS NOT NULL; END;
CREATE TRIGGER entities_del_cache AFTER DELETE ON entities BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = OLD.set_key AND cache IS NOT NULL; END;
CREATE TRIGGER quotes_ins_cache AFTER INSERT ON quotes BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = NEW.set_key AND cache IS NOT NULL; END;
CREATE TRIGGER quotes_upd_cache AFTER UPDATE ON quotes BEGIN UPDATE annotation_sets SET cache = NULL WHERE key IN (OLD.set_key, NEW.set_key) AND cache IS NOT NULL; END;
CREATE TRIGGER quotes_del_cache AFTER DELETE ON quotes BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = OLD.set_key AND cache IS NOT NULL; END;
CREATE TRIGGER stances_ins_cache AFTER INSERT ON stances BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = NEW.set_key AND cache IS NOT NULL; END;
CREATE TRIGGER stances_upd_cache AFTER UPDATE ON stances BEGIN UPDATE annotation_sets SET cache = NULL WHERE key IN (OLD.set_key, NEW.set_key) AND cache IS NOT NULL; END;
CREATE TRIGGER stances_del_cache AFTER DELETE ON stances BEGIN UPDATE annotation_sets SET cache = NULL WHERE key = OLD.set_key AND cache IS NOT NULL; END;
"""

# Version 4: ids that never repeat within a set, and who has the project open.
# Ids were `count + 1`, so after a delete a second window (or process) annotating as the same person got the id of
# the deleted annotation back, and its undo then deleted the other window's work. Each set now keeps, per kind, the
# highest number it has handed out (e7 -> 7); the counters only grow, are raised inside the writing transaction
# (a plain column works on any SQL backend), and start above every numeric id already stored.
# open_sessions: one row per window with the project open for editing (pid, host, heartbeat), so opening it a
# second time as the same annotator can warn; rows of dead processes are ignored, so a crash locks nobody out.
_V4 = """
ALTER TABLE annotation_sets ADD COLUMN entity_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotation_sets ADD COLUMN quote_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE annotation_sets ADD COLUMN stance_seq INTEGER NOT NULL DEFAULT 0;
CREATE TABLE open_sessions (
    token      TEXT PRIMARY KEY,
    annotator  TEXT NOT NULL,
    host       TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat  REAL NOT NULL
);
"""

# Version 5: entity recognisers trained in the project (app.core.learn), and which annotators are such models.
# `data` is the whole model file (app.core.learn.modelfile): format version, labels, metrics and the CRF, so a
# model exported to a file and one kept here are the same bytes. A machine annotator's sets are excluded from
# agreement unless asked; a table rather than a new role, because the role CHECK of v1 cannot change in place.
_V5 = """
CREATE TABLE models (
    name       TEXT PRIMARY KEY CHECK (length(name) > 0),
    created_at TEXT NOT NULL,
    format     INTEGER NOT NULL,
    labels     TEXT NOT NULL DEFAULT '[]',    -- JSON list
    metrics    TEXT NOT NULL DEFAULT '{}',    -- JSON: held-out entity F1 per label and micro
    data       BLOB NOT NULL
);
CREATE TABLE machine_annotators (
    annotator INTEGER PRIMARY KEY REFERENCES annotators(key) ON DELETE CASCADE,
    model     TEXT NOT NULL DEFAULT ''        -- what made its sets (model name and summary), for people to read
);
"""

# Version 6: the export cache of version 3 without its triggers. They fired on every entity, quote and stance row
# written, a bulk import's millions included, and cleared a fragment the store then had to rebuild during the next
# export (a project whose sets were all edited exported at 3.5-4.4x the bare dump). The store now keeps the cache
# itself, in the transaction that writes the rows: a whole-set write (import, merge) stores the new fragment, a
# single edit rebuilds its set's fragment, a bulk edit clears the fragments it touched, and the export rebuilds
# cleared ones in batches and stores them (bulk.py), finding them by a partial index of the cleared sets only (a
# scan of the sets would read every fragment: seconds on 100k sets, before every export). Existing fragments were
# kept exact by the triggers until now, so they stay.
_V6 = "\n".join(f"DROP TRIGGER IF EXISTS {table}_{event}_cache;" for table in ("entities", "quotes", "stances")
                for event in ("ins", "upd", "del")) + """
CREATE INDEX annotation_sets_cleared_cache ON annotation_sets (key) WHERE cache IS NULL;
"""

# Version 7: a free-text note on an entity or a quote (why this label; a doubt for the reviewer). '' is no note, so
# an old project's rows, and exports without notes, stay exactly as they were.
_V7 = """
ALTER TABLE entities ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE quotes ADD COLUMN note TEXT NOT NULL DEFAULT '';
"""

# Version 8: team work (app.core.review.assignment / progress). `assignments`: which annotators are to annotate a
# document (`tawsim assign`). `edit_times`: the time of every single edit of a set (written by the store's edit
# paths, _touch and set_status), so time spent can be summed with idle gaps left out. Not a trigger on updated_at:
# bulk writes (tag-all over 100,000 sets) would pay a trigger per row (+0.5-2 s measured), and one bulk action is
# one act of work, not 100,000. On a server project this step also installs the roles and row-level security
# (pg_roles.install).
_V8 = """
CREATE TABLE assignments (
    document    INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    annotator   INTEGER NOT NULL REFERENCES annotators(key) ON DELETE CASCADE,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (document, annotator)
);
CREATE INDEX assignments_by_annotator ON assignments (annotator, document);
CREATE TABLE edit_times (
    set_key INTEGER NOT NULL REFERENCES annotation_sets(key) ON DELETE CASCADE,
    at      TEXT NOT NULL
);
CREATE INDEX edit_times_by_set ON edit_times (set_key);
"""

# Version 9: entity clusters. Mentions of one referent in a set ("عادل الجبير" ... "الوزير" ... "وزير الخارجية
# السعودي") share a cluster id, so a quote whose speaker is a title resolves to the named mention. NULL: in no
# cluster; a cluster id held by one mention only is no cluster (read and exported as none).
_V9 = """
ALTER TABLE entities ADD COLUMN cluster TEXT;
"""

# version -> DDL that brings a project from version-1 to version.
MIGRATIONS: dict[int, str] = {1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V6, 7: _V7, 8: _V8, 9: _V9}


def _start_counters_above_existing_ids(conn) -> None:
    """Version 4's data step: each set's counters start above the highest numeric id it already holds (e12 -> 12),
    so no id is ever handed out twice. In Python, not SQL: GLOB and integer casts of text differ between SQLite
    and PostgreSQL, and this runs once per project."""
    for table, column, prefix in (("entities", "entity_seq", "e"), ("quotes", "quote_seq", "q"),
                                  ("stances", "stance_seq", "s")):
        highest: dict[int, int] = {}
        for set_key, ident in conn.execute(f"SELECT set_key, id FROM {table}").fetchall():
            if len(ident) <= 19 and ident[:1] == prefix and ident[1:].isdigit() and ident[1:].isascii():
                highest[set_key] = max(highest.get(set_key, 0), int(ident[1:]))
        conn.executemany(f"UPDATE annotation_sets SET {column} = ? WHERE key = ?",
                         [(n, k) for k, n in highest.items()])


def _install_server_roles(conn) -> None:
    """Version 8 on a PostgreSQL server: the group roles, grants and row-level security (pg_roles.py). A project
    file has no logins: nothing to do."""
    if hasattr(conn, "query"):  # a PgConnection (sqlite3 connections have no `query`)
        from .pg_roles import install

        install(conn)


# version -> Python run after that version's DDL, in the same transaction (data the DDL cannot move portably).
DATA_STEPS = {4: _start_counters_above_existing_ids, 8: _install_server_roles}


class SchemaError(RuntimeError):
    pass


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection, path: str = "project") -> int:
    """Bring the file to SCHEMA_VERSION, one transaction per step. Returns the version reached."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaError(f"{path}: project schema version {version} is newer than this Tawsim "
                          f"understands ({SCHEMA_VERSION}); please upgrade Tawsim")
    while version < SCHEMA_VERSION:
        step = version + 1
        with atomic(conn):
            _lock_schema(conn)
            version = current_version(conn)  # another program may have migrated while we waited for the lock
            if version >= step:
                continue
            if step == 1:
                conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for stmt in _statements(MIGRATIONS[step]):
                conn.execute(stmt)
            if step in DATA_STEPS:
                DATA_STEPS[step](conn)
            conn.execute("INSERT INTO schema_version VALUES (?, ?)",
                         (step, _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")))
        version = step
    return version


def _lock_schema(conn) -> None:
    """Two programs opening an old project at once must not both migrate it (the second would add a column or a
    table the first just added, and fail). A migration step takes this lock inside its transaction and re-reads
    the version: on a project file BEGIN IMMEDIATE already holds the file's write lock; a server connection takes
    a transaction-level advisory lock for its project (PgConnection.lock_schema)."""
    lock = getattr(conn, "lock_schema", None)  # a sqlite3 connection has none and needs none
    if lock is not None:
        lock()


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """One explicit transaction (the connection runs in autocommit mode); joins an outer one if open.
    A failed COMMIT is rolled back too, so no transaction is left open for a later edit to join."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        rollback_quietly(conn)
        raise


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already: it does so by itself on SQLITE_FULL, IOERR and
    NOMEM, and a ROLLBACK then fails with "no transaction is active". The error that caused the rollback is the one
    the user must see, so a failing ROLLBACK never replaces it."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _statements(script: str) -> list[str]:
    # executescript() would commit the surrounding transaction; split so each step stays atomic.
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line.split("--")[0] if "--" in line else line)
        if line.rstrip().endswith(";"):
            stmt = "\n".join(buf).strip()
            if stmt.strip(";").strip():
                out.append(stmt)
            buf = []
    return out
