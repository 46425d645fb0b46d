"""Plain data model: documents, labels and the annotations one annotator makes on one document.

Offsets are Python code points, end exclusive, into the document text exactly as stored. A span never carries
text of its own that could drift from the document: `text` is always derived as `doc_text[start:end]`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

EXPORT_SCHEMA_VERSION = 1

ENTITY = "entity"
STANCE = "stance"
QUOTE_KIND = "quote_kind"
LABEL_KINDS = (ENTITY, STANCE, QUOTE_KIND)

DOCUMENT_SCOPE = "document"

TODO, DONE, SKIPPED, FLAGGED = "todo", "done", "skipped", "flagged"
STATUSES = (TODO, DONE, SKIPPED, FLAGGED)

COMMAND_KEYS = ("q", "c", "k", "m")  # quote, cue, quote kind, note: never a label key

GOLD = "gold"  # reserved annotator name for the adjudicated set
# The annotator of an imported record that names none: shared by the importer and the format readers' id reuse.
DEFAULT_ANNOTATOR = "imported"


class AnnotationError(ValueError):
    """An annotation that would break an invariant (offsets, labels, references)."""


@dataclass(frozen=True)
class Label:
    name: str
    kind: str
    display: str = ""  # Arabic display name
    color: str = "#999999"
    key: str = ""  # shortcut key, "1".."9" for entity labels
    position: int = 0


@dataclass(frozen=True)
class Document:
    key: int  # internal row id
    id: str  # the user-facing id (file name, jsonl "id")
    text: str
    meta: dict = field(default_factory=dict)
    hash: str = ""

    @property
    def title(self) -> str:
        return title_of(self.text, self.meta)


@dataclass(frozen=True)
class Entity:
    id: str
    start: int
    end: int
    label: str
    text: str = ""
    note: str = ""  # the annotator's free-text note (why this label; a doubt for the reviewer); "" is none
    cluster: Optional[str] = None  # mentions of one referent share it (الوزير ... وزير الخارجية ... his name)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class Quote:
    id: str
    start: int
    end: int
    text: str = ""
    speaker: Optional[str] = None  # entity id in the same set
    speaker_text: str = ""
    cue: Optional[Cue] = None
    kind: str = "direct"
    note: str = ""  # as Entity.note


@dataclass(frozen=True)
class Stance:
    id: str
    label: str
    target: Optional[str] = None  # entity id in the same set
    target_text: str = ""
    scope: str = DOCUMENT_SCOPE  # "document" or a quote id


@dataclass
class AnnotationSet:
    """One annotator's work on one document (or the gold set)."""

    key: Optional[int]  # internal row id; None when nothing was saved yet
    document: Document
    annotator: Optional[str]
    status: str = TODO
    comment: str = ""
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)  # gold: who adjudicated, from which sets

    def entity(self, entity_id: str) -> Optional[Entity]:
        return next((e for e in self.entities if e.id == entity_id), None)


def title_of(text: str, meta: dict | None = None, words: int = 12) -> str:
    """A short human title: meta["title"] if given, else the first words of the first non-empty line."""
    if meta and isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    head = text[:1024]  # the title is near the top: split a long text's head, not all of it (an import titles 100k)
    lines = head.splitlines() if len(text) <= 1024 else head.splitlines()[:-1]  # the last may run on past the cut
    for line in lines:
        if line.strip():
            return " ".join(line.split()[:words])
    if len(text) <= 1024:
        return ""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split()[:words])
    return ""


def check_span(text: str, start: int, end: int, what: str = "span") -> None:
    """Refuse offsets that do not fit the text (spaCy's strict alignment: no guessing)."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise AnnotationError(f"{what} offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise AnnotationError(f"{what} [{start}, {end}) is outside the text (length {len(text)})")
