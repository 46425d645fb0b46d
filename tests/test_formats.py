"""Prodigy, doccano, Label Studio, Hugging Face and spaCy: fixtures written from each format's documentation read
as documented; project -> format -> project keeps every span, quote link and stance; a hypothesis property that
export -> import keeps every span; errors name FILE:LINE; the CLI's --format."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.exchange.exporter import export_format, iter_records
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io import doccano, hf, labelstudio, prodigy
from app.core.io.conll import read_conll, write_conll
from app.core.io.formats import EXPORT_FORMATS, IMPORT_FORMATS, detect
from app.core.io.interop import ExportOptions
from app.core.io.source import SourceError
from app.core.store import Project
from app.core.text.tokenize import tokenize
from app.core.io.validate import parse_annotations

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
ANEZI = "kuwait-nato-anezi"
EMOJI_TEXT = "🇰🇼 قال خافيير كولومينا 👍 إن الكويت شريك متميز لحلف الناتو."


def at(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


def read(project: Project, path: Path, fmt: str | None = None, **kw):
    return import_sources(project, [path], ImportOptions(format=fmt, **kw))


def by_doc(project: Project) -> dict[tuple[str, str | None], dict]:
    return {(r["id"], r["annotator"]): r for r in iter_records(project)}


def content(rec: dict) -> dict:
    """A record's annotations without ids: spans by offsets, links by the offsets they point to."""
    ents = {e["id"]: (e["start"], e["end"]) for e in rec["entities"]}
    quotes = {q["id"]: (q["start"], q["end"]) for q in rec["quotes"]}
    return {
        "text": rec["text"], "status": rec["status"], "meta": rec["meta"],
        "entities": sorted((e["start"], e["end"], e["label"]) for e in rec["entities"]),
        "quotes": sorted(((q["start"], q["end"], ents.get(q["speaker"]), q["speaker_text"],
                           (q["cue"]["start"], q["cue"]["end"]) if q["cue"] else None, q["kind"])
                          for q in rec["quotes"]), key=repr),
        "stances": sorted(((s["label"], ents.get(s["target"]), s["target_text"], quotes.get(s["scope"], s["scope"]))
                           for s in rec["stances"]), key=repr),
    }


@pytest.fixture
def annotated(project, tmp_path):
    """The seeds with a rich set by alice (entities, two quotes, three kinds of stance), bob's set and gold's, and an
    article with emoji (astral characters: UTF-16 offsets differ from code points)."""
    doc = project.document(ANEZI)
    k, t = doc.key, doc.text
    per = project.add_entity(k, "alice", *at(t, "نواف العنزي"), "PER")
    gpe = project.add_entity(k, "alice", *at(t, "الكويت"), "GPE")
    project.add_entity(k, "alice", *at(t, "بلجيكا"), "GPE")
    s = t.index("نواف")
    project.add_entity(k, "alice", s, s + 4, "MISC")  # nested inside نواف العنزي
    q = project.add_quote(k, "alice", *at(t, "الكويت لديها علاقات شراكة متميزة"), speaker=per.id,
                          cue=at(t, "أكد"), kind="indirect")
    project.add_quote(k, "alice", *at(t, "أول دولة"), speaker_text="مصدر")
    project.add_stance(k, "alice", "favor", target=gpe.id, scope=q.id)
    project.add_stance(k, "alice", "neutral")
    project.add_stance(k, "alice", "against", target_text="حلف")
    project.set_status(k, "alice", "done")
    project.add_entity(k, "bob", *at(t, "الكويت"), "ORG")
    project.set_status(k, "bob", "flagged")
    project.add_entity(k, "gold", *at(t, "الكويت"), "GPE")
    project.set_status(k, "gold", "done")
    (tmp := tmp_path / "emoji.jsonl").write_text(json.dumps({
        "id": "emoji", "text": EMOJI_TEXT, "annotator": "alice", "status": "skipped",
        "entities": [{"id": "e1", **dict(zip(("start", "end"), at(EMOJI_TEXT, "خافيير كولومينا"))), "label": "PER"},
                     {"id": "e2", **dict(zip(("start", "end"), at(EMOJI_TEXT, "الناتو"))), "label": "ORG"}],
        "quotes": [{"id": "q1", **dict(zip(("start", "end"), at(EMOJI_TEXT, "الكويت شريك متميز"))), "speaker": "e1",
                    "cue": dict(zip(("start", "end"), at(EMOJI_TEXT, "قال"))), "kind": "direct"}],
        "stances": [{"label": "favor", "target": "e2", "scope": "q1"}]}, ensure_ascii=False) + "\n", "utf-8")
    import_sources(project, [tmp])
    return project


