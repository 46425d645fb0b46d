"""The project store: one SQLite file opened through sqlite-utils; the only module (with schema.py) holding SQL.

Every public mutating method is one transaction, committed before it returns: an annotator's work is on disk
the moment the edit is made, and a crash loses nothing. WAL mode lets a CLI export read while the window writes.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import sqlite_utils

from . import arabic
from .labels import DEFAULT_LABELS
from .model import (COMMAND_KEYS, DOCUMENT_SCOPE, ENTITY, GOLD, QUOTE_KIND, STANCE, STATUSES, TODO, AnnotationError,
                    AnnotationSet, Cue, Document, Entity, Label, Quote, Stance, check_span, title_of)
from .jsonline import EMPTY_FRAGMENT, encode_line, fragment_from_objects, fragment_from_rows
from .schema import SchemaError, atomic, migrate


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Model objects from the rows of Project._annotation_rows (set_key first); span texts are cut from the document.
def _entities(rows: Sequence[tuple], text: str) -> list[Entity]:
    return [Entity(i, s, e, lab, text[s:e]) for _, i, s, e, lab in rows]


def _quotes(rows: Sequence[tuple], text: str) -> list[Quote]:
    return [Quote(i, s, e, text[s:e], sp, spt, Cue(cs, ce, text[cs:ce]) if cs is not None else None, kind)
            for _, i, s, e, sp, spt, cs, ce, kind in rows]


def _stances(rows: Sequence[tuple]) -> list[Stance]:
    return [Stance(i, lab, tgt, tt, scope) for _, i, tgt, tt, lab, scope in rows]


@dataclass(frozen=True)
class DocRow:
    """One row of the document list: enough to show, not the text."""

    key: int
    id: str
    title: str
    status: str
    n_labels: int


@dataclass(frozen=True)
class EntityRemoval:
    """What deleting an entity changed, so undo can put it all back."""

    entity: Entity
    unlinked_quotes: tuple[str, ...]
    unlinked_stances: tuple[str, ...]


@dataclass(frozen=True)
class QuoteRemoval:
    quote: Quote
    stances: tuple[Stance, ...]


class ProjectError(RuntimeError):
    pass


class Project:
    """A project file. Open with `Project.open(path)`, create with `Project.create(path)`."""

    def __init__(self, path: str | Path, conn: sqlite3.Connection):
        self.path = Path(path)
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._labels_cache: Optional[list[Label]] = None

    # ---- opening -------------------------------------------------------------------------------------------
    @classmethod
    def _connect(cls, path: str | Path) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        conn.create_function("tkey", 1, arabic.search_key, deterministic=True)
        return conn

    @classmethod
    def create(cls, path: str | Path, labels: Sequence[Label] = DEFAULT_LABELS) -> "Project":
        if str(path) != ":memory:" and Path(path).exists() and Path(path).stat().st_size > 0:
            raise ProjectError(f"{path}: already exists")
        try:
            conn = cls._connect(path)
        except sqlite3.Error as exc:
            raise ProjectError(f"{path}: cannot create the project file ({exc})") from exc
        migrate(conn, str(path))
        project = cls(path, conn)
        with atomic(conn):
            project.db["labels"].insert_all(
                [dict(kind=l.kind, name=l.name, display=l.display, color=l.color, key=l.key, position=l.position)
                 for l in labels])
            project.db["annotators"].insert({"name": GOLD, "role": "gold"})
        return project

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        if not Path(path).exists():
            raise ProjectError(f"{path}: no such project (create it with `tawsim init {path}`)")
        try:
            conn = cls._connect(path)
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path}: not a Tawsim project ({exc})") from exc
        if not has_version:
            conn.close()
            raise ProjectError(f"{path}: not a Tawsim project (no schema_version table)")
        try:
            migrate(conn, str(path))
        except SchemaError as exc:
            conn.close()
            raise ProjectError(str(exc)) from exc
        return cls(path, conn)

    @classmethod
    def open_or_create(cls, path: str | Path) -> "Project":
        return cls.open(path) if Path(path).exists() and Path(path).stat().st_size else cls.create(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return atomic(self.conn)

    # ---- settings ------------------------------------------------------------------------------------------
    def setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        with atomic(self.conn):
            self.conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))

    # ---- labels --------------------------------------------------------------------------------------------
    def labels(self, kind: Optional[str] = None) -> list[Label]:
        if self._labels_cache is None:
            rows = self.conn.execute(
                "SELECT name, kind, display, color, key, position FROM labels ORDER BY kind, position, name")
            self._labels_cache = [Label(*r) for r in rows]
        return [l for l in self._labels_cache if kind is None or l.kind == kind]

    def label_names(self, kind: str) -> set[str]:
        return {l.name for l in self.labels(kind)}

    def add_labels(self, labels: Iterable[Label]) -> None:
        with atomic(self.conn):
            for l in labels:
                self.conn.execute("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)",
                                  (l.kind, l.name, l.display, l.color, l.key, l.position))
        self._labels_cache = None

    # ---- label editing -------------------------------------------------------------------------------------
    # Where each kind of label is used: renaming or removing one must carry its annotations along, never drop them.
    _LABEL_USES = {ENTITY: ("entities", "label"), STANCE: ("stances", "label"), QUOTE_KIND: ("quotes", "kind")}

    def _label(self, kind: str, name: str) -> Label:
        if kind not in self._LABEL_USES:
            raise AnnotationError(f"unknown label kind {kind!r}")
        row = self.conn.execute("SELECT name, kind, display, color, key, position FROM labels "
                                "WHERE kind = ? AND name = ?", (kind, name)).fetchone()
        if not row:
            raise AnnotationError(f"no {kind.replace('_', ' ')} label {name!r}")
        return Label(*row)

    def _check_label_name(self, kind: str, name: str) -> None:
        if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
            raise AnnotationError(f"label name {name!r} must be non-empty and without spaces")
        if self.conn.execute("SELECT 1 FROM labels WHERE kind = ? AND name = ?", (kind, name)).fetchone():
            raise AnnotationError(f"{kind.replace('_', ' ')} label {name!r} already exists")

    def _check_label_key(self, kind: str, key: str, exclude: Optional[str] = None) -> None:
        if len(key) > 1 or key.isspace():
            raise AnnotationError(f"a label key is one character, got {key!r}")
        # Keys are dispatched by their character: digits label entities, letters are commands and stances.
        if key and kind == ENTITY and key not in "123456789":
            raise AnnotationError(f"an entity label key is a digit 1-9, got {key!r}")
        if key and kind != ENTITY and (key.isdigit() or key.lower() in COMMAND_KEYS):
            raise AnnotationError(f"key {key!r} is taken by a command ({', '.join(COMMAND_KEYS)}) or is a digit")
        if key:
            row = self.conn.execute("SELECT name FROM labels WHERE kind = ? AND key = ? AND name IS NOT ?",
                                    (kind, key, exclude)).fetchone()
            if row:
                raise AnnotationError(f"key {key!r} is already used by {kind.replace('_', ' ')} label {row[0]!r}")

    def label_usage(self, kind: str, name: str) -> int:
        """How many annotations (entities, stances or quotes, by kind) carry this label, over all annotators."""
        table, col = self._LABEL_USES[kind]
        return self.conn.execute(f"SELECT count(*) FROM {table} WHERE {col} = ?", (name,)).fetchone()[0]

    def add_label(self, label: Label) -> Label:
        """Add one label after the others of its kind; refuses a name or key already taken in that kind."""
        with atomic(self.conn):
            if label.kind not in self._LABEL_USES:
                raise AnnotationError(f"unknown label kind {label.kind!r}")
            self._check_label_name(label.kind, label.name)
            self._check_label_key(label.kind, label.key)
            pos = self.conn.execute("SELECT COALESCE(max(position) + 1, 0) FROM labels WHERE kind = ?",
                                    (label.kind,)).fetchone()[0]
            self.conn.execute("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)",
                              (label.kind, label.name, label.display, label.color or "#999999", label.key, pos))
        self._labels_cache = None
        return self._label(label.kind, label.name)

    def update_label(self, kind: str, name: str, *, display: Optional[str] = None, color: Optional[str] = None,
                     key: Optional[str] = None) -> Label:
        """Change a label's Arabic name, colour or key; returns the label as it was."""
        with atomic(self.conn):
            old = self._label(kind, name)
            if key is not None:
                self._check_label_key(kind, key, exclude=name)
            if color is not None and not color.strip():
                raise AnnotationError("a label colour cannot be empty")
            self.conn.execute("UPDATE labels SET display = ?, color = ?, key = ? WHERE kind = ? AND name = ?",
                              (old.display if display is None else display, old.color if color is None else color,
                               old.key if key is None else key, kind, name))
        self._labels_cache = None
        return old

    def rename_label(self, kind: str, old: str, new: str) -> None:
        """Rename a label and every annotation that carries it, in one transaction."""
        with atomic(self.conn):
            self._label(kind, old)
            if new == old:
                return
            self._check_label_name(kind, new)
            table, col = self._LABEL_USES[kind]
            self.conn.execute("UPDATE labels SET name = ? WHERE kind = ? AND name = ?", (new, kind, old))
            self._move_label_uses(table, col, old, new)
        self._labels_cache = None

    def remove_label(self, kind: str, name: str, replace_with: Optional[str] = None) -> int:
        """Remove a label. If annotations use it, `replace_with` (another label of the kind) must be given and they
        move to it first; without it the removal is refused. Returns how many annotations moved."""
        with atomic(self.conn):
            self._label(kind, name)
            n = self.label_usage(kind, name)
            if n and replace_with is None:
                raise AnnotationError(f"{kind.replace('_', ' ')} label {name!r} is used by {n} annotation(s); "
                                      f"choose a label to move them to")
            if replace_with is not None:
                if replace_with == name:
                    raise AnnotationError(f"cannot move annotations of {name!r} to itself")
                self._label(kind, replace_with)
            if self.conn.execute("SELECT count(*) FROM labels WHERE kind = ?", (kind,)).fetchone()[0] <= 1:
                raise AnnotationError(f"{name!r} is the last {kind.replace('_', ' ')} label; add another first")
            if n:
                self._move_label_uses(*self._LABEL_USES[kind], name, replace_with)
            self.conn.execute("DELETE FROM labels WHERE kind = ? AND name = ?", (kind, name))
        self._labels_cache = None
        return n

    def _move_label_uses(self, table: str, col: str, old: str, new: str) -> None:
        keys = [r[0] for r in self.conn.execute(f"SELECT DISTINCT set_key FROM {table} WHERE {col} = ?", (old,))]
        self.conn.execute(f"UPDATE {table} SET {col} = ? WHERE {col} = ?", (new, old))
        for sk in keys:
            self._touch(sk)

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
        if not name or not name.strip():
            raise AnnotationError("annotator name is empty")
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
    def count_documents(self, annotator: Optional[str] = None, status: Optional[str] = None,
                        search: Optional[str] = None) -> int:
        where, args = self._doc_filter(annotator, status, search)
        return self.conn.execute(
            f"SELECT count(*) FROM documents d {self._set_join(annotator)} {where}", args).fetchone()[0]

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
        col = "key" if isinstance(key_or_id, int) else "id"
        row = self.conn.execute(f"SELECT key, id, text, meta, hash FROM documents WHERE {col} = ?",
                                (key_or_id,)).fetchone()
        if not row:
            raise ProjectError(f"no document {key_or_id!r}")
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
        ann = self._annotator_key(annotator, create)
        if ann is None:
            return None
        row = self.conn.execute("SELECT key FROM annotation_sets WHERE document = ? AND annotator = ?",
                                (doc_key, ann)).fetchone()
        if row:
            return row[0]
        if not create:
            return None
        return self.conn.execute("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (?, ?, ?)",
                                 (doc_key, ann, now())).lastrowid

    def _touch(self, set_key: int) -> None:
        self.conn.execute("UPDATE annotation_sets SET updated_at = ? WHERE key = ?", (now(), set_key))

    def has_set(self, doc_key: int, annotator: str) -> bool:
        return self._set_key(doc_key, annotator, create=False) is not None

    def set_annotators(self, doc_key: int) -> list[str]:
        """Who has a set on this document (gold included), by name."""
        return [r[0] for r in self.conn.execute(
            "SELECT a.name FROM annotation_sets s JOIN annotators a ON a.key = s.annotator WHERE s.document = ? "
            "ORDER BY a.name", (doc_key,))]

    # Set times, for bundles: a merged set keeps the time its annotator last changed it, so "newer wins" compares
    # the annotator's clocks, and merging the same bundle again finds nothing to do.
    def set_times(self, annotator: str) -> dict[int, str]:
        """doc key -> updated_at of every set `annotator` has."""
        return dict(self.conn.execute(
            "SELECT s.document, s.updated_at FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
            "WHERE a.name = ?", (annotator,)))

    def set_updated_at(self, doc_key: int, annotator: str) -> Optional[str]:
        sk = self._set_key(doc_key, annotator, create=False)
        if sk is None:
            return None
        return self.conn.execute("SELECT updated_at FROM annotation_sets WHERE key = ?", (sk,)).fetchone()[0]

    def stamp_set(self, doc_key: int, annotator: str, updated_at: str) -> None:
        """Give an existing set an explicit updated_at (a merge keeps the bundle's time, not the merge's)."""
        with atomic(self.conn):
            self.conn.execute("UPDATE annotation_sets SET updated_at = ? WHERE key = ?",
                              (updated_at, self._require_set(doc_key, annotator)))

    def export_documents(self, annotator: Optional[str] = None, gold: bool = False,
                         status: Optional[str] = None) -> list[tuple[str, str]]:
        """(id, hash) of every document iter_set_rows(...) would yield with these filters, in document order:
        what a split export divides, without reading texts or annotations."""
        join, where, args = self._set_selection(annotator, gold, status)
        rows = self.conn.execute(f"SELECT DISTINCT d.key, d.id, d.hash FROM documents d {join} {where} "
                                 f"ORDER BY d.key", args)
        return [(i, h) for _, i, h in rows]

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
        entities (set_key, id, start, end, label), quotes (set_key, id, start, end, speaker, speaker_text,
        cue_start, cue_end, kind), stances (set_key, id, target, target_text, label, scope).
        Rows come sorted by set_key, so groupby (in C) does the grouping: no Python work per row."""
        marks = ",".join("?" * len(set_keys))
        first = itemgetter(0)
        ents = {sk: list(g) for sk, g in groupby(self.conn.execute(
            f'SELECT set_key, id, start, "end", label FROM entities WHERE set_key IN ({marks}) '
            f'ORDER BY set_key, start, "end", label, id', set_keys), first)}
        quotes = {sk: list(g) for sk, g in groupby(self.conn.execute(
            f'SELECT set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind FROM quotes '
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

    def set_status(self, doc_key: int, annotator: str, status: str, comment: Optional[str] = None) -> str:
        """Set the annotator's status on a document; returns the previous status (for undo)."""
        if status not in STATUSES:
            raise AnnotationError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=True)
            old = self.conn.execute("SELECT status FROM annotation_sets WHERE key = ?", (sk,)).fetchone()[0]
            if comment is None:
                self.conn.execute("UPDATE annotation_sets SET status = ?, updated_at = ? WHERE key = ?",
                                  (status, now(), sk))
            else:
                self.conn.execute("UPDATE annotation_sets SET status = ?, comment = ?, updated_at = ? WHERE key = ?",
                                  (status, comment, now(), sk))
        return old

    # ---- entities ------------------------------------------------------------------------------------------
    def _new_id(self, table: str, set_key: int, prefix: str) -> str:
        n = self.conn.execute(f"SELECT count(*) FROM {table} WHERE set_key = ?", (set_key,)).fetchone()[0] + 1
        while self.conn.execute(f"SELECT 1 FROM {table} WHERE set_key = ? AND id = ?",
                                (set_key, f"{prefix}{n}")).fetchone():
            n += 1
        return f"{prefix}{n}"

    def _check_label(self, kind: str, label: str) -> None:
        if label not in self.label_names(kind):
            raise AnnotationError(f"unknown {kind.replace('_', ' ')} label {label!r}")

    def add_entity(self, doc_key: int, annotator: str, start: int, end: int, label: str,
                   entity_id: Optional[str] = None) -> Entity:
        doc = self.document(doc_key)
        check_span(doc.text, start, end, "entity")
        self._check_label(ENTITY, label)
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=True)
            entity_id = entity_id or self._new_id("entities", sk, "e")
            try:
                self.conn.execute('INSERT INTO entities (set_key, id, start, "end", label) VALUES (?, ?, ?, ?, ?)',
                                  (sk, entity_id, start, end, label))
            except sqlite3.IntegrityError as exc:
                raise AnnotationError(f"entity id {entity_id!r} already exists") from exc
            self._touch(sk)
        return Entity(entity_id, start, end, label, doc.text[start:end])

    def _entity_row(self, set_key: int, entity_id: str) -> tuple[int, int, str]:
        row = self.conn.execute('SELECT start, "end", label FROM entities WHERE set_key = ? AND id = ?',
                                (set_key, entity_id)).fetchone()
        if not row:
            raise AnnotationError(f"no entity {entity_id!r}")
        return row

    def update_entity(self, doc_key: int, annotator: str, entity_id: str, *, label: Optional[str] = None,
                      start: Optional[int] = None, end: Optional[int] = None) -> Entity:
        """Relabel or move an entity; returns the entity as it was before (for undo)."""
        doc = self.document(doc_key)
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            row = self._entity_row(sk, entity_id)
            old = Entity(entity_id, row[0], row[1], row[2], doc.text[row[0]:row[1]])
            new_s, new_e, new_l = start if start is not None else old.start, end if end is not None else old.end, \
                label or old.label
            check_span(doc.text, new_s, new_e, "entity")
            self._check_label(ENTITY, new_l)
            self.conn.execute('UPDATE entities SET start = ?, "end" = ?, label = ? WHERE set_key = ? AND id = ?',
                              (new_s, new_e, new_l, sk, entity_id))
            # Quotes and stances that name this entity show its text: keep them in step.
            new_text = doc.text[new_s:new_e]
            self.conn.execute("UPDATE quotes SET speaker_text = ? WHERE set_key = ? AND speaker = ?",
                              (new_text, sk, entity_id))
            self.conn.execute("UPDATE stances SET target_text = ? WHERE set_key = ? AND target = ?",
                              (new_text, sk, entity_id))
            self._touch(sk)
        return old

    def delete_entity(self, doc_key: int, annotator: str, entity_id: str) -> EntityRemoval:
        """Delete an entity. Quotes/stances that pointed at it keep its text but lose the link (never dropped)."""
        doc = self.document(doc_key)
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            row = self._entity_row(sk, entity_id)
            qs = tuple(r[0] for r in self.conn.execute("SELECT id FROM quotes WHERE set_key = ? AND speaker = ?",
                                                       (sk, entity_id)))
            ss = tuple(r[0] for r in self.conn.execute("SELECT id FROM stances WHERE set_key = ? AND target = ?",
                                                       (sk, entity_id)))
            self.conn.execute("UPDATE quotes SET speaker = NULL WHERE set_key = ? AND speaker = ?", (sk, entity_id))
            self.conn.execute("UPDATE stances SET target = NULL WHERE set_key = ? AND target = ?", (sk, entity_id))
            self.conn.execute("DELETE FROM entities WHERE set_key = ? AND id = ?", (sk, entity_id))
            self._touch(sk)
        return EntityRemoval(Entity(entity_id, row[0], row[1], row[2], doc.text[row[0]:row[1]]), qs, ss)

    def restore_entity(self, doc_key: int, annotator: str, removal: EntityRemoval) -> None:
        """Undo of delete_entity: the entity with its id, and its links."""
        e = removal.entity
        with atomic(self.conn):
            self.add_entity(doc_key, annotator, e.start, e.end, e.label, e.id)
            sk = self._require_set(doc_key, annotator)
            self.conn.executemany("UPDATE quotes SET speaker = ?, speaker_text = ? WHERE set_key = ? AND id = ?",
                                  [(e.id, e.text, sk, q) for q in removal.unlinked_quotes])
            self.conn.executemany("UPDATE stances SET target = ?, target_text = ? WHERE set_key = ? AND id = ?",
                                  [(e.id, e.text, sk, s) for s in removal.unlinked_stances])

    def _require_set(self, doc_key: int, annotator: str) -> int:
        sk = self._set_key(doc_key, annotator, create=False)
        if sk is None:
            raise AnnotationError(f"{annotator!r} has no annotations on document {doc_key}")
        return sk

    # ---- quotes --------------------------------------------------------------------------------------------
    def _resolve_entity(self, sk: int, entity_id: Optional[str], text: str) -> Optional[str]:
        if entity_id is None:
            return None
        row = self.conn.execute('SELECT start, "end" FROM entities WHERE set_key = ? AND id = ?',
                                (sk, entity_id)).fetchone()
        if not row:
            raise AnnotationError(f"no entity {entity_id!r} to link to")
        return text[row[0]:row[1]]

    def add_quote(self, doc_key: int, annotator: str, start: int, end: int, *, speaker: Optional[str] = None,
                  speaker_text: str = "", cue: Optional[tuple[int, int]] = None, kind: str = "direct",
                  quote_id: Optional[str] = None) -> Quote:
        doc = self.document(doc_key)
        check_span(doc.text, start, end, "quote")
        if cue is not None:
            check_span(doc.text, cue[0], cue[1], "cue")
        self._check_label(QUOTE_KIND, kind)
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=True)
            linked = self._resolve_entity(sk, speaker, doc.text)
            speaker_text = linked if linked is not None else speaker_text
            quote_id = quote_id or self._new_id("quotes", sk, "q")
            try:
                self.conn.execute(
                    'INSERT INTO quotes (set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind) '
                    'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                    (sk, quote_id, start, end, speaker, speaker_text, cue[0] if cue else None,
                     cue[1] if cue else None, kind))
            except sqlite3.IntegrityError as exc:
                raise AnnotationError(f"quote id {quote_id!r} already exists") from exc
            self._touch(sk)
        return self.quote(doc_key, annotator, quote_id)

    def quote(self, doc_key: int, annotator: str, quote_id: str) -> Quote:
        aset = self.load(doc_key, annotator)
        q = next((q for q in aset.quotes if q.id == quote_id), None)
        if q is None:
            raise AnnotationError(f"no quote {quote_id!r}")
        return q

    _UNSET = object()

    def update_quote(self, doc_key: int, annotator: str, quote_id: str, *, start=_UNSET, end=_UNSET,
                     speaker=_UNSET, speaker_text=_UNSET, cue=_UNSET, kind=_UNSET) -> Quote:
        """Change some fields of a quote; returns the quote as it was (for undo). cue=None clears the cue."""
        old = self.quote(doc_key, annotator, quote_id)
        doc = self.document(doc_key)
        s = old.start if start is self._UNSET else start
        e = old.end if end is self._UNSET else end
        check_span(doc.text, s, e, "quote")
        new_cue = (old.cue.start, old.cue.end) if old.cue else None
        if cue is not self._UNSET:
            new_cue = cue
            if cue is not None:
                check_span(doc.text, cue[0], cue[1], "cue")
        k = old.kind if kind is self._UNSET else kind
        self._check_label(QUOTE_KIND, k)
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            sp = old.speaker if speaker is self._UNSET else speaker
            spt = old.speaker_text if speaker_text is self._UNSET else speaker_text
            linked = self._resolve_entity(sk, sp, doc.text)
            if linked is not None:
                spt = linked
            self.conn.execute(
                'UPDATE quotes SET start = ?, "end" = ?, speaker = ?, speaker_text = ?, cue_start = ?, cue_end = ?, '
                'kind = ? WHERE set_key = ? AND id = ?',
                (s, e, sp, spt, new_cue[0] if new_cue else None, new_cue[1] if new_cue else None, k, sk, quote_id))
            self._touch(sk)
        return old

    def delete_quote(self, doc_key: int, annotator: str, quote_id: str) -> QuoteRemoval:
        """Delete a quote and the stances scoped to it (returned, so undo restores both)."""
        old = self.quote(doc_key, annotator, quote_id)
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            stances = tuple(st for st in self.load(doc_key, annotator).stances if st.scope == quote_id)
            self.conn.execute("DELETE FROM stances WHERE set_key = ? AND scope = ?", (sk, quote_id))
            self.conn.execute("DELETE FROM quotes WHERE set_key = ? AND id = ?", (sk, quote_id))
            self._touch(sk)
        return QuoteRemoval(old, stances)

    def restore_quote(self, doc_key: int, annotator: str, removal: QuoteRemoval) -> None:
        q = removal.quote
        with atomic(self.conn):
            self.add_quote(doc_key, annotator, q.start, q.end, speaker=q.speaker, speaker_text=q.speaker_text,
                           cue=(q.cue.start, q.cue.end) if q.cue else None, kind=q.kind, quote_id=q.id)
            for st in removal.stances:
                self.add_stance(doc_key, annotator, st.label, target=st.target, target_text=st.target_text,
                                scope=st.scope, stance_id=st.id)

    # ---- stances -------------------------------------------------------------------------------------------
    def add_stance(self, doc_key: int, annotator: str, label: str, *, target: Optional[str] = None,
                   target_text: str = "", scope: str = DOCUMENT_SCOPE, stance_id: Optional[str] = None) -> Stance:
        self._check_label(STANCE, label)
        doc = self.document(doc_key)
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=True)
            linked = self._resolve_entity(sk, target, doc.text)
            target_text = linked if linked is not None else target_text
            if scope != DOCUMENT_SCOPE and not self.conn.execute(
                    "SELECT 1 FROM quotes WHERE set_key = ? AND id = ?", (sk, scope)).fetchone():
                raise AnnotationError(f"stance scope {scope!r} is neither 'document' nor a quote id")
            stance_id = stance_id or self._new_id("stances", sk, "s")
            try:
                self.conn.execute("INSERT INTO stances (set_key, id, target, target_text, label, scope) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", (sk, stance_id, target, target_text, label, scope))
            except sqlite3.IntegrityError as exc:
                raise AnnotationError(f"stance id {stance_id!r} already exists") from exc
            self._touch(sk)
        return Stance(stance_id, label, target, target_text, scope)

    def update_stance(self, doc_key: int, annotator: str, stance_id: str, *, label=_UNSET, target=_UNSET,
                      target_text=_UNSET) -> Stance:
        """Change a stance's label or target; returns it as it was (for undo)."""
        aset = self.load(doc_key, annotator)
        old = next((s for s in aset.stances if s.id == stance_id), None)
        if old is None:
            raise AnnotationError(f"no stance {stance_id!r}")
        lab = old.label if label is self._UNSET else label
        self._check_label(STANCE, lab)
        with atomic(self.conn):
            sk = aset.key
            tgt = old.target if target is self._UNSET else target
            tt = old.target_text if target_text is self._UNSET else target_text
            linked = self._resolve_entity(sk, tgt, aset.document.text)
            if linked is not None:
                tt = linked
            self.conn.execute("UPDATE stances SET label = ?, target = ?, target_text = ? WHERE set_key = ? AND id = ?",
                              (lab, tgt, tt, sk, stance_id))
            self._touch(sk)
        return old

    def delete_stance(self, doc_key: int, annotator: str, stance_id: str) -> Stance:
        aset = self.load(doc_key, annotator)
        old = next((s for s in aset.stances if s.id == stance_id), None)
        if old is None:
            raise AnnotationError(f"no stance {stance_id!r}")
        with atomic(self.conn):
            self.conn.execute("DELETE FROM stances WHERE set_key = ? AND id = ?", (aset.key, stance_id))
            self._touch(aset.key)
        return old

    # ---- bulk paths for import and export -------------------------------------------------------------------
    def replace_set(self, doc_key: int, annotator: str, status: str, entities: Sequence[Entity],
                    quotes: Sequence[Quote], stances: Sequence[Stance], comment: str = "",
                    provenance: Optional[dict] = None, new: bool = False) -> int:
        """Write a whole annotation set (import, merge, adjudication). Joins the caller's transaction if one is
        open; the caller has validated the annotations. provenance=None keeps the set's current provenance.
        new=True promises the document has no set by this annotator (the importer has just inserted it): the set
        is inserted straight away, without the look-up and the deletes (a fifth of a 100k-document import)."""
        with atomic(self.conn):
            return self._replace_set(doc_key, annotator, status, entities, quotes, stances, comment, provenance, new)

    def _replace_set(self, doc_key, annotator, status, entities, quotes, stances, comment, provenance,
                     new=False) -> int:
        if new:
            sk = self.conn.execute(
                "INSERT INTO annotation_sets (document, annotator, status, comment, updated_at) VALUES (?, ?, ?, ?, ?)",
                (doc_key, self._annotator_key(annotator, create=True), status, comment, now())).lastrowid
        else:
            sk = self._set_key(doc_key, annotator, create=True)
        if provenance is not None:
            self.conn.execute("UPDATE annotation_sets SET provenance = ? WHERE key = ?",
                              (json.dumps(provenance, ensure_ascii=False, sort_keys=True), sk))
        if not new:
            for table in ("stances", "quotes", "entities"):
                self.conn.execute(f"DELETE FROM {table} WHERE set_key = ?", (sk,))
            self.conn.execute("UPDATE annotation_sets SET status = ?, comment = ?, updated_at = ? WHERE key = ?",
                              (status, comment, now(), sk))
        self.conn.executemany('INSERT INTO entities (set_key, id, start, "end", label) VALUES (?, ?, ?, ?, ?)',
                              [(sk, e.id, e.start, e.end, e.label) for e in entities])
        self.conn.executemany(
            'INSERT INTO quotes (set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind) '
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(sk, q.id, q.start, q.end, q.speaker, q.speaker_text, q.cue.start if q.cue else None,
              q.cue.end if q.cue else None, q.kind) for q in quotes])
        self.conn.executemany("INSERT INTO stances (set_key, id, target, target_text, label, scope) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              [(sk, s.id, s.target, s.target_text, s.label, s.scope) for s in stances])
        # The export fragment, in the order the store reads rows back (the triggers cleared any older one).
        fragment = fragment_from_objects(sorted(entities, key=lambda e: (e.start, e.end, e.label, e.id)),
                                         sorted(quotes, key=lambda q: (q.start, q.end, q.id)), stances)
        self.conn.execute("UPDATE annotation_sets SET cache = ? WHERE key = ?", (fragment, sk))
        return sk

    def set_provenances(self) -> dict[int, str]:
        """set key -> provenance JSON of the sets that have one (gold sets)."""
        return dict(self.conn.execute("SELECT key, provenance FROM annotation_sets WHERE provenance != '{}'"))

    def delete_set(self, doc_key: int, annotator: str) -> bool:
        """Remove an annotator's whole set on a document (undo of a first adjudication); True if there was one."""
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=False)
            if sk is None:
                return False
            self.conn.execute("DELETE FROM annotation_sets WHERE key = ?", (sk,))
        return True

    def documents_with_sets(self, min_annotators: int = 2) -> list[tuple[int, str, int]]:
        """(doc key, doc id, number of non-gold annotators) of documents annotated by at least that many."""
        return list(self.conn.execute(
            "SELECT d.key, d.id, count(*) FROM documents d JOIN annotation_sets s ON s.document = d.key "
            "JOIN annotators a ON a.key = s.annotator WHERE a.role != 'gold' GROUP BY d.key "
            "HAVING count(*) >= ? ORDER BY d.key", (min_annotators,)))

    def iter_sets(self, annotator: Optional[str] = None, gold: bool = False, status: Optional[str] = None,
                  batch: int = 500) -> Iterator[AnnotationSet]:
        """Every (document, set) in document order, for export. With no filter, a document without any set comes
        once as an empty set with annotator None. Streams in batches: memory stays flat on 100k documents."""
        provenance = self.set_provenances()
        for dk, did, text, meta, h, sk, ann, st, comment, ents, quotes, stances in self.iter_set_rows(
                annotator, gold, status, batch):
            yield AnnotationSet(sk, Document(dk, did, text, json.loads(meta), h), ann, st, comment,
                                _entities(ents, text), _quotes(quotes, text), _stances(stances),
                                json.loads(provenance[sk]) if sk in provenance else {})

    @staticmethod
    def _set_selection(annotator: Optional[str], gold: bool, status: Optional[str]) -> tuple[str, str, list]:
        """The JOIN, WHERE and arguments that pick the sets an export (or iter_sets) covers: one annotator's, gold,
        or every set with documents nobody annotated once (LEFT JOIN), optionally of one status."""
        clauses, args = [], []
        if gold:
            annotator = GOLD
        if annotator is not None:
            join = "JOIN annotation_sets s ON s.document = d.key JOIN annotators a ON a.key = s.annotator"
            clauses.append("a.name = ?")
            args.append(annotator)
        else:
            join = "LEFT JOIN annotation_sets s ON s.document = d.key LEFT JOIN annotators a ON a.key = s.annotator"
        if status:
            clauses.append("COALESCE(s.status, 'todo') = ?")
            args.append(status)
        return join, ("WHERE " + " AND ".join(clauses)) if clauses else "", args

    def iter_set_rows(self, annotator: Optional[str] = None, gold: bool = False, status: Optional[str] = None,
                      batch: int = 500) -> Iterator[tuple]:
        """What iter_sets yields, as raw rows and without model objects (the export's fast path: 2M entities on
        100k documents). Each item: (doc key, doc id, text, meta JSON string, hash, set key or None, annotator or
        None, status, comment, entity rows, quote rows, stance rows), the row lists as in _annotation_rows."""
        join, where, args = self._set_selection(annotator, gold, status)
        cur = self.conn.cursor()  # its own cursor: the batch queries below must not disturb this one
        cur.execute(f"SELECT d.key, d.id, d.text, d.meta, d.hash, s.key, a.name, COALESCE(s.status, 'todo'), "
                    f"COALESCE(s.comment, '') FROM documents d {join} {where} ORDER BY d.key, a.name", args)
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            set_keys = [r[5] for r in rows if r[5] is not None]
            ents, quotes, stances = self._annotation_rows(set_keys) if set_keys else ({}, {}, {})
            for row in rows:
                sk = row[5]
                yield row + (ents.get(sk, ()), quotes.get(sk, ()), stances.get(sk, ()))

    def iter_export_lines(self, annotator: Optional[str] = None, gold: bool = False, status: Optional[str] = None,
                          batch: int = 1000) -> Iterator[tuple[str, bytes]]:
        """(doc id, export line bytes) in export order, from each set's cached fragment; sets edited since their
        fragment was written get theirs rebuilt from rows on the fly. Byte-identical to dumping iter_records."""
        join, where, args = self._set_selection(annotator, gold, status)
        provenance = self.set_provenances()
        cur = self.conn.cursor()
        cur.execute(f"SELECT d.id, d.text, d.meta, s.key, a.name, COALESCE(s.status, 'todo'), s.cache "
                    f"FROM documents d {join} {where} ORDER BY d.key, a.name", args)
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            stale = [r[3] for r in rows if r[3] is not None and r[6] is None]
            ents, quotes, stances = self._annotation_rows(stale) if stale else ({}, {}, {})
            for did, text, meta, sk, ann, st, cache in rows:
                if sk is None:
                    fragment = EMPTY_FRAGMENT
                elif cache is None:
                    fragment = fragment_from_rows(text, ents.get(sk, ()), quotes.get(sk, ()), stances.get(sk, ()))
                else:
                    fragment = cache
                yield did, encode_line(did, text, meta, ann, st, fragment, provenance.get(sk))

    # ---- bulk entity edits (tag all occurrences) -----------------------------------------------------------
    def add_entities_bulk(self, annotator: str, spans: Sequence[tuple[int, int, int, str]],
                          lengths: Optional[dict[int, int]] = None) -> list[tuple[int, str]]:
        """Add many (doc key, start, end, label) entities in one transaction; returns (doc key, id) of each.
        A fixed number of statements whatever the count (tag-all can add half a million spans). `lengths`
        (doc key -> text length), when the caller has just read the texts, spares reading them again."""
        labels = self.label_names(ENTITY)
        by_doc: dict[int, list[tuple[int, int, str]]] = {}
        for dk, st, en, lab in spans:
            if lab not in labels:
                raise AnnotationError(f"unknown entity label {lab!r}")
            by_doc.setdefault(dk, []).append((st, en, lab))
        out: list[tuple[int, str]] = []
        with atomic(self.conn):
            ann = self._annotator_key(annotator)
            keys = list(by_doc)
            known = lengths or {}
            lengths, sets, used = {k: known[k] for k in keys if k in known}, {}, {}
            for i in range(0, len(keys), 900):
                chunk = keys[i:i + 900]
                marks = ",".join("?" * len(chunk))
                todo = [k for k in chunk if k not in lengths]
                if todo:
                    lengths.update(self.conn.execute(
                        f"SELECT key, length(text) FROM documents WHERE key IN ({','.join('?' * len(todo))})", todo))
                sets.update(self.conn.execute(
                    f"SELECT document, key FROM annotation_sets WHERE annotator = ? AND document IN ({marks})",
                    (ann, *chunk)))
            stamp = now()
            missing = [dk for dk in keys if dk not in sets]
            new_sets = set(missing)
            self.conn.executemany("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (?, ?, ?)",
                                  [(dk, ann, stamp) for dk in missing])
            for i in range(0, len(missing), 900):
                chunk = missing[i:i + 900]
                sets.update(self.conn.execute(
                    f"SELECT document, key FROM annotation_sets WHERE annotator = ? AND document IN "
                    f"({','.join('?' * len(chunk))})", (ann, *chunk)))
            set_keys = [sets[dk] for dk in keys if dk not in new_sets]
            for i in range(0, len(set_keys), 900):
                chunk = set_keys[i:i + 900]
                for sk, eid in self.conn.execute(
                        f"SELECT set_key, id FROM entities WHERE set_key IN ({','.join('?' * len(chunk))})", chunk):
                    used.setdefault(sk, set()).add(eid)
            rows = []
            for dk, items in by_doc.items():
                length = lengths.get(dk)
                if length is None:
                    raise AnnotationError(f"no document {dk}")
                if any(not 0 <= st < en <= length for st, en, _ in items):
                    raise AnnotationError(f"an entity is outside document {dk}")
                sk = sets[dk]
                taken = used.get(sk, ())
                ids = [f"e{len(taken) + i}" for i in range(1, len(items) + 1)]
                if taken and not taken.isdisjoint(ids):  # imported ids can be anything: pick free ones
                    free, n, ids = set(taken), len(taken), []
                    for _ in items:
                        n += 1
                        while f"e{n}" in free:
                            n += 1
                        free.add(f"e{n}")
                        ids.append(f"e{n}")
                rows += [(sk, i, st, en, lab) for i, (st, en, lab) in zip(ids, items)]
                out += [(dk, i) for i in ids]
            self.conn.executemany('INSERT INTO entities (set_key, id, start, "end", label) VALUES (?, ?, ?, ?, ?)',
                                  rows)
            self.conn.executemany("UPDATE annotation_sets SET updated_at = ? WHERE key = ?",
                                  [(stamp, sets[dk]) for dk in keys])
        return out

    def delete_entities_bulk(self, annotator: str, ids: Sequence[tuple[int, str]]) -> None:
        """Undo of add_entities_bulk: remove those (doc key, entity id) pairs."""
        with atomic(self.conn):
            for dk, eid in ids:
                sk = self._set_key(dk, annotator, create=False)
                if sk is not None:
                    self.conn.execute("UPDATE quotes SET speaker = NULL WHERE set_key = ? AND speaker = ?", (sk, eid))
                    self.conn.execute("UPDATE stances SET target = NULL WHERE set_key = ? AND target = ?", (sk, eid))
                    self.conn.execute("DELETE FROM entities WHERE set_key = ? AND id = ?", (sk, eid))

    def iter_texts(self) -> Iterator[tuple[int, str]]:
        """(key, text) of every document, streamed in key order."""
        return self.conn.cursor().execute("SELECT key, text FROM documents ORDER BY key")

    def entity_spans(self, annotator: str, doc_keys: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
        out: dict[int, list[tuple[int, int]]] = {}
        for i in range(0, len(doc_keys), 500):
            chunk = doc_keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for dk, st, en in self.conn.execute(
                    f'SELECT s.document, e.start, e."end" FROM entities e JOIN annotation_sets s ON s.key = e.set_key '
                    f"JOIN annotators a ON a.key = s.annotator WHERE a.name = ? AND s.document IN ({marks})",
                    (annotator, *chunk)):
                out.setdefault(dk, []).append((st, en))
        return out

    # ---- gazetteer -------------------------------------------------------------------------------------------
    def add_gazetteer_entries(self, rows: Iterable[tuple[str, str]], source: str = "file") -> int:
        with atomic(self.conn):
            before = self.conn.total_changes
            self.conn.executemany("INSERT OR IGNORE INTO gazetteer (text, label, source) VALUES (?, ?, ?)",
                                  [(t, l, source) for t, l in rows])
            return self.conn.total_changes - before

    def gazetteer_entries(self) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT text, label FROM gazetteer"))

    def annotated_names(self) -> list[tuple[str, str]]:
        """Distinct (span text, label) of every saved entity (SQLite substr counts code points, as we do)."""
        return list(self.conn.execute(
            'SELECT DISTINCT substr(d.text, e.start + 1, e."end" - e.start), e.label FROM entities e '
            "JOIN annotation_sets s ON s.key = e.set_key JOIN documents d ON d.key = s.document"))

    # ---- statistics ----------------------------------------------------------------------------------------
    def stats(self) -> dict:
        q = lambda sql: self.conn.execute(sql).fetchall()  # noqa: E731
        return {
            "documents": q("SELECT count(*) FROM documents")[0][0],
            "characters": q("SELECT COALESCE(sum(length(text)), 0) FROM documents")[0][0],
            "annotators": [r[0] for r in q("SELECT name FROM annotators WHERE key IN "
                                           "(SELECT annotator FROM annotation_sets) ORDER BY name")],
            "annotation_sets": q("SELECT count(*) FROM annotation_sets")[0][0],
            "entities_per_label": dict(q("SELECT label, count(*) FROM entities GROUP BY label ORDER BY label")),
            "quotes": q("SELECT count(*) FROM quotes")[0][0],
            "quotes_per_kind": dict(q("SELECT kind, count(*) FROM quotes GROUP BY kind ORDER BY kind")),
            "stances_per_label": dict(q("SELECT label, count(*) FROM stances GROUP BY label ORDER BY label")),
            "status": dict(q("SELECT status, count(*) FROM annotation_sets GROUP BY status ORDER BY status")),
            "documents_without_annotations": q(
                "SELECT count(*) FROM documents WHERE key NOT IN (SELECT document FROM annotation_sets)")[0][0],
        }

    # ---- agreement reads -----------------------------------------------------------------------------------
    def iter_agreement_rows(self, statuses: Optional[Sequence[str]] = None, min_annotators: int = 2,
                            batch: int = 400) -> Iterator[tuple[int, str, list[tuple]]]:
        """What agreement compares, in document order, without texts or model objects: for every document with at
        least `min_annotators` non-gold sets (optionally only sets whose status is in `statuses`),
        (doc key, doc id, [(annotator, frozenset of entity rows (start, end, label), quote rows (id, start, end,
        speaker_text), stance rows (label, target_text, scope)) in annotator name order]). Entities come as a set
        because agreement compares sets; three indexed queries per `batch` sets, no Python work per row beyond C."""
        clauses, args = ["a.role != 'gold'", "a.name != ?"], [GOLD]
        if statuses:
            clauses.append(f"s.status IN ({','.join('?' * len(statuses))})")
            args += list(statuses)
        sets = self.conn.execute(
            f"SELECT s.document, d.id, s.key, a.name FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
            f"JOIN documents d ON d.key = s.document WHERE {' AND '.join(clauses)} ORDER BY s.document, a.name",
            args).fetchall()
        docs = [(dk, rows[0][1], [(r[2], r[3]) for r in rows])
                for dk, g in groupby(sets, itemgetter(0)) for rows in [list(g)] if len(rows) >= min_annotators]
        first = itemgetter(0)
        rest = itemgetter(slice(1, None))
        i = 0
        while i < len(docs):
            chunk, n = [], 0
            while i < len(docs) and (not chunk or n + len(docs[i][2]) <= batch):
                chunk.append(docs[i])
                n += len(docs[i][2])
                i += 1
            keys = [sk for _, _, ss in chunk for sk, _ in ss]
            marks = ",".join("?" * len(keys))
            grouped = []
            for make, sql in (
                    (frozenset, f'SELECT set_key, start, "end", label FROM entities WHERE set_key IN ({marks}) '
                                f'ORDER BY set_key'),
                    (list, f'SELECT set_key, id, start, "end", speaker_text FROM quotes WHERE set_key IN ({marks}) '
                           f'ORDER BY set_key, start, "end", id'),
                    (list, f"SELECT set_key, label, target_text, scope FROM stances WHERE set_key IN ({marks}) "
                           f"ORDER BY set_key, key")):
                grouped.append({sk: make(map(rest, g)) for sk, g in groupby(self.conn.execute(sql, keys), first)})
            ents, quotes, stances = grouped
            for dk, did, ss in chunk:
                yield dk, did, [(name, ents.get(sk, frozenset()), quotes.get(sk, ()), stances.get(sk, ()))
                                for sk, name in ss]
