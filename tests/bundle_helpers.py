"""Shared helpers and fixtures for the bundle/merge tests: two desks with the seed texts, annotated sets."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.core.exchange.exporter import export_jsonl
from app.core.exchange.importer import import_sources
from app.core.model import GOLD
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ANEZI = "kuwait-nato-anezi"
COLOMINA = "kuwait-nato-colomina"
LATER = "2031-01-01T00:00:00+00:00"
MUCH_LATER = "2032-01-01T00:00:00+00:00"


# ---- helpers ------------------------------------------------------------------------------------------------------

def new_project(tmp_path: Path, name: str) -> Project:
    p = Project.create(tmp_path / f"{name}.db")
    import_sources(p, [SEEDS])
    return p


def span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    s = -1
    for _ in range(nth + 1):
        s = text.index(part, s + 1)
    return s, s + len(part)


def annotate(p: Project, annotator: str, doc_id: str = ANEZI, variant: int = 0) -> None:
    """A full set: entities, a quote with speaker and cue, stances on the document and on the quote."""
    d = p.document(doc_id)
    words = d.text.split()
    e1 = p.add_entity(d.key, annotator, *span(d.text, "الكويت", variant), "GPE")
    e2 = p.add_entity(d.key, annotator, *span(d.text, words[2 + variant]), "PER")
    q = p.add_quote(d.key, annotator, e2.start, e2.end + 10, speaker=e1.id, cue=(e1.start, e1.end),
                    kind="indirect")
    p.add_stance(d.key, annotator, "favor", target=e1.id)
    p.add_stance(d.key, annotator, "neutral", scope=q.id)
    p.set_status(d.key, annotator, "done", comment=f"{annotator}'s note")


def export_bytes(p: Project, tmp_path: Path, **kw) -> bytes:
    out = tmp_path / "snap.jsonl"
    export_jsonl(p, out, **kw)
    return out.read_bytes()


def snapshot(p: Project, tmp_path: Path) -> tuple:
    names = p.annotators(include_gold=True)
    return (export_bytes(p, tmp_path), p.stats(), p.document_ids(), {n: p.set_times(n) for n in names})


def bundle_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def rewrite(path: Path, edit, header: dict | None = None) -> Path:
    """Change a bundle's records with edit(list of dicts) (and its header with `header`) and write it back with a
    correct count and checksum, so the check under test is the only one that fails."""
    lines = bundle_lines(path)
    header, records = {**lines[0], **(header or {})}, lines[1:-1]
    edit(records)
    header["documents"] = len(records)
    body = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in [header, *records])
    trailer = {"end": True, "count": len(records), "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(body + json.dumps(trailer).encode() + b"\n")
    return path


@pytest.fixture
def desk(tmp_path):
    """alice's desktop: both seeds annotated by alice, bundled."""
    a = new_project(tmp_path, "alice-desk")
    annotate(a, "alice", ANEZI)
    annotate(a, "alice", COLOMINA)
    yield a
    a.close()


@pytest.fixture
def reviewer(tmp_path):
    """The reviewer's project: the same seeds, the reviewer's own set and a gold set on ANEZI."""
    r = new_project(tmp_path, "reviewer")
    annotate(r, "rev", ANEZI, variant=1)
    annotate(r, GOLD, ANEZI, variant=1)
    yield r
    r.close()
