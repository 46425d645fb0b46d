"""Stances and quote kinds as Label Studio choices from a closed set, which its editor shows and keeps on re-save.

Earlier exports put every stance into one task-level `choices` item as a one-off string
(`stance:favor@واشنطن[14:20]#23:37`): the editor shows such a list as 126 checkboxes nobody can read, and a config
made before the tasks cannot name them. Now (checked against Label Studio 1.23.2, README "Formats"):

* the article's stance toward an entity: a per-region choice `stance` (favor / against / neutral / unclear, the
  project's stance labels) on that entity's region (`perRegion="true"`: the result item has the region's id and
  its offsets, which Label Studio keeps);
* a quote's stance: the same per-region `stance` choice on the quote's region, and its target a relation `target`
  from the quote to the entity;
* the article's stance with no target: the task-level single choice `article_stance`;
* a quote's kind: a per-region choice `quote_kind` (direct / indirect) on the quote's region.

What a closed set cannot say (a target named by free text only, or a target text that differs from the linked
entity's own text, or a second stance on one region) keeps the old string in the task-level choices item
`stance_text`; reading accepts that, and the old `stance` item, as before.
"""
from __future__ import annotations

from typing import Any, Optional
from xml.sax.saxutils import quoteattr

from ..text.offsets import Utf16Map
from .interop import CUE_LABEL, CUE_REL, QUOTE_LABEL, SPEAKER_REL, stance_choice

STANCE_CONTROL = "stance"  # per region: an entity's (article stance toward it) or a quote's stance
KIND_CONTROL = "quote_kind"  # per region: a quote's kind
ARTICLE_CONTROL = "article_stance"  # task level: the article's stance without a target
TEXT_CONTROL = "stance_text"  # task level: what the closed set cannot say, as the old strings
TARGET_REL = "target"  # quote region -> entity region: the target of the quote's stance
DEFAULT_KINDS = ("direct", "indirect")


def _region_choice(control: str, region_id: str, start: int, end: int, u16: Utf16Map, text: str,
                   choice: str) -> dict:
    return {"id": region_id, "from_name": control, "to_name": "text", "type": "choices", "origin": "manual",
            "value": {"start": u16.to_utf16(start), "end": u16.to_utf16(end), "text": text[start:end],
                      "choices": [choice]}}


def closed_choices(rec: dict, u16: Utf16Map) -> tuple[list[dict], list[str]]:
    """Result items (per-region and task-level choices, `target` relations) for the record's stances and quote
    kinds, and the old-style strings of the stances they cannot express, in stance order."""
    text = rec["text"]
    ents = {str(e["id"]): e for e in rec.get("entities") or []}
    quotes = {str(q["id"]): q for q in rec.get("quotes") or []}
    items: list[dict] = []
    legacy: list[str] = []
    for qid, q in quotes.items():
        items.append(_region_choice(KIND_CONTROL, qid, q["start"], q["end"], u16, text, q.get("kind") or "direct"))
    taken: set[str] = set()
    for st in rec.get("stances") or []:
        target = ents.get(str(st.get("target") or ""))
        tt = st.get("target_text") or ""
        target_ok = target is not None and tt in ("", target["text"])
        scope = st.get("scope") or "document"
        region: Optional[dict] = None
        rel = None
        if scope == "document" and target_ok:
            region = target
        elif scope == "document" and target is None and not tt:
            if ARTICLE_CONTROL not in taken:
                taken.add(ARTICLE_CONTROL)
                items.append({"id": ARTICLE_CONTROL, "from_name": ARTICLE_CONTROL, "to_name": "text",
                              "type": "choices", "origin": "manual", "value": {"choices": [st["label"]]}})
                continue
        elif scope in quotes and (target_ok or (target is None and not tt)):
            region = quotes[scope]
            rel = str(target["id"]) if target is not None else None
        if region is None or str(region["id"]) in taken:
            legacy.append(stance_choice(st, ents, quotes))
            continue
        rid = str(region["id"])
        taken.add(rid)
        items.append(_region_choice(STANCE_CONTROL, rid, region["start"], region["end"], u16, text, st["label"]))
        if rel is not None:
            items.append({"from_id": rid, "to_id": rel, "type": "relation", "direction": "right",
                          "labels": [TARGET_REL]})
    return items, legacy


