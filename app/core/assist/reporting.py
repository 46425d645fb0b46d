"""The reporting rules (resources/arabic/reporting.json) compiled once: cue verbs, participles, complementisers,
source attributions, and the word lists that tell a speaker from an addressee or a time phrase.

Every regular expression is built here, once per process; nothing is compiled per article or per speaker
string, so the first pass over an article costs the same as the next (app.bench assist measures it).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..text.arabic import normalize
from .occurrences import pattern

RULES_PATH = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "reporting.json"

# A letter (any script), tashkeel or tatweel: what continues a word. Arabic punctuation (، ؛ ؟) does not, so
# "قال،" is the cue قال followed by a comma.
LETTER = r"[^\W\d_\u0660-\u0669]|[\u0610-\u061A\u064B-\u065F\u0670\u0640]"
BEFORE = r"(?<![^\W\d_])(?<![\u064B-\u065F\u0640])"
AFTER = rf"(?!{LETTER})"


_CONJ = ("", "و", "ف", "ل", "ول", "فل")


def _alternation(words: Sequence[str]) -> str:
    return "|".join(pattern(w).pattern.replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Rules:
    cue_re: re.Pattern  # group "cue": the verb without و/ف/ل or an attached pronoun (for one position)
    pronouns: tuple  # attached object pronouns, longest first
    surfaces: dict  # every written shape of a cue word -> [(conjunction length, form)]
    source_heads: frozenset  # first words of the sources, with و/ف: where source_re is tried
    lemma_of: dict  # normalized form -> lemma (multi-word forms with single spaces)
    hal: frozenset  # normalized participle forms
    open_re: re.Pattern  # a complementiser (with its pronoun) or بالقول, at a position
    source_re: re.Pattern  # group "src"
    trailing_re: re.Pattern
    needs_opener: frozenset
    opener_re: dict  # lemma -> regex of the prepositions opening its content (أشار إلى، طالب ب)
    marks: tuple
    relative: frozenset
    addressee_words: frozenset
    preps: frozenset  # a phrase from here to the next comma is not the speaker
    adverbs: frozenset  # one word that is not the speaker
    max_speaker_words: int
    needs_complementiser: frozenset
    mark_subject_words: int
    opener_words: int  # a 'needs_opener' cue's opener comes within this many words
    lead_words: frozenset
    not_a_source: frozenset
    not_complementiser_after: frozenset
    relative_what: frozenset
    modifier_words: frozenset
    pronoun_preps: frozenset = frozenset()  # one word, a whole phrase that is not the speaker (عنها، له)


@lru_cache(maxsize=4)
def rules(path: Path = RULES_PATH) -> Rules:
    d = json.loads(path.read_text(encoding="utf-8"))
    forms, lemma_of, hal = [], {}, set()
    for lemma, fs in list(d["cues"].items()) + list(d["hal"].items()):
        for f in fs:
            forms.append(f)
            lemma_of[normalize(f)] = lemma
    for fs in d["hal"].values():
        hal.update(normalize(f) for f in fs)
    pron = "|".join(sorted(d["pronouns"], key=len, reverse=True))
    cue_re = re.compile(BEFORE + r"(?P<conj>[وف]?ل?)(?P<cue>" + _alternation(forms) + rf")(?:{pron})?" + AFTER)
    comps = [c for c in d["complementisers"]]
    open_re = re.compile(BEFORE + r"(?:بالقول\s*[:،,]?\s*)?(?:(?:" + _alternation(comps) + rf")(?:{pron})?|بالقول)"
                         + AFTER)
    source_re = re.compile(BEFORE + r"[وف]?(?P<src>" + _alternation(d["sources"]) + r")(?:ـ)?")
    trailing_re = re.compile(r"[\s،,]*(?:" + _alternation(d["trailing"]) + r")\s*$")
    opener_re = {}
    for lemma, preps in d["cue_openers"].items():
        alts = [rf"{BEFORE}(?:{_alternation([p for p in preps if len(p) > 1])}){AFTER}"] if any(
            len(p) > 1 for p in preps) else []
        if "ب" in preps:  # the preposition written onto its noun: طالب باستقالة، وصفه بـ"..."
            alts.append(rf"{BEFORE}بـ?(?=[^\W\d_]{{3}}|[\"«“])")
        opener_re[lemma] = re.compile("|".join(alts))
    words = lambda key: frozenset(normalize(w) for w in d[key])  # noqa: E731
    pronouns = tuple(sorted(d["pronouns"], key=len, reverse=True))
    heads = {normalize(c + src.split()[0]) for src in d["sources"] for c in ("", "و", "ف")}
    return Rules(cue_re, pronouns, _surfaces(lemma_of, pronouns), frozenset(heads), lemma_of, frozenset(hal), open_re,
                 source_re, trailing_re,
                 frozenset(d["needs_opener"]), opener_re, tuple(tuple(m) for m in d["marks"]),
                 words("relative"), words("addressee_words"), words("circumstance_preps"),
                 words("circumstance_adverbs"), int(d.get("max_speaker_words", 14)),
                 frozenset(d.get("needs_complementiser", ())), int(d.get("mark_subject_words", 4)),
                 int(d.get("opener_words", 10)), words("cue_lead_words"),
                 words("not_a_source"), words("not_complementiser_after"), words("relative_what"),
                 words("modifier_words"), words("pronoun_preps"))


_WORD = re.compile(r"(?:[^\W\d_]|[\u0610-\u061A\u064B-\u065F\u0670\u0640])+")


def _key_len(word: str, n: int) -> int:
    """Characters of `word` that make up its first n match-key characters (tashkeel/tatweel count with them)."""
    if n <= 0:
        return 0
    seen = 0
    for i, ch in enumerate(word):
        if normalize(ch):
            seen += 1
            if seen == n:
                j = i + 1
                while j < len(word) and not normalize(word[j]):
                    j += 1
                return j
    return len(word)


def _surfaces(lemma_of: dict, pronouns: tuple) -> dict:
    """Every written shape of a cue word (و/ف/ل before, a pronoun after) -> (conjunction length, form)."""
    out: dict = {}
    for form in lemma_of:
        first = form.split(" ")[0]
        for conj in _CONJ:
            for pron in ("",) + pronouns:
                if " " in form and pron:
                    continue
                out.setdefault(conj + first + pron, []).append((len(conj), form))
    return out


def find_cues(text: str, r: Rules) -> list[tuple[int, int, int, str, bool]]:
    """Every cue word: (start of the word with و/ف/ل, cue start, cue end, normalized cue form, had a
    conjunction). One dictionary look-up per word instead of a regex over the whole lexicon: the first pass
    over an article stays in milliseconds."""
    out = []
    shapes = r.surfaces
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        w = m.group()
        hits = shapes.get(normalize(w))
        if not hits:
            continue
        for conj, form in sorted(hits, key=lambda h: -len(h[1])):
            if " " in form:  # جاء في: the next word must follow
                rest = form.split(" ", 1)[1]
                if i + 1 < len(words) and normalize(words[i + 1].group()) == rest and \
                        not text[m.end():words[i + 1].start()].strip():
                    out.append((m.start(), m.start() + _key_len(w, conj), words[i + 1].end(), form, conj > 0))
                    break
                continue
            out.append((m.start(), m.start() + _key_len(w, conj), m.start() + _key_len(w, conj + len(form)), form,
                        conj > 0))
            break
    return out


def find_sources(text: str, r: Rules) -> list[re.Match]:
    """Source attributions (بحسب، وفقا لـ ...), the regex tried only at words that can start one."""
    out = []
    for m in _WORD.finditer(text):
        if normalize(m.group()) in r.source_heads:
            hit = r.source_re.match(text, m.start())
            if hit:
                out.append(hit)
    return out


@lru_cache(maxsize=1)
def cue_forms(path: Path = RULES_PATH) -> list[str]:
    """Every cue-verb form: snapping counts them as words, so "وقال" snaps to the cue "قال"."""
    d = json.loads(path.read_text(encoding="utf-8"))
    return [f for fs in list(d["cues"].values()) + list(d["hal"].values()) for f in fs if " " not in f]


def is_reporting_verb(word: str) -> bool:
    """Whether a selected cue is one of the reporting verbs (any form, with و/ف): anything else is asked first."""
    forms = {normalize(f) for f in cue_forms()}
    w = normalize(word.strip())
    return w in forms or (w[:1] in ("و", "ف") and w[1:] in forms)
