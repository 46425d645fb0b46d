"""What the store's modules share: timestamps and text hashes, the conversion of raw rows to model objects, and
the small records the store returns (document-list rows, what a deletion removed) and raises (ProjectError).

Kept apart from the Project mixins so each of them, and app.core.store's re-exports, import these from one place.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Sequence

from ..model import AnnotationError, Cue, Entity, Quote, Stance


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Model objects from the rows of Project._annotation_rows (set_key first); span texts are cut from the document.
def _entities(rows: Sequence[tuple], text: str) -> list[Entity]:
    shared = shared_clusters(rows)
    return [Entity(i, s, e, lab, text[s:e], note, c if c in shared else None)
            for _, i, s, e, lab, note, c in rows]


def shared_clusters(rows: Sequence[tuple]) -> set:
    """The cluster ids (last column of entity rows) held by two or more mentions: only those are clusters (a
    mention left alone by a deletion or an unlink is in none, and its id is never exported)."""
    seen: set = set()
    shared: set = set()
    for row in rows:
        c = row[-1]
        if c is not None:
            (shared if c in seen else seen).add(c)
    return shared


def _quotes(rows: Sequence[tuple], text: str) -> list[Quote]:
    return [Quote(i, s, e, text[s:e], sp, spt, Cue(cs, ce, text[cs:ce]) if cs is not None else None, kind, note)
            for _, i, s, e, sp, spt, cs, ce, kind, note in rows]


def _stances(rows: Sequence[tuple]) -> list[Stance]:
    return [Stance(i, lab, tgt, tt, scope) for _, i, tgt, tt, lab, scope in rows]


@dataclass(frozen=True)
class DocRow:
    """One row of the document list: enough to show, not the text."""

    key: int
    id: str
    title: str
    status: str
    n_labels: int


@dataclass(frozen=True)
class EntityRemoval:
    """What deleting an entity changed, so undo can put it all back."""

    entity: Entity
    unlinked_quotes: tuple[str, ...]
    unlinked_stances: tuple[str, ...]


@dataclass(frozen=True)
class QuoteRemoval:
    quote: Quote
    stances: tuple[Stance, ...]


class ProjectError(RuntimeError):
    pass


class ServerGone(ProjectError):
    """The server went away (or the network did) mid-session. Anything not confirmed before is not saved."""


class NotPermitted(ProjectError, sqlite3.DatabaseError):
    """The server refused a read or write to this login (a team member's role, pg_roles.py): writing another
    annotator's set or gold, adding documents, editing labels... A ProjectError for the CLI's one line, and an
    sqlite3 error for the window's edit guard, which reports failed edits without claiming them saved."""


class StaleEditError(AnnotationError):
    """An undo or redo found its annotation no longer as it left it: another window or process (the same annotator
    on the same project) changed it since. Acting anyway would overwrite or delete that other work."""


# The counter column of annotation_sets that numbers each kind's ids, and the prefix of those ids.
SEQ_COLUMNS = {"entities": ("entity_seq", "e"), "quotes": ("quote_seq", "q"), "stances": ("stance_seq", "s")}


def id_number(ann_id: str, prefix: str) -> int:
    """The number a generated-looking id holds (e12 -> 12), 0 for any other id: what a set's counter must exceed
    so that a generated id never equals a stored one."""
    digits = ann_id[1:]
    if ann_id[:1] == prefix and digits.isdecimal() and len(digits) <= 18:
        return int(digits)
    return 0


def highest_number(annotations: Sequence, prefix: str) -> int:
    """The highest id_number among these entities, quotes or stances (0 if none): a bulk write raises the set's
    counter to it. One loop without a call per id (an import writes millions)."""
    return highest_id_number([a.id for a in annotations], prefix)


def highest_id_number(ids: Sequence[str], prefix: str) -> int:
    """highest_number over the ids themselves (the import's row tuples carry no model objects)."""
    best = 0
    for i in ids:
        if i[:1] == prefix:
            digits = i[1:]
            if digits.isdecimal() and len(digits) <= 18:
                n = int(digits)
                if n > best:
                    best = n
    return best
