"""CoNLL / BIO: every quirk of real corpora handled by a documented rule or refused with FILE:LINE; CoNLL ->
project -> CoNLL gives the tokens (direction marks and all) and the tags back byte for byte; label maps, strict
labels and the labels a corpus brings; the CLI flags."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.core.exchange.exporter import export_format, iter_records
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io.conll import read_conll
from app.core.io.interop import ExportOptions
from app.core.io.source import SourceError
from app.core.store import Project

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
RLM, LRM, NBSP, BOM = "\u200f", "\u200e", "\u00a0", "\ufeff"


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def pairs(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) of a file in the exported layout (TOKEN<TAB>TAG), -DOCSTART- lines skipped."""
    out, cur = [], []
    for line in path.read_bytes().decode("utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            continue
        if line == "":
            if cur:
                out.append(cur)
            cur = []
            continue
        tok, tag = line.split("\t" if "\t" in line else " ")  # written back with the file's own separator
        cur.append((tok, tag))
    if cur:
        out.append(cur)
    return out


def imported(project: Project, path: Path, **kw):
    return import_sources(project, [path], ImportOptions(**kw))


def records(project: Project) -> list[dict]:
    return list(iter_records(project))


def ents(rec: dict) -> list[tuple[str, str]]:
    return [(e["text"], e["label"]) for e in rec["entities"]]


def fails_at(project: Project, path: Path, line: int | None, piece: str, **kw) -> None:
    before = (project.count_documents(), sorted((l.kind, l.name) for l in project.labels()))
    with pytest.raises(SourceError) as exc:
        imported(project, path, **kw)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert str(exc.value).startswith(where), str(exc.value)
    assert piece in str(exc.value)
    project._labels_cache = None
    assert (project.count_documents(), sorted((l.kind, l.name) for l in project.labels())) == before


# ---- the CoNLL-2003 layout ----------------------------------------------------------------------------------------

def test_conll2003_layout_documents_sentences_and_entities(empty_project, tmp_path):
    summary = imported(empty_project, FIXTURES / "conll2003_ar.conll")
    recs = records(empty_project)
    assert [r["id"] for r in recs] == ["conll2003_ar-1", "conll2003_ar-2"]
    assert recs[0]["text"] == "قال خافيير كولومينا إن الكويت شريك متميز لحلف الناتو .\nوأضاف أن بروكسل ترحب ."
    assert ents(recs[0]) == [("خافيير كولومينا", "PER"), ("الكويت", "LOC"), ("الناتو", "ORG"), ("بروكسل", "LOC")]
    assert ents(recs[1]) == [("نواف العنزي", "PER")]
    assert recs[0]["meta"] == {"file": "conll2003_ar.conll", "line": 1, "tokenization": "whitespace",
                               "conll_docstart": "-DOCSTART- -X- -X- O", "conll_separator": " "}
    assert recs[0]["status"] == "done" and recs[0]["annotator"] == "imported"
    assert summary.added_labels == []  # PER, LOC, ORG are default labels

    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    original = [[(l.split(" ")[0], l.split(" ")[-1]) for l in block.split("\n") if l]
                for block in (FIXTURES / "conll2003_ar.conll").read_text("utf-8").split("\n\n")
                if block.strip() and not block.startswith("-DOCSTART-")]
    assert pairs(out) == original
    assert out.read_text("utf-8").startswith("-DOCSTART- -X- -X- O\n\nقال O\nخافيير B-PER\n")


def test_anercorp_txt_needs_format_and_brings_its_own_tags(empty_project, tmp_path):
    src = FIXTURES / "anercorp_sample.txt"
    summary = imported(empty_project, src, format="conll")
    (rec,) = records(empty_project)
    assert rec["id"] == "anercorp_sample"
    assert rec["text"].startswith("فرانكفورت ( د ب ا ) أعلن اتحاد")  # no blank lines: one sentence
    assert "\n" not in rec["text"]
    assert ents(rec) == [("فرانكفورت", "LOC"), ("اتحاد الصناعة الألماني", "ORG"), ("مانفريد شنايدر", "PERS")]
    assert summary.added_labels == ["PERS (entity)"]
    assert any("added 1 label(s) the files use: PERS (entity)" in l for l in summary.lines())
    added = next(l for l in empty_project.labels("entity") if l.name == "PERS")
    assert added.key == "8" and added.color.startswith("#")


def test_txt_without_format_is_still_a_plain_article(empty_project):
    imported(empty_project, FIXTURES / "anercorp_sample.txt")
    (rec,) = records(empty_project)
    assert "B-LOC" in rec["text"] and rec["entities"] == []


def test_label_map_on_the_way_in_and_out(empty_project, tmp_path):
    summary = imported(empty_project, FIXTURES / "anercorp_sample.txt", format="conll",
                       label_map={"PERS": "PER", "LOC": "GPE"})
    assert summary.added_labels == []
    (rec,) = records(empty_project)
    assert [lab for _, lab in ents(rec)] == ["GPE", "ORG", "PER"]
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out, options=ExportOptions(label_map={"PER": "PERS", "GPE": "LOC"}))
    original = [(l.split(" ")[0], l.split(" ")[1]) for l in (FIXTURES / "anercorp_sample.txt").read_text("utf-8")
                .splitlines()]
    assert pairs(out) == [original]
    assert out.read_text("utf-8").startswith("فرانكفورت B-LOC\n")  # no -DOCSTART- added: the file had none


