"""Score quote suggestions against the hand-made news gold (tests/fixtures/news_gold/gold.jsonl).

Figures per part (dev / held-out) and per phenomenon: quote span precision and recall (a suggestion matches a gold
quote when their overlap is at least half of their union, one to one), the exact-boundary rate and cue accuracy
on matched quotes, and speaker accuracy on matched quotes with the article's entities tagged and with none.

    python tests/quote_scoring.py [dev|heldout|all] [--misses]
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.model import Entity  # noqa: E402
from app.core.text.arabic import normalize  # noqa: E402

GOLD = Path(__file__).resolve().parent / "fixtures" / "news_gold" / "gold.jsonl"
PARTS = ("dev", "heldout")


def gold_records(part: str = "all") -> list[dict]:
    recs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in recs if part == "all" or r["meta"]["part"] == part]


def entities_of(rec: dict) -> list[Entity]:
    return [Entity(e["id"], e["start"], e["end"], e["label"], e["text"]) for e in rec["entities"]]


def _name_key(s: str) -> str:
    return normalize(s.strip().strip("#\"«»“” ").replace("#", "").replace("_", " "))


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    suggested: int = 0
    matched: int = 0
    exact: int = 0
    cue: int = 0
    speaker: int = 0

    def add(self, other: "Tally") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def precision(self) -> float:
        return self.matched / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def rate(self, what: str) -> float:
        return getattr(self, what) / self.found if self.found else 1.0


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    phenomena: dict = field(default_factory=lambda: defaultdict(Tally))
    misses: list = field(default_factory=list)


def speaker_ok(sugg, gold_q: dict, names: Iterable[str]) -> bool:
    if gold_q["speaker"] is not None and sugg.speaker == gold_q["speaker"]:
        return True
    return bool(sugg.speaker_text) and _name_key(sugg.speaker_text) in {_name_key(n) for n in names}


def score(records: list[dict], suggest: Callable, with_entities: bool) -> Report:
    """`suggest(text, entities)` returns objects with start, end, cue (start, end), speaker, speaker_text."""
    rep = Report()
    for rec in records:
        text = rec["text"]
        sugg = list(suggest(text, entities_of(rec) if with_entities else []))
        pairs = sorted(((iou((s.start, s.end), (g["start"], g["end"])), i, j)
                        for i, s in enumerate(sugg) for j, g in enumerate(rec["quotes"])), reverse=True)
        used_s, used_g, match = set(), set(), {}
        for v, i, j in pairs:
            if v < 0.5:
                break
            if i not in used_s and j not in used_g:
                used_s.add(i), used_g.add(j)
                match[j] = sugg[i]
        t = Tally(gold=len(rec["quotes"]), suggested=len(sugg), matched=len(match))
        rep.overall.add(t)
        for j, g in enumerate(rec["quotes"]):
            note = rec["meta"]["gold"][g["id"]]
            s = match.get(j)
            q = Tally(gold=1)
            if s is not None:
                q.found = 1
                q.exact = int((s.start, s.end) == (g["start"], g["end"]))
                q.cue = int(s.cue[0] < g["cue"]["end"] and g["cue"]["start"] < s.cue[1])
                q.speaker = int(speaker_ok(s, g, note["speaker_names"] + [g["speaker_text"]]))
            rep.overall.found += q.found
            rep.overall.exact += q.exact
            rep.overall.cue += q.cue
            rep.overall.speaker += q.speaker
            for ph in note["phenomena"] or ["plain"]:
                rep.phenomena[ph].add(q)
            if not (q.found and q.exact and q.cue and q.speaker):
                rep.misses.append((rec["id"], g, s))
        for i, s in enumerate(sugg):
            if i not in used_s:
                rep.misses.append((rec["id"], None, s))
    return rep


def table(part: str, suggest: Optional[Callable] = None) -> str:
    if suggest is None:
        from app.core.assist.suggest import suggest_quotes as suggest
    recs = gold_records(part)
    tagged, bare = score(recs, suggest, True), score(recs, suggest, False)
    o = tagged.overall
    lines = [f"{part}: {len(recs)} articles, {o.gold} gold quotes, {o.suggested} suggested",
             f"  precision {o.precision:.2f}  recall {o.recall:.2f}  exact {o.rate('exact'):.2f}  "
             f"cue {o.rate('cue'):.2f}  speaker (entities tagged) {o.rate('speaker'):.2f}  "
             f"speaker (none tagged) {bare.overall.rate('speaker'):.2f}",
             "  phenomenon      n  recall exact  cue  spk+ent spk-none"]
    for ph in sorted(tagged.phenomena):
        a, b = tagged.phenomena[ph], bare.phenomena[ph]
        def r(t: Tally, what: str, w: int) -> str:
            return f"{t.rate(what):{w}.2f}" if t.found else f"{'-':>{w}}"
        lines.append(f"  {ph:<13}{a.gold:>4}  {a.recall:5.2f} {r(a, 'exact', 5)} {r(a, 'cue', 5)}"
                     f"  {r(a, 'speaker', 6)}  {r(b, 'speaker', 6)}")
    return "\n".join(lines)


if __name__ == "__main__":
    part = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "dev"
    print(table(part))
    if "--misses" in sys.argv:
        from app.core.assist.suggest import suggest_quotes
        for doc, g, s in score(gold_records(part), suggest_quotes, True).misses:
            gt = f"GOLD {g['cue']['text']}|{g['speaker_text']}| {g['text'][:70]}" if g else "GOLD -"
            st = (f"SUGG {s.speaker_text[:30]}| {s.start}-{s.end} " if s else "SUGG -")
            print(doc, gt, "\n     ", st, (g and s and (s.start, s.end) != (g['start'], g['end'])) and
                  f"gold {g['start']}-{g['end']}" or "")
