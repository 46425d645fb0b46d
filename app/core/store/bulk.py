"""The bulk paths: whole sets written at once (import, merge, adjudication) and streamed out in document order for
export (model objects, raw rows, or finished export lines from each set's cached fragment), set provenance, and the
many-documents entity edits of "tag all occurrences". Each is a fixed number of statements per batch, whatever the
corpus size (100k documents, millions of entities).

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Iterator, Optional, Sequence

from .jsonline import EMPTY_FRAGMENT, encode_line, fragment_from_objects, fragment_from_rows
from ..model import ENTITY, GOLD, AnnotationError, AnnotationSet, Document, Entity, Quote, Stance
from .schema import atomic
from .common import (StaleEditError, _entities, _quotes, _stances, highest_id_number, highest_number, id_number,
                     now)


class BulkMixin:
    """Whole-set writes, export streams and bulk entity edits; uses ProjectBase's sets and annotation rows."""

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
        # The export fragment, in the order the store reads rows back; the id counters stay above every id written
        # here (a merged or adjudicated set brings its own ids).
        fragment = fragment_from_objects(sorted(entities, key=lambda e: (e.start, e.end, e.label, e.id)),
                                         sorted(quotes, key=lambda q: (q.start, q.end, q.id)), stances)
        seqs = (highest_number(entities, "e"), highest_number(quotes, "q"), highest_number(stances, "s"))
        if new:  # one statement writes the set with its fragment and counters: an import writes 100k of them
            sk = self.conn.execute(
                "INSERT INTO annotation_sets (document, annotator, status, comment, updated_at, cache, entity_seq, "
                "quote_seq, stance_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_key, self._annotator_key(annotator, create=True), status, comment, now(), fragment,
                 *seqs)).lastrowid
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
        self.conn.executemany('INSERT INTO entities (set_key, id, start, "end", label, note, cluster) '
                              'VALUES (?, ?, ?, ?, ?, ?, ?)',
                              [(sk, e.id, e.start, e.end, e.label, e.note, e.cluster) for e in entities])
        self.conn.executemany(
            'INSERT INTO quotes (set_key, id, start, "end", speaker, speaker_text, cue_start, cue_end, kind, note) '
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(sk, q.id, q.start, q.end, q.speaker, q.speaker_text, q.cue.start if q.cue else None,
              q.cue.end if q.cue else None, q.kind, q.note) for q in quotes])
        self.conn.executemany("INSERT INTO stances (set_key, id, target, target_text, label, scope) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              [(sk, s.id, s.target, s.target_text, s.label, s.scope) for s in stances])
        if not new:  # after the rows: the cache is never newer than what it caches
            self.conn.execute("UPDATE annotation_sets SET cache = ?, entity_seq = max(entity_seq, ?), "
                              "quote_seq = max(quote_seq, ?), stance_seq = max(stance_seq, ?) WHERE key = ?",
                              (fragment, *seqs, sk))
        return sk

    def insert_set_rows(self, doc_key: int, annotator: str, status: str, text: str, ents: Sequence[tuple],
                        quotes: Sequence[tuple], stances: Sequence[tuple], provenance: Optional[dict] = None,
                        annotator_keys: Optional[dict[str, int]] = None) -> int:
        """replace_set(new=True) for rows the importer has checked on the parsed record (io/annotation_rows.py):
        tuples in the store's column order with None for the set key, no model objects. The same rows, fragment
        and counters as replace_set; the caller holds the transaction and promises the set is new.
        annotator_keys: the caller's memo of annotator keys for this transaction (one look-up per name, not per
        record; nothing deletes an annotator inside an import)."""
        size = sum(r[3] - r[2] for r in ents) + sum(r[3] - r[2] for r in quotes)
        fragment = fragment_from_rows(text, sorted(ents, key=lambda r: (r[2], r[3], r[4], r[1])),
                                      sorted(quotes, key=lambda r: (r[2], r[3], r[1])), stances, size)
        ann_key = None if annotator_keys is None else annotator_keys.get(annotator)
        if ann_key is None:
            ann_key = self._annotator_key(annotator, create=True)
            if annotator_keys is not None:
                annotator_keys[annotator] = ann_key
        sk = self.conn.execute(
            "INSERT INTO annotation_sets (document, annotator, status, comment, updated_at, cache, entity_seq, "
            "quote_seq, stance_seq, provenance) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?)",
            (doc_key, ann_key, status, now(), fragment,
             highest_id_number([r[1] for r in ents], "e"), highest_id_number([r[1] for r in quotes], "q"),
             highest_id_number([r[1] for r in stances], "s"),
             "{}" if provenance is None else json.dumps(provenance, ensure_ascii=False, sort_keys=True))).lastrowid
        if ents:
            self.conn.executemany('INSERT INTO entities (set_key, id, start, "end", label, note, cluster) '
                                  'VALUES (?, ?, ?, ?, ?, ?, ?)', [(sk, *r[1:]) for r in ents])
        if quotes:
            self.conn.executemany('INSERT INTO quotes (set_key, id, start, "end", speaker, speaker_text, cue_start, '
                                  'cue_end, kind, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                                  [(sk, *r[1:]) for r in quotes])
        if stances:
            self.conn.executemany("INSERT INTO stances (set_key, id, target, target_text, label, scope) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", [(sk, *r[1:]) for r in stances])
        return sk

    # ---- the export cache ----------------------------------------------------------------------------------
    # Each set's annotations as export-ready bytes (jsonline.py), kept by the store in the transaction that changes
    # them: _replace_set stores it, ProjectBase._touch clears it and, for a single edit, rebuilds it here; bulk
    # edits only clear it, and the next export rebuilds the cleared ones in batches and stores them.
    def _refresh_fragments(self, set_keys: Sequence[int], lock: bool = False) -> None:
        """Rebuild and store the fragments of these sets from their rows, in the caller's transaction. lock=True
        first writes each set's row, so on a server no other transaction can change the set between the reads
        and the write (a single edit has just written the row in _touch already)."""
        for i in range(0, len(set_keys), 500):
            chunk = list(set_keys[i:i + 500])
            marks = ",".join("?" * len(chunk))
            if lock:
                self.conn.execute(f"UPDATE annotation_sets SET cache = NULL WHERE key IN ({marks})", chunk)
            texts = dict(self.conn.execute(f"SELECT s.key, d.text FROM annotation_sets s JOIN documents d "
                                           f"ON d.key = s.document WHERE s.key IN ({marks})", chunk))
            ents, quotes, stances = self._annotation_rows(chunk)
            self.conn.executemany("UPDATE annotation_sets SET cache = ? WHERE key = ?",
                                  [(fragment_from_rows(text, ents.get(sk, ()), quotes.get(sk, ()),
                                                       stances.get(sk, ())), sk) for sk, text in texts.items()])

    def refresh_export_cache(self, batch: int = 500) -> int:
        """Rebuild and store every cleared fragment (sets changed by a bulk edit since the last export), one short
        transaction per batch, so a window editing meanwhile waits for one batch at most. Best effort: a project
        that cannot be written now (read-only, or locked past the busy timeout) exports from the rows instead,
        with the same bytes. Returns how many fragments were stored."""
        done, after = 0, 0
        try:
            while True:
                with atomic(self.conn):
                    keys = [r[0] for r in self.conn.execute(
                        "SELECT key FROM annotation_sets WHERE cache IS NULL AND key > ? ORDER BY key LIMIT ?",
                        (after, batch))]
                    if keys:
                        self._refresh_fragments(keys, lock=True)
                done += len(keys)
                if len(keys) < batch:
                    return done
                after = keys[-1]
        except sqlite3.Error:
            return done

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
        """(doc id, export line bytes) in export order, from each set's cached fragment: cleared fragments are
        rebuilt and stored first (refresh_export_cache), and any still missing (a read-only project) rebuilt from
        rows on the fly. Byte-identical to dumping iter_records."""
        if not self.conn.in_transaction:  # inside a caller's snapshot, export what it sees and write nothing
            self.refresh_export_cache()
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

    def export_documents(self, annotator: Optional[str] = None, gold: bool = False,
                         status: Optional[str] = None) -> list[tuple[str, str]]:
        """(id, hash) of every document iter_set_rows(...) would yield with these filters, in document order:
        what a split export divides, without reading texts or annotations."""
        join, where, args = self._set_selection(annotator, gold, status)
        rows = self.conn.execute(f"SELECT DISTINCT d.key, d.id, d.hash FROM documents d {join} {where} "
                                 f"ORDER BY d.key", args)
        return [(i, h) for _, i, h in rows]

    # ---- bulk entity edits (tag all occurrences) -----------------------------------------------------------
    def add_entities_bulk(self, annotator: str, spans: Sequence[tuple[int, int, int, str]],
                          lengths: Optional[dict[int, int]] = None,
                          ids: Optional[Sequence[str]] = None) -> list[tuple[int, str]]:
        """Add many (doc key, start, end, label) entities in one transaction; returns (doc key, id) of each.
        A fixed number of statements whatever the count (tag-all can add half a million spans). `lengths`
        (doc key -> text length), when the caller has just read the texts, spares reading them again. `ids`
        (one per span, for redo) gives them the ids they had; otherwise each set's counter numbers them.
        The result is in the order of `spans`, so it lines up with them (and with `ids`)."""
        labels = self.label_names(ENTITY)
        by_doc: dict[int, list[tuple[int, int, str, Optional[str], int]]] = {}
        for n, (dk, st, en, lab) in enumerate(spans):
            if lab not in labels:
                raise AnnotationError(f"unknown entity label {lab!r}")
            by_doc.setdefault(dk, []).append((st, en, lab, ids[n] if ids is not None else None, n))
        out: list[tuple[int, str]] = [None] * len(spans)  # type: ignore[list-item]
        with atomic(self.conn):
            ann = self._annotator_key(annotator)
            keys = list(by_doc)
            known = lengths or {}
            lengths, sets, seqs, used = {k: known[k] for k in keys if k in known}, {}, {}, {}

            def read_sets(chunk: list[int]) -> None:
                for dk, sk, seq in self.conn.execute(
                        f"SELECT document, key, entity_seq FROM annotation_sets WHERE annotator = ? AND document IN "
                        f"({','.join('?' * len(chunk))})", (ann, *chunk)):
                    sets[dk], seqs[sk] = sk, seq

            for i in range(0, len(keys), 900):
                chunk = keys[i:i + 900]
                todo = [k for k in chunk if k not in lengths]
                if todo:
                    lengths.update(self.conn.execute(
                        f"SELECT key, length(text) FROM documents WHERE key IN ({','.join('?' * len(todo))})", todo))
                read_sets(chunk)
            stamp = now()
            missing = [dk for dk in keys if dk not in sets]
            new_sets = set(missing)
            self.conn.executemany("INSERT INTO annotation_sets (document, annotator, updated_at) VALUES (?, ?, ?)",
                                  [(dk, ann, stamp) for dk in missing])
            for i in range(0, len(missing), 900):
                read_sets(missing[i:i + 900])
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
                if any(not 0 <= st < en <= length for st, en, _, _, _ in items):
                    raise AnnotationError(f"an entity is outside document {dk}")
                sk = sets[dk]
                taken, n = used.get(sk, set()), seqs[sk]
                if ids is not None:
                    given = [i for _, _, _, i, _ in items]
                    if not taken.isdisjoint(given):
                        raise StaleEditError("an entity id to restore is taken since")
                    new_ids, n = given, max([n, *(id_number(i, "e") for i in given)])
                else:
                    new_ids = [f"e{n + i}" for i in range(1, len(items) + 1)]
                    if taken and not taken.isdisjoint(new_ids):  # imported ids can be anything: pick free ones
                        new_ids = []
                        for _ in items:
                            n += 1
                            while f"e{n}" in taken:
                                n += 1
                            new_ids.append(f"e{n}")
                    else:
                        n += len(items)
                seqs[sk] = n
                rows += [(sk, i, st, en, lab) for i, (st, en, lab, _, _) in zip(new_ids, items)]
                for i, item in zip(new_ids, items):
                    out[item[4]] = (dk, i)
            self.conn.executemany('INSERT INTO entities (set_key, id, start, "end", label) VALUES (?, ?, ?, ?, ?)',
                                  rows)
            self.conn.executemany("UPDATE annotation_sets SET updated_at = ?, entity_seq = ?, cache = NULL "
                                  "WHERE key = ?", [(stamp, seqs[sets[dk]], sets[dk]) for dk in keys])
        return out

    def delete_entities_bulk(self, annotator: str, ids: Sequence[tuple[int, str]],
                             expected: Optional[Sequence[tuple[int, int, str]]] = None) -> None:
        """Undo of add_entities_bulk: remove those (doc key, entity id) pairs. With `expected` ((start, end, label)
        of each, as added), refused (StaleEditError) if any was changed or linked to since (another window's
        work), and nothing is removed."""
        with atomic(self.conn):
            for n, (dk, eid) in enumerate(ids):
                sk = self._set_key(dk, annotator, create=False)
                if sk is None:
                    if expected is not None:
                        raise StaleEditError(f"entity {eid!r} was deleted since")
                    continue
                if expected is not None and (
                        self.conn.execute('SELECT start, "end", label FROM entities WHERE set_key = ? AND id = ?',
                                          (sk, eid)).fetchone() != tuple(expected[n])
                        or self.conn.execute("SELECT 1 FROM quotes WHERE set_key = ? AND speaker = ? UNION ALL "
                                             "SELECT 1 FROM stances WHERE set_key = ? AND target = ?",
                                             (sk, eid, sk, eid)).fetchone()):
                    raise StaleEditError(f"entity {eid!r} was changed since")
                self.conn.execute("UPDATE quotes SET speaker = NULL WHERE set_key = ? AND speaker = ?", (sk, eid))
                self.conn.execute("UPDATE stances SET target = NULL WHERE set_key = ? AND target = ?", (sk, eid))
                self.conn.execute("DELETE FROM entities WHERE set_key = ? AND id = ?", (sk, eid))
                self.conn.execute("UPDATE annotation_sets SET cache = NULL WHERE key = ?", (sk,))

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
