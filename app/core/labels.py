"""The default label set and the reader for a project's own label file (`tawsim init --labels FILE`)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .model import ENTITY, LABEL_KINDS, QUOTE_KIND, STANCE, AnnotationError, Label

# Colours are chosen to stay distinguishable on white and to keep black label text readable.
DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PER", ENTITY, "شخص", "#f4a261", "1", 0),
    Label("ORG", ENTITY, "منظمة", "#8ecae6", "2", 1),
    Label("LOC", ENTITY, "مكان", "#90be6d", "3", 2),
    Label("GPE", ENTITY, "كيان جغرافي سياسي", "#c3b1e1", "4", 3),
    Label("DATE", ENTITY, "تاريخ", "#ffd166", "5", 4),
    Label("EVENT", ENTITY, "حدث", "#ef8a8a", "6", 5),
    Label("MISC", ENTITY, "متفرقات", "#cfcfcf", "7", 6),
    Label("favor", STANCE, "مؤيد", "#2a9d8f", "f", 0),
    Label("against", STANCE, "معارض", "#e76f51", "a", 1),
    Label("neutral", STANCE, "محايد", "#8d99ae", "n", 2),
    Label("unclear", STANCE, "غير واضح", "#bcbcbc", "u", 3),
    Label("direct", QUOTE_KIND, "مباشر", "#264653", "d", 0),
    Label("indirect", QUOTE_KIND, "غير مباشر", "#6d597a", "i", 1),
)

_PALETTE = ("#f4a261", "#8ecae6", "#90be6d", "#c3b1e1", "#ffd166", "#ef8a8a", "#cfcfcf", "#a3d9b1", "#f7b7d2",
            "#b5c7f2", "#e9c46a", "#9bd1d1")


COLOUR_FORMAT = re.compile(r"#[0-9A-Fa-f]{6}")


def check_colour(colour: object) -> str:
    """Return `colour` if it is #RRGGBB (six hex digits), else raise AnnotationError. The one rule for a label
    colour at every entry point (label files, the label editor, the store): the window puts colours into Qt style
    sheets, where anything else (`url(/etc/passwd)`, `;` and more rules) would be read as style, not colour."""
    if not isinstance(colour, str) or not COLOUR_FORMAT.fullmatch(colour):
        raise AnnotationError(f"a label colour is #RRGGBB (six hex digits, e.g. #f4a261), got {colour!r}")
    return colour


def palette_colour(i: int) -> str:
    return _PALETTE[i % len(_PALETTE)]


class LabelFileError(ValueError):
    pass


def read_label_file(path: str | Path) -> list[Label]:
    """Read labels from JSON (a list of {name, kind?, display?, color?, key?}) or from plain text
    (one label a line: NAME[<TAB>display[<TAB>colour[<TAB>key]]], entity labels).

    Kinds missing from the file keep their defaults, so a file of entity labels alone is enough.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelFileError(f"{path}: cannot read label file: {exc}") from exc
    labels: list[Label] = []
    if path.suffix.lower() == ".json":
        try:
            items = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LabelFileError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
        if not isinstance(items, list):
            raise LabelFileError(f"{path}:1: expected a JSON list of labels")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
                raise LabelFileError(f"{path}: label #{i + 1}: needs a non-empty \"name\"")
            kind = item.get("kind", ENTITY)
            if kind not in LABEL_KINDS:
                raise LabelFileError(f"{path}: label {item['name']!r}: unknown kind {kind!r}")
            labels.append(Label(item["name"].strip(), kind, item.get("display", ""),
                                item.get("color") or palette_colour(i), str(item.get("key", "")), i))
    else:
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("\t")]
            name = parts[0]
            if any(c.isspace() for c in name):
                raise LabelFileError(f"{path}:{n}: label name {name!r} contains spaces")
            labels.append(Label(name, ENTITY, parts[1] if len(parts) > 1 else "",
                                parts[2] if len(parts) > 2 and parts[2] else palette_colour(len(labels)),
                                parts[3] if len(parts) > 3 else "", len(labels)))
    seen: set[tuple[str, str]] = set()
    for lab in labels:
        try:
            check_colour(lab.color)
        except AnnotationError as exc:
            raise LabelFileError(f"{path}: label {lab.name!r}: {exc}") from exc
        if (lab.kind, lab.name) in seen:
            raise LabelFileError(f"{path}: label {lab.name!r} ({lab.kind}) is defined twice")
        seen.add((lab.kind, lab.name))
    given_kinds = {lab.kind for lab in labels}
    labels += [d for d in DEFAULT_LABELS if d.kind not in given_kinds]
    if not any(lab.kind == ENTITY for lab in labels):
        raise LabelFileError(f"{path}: no entity labels")
    return labels


__all__ = ["DEFAULT_LABELS", "read_label_file", "LabelFileError", "palette_colour", "check_colour", "STANCE",
           "QUOTE_KIND"]
