"""The import's fast path (io/annotation_rows.py + Project.insert_set_rows + source.scan_lines) must be invisible:
it accepts only what parse_annotations accepts, with the same values, and a project imported through it holds the
same rows, export fragments and id counters as one imported through the model objects."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.exchange import importer
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io.annotation_rows import annotation_rows
from app.core.io.source import SCAN_CHUNK, SourceError, line_limit
from app.core.io.validate import RecordError, parse_annotations
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
TEXT = "قال الوزير أحمد إن الحلف باق.\nوأضاف: «سنبقى هنا» في الكويت."
ENTS = {"PER": "أحمد", "LOC": "الكويت"}
E_LABELS, S_LABELS, KINDS = {"PER", "LOC", "ORG"}, {"favor", "against"}, {"direct", "indirect"}


def _span(part: str) -> dict:
    s = TEXT.index(part)
    return {"start": s, "end": s + len(part), "text": part}


def good() -> dict:
    """A record in the common shape, with every optional field the fast path handles."""
    return {
        "entities": [{"id": "e2", **_span(ENTS["LOC"]), "label": "LOC", "note": "بلد", "cluster": "c1"},
                     {"id": "e1", **_span(ENTS["PER"]), "label": "PER", "cluster": "c1"},
                     {"id": "x", **_span("الوزير"), "label": "PER"}],
        "quotes": [{"id": "q7", **_span("«سنبقى هنا»"), "speaker": "e1", "speaker_text": "",
                    "cue": _span("وأضاف"), "kind": "direct", "note": "n"},
                   {"id": "q2", **_span("إن الحلف باق"), "speaker": None, "speaker_text": "الوزير", "cue": None,
                    "kind": "indirect"}],
        "stances": [{"id": "s1", "label": "favor", "target": "e2", "target_text": "", "scope": "q7"},
                    {"id": "s3", "label": "against", "target": None, "target_text": "الحلف", "scope": "document"}],
    }


def _variants() -> list[dict]:
    """The good record and one change each: some valid but uncommon (left to parse_annotations), most invalid."""
    out = [good(), {}, {"entities": None, "quotes": [], "stances": []}]
    changes = [
        lambda r: r["entities"][0].pop("id"), lambda r: r["entities"][0].update(id=3),
        lambda r: r["entities"][0].update(id=""), lambda r: r["entities"][1].update(id="e2"),
        lambda r: r["entities"][0].update(start=True), lambda r: r["entities"][0].update(start=1.0),
        lambda r: r["entities"][0].update(end=len(TEXT) + 1), lambda r: r["entities"][0].update(start=-1),
        lambda r: r["entities"][0].update(text="غلط"), lambda r: r["entities"][0].pop("text"),
        lambda r: r["entities"][0].update(label="DATE"), lambda r: r["entities"][0].update(label=""),
        lambda r: r["entities"][0].update(note=5), lambda r: r["entities"][0].update(cluster=""),
        lambda r: r["entities"][0].update(cluster=7), lambda r: r.update(entities={"a": 1}),
        lambda r: r["entities"].append("e9"), lambda r: r["quotes"][0].update(speaker="e404"),
        lambda r: r["quotes"][0].update(speaker=1), lambda r: r["quotes"][0].update(speaker_text=3),
        lambda r: r["quotes"][0].update(cue={"start": 0, "end": 2, "text": "xx"}),
        lambda r: r["quotes"][0].update(cue=[0, 2]), lambda r: r["quotes"][0].pop("kind"),
        lambda r: r["quotes"][0].update(kind="rumour"), lambda r: r["quotes"][0].update(kind=None),
        lambda r: r["quotes"][1].update(id="q7"), lambda r: r["quotes"][0].update(note=[]),
        lambda r: r["stances"][0].update(scope="q404"), lambda r: r["stances"][0].pop("scope"),
        lambda r: r["stances"][0].update(scope=None), lambda r: r["stances"][0].update(label="meh"),
        lambda r: r["stances"][0].update(target="q7"), lambda r: r["stances"][1].update(id="s1"),
        lambda r: r["stances"][0].pop("id"), lambda r: r["stances"][0].update(target_text=None),
    ]
    for change in changes:
        r = good()
        change(r)
        out.append(r)
    return out


def _rows_of(entities, quotes, stances) -> tuple:
    return ([(None, e.id, e.start, e.end, e.label, e.note, e.cluster) for e in entities],
            [(None, q.id, q.start, q.end, q.speaker, q.speaker_text, q.cue.start if q.cue else None,
              q.cue.end if q.cue else None, q.kind, q.note) for q in quotes],
            [(None, s.id, s.target, s.target_text, s.label, s.scope) for s in stances])


@pytest.mark.parametrize("labels", [(E_LABELS, S_LABELS, KINDS), (None, None, None)])
def test_fast_rows_accept_only_what_parse_annotations_accepts_with_the_same_values(labels):
    accepted = 0
    for record in _variants():
        rows = annotation_rows(copy.deepcopy(record), TEXT, *labels)
        try:
            slow = _rows_of(*parse_annotations(copy.deepcopy(record), TEXT, *labels))
        except (RecordError, TypeError):
            assert rows is None, f"fast path accepted what parse_annotations refuses: {record}"
            continue
        if rows is not None:
            accepted += 1
            assert rows == slow, record
    assert accepted >= 5  # the common shapes do take the fast path


def test_a_project_imported_through_the_fast_path_equals_one_imported_through_model_objects(tmp_path, monkeypatch):
    records = [{"id": f"d{i}", "text": f"{TEXT} {i}", "meta": {"n": i}, "annotator": "amal", "status": "done",
                **good(), **({"provenance": {"from": "x"}} if i == 1 else {})} for i in range(3)]
    records.append({"id": "plain", "text": "نص بلا تعليقات"})
    records.append({"id": "d9", "text": TEXT + " 9", "annotator": "huda", **good()})
    records[-1]["entities"][0].pop("id")  # a record the fast path leaves to parse_annotations (a fresh id)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    def tables(db: Path) -> dict:
        with Project.open(db) as p:
            return {t: p.conn.execute(sql).fetchall() for t, sql in (
                ("sets", "SELECT document, annotator, status, comment, provenance, cache, entity_seq, quote_seq, "
                         "stance_seq FROM annotation_sets ORDER BY key"),
                ("entities", 'SELECT set_key, id, start, "end", label, note, cluster FROM entities ORDER BY key'),
                ("quotes", "SELECT * FROM quotes ORDER BY key"), ("stances", "SELECT * FROM stances ORDER BY key"),
                ("documents", "SELECT * FROM documents ORDER BY key"))}

    calls = []
    real = importer.annotation_rows
    monkeypatch.setattr(importer, "annotation_rows", lambda *a: calls.append(real(*a) is not None) or real(*a))
    with Project.create(tmp_path / "fast.db") as p:
        import_sources(p, [src])
    monkeypatch.setattr(importer, "annotation_rows", lambda *a: None)  # every record through the model objects
    with Project.create(tmp_path / "slow.db") as p:
        import_sources(p, [src])
    assert calls == [True, True, True, False]  # the plain text has no set; d9 is left to parse_annotations
    fast, slow = tables(tmp_path / "fast.db"), tables(tmp_path / "slow.db")
    assert fast["sets"][1][4] == '{"from": "x"}' and fast["sets"][0][6] == 2  # provenance kept, counter above e2
    assert fast == slow


def test_jsonl_problems_found_by_the_chunk_scan_are_named_as_before(tmp_path):
    """scan_lines' chunks must not hide a UTF-8 error or an over-long line across a chunk boundary: the message
    (line, byte offset) is the one iter_lines gives, and it comes before the JSON error on an earlier line."""
    with Project.create(tmp_path / "p.db"):
        pass
    bad = tmp_path / "bad.jsonl"
    filler = json.dumps({"id": "a", "text": "x" * (SCAN_CHUNK - 40)}).encode() + b"\n"
    bad.write_bytes(b"{not json\n" + filler + b'{"id": "b", "text": "\xd8"}\n')  # 0xd8 past the first chunk
    proc = subprocess.run([sys.executable, "-m", "app", "import", str(tmp_path / "p.db"), str(bad)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    offset = 10 + len(filler) + len(b'{"id": "b", "text": "')
    assert proc.returncode != 0 and f"{bad}:3: not valid UTF-8 (byte 0xd8 at offset {offset})" in proc.stderr

    long_line = tmp_path / "long.jsonl"
    limit = line_limit(1000)  # max_chars 1000: a 1 MiB line limit, so the line below crosses chunks
    long_line.write_bytes(b"{not json\n" + b" " * (SCAN_CHUNK - 20) + b"x" * (limit - SCAN_CHUNK + 30) + b"\n")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes("\ufeff \n\u3000\n".encode())
    with Project.open(tmp_path / "p.db") as p:
        with pytest.raises(SourceError, match=f"^{long_line}:2: line is longer than {limit:,} bytes"):
            import_sources(p, [long_line], ImportOptions(max_chars=1000))
        with pytest.raises(SourceError, match=f"^{blank}: empty file: no documents"):
            import_sources(p, [blank])
        assert p.count_documents() == 0
