"""Clearly broken CoNLL tags (AQMAR's `IO`, `OO`, `I--ORG`, `B-MIS1``) are read as the tag they were meant to be,
with a note naming FILE:LINE, and written back as the file had them; the real AQMAR corpus imports whole and
comes back byte for byte. Driven through the CLI as a subprocess, as a user meets it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core.exchange.exporter import export_format
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io.interop import ExportOptions
from app.core.store import Project

ROOT = Path(__file__).resolve().parent.parent
AQMAR = Path("/work/shared/corpora/aqmar")

QUIRKS = ("الحكومة B-ORG\nالأمريكية I--ORG\nفي O\nإقليم OO\nالجزيرة B-LOC\nالشمالي IO\n\n"
          "الألعاب B-MIS1`\nالأولمبية I-MIS1\nو O\nالكويت B-LOC'\n\n")


def tawsim(*args, ok: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def test_each_quirk_is_read_as_meant_noted_with_its_line_and_written_back(tmp_path):
    src = tmp_path / "quirks.conll"
    src.write_bytes(QUIRKS.encode("utf-8"))
    db = tmp_path / "p.tawsim"
    tawsim("init", db)
    out = tawsim("import", db, src, "--format", "conll").stdout
    assert f"{src}:2: tag 'I--ORG' read as 'I-ORG'" in out
    assert f"{src}:4: tag 'OO' read as 'O'" in out
    assert f"{src}:6: tag 'IO' read as 'O'" in out
    assert f"{src}:8: tag 'B-MIS1`' read as 'B-MIS1'" in out
    assert f"{src}:11: tag \"B-LOC'\" read as 'B-LOC'" in out
    assert "-ORG" not in out.split("added", 1)[-1].split("\n", 1)[0]  # no label made of the slip
    back = tmp_path / "back.conll"
    tawsim("export", db, back, "--format", "conll")
    assert back.read_bytes() == src.read_bytes()
    p = Project.open(db)
    (doc_set,) = list(p.iter_sets())
    assert [(doc_set.document.text[e.start:e.end], e.label) for e in doc_set.entities] == [
        ("الحكومة الأمريكية", "ORG"), ("الجزيرة", "LOC"), ("الألعاب الأولمبية", "MIS1"), ("الكويت", "LOC")]
    # A relabelled or mapped token gets its new tag, never the old slip.
    mapped = tmp_path / "mapped.conll"
    export_format(p, "conll", mapped, options=ExportOptions(label_map={"MIS1": "MISC"}))
    assert "الألعاب B-MISC\n" in mapped.read_text("utf-8") and "I--ORG" in mapped.read_text("utf-8")


@pytest.mark.skipif(not AQMAR.is_dir(), reason="the shared AQMAR corpus is not on this machine")
def test_every_aqmar_file_imports_and_comes_back_byte_for_byte(tmp_path):
    files = sorted(AQMAR.glob("*.conll"))
    assert len(files) == 28
    p = Project.create(tmp_path / "p.tawsim")
    summary = import_sources(p, files, ImportOptions(format="conll"))
    assert summary.new_documents == 28
    back = tmp_path / "back.conll"
    export_format(p, "conll", back)
    assert back.read_bytes() == b"".join(f.read_bytes() for f in files)
