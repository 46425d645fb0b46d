"""The offset invariant: code points <-> UTF-16, word snapping, and text[start:end] == span text through export,
import and re-export, on text that mixes Arabic, tashkeel, tatweel, emoji, other astral characters, joiners,
direction marks, Latin, digits and CRLF."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.exchange.exporter import export_jsonl
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.model import DONE, FLAGGED, SKIPPED, TODO
from app.core.text.offsets import Utf16Map, snap_to_words, trim_span, word_at
from app.core.store import Project

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
TASHKEEL = [chr(c) for c in range(0x064B, 0x0653)]
TATWEEL = "\u0640"
ASTRAL = ["\U0001F44D", "\U0001D400", "\U0001F600", "\U0001F1F8\U0001F1E6", "\U00020000"]  # 👍 𝐀 😀 🇸🇦 𠀀
MARKS = ["\u200d", "\u200c", "\u200f", "\u200e"]  # ZWJ ZWNJ RLM LRM
LATIN_WORDS = ["NATO", "Javier", "Colomina", "e-mail", "OK"]
TOKENS = ARABIC_LETTERS + TASHKEEL + [TATWEEL] + ASTRAL + MARKS + LATIN_WORDS + list("0123456789٠١٢٣") + [
    " ", "  ", "\r\n", "\n", "،", ".", "\"", "“", "”", "-", "\t", "👍 ", "الكويت", "خافيير كولومينا", "كَتَبَ"]

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

mixed_text = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60).map("".join)
# Import refuses an empty or blank article, so texts that go through import hold at least one letter.
article = st.tuples(mixed_text, st.sampled_from(ARABIC_LETTERS), mixed_text).map("".join)


def u16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


# ---- Utf16Map ------------------------------------------------------------------------------------------------

@SETTINGS
@given(mixed_text)
def test_utf16_map_agrees_with_utf16_encoding(text):
    m = Utf16Map(text)
    assert m.length_cp == len(text)
    assert m.length_u16 == u16_len(text)
    for i in range(len(text) + 1):
        u = m.to_utf16(i)
        assert u == u16_len(text[:i])
        assert m.to_codepoint(u) == i  # round trip


@SETTINGS
@given(mixed_text)
def test_utf16_offset_inside_a_surrogate_pair_rounds_down(text):
    m = Utf16Map(text)
    for i, ch in enumerate(text):
        u = m.to_utf16(i)
        if ord(ch) > 0xFFFF:
            assert m.to_utf16(i + 1) == u + 2
            assert m.to_codepoint(u + 1) == i  # between the halves: the character itself
        else:
            assert m.to_utf16(i + 1) == u + 1
    # Every UTF-16 offset maps to a code point whose UTF-16 offset is at or just before it.
    for u in range(m.length_u16 + 1):
        cp = m.to_codepoint(u)
        assert 0 <= cp <= len(text)
        assert m.to_utf16(cp) in (u, u - 1)


@pytest.mark.parametrize("text", ["", "abc", "الكويت والناتو", "كَتَبَ\r\nـــ", "\u200f\u200e\u200d\u200c"])
def test_utf16_map_is_identity_without_astral_chars(text):
    m = Utf16Map(text)
    assert m.length_u16 == m.length_cp == len(text)
    for i in range(len(text) + 1):
        assert m.to_utf16(i) == i == m.to_codepoint(i)


def test_code_points_and_qt_offsets_differ_by_one_per_astral_char_before_the_span():
    text = "👍 قال 𝐀 المسؤول 😀 خافيير كولومينا إن التعاون متميز"
    start = text.index("خافيير كولومينا")
    end = start + len("خافيير كولومينا")
    assert text[start:end] == "خافيير كولومينا"
    m = Utf16Map(text)
    # Three astral characters (👍, 𝐀, 😀) lie before the span: Qt's offsets are three units larger.
    assert m.to_utf16(start) == start + 3
    assert m.to_utf16(end) == end + 3
    assert (m.to_utf16(start), m.to_utf16(end)) == (u16_len(text[:start]), u16_len(text[:end]))
    # A UTF-16 selection maps back to the same code-point span.
    assert (m.to_codepoint(start + 3), m.to_codepoint(end + 3)) == (start, end)
    # A span before any emoji is unaffected; one just after the first emoji is off by one.
    assert m.to_utf16(0) == 0
    assert m.to_utf16(text.index("قال")) == text.index("قال") + 1


def test_utf16_map_in_seed_text_with_emoji_prefix(seeds_dir):
    body = (seeds_dir / "kuwait-nato-colomina.txt").read_text(encoding="utf-8")
    text = "👍 " + body
    start = text.index("خافيير كولومينا")
    m = Utf16Map(text)
    assert m.to_utf16(start) - start == 1
    assert m.to_codepoint(m.to_utf16(start)) == start
    assert Utf16Map(body).to_utf16(body.index("خافيير")) == body.index("خافيير")


# ---- trim / snap ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, sel, expected", [
    ("قال خافيير كولومينا اليوم", ("قال خا", None), "قال خافيير"),            # grows to the whole last word
    ("قال خافيير كولومينا اليوم", ("افيير كو", None), "خافيير كولومينا"),     # both ends inside words
    ("قال  «الناتو»  اليوم", ("«الناتو» ", None), "الناتو"),                  # punctuation trimmed
    ("كَتَبَ الرَّجُلُ", ("كَت", None), "كَتَبَ"),                                # trailing tashkeel stays with the word
    ("الكويـــت دولة", ("الكو", None), "الكويـــت"),                         # tatweel belongs to the word
    ("\u200fالناتو\u200f هنا", ("\u200fالناتو\u200f", None), "الناتو"),       # RLM trimmed
    ("می\u200cخواهم رفت", ("می", None), "می\u200cخواهم"),                     # ZWNJ joins inside a word
    ("عام 2004، وهو", ("200", None), "2004"),
])
def test_snap_to_words(text, sel, expected):
    part, _ = sel
    start = text.index(part)
    s, e = snap_to_words(text, start, start + len(part))
    assert text[s:e] == expected


@pytest.mark.parametrize("text, start, end", [("قال ، «» هنا", 3, 8), ("   ", 0, 3), ("abc", 2, 2)])
def test_snap_to_words_of_nothing_word_like_is_empty(text, start, end):
    s, e = snap_to_words(text, start, end)
    assert s == e


def test_snap_clamps_out_of_range_selection():
    text = "الناتو"
    assert snap_to_words(text, -5, 100) == (0, len(text))


def test_trim_span_and_word_at():
    text = " «الكويت» "
    assert text.__getitem__(slice(*trim_span(text, 0, len(text)))) == "الكويت"
    text = "قال خافيير كولومينا"
    assert text.__getitem__(slice(*word_at(text, text.index("خافيير") + 2))) == "خافيير"
    # Right after a word (caret at its end) still finds it; between two spaces finds nothing.
    assert text.__getitem__(slice(*word_at(text, text.index("قال") + 3))) == "قال"
    assert word_at("a  b", 2) == (2, 2)


@SETTINGS
@given(mixed_text, st.data())
def test_snap_result_is_inside_text_and_whole_words(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = snap_to_words(text, start, end)
    assert 0 <= s <= e <= len(text)
    if s < e:
        from app.core.text.offsets import is_word_char
        assert is_word_char(text[s]) and is_word_char(text[e - 1])
        assert s == 0 or not is_word_char(text[s - 1])
        assert e == len(text) or not is_word_char(text[e])
        assert snap_to_words(text, s, e) == (s, e)  # idempotent


# ---- the invariant through the store, export and import ---------------------------------------------------------

def _import_texts(project: Project, folder: Path, texts: list[str]) -> list[int]:
    src = folder / "src.jsonl"
    with open(src, "w", encoding="utf-8", newline="") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n")
    import_sources(project, [src])
    keys = [r.key for r in project.list_documents(limit=10_000)]
    assert [project.document(k).text for k in keys] == texts  # stored exactly as given
    return keys


def _span(data, text: str) -> tuple[int, int]:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    return start, end


def _annotate(project: Project, data, doc_key: int, annotator: str) -> None:
    text = project.document(doc_key).text
    labels = sorted(project.label_names("entity"))
    ents = []
    for _ in range(data.draw(st.integers(0, 5))):
        s, e = _span(data, text)
        ents.append(project.add_entity(doc_key, annotator, s, e, data.draw(st.sampled_from(labels))))
    quotes = []
    for _ in range(data.draw(st.integers(0, 2))):
        s, e = _span(data, text)
        cue = _span(data, text) if data.draw(st.booleans()) else None
        speaker = data.draw(st.sampled_from([None] + [x.id for x in ents]))
        kind = data.draw(st.sampled_from(["direct", "indirect"]))
        quotes.append(project.add_quote(doc_key, annotator, s, e, speaker=speaker, cue=cue, kind=kind,
                                        speaker_text="" if speaker else data.draw(st.sampled_from(["", "مصدر"]))))
    for _ in range(data.draw(st.integers(0, 2))):
        target = data.draw(st.sampled_from([None] + [x.id for x in ents]))
        scope = data.draw(st.sampled_from(["document"] + [q.id for q in quotes]))
        project.add_stance(doc_key, annotator, data.draw(st.sampled_from(["favor", "against", "neutral"])),
                           target=target, scope=scope)
    if ents and data.draw(st.booleans()):  # a deleted speaker/target leaves its text behind, unlinked
        project.delete_entity(doc_key, annotator, data.draw(st.sampled_from([x.id for x in ents])))
    project.set_status(doc_key, annotator, data.draw(st.sampled_from([TODO, DONE, SKIPPED, FLAGGED])))


def _check_invariant(line: dict) -> int:
    text, n = line["text"], 0
    for e in line["entities"]:
        assert text[e["start"]:e["end"]] == e["text"] != ""
        n += 1
    ents = {e["id"]: e["text"] for e in line["entities"]}
    for q in line["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"] != ""
        if q["cue"] is not None:
            assert text[q["cue"]["start"]:q["cue"]["end"]] == q["cue"]["text"]
        if q["speaker"] is not None:
            assert q["speaker_text"] == ents[q["speaker"]]
        n += 1
    for s in line["stances"]:
        if s["target"] is not None:
            assert s["target_text"] == ents[s["target"]]
    return n


@SETTINGS
@given(article, st.data())
def test_exported_entity_spans_match_the_text(text, data):
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.db") as project:
        (key,) = _import_texts(project, Path(tmp), [text])
        added = []
        for _ in range(data.draw(st.integers(1, 8))):
            s, e = _span(data, text)
            added.append(project.add_entity(key, "alice", s, e, data.draw(st.sampled_from(["PER", "ORG", "GPE"]))))
        export_jsonl(project, Path(tmp) / "out.jsonl")
        (line,) = [json.loads(x) for x in (Path(tmp) / "out.jsonl").read_text(encoding="utf-8").splitlines()]
        assert line["text"] == text
        assert len(line["entities"]) == len(added)
        assert _check_invariant(line) == len(added)
        got = {(e["start"], e["end"], e["label"], e["text"]) for e in line["entities"]}
        assert got == {(a.start, a.end, a.label, text[a.start:a.end]) for a in added}
        # The UI works in UTF-16: converting a span there and back must land on the same code points.
        m = Utf16Map(text)
        for e in line["entities"]:
            u0, u1 = m.to_utf16(e["start"]), m.to_utf16(e["end"])
            assert text.encode("utf-16-le")[2 * u0:2 * u1].decode("utf-16-le") == e["text"]
            assert (m.to_codepoint(u0), m.to_codepoint(u1)) == (e["start"], e["end"])


@SETTINGS
@given(st.lists(article, min_size=1, max_size=4, unique=True), st.data())
def test_export_import_export_gives_identical_lines(texts, data):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Project.create(tmp / "a.db") as a:
            keys = _import_texts(a, tmp, texts)
            for key in keys:
                for annotator in data.draw(st.lists(st.sampled_from(["alice", "bob", "gold"]), unique=True,
                                                    max_size=3)):
                    _annotate(a, data, key, annotator)
            export_jsonl(a, tmp / "first.jsonl")
        first = (tmp / "first.jsonl").read_bytes()
        lines = [json.loads(x) for x in first.decode("utf-8").split("\n")[:-1]]
        for line in lines:
            _check_invariant(line)
        assert {line["text"] for line in lines} == set(texts)

        with Project.create(tmp / "b.db") as b:
            import_sources(b, [tmp / "first.jsonl"], ImportOptions(gold=True))  # gold moves on purpose
            export_jsonl(b, tmp / "second.jsonl")
            # Re-importing the export into the project it came from changes nothing.
            summary = import_sources(b, [tmp / "second.jsonl"], ImportOptions(gold=True))
            assert summary.new_documents == 0 and summary.annotation_sets == 0
            export_jsonl(b, tmp / "third.jsonl")
        second = (tmp / "second.jsonl").read_bytes()
        assert second.split(b"\n") == first.split(b"\n")
        assert (tmp / "third.jsonl").read_bytes() == first


def test_round_trip_keeps_crlf_astral_and_marks_exactly(tmp_path):
    text = "👍 قال\r\nخافيير كولومينا\u200f (NATO) إنّ الكويـــت 𝐀 شريك\u200d مُتَمَيِّز 2004\r\n"
    with Project.create(tmp_path / "a.db") as a:
        (key,) = _import_texts(a, tmp_path, [text])
        s = text.index("خافيير كولومينا")
        per = a.add_entity(key, "alice", s, s + len("خافيير كولومينا"), "PER")
        k = text.index("الكويـــت")
        a.add_entity(key, "alice", k, k + len("الكويـــت"), "GPE")
        q0 = text.index("إنّ")
        a.add_quote(key, "alice", q0, len(text) - 2, speaker=per.id, cue=(text.index("قال"), text.index("قال") + 3))
        export_jsonl(a, tmp_path / "1.jsonl")
    raw = (tmp_path / "1.jsonl").read_bytes()
    assert raw.count(b"\n") == 1  # CRLF inside the text is escaped: one record, one line
    line = json.loads(raw)
    assert line["text"] == text
    ents = {e["label"]: e for e in line["entities"]}
    assert ents["PER"]["start"] == s  # code points, not UTF-16 (which would be s + 1)
    assert ents["PER"]["text"] == "خافيير كولومينا"
    assert line["quotes"][0]["speaker_text"] == "خافيير كولومينا"
    with Project.create(tmp_path / "b.db") as b:
        import_sources(b, [tmp_path / "1.jsonl"])
        export_jsonl(b, tmp_path / "2.jsonl")
    assert (tmp_path / "2.jsonl").read_bytes() == raw
