"""Quote suggestions from Arabic reporting patterns: "وقال الوزير إن ..." proposes a quote, its cue and speaker.

News Arabic reports speech in a handful of shapes, all handled from data (resources/arabic/reporting.json, compiled
once in reporting.py):
- a cue verb (قال، أكد، أشار، تابع، نفى ... with و/ف/ل, an attached pronoun: قاله) or a participle (مؤكدا،
  قائلة) then the speaker, then what opens the content: a complementiser whose attached pronoun is not quoted
  (إنه، أنها، بأن، فإن), a colon, a quotation mark, or the cue's own preposition (أشار إلى، طالب ب);
- a source attribution without a speech verb (بحسب، وفقا لـ، نقلا عن، على لسان): at the start of a sentence it
  introduces the clause after its comma, elsewhere it attributes the clause before it;
- text between quotation marks is direct speech, even across full stops (one quote from mark to mark);
- a cue after a relative pronoun speaks for the tagged name before it (هانت، ما وصفه بأنه ...);
- no subject of its own (وأضاف أن ...): a name earlier in the sentence (وكان الوزير قد قال) or the previous speaker.
The speaker is told apart from an addressee or a time/place phrase in speaker.py. Suggestions are proposals only.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Optional, Sequence

from ..model import Entity
from ..text.arabic import normalize
from .quotemarks import Marks as _Marks, mark_spans, sentences as _sentences
from .reporting import Rules, cue_forms, find_cues, find_sources, rules  # noqa: F401 (cue_forms: for snapping)
from .clusters import (TitleIndex, apposed_name, is_title_phrase, name_alone, opening_title, pronoun_owner,
                       resolve)
from .speaker import (Speaker, antecedent, described_before, own_subject_follows, reported_subject, right_before,
                      subject, taken_back, too_far)

SPEAKER_LABELS = ("PER", "ORG", "GPE")
_TRIM = " \t\r\n،,:؛;-–—."
_INNER_TRIM = " \t\r\n،,.؛;!?؟"
_MIN_DIRECT, _MIN_INDIRECT = 2, 6


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
class _Event:
    start: int
    end: int  # the cue word (or the source words) ends here
    lemma: str
    hal: bool = False
    source: bool = False
    relative: int = -1  # start of the relative pronoun right before the cue, if any
    cue_end: int = -1  # the cue word's end when a pronoun is attached (قاله): `end` is after the pronoun
    joined: bool = True  # و/ف before it, a participle, or a lead word (لذلك يرى): it may start a new quote

    @property
    def cue(self) -> tuple[int, int]:
        return self.start, self.cue_end if self.cue_end >= 0 else self.end


def _events(text: str, r: Rules, marks: _Marks) -> list[_Event]:
    out = []
    for word_start, cs, ce, form, conj in find_cues(text, r):
        if marks.around(cs):
            continue
        before = text[max(0, word_start - 12):word_start].split()
        rel = -1
        if before and normalize(before[-1]) in r.relative:
            rel = text.rfind(before[-1], 0, word_start)
        hal = form in r.hal
        joined = conj or hal or (before and normalize(before[-1]) in r.lead_words) or \
            not text[max(0, word_start - 3):word_start].strip()  # (a paragraph's first word)
        end = word_start + len(text[word_start:].split(None, 1)[0]) if " " not in form else ce
        out.append(_Event(cs, max(ce, end), r.lemma_of.get(form, form), hal, relative=rel, cue_end=ce,
                          joined=bool(joined)))
    for m in find_sources(text, r):
        if not marks.around(m.start("src")):
            nxt = text[m.end():m.end() + 16].split()[:1]
            manner = bool(nxt) and normalize(nxt[0].strip("،,.:؛").lstrip("ل")) in r.not_a_source  # حسب تعبيره
            out.append(_Event(m.start("src"), m.end(), "", source=True, joined=not manner))
    out.sort(key=lambda ev: ev.start)
    kept: list[_Event] = []
    for ev in out:
        prev = kept[-1] if kept else None
        if prev and (prev.end > ev.start or (prev.source and not ev.source and not text[prev.end:ev.start].strip()
                                              and text[prev.start:prev.end].split()[-1] in ("ما", "لما", "حسبما"))):
            continue  # (بحسب ما أفادت ...: the source takes its verb)
        kept.append(ev)
    return kept


class _Suggester:
    def __init__(self, text: str, entities: Sequence[Entity]):
        self.text, self.r = text, rules()
        self.ents = sorted((e for e in entities if e.label in SPEAKER_LABELS), key=lambda e: e.start)
        self.by_name = {normalize(e.text): e for e in self.ents}
        self.marks = _Marks(mark_spans(text, self.r.marks))
        self.last: Optional[Speaker] = None
        self.out: list[Suggestion] = []
        self.speakers: list[Optional[Speaker]] = []  # the speaker of each suggestion in self.out
        self.titles: Optional[TitleIndex] = None  # built on the first speaker to resolve

    def run(self) -> list[Suggestion]:
        events = _events(self.text, self.r, self.marks)
        starts = [ev.start for ev in events]
        for ss, se in _sentences(self.text, self.marks):
            evs = events[bisect_right(starts, ss - 1):bisect_right(starts, se - 1)]
            live: list[_Event] = []
            for ev in evs:
                first = not any(not x.source for x in live)  # no quote running yet in this sentence
                if ev.source:
                    live.append(ev)
                elif ev.relative >= 0:  # (التي قال فيها الوزير إن: its own subject after the pronoun)
                    what = normalize(self.text[ev.relative:].split()[0]) in self.r.relative_what
                    if (what or own_subject_follows(self.text, ev.end, self.r) and self._opener(ev, se)) and first \
                            or (not what and self._antecedent(ev)):
                        live.append(ev)
                elif (ev.joined or first or self._described(ev, ss)) and (
                        ev.lemma not in self.r.needs_opener or self._opener(ev, se) is not None):
                    live.append(ev)
            self._sentence_subject(ss, se, bool(live))
            if not live:
                self._headline(ss, se)
            for i, ev in enumerate(live):
                limit = live[i + 1].start if i + 1 < len(live) else se
                if ev.source:
                    if ev.joined:  # (a manner phrase such as حسب تعبيره only ends the quote before it)
                        self._source(ev, ss, se, limit, any(not x.source for x in live[:i]))
                    continue
                # A source between the cue and its content is part of the attribution ("ومما قاله السفير بحسب
                # ملاحظات ... «...»"): the content runs to the next event after the opener.
                next_cue = next((x.start for x in live[i + 1:] if not x.source), se)
                opener = self._opener(ev, next_cue)
                if opener is not None:
                    limit = next((x.start for x in live[i + 1:] if x.start > opener[0]), se)
                self._cue(ev, ss, limit, opener)
        return sorted(self.out, key=lambda s: s.start)

    def _sentence_subject(self, ss: int, se: int, has_cue: bool) -> None:
        """A sentence that quotes nobody but opens on a name ("وشككت نيكي هيلي ...") makes that name the one
        a following "وقالت ..." carries on."""
        if has_cue:
            return
        head = self.text[ss:se].split()[:3]
        for x in self.ents:
            if x.start >= se or x.start > ss + sum(len(w) + 1 for w in head):
                break
            if x.start >= ss and x.label == "PER":
                self.last = Speaker(x.start, x.end, x.text, x)
                return

    # ---- the parts of a quote ------------------------------------------------------------------------------
    def _antecedent(self, ev: _Event) -> Optional[Speaker]:
        if ev.relative < 0 or normalize(self.text[ev.relative:].split()[0]) in self.r.relative_what:
            return None  # (ما وصفه: what the sentence's subject called ...)
        return antecedent(self.text, ev.relative, self.ents)

    def _opener(self, ev: _Event, limit: int) -> Optional[tuple[int, int]]:
        """Where the content opens after the cue: (start of what opens it, start of the content). Complementisers
        and colons inside quotation marks are the speaker's words, not openers."""
        t, r, found = self.text, self.r, []
        for m in r.open_re.finditer(t, ev.end, limit):
            prev = t[max(0, m.start() - 8):m.start()].split()[-1:]
            if prev and normalize(prev[0]) in r.not_complementiser_after:
                continue  # قبل أن، بعد أن: a conjunction
            if not self.marks.around(m.start()):
                found.append((m.start(), m.end()))
                break
        comp = found[0][0] if found else -1
        if ev.lemma not in r.needs_complementiser:
            colon = t.find(":", ev.end, limit)
            while colon >= 0 and self.marks.around(colon):
                colon = t.find(":", colon + 1, limit)
            if colon >= 0:
                found.append((colon, colon + 1))
            mark = self.marks.opening_in(ev.end, limit)
            lead = t[ev.end:mark[0]].split()[-1:] if mark else []
            if lead and (lead[0].endswith("ـ") or normalize(lead[0]) in r.modifier_words):
                mark = None  # لـ"دعم الشرعية": a name in marks, not the content
            if mark:
                words = len(t[ev.end:mark[0]].split())
                short = words <= r.mark_subject_words if ev.lemma in r.needs_opener else True
                if short and (words <= 2 or len(t[mark[0]:mark[1]].split()) >= 3):
                    found.append((mark[0], mark[0]))
            prep = r.opener_re.get(ev.lemma)
            m = prep.search(t, ev.end, limit) if prep is not None else None
            if m and not (found and m.group().startswith("ب") and len(m.group()) <= 2
                          and t[m.end():m.end() + 1] not in "\"«“"):
                found.append((m.start(), m.end()))
        if not found:
            return None
        s, e = min(found, key=lambda x: (x[0], -x[1]))
        return None if too_far(t, ev.end, s, s == comp, ev.lemma in r.needs_opener, r) else (s, e)

    def _described(self, ev: _Event, ss: int) -> Optional[Speaker]:
        return None if ev.joined or ev.relative >= 0 or ev.source else \
            described_before(self.text, ss, ev.start, ev.cue[1], ev.lemma, self.ents, self.r)

    def _titles(self) -> TitleIndex:
        if self.titles is None:
            self.titles = TitleIndex(self.text, self.ents)
        return self.titles

    def _carried(self, ev: _Event, ss: int) -> Optional[Speaker]:
        """No subject after the cue: the speaker of a quote earlier in this sentence, else the first name of the
        sentence (وكان الوزير قد قال، not inside a quote), else the last speaker."""
        taken = [(q.start, q.end) for q in self.out]
        near = right_before(self.text, ev.start, self.ents, self.r, taken)  # "[name] قائلا"
        if near is None and self.out and (back := taken_back(self.text, self.out[-1], ev.start, self.ents, self.r)):
            near, self.out[-1] = back[0], replace(self.out[-1], end=back[1])  # (the quote ran over the name)
        if near is not None:
            return near
        if self.out and self.out[-1].start >= ss:
            q = self.out[-1]  # "يذكر الكتاب أن [name] سخر ...، وقال": the reported clause's subject goes on
            verb = normalize(self.text[q.cue[0]:q.cue[1]]) in self.r.lemma_of  # (not بحسب)
            nested = reported_subject(self.text, q.start, q.end, self.ents) if q.kind == "indirect" else None
            return nested if nested is not None and verb and not ev.hal else self.speakers[-1]
        opening = opening_title(self.text, ss, ev.start)  # "ورفض وزير الدفاع ...، وقال"
        named = [(x.start, x.end, x) for x in self.ents] if self.ents else \
            [(x.name[0], x.name[1], None) for x in self._titles().titled]  # untagged: تحدث الدكتور [name]
        for s, e, x in named:
            if s >= ev.start:
                break
            if s >= ss and not any(a <= s < b for a, b in taken) and not self.marks.around(s) \
                    and self.text[e:e + 1] != ")":  # not the (CNN) of a dateline
                first = opening is not None and opening.start < s and \
                    any(c in "،,.؛;" for c in self.text[opening.end:s])  # (not "ثمن ممثل ... [name]")
                return opening if first else Speaker(s, e, self.text[s:e], x)
        return opening or self.last

    def _cue(self, ev: _Event, ss: int, limit: int, opener: Optional[tuple[int, int]]) -> None:
        t = self.text
        sp: Optional[Speaker] = None
        if opener is None:
            if ev.lemma in self.r.needs_opener:
                return
            first = ev.end + len(t[ev.end:limit]) - len(t[ev.end:limit].lstrip())
            name = next((x for x in self.ents if x.start == first), None)
            last = self.last.text if self.last else ""
            after = self._after_clause(ev, ss, limit)
            if after is not None:  # "...، قال الوزير": the clause before is the quote
                if self._add(after[0], after[1], ev, after[2], before=True) and after[2] is not None:
                    self.last = after[2]
                return
            appos = self._apposition(ev, limit) if name is None else None
            if name is not None:  # "وأكد الوزير التزام ...": a tagged name right after the cue speaks
                sp, qs = Speaker(name.start, name.end, name.text, name), name.end
            elif appos is not None:  # "قال الرئيس السابق، فلان، خطوة ...": the content follows the apposition
                sp, qs = appos
            elif last and normalize(t[first:first + len(last)]) == normalize(last):
                sp, qs = Speaker(first, first + len(last), t[first:first + len(last)]), first + len(last)
            else:  # "وأكد أهمية ...": the verb's object is what was said, by the one still speaking
                qs = ev.end
        else:
            qs = opener[1]
            if t[ev.end:opener[0]].strip(_TRIM):
                sp = subject(t, ev.end, opener[0], self.ents, self.r, resumptive=ev.relative >= 0)
            if sp is not None and sp.entity is None and is_title_phrase(t, sp.start, sp.end):
                name = apposed_name(t, sp.end, opener[0])  # untagged "قال الرئيس السابق، [name]، إن"
                sp = Speaker(name[0], name[1], t[name[0]:name[1]]) if name else sp
        sp = pronoun_owner(t, ss, ev.cue, self.ents, [(q.start, q.end) for q in self.out]) or sp  # عن [name] قوله
        sp = sp or self._described(ev, ss)  # "في كتاب جديد يقول إنه"
        if sp is None and ev.relative >= 0:
            sp = self._antecedent(ev)
        if sp is None:
            sp = self._carried(ev, ss)
        if self._add(qs, limit, ev, sp) and sp is not None:
            self.last = sp

    def _headline(self, ss: int, se: int) -> None:
        """"فلان: «...»" at the start of a sentence, with no cue verb: a headline-style quote; the colon stands
        for the cue, the few words before it name the speaker."""
        t = self.text
        colon = t.find(":", ss, min(se, ss + 60))
        if colon < 0:
            return
        nxt = colon + 1 + len(t[colon + 1:se]) - len(t[colon + 1:se].lstrip())
        pair = self.marks.opening_in(nxt, nxt + 1)
        words = t[ss:colon].split()
        if not pair or pair[0] != nxt or not 1 <= len(words) <= 4 or any(w[0].isdigit() for w in words):
            return
        sp = subject(t, ss, colon, self.ents, self.r)
        if sp is not None and self._add(nxt, pair[1] + 1, _Event(colon, colon + 1, ""), sp):
            self.last = sp

    def _after_clause(self, ev: _Event, ss: int, limit: int):
        """"...، قال الوزير." / «...» قال الوزير: a cue after a comma or a closing mark with only its subject
        after it attributes the clause before it: (start, end, speaker)."""
        t = self.text
        lead = t[ss:ev.start].rstrip()
        if ev.hal or not lead or lead[-1] not in "،,\"»”" or len(t[ev.end:limit].split()) > 6:
            return None
        sp = subject(t, ev.end, limit, self.ents, self.r)
        if sp is None:
            return None
        start = max([ss] + [q.end for q in self.out if q.end <= ev.start])
        return start, len(lead) + ss, sp

    def _apposition(self, ev: _Event, limit: int) -> Optional[tuple[Speaker, int]]:
        """With names tagged: "قال الرئيس السابق، فلان، ..." names the speaker in the first comma-separated
        parts and the content starts after them."""
        t, pos = self.text, ev.end
        for _ in range(3):
            comma = t.find("،", pos, limit)
            if comma < 0 or len(t[ev.end:comma].split()) > self.r.max_speaker_words:
                return None
            sp = subject(t, ev.end, comma, self.ents, self.r)
            if sp is not None and sp.entity is not None:
                return sp, comma + 1
            if sp is not None and not self.ents and pos > ev.end and is_title_phrase(t, ev.end, pos - 1):
                name = name_alone(t, pos, comma)  # untagged "قال الرئيس السابق، [name]، ..."
                if name is not None:
                    return Speaker(name[0], name[1], t[name[0]:name[1]]), comma + 1
            pos = comma + 1
        return None

    def _source(self, ev: _Event, ss: int, se: int, limit: int, governed: bool) -> None:
        """بحسب / وفقا لـ ...: before a comma at the start of a sentence, after the clause it attributes."""
        t, r = self.text, self.r
        cue, np_start = (ev.start, ev.start + len(t[ev.start:ev.end].split()[0])), ev.end
        verb = r.cue_re.match(t, np_start + len(t[np_start:]) - len(t[np_start:].lstrip()))
        if verb and t[ev.start:ev.end].split()[-1] in ("ما", "لما", "حسبما"):
            cue, np_start = verb.span("cue"), verb.end()
        if t.startswith("ل", np_start) and t.startswith("لل", np_start):
            np_start += 1
        leading = not t[ss:ev.start].strip(" \t،,و")
        comma = min((p for p in (t.find("،", np_start, limit), t.find(",", np_start, limit)) if p >= 0),
                    default=limit)
        sp = subject(t, np_start, comma if leading else limit, self.ents, r, head=True) or self.last
        qev = _Event(cue[0], cue[1], "")
        if leading:
            qs = comma + 1
            m = r.open_re.match(t, qs + len(t[qs:limit]) - len(t[qs:limit].lstrip()))
            if m:
                qs = m.end()
            elif t[qs:limit].lstrip().startswith("فقد "):
                qs = t.index("فقد ", qs) + 4
            if self._add(qs, limit, qev, sp):
                self.last = sp
        elif not governed:
            qs = ss + len(t[ss:ev.start]) - len(t[ss:ev.start].lstrip())
            comma = max(t.rfind("،", ss, ev.start - 2), t.rfind(",", ss, ev.start - 2))
            if comma > ss:  # "...، وهو ما تسبب في ...، حسب الحكومة": the relative clause is what is attributed
                clause = t[comma + 1:ev.start].lstrip()
                first = normalize(clause.split()[0].lstrip("و")) if clause.split() else ""
                if first in r.relative_what or first in ("هو", "هي", "هذا"):
                    qs = comma + 1 + len(t[comma + 1:ev.start]) - len(clause)
                    qs += 1 if t[qs] == "و" and t[qs + 1:qs + 2] != " " and first != "و" else 0
            if self._add(qs, ev.start, qev, sp, before=True) and sp is not None:
                self.last = sp

    def _add(self, qs: int, qe: int, ev: _Event, sp: Optional[Speaker], before: bool = False) -> bool:
        t = self.text
        while qs < qe and t[qs] in _TRIM:
            qs += 1
        m = self.r.trailing_re.search(t, qs, qe)
        if m:
            qe = m.start()
        for _ in range(3):  # "...، ولكنه قال" / "...، وقال" / "...، ليضيف": the next cue's lead-in is not quoted
            while qe > qs and t[qe - 1] in _TRIM:
                qe -= 1
            tail = t[qs:qe].split()[-1:] if qe > qs else []
            if tail and (normalize(tail[0]) in self.r.lead_words or tail[0] in ("و", "ف", "ل")):
                qe -= len(tail[0])
            else:
                break
        kind = "indirect"
        pair = self.marks.opening_in(qs, qs + 1)
        after = t[pair[1] + 1:max(qe, pair[1] + 1)] if pair else ""
        if pair and pair[0] == qs and (not after.strip(_TRIM) or after.lstrip()[:1] in "،,"):
            qs, qe, kind = qs + 1, pair[1], "direct"
            while qe > qs and t[qe - 1] in _INNER_TRIM:
                qe -= 1
        elif t[qs:qe].count('"') % 2 and t[qe - 1:qe] == '"':
            qe -= 1
            while qe > qs and t[qe - 1] in _TRIM:
                qe -= 1
        if qe - qs < (_MIN_DIRECT if kind == "direct" else _MIN_INDIRECT):
            return False
        if any(s.start < qe and qs < s.end for s in self.out):
            return False
        if sp is not None:  # a title, a clustered mention, "title + name": the one they stand for
            sp = resolve(t, sp, self.ents, self._titles)
        text, ident = (sp.text, sp.id) if sp else ("", None)
        if ident is None and text:
            link = self.by_name.get(normalize(text))
            ident = link.id if link else None
        self.out.append(Suggestion(qs, qe, ev.cue, text, ident, kind))
        self.speakers.append(sp)
        return True


def suggest_quotes(text: str, entities: Sequence[Entity] = ()) -> list[Suggestion]:
    """Proposed quotes of an article, in text order (entities help find and link speakers)."""
    return _Suggester(text, entities).run()