def is_closed_choice(item: dict) -> bool:
    """A result item this module reads (rather than the old document-label strings)."""
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    name = item.get("from_name")
    return (name in (STANCE_CONTROL, KIND_CONTROL) and "start" in value) or name == ARTICLE_CONTROL


def apply_closed_choices(raw: dict, items: list[tuple[str, dict]], targets: dict[str, str],
                         region_at: Any) -> list[str]:
    """Add to `raw` (entities and quotes keyed by their region ids) the stances and kinds of the closed-choice
    items, in result order. `items`: (what, item) pairs; `targets`: quote region id -> entity region id;
    `region_at(value)`: the (start, end) in code points of a per-region item's offsets. Returns notes for what
    names a region that is not there (deleted in Label Studio): left out, never a reason to refuse the file."""
    ents = {e["id"]: e for e in raw["entities"]}
    quotes = {q["id"]: q for q in raw["quotes"]}
    by_offsets = {**{(e["start"], e["end"]): e["id"] for e in raw["entities"]},
                  **{(q["start"], q["end"]): q["id"] for q in raw["quotes"]}}
    closed: list[dict] = []
    notes: list[str] = []
    for what, item in items:
        value = item["value"]
        choices = value.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) and c for c in choices):
            raise ValueError(f"{what}: value.choices must be a list of choice names")
        name = item["from_name"]
        if name == ARTICLE_CONTROL:
            closed += [{"label": c, "scope": "document"} for c in choices]
            continue
        rid = str(item.get("id"))
        if rid not in ents and rid not in quotes:
            rid = by_offsets.get(region_at(value), rid)
        if name == KIND_CONTROL:
            if rid in quotes and choices:
                quotes[rid]["kind"] = choices[0]
            else:
                notes.append(f"{what}: a quote kind for a region that is not a {QUOTE_LABEL} span (deleted?); "
                             f"left out")
        elif rid in ents:
            closed += [{"label": c, "target": rid, "scope": "document"} for c in choices]
        elif rid in quotes:
            tgt = targets.get(rid)
            closed += [{"label": c, "scope": rid, **({"target": tgt} if tgt in ents else {})} for c in choices]
        else:
            notes.append(f"{what}: a stance for a region that is not in the annotation (deleted?); left out")
    raw["stances"] = closed + raw["stances"]
    return notes


def labeling_config(labels: list[str], legacy: list[str], stance_labels: list[str], kinds: list[str]) -> str:
    """The Label Studio labeling config for what the tasks hold: one Labels tag (`label`) with the entity labels,
    QUOTE and CUE; the speaker, cue and target relations; the closed stance and quote-kind choices (per region,
    shown when a region is selected) and the article's stance; and, only if the tasks need it, `stance_text` with
    the old-style strings, so Label Studio accepts the import and keeps every choice when an annotation is
    re-saved."""
    names = list(dict.fromkeys([*labels, QUOTE_LABEL, CUE_LABEL]))
    stances = list(dict.fromkeys(stance_labels))
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(n)}/>" for n in names]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>', "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(r)}/>" for r in (SPEAKER_REL, CUE_REL, TARGET_REL)]
    lines += ["  </Relations>",
              '  <Header value="Article stance (no target)"/>',
              f'  <Choices name="{ARTICLE_CONTROL}" toName="text" choice="single" showInline="true">']
    lines += [f"    <Choice value={quoteattr(c)}/>" for c in stances]
    lines += ["  </Choices>", '  <View visibleWhen="region-selected">',
              '    <Header value="Stance (the article toward this entity, or this quote\'s)"/>',
              f'    <Choices name="{STANCE_CONTROL}" toName="text" perRegion="true" choice="single" '
              f'showInline="true">']
    lines += [f"      <Choice value={quoteattr(c)}/>" for c in stances]
    lines += ["    </Choices>", '    <Header value="Quote kind (quotes only)"/>',
              f'    <Choices name="{KIND_CONTROL}" toName="text" perRegion="true" choice="single" showInline="true">']
    lines += [f"      <Choice value={quoteattr(k)}/>" for k in dict.fromkeys([*DEFAULT_KINDS, *kinds])]
    lines += ["    </Choices>", "  </View>"]
    legacy = list(dict.fromkeys(legacy))
    if legacy:
        lines.append(f'  <Choices name="{TEXT_CONTROL}" toName="text" choice="multiple">')
        lines += [f"    <Choice value={quoteattr(c)}/>" for c in legacy]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"
