"""The project's label set: reading it (cached) and editing it. Renaming or removing a label carries every annotation
that uses it along in the same transaction, so a label edit never drops annotations.

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..labels import check_colour, key_problem
from ..model import ENTITY, QUOTE_KIND, STANCE, AnnotationError, Label
from .schema import atomic


class LabelsMixin:
    """Label reading and editing; uses ProjectBase's connection and `_touch`."""

    # ---- labels --------------------------------------------------------------------------------------------
    def labels(self, kind: Optional[str] = None) -> list[Label]:
        if self._labels_cache is None:
            rows = self.conn.execute(
                "SELECT name, kind, display, color, key, position FROM labels ORDER BY kind, position, name")
            self._labels_cache = [Label(*r) for r in rows]
        return [l for l in self._labels_cache if kind is None or l.kind == kind]

    def label_names(self, kind: str) -> set[str]:
        return {l.name for l in self.labels(kind)}

    def add_labels(self, labels: Iterable[Label]) -> None:
        with atomic(self.conn):
            for l in labels:
                check_colour(l.color)
                self.conn.execute("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)",
                                  (l.kind, l.name, l.display, l.color, l.key, l.position))
        self._labels_cache = None

    # ---- label editing -------------------------------------------------------------------------------------
    # Where each kind of label is used: renaming or removing one must carry its annotations along, never drop them.
    _LABEL_USES = {ENTITY: ("entities", "label"), STANCE: ("stances", "label"), QUOTE_KIND: ("quotes", "kind")}

    def _label(self, kind: str, name: str) -> Label:
        if kind not in self._LABEL_USES:
            raise AnnotationError(f"unknown label kind {kind!r}")
        row = self.conn.execute("SELECT name, kind, display, color, key, position FROM labels "
                                "WHERE kind = ? AND name = ?", (kind, name)).fetchone()
        if not row:
            raise AnnotationError(f"no {kind.replace('_', ' ')} label {name!r}")
        return Label(*row)

    def _check_label_name(self, kind: str, name: str) -> None:
        if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
            raise AnnotationError(f"label name {name!r} must be non-empty and without spaces")
        if self.conn.execute("SELECT 1 FROM labels WHERE kind = ? AND name = ?", (kind, name)).fetchone():
            raise AnnotationError(f"{kind.replace('_', ' ')} label {name!r} already exists")

    def _check_label_key(self, kind: str, key: str, exclude: Optional[str] = None) -> None:
        why = key_problem(kind, key)  # the rule a label file is read with too
        if why:
            raise AnnotationError(why)
        if key:
            row = self.conn.execute("SELECT name FROM labels WHERE kind = ? AND key = ? AND name IS NOT ?",
                                    (kind, key, exclude)).fetchone()
            if row:
                raise AnnotationError(f"key {key!r} is already used by {kind.replace('_', ' ')} label {row[0]!r}")

    def label_usage(self, kind: str, name: str) -> int:
        """How many annotations (entities, stances or quotes, by kind) carry this label, over all annotators."""
        table, col = self._LABEL_USES[kind]
        return self.conn.execute(f"SELECT count(*) FROM {table} WHERE {col} = ?", (name,)).fetchone()[0]

    def add_label(self, label: Label) -> Label:
        """Add one label after the others of its kind; refuses a name or key already taken in that kind."""
        with atomic(self.conn):
            if label.kind not in self._LABEL_USES:
                raise AnnotationError(f"unknown label kind {label.kind!r}")
            self._check_label_name(label.kind, label.name)
            self._check_label_key(label.kind, label.key)
            check_colour(label.color or "#999999")
            pos = self.conn.execute("SELECT COALESCE(max(position) + 1, 0) FROM labels WHERE kind = ?",
                                    (label.kind,)).fetchone()[0]
            self.conn.execute("INSERT INTO labels VALUES (?, ?, ?, ?, ?, ?)",
                              (label.kind, label.name, label.display, label.color or "#999999", label.key, pos))
        self._labels_cache = None
        return self._label(label.kind, label.name)

    def update_label(self, kind: str, name: str, *, display: Optional[str] = None, color: Optional[str] = None,
                     key: Optional[str] = None) -> Label:
        """Change a label's Arabic name, colour or key; returns the label as it was."""
        with atomic(self.conn):
            old = self._label(kind, name)
            if key is not None:
                self._check_label_key(kind, key, exclude=name)
            if color is not None:
                check_colour(color)  # #RRGGBB only: the window puts it into style sheets
            self.conn.execute("UPDATE labels SET display = ?, color = ?, key = ? WHERE kind = ? AND name = ?",
                              (old.display if display is None else display, old.color if color is None else color,
                               old.key if key is None else key, kind, name))
        self._labels_cache = None
        return old

    def rename_label(self, kind: str, old: str, new: str) -> None:
        """Rename a label and every annotation that carries it, in one transaction."""
        with atomic(self.conn):
            self._label(kind, old)
            if new == old:
                return
            self._check_label_name(kind, new)
            table, col = self._LABEL_USES[kind]
            self.conn.execute("UPDATE labels SET name = ? WHERE kind = ? AND name = ?", (new, kind, old))
            self._move_label_uses(table, col, old, new)
        self._labels_cache = None

    def remove_label(self, kind: str, name: str, replace_with: Optional[str] = None) -> int:
        """Remove a label. If annotations use it, `replace_with` (another label of the kind) must be given and they
        move to it first; without it the removal is refused. Returns how many annotations moved."""
        with atomic(self.conn):
            self._label(kind, name)
            n = self.label_usage(kind, name)
            if n and replace_with is None:
                raise AnnotationError(f"{kind.replace('_', ' ')} label {name!r} is used by {n} annotation(s); "
                                      f"choose a label to move them to")
            if replace_with is not None:
                if replace_with == name:
                    raise AnnotationError(f"cannot move annotations of {name!r} to itself")
                self._label(kind, replace_with)
            if self.conn.execute("SELECT count(*) FROM labels WHERE kind = ?", (kind,)).fetchone()[0] <= 1:
                raise AnnotationError(f"{name!r} is the last {kind.replace('_', ' ')} label; add another first")
            if n:
                self._move_label_uses(*self._LABEL_USES[kind], name, replace_with)
            self.conn.execute("DELETE FROM labels WHERE kind = ? AND name = ?", (kind, name))
        self._labels_cache = None
        return n

    def _move_label_uses(self, table: str, col: str, old: str, new: str) -> None:
        keys = [r[0] for r in self.conn.execute(f"SELECT DISTINCT set_key FROM {table} WHERE {col} = ?", (old,))]
        self.conn.execute(f"UPDATE {table} SET {col} = ? WHERE {col} = ?", (new, old))
        for sk in keys:
            self._touch(sk)