def test_strict_labels_refuses_the_first_new_tag_at_its_line(empty_project):
    fails_at(empty_project, FIXTURES / "anercorp_sample.txt", 15, "entity label 'PERS' is not in the project",
             format="conll", strict_labels=True)
    imported(empty_project, FIXTURES / "anercorp_sample.txt", format="conll", strict_labels=True,
             label_map={"PERS": "PER"})
    assert empty_project.count_documents() == 1


# ---- quirks ---------------------------------------------------------------------------------------------------------

def test_bom_crlf_and_no_final_newline(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", b"\xef\xbb\xbf" + "قال\tO\r\nالكويت\tB-LOC\r\n\r\nالناتو\tB-ORG".encode())
    imported(empty_project, src)
    (rec,) = records(empty_project)
    assert rec["text"] == "قال الكويت\nالناتو"
    assert ents(rec) == [("الكويت", "LOC"), ("الناتو", "ORG")]


def test_a_bom_before_docstart_in_concatenated_files(empty_project, tmp_path):
    one = "-DOCSTART- O\n\nقال\tO\n\n"
    src = write(tmp_path / "cat.conll", (BOM + one + BOM + one.replace("قال", "أكد")).encode())
    imported(empty_project, src)
    assert [r["text"] for r in records(empty_project)] == ["قال", "أكد"]


def test_direction_marks_inside_tokens_are_kept_and_stripped_around_tags(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", f"{RLM}قال{LRM}\tO\nالكويت{RLM}\tB-LOC{RLM}\n{RLM}\n{LRM}الناتو\tB-ORG\n")
    imported(empty_project, src)
    (rec,) = records(empty_project)
    assert rec["text"] == f"{RLM}قال{LRM} الكويت{RLM}\n{LRM}الناتو"  # a line of only RLM is a sentence break
    assert ents(rec) == [(f"الكويت{RLM}", "LOC"), (f"{LRM}الناتو", "ORG")]
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    assert pairs(out) == [[(f"{RLM}قال{LRM}", "O"), (f"الكويت{RLM}", "B-LOC")], [(f"{LRM}الناتو", "B-ORG")]]


def test_space_like_marks_inside_a_token_are_kept(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", f"عبد{NBSP}الله\tB-PER\nو\u2009\u202f\tO\n")
    imported(empty_project, src)
    (rec,) = records(empty_project)
    assert ents(rec) == [(f"عبد{NBSP}الله", "PER")]
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    assert pairs(out) == [[(f"عبد{NBSP}الله", "B-PER"), ("و\u2009\u202f", "O")]]


def test_a_token_holding_an_ascii_space_is_refused(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", "قال\tO\nعبد الله\tB-PER\n")
    fails_at(empty_project, src, 2, "contains a space (U+0020)")


def test_empty_tokens_tagged_o_are_kept_and_tagged_entities_refused(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", "قال\tO\n\tO\nالكويت\tB-LOC\n")
    summary = imported(empty_project, src)
    (rec,) = records(empty_project)
    assert rec["text"] == "قال  الكويت" and ents(rec) == [("الكويت", "LOC")]
    assert any("1 empty token(s) tagged O kept" in n for n in summary.notes)
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    assert out.read_text("utf-8") == "قال\tO\n\tO\nالكويت\tB-LOC\n\n"
    bad = write(tmp_path / "bad.conll", "قال\tO\n\tB-PER\n")
    fails_at(empty_project, bad, 2, "empty token tagged 'B-PER'")


def test_an_i_tag_with_no_b_opens_an_entity_and_is_counted(empty_project, tmp_path):
    src = write(tmp_path / "q.conll", "الناتو\tI-ORG\nو\tO\nحلف\tI-ORG\nالناتو\tI-ORG\nالكويت\tI-LOC\n")
    summary = imported(empty_project, src)
    (rec,) = records(empty_project)
    assert ents(rec) == [("الناتو", "ORG"), ("حلف الناتو", "ORG"), ("الكويت", "LOC")]
    assert any("3 entity(ies) open with I- or E- and no B-" in n for n in summary.notes)


def test_iob1_bioes_and_bilou_read_alike(empty_project, tmp_path):
    iob1 = write(tmp_path / "iob1.conll", "أ\tI-PER\nب\tI-PER\nج\tB-PER\nد\tO\nه\tI-LOC\n")
    bioes = write(tmp_path / "bioes.bio", "ا\tB-PER\nب\tE-PER\nج\tS-PER\nد\tO\nه\tS-LOC\n")
    bilou = write(tmp_path / "bilou.iob", "ا\tB-PER\nب\tL-PER\nج\tU-PER\nد\tO\nهـ\tU-LOC\n")
    for src in (iob1, bioes, bilou):
        imported(empty_project, src)
    got = {r["id"]: [(e["text"], e["label"]) for e in r["entities"]] for r in records(empty_project)}
    assert got == {"iob1": [("أ ب", "PER"), ("ج", "PER"), ("ه", "LOC")],
                   "bioes": [("ا ب", "PER"), ("ج", "PER"), ("ه", "LOC")],
                   "bilou": [("ا ب", "PER"), ("ج", "PER"), ("هـ", "LOC")]}
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out, annotator="imported", options=ExportOptions(scheme="bioes"))
    assert [t for s in pairs(out) for _, t in s][:5] == ["B-PER", "E-PER", "S-PER", "O", "S-LOC"]
    export_format(empty_project, "conll", out)
    # IOB2 export writes the file's own I- starts back (issue 16: round trip tag for tag)
    assert [t for s in pairs(out) for _, t in s][:5] == ["I-PER", "I-PER", "B-PER", "O", "I-LOC"]


@pytest.mark.parametrize("content, line, piece", [
    ("قال\tO\nالكويت\tLOC\n", 2, "tag 'LOC' is not O or B-/I-/E-/S-"),
    ("قال\tO\nالكويت\tB_LOC\n", 2, "tag 'B_LOC'"),
    ("قال\tO\nالكويت\tB-\n", 2, "tag 'B-'"),
    ("قال\tO\nالكويت\n", 2, "got 1 column(s)"),
    ("قال\tO\nالكويت\rB-LOC\n", 2, "carriage return inside a line"),
    ("\n\n  \n", None, "empty file"),
])
def test_malformed_lines_are_refused_with_file_and_line(empty_project, tmp_path, content, line, piece):
    fails_at(empty_project, write(tmp_path / "bad.conll", content), line, piece)


def test_invalid_utf8_names_the_line(empty_project, tmp_path):
    src = write(tmp_path / "bad.conll", "قال\tO\n".encode() + b"\xff\tO\n")
    fails_at(empty_project, src, 2, "not valid UTF-8")


def test_a_failed_import_adds_no_labels(empty_project, tmp_path):
    src = write(tmp_path / "bad.conll", "قال\tB-NEWTAG\n\nالكويت\tX-LOC\n")
    fails_at(empty_project, src, 3, "tag 'X-LOC'")
    assert "NEWTAG" not in empty_project.label_names("entity")


def test_space_separated_columns_and_tag_column(empty_project, tmp_path):
    src = write(tmp_path / "cols.conll", "قال   VBD  O   x\nالكويت NNP B-LOC x\n")
    imported(empty_project, src, tag_column=3)
    (rec,) = records(empty_project)
    assert rec["text"] == "قال الكويت" and ents(rec) == [("الكويت", "LOC")]
    fails_at(empty_project, write(tmp_path / "c2.conll", "قال O\n"), 1, "--tag-column 1 is the token column",
             tag_column=1)
    fails_at(empty_project, write(tmp_path / "c3.conll", "قال O\n"), 1, "no column 5", tag_column=5)


def test_doc_size_splits_documents_by_sentence_count(empty_project, tmp_path):
    src = write(tmp_path / "big.bio", "".join(f"ج{i}\tO\nالكويت\tB-LOC\n\n" for i in range(5)))
    imported(empty_project, src, doc_size=2)
    recs = records(empty_project)
    assert [r["id"] for r in recs] == ["big-1", "big-2", "big-3"]
    assert [r["text"].count("\n") + 1 for r in recs] == [2, 2, 1]
    assert [r["meta"]["line"] for r in recs] == [1, 7, 13]
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    assert out.read_bytes() == src.read_bytes()  # no -DOCSTART- invented: the corpus had none


def test_conllu_comments_ranges_and_misc_ner(empty_project, tmp_path):
    src = write(tmp_path / "ud.conllu", "# sent_id = 1\n# text = قال الكويت\n"
                "1\tقال\tقال\tVERB\t_\t_\t0\troot\t_\t_\n"
                "2-3\tبالكويت\t_\t_\t_\t_\t_\t_\t_\t_\n"
                "2\tب\tب\tADP\t_\t_\t3\tcase\t_\t_\n"
                "3\tالكويت\tالكويت\tPROPN\t_\t_\t1\tobl\t_\tNER=B-LOC|SpaceAfter=No\n\n")
    imported(empty_project, src)
    (rec,) = records(empty_project)
    assert rec["text"] == "قال ب الكويت" and ents(rec) == [("الكويت", "LOC")]


# ---- export of documents that did not come from CoNLL ---------------------------------------------------------------

def test_export_of_an_annotated_article_uses_the_arabic_tokenizer(project, tmp_path):
    doc = project.document("kuwait-nato-anezi")
    t = doc.text
    s = t.index("الكويت")
    project.add_entity(doc.key, "alice", s, s + len("الكويت"), "GPE")
    project.add_entity(doc.key, "alice", s, s + 2, "MISC")  # overlaps: BIO cannot nest
    project.add_quote(doc.key, "alice", s, s + 10)
    out = tmp_path / "out.conll"
    res = export_format(project, "conll", out, annotator="alice")
    text = out.read_text("utf-8")
    assert text.startswith("-DOCSTART-\tO\n\n")
    assert "الكويت\tB-GPE\n" in text
    assert any("overlaps another entity" in w for w in res.warnings)
    assert any("1 quote(s) and 0 stance(s) were not written" in w for w in res.warnings)


def test_a_clitic_span_splits_its_token(empty_project, tmp_path):
    from app.core.exchange.importer import import_sources as imp
    src = write(tmp_path / "a.txt", "رحب بالكويت.")
    imp(empty_project, [src])
    k = empty_project.document("a").key
    empty_project.add_entity(k, "amal", 5, 11, "GPE")  # الكويت inside بالكويت
    out = tmp_path / "out.conll"
    res = export_format(empty_project, "conll", out, annotator="amal")
    assert pairs(out) == [[("رحب", "O"), ("ب", "O"), ("الكويت", "B-GPE"), (".", "O")]]
    assert res.warnings == []


# ---- round trip: any canonical CoNLL file comes back byte for byte --------------------------------------------------

_TOKEN_CHARS = st.sampled_from(list("قالكويتناوـَُِّ،.؟«»()٢٠١ABCxyz-_%😀") + [RLM, LRM, NBSP, BOM, "\u200c", "\u061c",
                                                                                  "\u2009", "\u202f", "\u200b"])
_TOKEN = st.lists(_TOKEN_CHARS, min_size=0, max_size=6).map("".join)
_LABELS = st.sampled_from([None, None, "PER", "LOC", "ORG", "MISC", "PERS", "NEW-TAG"])


def _canonical(docs) -> str:
    out = []
    for k, sents in enumerate(docs):
        out.append("-DOCSTART-\tO\n\n")
        for si, sent in enumerate(sents):
            prev = None
            lines = [f"doc{k}s{si}\tO\n"]  # a unique first token: no two documents share a text
            for tok, (label, begin) in sent:
                if label is None or tok == "":
                    tag, prev = "O", None
                else:
                    tag = f"{'B' if begin or prev != label else 'I'}-{label}"
                    prev = label
                lines.append(f"{tok}\t{tag}\n")
            out.append("".join(lines) + "\n")
    return "".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.lists(st.tuples(_TOKEN, st.tuples(_LABELS, st.booleans())), max_size=8), min_size=1,
                                  max_size=3), min_size=1, max_size=3))
def test_conll_project_conll_is_byte_exact(tmp_path, docs):
    src = write(tmp_path / "rt.conll", _canonical(docs))
    with Project.create(":memory:") as p:
        import_sources(p, [src])
        out = tmp_path / "back.conll"
        export_format(p, "conll", out)
        assert out.read_bytes() == src.read_bytes()


# ---- CLI ------------------------------------------------------------------------------------------------------------

def test_cli_flags(tmp_path, capsys):
    db = tmp_path / "p.db"
    assert main(["init", str(db)]) == 0
    rc = main(["import", str(db), str(FIXTURES / "anercorp_sample.txt"), "--format", "conll", "--label-map",
               "PERS=PER", "--annotator", "amal"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    rc = main(["import", str(db), str(FIXTURES / "conll2003_ar.conll"), "--doc-size", "1", "--tag-column", "-1"])
    out, err = capsys.readouterr()
    assert rc == 0 and "3 new document(s)" in out, err
    conll = tmp_path / "out.bio"
    rc = main(["export", str(db), str(conll), "--format", "conll", "--scheme", "bioes", "--annotator", "amal",
               "--label-map", "PER=PERS"])
    out, err = capsys.readouterr()
    assert rc == 0 and "wrote 1 annotation set(s) as 1 sentence(s)" in out, err
    assert "مانفريد B-PERS\nشنايدر E-PERS\n" in conll.read_text("utf-8")
    bad = write(tmp_path / "bad.conll", "قال\tO\nالكويت\tLOC\n")
    rc = main(["import", str(db), str(bad)])
    out, err = capsys.readouterr()
    assert rc == 1 and err.startswith(f"tawsim: {bad}:2: tag 'LOC'")
    with pytest.raises(SystemExit) as exc:  # a malformed label map is a usage error
        main(["import", str(db), str(bad), "--strict-labels", "--label-map", "oops"])
    assert exc.value.code == 2 and "label map item 'oops' is not FROM=TO" in capsys.readouterr().err


def test_reader_alone_yields_records_with_lines(tmp_path):
    src = write(tmp_path / "r.conll", "-DOCSTART- O\n\nأ\tB-PER\n\n-DOCSTART- O\nب\tO\n")
    recs = list(read_conll(src))
    assert [(r.id, r.line, r.raw["entities"][0]["_line"] if r.raw["entities"] else None) for r in recs] == [
        ("r-1", 1, 3), ("r-2", 5, None)]


def test_reimporting_an_export_finds_every_set_unchanged(empty_project, tmp_path):
    imported(empty_project, FIXTURES / "conll2003_ar.conll")
    out = tmp_path / "out.conll"
    export_format(empty_project, "conll", out)
    summary = imported(empty_project, out)
    assert (summary.new_documents, summary.annotation_sets, summary.unchanged_sets) == (0, 0, 2)
