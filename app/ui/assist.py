"""Suggestions in the article: proposed quotes (reporting patterns) and entities (gazetteer, and the project's
trained model with its confidence: app/ui/model_suggest.py), shown dimmed.

Enter accepts the current suggestion (it becomes an annotation through the usual undoable command), Backspace
rejects it; either way the next one becomes current. Nothing is stored until accepted. What the annotator rejected,
deleted or undid in an article is not proposed again there for the rest of the session (a language switch
included): the memory lives on the session, and the names the window learnt are re-read, never only grown.
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Optional

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.assist.gazetteer import entries
from ..core.assist.learning import pattern_of, rejected_patterns, remember_rejection
from ..core.assist.proposals import Proposal as Item, propose
from ..core.text.arabic import search_key
from ..core.store import ServerGone
from .annotate import AnnotationController
from .article_view import ArticleView
from .i18n import t
from .model_suggest import ModelMatch, ModelSuggester
from .session import Session
from .undo import AcceptSuggestions, AddEntity, AddQuote

# Other suggestions: a faint dotted overline (colour with alpha, drawn 1 px dotted); the current one: a dashed box.
QUOTE_COLOUR, ENTITY_COLOUR, CURRENT_COLOUR = "#809aa5b1", "#809aa5b1", "#3d5a80"
# A long article's suggestions are computed for this many characters either side of what is on screen (whole
# paragraphs), and again when the reader scrolls out of that region: the work per refresh stays the same however
# long the article is (a 1,000,000-character article froze the window for a minute).
LOCAL_REACH = 15_000


class AssistController(QObject):
    changed = Signal()

    def __init__(self, session: Session, view: ArticleView, controller: AnnotationController, parent=None):
        super().__init__(parent)
        self.session, self.view, self.controller = session, view, controller
        controller.assist = self
        self.enabled = True
        self._items: list[Item] = []
        self._stale = False
        self.rejected = session.dismissed  # doc key -> keys of what was rejected, deleted or undone there
        self._known: Optional[list[tuple[str, str]]] = None
        self._known_for: Optional[tuple[str, bool]] = None  # (annotator, may see others) the names were read for
        self._tagged: dict[int, set[tuple[str, str]]] = {}  # names tagged this session, per document, as they are
        self._shown: tuple[Optional[int], dict, dict] = (None, {}, {})  # doc key, its entities and quotes by id
        self.model = ModelSuggester(session, self)
        self.model.changed.connect(self.refresh)
        view.acceptPressed.connect(self.accept)
        view.acceptAllPressed.connect(self.accept_all)
        self._region = (0, 0)  # the part of the article the suggestions were computed for
        self._scrolled = QTimer(self, singleShot=True, interval=150)
        self._scrolled.timeout.connect(self._follow_scroll)
        view.verticalScrollBar().valueChanged.connect(lambda _: self._scrolled.start())
        session.documentOpened.connect(self._later)
        session.annotationsChanged.connect(self.refresh)
        if session.current is not None:  # a window rebuilt (language switch) shows the article's suggestions too
            self._later()

    def _later(self, *_) -> None:
        """A new article shows first; its suggestions are computed right after (or when first asked for)."""
        self._stale = True
        QTimer.singleShot(0, self._catch_up)

    def _catch_up(self) -> None:
        if self._stale:
            self.refresh()

    def region(self, text: str) -> tuple[int, int]:
        """Whole paragraphs within LOCAL_REACH of the middle of the screen; the whole text when it is short."""
        if len(text) <= 2 * LOCAL_REACH:
            return 0, len(text)
        lo, hi = self.view._visible_cp
        mid = (lo + hi) // 2
        a, b = max(0, mid - LOCAL_REACH), min(len(text), mid + LOCAL_REACH)
        a = text.rfind("\n", 0, a) + 1
        end = text.find("\n", b)
        return a, (len(text) if end < 0 else end)

    def _follow_scroll(self) -> None:
        """After a scroll in a long article: recompute once the screen has left the middle of the region."""
        cur = self.session.current
        if cur is None or not self.enabled or self._region == (0, len(cur.document.text)):
            return
        lo, hi = self.view._visible_cp
        a, b = self._region
        if lo < a + LOCAL_REACH // 3 and a > 0 or hi > b - LOCAL_REACH // 3 and b < len(cur.document.text):
            self.refresh()

    @property
    def items(self) -> list[Item]:
        if self._stale:
            self.refresh()
        return self._items

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.refresh()

    def known(self) -> list[tuple[str, str]]:
        """Gazetteer entries, read once per session (again when who is annotating, or whether they may see others'
        work, changes: a blind annotator's come from their own work, gold and the imported gazetteer only), plus
        the names tagged this session as they stand now: a name whose only span was deleted or undone is no
        longer known."""
        project, me = self.session.project, self.session.annotator
        reader = (me, project.can_see_others(me))
        if self._known is None or self._known_for != reader:
            self._known, self._known_for = entries(project, me), reader
        cur = self.session.current
        if cur is not None:
            self._tagged[cur.document.key] = {(e.text, e.label) for e in cur.entities}
        extra = set().union(*self._tagged.values()) - set(self._known)
        if not extra:
            return self._known
        return sorted(set(self._known) | extra, key=lambda x: (-len(x[0]), x))

    def _remember_removals(self, cur) -> None:
        """Entities and quotes gone from the article since the last look (deleted, or their adding undone) are
        dismissed there, like a rejection: the span, and for an entity its name anywhere in the article."""
        key = cur.document.key
        ents, quotes = {e.id: e for e in cur.entities}, {q.id: q for q in cur.quotes}
        last_key, last_ents, last_quotes = self._shown
        self._shown = (key, ents, quotes)
        if last_key != key:
            return
        dismissed = self.rejected.setdefault(key, set())
        for e in (e for i, e in last_ents.items() if i not in ents):
            dismissed |= {("entity", e.start, e.end, e.label), ("name", search_key(e.text), e.label)}
        for e in (e for i, e in ents.items() if i not in last_ents):
            dismissed.discard(("name", search_key(e.text), e.label))  # tagged again: the name is welcome again
        for q in (q for i, q in last_quotes.items() if i not in quotes):
            dismissed.add(("quote-span", q.start, q.end))

    def _dismissed(self, item: Item, dismissed: set[tuple]) -> bool:
        p = item.proposal
        if item.key in dismissed:
            return True
        if item.kind == "entity":
            return ("name", search_key(p.text), p.label) in dismissed
        return any(k[0] == "quote-span" and k[1] < p.end and p.start < k[2] for k in dismissed)

    def refresh(self, *_) -> None:
        try:
            self._refresh()
        except ServerGone:
            # Runs from timers and signals: on a lost server connection it must not raise in the event loop; no
            # suggestions until the next edit offers to reconnect.
            self._items = []
            self._paint()

    def _refresh(self) -> None:
        self._stale = False
        cur = self.session.current
        if cur is None or not self.enabled:
            self._items = []
            self._paint()
            return
        text = cur.document.text
        self._remember_removals(cur)
        rejected = self.rejected.get(cur.document.key, set())
        a, b = self._region = self.region(text)
        part = text[a:b]  # offsets shifted by a, and back
        ents = [replace(e, start=e.start - a, end=e.end - a) for e in cur.entities if a <= e.start and e.end <= b]
        quotes = [replace(q, start=q.start - a, end=q.end - a) for q in cur.quotes if q.start < b and a < q.end]
        items = [_shifted(p, a) for p in propose(part, ents, quotes, self.known(),
                                                 patterns=rejected_patterns(self.session.project))]
        # The model's span replaces the gazetteer's same span and label (it carries a confidence); any other
        # overlap with a name or an annotation is left to the annotator's earlier choice.
        model = {(m.start, m.end, m.label): m for m in self.model.suggestions()}
        items = [Item("entity", model.pop(i.key[1:])) if i.key[1:] in model else i for i in items]
        taken = [(e.start, e.end) for e in cur.entities] + [i.span for i in items if i.kind == "entity"]
        items += [Item("entity", m) for m in model.values() if not any(x < m.end and m.start < y for x, y in taken)]
        self._items = sorted((i for i in items if not self._dismissed(i, rejected)), key=lambda i: (i.span, i.kind))
        self._paint()

    @property
    def current(self) -> Optional[Item]:
        return self.items[0] if self.items else None

    def _paint(self) -> None:
        marks = [(s, e, QUOTE_COLOUR if i.kind == "quote" else ENTITY_COLOUR, False)
                 for i in self.items[1:] for s, e in [i.span]]
        if self.current is not None:
            s, e = self.current.span
            marks.append((s, e, CURRENT_COLOUR, True))
            p = self.current.proposal
            if isinstance(p, ModelMatch):
                self.session.hint.emit(t("Model suggestion: {label}, {pct}% confident; Enter accepts, Backspace "
                                         "rejects.", label=p.label, pct=round(p.confidence * 100)))
        self.view.set_marks(marks, "suggestions")
        self.changed.emit()

    def accept(self) -> None:
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return
        p = item.proposal
        if item.kind == "entity":
            self.session.undo_stack.push(AddEntity(self.session, cur.document.key, p.start, p.end, p.label))
        else:
            self.session.undo_stack.push(AddQuote(self.session, cur.document.key, p.start, p.end, kind=p.kind,
                                                  speaker=p.speaker, speaker_text=p.speaker_text, cue=p.cue))
        # Nothing stays selected, so the next Backspace rejects the next suggestion instead of deleting this one.
        self.session.select_entity(None)
        self.session.select_quote(None)
        self.session.hint.emit(t("Accepted; Enter accepts the next suggestion, Backspace rejects it."))

    def describe(self, item: Optional[Item] = None) -> str:
        """What accepting the current suggestion would store: the label, or the quote's speaker, cue and kind."""
        item = item or self.current
        if item is None:
            return ""
        p = item.proposal
        if item.kind == "entity":
            return t("Suggestion: «{name}» as {label}", name=p.text, label=p.label)
        text = self.session.current.document.text
        cue = text[p.cue[0]:p.cue[1]] if p.cue else "—"
        return t("Suggested quote: speaker {speaker}, cue {cue}, {kind}", speaker=p.speaker_text or "—", cue=cue,
                 kind=t(p.kind))

    def accept_all(self) -> int:
        """Shift+Enter: every suggestion like the current one (same entity label, or every quote) in this article,
        accepted as one undo step."""
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return 0
        same = [i for i in self.items if i.kind == item.kind
                and (item.kind == "quote" or i.proposal.label == item.proposal.label)]
        ents = [(i.proposal.start, i.proposal.end, i.proposal.label) for i in same if i.kind == "entity"]
        quotes = [dict(start=p.start, end=p.end, kind=p.kind, speaker=p.speaker, speaker_text=p.speaker_text,
                       cue=p.cue) for p in (i.proposal for i in same if i.kind == "quote")]
        if not self.session.undo_stack.push(AcceptSuggestions(self.session, cur.document.key, ents, quotes)):
            return 0
        self.session.select_entity(None)
        self.session.select_quote(None)
        self.session.hint.emit(t("Accepted {n} suggestions.", n=len(same)))
        return len(same)

    def accept_confident(self) -> int:
        """Accept every model suggestion of this article at or above the threshold (each one undoable)."""
        cur, threshold = self.session.current, self.model.threshold()
        if cur is None:
            return 0
        chosen = [i.proposal for i in self.items
                  if isinstance(i.proposal, ModelMatch) and i.proposal.confidence >= threshold]
        n = 0
        for p in chosen:
            n += bool(self.session.undo_stack.push(AddEntity(self.session, cur.document.key, p.start, p.end,
                                                             p.label)))
        self.session.select_entity(None)
        self.session.hint.emit(t("Accepted {n} model suggestion(s) at or above {pct}% confidence.", n=n,
                                 pct=round(threshold * 100)))
        return n

    def reject(self) -> None:
        item, cur = self.current, self.session.current
        if item is None or cur is None:
            return
        self.rejected.setdefault(cur.document.key, set()).add(item.key)
        p = item.proposal
        try:  # the project remembers the pattern: it is not proposed again, here or in any other article
            remember_rejection(self.session.project, pattern_of(cur.document.text, item.kind, p.start, p.end,
                                                                getattr(p, "cue", None), getattr(p, "label", "")))
        except (sqlite3.Error, OSError):
            pass  # a read-only or locked project: the rejection still holds for this session
        self.refresh()


def _shifted(item: Item, by: int) -> Item:
    """A proposal made on a slice of the article, moved back to the article's offsets."""
    p = item.proposal
    if item.kind == "quote":
        return Item(item.kind, replace(p, start=p.start + by, end=p.end + by, cue=(p.cue[0] + by, p.cue[1] + by)))
    return Item(item.kind, replace(p, start=p.start + by, end=p.end + by))