# ---- fixtures written from the formats' documentation ---------------------------------------------------------------

def test_prodigy_ner_and_relations_fixture(empty_project):
    summary = read(empty_project, FIXTURES / "prodigy.jsonl", "prodigy")
    sets = {r["annotator"]: r for r in iter_records(empty_project)}
    assert set(sets) == {"imported", "news_rel-amal"}
    assert [(e["text"], e["label"]) for e in sets["imported"]["entities"]] == [
        ("خافيير كولومينا", "PER"), ("الكويت", "GPE"), ("الناتو", "ORG")]
    assert sets["imported"]["status"] == "done"
    rel = sets["news_rel-amal"]
    (q,) = rel["quotes"]
    assert q["text"] == "الكويت شريك متميز لحلف الناتو" and q["speaker_text"] == "خافيير كولومينا"
    assert q["cue"]["text"] == "قال" and q["kind"] == "direct"
    assert any("MEMBER_OF x1" in n for n in summary.notes)


def test_prodigy_choice_fixture_gives_document_stances(empty_project):
    read(empty_project, FIXTURES / "prodigy_choice.jsonl", "prodigy")
    (rec,) = iter_records(empty_project)
    assert [(s["label"], s["target"], s["scope"]) for s in rec["stances"]] == [("favor", None, "document")]
    assert rec["annotator"] == "news_stance-amal"


def test_doccano_fixture_all_three_shapes(empty_project):
    summary = read(empty_project, FIXTURES / "doccano.jsonl", "doccano")
    recs = {r["id"]: r for r in iter_records(empty_project)}
    assert [(e["text"], e["label"]) for e in recs["1"]["entities"]] == [
        ("خافيير كولومينا", "PER"), ("الكويت", "GPE"), ("الناتو", "ORG")]
    assert recs["1"]["meta"] == {"Comments": []}
    (q,) = recs["6400"]["quotes"]
    assert q["speaker_text"] == "نواف العنزي" and q["cue"]["text"] == "أكد"
    intent = next(r for k, r in recs.items() if k not in ("1", "6400"))
    assert [(s["label"], s["target_text"]) for s in intent["stances"]] == [("favor", "الكويت")]
    assert summary.added_labels == []


def test_labelstudio_fixture_utf16_offsets_relations_choices(empty_project):
    summary = read(empty_project, FIXTURES / "labelstudio.json")  # .json: detected
    recs = {r["id"]: r for r in iter_records(empty_project)}
    rec = recs["1"]
    assert rec["annotator"] == "user-1" and rec["status"] == "done"
    assert {e["id"]: e["text"] for e in rec["entities"]} == {"gew3t9fgkg": "خافيير كولومينا", "SQF7Wv8hrZ": "الكويت"}
    (q,) = rec["quotes"]
    assert (q["id"], q["speaker"], q["cue"]["text"]) == ("0gpIsb7s27", "gew3t9fgkg", "قال")
    (s,) = rec["stances"]
    assert (s["label"], s["target"], s["target_text"]) == ("favor", "SQF7Wv8hrZ", "الكويت")
    assert recs["2"]["annotator"] is None  # a task without annotations: a bare document
    assert any("textarea x1" in n for n in summary.notes)


def test_labelstudio_json_min_fixture(empty_project):
    read(empty_project, FIXTURES / "labelstudio_min.json", "labelstudio")
    (rec,) = iter_records(empty_project)
    assert [(e["text"], e["label"]) for e in rec["entities"]] == [("وزارة الصحة الإماراتية", "ORG"),
                                                                  ("123,037", "MISC")]
    assert rec["annotator"] == "user-1"


def test_hf_fixture_with_label_file(empty_project):
    read(empty_project, FIXTURES / "hf_train.jsonl", "hf")
    recs = {r["id"]: r for r in iter_records(empty_project)}
    assert list(recs) == ["hf_train-1", "hf_train-2"]
    assert [(e["text"], e["label"]) for e in recs["hf_train-1"]["entities"]] == [
        ("خافيير كولومينا", "PER"), ("الكويت", "LOC"), ("الناتو", "ORG")]
    assert recs["hf_train-2"]["text"] == "أكد نواف العنزي ذلك ."


