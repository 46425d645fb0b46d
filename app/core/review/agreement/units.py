"""What counts as the same unit across annotators: quotes matched by overlap, stances by scope (document or quote
unit) and target, targets and speaker names compared by their Arabic match key. Feeds categorical agreement.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

from ...text import arabic
from ...model import DOCUMENT_SCOPE
from .inputs import DocAnnotations, SetRows

NO_SPEAKER = "\u2205"  # the speaker value of a quote attributed to nobody ("∅"); never a normalised name


# ---- units: quotes and stances matched across annotators -------------------------------------------------------------
@lru_cache(maxsize=65536)
def norm_text(text: str) -> str:
    """How target and speaker names compare: Arabic match key (no tashkeel/tatweel, alef forms folded), single
    spaces. Two annotators who typed "الناتو" and "النّاتو" named the same target."""
    return " ".join(arabic.normalize(text or "").split())


def quote_units(sets: Mapping[str, SetRows]) -> dict[str, dict[str, tuple[int, int]]]:
    """Match quotes across annotators: annotator -> {quote id: unit span}. Annotators in name order; each quote
    joins the unit (one quote per annotator per unit) whose reference span it overlaps the most, else starts a new
    unit with its own span as the reference. The reference span is the first annotator's quote."""
    units: list[tuple[int, int]] = []
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for ann in sorted(sets):
        rows = sets[ann]
        mine: dict[str, tuple[int, int]] = {}
        cands = []
        for qi, (_, s, e, _) in enumerate(rows.quotes):
            for ui, (us, ue) in enumerate(units):
                if s < ue and us < e:
                    cands.append((max(s, us) - min(e, ue), abs(s - us) + abs(e - ue), qi, ui))
        cands.sort()
        used_u: set[int] = set()
        for _, _, qi, ui in cands:
            qid = rows.quotes[qi][0]
            if qid not in mine and ui not in used_u:
                used_u.add(ui)
                mine[qid] = units[ui]
        for qid, s, e, _ in rows.quotes:
            if qid not in mine:
                mine[qid] = (s, e)
                units.append((s, e))
        out[ann] = mine
    return out


def document_units(doc: DocAnnotations, stance: dict, speaker: dict) -> None:
    """Add one document's stance and speaker units to unit -> {annotator: value} maps.

    Stance units: (doc, "document", target) for document-scope stances, (doc, quote unit span, target) for
    quote-scope ones, the target compared by norm_text. Speaker units: (doc, quote unit span), the value the
    normalised speaker text or NO_SPEAKER. An annotator who gives one unit two stances counts with the first."""
    qunits = quote_units(doc.sets)
    for ann, rows in doc.sets.items():
        spans = qunits[ann]
        for qid, _, _, speaker_text in rows.quotes:
            unit = speaker.setdefault((doc.key, spans[qid]), {})
            unit.setdefault(ann, norm_text(speaker_text) or NO_SPEAKER)
        for label, target_text, scope in rows.stances:
            where = DOCUMENT_SCOPE if scope == DOCUMENT_SCOPE else spans.get(scope)
            if where is None:  # a scope that names no quote: the store refuses it, an import might not
                continue
            stance.setdefault((doc.key, where, norm_text(target_text)), {}).setdefault(ann, label)
