"""Shared helpers and fixtures for the bundle/merge tests: two desks with the seed texts, annotated sets."""
from __future__ import annotations

import datetime as _dt
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
def later(minutes: int = 1) -> str:
    """A time later than any set the test made so far, yet within the clock skew a merge allows (times further in
    the future are refused); computed when the test runs, not when the module is imported."""
    return (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(minutes=minutes)).isoformat(timespec="seconds")


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


def rewrite(path: Path, edit, header: dict | None = None, key=None) -> Path:
    """Change a bundle's records with edit(list of dicts) (and its header with `header`) and write it back with a
    correct count and checksum, signed again with `key` (default: this installation's, which wrote it), so the
    check under test is the only one that fails."""
    from app.core.exchange import signing

    key = key or signing.installation_key()
    lines = bundle_lines(path)
    header, records = {**lines[0], **(header or {})}, lines[1:-1]
    edit(records)
    header["documents"] = len(records)
    header["public_key"] = signing.public_key_text(key)
    body = b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in [header, *records])
    digest = hashlib.sha256(body).hexdigest()
    trailer = {"end": True, "count": len(records), "sha256": digest, "signature": signing.sign(key, digest)}
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
