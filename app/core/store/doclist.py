"""The document list of a project of any size, a page at a time: how many documents a list shows, one page of its
rows, and where a document stands in it.

Why pages instead of all keys: a 1,000,000-document server project must open in under a second, and fetching a
million keys to show forty rows is most of that second. So the window counts (by an index: the documents, or one
annotator's sets of one status), reads the page it shows by key (`key > the last key shown`: an index range scan,
as cheap at row 900,000 as at row 0), and goes by position (OFFSET over the key index, from whichever end is
nearer) only for a jump to a page none of whose neighbours it has read.

Part of Project (see app/core/store/__init__.py); uses ProjectBase's filters (`_doc_filter`, `_set_join`) and
`document_rows`.
"""
from __future__ import annotations

from typing import Optional

from ..model import TODO
from .common import DocRow


class DocumentListMixin:
    """Counting, paging and locating the documents of the document list (filtered by status and search)."""

    def count_documents(self, annotator: Optional[str] = None, status: Optional[str] = None,
                        search: Optional[str] = None) -> int:
        """How many documents the list shows. Without a search, counted from an index: every document, or the
        annotator's sets of that status (a document without a set is 'todo')."""
        if not (search and search.strip()) and annotator is not None:
            if status is None:
                return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            sets = ("SELECT count(*) FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                    "WHERE a.name = ? AND s.status {} ?")
            if status != TODO:
                return self.conn.execute(sets.format("="), (annotator, status)).fetchone()[0]
            return self.count_documents() - self.conn.execute(sets.format("!="), (annotator, TODO)).fetchone()[0]
        if not (search and search.strip()) and status is None:
            return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        where, args = self._doc_filter(annotator, status, search)
        return self.conn.execute(
            f"SELECT count(*) FROM documents d {self._set_join(annotator)} {where}", args).fetchone()[0]

    def _list_keys(self, annotator, status, search, *, extra: str = "", order: str = "ASC", limit: int = -1,
                   offset: int = 0, **bounds) -> list[int]:
        """Keys of the list's documents in key order (or reversed), with an extra condition on d.key."""
        where, args = self._doc_filter(annotator, status, search)
        if extra:
            where = f"{where} AND {extra}" if where else f"WHERE {extra}"
        join = self._set_join(annotator) if status else ""  # the set matters only to a status filter
        sql = f"SELECT d.key FROM documents d {join} {where} ORDER BY d.key {order}"
        if limit >= 0:
            sql += " LIMIT :limit OFFSET :offset"
        return [r[0] for r in self.conn.execute(sql, {**args, **bounds, "limit": limit, "offset": offset})]

    def document_page(self, annotator: Optional[str] = None, status: Optional[str] = None,
                      search: Optional[str] = None, *, after: Optional[int] = None, before: Optional[int] = None,
                      offset: int = 0, from_end: bool = False, limit: int = 200) -> list[DocRow]:
        """Up to `limit` rows of the list, in list order: those right after the document `after`, right before
        the document `before`, or (neither) those `offset` rows from the start, or from the end with `from_end`."""
        if after is not None:
            keys = self._list_keys(annotator, status, search, extra="d.key > :after", limit=limit, after=after)
        elif before is not None:
            keys = self._list_keys(annotator, status, search, extra="d.key < :before", order="DESC", limit=limit,
                                   before=before)[::-1]
        elif from_end:
            keys = self._list_keys(annotator, status, search, order="DESC", limit=limit, offset=offset)[::-1]
        else:
            keys = self._list_keys(annotator, status, search, limit=limit, offset=offset)
        return self.document_rows(keys, annotator=annotator)

    def document_position(self, doc_key: int, annotator: Optional[str] = None, status: Optional[str] = None,
                          search: Optional[str] = None) -> Optional[int]:
        """The row of a document in the list, None if the list does not show it."""
        if not self._list_keys(annotator, status, search, extra="d.key = :key", key=doc_key):
            return None
        where, args = self._doc_filter(annotator, status, search)
        where = f"{where} AND d.key < :key" if where else "WHERE d.key < :key"
        join = self._set_join(annotator) if status else ""
        return self.conn.execute(f"SELECT count(*) FROM documents d {join} {where}",
                                 {**args, "key": doc_key}).fetchone()[0]
