"""Who speaks: the subject between a cue and its content, told apart from what else stands there.

"وقال الوزير لبي بي سي في بيان الجمعة إن ...": the speaker is الوزير; لبي بي سي is the addressee, في بيان and
الجمعة say where and when. An apposition gives the first name ("قالت سارة ساندرز، المتحدثة باسم ...، إن"), or,
with entities tagged, the tagged name among its parts ("قال مؤلف الكتاب، الصحفي بوب وودورد، إن"). Nothing left
means the cue has no subject of its own and the previous speaker goes on. The word lists are data
(reporting.json); nothing here is compiled per call.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..model import Entity
from ..text.arabic import normalize
from .reporting import Rules

_TOKEN = re.compile(r"[^\s،,:؛;\-–—]+|[،,:؛;\-–—]")
_SEPARATORS = frozenset("،,:؛;-–—")
PREFERRED = ("PER", "ORG", "GPE")


@dataclass(frozen=True)
class Speaker:
    start: int
    end: int
    text: str
    entity: Optional[Entity] = None

    @property
    def id(self) -> Optional[str]:
        return self.entity.id if self.entity else None


def _is_addressee(word: str, start: int, entities_at: set, r: Rules, phrase_start: bool) -> bool:
    """لبي بي سي، للصحفيين، لأوباما; inside a name phrase a ل word continues it (نائب القائد العام للحرس)."""
    if start in entities_at:  # a tagged name that merely starts with ل (لافرنتييف)
        return False
    k = normalize(word)
    return k in r.addressee_words or (phrase_start and (k.startswith("لل") or k.startswith("لـ"))) or \
        (k.startswith("ل") and start + 1 in entities_at)


def segments(text: str, s: int, e: int, entities_at: set, r: Rules,
             resumptive: bool = False) -> list[tuple[int, int]]:
    """The candidate name phrases in [s, e): comma-separated parts with addressee, place and time phrases left
    out; a phrase that starts like one (لبي بي سي، في بيان) runs to the next comma. `resumptive`: the cue opens a
    relative clause, whose preposition + pronoun (التي يقول عنها [name] إنها) points back to the noun before it
    and is a phrase by itself; elsewhere (وصفت فيه تصريحات ...) what follows it is no subject."""
    out: list[tuple[int, int]] = []
    cur: Optional[list[int]] = None
    skipping = False
    for m in _TOKEN.finditer(text, s, e):
        w, ws, we = m.group(), m.start(), m.end()
        if w in _SEPARATORS:
            if cur:
                out.append((cur[0], cur[1]))
            cur, skipping = None, False
            continue
        if skipping:
            continue
        k = normalize(w)
        if resumptive and k in r.pronoun_preps:
            if cur:
                out.append((cur[0], cur[1]))
            cur = None
            continue
        if k in r.preps or _is_addressee(w, ws, entities_at, r, cur is None):
            if cur:
                out.append((cur[0], cur[1]))
            cur, skipping = None, True
            continue
        if k in r.adverbs or w[0].isdigit():
            if cur:
                out.append((cur[0], cur[1]))
                cur = None
            continue
        if cur is None:
            cur = [ws, we]
        else:
            cur[1] = we
    if cur:
        out.append((cur[0], cur[1]))
    return out


def subject(text: str, s: int, e: int, entities: Sequence[Entity], r: Rules,
            head: bool = False, resumptive: bool = False) -> Optional[Speaker]:
    """The speaker named between a cue (ending at s) and its content (starting at e), or None. `head`: the
    phrase names a source as a whole ("مصادر مقربة من الحوثيين"), so a tagged name counts only where it begins
    the phrase or an apposition of it."""
    inside = [x for x in entities if s <= x.start and x.end <= e and _heads(text, x, s, r)]
    parts = segments(text, s, e, {x.start for x in inside}, r, resumptive)
    if not parts:
        return None
    if head:
        for k, (ps, pe) in enumerate(parts):
            lead = [x for x in inside if x.start == ps and x.end <= pe and (k == 0 or x.label == "PER")]
            if lead:
                return Speaker(lead[0].start, lead[0].end, lead[0].text, lead[0])
        inside = []
    if inside:
        for ps, pe in parts:  # the apposition's first part that holds a tagged name
            found = [x for x in inside if ps <= x.start and x.end <= pe]
            if found:
                best = min(found, key=lambda x: (PREFERRED.index(x.label), x.start))
                return Speaker(best.start, best.end, best.text, best)
    ps, pe = parts[0]
    if len(text[ps:pe].split()) > r.max_speaker_words:
        return None
    return Speaker(ps, pe, text[ps:pe])


def _heads(text: str, x: Entity, s: int, r: Rules) -> bool:
    """False for a name that qualifies another noun: written onto a proclitic (بوزارة الخارجية) or after من،
    في، باسم ... (مصادر مقربة من الحوثيين), or an abbreviation in brackets (CNN)."""
    if x.start > s and (text[x.start - 1].isalpha() or text[x.start - 1] == "("):
        return False
    before = text[max(s, x.start - 8):x.start].split()
    return not (before and normalize(before[-1]) in r.modifier_words)


def antecedent(text: str, rel_start: int, entities: Sequence[Entity]) -> Optional[Speaker]:
    """The tagged name a relative clause is about: the one ending right before its pronoun ("هانت، ما وصفه")."""
    for x in reversed(entities):
        if x.end <= rel_start and not text[x.end:rel_start].strip(" ،,"):
            return Speaker(x.start, x.end, x.text, x)
        if x.end < rel_start - 4:
            break
    return None


def right_before(text: str, cue_start: int, entities: Sequence[Entity], r: Rules,
                 taken: Sequence[tuple[int, int]] = ()) -> Optional[Speaker]:
    """"الرئيس الإيراني، حسن روحاني قائلا": a tagged person written right before a cue that has no subject after
    it (only spaces between) is its subject, unless the name is part of a quote or qualifies another noun."""
    for x in reversed(entities):
        if x.end <= cue_start:
            if x.label == "PER" and not text[x.end:cue_start].strip() and _heads(text, x, 0, r) \
                    and not any(a <= x.start < b for a, b in taken):
                return Speaker(x.start, x.end, x.text, x)
            return None
    return None


def reported_subject(text: str, start: int, end: int, entities: Sequence[Entity]) -> Optional[Speaker]:
    """"ويذكر الكتاب أن ماتيس سخر من ترامب، وقال لمعاونيه إن ...": a person opening a reported clause is the
    subject the next cue without one goes on with (the verbs are coordinated inside the report)."""
    for x in entities:
        if x.start == start and x.label == "PER":
            return Speaker(x.start, x.end, x.text, x)
    return None


def own_subject_follows(text: str, cue_end: int, r: Rules) -> bool:
    """"التي قال فيها الوزير إن": a relative clause whose cue carries a preposition + pronoun has a subject of its
    own after it, so it counts without a tagged antecedent."""
    nxt = text[cue_end:cue_end + 8].split()[:1]
    return bool(nxt) and normalize(nxt[0]) in r.pronoun_preps


def imperfect(form: str, lemma: str) -> bool:
    """يقول، تقول، يتساءل (not قالت، تابع، تساءلت): the present-tense verb a description of a noun is written with."""
    k, lem = normalize(form), normalize(lemma)
    return k.startswith("ي") or (k.startswith("ت") and (not lem.startswith("ت") or k.startswith("تت")))


def described_before(text: str, ss: int, cue_start: int, cue_end: int, lemma: str, entities: Sequence[Entity],
                     r: Rules, most: int = 5) -> Optional[Speaker]:
    """"ما جاء في كتاب جديد يقول إنه ..." / "...، رسالة من مكتب [name] تقول إن": Arabic puts no relative pronoun
    after an indefinite noun, so a cue right after an indefinite noun phrase (opened by a comma or a preposition)
    is that phrase's clause (its verb in the present tense: see `imperfect`, and of the head noun's gender: تقول
    after رسالة, يقول after كتاب, so "في وظيفة حكومية يرى أن" is not the job's) and the phrase is the speaker.
    A definite or tagged head, or a word that is no noun of a description (adverb, relative pronoun, lead word),
    gives nothing: the usual rules decide."""
    if not imperfect(text[cue_start:cue_end], lemma):
        return None
    feminine = normalize(text[cue_start]) == "ت"
    words = list(_TOKEN.finditer(text, ss, cue_start))
    phrase: list = []
    for m in reversed(words):
        k = normalize(m.group())
        if m.group() in _SEPARATORS or (k in r.preps or k in r.modifier_words or k in r.addressee_words) and k != "من":
            break
        if k in r.adverbs or k in r.relative or k in r.lead_words or k in r.pronoun_preps or k in r.lemma_of \
                or len(phrase) == most:
            return None
        phrase.insert(0, m)
    else:
        return None  # (the sentence's opening words: its subject, seen by the other rules)
    head = normalize(phrase[0].group()) if phrase else ""
    if not head or head.startswith(("ال", "وال", "فال")) or head.endswith("ة") != feminine:
        return None
    s, e = phrase[0].start(), phrase[-1].end()
    if any(x.start == s for x in entities):  # (a name: right_before decides; "مكتب [name] تقول" is the office's)
        return None
    return Speaker(s, e, text[s:e])


def too_far(text: str, cue_end: int, s: int, complementiser: bool, needs_opener: bool, r: Rules) -> bool:
    """Whether what opens the content at s is too far from the cue to be its opener. After a relative aside
    (كيري، الذي قاد ...، أن) more words may stand between; before a complementiser, a where/when phrase ("وصف
    [name]، في تدوينة نشرها عبر حسابه، المسيرة بأنها") says nothing of the subject and does not count, while a
    colon, a quotation mark or a preposition that far off opens nothing."""
    words = text[cue_end:s].split()
    gap = len(words)
    aside = 3 if any(normalize(w) in r.relative for w in words[:4]) else 1
    named = gap if gap <= r.opener_words or not complementiser else \
        sum(len(text[a:b].split()) for a, b in segments(text, cue_end, s, set(), r))
    return gap > (r.max_speaker_words + 4) * aside or (needs_opener and named > r.opener_words * aside)


def taken_back(text: str, q, cue_start: int, entities: Sequence[Entity], r: Rules) -> Optional[tuple[Speaker, int]]:
    """"... متوعدا بعقوبات ضد طهران، وهو الأمر الذي رد عليه الرئيس الإيراني، [name] قائلا إن": an indirect quote
    with no quotation marks ran up to a tagged person written right before a cue with no subject of its own. That
    person is the cue's subject and the quote ends at the comma before the clause that names them: (speaker, the
    quote's new end), or None when the quote is in marks or no comma stands between."""
    near = right_before(text, cue_start, entities, r)
    if near is None or q.kind != "indirect" or not q.start < near.start < q.end <= cue_start \
            or any(c in text[q.start:q.end] for c in "\"«»“”"):
        return None
    cut = max(text.rfind("،", q.start, near.start), text.rfind(",", q.start, near.start))
    end = len(text[q.start:cut].rstrip()) + q.start if cut > q.start else -1
    return (near, end) if end - q.start >= 6 else None
