"""The document list of a project of any size, a page at a time: how many documents a list shows, one page of its
rows, and where a document stands in it.

Why pages instead of all keys: a 1,000,000-document server project must open in under a second, and fetching a
million keys to show forty rows is most of that second. So the window counts (by an index: the documents, or one
annotator's sets of one status), reads the page it shows by key (`key > the last key shown`: an index range scan,
as cheap at row 900,000 as at row 0), and goes by position (OFFSET over the key index, from whichever end is
nearer) only for a jump to a page none of whose neighbours it has read.

"My documents first" (`assigned_first`): the list is two segments, the annotator's assigned documents that match
the filter, in key order, then the other matching ones, in key order. Each segment is paged the same way (the
assigned one read from the `assignments` index of the annotator, the other skipping them with NOT EXISTS), and a
page that crosses the boundary is read from both. Without assignments the list is the one segment it always was.

Part of Project (see app/core/store/__init__.py); uses ProjectBase's filters (`_doc_filter`, `_set_join`) and
`document_rows`.
"""
from __future__ import annotations

from typing import Optional

from ..model import TODO
from .common import DocRow

_ANNOTATOR_KEY = "(SELECT key FROM annotators WHERE name = :ann)"
_ASSIGNED = f"EXISTS (SELECT 1 FROM assignments g WHERE g.document = d.key AND g.annotator = {_ANNOTATOR_KEY})"


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
                   offset: int = 0, segment: Optional[bool] = None, **bounds) -> list[int]:
        """Keys of the list's documents in key order (or reversed), with an extra condition on d.key; `segment`
        True: only those assigned to the annotator, False: only the others, None: all."""
        where, args = self._doc_filter(annotator, status, search)
        source, key = "documents d", "d.key"
        if segment:  # driven by the annotator's assignments index: a few assigned among a million cost a few
            source, key = "assignments g JOIN documents d ON d.key = g.document", "g.document"
            extra = " AND ".join(filter(None, (extra, f"g.annotator = {_ANNOTATOR_KEY}")))
        elif segment is False:
            extra = " AND ".join(filter(None, (extra, f"NOT {_ASSIGNED}")))
        if extra:
            where = f"{where} AND {extra}" if where else f"WHERE {extra}"
        join = self._set_join(annotator) if status else ""  # the set matters only to a status filter
        sql = f"SELECT d.key FROM {source} {join} {where} ORDER BY {key} {order}"
        if limit >= 0:
            sql += " LIMIT :limit OFFSET :offset"
        return [r[0] for r in self.conn.execute(sql, {**args, **bounds, "limit": limit, "offset": offset})]

    def count_assigned(self, annotator: Optional[str] = None, status: Optional[str] = None,
                       search: Optional[str] = None, *, before: Optional[int] = None) -> int:
        """How many of the list's documents are assigned to `annotator` (the first segment with `assigned_first`),
        or only those with a key below `before`. Read from the annotator's assignments, never the whole list."""
        if annotator is None:
            return 0
        where, args = self._doc_filter(annotator, status, search)
        cond = f"g.annotator = {_ANNOTATOR_KEY}" + (" AND g.document < :before" if before is not None else "")
        where = f"{where} AND {cond}" if where else f"WHERE {cond}"
        join = self._set_join(annotator) if status else ""
        return self.conn.execute(f"SELECT count(*) FROM assignments g JOIN documents d ON d.key = g.document "
                                 f"{join} {where}", {**args, "before": before}).fetchone()[0]

    def _is_assigned(self, doc_key: int, annotator: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM assignments WHERE document = :key AND annotator = {_ANNOTATOR_KEY}",
                                 {"key": doc_key, "ann": annotator}).fetchone() is not None

    def document_page(self, annotator: Optional[str] = None, status: Optional[str] = None,
                      search: Optional[str] = None, *, after: Optional[int] = None, before: Optional[int] = None,
                      offset: int = 0, from_end: bool = False, limit: int = 200,
                      assigned_first: bool = False) -> list[DocRow]:
        """Up to `limit` rows of the list, in list order: those right after the document `after`, right before
        the document `before`, or (neither) those `offset` rows from the start, or from the end with `from_end`.
        With `assigned_first`, the annotator's assigned documents come first (see the module's docstring)."""
        if assigned_first and annotator is not None:
            keys = self._two_segment_keys(annotator, status, search, after, before, offset, from_end, limit)
        elif after is not None:
            keys = self._list_keys(annotator, status, search, extra="d.key > :after", limit=limit, after=after)
        elif before is not None:
            keys = self._list_keys(annotator, status, search, extra="d.key < :before", order="DESC", limit=limit,
                                   before=before)[::-1]
        elif from_end:
            keys = self._list_keys(annotator, status, search, order="DESC", limit=limit, offset=offset)[::-1]
        else:
            keys = self._list_keys(annotator, status, search, limit=limit, offset=offset)
        return self.document_rows(keys, annotator=annotator)

    def _two_segment_keys(self, annotator, status, search, after, before, offset, from_end, limit) -> list[int]:
        """A page of the assigned-first list: within one segment, or the end of the first and the start of the
        second when it crosses the boundary."""
        f = (annotator, status, search)
        if after is not None:
            if not self._is_assigned(after, annotator):
                return self._list_keys(*f, segment=False, extra="d.key > :after", limit=limit, after=after)
            keys = self._list_keys(*f, segment=True, extra="d.key > :after", limit=limit, after=after)
            return keys + (self._list_keys(*f, segment=False, limit=limit - len(keys)) if len(keys) < limit else [])
        if before is not None:
            if self._is_assigned(before, annotator):
                return self._list_keys(*f, segment=True, extra="d.key < :before", order="DESC", limit=limit,
                                       before=before)[::-1]
            keys = self._list_keys(*f, segment=False, extra="d.key < :before", order="DESC", limit=limit,
                                   before=before)[::-1]
            if len(keys) < limit:
                keys = self._list_keys(*f, segment=True, order="DESC", limit=limit - len(keys))[::-1] + keys
            return keys
        mine = self.count_assigned(*f)
        if from_end:  # offset counts from the end: the other segment's rows come first that way
            others = self.count_documents(*f) - mine
            if offset >= others:
                return self._list_keys(*f, segment=True, order="DESC", limit=limit, offset=offset - others)[::-1]
            keys = self._list_keys(*f, segment=False, order="DESC", limit=limit, offset=offset)[::-1]
            if len(keys) < limit:
                keys = self._list_keys(*f, segment=True, order="DESC", limit=limit - len(keys))[::-1] + keys
            return keys
        if offset >= mine:
            return self._list_keys(*f, segment=False, limit=limit, offset=offset - mine)
        keys = self._list_keys(*f, segment=True, limit=limit, offset=offset)
        return keys + (self._list_keys(*f, segment=False, limit=limit - len(keys)) if len(keys) < limit else [])

    def document_position(self, doc_key: int, annotator: Optional[str] = None, status: Optional[str] = None,
                          search: Optional[str] = None, *, assigned_first: bool = False) -> Optional[int]:
        """The row of a document in the list, None if the list does not show it."""
        if not self._list_keys(annotator, status, search, extra="d.key = :key", key=doc_key):
            return None
        f = (annotator, status, search)
        segmented = assigned_first and annotator is not None
        if segmented and self._is_assigned(doc_key, annotator):
            return self.count_assigned(*f, before=doc_key)
        where, args = self._doc_filter(annotator, status, search)
        where = f"{where} AND d.key < :key" if where else "WHERE d.key < :key"
        join = self._set_join(annotator) if status else ""
        before = self.conn.execute(f"SELECT count(*) FROM documents d {join} {where}",
                                   {**args, "key": doc_key}).fetchone()[0]
        if not segmented:
            return before
        # after every assigned one; the documents before it in key order, less the assigned ones among them
        return self.count_assigned(*f) + before - self.count_assigned(*f, before=doc_key)
