"""What the span formats (Prodigy, doccano, Label Studio, spaCy) share: Tawsim's quotes and stances as spans,
relations and document labels, and back; label maps; export options and results.

The mapping (documented in README.md, "Formats"), chosen so that every field survives a round trip:

* an entity is a span with its label;
* a quote is a span labelled `QUOTE`; its speaker link is a relation `speaker` from the quote span to the speaker's
  entity span; its cue is a span labelled `CUE` with a relation `cue` from the quote span to it;
* a document label (doccano `cats`, Label Studio `choices`, Prodigy `accept`) carries what has no span:
  - `stance:LABEL` a document stance; `stance:LABEL@TARGET TEXT` with a target; `...[S:E]` after the target text
    when the target is linked to the entity at [S, E); `...#S:E` at the end when the stance is scoped to the quote
    at [S, E) instead of the whole document;
  - `quote_kind:KIND#S:E` the kind of the quote at [S, E) when it is not `direct` (a quote with no such label is
    direct);
  - `quote_speaker:TEXT#S:E` a speaker named in free text, not linked to an entity, for the quote at [S, E);
  - any other string is read as a document stance of that label (plain text classification);
* offsets inside these strings are code points, like everywhere in Tawsim.

On reading, a `speaker` relation drawn the other way (entity -> quote) is accepted; relations with other labels
are skipped and counted in the import summary. Entities get fresh ids e1, e2 ... in file order unless the format
carries string ids (Label Studio region ids are kept).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .source import SourceError

QUOTE_LABEL = "QUOTE"
CUE_LABEL = "CUE"
SPEAKER_REL = "speaker"
CUE_REL = "cue"
DEFAULT_KIND = "direct"

_STANCE_RE = re.compile(r"stance:([^\s@#\[\]]+)(?:@(.*?))?(?:\[(\d+):(\d+)\])?(?:#(\d+):(\d+))?", re.S)
_QUOTE_ATTR_RE = re.compile(r"(quote_kind|quote_speaker):(.*)#(\d+):(\d+)", re.S)


class FormatError(SourceError):
    """A problem writing or reading a format (named file, optional line)."""


@dataclass
class ExportOptions:
    scheme: str = "iob2"  # conll / hf tag scheme
    label_map: dict[str, str] = field(default_factory=dict)  # project label -> label written
    entity_labels: list[str] = field(default_factory=list)  # project order: stable ids for hf
    stance_labels: list[str] = field(default_factory=list)  # the closed set spaCy's doc.cats holds


@dataclass
class ExportResult:
    documents: int = 0  # annotation sets written
    units: int = 0  # what the file counts: lines, sentences, tasks
    unit: str = "line"
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        files = ", ".join(map(str, self.files))
        return [f"wrote {self.documents} annotation set(s) as {self.units} {self.unit}(s) to {files}"]


@dataclass
class FSpan:
    key: str
    start: int
    end: int
    label: str


@dataclass
class FRel:
    head: str  # span key
    child: str
    label: str


def parse_label_map(spec: str) -> dict[str, str]:
    """`PERS=PER,MIS=MISC` -> {"PERS": "PER", "MIS": "MISC"}; raises ValueError on a malformed item."""
    out: dict[str, str] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        if item.count("=") != 1:
            raise ValueError(f"label map item {item!r} is not FROM=TO")
        a, b = (x.strip() for x in item.split("="))
        if not a or not b:
            raise ValueError(f"label map item {item!r} has an empty side")
        if a in out:
            raise ValueError(f"label {a!r} is mapped twice")
        out[a] = b
    return out


def map_record_labels(rec: dict, mapping: dict[str, str]) -> dict:
    """A copy of an export record with entity and stance labels renamed by `mapping` (others unchanged)."""
    if not mapping:
        return rec
    out = dict(rec)
    out["entities"] = [dict(e, label=mapping.get(e["label"], e["label"])) for e in rec.get("entities") or []]
    out["stances"] = [dict(s, label=mapping.get(s["label"], s["label"])) for s in rec.get("stances") or []]
    return out


def map_raw_labels(raw: dict, mapping: dict[str, str]) -> None:
    """Rename entity and stance labels of a record's raw annotations in place."""
    if not mapping:
        return
    for key in ("entities", "stances"):
        for item in raw.get(key) or []:
            if isinstance(item, dict) and item.get("label") in mapping:
                item["label"] = mapping[item["label"]]


# ---- export record -> spans, relations, document labels ---------------------------------------------------------

def stance_choice(stance: dict, entities: dict[str, dict], quotes: dict[str, dict]) -> str:
    out = f"stance:{stance['label']}"
    target_text = stance.get("target_text") or ""
    target = entities.get(stance.get("target") or "")
    if target_text or target:
        out += "@" + (target["text"] if target else target_text)
    if target:
        out += f"[{target['start']}:{target['end']}]"
    scope = stance.get("scope") or "document"
    if scope != "document" and scope in quotes:
        q = quotes[scope]
        out += f"#{q['start']}:{q['end']}"
    return out


