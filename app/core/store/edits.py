"""One annotator's edits on one document, each a committed transaction: a set's status, and adding, changing,
deleting and restoring (undo) entities, quotes and stances, with the links between them kept consistent (a deleted
entity unlinks, never drops, the quotes and stances that named it).

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.

Few statements per edit: on a server each statement whose answer an edit waits for is a network round trip (those
it does not wait for travel with the COMMIT, see pg_connection.py). So the set is found with the row it is about in
one SELECT, and a new id is taken, the set found and touched by one UPDATE … RETURNING.
"""
from __future__ import annotations

import sqlite3
from typing import Optional

from ..model import (DOCUMENT_SCOPE, ENTITY, QUOTE_KIND, STANCE, STATUSES, AnnotationError, Entity, Quote, Stance,
                     check_span)
from .schema import atomic
from .common import SEQ_COLUMNS, EntityRemoval, QuoteRemoval, StaleEditError, _quotes, id_number, now


class EditsMixin:
    """Single-annotation edits and their undo; uses ProjectBase's sets and documents and LabelsMixin's labels."""

    # ---- status --------------------------------------------------------------------------------------------
    def set_status(self, doc_key: int, annotator: str, status: str, comment: Optional[str] = None) -> str:
        """Set the annotator's status on a document; returns the previous status (for undo)."""
        if status not in STATUSES:
            raise AnnotationError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        with atomic(self.conn):
            row = self.conn.execute(
                "SELECT s.key, s.status FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                "WHERE s.document = ? AND a.name = ?", (doc_key, annotator)).fetchone()
            if row is None:
                sk = self._set_key(doc_key, annotator, create=True)
                row = self.conn.execute("SELECT key, status FROM annotation_sets WHERE key = ?", (sk,)).fetchone()
            sk, old = row
            stamp = now()
            if comment is None:
                self.conn.execute("UPDATE annotation_sets SET status = ?, updated_at = ? WHERE key = ?",
                                  (status, stamp, sk))
            else:
                self.conn.execute("UPDATE annotation_sets SET status = ?, comment = ?, updated_at = ? WHERE key = ?",
                                  (status, comment, stamp, sk))
            self.conn.execute("INSERT INTO edit_times (set_key, at) VALUES (?, ?)", (sk, stamp))  # progress
        return old

    # ---- entities ------------------------------------------------------------------------------------------
    def _set_with_new_id(self, table: str, doc_key: int, annotator: str) -> tuple[int, str]:
        """The annotator's set on the document (made if need be), touched, and the next id from its counter, which
        only grows: an id is never handed out twice in a set, even after its annotation is deleted (two windows on
        one set would otherwise take each other's ids). One UPDATE raises the counter where it finds the set and
        says whether that id is taken (by an imported id that looks generated: then the next one is tried)."""
        column, prefix = SEQ_COLUMNS[table]
        sql = (f"UPDATE annotation_sets SET {column} = {column} + 1, updated_at = ? WHERE {{}} RETURNING key, "
               f"{column}, EXISTS (SELECT 1 FROM {table} t WHERE t.set_key = annotation_sets.key "
               f"AND t.id = '{prefix}' || annotation_sets.{column})")
        rows = self.conn.execute(sql.format("document = ? AND annotator = (SELECT key FROM annotators WHERE name = ?)"),
                                 (now(), doc_key, annotator)).fetchall()
        if not rows:
            rows = self.conn.execute(sql.format("key = ?"),
                                     (now(), self._set_key(doc_key, annotator, create=True))).fetchall()
        while rows[0][2]:
            rows = self.conn.execute(sql.format("key = ?"), (now(), rows[0][0])).fetchall()
        return rows[0][0], f"{prefix}{rows[0][1]}"

    def _set_and_id(self, table: str, doc_key: int, annotator: str, given: Optional[str]) -> tuple[int, str]:
        """The set a new annotation goes into and its id: the caller's (undo, import; the counter kept above it) or
        the next from the set's counter."""
        if not given:
            return self._set_with_new_id(table, doc_key, annotator)
        sk = self._set_key(doc_key, annotator, create=True)
        self._note_id(table, sk, given)
        return sk, given

    def _note_id(self, table: str, set_key: int, ann_id: str) -> None:
        """A caller-chosen id (undo, import) that looks generated keeps the counter above it."""
        column, prefix = SEQ_COLUMNS[table]
        n = id_number(ann_id, prefix)
        if n:
            self.conn.execute(f"UPDATE annotation_sets SET {column} = max({column}, ?) WHERE key = ?", (n, set_key))

    # ---- what undo and redo check before acting ------------------------------------------------------------
    _ROW_COLUMNS = {"entity": ("entities", 'x.start, x."end", x.label, x.note'),
                    "quote": ("quotes", 'x.start, x."end", x.speaker, x.speaker_text, x.cue_start, x.cue_end, x.kind, '
                              'x.note'),
                    "stance": ("stances", "x.target, x.target_text, x.label, x.scope")}

    def _set_and_row(self, kind: str, doc_key: int, annotator: str, ann_id: str) -> tuple[Optional[int],
                                                                                           Optional[tuple]]:
        """(the annotator's set key or None, every stored field of one entity, quote or stance or None), in one
        statement."""
        table, columns = self._ROW_COLUMNS[kind]
        row = self.conn.execute(
            f"SELECT s.key, x.key, {columns} FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
            f"LEFT JOIN {table} x ON x.set_key = s.key AND x.id = ? WHERE s.document = ? AND a.name = ?",
            (ann_id, doc_key, annotator)).fetchone()
        if row is None:
            return None, None
        return row[0], (tuple(row[2:]) if row[1] is not None else None)

    def annotation_row(self, kind: str, doc_key: int, annotator: str, ann_id: str) -> Optional[tuple]:
        """Every stored field of one entity, quote or stance ('entity', 'quote', 'stance'), None if there is none:
        what an undo command records after acting and compares before acting again."""
        return self._set_and_row(kind, doc_key, annotator, ann_id)[1]

    def _existing(self, kind: str, doc_key: int, annotator: str, ann_id: str) -> tuple[int, tuple]:
        """(set key, stored fields) of an annotation an edit changes; AnnotationError if there is none."""
        sk, row = self._set_and_row(kind, doc_key, annotator, ann_id)
        if sk is None:
            raise AnnotationError(f"{annotator!r} has no annotations on document {doc_key}")
        if row is None:
            raise AnnotationError(f"no {kind} {ann_id!r}")
        return sk, row

    def expect_row(self, kind: str, doc_key: int, annotator: str, ann_id: str, expected: Optional[tuple]) -> None:
        """Raise StaleEditError unless the annotation is exactly as expected (None: absent). Called inside the
        transaction of the edit that follows, so nothing can change in between."""
        if self.annotation_row(kind, doc_key, annotator, ann_id) != (tuple(expected) if expected else None):
            raise StaleEditError(f"{kind} {ann_id!r} was changed since")

    def status_of(self, doc_key: int, annotator: str) -> Optional[tuple[str, str]]:
        """(status, comment) of the annotator's set on the document, None if there is no set."""
        sk = self._set_key(doc_key, annotator, create=False)
        if sk is None:
            return None
        return self.conn.execute("SELECT status, comment FROM annotation_sets WHERE key = ?", (sk,)).fetchone()

    def _check_label(self, kind: str, label: str) -> None:
        if label not in self.label_names(kind):
            raise AnnotationError(f"unknown {kind.replace('_', ' ')} label {label!r}")

    def add_entity(self, doc_key: int, annotator: str, start: int, end: int, label: str,
                   entity_id: Optional[str] = None, note: str = "") -> Entity:
        doc = self.document(doc_key)
        check_span(doc.text, start, end, "entity")
        self._check_label(ENTITY, label)
        try:  # on a server the INSERT's answer may come only with the COMMIT
            with atomic(self.conn):
                sk, entity_id = self._set_and_id("entities", doc_key, annotator, entity_id)
                self.conn.execute('INSERT INTO entities (set_key, id, start, "end", label, note) '
                                  'VALUES (?, ?, ?, ?, ?, ?)', (sk, entity_id, start, end, label, note))
                self._touch(sk, refresh=True)
        except sqlite3.IntegrityError as exc:
            if entity_id is None:
                raise
            raise AnnotationError(f"entity id {entity_id!r} already exists") from exc
        return Entity(entity_id, start, end, label, doc.text[start:end], note)

    def update_entity(self, doc_key: int, annotator: str, entity_id: str, *, label: Optional[str] = None,
                      start: Optional[int] = None, end: Optional[int] = None) -> Entity:
        """Relabel or move an entity; returns the entity as it was before (for undo)."""
        doc = self.document(doc_key)
        with atomic(self.conn):
            sk, row = self._existing("entity", doc_key, annotator, entity_id)
            old = Entity(entity_id, row[0], row[1], row[2], doc.text[row[0]:row[1]], row[3])
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
            self._touch(sk, refresh=True)
        return old

    def delete_entity(self, doc_key: int, annotator: str, entity_id: str) -> EntityRemoval:
        """Delete an entity. Quotes/stances that pointed at it keep its text but lose the link (never dropped)."""
        doc = self.document(doc_key)
        with atomic(self.conn):
            sk, row = self._existing("entity", doc_key, annotator, entity_id)
            # Its links and its cluster in one statement (one round trip on a server): 'c' is the entity's cluster.
            linked = self.conn.execute("SELECT 'q', id, key FROM quotes WHERE set_key = ? AND speaker = ? UNION ALL "
                                       "SELECT 's', id, key FROM stances WHERE set_key = ? AND target = ? UNION ALL "
                                       "SELECT 'c', cluster, key FROM entities WHERE set_key = ? AND id = ? "
                                       "ORDER BY 1, 3", (sk, entity_id, sk, entity_id, sk, entity_id)).fetchall()
            cluster = next((r[1] for r in linked if r[0] == "c"), None)
            qs = tuple(r[1] for r in linked if r[0] == "q")
            ss = tuple(r[1] for r in linked if r[0] == "s")
            self.conn.execute("UPDATE quotes SET speaker = NULL WHERE set_key = ? AND speaker = ?", (sk, entity_id))
            self.conn.execute("UPDATE stances SET target = NULL WHERE set_key = ? AND target = ?", (sk, entity_id))
            self.conn.execute("DELETE FROM entities WHERE set_key = ? AND id = ?", (sk, entity_id))
            self._touch(sk, refresh=True)
        return EntityRemoval(Entity(entity_id, row[0], row[1], row[2], doc.text[row[0]:row[1]], row[3], cluster),
                             qs, ss)

    def restore_entity(self, doc_key: int, annotator: str, removal: EntityRemoval) -> None:
        """Undo of delete_entity: the entity with its id, and its links. Refused (StaleEditError) if the id is
        taken or a quote or stance it named has been relinked or deleted since: restoring would overwrite that."""
        e = removal.entity
        with atomic(self.conn):
            self.expect_row("entity", doc_key, annotator, e.id, None)
            self.add_entity(doc_key, annotator, e.start, e.end, e.label, e.id, e.note)
            sk = self._require_set(doc_key, annotator)
            if e.cluster is not None:  # back into the cluster it was deleted from
                self.conn.execute("UPDATE entities SET cluster = ? WHERE set_key = ? AND id = ?",
                                  (e.cluster, sk, e.id))
            for table, column, ids in (("quotes", "speaker", removal.unlinked_quotes),
                                       ("stances", "target", removal.unlinked_stances)):
                for ann_id in ids:
                    if not self.conn.execute(f"SELECT 1 FROM {table} WHERE set_key = ? AND id = ? AND {column} IS NULL",
                                             (sk, ann_id)).fetchone():
                        raise StaleEditError(f"{table[:-1]} {ann_id!r} was changed since")
            self.conn.executemany("UPDATE quotes SET speaker = ?, speaker_text = ? WHERE set_key = ? AND id = ?",
                                  [(e.id, e.text, sk, q) for q in removal.unlinked_quotes])
            self.conn.executemany("UPDATE stances SET target = ?, target_text = ? WHERE set_key = ? AND id = ?",
                                  [(e.id, e.text, sk, s) for s in removal.unlinked_stances])
            self._touch(sk, refresh=True)  # the links changed after add_entity rebuilt the fragment

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
                  quote_id: Optional[str] = None, note: str = "") -> Quote:
        doc = self.document(doc_key)
        check_span(doc.text, start, end, "quote")
        if cue is not None:
            check_span(doc.text, cue[0], cue[1], "cue")
        self._check_label(QUOTE_KIND, kind)
        try:  # on a server the INSERT's answer may come only with the COMMIT
            with atomic(self.conn):
                sk, quote_id = self._set_and_id("quotes", doc_key, annotator, quote_id)
                linked = self._resolve_entity(sk, speaker, doc.text)
                speaker_text = linked if linked is not None else speaker_text
                self.conn.execute(
                    'INSERT INTO quotes (set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind, '
                    'note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                    (sk, quote_id, start, end, speaker, speaker_text, cue[0] if cue else None,
                     cue[1] if cue else None, kind, note))
                self._touch(sk, refresh=True)
        except sqlite3.IntegrityError as exc:
            if quote_id is None:
                raise
            raise AnnotationError(f"quote id {quote_id!r} already exists") from exc
        return _quotes([(sk, quote_id, start, end, speaker, speaker_text, cue[0] if cue else None,
                         cue[1] if cue else None, kind, note)], doc.text)[0]

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
        doc = self.document(doc_key)
        with atomic(self.conn):  # the quote as it is read and changed in one transaction
            sk, row = self._set_and_row("quote", doc_key, annotator, quote_id)
            if row is None:
                raise AnnotationError(f"no quote {quote_id!r}")
            old = _quotes([(sk, quote_id, *row)], doc.text)[0]
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
            sp = old.speaker if speaker is self._UNSET else speaker
            spt = old.speaker_text if speaker_text is self._UNSET else speaker_text
            linked = self._resolve_entity(sk, sp, doc.text)
            if linked is not None:
                spt = linked
            self.conn.execute(
                'UPDATE quotes SET start = ?, "end" = ?, speaker = ?, speaker_text = ?, cue_start = ?, cue_end = ?, '
                'kind = ? WHERE set_key = ? AND id = ?',
                (s, e, sp, spt, new_cue[0] if new_cue else None, new_cue[1] if new_cue else None, k, sk, quote_id))
            self._touch(sk, refresh=True)
        return old

    def delete_quote(self, doc_key: int, annotator: str, quote_id: str) -> QuoteRemoval:
        """Delete a quote and the stances scoped to it (returned, so undo restores both)."""
        old = self.quote(doc_key, annotator, quote_id)
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            stances = tuple(st for st in self.load(doc_key, annotator).stances if st.scope == quote_id)
            self.conn.execute("DELETE FROM stances WHERE set_key = ? AND scope = ?", (sk, quote_id))
            self.conn.execute("DELETE FROM quotes WHERE set_key = ? AND id = ?", (sk, quote_id))
            self._touch(sk, refresh=True)
        return QuoteRemoval(old, stances)

    def restore_quote(self, doc_key: int, annotator: str, removal: QuoteRemoval) -> None:
        """Undo of delete_quote; refused (StaleEditError) if its id or a stance id is taken since."""
        q = removal.quote
        with atomic(self.conn):
            self.expect_row("quote", doc_key, annotator, q.id, None)
            for st in removal.stances:
                self.expect_row("stance", doc_key, annotator, st.id, None)
            self.add_quote(doc_key, annotator, q.start, q.end, speaker=q.speaker, speaker_text=q.speaker_text,
                           cue=(q.cue.start, q.cue.end) if q.cue else None, kind=q.kind, quote_id=q.id,
                           note=q.note)
            for st in removal.stances:
                self.add_stance(doc_key, annotator, st.label, target=st.target, target_text=st.target_text,
                                scope=st.scope, stance_id=st.id)

    # ---- notes ---------------------------------------------------------------------------------------------
    _NOTE_TABLES = {"entity": "entities", "quote": "quotes"}

    def set_note(self, kind: str, doc_key: int, annotator: str, ann_id: str, note: str) -> str:
        """Set ("" clears) the note on an entity or a quote ('entity', 'quote'); returns the note it had (for undo).
        One transaction that touches the set like any other edit, so it counts as one and invalidates the set's
        export fragment (the note is exported)."""
        table = self._NOTE_TABLES.get(kind)
        if table is None:
            raise AnnotationError(f"only an entity or a quote carries a note, not a {kind!r}")
        if not isinstance(note, str):
            raise AnnotationError(f"a note is text, got {note!r}")
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            row = self.conn.execute(f"SELECT note FROM {table} WHERE set_key = ? AND id = ?", (sk, ann_id)).fetchone()
            if row is None:
                raise AnnotationError(f"no {kind} {ann_id!r}")
            self.conn.execute(f"UPDATE {table} SET note = ? WHERE set_key = ? AND id = ?", (note, sk, ann_id))
            self._touch(sk, refresh=True)
        return row[0]

    # ---- stances -------------------------------------------------------------------------------------------
    def add_stance(self, doc_key: int, annotator: str, label: str, *, target: Optional[str] = None,
                   target_text: str = "", scope: str = DOCUMENT_SCOPE, stance_id: Optional[str] = None) -> Stance:
        self._check_label(STANCE, label)
        doc = self.document(doc_key)
        try:  # on a server the INSERT's answer may come only with the COMMIT
            with atomic(self.conn):
                sk, stance_id = self._set_and_id("stances", doc_key, annotator, stance_id)
                linked = self._resolve_entity(sk, target, doc.text)
                target_text = linked if linked is not None else target_text
                if scope != DOCUMENT_SCOPE and not self.conn.execute(
                        "SELECT 1 FROM quotes WHERE set_key = ? AND id = ?", (sk, scope)).fetchone():
                    raise AnnotationError(f"stance scope {scope!r} is neither 'document' nor a quote id")
                self.conn.execute("INSERT INTO stances (set_key, id, target, target_text, label, scope) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", (sk, stance_id, target, target_text, label, scope))
                self._touch(sk, refresh=True)
        except sqlite3.IntegrityError as exc:
            if stance_id is None:
                raise
            raise AnnotationError(f"stance id {stance_id!r} already exists") from exc
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
            self._touch(sk, refresh=True)
        return old

    def delete_stance(self, doc_key: int, annotator: str, stance_id: str) -> Stance:
        aset = self.load(doc_key, annotator)
        old = next((s for s in aset.stances if s.id == stance_id), None)
        if old is None:
            raise AnnotationError(f"no stance {stance_id!r}")
        with atomic(self.conn):
            self.conn.execute("DELETE FROM stances WHERE set_key = ? AND id = ?", (aset.key, stance_id))
            self._touch(aset.key, refresh=True)
        return old
