"""Linking mentions of one person in the window (entity clusters): L, then a click.

With a mention selected, `L` waits for the next click on another mention and links the two (as `Q` waits for a
quote's speaker); pressing `L` again instead accepts the suggested partner (the same name earlier, the full name
a family name repeats, the person a tagged title was given to: app.core.assist.clusters). `Shift+L` takes the
selected mention out of its cluster. Each link or unlink is one undo step over a core call that is one transaction.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QObject

from ..core.assist.clusters import suggest_links
from ..core.store import ClusterChange
from .i18n import t
from .session import Session
from .undo import _SessionCommand


class LinkMentions(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str, other_id: str):
        super().__init__(session, doc_key, t("Link mentions"))
        self.entity_id, self.other_id = entity_id, other_id
        self.change: Optional[ClusterChange] = None

    def _apply(self) -> None:
        if self.change is None:
            self.change = self.project.link_mentions(self.doc_key, self.annotator, self.entity_id, self.other_id)
        else:  # a redo: exactly what the link did, refused if those mentions changed since
            self.project.apply_cluster_change(self.doc_key, self.annotator, self.change)

    def _revert(self) -> None:
        self.project.apply_cluster_change(self.doc_key, self.annotator, self.change.reversed())


class UnlinkMention(_SessionCommand):
    def __init__(self, session: Session, doc_key: int, entity_id: str):
        super().__init__(session, doc_key, t("Unlink mention"))
        self.entity_id = entity_id
        self.change: Optional[ClusterChange] = None

    def _apply(self) -> None:
        if self.change is None:
            self.change = self.project.unlink_mention(self.doc_key, self.annotator, self.entity_id)
        else:
            self.project.apply_cluster_change(self.doc_key, self.annotator, self.change)

    def _revert(self) -> None:
        self.project.apply_cluster_change(self.doc_key, self.annotator, self.change.reversed())


class MentionLinks(QObject):
    """The L key and the click that completes it; owned by the AnnotationController."""

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.pending: Optional[str] = None  # the mention waiting for the click on its partner
        session.documentOpened.connect(self._forget)  # a bound method: a lambda would keep the session alive

    def _forget(self, *_) -> None:
        self.pending = None

    def suggested_partner(self, entity_id: str) -> Optional[str]:
        cur = self.session.current
        if cur is None:
            return None
        return next((b for a, b in suggest_links(cur.document.text, cur.entities) if a == entity_id), None)

    def key(self, shift: bool) -> None:
        cur = self.session.current
        ent = cur.entity(self.session.selected_entity) if cur and self.session.selected_entity else None
        if ent is None:
            self.pending = None
            self.session.hint.emit(t("Select a mention first, then press L (Shift+L: unlink it)."))
            return
        if shift:
            self.pending = None
            if ent.cluster is None:
                self.session.hint.emit(t("«{name}» is not linked to another mention.", name=ent.text))
            elif self.session.undo_stack.push(UnlinkMention(self.session, cur.document.key, ent.id)):
                self.session.hint.emit(t("«{name}» unlinked.", name=ent.text))
            return
        partner = self.suggested_partner(ent.id)
        if self.pending == ent.id and partner is not None:
            self.link(ent.id, partner)
            return
        self.pending = ent.id
        other = cur.entity(partner) if partner else None
        if other is not None:
            self.session.hint.emit(t("Click the mention of the same one to link «{name}» to it; L again links it to "
                                     "«{other}» (suggested).", name=ent.text, other=other.text))
        else:
            self.session.hint.emit(t("Click the mention of the same one to link «{name}» to it.", name=ent.text))

    def take_click(self, entity_id: Optional[str]) -> bool:
        """A click while L waits: link to the clicked mention. True if the click was used for that."""
        if self.pending is None:
            return False
        first, self.pending = self.pending, None
        if not entity_id or entity_id == first or self.session.current is None \
                or self.session.current.entity(first) is None:
            return False
        self.link(first, entity_id)
        return True

    def link(self, entity_id: str, other_id: str) -> None:
        cur = self.session.current
        a, b = cur.entity(entity_id), cur.entity(other_id)
        self.pending = None
        if a.cluster is not None and a.cluster == b.cluster:
            self.session.hint.emit(t("«{name}» and «{other}» are already linked.", name=a.text, other=b.text))
            return
        if self.session.undo_stack.push(LinkMentions(self.session, cur.document.key, entity_id, other_id)):
            self.session.hint.emit(t("«{name}» and «{other}» are one: linked.", name=a.text, other=b.text))
