"""Trained recognisers kept in the project (the `models` table) and the machine annotators that wrote sets with
them (`machine_annotators`). The store keeps the model's bytes and a few columns to list them without reading
them; app.core.learn.modelfile owns the format.

Part of Project (see app/core/store/__init__.py); like the rest of the store, the only place with SQL besides
schema.py.
"""
from __future__ import annotations

import json
from typing import Optional

from ..model import AnnotationError, GOLD
from .common import now
from .schema import atomic


class ModelsMixin:
    """Stored models and machine annotators; uses ProjectBase's connection and annotators."""

    def save_model(self, name: str, data: bytes, fmt: int, labels: list[str], metrics: dict) -> None:
        """Store (or replace) the model `name`, in one transaction."""
        with atomic(self.conn):
            self.conn.execute("INSERT OR REPLACE INTO models (name, created_at, format, labels, metrics, data) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (name, now(), fmt, json.dumps(labels, ensure_ascii=False),
                               json.dumps(metrics, ensure_ascii=False), data))

    def model_data(self, name: str) -> Optional[bytes]:
        row = self.conn.execute("SELECT data FROM models WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def model_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM models ORDER BY name")]

    def machine_annotators(self) -> dict[str, str]:
        """name -> what made its sets, of every annotator that is a model."""
        return dict(self.conn.execute("SELECT a.name, m.model FROM machine_annotators m "
                                      "JOIN annotators a ON a.key = m.annotator ORDER BY a.name"))

    def is_machine(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM machine_annotators m JOIN annotators a ON a.key = m.annotator "
                                 "WHERE a.name = ?", (name,)).fetchone() is not None

    def human_set_count(self, name: str) -> int:
        """How many sets `name` has (0 for a name nobody used)."""
        return self.conn.execute("SELECT count(*) FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                                 "WHERE a.name = ?", (name,)).fetchone()[0]

    def register_machine(self, name: str, model: str) -> None:
        """Make `name` a machine annotator (created if new). A person's name is refused: a model never writes
        into a person's sets (their work would be replaced), nor into gold."""
        if name == GOLD:
            raise AnnotationError("the gold set cannot be a model's")
        with atomic(self.conn):
            if not self.is_machine(name) and self.human_set_count(name):
                raise AnnotationError(f"{name!r} is an annotator with {self.human_set_count(name)} set(s) of their "
                                      f"own; a model writes under a name of its own (e.g. --as model-{name})")
            key = self._annotator_key(name, create=True)
            self.conn.execute("INSERT OR REPLACE INTO machine_annotators (annotator, model) VALUES (?, ?)",
                              (key, model))

    def documents_for_prediction(self, status: Optional[str] = None) -> list[int]:
        """Document keys in list order: all, or by what people have done with them. `todo`: no person (gold and
        machine annotators aside) has marked the document anything but todo; any other status: some person has
        a set with that status."""
        people = ("SELECT s.document FROM annotation_sets s JOIN annotators a ON a.key = s.annotator "
                  "WHERE a.role != 'gold' AND a.key NOT IN (SELECT annotator FROM machine_annotators) "
                  "AND s.status {op} ?")
        if status is None:
            return [r[0] for r in self.conn.execute("SELECT key FROM documents ORDER BY key")]
        if status == "todo":
            sql = f"SELECT key FROM documents WHERE key NOT IN ({people.format(op='!=')}) ORDER BY key"
        else:
            sql = f"SELECT key FROM documents WHERE key IN ({people.format(op='=')}) ORDER BY key"
        return [r[0] for r in self.conn.execute(sql, (status,))]
