"""What the store's modules share: timestamps and text hashes, the conversion of raw rows to model objects, and
the small records the store returns (document-list rows, what a deletion removed) and raises (ProjectError).

Kept apart from the Project mixins so each of them, and app.core.store's re-exports, import these from one place.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from typing import Sequence

from ..model import Cue, Entity, Quote, Stance


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# Model objects from the rows of Project._annotation_rows (set_key first); span texts are cut from the document.
def _entities(rows: Sequence[tuple], text: str) -> list[Entity]:
    return [Entity(i, s, e, lab, text[s:e]) for _, i, s, e, lab in rows]


def _quotes(rows: Sequence[tuple], text: str) -> list[Quote]:
    return [Quote(i, s, e, text[s:e], sp, spt, Cue(cs, ce, text[cs:ce]) if cs is not None else None, kind)
            for _, i, s, e, sp, spt, cs, ce, kind in rows]


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
