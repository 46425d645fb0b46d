"""One annotator's edits on one document, each a committed transaction: a set's status, and adding, changing,
deleting and restoring (undo) entities, quotes and stances, with the links between them kept consistent (a deleted
entity unlinks, never drops, the quotes and stances that named it).

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

import sqlite3
from typing import Optional

from ..model import (DOCUMENT_SCOPE, ENTITY, QUOTE_KIND, STANCE, STATUSES, AnnotationError, Entity, Quote, Stance,
                     check_span)
from .schema import atomic
from .common import SEQ_COLUMNS, EntityRemoval, QuoteRemoval, StaleEditError, id_number, now


class EditsMixin:
    """Single-annotation edits and their undo; uses ProjectBase's sets and documents and LabelsMixin's labels."""

    # ---- status --------------------------------------------------------------------------------------------
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
        """The next id from the set's counter, which only grows: an id is never handed out twice in a set, even
        after its annotation is deleted (two windows on one set would otherwise take each other's ids)."""
        column, _ = SEQ_COLUMNS[table]
        n = self.conn.execute(f"SELECT {column} FROM annotation_sets WHERE key = ?", (set_key,)).fetchone()[0] + 1
        while self.conn.execute(f"SELECT 1 FROM {table} WHERE set_key = ? AND id = ?",
                                (set_key, f"{prefix}{n}")).fetchone():
            n += 1  # an imported id that looks generated: skip it
        self.conn.execute(f"UPDATE annotation_sets SET {column} = ? WHERE key = ?", (n, set_key))
        return f"{prefix}{n}"

    def _note_id(self, table: str, set_key: int, ann_id: str) -> None:
        """A caller-chosen id (undo, import) that looks generated keeps the counter above it."""
        column, prefix = SEQ_COLUMNS[table]
        n = id_number(ann_id, prefix)
        if n:
            self.conn.execute(f"UPDATE annotation_sets SET {column} = max({column}, ?) WHERE key = ?", (n, set_key))

    # ---- what undo and redo check before acting ------------------------------------------------------------
    _ROW_SQL = {"entity": 'SELECT start, "end", label FROM entities WHERE set_key = ? AND id = ?',
                "quote": 'SELECT start, "end", speaker, speaker_text, cue_start, cue_end, kind FROM quotes '
                         'WHERE set_key = ? AND id = ?',
                "stance": "SELECT target, target_text, label, scope FROM stances WHERE set_key = ? AND id = ?"}

    def annotation_row(self, kind: str, doc_key: int, annotator: str, ann_id: str) -> Optional[tuple]:
        """Every stored field of one entity, quote or stance ('entity', 'quote', 'stance'), None if there is none:
        what an undo command records after acting and compares before acting again."""
        sk = self._set_key(doc_key, annotator, create=False)
        if sk is None:
            return None
        return self.conn.execute(self._ROW_SQL[kind], (sk, ann_id)).fetchone()

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
                   entity_id: Optional[str] = None) -> Entity:
        doc = self.document(doc_key)
        check_span(doc.text, start, end, "entity")
        self._check_label(ENTITY, label)
        with atomic(self.conn):
            sk = self._set_key(doc_key, annotator, create=True)
            if entity_id:
                self._note_id("entities", sk, entity_id)
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
            cluster = self.conn.execute("SELECT cluster FROM entities WHERE set_key = ? AND id = ?",
                                        (sk, entity_id)).fetchone()[0]
            qs = tuple(r[0] for r in self.conn.execute("SELECT id FROM quotes WHERE set_key = ? AND speaker = ?",
                                                       (sk, entity_id)))
            ss = tuple(r[0] for r in self.conn.execute("SELECT id FROM stances WHERE set_key = ? AND target = ?",
                                                       (sk, entity_id)))
            self.conn.execute("UPDATE quotes SET speaker = NULL WHERE set_key = ? AND speaker = ?", (sk, entity_id))
            self.conn.execute("UPDATE stances SET target = NULL WHERE set_key = ? AND target = ?", (sk, entity_id))
            self.conn.execute("DELETE FROM entities WHERE set_key = ? AND id = ?", (sk, entity_id))
            self._touch(sk)
        return EntityRemoval(Entity(entity_id, row[0], row[1], row[2], doc.text[row[0]:row[1]], cluster), qs, ss)

    def restore_entity(self, doc_key: int, annotator: str, removal: EntityRemoval) -> None:
        """Undo of delete_entity: the entity with its id, and its links. Refused (StaleEditError) if the id is
        taken or a quote or stance it named has been relinked or deleted since: restoring would overwrite that."""
        e = removal.entity
        with atomic(self.conn):
            self.expect_row("entity", doc_key, annotator, e.id, None)
            self.add_entity(doc_key, annotator, e.start, e.end, e.label, e.id)
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
            if quote_id:
                self._note_id("quotes", sk, quote_id)
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
        """Undo of delete_quote; refused (StaleEditError) if its id or a stance id is taken since."""
        q = removal.quote
        with atomic(self.conn):
            self.expect_row("quote", doc_key, annotator, q.id, None)
            for st in removal.stances:
                self.expect_row("stance", doc_key, annotator, st.id, None)
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
            if stance_id:
                self._note_id("stances", sk, stance_id)
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
