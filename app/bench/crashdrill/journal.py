"""The drill's journal: what the editing process says it did, written so that a SIGKILL cannot make it lie.

Each event is one JSON line written with a single write() on a descriptor opened O_APPEND and fsync'd before the
process goes on: a "begin" line before an edit starts, then a "done" line (with the ids the Project call returned)
or a "failed" line (the store refused the edit) once the call has returned, each with the number of transactions
the call committed. So a "done" line on disk means the transaction had committed, and a "begin" with no outcome
is the one edit that was in flight when the process died. A line cut short by the kill has no newline and is
ignored: it reports nothing.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


class JournalError(ValueError):
    """A journal that does not read as begin/outcome pairs; str() says which line and why."""


class JournalWriter:
    """Appends events; each one is on disk (fsync) when the call returns."""

    def __init__(self, path: str | Path):
        self.fd = os.open(str(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.n = 0

    def _write(self, event: dict) -> None:
        os.write(self.fd, (json.dumps(event, separators=(",", ":")) + "\n").encode("ascii"))
        os.fsync(self.fd)

    def begin(self, op: str, args: dict) -> None:
        self.n += 1
        self._write({"n": self.n, "op": op, "args": args})

    def done(self, ids: list, transactions: int = 1) -> None:
        self._write({"n": self.n, "done": ids, "tx": transactions})

    def failed(self, message: str, transactions: int = 0) -> None:
        self._write({"n": self.n, "failed": message, "tx": transactions})

    def finished(self) -> None:
        self._write({"end": self.n})

    def close(self) -> None:
        os.close(self.fd)


@dataclass(frozen=True)
class Edit:
    """One journalled edit: its sequence number, operation, arguments and (once committed) the ids it returned."""

    n: int
    op: str
    args: dict
    ids: Optional[list] = None
    transactions: Optional[int] = None  # committed while it ran: 1 for a made edit, 0 for a refused one


@dataclass
class Journal:
    committed: list[Edit] = field(default_factory=list)  # reported done, in order
    refused: list[Edit] = field(default_factory=list)  # reported failed: must have changed nothing
    in_flight: Optional[Edit] = None  # begun, no outcome: may be applied whole or not at all
    finished: bool = False  # the driver reached its edit count and said so
    torn_tail: bool = False  # the last line was cut short by the kill (ignored)


def read_journal(path: str | Path) -> Journal:
    """The journal as committed edits, refused edits and at most one edit in flight (a missing file: nothing)."""
    path = Path(path)
    data = path.read_bytes() if path.exists() else b""
    lines = data.split(b"\n")
    out = Journal(torn_tail=lines[-1] != b"")
    pending: Optional[Edit] = None
    for number, raw in enumerate(lines[:-1], 1):
        try:
            event = json.loads(raw)
        except ValueError as exc:
            raise JournalError(f"{path}:{number}: not a JSON line ({exc})") from exc
        if "op" in event:
            if pending is not None:
                raise JournalError(f"{path}:{number}: edit {event['n']} begins before edit {pending.n} has an outcome")
            pending = Edit(event["n"], event["op"], event["args"])
        elif "done" in event or "failed" in event:
            if pending is None or pending.n != event["n"]:
                raise JournalError(f"{path}:{number}: an outcome for edit {event['n']}, which is not in flight")
            if "done" in event:
                out.committed.append(Edit(pending.n, pending.op, pending.args, event["done"], event.get("tx")))
            else:
                out.refused.append(Edit(pending.n, pending.op, pending.args, None, event.get("tx")))
            pending = None
        elif "end" in event:
            out.finished = True
        else:
            raise JournalError(f"{path}:{number}: unknown event {sorted(event)}")
    out.in_flight = pending
    return out
