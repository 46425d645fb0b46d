"""Real corpora as they ship (issue 16, items 1-4): a space-separated CoNLL file with empty token columns, an IOB2
file with a few IOB1-style I- starts, TREC/SGML news archives, gold speaker/target texts that name the linked
entity differently. Driven through the CLI as a subprocess, as a user meets it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWS_DEV = Path("/work/shared/corpora/news-dev")


def tawsim(*args, ok: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def project(tmp_path: Path) -> Path:
    p = tmp_path / "p.tawsim"
    tawsim("init", p)
    return p


def test_space_separated_conll_with_empty_token_column_round_trips(tmp_path):
    src = tmp_path / "anercorp.conll"
    body = "محمد B-PERS\n O\nقال O\nفي O\nبيروت B-LOC\n. O\n\nعلي B-PERS\n"
    src.write_text(body, encoding="utf-8")
    p = project(tmp_path)
    r = tawsim("import", p, src)
    assert "1 empty token(s)" in r.stdout
    out = tmp_path / "out.conll"
    tawsim("export", p, out, "--format", "conll")
    assert out.read_text(encoding="utf-8") == body + "\n"  # same separator, same empty token, same tags


def test_iob2_file_with_iob1_style_starts_comes_back_tag_for_tag(tmp_path):
    body = ("-DOCSTART-\tO\n\n"
            "a\tB-PER\nb\tI-PER\nc\tO\nd\tI-LOC\ne\tI-LOC\nf\tI-ORG\n\n"
            "g\tI-PER\nh\tB-PER\ni\tI-PER\n\n")
    src = tmp_path / "mixed.conll"
    src.write_text(body, encoding="utf-8")
    p = project(tmp_path)
    tawsim("import", p, src)
    out = tmp_path / "out.conll"
    tawsim("export", p, out, "--format", "conll")
    assert out.read_text(encoding="utf-8") == body


GIGAWORD = """<DOC id="AFP_ARB_20000101.0001" type="story" >
<HEADLINE>
الرئيس يفتتح المعرض
</HEADLINE>
<DATELINE>
القاهرة 1-1 (اف ب) -
</DATELINE>
<TEXT>
<P>
افتتح الرئيس اليوم المعرض
الدولي للكتاب.
</P>
<P>
وقال الوزير &amp; المدير "إنه حدث كبير".
</P>
</TEXT>
</DOC>
<DOC id="AFP_ARB_20000101.0002" type="multi" >
<HEADLINE>
فهرس
</HEADLINE>
<TEXT>
</TEXT>
</DOC>
<DOC id="AFP_ARB_20000101.0003" type="story" >
<TEXT>
سطر أول
 سطر ثان
</TEXT>
</DOC>
"""


def test_trec_archives_import_as_articles_detected_by_content(tmp_path):
    src = tmp_path / "afp_arb_200001.txt"  # a .txt: detected by its <DOC>, not read as one tagged article
    src.write_text(GIGAWORD, encoding="utf-8")
    p = project(tmp_path)
    r = tawsim("import", p, src, "--annotator", "amal")
    assert "2 record(s)" in r.stdout and "1 <DOC>(s) without text skipped (lines 18)" in r.stdout
    out = tmp_path / "out.jsonl"
    tawsim("export", p, out)
    recs = {d["id"]: d for d in (json.loads(l) for l in out.read_text(encoding="utf-8").split("\n") if l)}
    first = recs["AFP_ARB_20000101.0001"]
    assert first["text"] == "افتتح الرئيس اليوم المعرض\nالدولي للكتاب.\n\nوقال الوزير &amp; المدير \"إنه حدث كبير\"."
    assert first["meta"]["title"] == "الرئيس يفتتح المعرض" and first["meta"]["dateline"] == "القاهرة 1-1 (اف ب) -"
    assert first["meta"]["doc_type"] == "story"
    assert recs["AFP_ARB_20000101.0003"]["text"] == "سطر أول\n سطر ثان"


def test_trec_format_flag_and_unclosed_doc_is_refused_with_its_line(tmp_path):
    src = tmp_path / "bad.sgml"
    src.write_text("<DOC>\n<DOCNO>x</DOCNO>\n<TEXT>\nنص\n</TEXT>\n", encoding="utf-8")
    p = project(tmp_path)
    r = tawsim("import", p, src, "--format", "trec", ok=False)
    assert r.returncode != 0 and f"{src}:1: <DOC> is never closed" in r.stderr


def test_the_300_news_dev_articles_import(tmp_path):
    import pytest
    if not NEWS_DEV.is_dir():
        pytest.skip("the shared news-dev corpus is not on this machine")
    p = project(tmp_path)
    r = tawsim("import", p, NEWS_DEV, "--annotator", "amal")
    assert "300 record(s) from 300 file(s): 300 new document(s)" in r.stdout
    out = tmp_path / "all.jsonl"
    tawsim("export", p, out)
    docs = [json.loads(l) for l in out.read_text(encoding="utf-8").split("\n") if l]
    assert len(docs) == 300 and not any("<TEXT>" in d["text"] or "<DOC" in d["text"] for d in docs)
    one = next(d for d in docs if d["id"] == "AL-internationalNews-708-20180331")
    raw = next(NEWS_DEV.rglob("AL-internationalNews-708-20180331.txt")).read_text(encoding="utf-8")
    body = raw.split("<TEXT>\n", 1)[1].split("\n</TEXT>", 1)[0]
    assert one["text"] == body and one["meta"]["title"].startswith("زعيم كوريا الشمالية")


def test_canonical_speaker_and_target_names_beside_the_mention_import_and_validate_alike(tmp_path):
    text = 'قال ترامب "سنفوز".'
    line = {"id": "d1", "text": text, "meta": {}, "annotator": "gold", "status": "done", "schema_version": 1,
            "entities": [{"id": "e1", "start": 4, "end": 9, "text": "ترامب", "label": "PER"}],
            "quotes": [{"id": "q1", "start": 10, "end": 17, "text": text[10:17], "speaker": "e1",
                        "speaker_text": "دونالد ترامب", "cue": None, "kind": "direct"},
                       {"id": "q2", "start": 11, "end": 16, "text": text[11:16], "speaker": "e1",
                        "speaker_text": "", "cue": None, "kind": "direct"}],
            "stances": [{"id": "s1", "target": "e1", "target_text": "الرئيس ترامب", "label": "favor",
                         "scope": "document"}]}
    src = tmp_path / "gold.jsonl"
    src.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    v = tawsim("validate", src, ok=False)
    assert v.returncode == 0, v.stdout + v.stderr
    p = project(tmp_path)
    tawsim("import", p, src, "--gold")  # a gold set is imported on purpose
    out = tmp_path / "out.jsonl"
    tawsim("export", p, out)
    (rec,) = [json.loads(l) for l in out.read_text(encoding="utf-8").split("\n") if l]
    assert [q["speaker_text"] for q in rec["quotes"]] == ["دونالد ترامب", "ترامب"]  # empty: the entity's text
    assert rec["stances"][0]["target_text"] == "الرئيس ترامب"
    assert tawsim("validate", out, ok=False).returncode == 0
