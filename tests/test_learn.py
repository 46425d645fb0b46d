"""The recogniser trained in the tool (app/core/learn), driven the way a user meets it: `tawsim train` and
`tawsim predict` as subprocesses on a project filled by `tawsim import`, asserting what ends up in the project, the
model file and the agreement report; plus the entity scorer against seqeval's own example and the clitic split."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.assist.gazetteer import entries
from app.core.learn.modelfile import MAGIC, ModelFileError, from_bytes
from app.core.learn.score import score_spans
from app.core.learn.sequences import CliticCutter, labelled_sentences, plain_sentences, tags_to_spans
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ["محمد الصباح", "خافيير كولومينا", "سامي العنزي", "ليلى حسن", "عمر خالد", "أحمد يوسف"]
PLACES = ["الكويت", "بروكسل", "القاهرة", "بيروت", "عمان", "الرياض"]
ORGS = ["الناتو", "الأمم المتحدة", "الجامعة العربية"]


def tawsim(*argv, check: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if check:
        assert res.returncode == 0, res.stderr
    return res


def _sentence(rng: random.Random, org_label: str) -> list[tuple[str, str]]:
    """A news-like sentence as (token, tag) pairs: the patterns a recogniser learns from context and shape."""
    per, loc, org = rng.choice(PEOPLE).split(), rng.choice(PLACES), rng.choice(ORGS).split()
    toks = [("قال", "O"), ("الرئيس", "O")] + [(w, ("B-" if i == 0 else "I-") + "PER") for i, w in enumerate(per)]
    toks += [("في", "O"), (loc, "B-LOC"), ("إن", "O")]
    toks += [(w, ("B-" if i == 0 else "I-") + org_label) for i, w in enumerate(org)]
    toks += [("سيجتمع", "O"), ("غدا", "O"), (".", "O")]
    return toks


def write_corpus(path: Path, documents: int, sentences: int = 6, org_label: str = "ORG", seed: int = 1) -> None:
    rng = random.Random(seed)
    lines = []
    for d in range(documents):
        lines.append("-DOCSTART- O\n")
        for _ in range(sentences):
            lines += [f"{t} {g}" for t, g in _sentence(rng, org_label)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A project of 8 imported news-like documents, a model trained on it (stored and written to a file)."""
    d = tmp_path_factory.mktemp("learn")
    corpus, db, model = d / "news.conll", d / "p.db", d / "news.model"
    write_corpus(corpus, 8)
    tawsim("init", db)
    tawsim("import", db, corpus, "--format", "conll")
    res = tawsim("train", db, "--out", model)
    return d, db, model, res


def test_train_reports_held_out_f1_per_label_and_stores_the_model(trained):
    d, db, model, res = trained
    assert "held out by document: 1 of 8 document(s) held out (seed 0)" in res.stdout
    assert "held-out documents: news-" in res.stdout
    for label in ("PER", "LOC", "ORG", "micro"):
        assert any(line.split()[:1] == [label] for line in res.stdout.splitlines()), res.stdout
    micro = next(line for line in res.stdout.splitlines() if line.split()[:1] == ["micro"])
    assert float(micro.split()[3]) > 0.9  # F1 on the held-out document of a very regular corpus
    assert model.read_bytes().startswith(MAGIC)
    with Project.open(db) as p:
        stored = p.model_data("default")
    assert stored == model.read_bytes()
    m = from_bytes(stored)
    assert m.labels == ["LOC", "ORG", "PER"] and m.metrics["micro"]["f1"] > 0.9
    assert m.trained_on["documents"] == 8