# ---- round trips through a project ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "labelstudio"])
def test_span_formats_round_trip_every_field(annotated, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    res = export_format(annotated, fmt, out)
    assert res.warnings == []
    with Project.create(tmp_path / "back.db") as back:
        read(back, out, fmt, gold=True)  # the fixture's gold set moves with it, on purpose
        before, after = by_doc(annotated), by_doc(back)
        assert set(before) == set(after)
        for key in before:
            assert content(after[key]) == content(before[key]), key
            if fmt == "labelstudio":  # region ids are kept: the records are identical, ids and all
                assert after[key] == before[key]


@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "labelstudio"])
def test_reimport_into_the_same_project_changes_nothing(annotated, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    export_format(annotated, fmt, out)
    summary = read(annotated, out, fmt, gold=True)
    assert summary.annotation_sets == 0 and summary.new_documents == 0


def test_labelstudio_writes_utf16_offsets(annotated, tmp_path):
    out = tmp_path / "ls.json"
    export_format(annotated, "labelstudio", out)
    tasks = json.loads(out.read_text("utf-8"))
    task = next(t for t in tasks if t["data"]["doc_id"] == "emoji")
    region = next(r for r in task["annotations"][0]["result"] if r["type"] == "labels"
                  and r["value"]["labels"] == ["PER"])
    start, end = at(EMOJI_TEXT, "خافيير كولومينا")
    assert (region["value"]["start"], region["value"]["end"]) == (start + 2, end + 2)  # 🇰🇼 = 2 astral chars
    assert region["value"]["text"] == "خافيير كولومينا"
    js_units = EMOJI_TEXT.encode("utf-16-le")
    assert js_units[2 * region["value"]["start"]:2 * region["value"]["end"]].decode("utf-16-le") == "خافيير كولومينا"
    assert task["annotations"][0]["was_cancelled"] is True  # skipped
    lines = out.read_text("utf-8").split("\n")  # one task a line: FILE:LINE points at a task
    assert lines[0] == "[" and lines[-2:] == ["]", ""] and len(lines) == len(tasks) + 3


def test_labelstudio_code_point_offsets_are_accepted_when_the_text_says_so(empty_project, tmp_path):
    s, e = at(EMOJI_TEXT, "الكويت")
    task = [{"data": {"text": EMOJI_TEXT}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": s, "end": e, "text": "الكويت", "labels": ["GPE"]}}]}]}]
    src = tmp_path / "cp.json"
    src.write_text(json.dumps(task, ensure_ascii=False), "utf-8")
    read(empty_project, src)
    (rec,) = iter_records(empty_project)
    assert rec["entities"][0]["text"] == "الكويت"


def test_hf_round_trip_and_label_file(empty_project, tmp_path):
    read(empty_project, FIXTURES / "conll2003_ar.conll")
    out = tmp_path / "train.jsonl"
    res = export_format(empty_project, "hf", out)
    assert res.files == [out, tmp_path / "train.labels.json"]
    side = json.loads((tmp_path / "train.labels.json").read_text("utf-8"))
    names = side["labels"]
    assert side["id2label"]["1"] == "B-PER" and side["label2id"]["B-PER"] == 1
    assert names[:3] == ["O", "B-PER", "I-PER"] and len(names) == 1 + 2 * 7  # the project's 7 entity labels
    lines = [json.loads(l) for l in out.read_text("utf-8").splitlines()]
    assert {tuple(sorted(l)) for l in lines} == {("annotator", "doc_id", "id", "ner_tags", "tokens")}
    first = lines[0]
    assert [names[i] for i in first["ner_tags"]][:3] == ["O", "B-PER", "I-PER"]
    assert first["tokens"][:3] == ["قال", "خافيير", "كولومينا"]
    with Project.create(tmp_path / "back.db") as back:
        read(back, out, "hf")
        def spans(p):
            return [(r["text"], [(e["start"], e["end"], e["label"]) for e in r["entities"]]) for r in iter_records(p)]
        assert spans(back) == spans(empty_project)
    bioes = tmp_path / "bioes.jsonl"
    export_format(empty_project, "hf", bioes, options=ExportOptions(scheme="bioes"))
    assert json.loads((tmp_path / "bioes.labels.json").read_text())["labels"][:5] == ["O", "B-PER", "I-PER", "E-PER", "S-PER"]


def test_hf_loads_with_datasets(empty_project, tmp_path):
    datasets = pytest.importorskip("datasets")
    read(empty_project, FIXTURES / "conll2003_ar.conll")
    out = tmp_path / "train.jsonl"
    export_format(empty_project, "hf", out)
    ds = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == 3 and ds[0]["tokens"][:2] == ["قال", "خافيير"]


def test_spacy_round_trip(annotated, tmp_path):
    pytest.importorskip("spacy")
    out = tmp_path / "train.spacy"
    res = export_format(annotated, "spacy", out)
    assert any("overlaps another entity" in w for w in res.warnings)  # the nested MISC: doc.spans only
    with Project.create(tmp_path / "back.db") as back:
        read(back, out)
        before, after = by_doc(annotated), by_doc(back)
        assert {k: content(v) for k, v in after.items()} == {k: content(v) for k, v in before.items()}


def test_spacy_missing_names_the_extra(annotated, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "spacy.tokens", None)
    monkeypatch.setitem(sys.modules, "spacy.vocab", None)
    rc = main(["export", str(annotated.path), str(tmp_path / "x.spacy"), "--format", "spacy"])
    assert rc == 1
    assert "install the spacy extra: pip install -e .[spacy]" in capsys.readouterr().err
    assert not (tmp_path / "x.spacy").exists()


# ---- errors name FILE:LINE ------------------------------------------------------------------------------------------

def _fails(project, path, fmt, line, piece):
    with pytest.raises(SourceError) as exc:
        read(project, path, fmt)
    assert str(exc.value).startswith(f"{path}:{line}: "), str(exc.value)
    assert piece in str(exc.value)
    assert project.count_documents() == 0


def test_errors_name_file_and_line(empty_project, tmp_path):
    t = "قال خافيير كولومينا"
    good = json.dumps({"text": t, "spans": [{"start": 4, "end": 10, "label": "PER"}]}, ensure_ascii=False)
    p = tmp_path / "p.jsonl"
    p.write_text(good + "\n" + json.dumps({"text": t, "spans": [{"start": 4, "end": 10, "label": "PER",
                                                                   "text": "كولومينا"}]}, ensure_ascii=False) + "\n")
    _fails(empty_project, p, "prodigy", 2, "does not match")
    d = tmp_path / "d.jsonl"
    d.write_text(json.dumps({"text": t, "entities": [{"id": 1, "label": "PER", "start_offset": 4, "end_offset": 99}]},
                            ensure_ascii=False) + "\n")
    _fails(empty_project, d, "doccano", 1, "outside the text")
    d.write_text(json.dumps({"text": t, "entities": [], "relations": [{"id": 1, "from_id": 7, "to_id": 8,
                                                                        "type": "speaker"}]}) + "\n")
    _fails(empty_project, d, "doccano", 1, "from_id and to_id must be ids")
    ls = tmp_path / "ls.json"
    ls.write_text('[\n{"data": {"text": "نص"}},\n{"data": {"text": "%s"}, "annotations": [{"result": [\n'
                  '{"id": "a", "type": "labels", "value": {"start": 0, "end": 3, "text": "خاف", "labels": ["PER"]}}'
                  ']}]}\n]' % t, "utf-8")
    _fails(empty_project, ls, "labelstudio", 3, "task #2")
    ls.write_text('[{"data": {"text": "نص"}}, {"data": ', "utf-8")
    _fails(empty_project, ls, "labelstudio", 1, "invalid JSON")
    h = tmp_path / "h.jsonl"
    h.write_text('{"tokens": ["قال"], "ner_tags": [0]}\n', "utf-8")
    _fails(empty_project, h, "hf", 1, "no label list h.labels.json")
    p.write_text(json.dumps({"text": t, "spans": [{"start": 0, "end": 3, "label": "CUE"}]}, ensure_ascii=False))
    # an orphan CUE (its quote deleted in the other tool) is a note with its offsets, not a refusal (issue 16)
    summary = read(empty_project, p, "prodigy")
    assert any(f"{p}:1: the CUE span [0, 3)" in n and "linked to no quote" in n for n in summary.notes)


def test_new_labels_added_or_refused(empty_project, tmp_path):
    d = tmp_path / "d.jsonl"
    d.write_text(json.dumps({"text": "قال خافيير", "label": [[4, 10, "PERSON"]], "cats": ["stance:pro"]},
                            ensure_ascii=False) + "\n", "utf-8")
    with pytest.raises(SourceError, match=rf"^{d}:1: entity label 'PERSON' is not in the project"):
        read(empty_project, d, "doccano", strict_labels=True)
    summary = read(empty_project, d, "doccano", label_map={"PERSON": "PER"})
    assert summary.added_labels == ["pro (stance)"]
    assert "pro" in empty_project.label_names("stance")


def test_formats_registry_and_detection():
    assert {"conll", "prodigy", "doccano", "labelstudio", "hf", "spacy"} <= set(IMPORT_FORMATS)
    assert EXPORT_FORMATS[0] == "jsonl" and "hf" in EXPORT_FORMATS
    assert [detect(Path(f"x{s}")) for s in (".conll", ".conllu", ".bio", ".iob", ".json", ".spacy", ".txt", ".xml")] \
        == ["conll", "conll", "conll", "conll", "labelstudio", "spacy", "txt", None]


def test_cli_format_flags(annotated, tmp_path, capsys):
    db = str(annotated.path)
    for fmt in ("prodigy", "doccano", "labelstudio", "hf", "conll"):
        out = tmp_path / f"out-{fmt}.jsonl"
        rc = main(["export", db, str(out), "--format", fmt, "--annotator", "alice"])
        o, err = capsys.readouterr()
        assert rc == 0 and out.exists(), err
    assert "hf" in o or "sentence" in o
    back = tmp_path / "back.db"
    main(["init", str(back)])
    rc = main(["import", str(back), str(tmp_path / "out-doccano.jsonl"), "--format", "doccano"])
    o, err = capsys.readouterr()
    assert rc == 0 and "2 annotation set(s) written" in o, err


# ---- property: export -> import keeps every span ---------------------------------------------------------------------

_WORDS = st.sampled_from(["قال", "الكويت", "حلف", "الناتو", "«", "»", "،", ".", "NATO", "٢٠٢٤", "😀", "و", "كولومينا",
                          "\u200fالناتو", "بـ"])
_SEP = st.sampled_from([" ", " ", "  ", "\n", " \n ", "\t"])


@st.composite
def records_(draw):
    words = draw(st.lists(_WORDS, min_size=1, max_size=14))
    seps = draw(st.lists(_SEP, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps)).rstrip() or "قال"
    toks = tokenize(text)
    n = len(toks)

    def span():
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i + 1, min(n, i + 4)))
        return toks[i][0], toks[j - 1][1]

    entities = []
    for k in range(draw(st.integers(0, 5))):
        s, e = span()
        entities.append({"id": f"e{k + 1}", "start": s, "end": e, "label": draw(st.sampled_from(["PER", "GPE", "ORG"])),
                         "text": text[s:e]})
    quotes = []
    for k in range(draw(st.integers(0, 2))):
        s, e = span()
        q = {"id": f"q{k + 1}", "start": s, "end": e, "text": text[s:e], "speaker": None, "speaker_text": "",
             "cue": None, "kind": draw(st.sampled_from(["direct", "indirect"]))}
        if entities and draw(st.booleans()):
            sp = draw(st.sampled_from(entities))
            q["speaker"], q["speaker_text"] = sp["id"], sp["text"]
        elif draw(st.booleans()):
            q["speaker_text"] = "مصدر"
        if draw(st.booleans()):
            cs, ce = span()
            q["cue"] = {"start": cs, "end": ce, "text": text[cs:ce]}
        quotes.append(q)
    stances = []
    for k in range(draw(st.integers(0, 2))):
        st_ = {"id": f"s{k + 1}", "target": None, "target_text": "", "scope": "document",
               "label": draw(st.sampled_from(["favor", "against"]))}
        if entities and draw(st.booleans()):
            tg = draw(st.sampled_from(entities))
            st_["target"], st_["target_text"] = tg["id"], tg["text"]
        if quotes and draw(st.booleans()):
            st_["scope"] = draw(st.sampled_from(quotes))["id"]
        stances.append(st_)
    # Two quotes at the same offsets would be told apart by nothing in the document labels: keep them distinct.
    seen, uniq = set(), []
    for q in quotes:
        if (q["start"], q["end"]) not in seen:
            seen.add((q["start"], q["end"]))
            uniq.append(q)
    stances = [s for s in stances if s["scope"] == "document" or s["scope"] in {q["id"] for q in uniq}]
    return {"id": "d", "text": text, "meta": {}, "annotator": "amal", "status": "done", "schema_version": 1,
            "entities": entities, "quotes": uniq, "stances": stances}


_SPAN_FORMATS = {
    "prodigy": (prodigy.write_prodigy, prodigy.read_prodigy),
    "doccano": (doccano.write_doccano, doccano.read_doccano),
    "labelstudio": (labelstudio.write_labelstudio, labelstudio.read_labelstudio),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records_(), st.sampled_from(sorted(_SPAN_FORMATS)))
def test_span_formats_keep_every_span_quote_and_stance(tmp_path, rec, fmt):
    write, read_ = _SPAN_FORMATS[fmt]
    out = tmp_path / f"prop.{fmt}"
    write([rec], out, ExportOptions())
    (back,) = list(read_(out, None))
    entities, quotes, stances = parse_annotations(back.raw, back.text)
    as_dict = {"text": back.text, "status": back.status, "meta": back.meta,
               "entities": [vars(e) for e in entities],
               "quotes": [dict(vars(q), cue=vars(q.cue) if q.cue else None) for q in quotes],
               "stances": [vars(s) for s in stances]}
    assert content(as_dict) == content(rec)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records_())
