"""Team work in the store: who the connection is (a server login is its annotator), server users, which annotators
are assigned which documents, and the raw figures of progress (statuses, edit times).

The plans and figures themselves are computed above the store (app.core.review.assignment / progress); this
module only reads and writes the rows (schema version 8: `assignments`, `edit_times`).
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Mapping, Optional, Sequence

from ..model import GOLD, AnnotationError
from ..names import check_annotator_name
from .common import ProjectError, now
from .schema import atomic


class TeamMixin:
    """Logins, assignments and progress rows; uses ProjectBase's connection and `_annotator_key`."""

    # ---- identity ------------------------------------------------------------------------------------------
    def is_server(self) -> bool:
        return not isinstance(self.conn, sqlite3.Connection)

    def login_name(self) -> Optional[str]:
        """On a server project, the login this connection runs as (`current_user`): that is the annotator's name,
        and the database refuses writes under any other. None for a project file (the name is the user's word)."""
        if not self.is_server():
            return None
        from .pg_roles import login_name

        return login_name(self.conn)

    def add_user(self, name: str, password: str, role: str = "annotator") -> None:
        """A new server login `name` in the group role of `role` (annotator, reviewer or admin); see pg_roles."""
        from .pg_roles import ROLES, add_user

        if not self.is_server():
            raise ProjectError(f"{self.path}: users are logins of a PostgreSQL server; a project file has none")
        if role not in ROLES:
            raise AnnotationError(f"unknown role {role!r} (annotator, reviewer or admin)")
        check_annotator_name(name)
        if name.lower().startswith(("pg_", "tawsim_")):
            raise AnnotationError(f"{name!r}: names starting with pg_ or tawsim_ are reserved")
        add_user(self.conn, name, password, role)

    # ---- assignments ---------------------------------------------------------------------------------------
    def replace_assignments(self, plan: Mapping[int, Sequence[str]]) -> int:
        """Give each document in `plan` exactly the annotators listed (its earlier assignment is replaced; other
        documents keep theirs), in one transaction. Returns the number of (document, annotator) rows written."""
        with atomic(self.conn):
            keys = {name: self._annotator_key(name) for names in plan.values() for name in names}
            self.conn.executemany("DELETE FROM assignments WHERE document = ?", [(d,) for d in plan])
            rows = [(doc, keys[name], now()) for doc, names in plan.items() for name in names]
            self.conn.executemany("INSERT INTO assignments (document, annotator, assigned_at) VALUES (?, ?, ?)",
                                  rows)
        return len(rows)

    def assigned_documents(self, annotator: str) -> list[int]:
        """Keys of the documents assigned to `annotator`, in list order."""
        return [r[0] for r in self.conn.execute(
            "SELECT g.document FROM assignments g JOIN annotators a ON a.key = g.annotator WHERE a.name = ? "
            "ORDER BY g.document", (annotator,))]

    def next_assigned_document(self, after_key: int, annotator: str) -> Optional[int]:
        """The first document assigned to `annotator` after `after_key` (wrapping around) that they have not
        finished (no set, or a set still todo): where Ctrl+Enter goes."""
        sql = """SELECT g.document FROM assignments g JOIN annotators a ON a.key = g.annotator
                 LEFT JOIN annotation_sets s ON s.document = g.document AND s.annotator = g.annotator
                 WHERE a.name = ? AND COALESCE(s.status, 'todo') = 'todo' AND g.document {op} ?
                 ORDER BY g.document LIMIT 1"""
        for op in (">", "<="):
            row = self.conn.execute(sql.format(op=op), (annotator, after_key)).fetchone()
            if row:
                return row[0]
        return None

    def assignments(self) -> dict[str, list[int]]:
        """annotator name -> assigned document keys (the ones this connection may see)."""
        out: dict[str, list[int]] = {}
        for name, doc in self.conn.execute("SELECT a.name, g.document FROM assignments g JOIN annotators a "
                                           "ON a.key = g.annotator ORDER BY a.name, g.document"):
            out.setdefault(name, []).append(doc)
        return out

    def document_statuses(self) -> dict[int, set[str]]:
        """doc key -> the statuses of its annotators' sets (gold and machine annotators left out)."""
        out: dict[int, set[str]] = {}
        for doc, status in self.conn.execute(
                "SELECT s.document, s.status FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                "WHERE a.role != 'gold' AND a.key NOT IN (SELECT annotator FROM machine_annotators)"):
            out.setdefault(doc, set()).add(status)
        return out

    # ---- progress rows -------------------------------------------------------------------------------------
    def people(self) -> list[str]:
        """Annotators who are people (no gold, no machine annotators), by name."""
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM annotators WHERE role != 'gold' AND key NOT IN "
            "(SELECT annotator FROM machine_annotators) ORDER BY name")]

    def set_statuses(self, annotator: str) -> dict[int, str]:
        """doc key -> status of every set `annotator` has."""
        return dict(self.conn.execute(
            "SELECT s.document, s.status FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
            "WHERE a.name = ?", (annotator,)))

    def status_counts(self) -> dict[str, Counter]:
        """annotator -> Counter of their sets' statuses (the sets this connection may read)."""
        out: dict[str, Counter] = {}
        for name, status, n in self.conn.execute(
                "SELECT a.name, s.status, count(*) FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                "WHERE a.name != ? GROUP BY a.name, s.status", (GOLD,)):
            out.setdefault(name, Counter())[status] = n
        return out

    def edit_times(self) -> dict[str, list[str]]:
        """annotator -> the times of their single edits (ISO 8601, UTC, sorted), from the edit log."""
        out: dict[str, list[str]] = {}
        for name, at in self.conn.execute(
                "SELECT a.name, e.at FROM edit_times e JOIN annotation_sets s ON s.key = e.set_key "
                "JOIN annotators a ON a.key = s.annotator WHERE a.name != ? ORDER BY a.name, e.at", (GOLD,)):
            out.setdefault(name, []).append(at)
        return out