def test_predict_writes_a_machine_annotators_sets_left_out_of_agreement(trained):
    d, db, model, _ = trained
    res = tawsim("predict", db, "--as", "crf")
    assert "in 8 document(s) as 'crf'" in res.stdout
    with Project.open(db) as p:
        assert p.machine_annotators().keys() == {"crf"}
        doc = p.document("news-1").key
        gold, pred = p.load(doc, "imported"), p.load(doc, "crf")
        assert pred.status == "todo"
        want = {(e.start, e.end, e.label) for e in gold.entities}
        got = {(e.start, e.end, e.label) for e in pred.entities}
        assert len(want & got) >= 0.9 * len(want) and len(got) <= 1.1 * len(want)
        conf = pred.provenance["confidence"]
        assert set(conf) == {e.id for e in pred.entities} and all(0 < c <= 1 for c in conf.values())
    assert "nothing to compare" in tawsim("agreement", db).stdout  # the model is not an annotator
    with_models = json.loads(tawsim("agreement", db, "--json", "--with-models").stdout)
    assert len(with_models["documents"]) == 8
    # Its sets export like any other, token for token against the imported CoNLL.
    tawsim("export", db, d / "pred.conll", "--annotator", "crf", "--format", "conll")
    assert (d / "pred.conll").read_text(encoding="utf-8").count("B-PER") >= 40


def test_predict_never_writes_into_a_persons_sets(trained):
    d, db, _, _ = trained
    with Project.open(db) as p:
        before = p.load(p.document("news-2").key, "imported").entities
    res = tawsim("predict", db, "--as", "imported", check=False)
    assert res.returncode == 1 and "'imported' is an annotator with 8 set(s) of their own" in res.stderr
    with Project.open(db) as p:
        assert p.load(p.document("news-2").key, "imported").entities == before
        assert not p.is_machine("imported")


def test_a_model_from_another_project_brings_its_labels(tmp_path):
    corpus, db_a, db_b, model = tmp_path / "a.conll", tmp_path / "a.db", tmp_path / "b.db", tmp_path / "a.model"
    write_corpus(corpus, 6, sentences=4, org_label="INST")
    tawsim("init", db_a)
    tawsim("import", db_a, corpus, "--format", "conll")
    tawsim("train", db_a, "--out", model)
    tawsim("init", db_b)
    (tmp_path / "new.txt").write_text("قال الرئيس ليلى حسن في بيروت إن الناتو سيجتمع غدا .\n", encoding="utf-8")
    tawsim("import", db_b, tmp_path / "new.txt")
    with Project.open(db_b) as p:
        assert "INST" not in p.label_names("entity")
    res = tawsim("predict", db_b, "--model", model, "--as", "model", "--only-status", "todo")
    assert "added 1 label(s) the model uses: INST" in res.stdout
    with Project.open(db_b) as p:
        assert "INST" in p.label_names("entity")
        ents = p.load(p.document("new").key, "model").entities
        assert {(e.text, e.label) for e in ents} >= {("ليلى حسن", "PER"), ("بيروت", "LOC"), ("الناتو", "INST")}
        assert entries(p) == []  # a model's predictions are not names people confirmed (no gazetteer echo)


def test_too_few_documents_says_how_many_more(tmp_path):
    corpus, db = tmp_path / "few.conll", tmp_path / "few.db"
    write_corpus(corpus, 2, sentences=3)
    tawsim("init", db)
    tawsim("import", db, corpus, "--format", "conll")
    res = tawsim("train", db, check=False)
    assert res.returncode == 1
    assert "2 annotated document(s) to learn from; at least 5 are needed" in res.stderr
    assert "annotate 3 more and mark them done" in res.stderr
    with Project.open(db) as p:
        assert p.model_names() == []