def test_conll_keeps_every_non_overlapping_entity_as_its_tokens(tmp_path, rec):
    kept, end = [], -1
    for e in sorted(rec["entities"], key=lambda e: (e["start"], -e["end"])):
        if e["start"] >= end and "\n" not in e["text"]:
            kept.append(e)
            end = e["end"]
    rec = dict(rec, entities=kept)
    out = tmp_path / "prop.conll"
    res = write_conll([rec], out)
    assert not [w for w in res.warnings if "quote" not in w]
    (back,) = list(read_conll(out))
    expected = [(" ".join(x["text"][s:e] for s, e in tokenize(x["text"])), x["label"]) for x in kept]
    got = [(back.text[e["start"]:e["end"]], e["label"]) for e in back.raw["entities"]]
    assert got == expected
    # ... and a pre-tokenized document comes back identical, offsets included
    again = tmp_path / "again.conll"
    write_conll([{"id": "d", "text": back.text, "meta": back.meta, "annotator": None,
                  "entities": back.raw["entities"]}], again)
    assert again.read_bytes() == out.read_bytes()
    (back2,) = list(read_conll(again))
    assert back2.text == back.text and [(e["start"], e["end"]) for e in back2.raw["entities"]] == \
        [(e["start"], e["end"]) for e in back.raw["entities"]]


def test_hf_reader_groups_by_doc_id_and_doc_size(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"tokens": ["أ"], "ner_tags": ["B-PER"]}, {"tokens": ["ب"], "ner_tags": ["O"]},
        {"tokens": ["ج"], "ner_tags": ["O"]}]) + "\n", "utf-8")
    assert [r.text for r in hf.read_hf(src)] == ["أ", "ب", "ج"]
    assert [r.text for r in hf.read_hf(src, ImportOptions(doc_size=2))] == ["أ\nب", "ج"]


def test_jsonl_export_with_a_label_map(annotated, tmp_path, capsys):
    out = tmp_path / "mapped.jsonl"
    rc = main(["export", str(annotated.path), str(out), "--annotator", "alice", "--label-map", "GPE=LOC,favor=pro"])
    assert rc == 0, capsys.readouterr().err
    lines = [json.loads(l) for l in out.read_text("utf-8").splitlines()]
    anezi = next(l for l in lines if l["id"] == ANEZI)
    assert sorted({e["label"] for e in anezi["entities"]}) == ["LOC", "MISC", "PER"]
    assert [s["label"] for s in anezi["stances"]] == ["pro", "neutral", "against"]
    assert main(["validate", str(out)]) == 0
