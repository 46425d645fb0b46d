"""Titles and names are one speaker: which mentions of an article name the same person, and who a title is.

Arabic news names a person once with their title ("وزير النقل الإيطالي دانيلو تونينيلي") and later by the title
alone ("الوزير", "وزير النقل") or the family name. So:
- a speaker phrase that is a title followed by a name gives the name (the name starts after a definite word:
  "الرئيس الروسي [name]", "وزير النقل [name]"; never right after a title in construct: "مدير برنامج ...");
  one that is a name followed by its title gives the name ("[name] المتحدثة باسم ...");
- a title alone is the person last named with that title earlier in the article (its words, without ال, are
  among the words of that earlier title);
- a mention in an entity cluster stands for the cluster's named mention (the longest mention that is not a title);
- in the window, links are proposed for repeated names (the same name, or a family name after the full name) and
  for a tagged title after the name it was given with.
The word lists are data (resources/arabic/titles.json), read once; nothing is compiled per article.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..model import Entity
from ..text.arabic import normalize
from .speaker import Speaker

TITLES_PATH = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "titles.json"
_WORD = re.compile(r"[^\s،,:؛;.!?؟()\"«»“”\[\]\-–—]+")
_CLAUSE_END = re.compile(r"[،,:؛;.!?؟\n()\"«»“”\-–—]")
_DEFINITE = ("ال", "وال", "فال", "بال", "لل", "كال")
MAX_NAME_WORDS = 5
_TITLE_LINKS = frozenset((normalize("باسم"),))  # inside a title: المتحدث باسم ...
_NAME_LINKS = frozenset(normalize(w) for w in ("بن", "بنت", "ابن", "أبو", "عبد"))  # inside a name after ال-words
PERSON_LABELS = ("PER",)


@dataclass(frozen=True)
class TitleRules:
    titles: frozenset
    stop_words: frozenset
    after_name: frozenset
    phrase_ends: frozenset
    pronoun_nouns: frozenset
    statement_nouns: frozenset


@lru_cache(maxsize=2)
def title_rules(path: Path = TITLES_PATH) -> TitleRules:
    d = json.loads(path.read_text(encoding="utf-8"))
    return TitleRules(*(frozenset(normalize(w) for w in d[k]) for k in (
        "titles", "stop_words", "after_name", "phrase_ends", "pronoun_nouns", "statement_nouns")))


def _bare(key: str, r: Optional[TitleRules] = None) -> str:
    """A word's match key without و/ف before it (ووزير → وزير, والسعودي → السعودي); a word that is a title as
    written (وزير) or does not go on with ال keeps its first letter."""
    r = r or title_rules()
    if key[:1] in ("و", "ف") and len(key) > 3 and key not in r.titles and (key[1:] in r.titles
                                                                          or key[1:3] == "ال"):
        return key[1:]
    return key


def is_title(word: str, r: TitleRules) -> bool:
    k = normalize(word)
    return k in r.titles or _bare(k, r) in r.titles


def _definite(key: str) -> bool:
    return len(key) > 3 and key.startswith(_DEFINITE)


def title_key(word: str) -> str:
    """A title word as it is matched against an earlier title: no و/ف, no ال (الوزير ~ وزير)."""
    k = _bare(normalize(word))
    return k[2:] if k.startswith("ال") and len(k) > 4 else k


def _words(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, s, e)]


def _name_run(words: list[tuple[int, int, str]], r: TitleRules) -> Optional[tuple[int, int]]:
    """(first, last + 1) word indexes of the name in a title/name phrase, or None when the phrase is not one."""
    keys = [normalize(w) for _, _, w in words]
    title = [k in r.titles or _bare(k, r) in r.titles for k in keys]
    stop = [k in r.stop_words for k in keys]
    definite = [_definite(k) for k in keys]

    def run_from(i: int) -> int:
        j = i
        while j < len(words) and not title[j] and not stop[j]:
            j += 1
        return j

    if words and not (title[0] or stop[0] or definite[0]):
        j = run_from(0)
        if j < len(words) and j <= MAX_NAME_WORDS and (title[j] or keys[j] in r.after_name):
            return 0, j  # "[name] المتحدثة باسم ...", "[name] وهي تقف ..."
        return None
    if not words or not title[0]:
        return None
    found = None
    for i in range(1, len(words)):
        if stop[i - 1] and keys[i - 1] not in _TITLE_LINKS:
            break  # "الوزير إن ...": the title's phrase has ended
        construct = keys[i].startswith("ل") and i + 1 < len(words) and definite[i + 1]  # لشؤون الإعلام
        if definite[i - 1] and not (title[i] or stop[i] or definite[i] or construct):
            j = run_from(i)
            for k in range(i + 1, j):  # "لشؤون الإعلام [name]": a name starts after the last definite word
                if definite[k - 1] and not definite[k] and keys[k] not in _NAME_LINKS:
                    i = k
            if j - i <= MAX_NAME_WORDS:
                found = (i, j)
            break
    if found and len(words) == 2 and found == (1, 2):
        return None  # "الشيخ [name]", "الرئيس [name]": the title is part of how the person is called
    return found


def name_in_phrase(text: str, s: int, e: int) -> Optional[tuple[int, int]]:
    """The name's span inside a speaker phrase that holds a title and a name, else None."""
    words = _words(text, s, e)
    run = _name_run(words, title_rules())
    if run is None:
        return None
    return words[run[0]][0], words[run[1] - 1][1]


