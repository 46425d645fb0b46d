"""What the annotator's keys and clicks mean: entities, quotes (Q, C, K), stance keys, status and navigation.

Kept out of the main window so each action is one small, testable method that pushes one undo command.
Panels call the same methods, so mouse and keyboard paths cannot drift apart.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from ..core.model import DOCUMENT_SCOPE, DONE, FLAGGED, SKIPPED, STANCE, TODO
from ..core.assist.clitics import Snapper, vocabulary
from ..core.text.offsets import snap_to_words
from ..core.assist.reporting import cue_forms, is_reporting_verb
from ..core.text.arabic import normalize
from ..core.assist.tagall import plan_corpus, plan_document
from .article_view import ArticleView
from .clusters import MentionLinks
from .i18n import t
from .plain import confirm, plain
from .session import Session
from .undo import (AddEntity, AddQuote, AddStance, DeleteEntity, DeleteQuote, DeleteStance, RelabelEntity, SetStatus,
                   TagAll, UpdateQuote, UpdateStance)

QUOTE_MARKS = "«»“”\"'‘’„"
SPEAKER_LABELS = ("PER", "ORG")  # a click on one of these, with a quote selected, names the quote's speaker


class AnnotationController(QObject):
    def __init__(self, session: Session, view: ArticleView, parent=None):
        super().__init__(parent)
        self.session, self.view = session, view
        view.labelKeyPressed.connect(self.on_label_key)
        view.commandKeyPressed.connect(self.on_command_key)
        view.deleteRequested.connect(self.delete_selected)
        view.backspacePressed.connect(self.on_backspace)
        self.assist = None  # the suggestion controller, where the window has one
        self.notes = None  # the note editor (app.ui.notes), where the window has one
        self.next_chooser = None  # (current doc key) -> the next document, or None for list order (active learning)
        self._snapper: tuple[Optional[int], Optional[Snapper]] = (None, None)
        self.links = MentionLinks(session, self)  # L: mentions of one person (entity clusters)
        view.entityClicked.connect(self.on_entity_clicked)
        view.quoteClicked.connect(self.on_quote_clicked)
        view.escapePressed.connect(self.clear_selection)
        session.selectionChanged.connect(view.set_selected_entity)
        session.quoteSelected.connect(view.set_selected_quote)

    def _push(self, cmd) -> bool:
        """True if the edit was made (the session's stack refuses edits that fail or a read-only window)."""
        return self.session.undo_stack.push(cmd)

    @property
    def cur(self):
        return self.session.current

    def snapper(self) -> Snapper:
        """Clitic-aware snapping that knows this article's words, the gazetteer's names and the cue verbs."""
        key = self.cur.document.key if self.cur else None
        if self._snapper[0] != key:
            texts = [self.cur.document.text] if self.cur else []
            names = [t for t, _ in self.session.project.gazetteer_entries()]
            self._snapper = (key, Snapper(known=vocabulary(texts + names + cue_forms()),
                                          names=frozenset(normalize(n) for n in names if " " in n)))
        return self._snapper[1]

    def _selection(self, raw: Optional[bool] = None, clitics: bool = True) -> Optional[tuple[int, int]]:
        """The selected text in code points, snapped to whole words (and without proclitics such as و، ب، لل)
        unless Alt was held; None if empty."""
        sel = self.view.selection_cp()
        if not sel or self.cur is None:
            return None
        start, end = sel
        if not (raw if raw is not None else self.view.alt_selection):
            text = self.cur.document.text
            start, end = self.snapper().snap(text, start, end) if clitics else snap_to_words(text, start, end)
        return (start, end) if start < end else None

    # ---- entities ------------------------------------------------------------------------------------------
    def on_label_key(self, key: str, raw: bool) -> None:
        label = next((l for l in self.session.project.labels("entity") if l.key == key), None)
        if label is not None:
            self.apply_label(label.name, raw=raw)

    def apply_label(self, label: str, raw: Optional[bool] = None) -> None:
        """Label the selected text, or relabel the selected span."""
        cur = self.cur
        if cur is None:
            return
        if self.view.selection_cp():
            sel = self._selection(raw)
            self.view.clear_selection()
            if sel is None:
                return
            same = next((e for e in cur.entities if (e.start, e.end) == sel), None)
            if same is not None:
                if same.label != label:
                    self._push(RelabelEntity(self.session, cur.document.key, same.id, same.label, label))
                self.session.select_entity(same.id)
            else:
                self._push(AddEntity(self.session, cur.document.key, sel[0], sel[1], label))
            return
        ent = cur.entity(self.session.selected_entity) if self.session.selected_entity else None
        if ent is not None and ent.label != label:
            self._push(RelabelEntity(self.session, cur.document.key, ent.id, ent.label, label))

    def on_entity_clicked(self, entity_id: Optional[str]) -> None:
        if self.links.take_click(entity_id):
            return
        if entity_id and self.session.pending_speaker and self.session.quote(self.session.pending_speaker):
            qid, self.session.pending_speaker = self.session.pending_speaker, None
            self.set_speaker(qid, entity_id=entity_id)
            return
        q = self.session.quote(self.session.selected_quote)
        ent = self.cur.entity(entity_id) if entity_id and self.cur else None
        if q is not None and ent is not None and ent.label in SPEAKER_LABELS and not (
                q.start <= ent.start and ent.end <= q.end):
            # A quote is selected and a person/organisation outside it is clicked: that is its speaker now.
            self.set_speaker(q.id, entity_id=ent.id)
            self.session.hint.emit(t("Speaker set to {name}.", name=ent.text))
            return
        if entity_id is None:
            self.session.select_quote(None)  # a click on plain text lets go of the quote too
        self.session.select_entity(entity_id)

    def on_quote_clicked(self, quote_id: str) -> None:
        self.session.select_entity(None)
        self.session.select_quote(quote_id)

    def clear_selection(self) -> None:
        self.session.pending_speaker = None
        self.session.select_entity(None)
        self.session.select_quote(None)

    def on_backspace(self) -> None:
        """Backspace deletes what is selected; with nothing selected it rejects the current suggestion."""
        if self.session.selected_entity or self.session.quote(self.session.selected_quote):
            self.delete_selected()
        elif self.assist is not None:
            self.assist.reject()

    def delete_selected(self) -> None:
        cur = self.cur
        if cur is None:
            return
        ent = cur.entity(self.session.selected_entity) if self.session.selected_entity else None
        if ent is not None:
            self._push(DeleteEntity(self.session, cur.document.key, ent.id, ent.label))
            self.session.select_entity(None)
        elif self.session.quote(self.session.selected_quote):
            self.delete_quote(self.session.selected_quote)

    def tag_all(self, corpus: bool = False) -> int:
        """T: tag every other occurrence of the selected span's name in this article; Shift+T: in the whole
        corpus, after showing how many. One undoable step; already-tagged text is left alone."""
        cur = self.cur
        ent = cur.entity(self.session.selected_entity) if cur and self.session.selected_entity else None
        if ent is None:
            self.session.hint.emit(t("Select a tagged span first, then press T (Shift+T: whole corpus)."))
            return 0
        project, me = self.session.project, self.session.annotator
        plan = (plan_corpus(project, me, ent.text, ent.label) if corpus
                else plan_document(project, me, cur.document.key, ent.text, ent.label))
        if not plan.spans:
            self.session.hint.emit(t("No other untagged occurrence of {name}.", name=ent.text))
            return 0
        if corpus and QMessageBox.question(
                self.view, t("Tag all occurrences"),
                plain(t("Tag {n} occurrences of {name} as {label} in {docs} documents?", n=len(plan.spans),
                        name=ent.text, label=ent.label, docs=plan.documents)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes) != QMessageBox.StandardButton.Yes:
            return 0
        self._push(TagAll(self.session, plan, cur.document.key))
        self.session.hint.emit(t("Tagged {n} occurrences.", n=len(plan.spans)))
        return len(plan.spans)

    # ---- quotes --------------------------------------------------------------------------------------------
    def command_keys(self) -> dict[str, tuple[str, object]]:
        """Letter key -> (what it does, in the interface language; the action(shift, alt)). The one table the key
        handler runs and the shortcut sheet (F1) lists, so the sheet cannot go stale."""
        return {
            "q": (t("Quote the selected text (then click its speaker)"), lambda shift, alt: self.add_quote(raw=alt)),
            "c": (t("Cue verb of the selected quote: the selected word"),
                  lambda shift, alt: self.set_cue_from_selection(raw=alt)),
            "k": (t("Direct ↔ indirect quote"), lambda shift, alt: self.toggle_kind()),
            "t": (t("Tag every other occurrence of the selected span (Shift: whole corpus)"),
                  lambda shift, alt: self.tag_all(corpus=shift)),
            **({"m": (t("Note on the selected span or quote (why this label; a doubt for the reviewer)"),
                      lambda shift, alt: self.notes.edit())} if self.notes is not None else {}),
            "l": (t("Link the selected mention to the next one clicked, L again: to the suggested one (Shift: unlink)"),
                  lambda shift, alt: self.links.key(shift)),
        }

    def on_command_key(self, key: str, shift: bool, alt: bool) -> None:
        command = self.command_keys().get(key)
        if command is not None:
            command[1](shift, alt)
        else:
            label = next((l for l in self.session.project.labels(STANCE) if l.key == key), None)
            if label is not None:
                self.stance_key(label.name, document=shift)

    def guess_kind(self, start: int, end: int) -> str:
        """Direct when the selection sits inside quotation marks, indirect otherwise (editable afterwards)."""
        text = self.cur.document.text
        before, after = text[max(0, start - 2):start], text[end:end + 2]
        inside = text[start:end]
        if any(c in QUOTE_MARKS for c in before) and any(c in QUOTE_MARKS for c in after):
            return "direct"
        if inside[:1] in QUOTE_MARKS and inside[-1:] in QUOTE_MARKS:
            return "direct"
        return "indirect"

    def add_quote(self, raw: bool = False) -> Optional[str]:
        """Q: the selection becomes a quote; the next click on an entity names its speaker."""
        sel = self.view.selection_cp()
        if not sel or self.cur is None:
            self.session.hint.emit(t("Select the quoted text, then press Q."))
            return None
        start, end = sel
        if not raw:
            # Quotes keep their own punctuation but not surrounding blanks.
            text = self.cur.document.text
            start, end = snap_to_words(text, start, end)
        self.view.clear_selection()
        if start >= end:
            return None
        cmd = AddQuote(self.session, self.cur.document.key, start, end, kind=self.guess_kind(start, end))
        self._push(cmd)
        self.session.pending_speaker = cmd.quote_id
        self.session.hint.emit(t("Click the speaker's entity (or type a name in the Quotes panel); C marks the cue."))
        return cmd.quote_id

    def _quote_or_hint(self):
        q = self.session.quote(self.session.selected_quote)
        if q is None:
            self.session.hint.emit(t("Select a quote first (click it, or pick it in the Quotes panel)."))
        return q

    def set_cue_from_selection(self, raw: bool = False) -> None:
        q = self._quote_or_hint()
        sel = self._selection(raw)
        if q is None or sel is None:
            return
        word = self.cur.document.text[sel[0]:sel[1]]
        question = t("«{word}» is not a known reporting verb. Make it the cue anyway?", word=word)
        if not is_reporting_verb(word) and not confirm(self.view, t("Set cue"), question):
            self.view.clear_selection()
            return
        self.view.clear_selection()
        self._push(UpdateQuote(self.session, self.cur.document.key, q.id, t("Set cue"), cue=sel))

    def set_speaker(self, quote_id: str, entity_id: Optional[str] = None, name: str = "") -> None:
        """Link the speaker to an entity span, or (no entity) record a typed name."""
        q = self.session.quote(quote_id)
        if q is None:
            return
        if entity_id is not None:
            if q.speaker == entity_id:
                return
            self._push(UpdateQuote(self.session, self.cur.document.key, quote_id, t("Set speaker"),
                                   speaker=entity_id))
        elif (q.speaker, q.speaker_text) != (None, name):
            self._push(UpdateQuote(self.session, self.cur.document.key, quote_id, t("Set speaker"), speaker=None,
                                   speaker_text=name))

    def set_kind(self, quote_id: str, kind: str) -> None:
        q = self.session.quote(quote_id)
        if q is not None and q.kind != kind:
            self._push(UpdateQuote(self.session, self.cur.document.key, quote_id, t("Set quote kind"), kind=kind))

    def toggle_kind(self) -> None:
        q = self._quote_or_hint()
        if q is not None:
            self.set_kind(q.id, "indirect" if q.kind == "direct" else "direct")

    def clear_cue(self, quote_id: str) -> None:
        q = self.session.quote(quote_id)
        if q is not None and q.cue is not None:
            self._push(UpdateQuote(self.session, self.cur.document.key, quote_id, t("Set cue"), cue=None))

    def delete_quote(self, quote_id: str) -> None:
        if self.session.quote(quote_id) is not None:
            self._push(DeleteQuote(self.session, self.cur.document.key, quote_id))
            self.session.select_quote(None)

    # ---- stance --------------------------------------------------------------------------------------------
    def stance_for(self, scope: str, target: Optional[str] = None, target_text: Optional[str] = None):
        """The existing stance in `scope` toward the same target (entity id, else typed text), if any."""
        for st in self.cur.stances if self.cur else []:
            if st.scope != scope:
                continue
            if scope != DOCUMENT_SCOPE:
                return st  # one stance per quote
            if (target is not None and st.target == target) or (target is None and st.target is None
                                                                 and st.target_text == (target_text or "")):
                return st
        return None

    def set_stance(self, label: str, scope: str = DOCUMENT_SCOPE, target: Optional[str] = None,
                   target_text: str = "") -> None:
        """Set (add or change) the stance in `scope` toward a target; a quote has at most one stance."""
        if self.cur is None:
            return
        existing = self.stance_for(scope, target, target_text)
        key = self.cur.document.key
        if existing is None:
            self._push(AddStance(self.session, key, label, target, target_text, scope))
        elif scope != DOCUMENT_SCOPE and (existing.target, existing.target_text) != (target, target_text) \
                and (target is not None or target_text):
            self._push(UpdateStance(self.session, key, existing.id, label=label, target=target,
                                    target_text=target_text))
        elif existing.label != label:
            self._push(UpdateStance(self.session, key, existing.id, label=label))

    def delete_stance(self, stance_id: str) -> None:
        if self.cur is not None and any(s.id == stance_id for s in self.cur.stances):
            self._push(DeleteStance(self.session, self.cur.document.key, stance_id))

    def default_target(self) -> tuple[Optional[str], str]:
        """The article's first stance target: a quote's stance is usually toward the same thing."""
        for st in self.cur.stances if self.cur else []:
            if st.scope == DOCUMENT_SCOPE:
                return st.target, st.target_text
        return None, ""

    def stance_key(self, label: str, document: bool = False) -> None:
        """F/A/N/U: stance of the selected quote (toward its target), or of the article toward the selected
        entity (Shift, or when no quote is selected)."""
        if self.view.selection_cp() and self.cur is not None:
            # Text just selected (Shift+arrows, a drag) names the target, not whatever was clicked before.
            ent = self._entity_of_selection()
            if ent is None:
                self.session.hint.emit(t("The selected text is not a tagged span: tag it first, then press the "
                                         "stance key."))
                return
            self.view.clear_selection()
            self.session.select_quote(None)
            self.session.select_entity(ent.id)
            document = True
        q = self.session.quote(self.session.selected_quote)
        ent = self.cur.entity(self.session.selected_entity) if self.cur and self.session.selected_entity else None
        if q is not None and not document:
            existing = self.stance_for(q.id)
            target, text = (existing.target, existing.target_text) if existing else self.default_target()
            self.set_stance(label, q.id, target, text)
        elif ent is not None:
            self.set_stance(label, DOCUMENT_SCOPE, ent.id, ent.text)
        else:
            self.session.hint.emit(t("Select a target entity (or a quote) first, then press the stance key."))

    def _entity_of_selection(self):
        """The span the text selection names: the one it snaps to exactly, else the innermost one covering it."""
        sel = self._selection()
        if sel is None:
            return None
        ents = self.cur.entities
        exact = [e for e in ents if (e.start, e.end) == sel]
        covering = [e for e in ents if e.start <= sel[0] and sel[1] <= e.end]
        hits = exact or covering
        return min(hits, key=lambda e: (e.end - e.start, e.id)) if hits else None

    # ---- status and navigation ------------------------------------------------------------------------------
    def _set_status_and_advance(self, status: str, comment: Optional[str] = None) -> Optional[int]:
        cur = self.cur
        if cur is None:
            return None
        if not self._push(SetStatus(self.session, cur.document.key, status, comment)):
            return None  # not saved: stay on the document
        # The annotator's next assigned, unfinished document first (`tawsim assign`), then the usual choice.
        nxt = self.session.project.next_assigned_document(cur.document.key, self.session.annotator)
        if nxt is None and self.next_chooser:
            nxt = self.next_chooser(cur.document.key)
        if nxt is None:
            nxt = self.session.project.next_document(cur.document.key, self.session.annotator, (TODO,))
        if nxt is not None:
            self.session.open_document(nxt)
        else:
            self.session.hint.emit(t("All documents are done."))
        return nxt

    def done_and_next(self) -> Optional[int]:
        return self._set_status_and_advance(DONE)

    def skip(self) -> Optional[int]:
        return self._set_status_and_advance(SKIPPED)

    def flag(self, comment: str) -> Optional[int]:
        return self._set_status_and_advance(FLAGGED, comment)

    def go(self, step: int) -> None:
        """Next (+1) or previous (-1) document in list order."""
        cur = self.cur
        if cur is None:
            return
        nxt = self.session.project.neighbour_document(cur.document.key, step)
        if nxt is not None:
            self.session.open_document(nxt)
