"""Clearly broken CoNLL tags read as the tag they were meant to be, with the original kept for the way back.

Real corpora carry a few hand-typing slips that a strict reader would refuse whole; AQMAR (Arabic Wikipedia, CMU)
has `IO`, `OO`, `I--ORG` and `` B-MIS1` `` among its 74,000 tags. Refusing the file for one slip leaves a user with
nothing; guessing silently would hide it. So a tag is repaired only when what it was meant to be is not in doubt,
the import summary names the file, line and repair, and the reader keeps the original tag (`meta.conll_raw_tags`:
`[token offset, tag as written]`) so the CoNLL export writes it back and the file returns byte for byte.

The repairs (anything else that is not O or PREFIX-LABEL is still refused with FILE:LINE):

* a tag of two or three letters from B, I, O, with an O and no label (`OO`, `IO`, `OI`): read as `O`, since with
  no label it cannot name an entity;
* a prefix letter followed by more than one hyphen (`I--ORG`): read with one (`I-ORG`);
* stray quote or punctuation marks at either end of the label (`` B-MIS1` ``, `B-PER'`, `I-LOC.`): dropped.

Labels themselves are never renamed here (AQMAR's `MIS0`..`MIS3` are labels of its own; `--label-map` maps them).
"""
from __future__ import annotations

from typing import Optional

RAW_TAGS_KEY = "conll_raw_tags"  # [[token start offset, tag as the file wrote it], ...] for repaired tags only

_PREFIX_LETTERS = "BIESLU"
_STRAY = "`'\".,;:\u2019\u2018"


def repair_tag(tag: str) -> Optional[tuple[str, str]]:
    """(the tag meant, why) for a clearly broken tag (see the module docstring), else None."""
    if 2 <= len(tag) <= 3 and set(tag) <= set("BIO") and "O" in tag:
        return "O", "no label"
    if len(tag) < 3 or tag[0] not in _PREFIX_LETTERS or tag[1] != "-":
        return None
    label = tag[2:]
    why = []
    if label.startswith("-"):
        label = label.lstrip("-")
        why.append("extra hyphen")
    stripped = label.strip(_STRAY)
    if stripped != label:
        label = stripped
        why.append("stray mark")
    if not why or not label or not (label[0].isalnum() and label[-1].isalnum()):
        return None
    return f"{tag[0]}-{label}", " and ".join(why)


def restore_raw_tags(sentences: list[list[tuple[int, int]]], tags: list[list[str]], raw_tags) -> None:
    """Write each repaired tag as the file wrote it where the export would write the tag it was read as (so an
    edited or relabelled token gets its new tag, never the old slip)."""
    try:
        raw = {int(off): str(t) for off, t in raw_tags}
    except (TypeError, ValueError):
        return
    for sent, stags in zip(sentences, tags):
        for k, (s, _e) in enumerate(sent):
            original = raw.get(s)
            if original is not None:
                meant = repair_tag(original)
                if meant is not None and meant[0] == stags[k]:
                    stags[k] = original
