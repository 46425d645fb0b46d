"""Entity clusters: the mentions of one referent in one annotator's set linked together.

News names a person once and then calls them by a title ("عادل الجبير" ... "الوزير" ... "وزير الخارجية السعودي"):
linking those mentions lets a quote whose speaker is the title resolve to the name, and exports the link as a
`cluster` id on each mention. A cluster is the set of entities sharing an id in the `cluster` column; an id held by
one mention only is no cluster (see common.shared_clusters). Each edit is one transaction and returns what it
changed, so undo and redo put back exactly that and refuse (StaleEditError) when the mentions were changed since.

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model import AnnotationError
from .common import StaleEditError
from .schema import atomic


@dataclass(frozen=True)
class ClusterChange:
    """The cluster of each entity a link or unlink touched, before and after: ((entity id, cluster), ...)."""

    before: tuple[tuple[str, Optional[str]], ...]
    after: tuple[tuple[str, Optional[str]], ...]

    def reversed(self) -> "ClusterChange":
        return ClusterChange(self.after, self.before)


class ClustersMixin:
    """Link and unlink mentions; uses ProjectBase's sets and EditsMixin's _require_set and _touch."""

    def _clusters(self, sk: int) -> dict[str, Optional[str]]:
        return dict(self.conn.execute("SELECT id, cluster FROM entities WHERE set_key = ?", (sk,)))

    @staticmethod
    def _fresh_cluster(current: dict[str, Optional[str]]) -> str:
        used = {c for c in current.values() if c}
        n = 1 + max((int(c[1:]) for c in used if c[:1] == "c" and c[1:].isdecimal() and len(c) < 19), default=0)
        while f"c{n}" in used:
            n += 1
        return f"c{n}"

    def link_mentions(self, doc_key: int, annotator: str, entity_id: str, other_id: str) -> ClusterChange:
        """Put two entities in one cluster: the one joins the other's cluster, both clusters merge into the
        first's, or a new cluster holds the two. Refused when they are already linked."""
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            current = self._clusters(sk)
            for eid in (entity_id, other_id):
                if eid not in current:
                    raise AnnotationError(f"no entity {eid!r}")
            if entity_id == other_id:
                raise AnnotationError("a mention cannot be linked to itself")
            a, b = current[entity_id], current[other_id]
            if a is not None and a == b:
                raise AnnotationError(f"entities {entity_id!r} and {other_id!r} are already linked")
            target = a or b or self._fresh_cluster(current)
            moving = {entity_id, other_id} | {eid for eid, c in current.items()
                                              if c is not None and c in (a, b) and c != target}
            change = ClusterChange(tuple((eid, current[eid]) for eid in sorted(moving)),
                                   tuple((eid, target) for eid in sorted(moving)))
            self._write_clusters(sk, change)
        return change

    def unlink_mention(self, doc_key: int, annotator: str, entity_id: str) -> ClusterChange:
        """Take an entity out of its cluster (the others stay linked; a lone one left is in no cluster)."""
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            current = self._clusters(sk)
            if entity_id not in current:
                raise AnnotationError(f"no entity {entity_id!r}")
            if current[entity_id] is None:
                raise AnnotationError(f"entity {entity_id!r} is in no cluster")
            change = ClusterChange(((entity_id, current[entity_id]),), ((entity_id, None),))
            self._write_clusters(sk, change)
        return change

    def apply_cluster_change(self, doc_key: int, annotator: str, change: ClusterChange) -> None:
        """Undo (pass change.reversed()) or redo a link/unlink; refused if any mention is no longer as `before`."""
        with atomic(self.conn):
            sk = self._require_set(doc_key, annotator)
            current = self._clusters(sk)
            for eid, cluster in change.before:
                if eid not in current or current[eid] != cluster:
                    raise StaleEditError(f"entity {eid!r} was changed since")
            self._write_clusters(sk, change)

    def _write_clusters(self, sk: int, change: ClusterChange) -> None:
        self.conn.executemany("UPDATE entities SET cluster = ? WHERE set_key = ? AND id = ?",
                              [(cluster, sk, eid) for eid, cluster in change.after])
        self._touch(sk)
