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
