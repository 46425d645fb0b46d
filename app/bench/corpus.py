"""The synthetic corpora every benchmark builds, in one place, all drawn from the seed articles' text.

* seed_sentences / make_record / generate: N annotated articles in the export schema (~20 entities, two quotes,
  two stances each) in the exporter's own order: the core benchmark's input.jsonl, the agreement benchmark's sets.
* build_project: a project of N short articles plus one 5,000-character article with 200 entities, written straight
  to the store: the window and assistance benchmarks open it.
* seed_words / make_conll: a CoNLL corpus of N tokens (the conll benchmark).

Not product code: nothing under app/ imports app.bench. The core is imported inside the functions that need it,
so the core benchmark's dump phases (the yardstick) measure the memory of orjson alone.
"""
from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Sequence

import orjson

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GENERATOR_VERSION = 1  # bump when the synthetic records change, so a cached input.jsonl is rebuilt

ENTITY_LABELS = ("PER", "ORG", "LOC", "GPE", "DATE", "EVENT", "MISC")
STANCE_LABELS = ("favor", "against", "neutral", "unclear")
QUOTE_KINDS = ("direct", "indirect")
ANNOTATOR = "bench"
ENTITIES_PER_DOC = 20
WORD = re.compile(r"\w+")
CONLL_LABELS = ("PER", "ORG", "LOC", "GPE", "MISC")


def seed_sentences(seeds: Path = SEEDS) -> list[str]:
    """Sentences of the seed articles: split on '.', the Arabic comma and newlines, at least three words each."""
    out: list[str] = []
    for f in sorted(seeds.glob("*.txt")):
        text = f.read_text(encoding="utf-8-sig")
        for part in re.split(r"[.\u060c\n]", text):
            part = " ".join(part.split())
            if len(WORD.findall(part)) >= 3:
                out.append(part)
    if not out:
        raise SystemExit(f"bench: no seed sentences in {seeds}")
    return out


