"""The recogniser yardstick: `python -m app.bench learn [--corpus DIR] [--cv K] [--doc-cv K] [--acceptance] [--json]`.

A benchmark, not a timed test. On a CoNLL corpus (default: AQMAR in ../shared/corpora/aqmar, read as it ships: its
tag quirks `OO`, `IO`, `I--ORG`, `B-MIS1`... are read as O, O, I-ORG and MISC, the four-label scheme every Arabic NER
corpus shares), with the acceptance protocol: the sentences in file order, the first four fifths to train on, the
last fifth to predict, entity F1 with exact spans (seqeval's micro F1). It prints:

  F1        micro and per label on the last fifth (model trained on the first four fifths, then never tuned on it)
  cv        with --cv K: K-fold cross-validation F1 on the training part only (chunks of 50 sentences: optimistic,
            a document's names fall on both sides)
  doc cv    with --doc-cv K: K-fold cross-validation by document (each file one document), pooled F1: the honest
            figure settings are chosen on, never on the acceptance split alone
  acceptance with --acceptance: the issue's protocol end to end through the real CLI (app/bench/learn_protocol.py)
  train     seconds to train on 120,000 tokens (the training part cycled to that size; target <= 60 s), wall and
            CPU (on a shared, loaded machine the CPU time is the figure that carries over)
  predict   milliseconds to tag one 5,000-character article from raw text (median of 20; target <= 20 ms)
  memory    the model's size in bytes (the file and the project row hold exactly these bytes), and in memory once
            loaded (Python objects traced by tracemalloc, plus the CRF bytes CRFsuite keeps)
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Optional, Sequence

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "aqmar"
TRAIN_TOKENS = 120_000
ARTICLE_CHARS = 5_000


def clean_tag(tag: str) -> str:
    """AQMAR's tags on the four-label scheme (see the module docstring)."""
    if tag in ("O", "OO", "IO") or len(tag) < 3 or tag[1] != "-":
        return "O"
    prefix, label = tag[0], tag[2:].strip("-`")
    if label.startswith("MIS") or label in ("SPANISH", "ENGLISH"):
        label = "MISC"
    return f"{prefix}-{label}"


def read_corpus(folder: Path):
    """Sentences (tokens, tags) of every .conll file of `folder`, in file-name order."""
    return [s for doc in read_documents(folder) for s in doc]


def read_documents(folder: Path):
    """The sentences of each .conll file of `folder` (a file is a document), in file-name order."""
    from ..core.learn.sequences import Sentence

    docs = []
    for path in sorted(Path(folder).glob("*.conll")) if Path(folder).is_dir() else [Path(folder)]:
        sents = []
        docs.append(sents)
        cur: list[tuple[str, str]] = []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            cols = line.split()
            if not cols:
                if cur:
                    words = [w for w, _ in cur]
                    toks, pos = [], 0
                    for w in words:
                        toks.append((pos, pos + len(w)))
                        pos += len(w) + 1
                    sents.append(Sentence(toks, words, _iob2([t for _, t in cur])))
                    cur = []
                continue
            if len(cols) >= 2:
                cur.append((cols[0], clean_tag(cols[-1])))
    return docs


def _iob2(tags: list[str]) -> list[str]:
    """IOB1 / stray I- repaired the way the importer reads them (an I- with no B- of its label opens one)."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def _chunks(sents, n=50):
    return [sents[i:i + n] for i in range(0, len(sents), n)]


def document_cv(corpus: Path, k: int, params: Optional[dict] = None) -> dict:
    """K-fold cross-validation by document (document i in fold i mod K): F1 pooled over the folds' predictions,
    and each fold's. Settings are never chosen on one split only."""
    from ..core.learn.training import evaluate, fit

    docs = read_documents(corpus)
    folds = []
    for f in range(k):
        train = [s for i, d in enumerate(docs) if i % k != f for s in d]
        test = [s for i, d in enumerate(docs) if i % k == f for s in d]
        crf, index = fit(_chunks(train), params=params)
        folds.append(evaluate(crf, index, _chunks(test)).micro)
    from ..core.learn.score import PRF

    pooled = PRF(sum(x.tp for x in folds), sum(x.n_pred for x in folds), sum(x.n_gold for x in folds))
    return {"documents": len(docs), "folds": k, "fold_f1": [round(x.f1, 4) for x in folds],
            "pooled_f1": round(pooled.f1, 4)}