def record_to_spans(rec: dict) -> tuple[list[FSpan], list[FRel], list[str]]:
    """The spans (entities, QUOTE, CUE), relations (speaker, cue) and document labels of one export record.

    Span keys are the record's own ids: entity ids, quote ids, and `<quote id>.cue` for cues."""
    spans = [FSpan(str(e["id"]), e["start"], e["end"], e["label"]) for e in rec.get("entities") or []]
    rels: list[FRel] = []
    choices: list[str] = []
    for q in rec.get("quotes") or []:
        qid = str(q["id"])
        spans.append(FSpan(qid, q["start"], q["end"], QUOTE_LABEL))
        if q.get("speaker"):
            rels.append(FRel(qid, str(q["speaker"]), SPEAKER_REL))
        elif q.get("speaker_text"):
            choices.append(f"quote_speaker:{q['speaker_text']}#{q['start']}:{q['end']}")
        if q.get("cue"):
            spans.append(FSpan(f"{qid}.cue", q["cue"]["start"], q["cue"]["end"], CUE_LABEL))
            rels.append(FRel(qid, f"{qid}.cue", CUE_REL))
        if (q.get("kind") or DEFAULT_KIND) != DEFAULT_KIND:
            choices.append(f"quote_kind:{q['kind']}#{q['start']}:{q['end']}")
    ents = {str(e["id"]): e for e in rec.get("entities") or []}
    quotes = {str(q["id"]): q for q in rec.get("quotes") or []}
    choices = [stance_choice(s, ents, quotes) for s in rec.get("stances") or []] + choices
    return spans, rels, choices


# ---- spans, relations, document labels -> raw annotations in the export schema ----------------------------------

def spans_to_raw(text: str, spans: list[FSpan], rels: list[FRel], choices: Iterable[str],
                 keep_ids: bool = False) -> tuple[dict[str, Any], list[str]]:
    """Raw `entities` / `quotes` / `stances` (the export schema, checked later by the importer) and notes.

    Raises ValueError with a message naming the offending span, relation or label."""
    notes: list[str] = []
    by_key: dict[str, FSpan] = {}
    for sp in spans:
        if sp.key in by_key:
            raise ValueError(f"two spans share the id {sp.key!r}")
        by_key[sp.key] = sp
    entities, quote_spans, cue_spans = [], [], {}
    ent_id: dict[str, str] = {}
    n = 0
    for sp in spans:
        if sp.label == QUOTE_LABEL:
            quote_spans.append(sp)
        elif sp.label == CUE_LABEL:
            cue_spans[sp.key] = sp
        else:
            if keep_ids:
                eid = sp.key
            else:
                n += 1
                eid = f"e{n}"
            ent_id[sp.key] = eid
            entities.append({"id": eid, "start": sp.start, "end": sp.end, "label": sp.label})
    speaker: dict[str, str] = {}
    cue_of: dict[str, FSpan] = {}
    skipped: dict[str, int] = {}
    for r in rels:
        head, child = by_key.get(r.head), by_key.get(r.child)
        if head is None or child is None:
            raise ValueError(f"relation {r.label!r} links a span that is not in the record "
                             f"({r.head if head is None else r.child!r})")
        if r.label == SPEAKER_REL:
            if head.label != QUOTE_LABEL and child.label == QUOTE_LABEL:
                head, child = child, head  # drawn from the speaker to the quote
            if head.label != QUOTE_LABEL or child.key not in ent_id:
                raise ValueError(f"a {SPEAKER_REL!r} relation must link a {QUOTE_LABEL} span to an entity span, "
                                 f"got {head.label} [{head.start}, {head.end}) -> {child.label} "
                                 f"[{child.start}, {child.end})")
            if head.key in speaker:
                raise ValueError(f"the quote at [{head.start}, {head.end}) has two speakers")
            speaker[head.key] = ent_id[child.key]
        elif r.label == CUE_REL:
            if head.label == CUE_LABEL and child.label == QUOTE_LABEL:
                head, child = child, head
            if head.label != QUOTE_LABEL or child.label != CUE_LABEL:
                raise ValueError(f"a {CUE_REL!r} relation must link a {QUOTE_LABEL} span to a {CUE_LABEL} span, "
                                 f"got {head.label} -> {child.label}")
            if head.key in cue_of:
                raise ValueError(f"the quote at [{head.start}, {head.end}) has two cues")
            cue_of[head.key] = child
        else:
            skipped[r.label] = skipped.get(r.label, 0) + 1
    if skipped:
        notes.append("skipped relation(s) Tawsim does not store (only speaker and cue): "
                     + ", ".join(f"{k} x{v}" for k, v in sorted(skipped.items())))
    # What a deletion in the other tool leaves behind (a CUE whose quote is gone, the attributes of a deleted quote,
    # a stance on a deleted quote or entity) is noted with its offsets and left out, never a reason to refuse.
    linked_cues = {c.key for c in cue_of.values()}
    for key, c in cue_spans.items():
        if key not in linked_cues:
            notes.append(f"the {CUE_LABEL} span [{c.start}, {c.end}) {text[c.start:c.end]!r} is linked to no quote "
                         f"(its quote deleted?); left out")
    # Document labels: quote attributes first (they need the quotes), then stances.
    kinds: dict[tuple[int, int], str] = {}
    free_speakers: dict[tuple[int, int], str] = {}
    stance_choices: list[str] = []
    for ch in choices:
        m = _QUOTE_ATTR_RE.fullmatch(ch)
        if m:
            (kinds if m.group(1) == "quote_kind" else free_speakers)[(int(m.group(3)), int(m.group(4)))] = m.group(2)
        else:
            stance_choices.append(ch)
    quotes = []
    q_by_offsets: dict[tuple[int, int], str] = {}
    for k, sp in enumerate(quote_spans, 1):
        qid = sp.key if keep_ids else f"q{k}"
        q_by_offsets.setdefault((sp.start, sp.end), qid)
        q: dict[str, Any] = {"id": qid, "start": sp.start, "end": sp.end,
                             "kind": kinds.pop((sp.start, sp.end), DEFAULT_KIND)}
        if sp.key in speaker:
            q["speaker"] = speaker[sp.key]
        elif (sp.start, sp.end) in free_speakers:
            q["speaker_text"] = free_speakers.pop((sp.start, sp.end))
        if sp.key in cue_of:
            c = cue_of[sp.key]
            q["cue"] = {"start": c.start, "end": c.end}
        quotes.append(q)
    for (s, e) in list(kinds) + list(free_speakers):
        notes.append(f"a quote attribute names the quote at [{s}, {e}), but there is no {QUOTE_LABEL} span there "
                     f"(deleted?); left out")
    ent_by_offsets: dict[tuple[int, int], str] = {}
    for e in entities:
        ent_by_offsets.setdefault((e["start"], e["end"]), e["id"])
    stances = []
    for ch in stance_choices:
        try:
            stances.append(parse_stance_choice(ch, text, ent_by_offsets, q_by_offsets))
        except MissingSpan as exc:
            notes.append(f"{exc}; left out")
    return {"entities": entities, "quotes": quotes, "stances": stances}, notes