def name_alone(text: str, s: int, e: int) -> Optional[tuple[int, int]]:
    """The span of [s, e) if it reads as a name on its own (an apposition after a title: "الرئيس، [name]،"):
    a few words, the first neither definite, a title nor a function word, none a title or function word."""
    words, r = _words(text, s, e), title_rules()
    if not 1 <= len(words) <= MAX_NAME_WORDS - 1 or _definite(normalize(words[0][2])):
        return None
    if any(is_title(w, r) or normalize(w) in r.stop_words or w[0].isdigit() for _, _, w in words):
        return None
    return words[0][0], words[-1][1]


def apposed_name(text: str, end: int, limit: int) -> Optional[tuple[int, int]]:
    """The name set off by commas right after a title phrase ending at `end` ("الرئيس السابق، [name]، إن")."""
    rest = text[end:limit]
    if not rest.lstrip().startswith(("،", ",")):
        return None
    s = end + len(rest) - len(rest.lstrip()) + 1
    stops = [p for p in (text.find("،", s, limit), text.find(",", s, limit)) if p >= 0]
    return name_alone(text, s, min(stops) if stops else limit)


def opening_title(text: str, ss: int, limit: int) -> Optional[Speaker]:
    """"ورفض وزير الدفاع ما جاء في الكتاب، وقال ...": the title right after a sentence's first verb is its
    subject, the one a later cue of the sentence without a subject goes on with."""
    words, r = _words(text, ss, limit)[:8], title_rules()
    if len(words) < 2 or not is_title(words[1][2], r) or _definite(normalize(words[0][2])) \
            or text[words[0][1]:words[1][0]].strip():
        return None  # (a name, not a verb, opens "البرادعي- الرئيس الأسبق ...- تساءل")
    j = 2
    while j < len(words) and is_title(words[j][2], r) and not text[words[j - 1][1]:words[j][0]].strip():
        j += 1
    if j < len(words) and _definite(normalize(words[j][2])) and not text[words[j - 1][1]:words[j][0]].strip():
        j += 1  # one word qualifies the title (وزير الدفاع، الرئيس الروسي); more may be the verb's object
    name = apposed_name(text, words[j - 1][1], limit)  # "وصف الرئيس الروسي، [name]، ..."
    s, e = name or (words[1][0], words[j - 1][1])
    return Speaker(s, e, text[s:e])


