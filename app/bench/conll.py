"""The interchange-format yardstick: `python -m app.bench.conll [--tokens 150000] [--out DIR] [--seed 0] [--json]`
(also `python -m app.bench conll ...`).

A benchmark, not a timed test. It writes a synthetic CoNLL corpus of N tokens (untimed): seed-article words, 20
tokens a sentence, a `-DOCSTART-` every 20 sentences, IOB2, tab separated, entities of 1-3 tokens starting at
about one position in twenty, a direction mark inside one token in a hundred; then times, each in this process:

  import   Project.create + importer.import_sources(corpus.conll) (read, parse, validate, one transaction)
  export   exporter.export_format(project, "conll", export.conll)
  hf       exporter.export_format(project, "hf", export.jsonl) (for reference)

and checks that the export is byte-identical to the corpus (the round trip at scale). Targets (issue 6): import
and export of 150,000 tokens <= 3 s each.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from .corpus import make_conll

TARGET_S = 3.0


def run(n_tokens: int, out_dir: Path, seed: int) -> dict:
    from ..core.exchange.exporter import export_format
    from ..core.exchange.importer import import_sources
    from ..core.store import Project

    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = out_dir / "corpus.conll"
    info = make_conll(corpus, n_tokens, seed)
    db = out_dir / "formats.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if p.exists():
            p.unlink()
    t0 = time.perf_counter()
    project = Project.create(db)
    summary = import_sources(project, [corpus])
    t_import = time.perf_counter() - t0
    exported = out_dir / "export.conll"
    t0 = time.perf_counter()
    res = export_format(project, "conll", exported)
    t_export = time.perf_counter() - t0
    t0 = time.perf_counter()
    export_format(project, "hf", out_dir / "export.jsonl")
    t_hf = time.perf_counter() - t0
    project.close()
    identical = exported.read_bytes() == corpus.read_bytes()
    return {"corpus": info, "documents_imported": summary.new_documents, "import_s": round(t_import, 3),
            "export_s": round(t_export, 3), "hf_export_s": round(t_hf, 3), "sentences_written": res.units,
            "round_trip_identical": identical, "target_s": TARGET_S,
            "pass": t_import <= TARGET_S and t_export <= TARGET_S and identical}


def format_report(r: dict) -> str:
    c = r["corpus"]
    return "\n".join([
        f"corpus   {c['tokens']:,} tokens, {c['sentences']:,} sentences, {c['documents']} documents, "
        f"{c['entities']:,} entities, {c['bytes'] / 1e6:.1f} MB",
        *(f"{k:<8} {r[k + '_s']:.2f} s   (target <= {TARGET_S:.0f} s) {'PASS' if r[k + '_s'] <= TARGET_S else 'FAIL'}"
          for k in ("import", "export")),
        f"hf       {r['hf_export_s']:.2f} s   (Hugging Face JSONL, for reference)",
        f"round trip byte-identical: {r['round_trip_identical']}",
    ])


def add_conll_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tokens", type=int, default=150_000, help="corpus size in tokens (default: 150,000)")
    p.add_argument("--out", default="bench-out/formats", help="working folder (default: bench-out/formats)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def run_conll(a: argparse.Namespace) -> int:
    r = run(a.tokens, Path(a.out), a.seed)
    print(json.dumps(r, indent=2) if a.json else format_report(r))
    return 0 if r["round_trip_identical"] else 1


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.bench.conll", description=__doc__.split("\n")[0])
    add_conll_arguments(p)
    return run_conll(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