class MissingSpan(ValueError):
    """A document label names an entity or quote that is not in the record (deleted in the other tool)."""


def parse_stance_choice(ch: str, text: str, ents: dict[tuple[int, int], str],
                        quotes: dict[tuple[int, int], str]) -> dict[str, Any]:
    if not isinstance(ch, str) or not ch.strip():
        raise ValueError(f"document label {ch!r} is not a non-empty string")
    if not ch.startswith("stance:"):
        return {"label": ch, "scope": "document"}  # plain text classification: a document stance
    m = _STANCE_RE.fullmatch(ch)
    if not m:
        raise ValueError(f"document label {ch!r} does not read as stance:LABEL[@TARGET][[S:E]][#S:E]")
    label, target_text, ts, te, qs, qe = m.groups()
    st: dict[str, Any] = {"label": label, "scope": "document"}
    if ts is not None:
        key = (int(ts), int(te))
        if key not in ents:
            raise MissingSpan(f"stance {ch!r} names a target entity at [{ts}, {te}), but there is none (deleted?)")
        st["target"] = ents[key]
        if target_text and target_text != text[key[0]:key[1]]:
            st["target_text"] = target_text  # a canonical name beside the mention (validate.py's rule)
    elif target_text:
        st["target_text"] = target_text
    if qs is not None:
        key = (int(qs), int(qe))
        if key not in quotes:
            raise MissingSpan(f"stance {ch!r} is scoped to a quote at [{qs}, {qe}), but there is none (deleted?)")
        st["scope"] = quotes[key]
    return st


def check_offsets(text: str, start: Any, end: Any, what: str) -> tuple[int, int]:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise ValueError(f"{what}: start and end must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{what}: span [{start}, {end}) is outside the text (length {len(text)})")
    return start, end


STATUS_FROM_ANSWER = {"accept": "done", "ignore": "skipped", "reject": "flagged"}
ANSWER_FROM_STATUS = {"done": "accept", "skipped": "ignore", "flagged": "reject"}


def optional_str(v: Any) -> Optional[str]:
    return v if isinstance(v, str) and v.strip() else None
