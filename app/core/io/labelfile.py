"""The reader of a project's own label file (`tawsim init --labels FILE`): JSON or one label a line, every label
checked by the rules of app.core.labels, every problem `FILE:LINE`.

In io/ because it reads a file like the other readers (bounded lines, hostile JSON refused by io.jsontext); the
vocabulary it checks against lives below, in app.core.labels, where the store's label editor finds it too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..labels import DEFAULT_LABELS, is_colour, key_problem, palette_colour
from ..model import ENTITY, LABEL_KINDS, Label
from .jsontext import iter_array
from .source import SourceError, iter_lines, read_text

_FIELDS = ("name", "kind", "display", "color", "key")


class LabelFileError(ValueError):
    pass


def _json_label(i: int, item: object) -> Label:
    """One label of a JSON label file; ValueError says what is wrong with it."""
    if not isinstance(item, dict):
        raise ValueError("a label is a JSON object {name, kind, display, color, key}")
    unknown = [k for k in item if k not in _FIELDS]
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(repr, unknown))} (a label has {', '.join(_FIELDS)})")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError('needs a non-empty "name"')
    kind = item.get("kind", ENTITY)
    if kind not in LABEL_KINDS:
        raise ValueError(f"label {name!r}: unknown kind {kind!r} (one of {', '.join(LABEL_KINDS)})")
    display = item.get("display")
    if display is not None and not isinstance(display, str):
        raise ValueError(f"label {name!r}: \"display\" must be a string, got {display!r}")
    color = item.get("color")
    if color is not None and not isinstance(color, str):
        raise ValueError(f"label {name!r}: \"color\" must be a string \"#RRGGBB\", got {color!r}")
    key = item.get("key")
    if isinstance(key, int) and not isinstance(key, bool) and 0 <= key <= 9:
        key = str(key)
    if key is not None and not isinstance(key, str):
        raise ValueError(f"label {name!r}: \"key\" must be one character such as \"1\", got {key!r}")
    return Label(name.strip(), kind, display or "", color or palette_colour(i), key or "", i)


def _text_labels(path: Path) -> Iterator[tuple[int, Label]]:
    """(line, label) of a plain label file: NAME[<TAB>display[<TAB>colour[<TAB>key]]] a line, entity labels."""
    k = 0
    for n, line in iter_lines(path):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) > 4:
            raise SourceError(path, n, f"{len(parts)} tab-separated fields; a line is NAME, display, colour, key")
        yield n, Label(parts[0], ENTITY, parts[1] if len(parts) > 1 else "",
                       parts[2] if len(parts) > 2 and parts[2] else palette_colour(k), parts[3] if len(parts) > 3
                       else "", k)
        k += 1


def _located(path: Path) -> Iterator[tuple[str, Label]]:
    """(where, label) for each label of the file: `FILE:LINE` where the label is."""
    if path.suffix.lower() != ".json":
        for n, lab in _text_labels(path):
            yield f"{path}:{n}", lab
        return
    text = read_text(path)
    if not text.strip():
        raise SourceError(path, None, "empty label file")
    for k, line, item in iter_array(text, path, "label"):
        try:
            yield f"{path}:{line}", _json_label(k - 1, item)
        except ValueError as exc:
            raise LabelFileError(f"{path}:{line}: label #{k}: {exc}") from None


def read_label_file(path: str | Path) -> list[Label]:
    """Read labels from JSON (a list of {name, kind?, display?, color?, key?}) or from plain text
    (one label a line: NAME[<TAB>display[<TAB>colour[<TAB>key]]], entity labels).

    Every label is checked as the label editor checks it (a name without spaces, a "#RRGGBB" colour, a key of one
    character that its kind may use and no other label of the kind has): a label file is what every annotation
    of the project will be checked against. Kinds missing from the file keep their defaults, so a file of
    entity labels alone is enough.
    """
    path = Path(path)
    labels: list[Label] = []
    seen: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str], str] = {}
    try:
        for where, lab in _located(path):
            what = f"{where}: label {lab.name!r} ({lab.kind})"
            if any(c.isspace() for c in lab.name):
                raise LabelFileError(f"{where}: label name {lab.name!r} contains spaces")
            if (lab.kind, lab.name) in seen:
                raise LabelFileError(f"{what} is defined twice (first at {seen[lab.kind, lab.name]})")
            if not is_colour(lab.color):
                raise LabelFileError(f"{what}: colour {lab.color!r} is not a colour \"#RRGGBB\" (e.g. #f4a261)")
            why = key_problem(lab.kind, lab.key)
            if why:
                raise LabelFileError(f"{what}: {why}")
            if lab.key and (lab.kind, lab.key) in keys:
                raise LabelFileError(f"{what}: key {lab.key!r} is already the key of {keys[lab.kind, lab.key]}")
            seen[lab.kind, lab.name] = where
            if lab.key:
                keys[lab.kind, lab.key] = f"{lab.name!r}"
            labels.append(lab)
    except SourceError as exc:
        unreadable = exc.problem.startswith(("cannot read", "not valid UTF-8"))
        raise LabelFileError(f"{exc.path}{':' + str(exc.line) if exc.line else ''}: cannot read label file: "
                             f"{exc.problem}" if unreadable else str(exc)) from None
    if not labels:
        raise LabelFileError(f"{path}: the file lists no labels")
    given_kinds = {lab.kind for lab in labels}
    labels += [d for d in DEFAULT_LABELS if d.kind not in given_kinds]
    if not any(lab.kind == ENTITY for lab in labels):
        raise LabelFileError(f"{path}: no entity labels")
    return labels
