"""Team benchmark on a PostgreSQL server:
`python -m app.bench team --url URL [--annotators 50] [--edits 200] [--docs 1000000]`.

1. N simulated annotators, each a separate process with its own connection (as N desktops are), do the window's
   edit mix (add / relabel / delete entities, quotes with speaker and cue, quote kinds, stances, "done and next")
   on documents they share, as fast as the server lets them. Every edit is one core call, i.e. one committed
   transaction, timed from call to return: what an annotator waits before the window repaints. Afterwards every
   annotator's sets are read back and compared with what that annotator did: `lost` counts edits missing or
   changed, `interleaved` counts annotations in an annotator's sets that the annotator did not make.
2. A project of `--docs` documents is built with COPY (then VACUUM ANALYZEd, as every bulk COPY is) and opened the
   way the window opens one: open, progress counts, the document list's count and first page (the list reads
   pages by key and never fetches every key), then a jump to the end of the list and finding a document's row.

Targets from the issue: p95 <= 20 ms on loopback with 50 annotators; a 1,000,000-document project opens in <= 1 s.
Everything happens in schemas of its own inside the URL's database (tawsim_bench_team, tawsim_bench_big), dropped
at the end unless --keep; the database's other contents are not touched.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..core.store import Project, text_hash
from .corpus import project_sentences

LABELS = ("PER", "ORG", "LOC", "GPE", "MISC")
MIX = (("add_entity", 40), ("relabel", 10), ("delete_entity", 8), ("add_quote", 10), ("quote_kind", 5),
       ("add_stance", 10), ("status", 17))


def schema_url(url: str, schema: str) -> str:
    """`url` with the search path set to `schema` (libpq's options parameter), keeping its other parameters."""
    p = urlsplit(url)
    query = dict(parse_qsl(p.query))
    query["options"] = (query.get("options", "") + f" -csearch_path={schema}").strip()
    return urlunsplit((p.scheme, p.netloc, p.path, urlencode(query), p.fragment))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _documents(n: int, sentences_per_doc: int, seed: int = 0):
    rng = random.Random(seed)
    sents = project_sentences()
    for i in range(n):
        text = f"{i} " + " ".join(rng.choice(sents) for _ in range(sentences_per_doc))
        yield (f"doc-{i:07d}", text, "{}", text_hash(text), " ".join(text.split()[:12]))


def fill(project: Project, n: int, sentences_per_doc: int, batch: int = 20_000) -> None:
    """n synthetic articles in one transaction; the server connection turns each batch into one COPY."""
    sql = "INSERT INTO documents (id, text, meta, hash, title) VALUES (?, ?, ?, ?, ?)"
    with project.transaction():
        rows = []
        for row in _documents(n, sentences_per_doc):
            rows.append(row)
            if len(rows) == batch:
                project.conn.executemany(sql, rows)
                rows = []
        project.conn.executemany(sql, rows)


# ---- 1. concurrent annotators ----------------------------------------------------------------------------------
def _words(text: str) -> list[tuple[int, int]]:
    out, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isspace() or ch in ".،,":
            if start is not None:
                out.append((start, i))
                start = None
        elif start is None:
            start = i
    return out


def annotator(url: str, name: str, docs: list[int], edits: int, seed: int, start_at: float, think: float,
              out) -> None:
    """One annotator's session, `think` seconds between edits on average (exponentially distributed, as people
    pause); sends (name, [(action, seconds)], expected state, errors) to `out`."""
    rng = random.Random(seed)
    p = Project.open(url)
    texts = {k: p.document(k).text for k in docs}
    words = {k: _words(t) for k, t in texts.items()}
    expected: dict[int, dict] = {}
    timings, errors = [], []
    actions = [a for a, w in MIX for _ in range(w)]
    doc_i = 0
    while time.time() < start_at:  # everyone starts together
        time.sleep(0.001)
    for _ in range(edits):
        if think:
            time.sleep(rng.expovariate(1 / think))
        doc = docs[doc_i % len(docs)]
        st = expected.setdefault(doc, {"entities": {}, "quotes": {}, "stances": {}, "status": "todo"})
        action = rng.choice(actions)
        if action in ("relabel", "delete_entity") and not st["entities"]:
            action = "add_entity"
        if action == "quote_kind" and not st["quotes"]:
            action = "add_quote"
        w = words[doc]
        t0 = time.perf_counter()
        try:
            if action == "add_entity":
                s, e = w[rng.randrange(len(w))]
                ent = p.add_entity(doc, name, s, e, rng.choice(LABELS))
                st["entities"][ent.id] = (s, e, ent.label)
            elif action == "relabel":
                eid = rng.choice(sorted(st["entities"]))
                label = rng.choice(LABELS)
                p.update_entity(doc, name, eid, label=label)
                st["entities"][eid] = st["entities"][eid][:2] + (label,)
            elif action == "delete_entity":
                eid = rng.choice(sorted(st["entities"]))
                p.delete_entity(doc, name, eid)
                del st["entities"][eid]
            elif action == "add_quote":
                i = rng.randrange(len(w) - 4)
                speaker = rng.choice(sorted(st["entities"])) if st["entities"] else None
                q = p.add_quote(doc, name, w[i + 1][0], w[i + 4][1], speaker=speaker, cue=w[i], kind="direct")
                st["quotes"][q.id] = (q.start, q.end, "direct")
            elif action == "quote_kind":
                qid = rng.choice(sorted(st["quotes"]))
                kind = rng.choice(("direct", "indirect"))
                p.update_quote(doc, name, qid, kind=kind)
                st["quotes"][qid] = st["quotes"][qid][:2] + (kind,)
            elif action == "add_stance":
                label = rng.choice(("favor", "against", "neutral", "unclear"))
                s = p.add_stance(doc, name, label, target_text="الكويت")
                st["stances"][s.id] = label
            else:
                p.set_status(doc, name, "done")
                st["status"] = "done"
                doc_i += 1
            timings.append((action, time.perf_counter() - t0))
        except Exception as exc:  # counted and reported: the benchmark must finish to say what went wrong
            errors.append(f"{name} {action} on {doc}: {exc}")
    p.close()
    out.put((name, timings, expected, errors))


def check(project: Project, name: str, expected: dict[int, dict]) -> tuple[int, int]:
    """(lost, interleaved) for one annotator: expected edits missing or changed, foreign annotations present."""
    lost = interleaved = 0
    for doc, st in expected.items():
        aset = project.load(doc, name)
        got = {"entities": {e.id: (e.start, e.end, e.label) for e in aset.entities},
               "quotes": {q.id: (q.start, q.end, q.kind) for q in aset.quotes},
               "stances": {s.id: s.label for s in aset.stances}}
        for kind in ("entities", "quotes", "stances"):
            want, have = st[kind], got[kind]
            lost += sum(1 for k, v in want.items() if have.get(k) != v)
            interleaved += sum(1 for k in have if k not in want)
        lost += aset.status != st["status"]
    return lost, interleaved


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0


def run_team(url: str, n_annotators: int, edits: int, n_docs: int, think: float) -> dict:
    with Project.create(url) as p:
        fill(p, n_docs, 8)
        keys = p.document_keys()
    rng = random.Random(1)
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 2.0 + n_annotators * 0.05
    per_annotator = max(3, edits // 10)
    procs = [ctx.Process(target=annotator, args=(url, f"annotator{i:02d}", rng.sample(keys, per_annotator), edits,
                                                  i, start_at, think, out)) for i in range(n_annotators)]
    for pr in procs:
        pr.start()
    results = [out.get() for _ in procs]
    for pr in procs:
        pr.join()
    timings = [(a, s * 1000) for _, ts, _, _ in results for a, s in ts]
    lost = interleaved = 0
    with Project.open(url) as p:
        for name, _, expected, _ in results:
            lo, il = check(p, name, expected)
            lost, interleaved = lost + lo, interleaved + il
    ms = [m for _, m in timings]
    errors = [e for r in results for e in r[3]]
    by_action = {a: (statistics.median(v), pct(v, 0.95), len(v))
                 for a in dict(MIX) for v in [[m for b, m in timings if b == a]] if v}
    return {"annotators": n_annotators, "edits": len(ms), "think": think, "p50": statistics.median(ms), "p95": pct(ms, 0.95),
            "max": max(ms), "lost": lost + len(errors), "interleaved": interleaved, "errors": errors,
            "by_action": by_action}


# ---- 2. a big server project -----------------------------------------------------------------------------------
def run_big(url: str, n_docs: int, reuse: bool) -> dict:
    build = 0.0
    if not reuse:
        t0 = time.perf_counter()
        with Project.create(url) as p:
            fill(p, n_docs, 2)
        build = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = Project.open(url)
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    done, total = p.count_documents(annotator="amal", status="done"), p.count_documents()
    t_counts = time.perf_counter() - t0
    t0 = time.perf_counter()
    listed = p.count_documents(annotator="amal")  # what the list model does: its row count, then a page
    first = p.document_page(annotator="amal", limit=200)
    t_page = time.perf_counter() - t0
    t0 = time.perf_counter()
    last = p.document_page(annotator="amal", from_end=True, limit=200)
    t_jump = time.perf_counter() - t0
    t0 = time.perf_counter()
    row = p.document_position(last[100].key, annotator="amal")
    t_find = time.perf_counter() - t0
    p.close()
    assert total == listed == n_docs and len(first) == len(last) == 200 and done == 0 and row == n_docs - 100
    return {"docs": total, "build": build, "open": t_open, "counts": t_counts, "page": t_page, "jump": t_jump,
            "find": t_find, "total": t_open + t_counts + t_page}


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.add_argument("--url", required=True, help="PostgreSQL URL of a database you may create schemas in")
    a.add_argument("--annotators", type=int, default=50)
    a.add_argument("--edits", type=int, default=200, help="edits per annotator")
    a.add_argument("--think", type=float, default=0.5,
                   help="mean seconds an annotator pauses between edits (default 0.5: 100 edits/s from 50 "
                        "annotators, busier than any real team; 0: every annotator edits flat out, a stress test)")
    a.add_argument("--docs", type=int, default=1_000_000, help="documents of the big project (0: skip it)")
    a.add_argument("--keep", action="store_true", help="keep the big project's schema for the next run")


def run(args: argparse.Namespace) -> int:
    team = schema_url(args.url, "tawsim_bench_team")
    _admin(args.url, "DROP SCHEMA IF EXISTS tawsim_bench_team CASCADE; CREATE SCHEMA tawsim_bench_team")
    try:
        r = run_team(team, args.annotators, args.edits, max(1000, args.annotators * 20), args.think)
    finally:
        _admin(args.url, "DROP SCHEMA IF EXISTS tawsim_bench_team CASCADE")
    print(f"team: {r['annotators']} annotators, {r['edits']} edits: commit p50 {r['p50']:.1f} ms, "
          f"p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms; lost {r['lost']}, interleaved {r['interleaved']}"
          f"   (pause {r['think']:g} s between edits; target: p95 <= 20 ms, lost 0, interleaved 0)")
    print("  per action: " + ", ".join(f"{a} p50 {m:.1f} / p95 {q:.1f} ms ({n})"
                                       for a, (m, q, n) in r["by_action"].items()))
    for e in r["errors"][:10]:
        print(f"  error: {e}")
    if args.docs:
        big = schema_url(args.url, "tawsim_bench_big")
        import psycopg

        with psycopg.connect(args.url, autocommit=True) as c:
            reuse = bool(c.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                                   "'tawsim_bench_big' AND table_name = 'schema_version'").fetchone())
        if reuse:
            with Project.open(big) as p:
                reuse = p.count_documents() == args.docs
        if not reuse:
            _admin(args.url, "DROP SCHEMA IF EXISTS tawsim_bench_big CASCADE; CREATE SCHEMA tawsim_bench_big")
        try:
            b = run_big(big, args.docs, reuse)
        finally:
            if not args.keep:
                _admin(args.url, "DROP SCHEMA IF EXISTS tawsim_bench_big CASCADE")
        built = f"built with COPY in {b['build']:.1f} s; " if b["build"] else "reused; "
        print(f"big: {b['docs']:,} documents ({built}open {b['open'] * 1000:.0f} ms, progress counts "
              f"{b['counts'] * 1000:.0f} ms, list count and first page {b['page'] * 1000:.0f} ms: window-ready "
              f"{b['total'] * 1000:.0f} ms; jump to the end {b['jump'] * 1000:.0f} ms, a document's row "
              f"{b['find'] * 1000:.0f} ms"
              f"   (target: open <= 1 s)")
    return 0
