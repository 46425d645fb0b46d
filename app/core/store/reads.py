"""Project-wide queries other core modules build on: the gazetteer table (its entries and the names annotators
have already tagged, for pre-annotation), the corpus statistics of `tawsim stats`, and the one ordered read that
agreement (app.core.review.agreement) computes from, without texts or model objects; and SQLite's integrity checks.

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Iterable, Iterator, Optional, Sequence

from ..model import GOLD
from .schema import atomic


class ReadsMixin:
    """Gazetteer, statistics and agreement reads; uses ProjectBase's connection only."""

    # ---- gazetteer -------------------------------------------------------------------------------------------
    def add_gazetteer_entries(self, rows: Iterable[tuple[str, str]], source: str = "file") -> int:
        with atomic(self.conn):
            before = self.conn.total_changes
            self.conn.executemany("INSERT OR IGNORE INTO gazetteer (text, label, source) VALUES (?, ?, ?)",
                                  [(t, l, source) for t, l in rows])
            return self.conn.total_changes - before

    def gazetteer_entries(self) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT text, label FROM gazetteer"))

    def annotated_names(self, only: Optional[Sequence[str]] = None) -> list[tuple[str, str]]:
        """Distinct (span text, label) of every saved entity (SQLite substr counts code points, as we do); with
        `only`, of those annotators' sets alone (a blind annotator's suggestions must not read anyone else's)."""
        # a model's predictions (machine annotators) are not known names until someone accepts them
        sql = ('SELECT DISTINCT substr(d.text, e.start + 1, e."end" - e.start), e.label FROM entities e '
               "JOIN annotation_sets s ON s.key = e.set_key JOIN documents d ON d.key = s.document "
               "WHERE s.annotator NOT IN (SELECT annotator FROM machine_annotators)")
        if only is None:
            return list(self.conn.execute(sql))
        if not only:
            return []
        sql += (" AND s.annotator IN (SELECT key FROM annotators WHERE name IN ("
                + ", ".join("?" for _ in only) + "))")
        return list(self.conn.execute(sql, list(only)))

    def annotated_cues(self) -> list[tuple[str, int]]:
        """(cue text, how many saved quotes use it) over every annotator's quotes."""
        return list(self.conn.execute(
            "SELECT substr(d.text, q.cue_start + 1, q.cue_end - q.cue_start) AS cue, COUNT(*) FROM quotes q "
            "JOIN annotation_sets s ON s.key = q.set_key JOIN documents d ON d.key = s.document "
            "WHERE q.cue_start IS NOT NULL GROUP BY cue"))

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

    # ---- integrity ------------------------------------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """What SQLite's own checks find wrong with the file (page structure, indexes, dangling references):
        empty for a healthy project. Read after a crash, it tells a torn file from an intact one."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"{table} row {rowid}: no {parent} row for its reference"
                     for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check")]
        return problems

    # ---- agreement reads -----------------------------------------------------------------------------------
    def iter_agreement_rows(self, statuses: Optional[Sequence[str]] = None, min_annotators: int = 2,
                            batch: int = 400, include_machines: bool = False
                            ) -> Iterator[tuple[int, str, list[tuple]]]:
        """What agreement compares, in document order, without texts or model objects: for every document with at
        least `min_annotators` non-gold sets (optionally only sets whose status is in `statuses`),
        (doc key, doc id, [(annotator, frozenset of entity rows (start, end, label), quote rows (id, start, end,
        speaker_text), stance rows (label, target_text, scope)) in annotator name order]); machine annotators'
        sets (app.core.learn's predictions) only with include_machines. Entities come as a set
        because agreement compares sets; three indexed queries per `batch` sets, no Python work per row beyond C."""
        clauses, args = ["a.role != 'gold'", "a.name != ?"], [GOLD]
        if not include_machines:  # a model's pre-annotations are not an annotator's judgement
            clauses.append("a.key NOT IN (SELECT annotator FROM machine_annotators)")
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
