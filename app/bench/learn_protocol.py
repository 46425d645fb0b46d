"""The acceptance protocol of issue 17, end to end through the real CLI: `python -m app.bench learn --acceptance`.

"Imported with `tawsim import … --format conll`, trained on its first four fifths of sentences, predicted on the
last fifth, exported as CoNLL — entity-level F1 (exact spans, seqeval-style)". So, on a corpus folder (or file):

1. its sentences in file order (the .conll files of a folder in name order, concatenated line for line) are cut
   after four fifths: train.conll and test.conll, each holding the corpus' own lines byte for byte;
2. `tawsim init` + `tawsim import train.conll --format conll` + `tawsim train --out MODEL` in one project;
3. `tawsim init` + `tawsim import test.conll --format conll` + `tawsim predict --model MODEL --as model` in another;
4. `tawsim export --format conll` of the imported sets (the reference) and of the model's sets (the predictions);
5. the two exports hold the same tokens line for line (checked); entity F1 with exact spans over them, seqeval's
   definition (app.core.learn.score; an I- with no B- opens an entity, as seqeval's default mode reads it).

`--label-map` is passed to both imports (AQMAR: its MIS0..MIS3 and variants read as MISC, the four-label scheme).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]
AQMAR_LABEL_MAP = ",".join(f"{x}=MISC" for x in ("MIS0", "MIS1", "MIS2", "MIS3", "MIS", "MIS-1", "MIS-2", "MISS1",
                                                  "SPANISH", "ENGLISH"))


def _tawsim(*args) -> str:
    r = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"tawsim {' '.join(map(str, args))} failed: {r.stderr.strip()}")
    return r.stdout


def corpus_sentences(corpus: Path) -> list[bytes]:
    """The corpus' sentences as raw byte blocks (each with its lines and the blank line after it)."""
    files = sorted(corpus.glob("*.conll")) if corpus.is_dir() else [corpus]
    blocks: list[bytes] = []
    for f in files:
        cur: list[bytes] = []
        for line in f.read_bytes().splitlines(keepends=True):
            cur.append(line)
            if not line.strip():
                if len(cur) > 1:
                    blocks.append(b"".join(cur))
                cur = []
        if cur and any(x.strip() for x in cur):
            blocks.append(b"".join(cur) + (b"" if cur[-1].endswith(b"\n") else b"\n") + b"\n")
    return blocks


def _sentences_of(path: Path) -> list[list[tuple[str, str]]]:
    out, cur = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if cur:
                out.append(cur)
            cur = []
            continue
        token, _, tag = line.rpartition("\t" if "\t" in line else " ")
        cur.append((token, tag))
    if cur:
        out.append(cur)
    return out


def score_exports(reference: Path, predicted: Path):
    """Entity F1 (exact spans) of `predicted` against `reference`, two CoNLL files of the same tokens."""
    from ..core.io.tokens import decode_tags, parse_tag
    from ..core.learn.score import score_spans

    ref, pred = _sentences_of(reference), _sentences_of(predicted)
    if [[t for t, _ in s] for s in ref] != [[t for t, _ in s] for s in pred]:
        raise RuntimeError(f"{reference} and {predicted} do not hold the same tokens")
    gold, guess = [], []
    for k, (rs, ps) in enumerate(zip(ref, pred)):
        gold += [(k, i, j, lab) for i, j, lab in decode_tags([parse_tag(t) for _, t in rs])[0]]
        guess += [(k, i, j, lab) for i, j, lab in decode_tags([parse_tag(t) for _, t in ps])[0]]
    return score_spans(gold, guess)


def acceptance(corpus: Path, label_map: Optional[str] = AQMAR_LABEL_MAP, work: Optional[Path] = None) -> dict:
    blocks = corpus_sentences(corpus)
    cut = len(blocks) * 4 // 5
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(work or tmp)
        train, test = d / "train.conll", d / "test.conll"
        train.write_bytes(b"".join(blocks[:cut]))
        test.write_bytes(b"".join(blocks[cut:]))
        a, b, model = d / "train.tawsim", d / "test.tawsim", d / "acceptance.tawsim-model"
        mapping = ["--label-map", label_map] if label_map else []
        t0 = time.perf_counter()
        _tawsim("init", a)
        _tawsim("import", a, train, "--format", "conll", *mapping)
        _tawsim("train", a, "--out", model)
        _tawsim("init", b)
        _tawsim("import", b, test, "--format", "conll", *mapping)
        _tawsim("predict", b, "--model", model, "--as", "model")
        ref, pred = d / "reference.conll", d / "predicted.conll"
        _tawsim("export", b, ref, "--format", "conll", "--annotator", "imported")
        _tawsim("export", b, pred, "--format", "conll", "--annotator", "model")
        score = score_exports(ref, pred)
        return {"corpus": str(corpus), "train_sentences": cut, "test_sentences": len(blocks) - cut,
                "f1": score.to_dict(), "seconds": round(time.perf_counter() - t0, 1)}
