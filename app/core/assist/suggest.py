"""Quote suggestions from Arabic reporting patterns: "وقال كولومينا إن ..." proposes a quote, its cue and speaker.

News Arabic reports speech in a few fixed shapes: a cue verb (قال، أكد، أشار ...) with و/ف, then the speaker (or
nobody: the previous speaker goes on), then a complementiser (إن، أن، إلى أن) or a preposition that opens the
content (أشار إلى، أكد على), then the content up to the end of the sentence or the next cue; a circumstantial
participle (مؤكدا، مشيرا) continues the same speaker; text between quotation marks is direct speech. The patterns
are data (resources/arabic/reporting.json). Suggestions are proposals only: the annotator accepts or rejects each.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from ..text.arabic import normalize
from ..model import Entity
from .occurrences import pattern

RULES_PATH = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "reporting.json"
SPEAKER_LABELS = ("PER", "ORG", "GPE")
MAX_SPEAKER_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_TRIM = " \t\r\n،,:؛;-–—"


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    cue: tuple[int, int]
    speaker_text: str
    speaker: Optional[str]  # entity id when the speaker is a tagged span
    kind: str  # direct / indirect

    @property
    def key(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class _Rules:
    cue_re: re.Pattern
    lemma_of: dict
    hal_re: re.Pattern
    complementisers: tuple[str, ...]
    needs_opener: frozenset[str]
    openers: dict
    marks: tuple[tuple[str, str], ...]
    not_after: frozenset[str]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(pattern(w).pattern for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def rules(path: Path = RULES_PATH) -> _Rules:
    d = json.loads(path.read_text(encoding="utf-8"))
    forms, lemma_of = [], {}
    for lemma, fs in d["cues"].items():
        for f in fs:
            forms.append(f)
            lemma_of[normalize(f)] = lemma
    boundary = r"(?<![\w\u0600-\u06FF])"
    cue_re = re.compile(boundary + r"(?:[وف])?(" + _alternation(forms) + r")(?![\w\u0600-\u06FF])")
    hal_re = re.compile(boundary + r"(?:[وف])?(" + _alternation(d["hal"]) + r")(?![\w\u0600-\u06FF])")
    return _Rules(cue_re, lemma_of, hal_re, tuple(d["complementisers"]), frozenset(d["needs_opener"]),
                  d["cue_openers"], tuple(tuple(m) for m in d["marks"]),
                  frozenset(normalize(w) for w in d.get("not_after", ())))


@lru_cache(maxsize=1)
def cue_forms(path: Path = RULES_PATH) -> list[str]:
    """Every cue-verb form: snapping counts them as words, so "وقال" snaps to the cue "قال"."""
    d = json.loads(path.read_text(encoding="utf-8"))
    return [f for fs in d["cues"].values() for f in fs] + list(d["hal"])


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _starts_with_word(text: str, pos: int, words: Sequence[str]) -> Optional[tuple[int, int]]:
    """If one of `words` (spelling-insensitive) starts at `pos` as a whole word: its (start, end)."""
    for w in sorted(words, key=len, reverse=True):
        m = pattern(w).match(text, pos)
        if m and (m.end() >= len(text) or not text[m.end()].isalpha()):
            return m.start(), m.end()
    return None


def _find_opener(text: str, s: int, e: int, words: Sequence[str]) -> Optional[tuple[int, int]]:
    """The first whole-word complementiser/opener between s and e."""
    best = None
    for w in words:
        for m in pattern(w).finditer(text, s, e):
            before_ok = m.start() == 0 or not text[m.start() - 1].isalpha()
            after_ok = m.end() >= len(text) or not text[m.end()].isalpha()
            if before_ok and after_ok and (best is None or m.start() < best[0]):
                best = (m.start(), m.end())
                break
    return best


def _is_reporting(text: str, cue: tuple[int, int, bool], sentence_end: int, r: _Rules) -> bool:
    """Drop cue words used in another sense: after a relative pronoun (التي تؤكد), or an ambiguous cue (بين =
    between) not followed at once by a complementiser or its opener."""
    cs, ce, hal = cue
    prev = text[max(0, cs - 12):cs].split()
    if prev and normalize(prev[-1]) in r.not_after:
        return False
    lemma = r.lemma_of.get(normalize(text[cs:ce]), "")
    if lemma in r.needs_opener:  # the opener within the next few words (a short speaker may stand between)
        window = ce
        for _ in range(5):
            nxt = text.find(" ", window + 1, sentence_end)
            window = sentence_end if nxt < 0 else nxt
        return _find_opener(text, ce, window, list(r.complementisers) + r.openers.get(lemma, [])) is not None
    return True


def suggest_quotes(text: str, entities: Sequence[Entity] = ()) -> list[Suggestion]:
    """Proposed quotes of an article, in text order (entities help find and link speakers)."""
    r = rules()
    speakers = [e for e in entities if e.label in SPEAKER_LABELS]
    known_names = {normalize(e.text) for e in speakers if e.label == "PER"}
    by_name: dict[str, Entity] = {}  # the first speaker span of each name: links a speaker found as text
    for e in speakers:
        by_name.setdefault(normalize(e.text), e)
    out: list[Suggestion] = []
    last_speaker: tuple[str, Optional[str]] = ("", None)
    for ss, se in _sentences(text):
        cues = sorted([(m.start(1), m.end(1), False) for m in r.cue_re.finditer(text, ss, se)]
                      + [(m.start(1), m.end(1), True) for m in r.hal_re.finditer(text, ss, se)])
        cues = [c for c in cues if _is_reporting(text, c, se, r)]
        for i, (cs, ce, hal) in enumerate(cues):
            limit = cues[i + 1][0] if i + 1 < len(cues) else se
            lemma = r.lemma_of.get(normalize(text[cs:ce]), "")
            openers = list(r.complementisers) + r.openers.get(lemma, []) + (["إلى", "على"] if hal else [])
            opener = _find_opener(text, ce, limit, openers)
            speaker_text, speaker_id = "", None
            between = _trim(text, ce, opener[0]) if opener else (ce, ce)
            if opener and between[0] < between[1]:
                words = text[between[0]:between[1]].split()
                if hal or len(words) > MAX_SPEAKER_WORDS:
                    opener = None  # "مؤكدا السعي إلى ...": the content starts right after the participle
                else:
                    inside = [e for e in speakers if between[0] <= e.start and e.end <= between[1]]
                    person = [e for e in inside if e.label == "PER"] or inside
                    if person:
                        speaker_text, speaker_id = person[-1].text, person[-1].id
                    else:
                        speaker_text = text[between[0]:between[1]]
            if opener is None:
                mark = min((p for p in (text.find(o, ce, limit) for o, _ in r.marks) if p >= 0), default=-1)
                if lemma in r.needs_opener:
                    continue
                qs = ce
                if mark > ce and len(text[ce:mark].split()) <= 6:  # "وقالت الوزيرة «...»": name, then the quote
                    bs, be = _trim(text, ce, mark)
                    speaker_text, qs = text[bs:be], mark
                # "وأكد الجارالله التزام ..." : a known name right after the cue is the speaker.
                name = next((e for e in speakers if e.start == _trim(text, ce, limit)[0]), None)
                if speaker_text:
                    pass
                elif name is None:
                    for k in sorted(known_names | {normalize(last_speaker[0])} - {""}, key=len, reverse=True):
                        m = pattern(k).match(text, _trim(text, ce, limit)[0])
                        if m:
                            speaker_text, qs = text[m.start():m.end()], m.end()
                            break
                else:
                    speaker_text, speaker_id, qs = name.text, name.id, name.end
            else:
                qs = opener[1]
            if hal and not speaker_text:
                speaker_text, speaker_id = last_speaker
            if not speaker_text:
                prev = [e for e in speakers if e.end <= cs and e.label == "PER"]
                speaker_text, speaker_id = last_speaker if last_speaker[0] else (
                    (prev[-1].text, prev[-1].id) if prev else ("", None))
            qs, qe = _trim(text, qs, limit)
            if qe - qs < 8:
                continue
            kind = "indirect"
            for open_m, close_m in r.marks:
                if text[qs] == open_m and text.find(close_m, qs + 1, qe + 1) == qe - 1 and qe - qs > 2:
                    qs, qe, kind = qs + 1, qe - 1, "direct"
                    break
            if speaker_id is None and speaker_text:
                link = by_name.get(normalize(speaker_text))
                speaker_id = link.id if link else None
            out.append(Suggestion(qs, qe, (cs, ce), speaker_text, speaker_id, kind))
            if speaker_text:
                last_speaker = (speaker_text, speaker_id)
    return out
