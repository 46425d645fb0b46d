"""Who has the project open for editing: one row per window (annotator, host, pid, heartbeat), so a second window
or process opening it as the same annotator can warn before the two undo each other's work.

A lease is advice, never a lock: a crashed process must not keep anyone out. A lease whose process is gone (same
host, pid no longer running) or whose heartbeat stopped (another host: no beat for STALE_AFTER seconds) is ignored
and removed by the next opener. Rows, not lock files, so the same code works on a database server.

Part of Project (see app/core/store/__init__.py).
"""
from __future__ import annotations

import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Optional

from .schema import atomic
from .common import now

HEARTBEAT = 30.0  # seconds between beats of a window that has the project open
STALE_AFTER = 4 * HEARTBEAT  # no beat for this long: the window is gone (another host, or a reused pid)


@dataclass(frozen=True)
class Lease:
    """One window that has the project open."""

    annotator: str
    host: str
    pid: int
    started_at: str


def _host() -> str:
    return socket.gethostname()


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's process, or a platform without signal 0: assume alive
        return True
    return True


class LeasesMixin:
    """Leases of the windows that have this project open; uses ProjectBase's connection."""

    def _live(self, host: str, pid: int, heartbeat: float) -> bool:
        if host == _host() and not _pid_running(pid):
            return False
        return time.time() - heartbeat < STALE_AFTER

    def open_elsewhere(self, annotator: str, token: Optional[str] = None) -> list[Lease]:
        """The live leases of `annotator` other than `token`: windows that have the project open as them."""
        rows = self.conn.execute("SELECT token, host, pid, started_at, heartbeat FROM open_sessions "
                                 "WHERE annotator = ? ORDER BY started_at", (annotator,)).fetchall()
        return [Lease(annotator, host, pid, started) for tok, host, pid, started, beat in rows
                if tok != token and self._live(host, pid, beat)]

    def take_lease(self, annotator: str) -> str:
        """Record that this process has the project open as `annotator`; returns the lease's token. Removes the
        leases of dead windows on the way, so the table never grows."""
        token = uuid.uuid4().hex
        with atomic(self.conn):
            dead = [(tok,) for tok, host, pid, beat in self.conn.execute(
                "SELECT token, host, pid, heartbeat FROM open_sessions") if not self._live(host, pid, beat)]
            self.conn.executemany("DELETE FROM open_sessions WHERE token = ?", dead)
            self.conn.execute("INSERT INTO open_sessions VALUES (?, ?, ?, ?, ?, ?)",
                              (token, annotator, _host(), os.getpid(), now(), time.time()))
        return token

    def renew_lease(self, token: str, annotator: str) -> None:
        """The heartbeat (and the annotator, if the window changed name); puts the row back if another opener
        took this window for dead (a machine that slept)."""
        with atomic(self.conn):
            if not self.conn.execute("UPDATE open_sessions SET heartbeat = ?, annotator = ? WHERE token = ?",
                                     (time.time(), annotator, token)).rowcount:
                self.conn.execute("INSERT INTO open_sessions VALUES (?, ?, ?, ?, ?, ?)",
                                  (token, annotator, _host(), os.getpid(), now(), time.time()))

    def drop_lease(self, token: str) -> None:
        with atomic(self.conn):
            self.conn.execute("DELETE FROM open_sessions WHERE token = ?", (token,))