def make_record(i: int, sentences: Sequence[str], rng: random.Random) -> dict:
    """One annotation set in the export schema, in exactly the order the exporter writes it.

    8-15 shuffled seed sentences in paragraphs, with a serial number so every text (and its hash) differs;
    ~20 non-overlapping entities on whole words (e1.. in text order), two quotes over whole sentences with a
    speaker linked to an entity and a cue word, a document stance and a stance scoped to the first quote.
    """
    picked = rng.sample(sentences, rng.randint(8, min(15, len(sentences))))
    picked.append(f"رقم التقرير {i + 1} للعام {rng.randint(1990, 2030)}")
    parts: list[str] = []
    spans: list[tuple[int, int]] = []  # sentence spans in the text
    pos = 0
    for n, sent in enumerate(picked):
        if n:
            sep = "\n" if rng.random() < 0.25 else rng.choice((". ", "، "))
            parts.append(sep)
            pos += len(sep)
        parts.append(sent)
        spans.append((pos, pos + len(sent)))
        pos += len(sent)
    parts.append(".")
    text = "".join(parts)

    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    # Candidate first words, every other word, so a one- or two-word span never touches the next one.
    starts = sorted(rng.sample(range(0, len(words) - 1, 2), min(ENTITIES_PER_DOC, (len(words) - 1) // 2)))
    entities = []
    for w in starts:
        s = words[w][0]
        e = words[w + 1][1] if rng.random() < 0.3 else words[w][1]
        entities.append({"id": f"e{len(entities) + 1}", "start": s, "end": e, "label": rng.choice(ENTITY_LABELS),
                         "text": text[s:e]})

    quotes = []
    for k, (s, e) in enumerate(sorted(rng.sample(spans[:-1], 2)), 1):
        speaker = rng.choice(entities)
        cs, ce = rng.choice(words)
        quotes.append({"id": f"q{k}", "start": s, "end": e, "text": text[s:e], "speaker": speaker["id"],
                       "speaker_text": speaker["text"],
                       "cue": {"start": cs, "end": ce, "text": text[cs:ce]} if rng.random() < 0.8 else None,
                       "kind": rng.choice(QUOTE_KINDS)})
    target = rng.choice(entities)
    stances = [{"id": "s1", "target": target["id"], "target_text": target["text"],
                "label": rng.choice(STANCE_LABELS), "scope": "document"},
               {"id": "s2", "target": quotes[0]["speaker"], "target_text": quotes[0]["speaker_text"],
                "label": rng.choice(STANCE_LABELS), "scope": quotes[0]["id"]}]
    return {"id": f"bench-{i + 1:06d}", "text": text, "meta": {"source": "bench", "seq": i + 1},
            "annotator": ANNOTATOR, "status": rng.choice(("done", "done", "done", "todo", "flagged")),
            "schema_version": 1, "entities": entities, "quotes": quotes, "stances": stances}


def generate(path: Path, n: int, seed: int) -> float:
    """Write N synthetic records to `path`; returns the seconds it took (not part of any measure)."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    sentences = seed_sentences()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        buf: list[bytes] = []
        for i in range(n):
            buf.append(orjson.dumps(make_record(i, sentences, rng)))
            if len(buf) >= 1000:
                f.write(b"\n".join(buf) + b"\n")
                buf.clear()
        if buf:
            f.write(b"\n".join(buf) + b"\n")
    return time.perf_counter() - t0


# ---- the window benchmark's project ----------------------------------------------------------------------------
def project_sentences() -> list[str]:
    """Seed sentences of at least four words, each ending in a full stop (the window benchmark's articles)."""
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        for part in f.read_text(encoding="utf-8").replace("\n", ".").split("."):
            if len(part.split()) >= 4:
                out.append(part.strip() + ".")
    return out


def build_project(path: Path, n_docs: int, seed: int = 0) -> tuple[int, int]:
    """n_docs short articles plus one 5,000-character article with 200 entities; returns (big key, other key)."""
    from ..core.labels import DEFAULT_LABELS
    from ..core.model import ENTITY
    from ..core.store import Project, text_hash

    rng = random.Random(seed)
    sents = project_sentences()
    project = Project.create(path)
    labels = [l.name for l in DEFAULT_LABELS if l.kind == ENTITY]
    with project.transaction():
        rows = []
        for i in range(n_docs):
            text = f"{i} " + " ".join(rng.choice(sents) for _ in range(6))
            rows.append((f"doc-{i:06d}", text, "{}", text_hash(text), " ".join(text.split()[:12])))
        project.conn.executemany("INSERT INTO documents (id, text, meta, hash, title) VALUES (?, ?, ?, ?, ?)", rows)
        big = ""
        while len(big) < 5000:
            big += rng.choice(sents) + " "
        big = big[:5000]
        big_key = project.insert_document("big-article", big, {})
    words = [m.span() for m in WORD.finditer(big)]
    step = max(1, len(words) // 200)
    spans = words[::step][:200]  # 200 distinct whole words, spread over the article
    assert len(spans) == 200, f"the 5,000-character article has only {len(words)} words"
    for k, (s, e) in enumerate(spans):
        project.add_entity(big_key, "bench", s, e, labels[k % len(labels)])
    other = project.list_documents(0, 1)[0].key
    project.close()
    return big_key, other


def build_long_article(path: Path, n_chars: int = 1_000_000, n_spans: int = 2000, seed: int = 0) -> int:
    """A project with one article of n_chars (paragraphs of seed sentences) and n_spans entities; its key."""
    from ..core.store import Project

    rng = random.Random(seed)
    sents = project_sentences()
    parts, size = [], 0
    while size < n_chars:
        para = " ".join(rng.choice(sents) for _ in range(8)) + "\n"
        parts.append(para)
        size += len(para)
    text = "".join(parts)[:n_chars]
    project = Project.create(path)
    key = project.insert_document("long-article", text, {})
    words = [m.span() for m in WORD.finditer(text)]
    step = max(1, len(words) // n_spans)
    with project.transaction():
        for k, (s, e) in enumerate(words[::step][:n_spans]):
            project.add_entity(key, ANNOTATOR, s, e, ENTITY_LABELS[k % len(ENTITY_LABELS)])
    project.close()
    return key


# ---- a CoNLL corpus -----------------------------------------------------------------------------------------------
def make_conll(path: Path, n_tokens: int, seed: int = 0) -> dict:
    """A CoNLL file of about n_tokens seed words in 20-token sentences, 20 sentences a document, ~5% entities."""
    from ..core.text.tokenize import tokenize

    words = []
    for f in sorted(SEEDS.glob("*.txt")):
        text = f.read_text("utf-8")
        words += [text[s:e] for s, e in tokenize(text)]
    rng = random.Random(seed)
    out: list[str] = []
    n = sentences = docs = entities = 0
    while n < n_tokens:
        if sentences % 20 == 0:
            out.append("-DOCSTART-\tO\n\n")
            docs += 1
        k = min(20, n_tokens - n)
        i = 0
        lines = []
        while i < k:
            if rng.random() < 0.05 and i + 2 <= k:
                label = rng.choice(CONLL_LABELS)
                length = min(rng.randint(1, 3), k - i)
                for j in range(length):
                    w = rng.choice(words)
                    lines.append(f"{w}\t{'B' if j == 0 else 'I'}-{label}\n")
                entities += 1
                i += length
            else:
                w = rng.choice(words)
                if rng.random() < 0.01:
                    w += "\u200f"  # a direction mark inside a token, as real corpora have
                lines.append(f"{w}\tO\n")
                i += 1
        out.append("".join(lines) + "\n")
        n += k
        sentences += 1
    path.write_text("".join(out), encoding="utf-8")
    return {"tokens": n, "sentences": sentences, "documents": docs, "entities": entities,
            "bytes": path.stat().st_size}