def test_a_newer_or_damaged_model_file_is_refused_and_changes_nothing(trained, tmp_path):
    _, db, model, _ = trained
    data = model.read_bytes()
    n = int.from_bytes(data[len(MAGIC):len(MAGIC) + 8], "big")
    header = json.loads(data[len(MAGIC) + 8:len(MAGIC) + 8 + n])
    header["format"] = 99
    raw = json.dumps(header).encode()
    newer = tmp_path / "newer.model"
    newer.write_bytes(MAGIC + len(raw).to_bytes(8, "big") + raw + data[len(MAGIC) + 8 + n:])
    damaged = tmp_path / "damaged.model"
    damaged.write_bytes(data[:-200] + bytes(200))
    truncated = tmp_path / "truncated.model"
    truncated.write_bytes(data[:len(data) // 3])
    cases = {newer: "the model was made by a newer Tawsim (model format 99; this Tawsim reads format 1",
             damaged: "damaged model file (the model's bytes do not match their checksum)",
             truncated: "damaged model file", tmp_path / "none.model": "no such model file",
             db: "not a Tawsim model file"}
    for path, message in cases.items():
        res = tawsim("predict", db, "--model", path, "--as", "other-model", check=False)
        assert res.returncode == 1 and message in res.stderr and "Traceback" not in res.stderr, (path, res.stderr)
    with Project.open(db) as p:
        assert "other-model" not in p.annotators()
    with pytest.raises(ModelFileError, match="damaged model file"):
        from_bytes(MAGIC + (5).to_bytes(8, "big") + b"{nope")


def test_entity_score_is_seqevals():
    # seqeval's README example: one of two MISC/PER entities found with exact span -> P = R = F1 = 0.5.
    y_true = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    y_pred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]

    def spans(seqs):
        return [(k, i, j, lab) for k, tags in enumerate(seqs)
                for i, j, _, _, lab in tags_to_spans([(x, x + 1) for x in range(len(tags))], tags)]

    s = score_spans(spans(y_true), spans(y_pred))
    assert (s.micro.precision, s.micro.recall, s.micro.f1) == (0.5, 0.5, 0.5)
    assert s.per_label["PER"].f1 == 1.0 and s.per_label["MISC"].f1 == 0.0


def test_clitics_become_tokens_of_their_own_so_snapped_entities_are_whole_tokens():
    text = "وبالكويت اجتمع وزير الخارجية مع الناتو"
    start = text.index("الكويت")
    sents, dropped = labelled_sentences(text, {}, [(start, start + 6, "LOC")], CliticCutter())
    assert dropped == 0
    assert sents[0].words[:2] == ["وب", "الكويت"] and sents[0].tags[:2] == ["O", "B-LOC"]
    assert "وزير" in plain_sentences(text, {}, CliticCutter())[0].words  # a root و is never cut
    assert tags_to_spans(sents[0].tokens, sents[0].tags) == [(1, 2, start, start + 6, "LOC")]


def test_a_corpus_without_sentence_breaks_is_cut_into_sentences_offsets_unchanged():
    words = ("قال الرئيس ليلى حسن في بيروت .".split()) * 30  # 210 tokens on one line, as a CoNLL file with no
    text = " ".join(words)                                   # blank lines is read
    sents = plain_sentences(text, {"tokenization": "whitespace"}, CliticCutter())
    assert len(sents) == 30 and all(s.words[-1] == "." for s in sents)
    assert [t for s in sents for t in s.tokens] == [(m, m + len(w)) for m, w in
                                                     zip([sum(len(x) + 1 for x in words[:i]) for i in
                                                          range(len(words))], words)]


def test_learning_curve_against_documents_annotated(tmp_path):
    corpus, db = tmp_path / "c.conll", tmp_path / "c.db"
    write_corpus(corpus, 6, sentences=3)
    tawsim("init", db)
    tawsim("import", db, corpus, "--format", "conll")
    out = tawsim("train", db, "--curve", "3").stdout
    assert "learning curve (held-out entity F1, held out by document: 1 of 6 document(s) held out (seed 0)):" in out
    rows = [line.split() for line in out.splitlines() if "document(s): F1" in line]
    assert [r[0] for r in rows] == ["2", "4", "5"]  # of the 5 documents learnt from
    assert all(0 <= float(r[-1]) <= 1 for r in rows) and float(rows[-1][-1]) > 0.8
