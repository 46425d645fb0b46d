"""Set times, for bundles: a merged set keeps the time its annotator last changed it, so "newer wins" compares the
annotators' clocks, and merging the same bundle again finds nothing to do. Mixed into Project (uses ProjectBase's
connection and set lookup)."""
from __future__ import annotations

from typing import Optional

from .schema import atomic


class SetTimesMixin:
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