def is_title_phrase(text: str, s: int, e: int) -> bool:
    """A phrase that names someone by a title only ("الوزير", "وزير الخارجية السعودي")."""
    words = _words(text, s, e)
    return bool(words) and is_title(words[0][2], title_rules()) and _name_run(words, title_rules()) is None


@dataclass(frozen=True)
class Titled:
    start: int  # where the title begins
    keys: frozenset  # its words as title_key gives them
    name: tuple[int, int]
    entity: Optional[Entity]


def _title_words(text: str, r: TitleRules):
    """The title words of a text as (start, end) matches. The text's match key is made once: where it keeps every
    character (no tashkeel or tatweel, as in most news) its words are looked up as they stand, without a
    normalize() per word."""
    key = normalize(text)
    same = len(key) == len(text)
    for m in _WORD.finditer(key if same else text):
        k = m.group() if same else normalize(m.group())
        if k in r.titles or (k[:1] in ("و", "ف") and k[1:] in r.titles and k not in r.titles):
            yield m


class TitleIndex:
    """Every "title + name" of an article, in text order: who each title was given to."""

    def __init__(self, text: str, entities: Sequence[Entity]):
        r = title_rules()
        self.text = text
        self.people = sorted((x for x in entities if x.label in PERSON_LABELS), key=lambda x: x.start)
        starts = [x.start for x in self.people]
        found: dict[tuple[int, int], Titled] = {}
        for m in _title_words(text, r):
            end = _CLAUSE_END.search(text, m.end())
            words = _words(text, m.start(), end.start() if end else len(text))[:12]
            ent, clause = None, words
            run = _name_run(words, r)
            if run is not None and run[1] - run[0] > MAX_NAME_WORDS - 1:
                run = None  # across a whole clause, only a short name is taken for one
            if run is not None and run[0] > 0:
                name = (words[run[0]][0], words[run[1] - 1][1])
                words = words[:run[0]]
                ent = next((x for x in self.people if x.start < name[1] and name[0] < x.end), None)
                if ent is None and self.people:
                    continue  # names are tagged here: words after a title that are not tagged are no name
            else:
                k = bisect_left(starts, m.end())
                if k < len(self.people) and clause and self.people[k].start < clause[-1][1]:
                    ent = self.people[k]  # the first tagged person after the title, inside its clause
                    words = [w for w in clause if w[1] <= ent.start]
                    if any(not (is_title(w, r) or _definite(normalize(w))) for _, _, w in words):
                        continue  # something else stands between the title and that name
                    name = (ent.start, ent.end)
                else:
                    continue
            keys = frozenset(title_key(w) for _, _, w in words if is_title(w, r) or _definite(normalize(w)))
            old = found.get(name)
            if old is None or len(keys) > len(old.keys):
                found[name] = Titled(words[0][0] if words else m.start(), keys, name, ent)
        self.titled = sorted(found.values(), key=lambda t: t.start)

    def holder(self, s: int, e: int) -> Optional[Titled]:
        """Who the title phrase at [s, e) stands for: the latest earlier title+name whose title has its words."""
        keys = {title_key(w) for _, _, w in _words(self.text, s, e)}
        best = None  # the closest title (fewest other words: "وزير الدفاع" before "وزير الدفاع وكبير ..."), latest
        for t in self.titled:
            if t.name[1] > s:
                break
            if t.name[0] < e and keys <= t.keys and (best is None or len(t.keys) <= len(best.keys)):
                best = t
        return best


def named_mention(entity: Entity, entities: Sequence[Entity]) -> Entity:
    """The mention of the entity's cluster that names it: the longest that is not a title (itself if none)."""
    if entity.cluster is None:
        return entity
    r = title_rules()
    members = [x for x in entities if x.cluster == entity.cluster]
    named = [x for x in members if x.text.split() and not is_title(x.text.split()[0], r)]
    if not named:
        return entity
    return max(named, key=lambda x: (len(x.text), -x.start))