def run(corpus: Path, cv: int, params: Optional[dict] = None) -> dict:
    from ..core.learn.crf import Tagger
    from ..core.learn.modelfile import RecogniserModel, from_bytes
    from ..core.learn.sequences import CliticCutter, plain_sentences
    from ..core.learn.training import evaluate, fit

    sents = read_corpus(corpus)
    cut = len(sents) * 4 // 5
    train, test = sents[:cut], sents[cut:]
    out: dict = {"corpus": str(corpus), "sentences": len(sents), "train_sentences": len(train),
                 "test_sentences": len(test), "train_tokens": sum(len(s.words) for s in train)}
    if cv:
        units = _chunks(train)
        scores = []
        for k in range(cv):
            tr = [u for i, u in enumerate(units) if i % cv != k]
            te = [u for i, u in enumerate(units) if i % cv == k]
            crf, index = fit(tr, params=params)
            scores.append(evaluate(crf, index, te).micro.f1)
        out["cv_f1"] = round(statistics.mean(scores), 4)
    crf, index = fit(_chunks(train), params=params)
    score = evaluate(crf, index, _chunks(test))
    out["f1"] = score.to_dict()
    big, n = [], 0
    while n < TRAIN_TOKENS:
        for s in train:
            big.append(s)
            n += len(s.words)
            if n >= TRAIN_TOKENS:
                break
    t0, c0 = time.perf_counter(), time.process_time()
    crf_big, index_big = fit(_chunks(big), params=params)
    out["train_seconds_120k"] = round(time.perf_counter() - t0, 2)
    out["train_cpu_seconds_120k"] = round(time.process_time() - c0, 2)
    out["train_tokens_timed"] = n
    model = RecogniserModel(sorted({t[2:] for s in train for t in s.tags if t != "O"}), crf_big, index_big)
    data = model.to_bytes()
    out["model_bytes"] = len(data)
    tracemalloc.start()
    loaded = from_bytes(data)
    held = loaded.tagger()
    out["model_python_bytes"] = tracemalloc.get_traced_memory()[0]  # the names index and the header
    tracemalloc.stop()
    out["model_crf_bytes"] = len(loaded.crf)  # CRFsuite holds this copy in C while tagging
    held.close()
    article = ""
    for s in test:
        article += " ".join(s.words) + "\n"
        if len(article) >= ARTICLE_CHARS:
            break
    article = article[:ARTICLE_CHARS]
    tagger, cutter = Tagger(crf_big, index_big), CliticCutter()
    times, cpu = [], []
    for _ in range(20):
        t0, c0 = time.perf_counter(), time.process_time()
        tagger.predict(plain_sentences(article, {}, cutter))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    out["predict_ms_5000_chars"] = round(statistics.median(times) * 1000, 2)
    out["predict_cpu_ms_5000_chars"] = round(statistics.median(cpu) * 1000, 2)
    return out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .conll files (default: AQMAR)")
    p.add_argument("--cv", type=int, default=0, metavar="K", help="also K-fold cross-validate on the training part")
    p.add_argument("--doc-cv", type=int, default=0, metavar="K",
                   help="also K-fold cross-validate by document (each .conll file one document)")
    p.add_argument("--acceptance", action="store_true",
                   help="also run the acceptance protocol through the real CLI (import, train, predict, export)")
    p.add_argument("--label-map", default=None, metavar="FROM=TO,...",
                   help="label map for --acceptance's imports (default: AQMAR's MIS* -> MISC)")
    p.add_argument("--params", type=json.loads, default=None, help="CRF settings as JSON, e.g. '{\"c1\": 0.1}'")
    p.add_argument("--json", action="store_true")


def run_cli(args) -> int:
    res = run(args.corpus, args.cv, args.params)
    if args.doc_cv:
        res["document_cv"] = document_cv(args.corpus, args.doc_cv, args.params)
    if args.acceptance:
        from .learn_protocol import AQMAR_LABEL_MAP, acceptance

        res["acceptance"] = acceptance(args.corpus, args.label_map if args.label_map is not None else AQMAR_LABEL_MAP)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    f1 = res["f1"]
    print(f"corpus: {res['corpus']} ({res['sentences']} sentences; train {res['train_sentences']}, "
          f"test {res['test_sentences']})")
    if "cv_f1" in res:
        print(f"cross-validation F1 on the training part: {res['cv_f1']:.4f}")
    if "document_cv" in res:
        dcv = res["document_cv"]
        print(f"{dcv['folds']}-fold cross-validation by document ({dcv['documents']} documents): pooled F1 "
              f"{dcv['pooled_f1']:.4f}; folds " + ", ".join(f"{x:.4f}" for x in dcv["fold_f1"]))
    if "acceptance" in res:
        acc = res["acceptance"]["f1"]["micro"]
        print(f"acceptance protocol through the CLI (import, train on the first 4/5 of sentences, predict the last "
              f"1/5, export CoNLL): F1 {acc['f1']:.4f} (P {acc['precision']:.4f}, R {acc['recall']:.4f}) in "
              f"{res['acceptance']['seconds']:.0f} s")
    print(f"entity F1 (exact spans, micro) on the last fifth: {f1['micro']['f1']:.4f} "
          f"(P {f1['micro']['precision']:.4f}, R {f1['micro']['recall']:.4f})")
    for lab, v in f1["per_label"].items():
        print(f"  {lab:<6} F1 {v['f1']:.4f}  support {v['support']}")
    print(f"train on {res['train_tokens_timed']:,} tokens: {res['train_seconds_120k']:.2f} s wall, "
          f"{res['train_cpu_seconds_120k']:.2f} s CPU (target <= 60 s)")
    print(f"predict a {ARTICLE_CHARS:,}-char article: {res['predict_ms_5000_chars']:.2f} ms wall, "
          f"{res['predict_cpu_ms_5000_chars']:.2f} ms CPU (median of 20; target <= 20 ms)")
    print(f"model: {res['model_bytes']:,} bytes stored; in memory {res['model_python_bytes']:,} bytes of Python "
          f"objects (names, header) + {res['model_crf_bytes']:,} bytes of CRF held by CRFsuite")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.bench learn")
    add_arguments(p)
    return run_cli(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
