"""Live updates: what other people (other annotators, another desktop, a CLI import) committed to the project
since we last looked, so the window's document list shows their work without a restart. Qt-free: the window polls
`ChangeFeed.poll()` from a timer (cheap: no round trip when nothing happened) or watches `fileno()`.

On a server, PostgreSQL delivers the notifications the schema's triggers send (postgres.CHANNEL), and only for
committed transactions, so nothing is shown before it is saved. A project file has no notifications; SQLite's
`data_version` tells that another connection committed something, and the whole list is re-read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import sqlite3

from . import sqlite as sqlite_backend
from .common import ProjectError
from .location import is_server_url
from .common import ServerGone

_MANY = 2000  # more changed sets than this in one poll (a bulk import): re-read everything instead


@dataclass
class Changes:
    """What changed: `documents` when documents were added or removed (the list must be re-read), `sets` the
    (document key, annotator key) pairs whose status or annotations changed, `everything` when the feed cannot say
    (a project file, or too many to list)."""

    documents: bool = False
    everything: bool = False
    sets: set[tuple[int, int]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.documents or self.everything or bool(self.sets)

    def document_keys(self) -> set[int]:
        return {d for d, _ in self.sets}


class ChangeFeed:
    """Changes committed by other connections to one project. Close it when done (it may hold a connection)."""

    def __init__(self, project):
        self._project = project
        self._listener = None
        if is_server_url(project.path):
            import psycopg  # here: a file project's window starts without psycopg's import time

            from .postgres import CHANNEL

            # A connection of its own: LISTEN must not share the project's connection, whose transactions it
            # would otherwise see in the middle of.
            self._listener = psycopg.connect(project.path.url, autocommit=True, application_name="tawsim-live")
            self._listener.execute(f"LISTEN {CHANNEL}")
            self._own_pid = project.conn.raw.info.backend_pid
        else:
            self._version = sqlite_backend.data_version(project.conn)

    def fileno(self) -> Optional[int]:
        """A socket that becomes readable when a notification arrives (server projects), for a socket notifier."""
        return self._listener.fileno() if self._listener is not None else None

    def poll(self) -> Changes:
        """What others committed since the last poll; empty if nothing. Never blocks."""
        out = Changes()
        if self._listener is None:
            try:
                version = sqlite_backend.data_version(self._project.conn)
            except sqlite3.Error as exc:  # the project was closed under the feed
                raise ProjectError(f"{self._project.path}: {exc}") from exc
            out.everything, self._version = version != self._version, version
            return out
        import psycopg  # imported by __init__ already: a server project has a listener

        try:
            notes = list(self._listener.notifies(timeout=0))
        except psycopg.Error as exc:
            raise ServerGone(f"{self._project.path}: live updates lost the server ({exc})") from exc
        for n in notes:
            if n.pid == self._own_pid:
                continue  # our own edits: the window has shown them already
            if n.payload == "documents":
                out.documents = True
            elif n.payload.startswith("set:") and not out.everything:
                _, doc, ann = n.payload.split(":")
                out.sets.add((int(doc), int(ann)))
                if len(out.sets) > _MANY:
                    out.everything, out.sets = True, set()
        return out

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
