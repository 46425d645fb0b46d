"""The project file itself: opening, creating and closing it, settings, annotators and their roles (blind
annotation), documents and the document list, and annotation sets as units (finding, creating, timing, loading one
with its annotations). The base every other store mixin builds on: `self.conn`, `_set_key`, `_annotation_rows`.

Like every module of app.core.store (and schema.py), it holds SQL; nothing outside the store does.
"""
from __future__ import annotations

import json
import sqlite3
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence


from ..text import arabic
from ..labels import DEFAULT_LABELS, check_colour
from ..model import GOLD, TODO, AnnotationError, AnnotationSet, Document, Label, title_of
from ..names import check_annotator_name
from . import sqlite as sqlite_backend
from .common import DocRow, ProjectError, _entities, _quotes, _stances, now, text_hash
from .failures import NewFiles, storage_failure
from .location import is_server_url, location
from .opened import remember_database
from .schema import SchemaError, atomic, migrate

if TYPE_CHECKING:
    from . import Project  # the class these methods end up in (create and open return one)


class ProjectBase:
    """Opening, settings, annotators, documents and sets of a project file; mixed into Project with the others."""

    def __init__(self, path: str | Path, conn: sqlite3.Connection):
        self.path = location(path)  # a Path, or a ServerLocation with the same name/stem/parent
        self.conn = conn
        if not is_server_url(path):
            remember_database(path)  # no export or bundle may ever be written over this file
        self._labels_cache: Optional[list[Label]] = None
        self._doc_rows: dict[int | str, tuple] = {}  # see document()

    @property
    def db(self):
        """The file project as a sqlite_utils Database, for scripts that query it ad hoc (None on a server).

        Imported on first use, not at start: sqlite-utils pulls in numpy and pandas when they are installed, which
        cost every `tawsim` command a third of a second or more before it did anything."""
        if not isinstance(self.conn, sqlite3.Connection):
            return None
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # ---- opening -------------------------------------------------------------------------------------------
    @classmethod
    def _connect(cls, path: str | Path):
        """A sqlite3 connection to a project file, or a PgConnection (the same surface) to a server project."""
        if not is_server_url(path):
            return sqlite_backend.connect(path)
        from . import pg_connection  # here: a file project needs neither psycopg nor its start-up time

        return pg_connection.connect(location(path))

    @classmethod
    def create(cls, path: str | Path, labels: Sequence[Label] = DEFAULT_LABELS) -> "Project":
        if not is_server_url(path) and sqlite_backend.exists(path):
            raise ProjectError(f"{path}: already exists")
        for l in labels:
            check_colour(l.color)  # before the file is made: a refused label set leaves nothing behind
        created = NewFiles(path if not is_server_url(path) else ":memory:")  # a server has no files
        conn = None
        try:
            conn = cls._connect(path)
            if is_server_url(path) and conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone():
                conn.close()
                conn = None
                raise ProjectError(f"{location(path)}: already exists (the database holds a Tawsim project)")
            migrate(conn, str(location(path)))
            project = cls(path, conn)
            with atomic(conn):
                conn.executemany("INSERT INTO labels (kind, name, display, color, key, position) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 [(l.kind, l.name, l.display, l.color, l.key, l.position) for l in labels])
                conn.execute("INSERT INTO annotators (name, role) VALUES (?, 'gold')", (GOLD,))
        except sqlite3.Error as exc:  # a full disk, a lock...: leave no half-made project behind
            if conn is not None:
                conn.close()
            created.undo()
            raise storage_failure(exc, path) or ProjectError(f"{location(path)}: cannot create the project "
                                                             f"({exc})") from exc
        return project

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        if not is_server_url(path) and not Path(path).exists():
            raise ProjectError(f"{path}: no such project (create it with `tawsim init {path}`)")
        conn = None
        try:
            conn = cls._connect(path)
            has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            # Locked, full, unreadable or failing storage says so: only a file SQLite cannot read as a database is
            # "not a Tawsim project", so nobody deletes a healthy project over a full disk.
            raise storage_failure(exc, path) or ProjectError(f"{path}: not a Tawsim project ({exc})") from exc
        if not has_version:
            conn.close()
            raise ProjectError(f"{location(path)}: not a Tawsim project (no schema_version table)"
                               + ("; create one with `tawsim server init URL`" if is_server_url(path) else ""))
        try:
            migrate(conn, str(location(path)))
        except SchemaError as exc:
            conn.close()
            raise ProjectError(str(exc)) from exc
        except sqlite3.Error as exc:
            conn.close()
            raise storage_failure(exc, path) or ProjectError(f"{path}: cannot update the project ({exc})") from exc
        return cls(path, conn)

    @classmethod
    def open_or_create(cls, path: str | Path) -> "Project":
        return cls.create(path) if not is_server_url(path) and not sqlite_backend.exists(path) else cls.open(path)

    def close(self) -> None:
        self.conn.close()

    def reconnect(self) -> None:
        """A new connection in place of a lost one (a server that went away); the store's state is all in the
        database, so nothing else needs redoing."""
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - the old connection is gone either way
            pass
        self.conn = self._connect(self.path)

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return atomic(self.conn)

    def snapshot(self):
        """A read-only transaction: every read inside sees one state of the file. Unlike transaction() it takes
        no write lock, so a bundle of a project another process is editing neither waits for nor blocks it."""
        return self._backend("read_snapshot")

    def set_busy_timeout(self, ms: int) -> None:
        """How long a write waits for another connection's write lock before failing with "database is locked".
        The window waits less than the CLI: a user pressing a key must not face a long freeze, and gets a Retry."""
        self._backend("set_busy_timeout", ms)

    def set_read_only(self, read_only: bool = True) -> None:
        """Refuse every write on this connection (a window opened read-only): nothing it does can change the file."""
        self._backend("set_read_only", read_only)

    def _backend(self, name: str, *args):
        """Call what differs between the backends: sqlite.py's function on a file's connection, or the
        PgConnection's own method on a server's."""
        if isinstance(self.conn, sqlite3.Connection):
            return getattr(sqlite_backend, name)(self.conn, *args)
        return getattr(self.conn, name)(*args)

    # ---- settings ------------------------------------------------------------------------------------------
    def setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        with atomic(self.conn):
            self.conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))

    # ---- annotators ----------------------------------------------------------------------------------------
    def annotators(self, include_gold: bool = False) -> list[str]:
        sql = "SELECT name FROM annotators" + ("" if include_gold else " WHERE role != 'gold'") + " ORDER BY name"
        return [r[0] for r in self.conn.execute(sql)]

    def _annotator_key(self, name: str, create: bool = True) -> Optional[int]:
        row = self.conn.execute("SELECT key FROM annotators WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        if name == GOLD:  # a project made without its gold row: adjudication's set, with gold's role
            return self.conn.execute("INSERT INTO annotators (name, role) VALUES (?, 'gold')", (name,)).lastrowid
        check_annotator_name(name)  # a new name: never gold's look-alike, no invisible or control characters
        return self.conn.execute("INSERT INTO annotators (name) VALUES (?)", (name,)).lastrowid

    def role(self, name: str) -> str:
        row = self.conn.execute("SELECT role FROM annotators WHERE name = ?", (name,)).fetchone()
        return row[0] if row else "annotator"

    def set_role(self, name: str, role: str) -> None:
        """'annotator' or 'reviewer' (a reviewer sees every set even in blind projects)."""
        if role not in ("annotator", "reviewer"):
            raise AnnotationError(f"unknown role {role!r} (annotator or reviewer)")
        if name == GOLD:
            raise AnnotationError("the gold set has no role")
        with atomic(self.conn):
            self._annotator_key(name)
            self.conn.execute("UPDATE annotators SET role = ? WHERE name = ?", (role, name))

    def blind(self) -> bool:
        """Blind annotation: annotators do not see each other's sets. Unless set explicitly it is on as soon as
        the project has more than one annotator."""
        explicit = self.setting("blind")
        return bool(explicit) if explicit is not None else len(self.annotators()) > 1

    def can_see_others(self, name: str) -> bool:
        return not self.blind() or self.role(name) == "reviewer"

    def ensure_annotator(self, name: str) -> None:
        with atomic(self.conn):
            self._annotator_key(name)

    # ---- documents -----------------------------------------------------------------------------------------
    def list_documents(self, offset: int = 0, limit: int = 100, annotator: Optional[str] = None,
                       status: Optional[str] = None, search: Optional[str] = None) -> list[DocRow]:
        """A page of the document list for `annotator`: id, title, that annotator's status and label count."""
        where, args = self._doc_filter(annotator, status, search)
        sql = f"""SELECT d.key, d.id, d.title, COALESCE(s.status, 'todo'),
                    CASE WHEN s.key IS NULL THEN 0 ELSE
                      (SELECT count(*) FROM entities WHERE set_key = s.key)
                    + (SELECT count(*) FROM quotes WHERE set_key = s.key)
                    + (SELECT count(*) FROM stances WHERE set_key = s.key) END
                  FROM documents d {self._set_join(annotator)} {where} ORDER BY d.key LIMIT :limit OFFSET :offset"""
        return [DocRow(*r) for r in self.conn.execute(sql, {**args, "limit": limit, "offset": offset})]

    def document_keys(self, annotator: Optional[str] = None, status: Optional[str] = None,
                      search: Optional[str] = None) -> list[int]:
        """Keys of the documents a list shows, in list order: one cheap query, so any page is then a lookup by
        key instead of an OFFSET scan (a jump to row 90,000 costs the same as row 0)."""
        where, args = self._doc_filter(annotator, status, search)
        return [r[0] for r in self.conn.execute(
            f"SELECT d.key FROM documents d {self._set_join(annotator)} {where} ORDER BY d.key", args)]

    def document_rows(self, keys: Sequence[int], annotator: Optional[str] = None) -> list[DocRow]:
        """DocRows of these documents, in the order given."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        ann = self._annotator_key(annotator, create=False) if annotator is not None else None
        rows = {r[0]: DocRow(*r) for r in self.conn.execute(
            f"""SELECT d.key, d.id, d.title, COALESCE(s.status, 'todo'),
                    CASE WHEN s.key IS NULL THEN 0 ELSE
                      (SELECT count(*) FROM entities WHERE set_key = s.key)
                    + (SELECT count(*) FROM quotes WHERE set_key = s.key)
                    + (SELECT count(*) FROM stances WHERE set_key = s.key) END
                FROM documents d LEFT JOIN annotation_sets s ON s.document = d.key AND s.annotator = ?
                WHERE d.key IN ({marks})""", (ann, *keys))}
        return [rows[k] for k in keys if k in rows]

    def _set_join(self, annotator: Optional[str]) -> str:
        return ("LEFT JOIN annotation_sets s ON s.document = d.key AND s.annotator = "
                "(SELECT key FROM annotators WHERE name = :ann)") if annotator is not None else \
            "LEFT JOIN (SELECT NULL AS key, NULL AS status) s ON 0"

    def _doc_filter(self, annotator, status, search) -> tuple[str, dict]:
        clauses, args = [], {"ann": annotator}
        if status:
            clauses.append("COALESCE(s.status, 'todo') = :status")
            args["status"] = status
        if search and search.strip():
            args["q"] = arabic.search_key(search.strip())
            clauses.append("(instr(tkey(d.id), :q) > 0 OR instr(tkey(d.text), :q) > 0)")
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), args

    def document(self, key_or_id: int | str) -> Document:
        """A new Document each call from a row kept once committed (no text changes, no document is deleted)."""
        row = self._doc_rows.get(key_or_id)
        if row is None:
            col = "key" if isinstance(key_or_id, int) else "id"
            row = self.conn.execute(f"SELECT key, id, text, meta, hash FROM documents WHERE {col} = ?",
                                    (key_or_id,)).fetchone()
            if not row:
                raise ProjectError(f"no document {key_or_id!r}")
            if not self.conn.in_transaction:  # an uncommitted row could still be rolled back
                self._doc_rows = {**(self._doc_rows if len(self._doc_rows) < 64 else {}), key_or_id: row}
        return Document(row[0], row[1], row[2], json.loads(row[3]), row[4])

    def document_key_by_hash(self, h: str) -> Optional[int]:
        row = self.conn.execute("SELECT key FROM documents WHERE hash = ?", (h,)).fetchone()
        return row[0] if row else None

    def next_document(self, after_key: int, annotator: str, statuses: Sequence[str] = (TODO,)) -> Optional[int]:
        """The first document after `after_key` (wrapping around) whose status for `annotator` is in `statuses`."""
        marks = ",".join("?" * len(statuses))
        sql = f"""SELECT d.key FROM documents d LEFT JOIN annotation_sets s ON s.document = d.key
                  AND s.annotator = (SELECT key FROM annotators WHERE name = ?)
                  WHERE COALESCE(s.status, 'todo') IN ({marks}) AND d.key {{op}} ? ORDER BY d.key LIMIT 1"""
        for op in (">", "<="):
            row = self.conn.execute(sql.format(op=op), (annotator, *statuses, after_key)).fetchone()
            if row:
                return row[0]
        return None

    def neighbour_document(self, doc_key: int, step: int) -> Optional[int]:
        """The next (step > 0) or previous (step < 0) document in list order, or None at either end."""
        sql = ("SELECT key FROM documents WHERE key > ? ORDER BY key LIMIT 1" if step > 0 else
               "SELECT key FROM documents WHERE key < ? ORDER BY key DESC LIMIT 1")
        row = self.conn.execute(sql, (doc_key,)).fetchone()
        return row[0] if row else None

    def insert_document(self, doc_id: str, text: str, meta: dict, h: Optional[str] = None) -> int:
        return self.conn.execute(
            "INSERT INTO documents (id, text, meta, hash, title) VALUES (?, ?, ?, ?, ?)",
            (doc_id, text, json.dumps(meta, ensure_ascii=False), h or text_hash(text), title_of(text, meta)),
        ).lastrowid

    def document_ids(self) -> dict[str, str]:
        """id -> hash of every document (for import-time checks)."""
        return dict(self.conn.execute("SELECT id, hash FROM documents"))

    def document_hashes(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT hash, key FROM documents"))

    # ---- annotation sets -----------------------------------------------------------------------------------
    def _set_key(self, doc_key: int, annotator: str, create: bool) -> Optional[int]:
        row = self.conn.execute("SELECT s.key FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                                "WHERE s.document = ? AND a.name = ?", (doc_key, annotator)).fetchone()
        if row:  # one statement for the common case: a server answers each in one round trip
            return row[0]
        ann = self._annotator_key(annotator, create)
        if ann is None or not create:
            return None
        return self.conn.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (?, ?, ?)",
                                 (doc_key, ann, now())).lastrowid

    def _touch(self, set_key: int, refresh: bool = False) -> None:
        """Every write to a set's annotations ends here, in its transaction: its time moves on, a row of the edit
        log is written (progress: time spent, schema 8), its export fragment is cleared, and rebuilt at once for a
        single edit on a file (refresh=True; bulk.py's _refresh_fragments). On a server the rebuild would cost five
        more round trips in every edit's transaction, which is what the team's commit latency is made of: the
        export rebuilds cleared fragments there, in batches."""
        stamp = now()
        self.conn.execute("UPDATE annotation_sets SET updated_at = ?, cache = NULL WHERE key = ?", (stamp, set_key))
        self.conn.execute("INSERT INTO edit_times (set_key, at) VALUES (?, ?)", (set_key, stamp))
        if refresh and isinstance(self.conn, sqlite3.Connection):
            self._refresh_fragments([set_key])

    def has_set(self, doc_key: int, annotator: str) -> bool:
        return self._set_key(doc_key, annotator, create=False) is not None

    def set_annotators(self, doc_key: int) -> list[str]:
        """Who has a set on this document (gold included), by name."""
        return [r[0] for r in self.conn.execute(
            "SELECT a.name FROM annotation_sets s JOIN annotators a ON a.key = s.annotator WHERE s.document = ? "
            "ORDER BY a.name", (doc_key,))]

    def load(self, doc_key: int, annotator: str) -> AnnotationSet:
        """The document with `annotator`'s annotations (an empty, unsaved set if there are none yet)."""
        doc = self.document(doc_key)
        set_key = self._set_key(doc_key, annotator, create=False)
        if set_key is None:
            return AnnotationSet(None, doc, annotator)
        status, comment, prov = self.conn.execute(
            "SELECT status, comment, provenance FROM annotation_sets WHERE key = ?", (set_key,)).fetchone()
        ents, quotes, stances = self._read_annotations([set_key], {set_key: doc.text})
        return AnnotationSet(set_key, doc, annotator, status, comment,
                             ents.get(set_key, []), quotes.get(set_key, []), stances.get(set_key, []),
                             json.loads(prov) if prov else {})

    def _annotation_rows(self, set_keys: Sequence[int]) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]],
                                                                 dict[int, list[tuple]]]:
        """The raw rows of many sets in three queries, grouped by set key, each list in export order:
        entities (set_key, id, start, end, label, note, cluster), quotes (set_key, id, start, end, speaker,
        speaker_text, cue_start, cue_end, kind, note), stances (set_key, id, target, target_text, label, scope).
        Rows come sorted by set_key, so groupby (in C) does the grouping: no Python work per row."""
        marks = ",".join("?" * len(set_keys))
        first = itemgetter(0)
        ents = {sk: list(g) for sk, g in groupby(self.conn.execute(
            f'SELECT set_key, id, start, "end", label, note, cluster FROM entities WHERE set_key IN ({marks}) '
            f'ORDER BY set_key, start, "end", label, id', set_keys), first)}
        quotes = {sk: list(g) for sk, g in groupby(self.conn.execute(
            f'SELECT set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind, note FROM quotes '
            f'WHERE set_key IN ({marks}) ORDER BY set_key, start, "end", id', set_keys), first)}
        stances = {sk: list(g) for sk, g in groupby(self.conn.execute(
            f"SELECT set_key, id, target, target_text, label, scope FROM stances WHERE set_key IN ({marks}) "
            f"ORDER BY set_key, key", set_keys), first)}
        return ents, quotes, stances

    def _read_annotations(self, set_keys: Sequence[int], texts: dict[int, str]):
        """Entities, quotes and stances of many sets in three queries, each list in export order."""
        ent_rows, quote_rows, stance_rows = self._annotation_rows(set_keys)
        ents = {sk: _entities(rows, texts.get(sk, "")) for sk, rows in ent_rows.items()}
        quotes = {sk: _quotes(rows, texts.get(sk, "")) for sk, rows in quote_rows.items()}
        stances = {sk: _stances(rows) for sk, rows in stance_rows.items()}
        return ents, quotes, stances