def resolve(text: str, sp: Speaker, entities: Sequence[Entity], index: Callable[[], TitleIndex]) -> Speaker:
    """The speaker a quote is given: a clustered mention's named mention, a title phrase's holder, the name inside
    a title + name phrase; otherwise the speaker as found. `index()` gives the article's TitleIndex, built only
    when a title needs it."""
    if sp.entity is not None:
        named = named_mention(sp.entity, entities)
        if named is not sp.entity:
            return Speaker(named.start, named.end, named.text, named)
        if not is_title_phrase(text, sp.start, sp.end):
            return sp
    name = name_in_phrase(text, sp.start, sp.end)
    if name is not None:
        ent = next((x for x in entities if (x.start, x.end) == name), None)
        return Speaker(name[0], name[1], text[name[0]:name[1]], ent)
    if is_title_phrase(text, sp.start, sp.end):
        t = index().holder(sp.start, sp.end)
        if t is not None:
            ent = named_mention(t.entity, entities) if t.entity is not None else None
            if ent is not None:
                return Speaker(ent.start, ent.end, ent.text, ent)
            return Speaker(t.name[0], t.name[1], text[t.name[0]:t.name[1]])
    return _plain_phrase(text, sp, entities) if sp.entity is None else sp


def _plain_phrase(text: str, sp: Speaker, entities: Sequence[Entity]) -> Speaker:
    """A speaker phrase that names no one: a statement of a tagged name is that name (حسب بيان [name]); a
    description ends before a relative clause or a verb of being (شهود عيان [كانوا ...], التقرير [الذي ...])."""
    words, r = _words(text, sp.start, sp.end), title_rules()
    if len(words) > 1 and normalize(words[0][2]) in r.statement_nouns:
        ent = next((x for x in entities if x.start == words[1][0]), None)
        if ent is not None:
            return Speaker(ent.start, ent.end, ent.text, ent)
    cut = next((k for k, w in enumerate(words) if k and normalize(w[2]) in r.phrase_ends), None)
    if cut is None:
        return sp
    end = words[cut - 1][1]
    return Speaker(sp.start, end, text[sp.start:end])


def pronoun_owner(text: str, ss: int, cue: tuple[int, int], entities: Sequence[Entity],
                  taken: Sequence[tuple[int, int]]) -> Optional[Speaker]:
    """"نقلت الوكالة عن [name] قوله إن ...": a cue that is a noun with its speaker's pronoun speaks for the last
    person named before it in the sentence (outside quotes), not for the verb's subject."""
    if normalize(text[cue[0]:].split(None, 1)[0].strip("،,.:")) not in title_rules().pronoun_nouns:
        return None
    for x in reversed(entities):
        if x.end <= cue[0] and x.start >= ss and x.label == "PER" and not any(a <= x.start < b for a, b in taken):
            return Speaker(x.start, x.end, x.text, x)
    return None


def suggest_links(text: str, entities: Sequence[Entity]) -> list[tuple[str, str]]:
    """(mention id, named mention id) pairs to link: a repeated name or a family name to the first full name
    before it, a tagged title to the person it was given to. Pairs already in one cluster are left out."""
    r = title_rules()
    people = sorted((x for x in entities if x.label in PERSON_LABELS), key=lambda x: x.start)
    index = TitleIndex(text, entities)
    out: list[tuple[str, str]] = []
    for k, x in enumerate(people):
        key = normalize(x.text)
        words = key.split()
        target = None
        if words and is_title(words[0], r):
            t = index.holder(x.start, x.end)
            target = t.entity if t is not None and t.entity is not None and t.entity.id != x.id else None
        else:
            for y in people[:k]:
                other = normalize(y.text)
                if other == key or (len(words) == 1 and len(other.split()) > 1 and other.split()[-1] == key):
                    target = y
                    break
        if target is not None and not (x.cluster is not None and x.cluster == target.cluster):
            out.append((x.id, target.id))
    return out
