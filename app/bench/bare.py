"""The core benchmark's store yardstick: the same records through nothing but the standard library's sqlite3 and
json, so `tawsim import` and export can be read as "so many times the bare minimum".

* bare_insert: json.loads each line of input.jsonl and insert it into the same five tables a project has
  (documents, annotation sets, entities, quotes, stances: the rows the store writes, each table with the one index
  its reads need), one transaction, in a file opened like a project (WAL, synchronous=NORMAL). No validation, no
  hash, no CHECKs, no counters, no export cache: what any program must do to keep these records in SQLite.
* bare_dump: read them back from that file in document order (a cursor on the sets, the annotations of each batch
  of sets in three queries) and write each record with json.dumps(ensure_ascii=False), buffered, then fsync, as the
  exporter writes. Its output is byte-compared by nobody: json's separators differ from the export's compact ones.

Neither imports app.core: the yardstick must not inherit the store's costs.
"""
from __future__ import annotations

import json
import os
import sqlite3
from itertools import groupby
from operator import itemgetter
from pathlib import Path

_SCHEMA = """
CREATE TABLE documents (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE sets (key INTEGER PRIMARY KEY, document INTEGER NOT NULL, annotator TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE entities (set_key INTEGER NOT NULL, id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                       label TEXT NOT NULL);
CREATE INDEX entities_by_set ON entities (set_key);
CREATE TABLE quotes (set_key INTEGER NOT NULL, id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                     speaker TEXT, speaker_text TEXT NOT NULL, cue_start INTEGER, cue_end INTEGER, kind TEXT NOT NULL);
CREATE INDEX quotes_by_set ON quotes (set_key);
CREATE TABLE stances (set_key INTEGER NOT NULL, id TEXT NOT NULL, target TEXT, target_text TEXT NOT NULL,
                      label TEXT NOT NULL, scope TEXT NOT NULL);
CREATE INDEX stances_by_set ON stances (set_key);
"""


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def bare_insert(src: Path, db: Path) -> int:
    """input.jsonl -> a bare SQLite file; returns the number of records."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = _connect(db)
    conn.executescript(_SCHEMA)
    n = 0
    conn.execute("BEGIN")
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            dk = conn.execute("INSERT INTO documents (id, text, meta) VALUES (?, ?, ?)",
                              (r["id"], r["text"], json.dumps(r["meta"], ensure_ascii=False))).lastrowid
            sk = conn.execute("INSERT INTO sets (document, annotator, status) VALUES (?, ?, ?)",
                              (dk, r["annotator"], r["status"])).lastrowid
            conn.executemany('INSERT INTO entities VALUES (?, ?, ?, ?, ?)',
                             [(sk, e["id"], e["start"], e["end"], e["label"]) for e in r["entities"]])
            conn.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(sk, q["id"], q["start"], q["end"], q["speaker"], q["speaker_text"],
                               q["cue"]["start"] if q["cue"] else None, q["cue"]["end"] if q["cue"] else None,
                               q["kind"]) for q in r["quotes"]])
            conn.executemany("INSERT INTO stances VALUES (?, ?, ?, ?, ?, ?)",
                             [(sk, s["id"], s["target"], s["target_text"], s["label"], s["scope"])
                              for s in r["stances"]])
            n += 1
    conn.execute("COMMIT")
    conn.close()
    return n


def bare_dump(db: Path, out: Path, batch: int = 1000) -> int:
    """The bare file's records as JSONL (json.dumps, one per line), in document order; returns the line count."""
    conn = _connect(db)
    first = itemgetter(0)
    cur = conn.cursor()
    cur.execute("SELECT d.id, d.text, d.meta, s.key, s.annotator, s.status FROM documents d "
                "JOIN sets s ON s.document = d.key ORDER BY d.key, s.annotator")
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        while rows := cur.fetchmany(batch):
            keys = [r[3] for r in rows]
            marks = ",".join("?" * len(keys))
            ents = {k: list(g) for k, g in groupby(conn.execute(
                f"SELECT * FROM entities WHERE set_key IN ({marks}) ORDER BY set_key, start, \"end\", label, id",
                keys), first)}
            quotes = {k: list(g) for k, g in groupby(conn.execute(
                f"SELECT * FROM quotes WHERE set_key IN ({marks}) ORDER BY set_key, start, \"end\", id", keys), first)}
            stances = {k: list(g) for k, g in groupby(conn.execute(
                f"SELECT * FROM stances WHERE set_key IN ({marks}) ORDER BY set_key, rowid", keys), first)}
            lines = []
            for did, text, meta, sk, ann, status in rows:
                rec = {"id": did, "text": text, "meta": json.loads(meta), "annotator": ann, "status": status,
                       "schema_version": 1,
                       "entities": [{"id": i, "start": s, "end": e, "label": lab, "text": text[s:e]}
                                    for _, i, s, e, lab in ents.get(sk, ())],
                       "quotes": [{"id": i, "start": s, "end": e, "text": text[s:e], "speaker": sp,
                                   "speaker_text": spt,
                                   "cue": {"start": cs, "end": ce, "text": text[cs:ce]} if cs is not None else None,
                                   "kind": kind} for _, i, s, e, sp, spt, cs, ce, kind in quotes.get(sk, ())],
                       "stances": [{"id": i, "target": t, "target_text": tt, "label": lab, "scope": scope}
                                   for _, i, t, tt, lab, scope in stances.get(sk, ())]}
                lines.append(json.dumps(rec, ensure_ascii=False))
            f.write("\n".join(lines) + "\n")
            n += len(rows)
        f.flush()
        os.fsync(f.fileno())
    conn.close()
    return n
