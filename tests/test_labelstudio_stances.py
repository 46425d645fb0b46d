"""Stances in Label Studio are choices from a closed set (issue 16, item 6): per region on the target entity (the
article's stance toward it) or on the quote (the quote's stance, its target a `target` relation), the article's
stance without a target as a task-level choice, a quote's kind per region. Checked against the real Label Studio
1.23.2: tests/fixtures/formats/labelstudio-1.23.2-stance-choices-export.json is its JSON export of Tawsim's tasks
(from labelstudio-stance-choices-source.jsonl) after one annotation was re-saved with the article's stance toward
واشنطن changed from against to favor. Driven through the CLI as a subprocess."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app.cli import main

ROOT = Path(__file__).resolve().parent.parent
FX = ROOT / "tests" / "fixtures" / "formats"
SOURCE = FX / "labelstudio-stance-choices-source.jsonl"
STANCE_LABELS = {"favor", "against", "neutral", "unclear"}


def tawsim(*args) -> subprocess.CompletedProcess:
    """The CLI in this process (its parser, commands and exit codes; a subprocess per call would cost a second
    each), stdout and stderr captured as a subprocess's would be."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    assert rc == 0, err.getvalue()
    return subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())


def tawsim_process(*args) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "app", *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r


def lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").split("\n") if l]


def stances(rec: dict) -> list[tuple]:
    """(label, target span, target text, scope as the quote's span) of each stance, sorted: ids differ."""
    ents = {e["id"]: (e["start"], e["end"], e["label"]) for e in rec["entities"]}
    quotes = {q["id"]: (q["start"], q["end"]) for q in rec["quotes"]}
    return sorted((s["label"], ents.get(s["target"]), s["target_text"], quotes.get(s["scope"], s["scope"]))
                  for s in rec["stances"])


def kinds(rec: dict) -> list[tuple]:
    return [(q["start"], q["end"], q["kind"]) for q in rec["quotes"]]


def test_export_writes_stances_as_closed_choices_and_they_come_back(tmp_path):
    p = tmp_path / "p.tawsim"
    tawsim("init", p)
    tawsim("import", p, SOURCE)
    out = tmp_path / "tasks.json"
    tawsim("export", p, out, "--format", "labelstudio")
    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    controls = {c.get("name"): c for c in config.iter("Choices")}
    assert {c.get("value") for c in controls["stance"].findall("Choice")} == STANCE_LABELS
    assert controls["stance"].get("perRegion") == "true" and controls["quote_kind"].get("perRegion") == "true"
    assert {c.get("value") for c in controls["article_stance"].findall("Choice")} == STANCE_LABELS
    assert "stance_text" not in controls  # every stance here fits the closed set
    results = [r for t in json.loads(out.read_text(encoding="utf-8")) for a in t["annotations"] for r in a["result"]]
    choices = [(r["from_name"], c) for r in results if r["type"] == "choices" for c in r["value"]["choices"]]
    assert choices and all(c in STANCE_LABELS | {"direct", "indirect"} for _, c in choices)
    assert not any(c.startswith("stance:") for _, c in choices)  # no one-off strings with offsets
    for t in json.loads(out.read_text(encoding="utf-8")):
        (ann,) = t["annotations"]
        regions = {r["id"]: r["value"] for r in ann["result"] if r["type"] == "labels"}
        per_region = [r for r in ann["result"] if r["type"] == "choices" and r["from_name"] == "stance"]
        assert per_region and all(regions[r["id"]]["start"] == r["value"]["start"] for r in per_region)

    back = tmp_path / "back.tawsim"
    tawsim("init", back)
    tawsim("import", back, out)
    got = tmp_path / "back.jsonl"
    tawsim("export", back, got)
    for a, b in zip(lines(SOURCE), lines(got)):
        assert stances(b) == stances(a) and kinds(b) == kinds(a)


def test_a_real_label_studio_export_with_a_re_saved_stance_imports_its_choices(tmp_path):
    p = tmp_path / "p.tawsim"
    tawsim("init", p)
    tawsim_process("import", p, FX / "labelstudio-1.23.2-stance-choices-export.json")  # once as a real process
    out = tmp_path / "out.jsonl"
    tawsim("export", p, out)
    got, src = lines(out), lines(SOURCE)
    assert [(r["id"], r["annotator"], r["status"]) for r in got] == [("d0", "amal", "done"), ("d1", "amal", "done")]
    expected = stances(src[0])
    washington = next(e for e in src[0]["entities"] if e["text"] == "واشنطن")
    changed = ("against", (washington["start"], washington["end"], "GPE"), "واشنطن", "document")
    expected[expected.index(changed)] = ("favor",) + changed[1:]  # the one choice changed in Label Studio
    assert stances(got[0]) == sorted(expected)
    assert stances(got[1]) == stances(src[1])
    assert kinds(got[0]) == kinds(src[0]) and kinds(got[1]) == kinds(src[1])


def test_what_the_closed_set_cannot_say_keeps_the_old_string_and_comes_back(tmp_path):
    """A target named by text only (no entity) has no region to carry the choice: it stays a `stance_text`
    string, listed in the config, and is read back as before."""
    p = tmp_path / "p.tawsim"
    tawsim("init", p)
    rec = lines(SOURCE)[1]
    rec["stances"].append({"id": "s9", "label": "neutral", "target": None, "target_text": "الاتحاد الأوروبي",
                           "scope": "document"})
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    tawsim("import", p, src)
    out = tmp_path / "tasks.json"
    tawsim("export", p, out, "--format", "labelstudio")
    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text(encoding="utf-8"))
    text_choices = [c.get("value") for c in config.iter("Choices") if c.get("name") == "stance_text"
                    for c in c.findall("Choice")]
    assert text_choices == ["stance:neutral@الاتحاد الأوروبي"]
    back = tmp_path / "back.tawsim"
    tawsim("init", back)
    tawsim("import", back, out)
    got = tmp_path / "back.jsonl"
    tawsim("export", back, got)
    assert stances(lines(got)[0]) == stances(rec)


def test_json_min_keeps_the_article_stance_without_target(tmp_path):
    """JSON-MIN flattens each control to one key (`stance`: a list that no longer says which region): only the
    task-level article stance can be read, and is; the per-region ones are not guessed."""
    p = tmp_path / "p.tawsim"
    tawsim("init", p)
    tawsim("import", p, FX / "labelstudio-1.23.2-stance-choices-export-min.json")
    out = tmp_path / "out.jsonl"
    tawsim("export", p, out)
    d0, d1 = lines(out)
    assert stances(d0) == [("neutral", None, "", "document")] and stances(d1) == []
