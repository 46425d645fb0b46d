"""The reserved name "gold" and names that pass for it or carry control characters: one rule (core/names.py),
refused by `tawsim merge` and `tawsim import` (run as a subprocess, as a user does) with the project unchanged; and
nothing a bundle or a file name holds reaches the terminal as a control sequence."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.bundle import write_bundle
from app.core.names import AnnotatorNameError, check_annotator_name
from app.terminal import terminal_text
from bundle_helpers import (ANEZI, SEEDS, bundle_lines, desk, reviewer, rewrite, snapshot,  # noqa: F401
                            span)

ROOT = Path(__file__).resolve().parents[1]

GOLD_LOOKALIKES = ["gold", "Gold", "GOLD", " gold", "gold ", " Gold", "g\u200bold", "go\u200dld", "\u202egold",
                   "gоld",  # Cyrillic o
                   "ｇｏｌｄ",  # full-width
                   "GoId",  # capital I for l
                   "g o l d", "gold\t"]
CONTROLS = ["amal\x1b[2J", "am\x00al", "amal\r", "a\u2028b", "\u202eamal", "am\u200bal", "amal\x9b31m"]


def tawsim(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("name", GOLD_LOOKALIKES + CONTROLS + ["", "   ", None, 7])
def test_the_rule_refuses(name):
    with pytest.raises(AnnotatorNameError):
        check_annotator_name(name)


@pytest.mark.parametrize("name", ["amal", "سارة", "Nour El-Huda", "golden", "goldie", "ahmad.k", "عمر_2"])
def test_the_rule_keeps_ordinary_names_exactly(name):
    assert check_annotator_name(name) == name


def test_a_refused_name_is_named_escaped():
    with pytest.raises(AnnotatorNameError) as exc:
        check_annotator_name("amal\x1b[2J")
    assert "\x1b" not in str(exc.value) and "U+001B" in str(exc.value)


def test_merge_refuses_bundles_that_claim_gold(desk, reviewer, tmp_path):
    bundles = []
    for i, claimed in enumerate(["gold", " Gold", "g\u200bold"]):
        b = tmp_path / f"claim{i}.jsonl"
        write_bundle(desk, b, "alice")

        def claim(records, claimed=claimed):
            for r in records:
                r["annotator"] = claimed

        bundles.append(rewrite(b, claim, header={"annotator": claimed}))
    before = snapshot(reviewer, tmp_path)
    res = tawsim("merge", reviewer.path, *bundles)
    err = res.stderr.decode()
    assert res.returncode == 1 and "Traceback" not in err, err
    for b in bundles:  # each one refused, at its line 1, by name
        assert f"{b}:1:" in err
    assert "looks like 'gold'" in err and err.rstrip().endswith("nothing was merged; the project is unchanged")
    assert snapshot(reviewer, tmp_path) == before
    assert reviewer.annotators(include_gold=True) == ["gold", "rev"]


def test_a_bundle_name_with_escape_sequences_never_reaches_the_terminal(desk, reviewer, tmp_path):
    b = tmp_path / "alice.jsonl"
    write_bundle(desk, b, "alice")
    evil = "alice\x1b[2J\x1b]0;pwned\x07"

    def rename(records):
        for r in records:
            r["annotator"] = evil

    rewrite(b, rename, header={"annotator": evil})
    before = snapshot(reviewer, tmp_path)
    res = tawsim("merge", reviewer.path, b)
    assert res.returncode == 1
    for stream in (res.stdout, res.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    assert "invisible or control character" in res.stderr.decode()
    assert snapshot(reviewer, tmp_path) == before


def test_data_printed_unquoted_is_escaped_too(tmp_path, capsys):
    """A file name from a received archive is printed as it is in `FILE:LINE: problem`; its escape sequences are
    written out visibly, not obeyed."""
    db = tmp_path / "p.db"
    assert main(["init", str(db)]) == 0
    bad = tmp_path / "news\x1b[2J\u202e.jsonl"
    bad.write_text('{"id": "a"}\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(db), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in err + out and "\u202e" not in err + out
    assert "news\\u001b[2J\\u202e.jsonl:1:" in err


def test_terminal_text_keeps_text_and_json_valid():
    s = 'سارة\tok\n{"a": "\x9b\u202e"}'
    out = terminal_text(s)
    assert out.startswith("سارة\tok\n") and "\x9b" not in out and "\u202e" not in out
    assert json.loads(terminal_text(json.dumps({"a": "x\x7f\u2066"}, ensure_ascii=False))) == {"a": "x\x7f\u2066"}


def _jsonl(path: Path, annotator: str) -> Path:
    text = (SEEDS / f"{ANEZI}.txt").read_text(encoding="utf-8")
    s, e = span(text, "الكويت")
    path.write_text(json.dumps({"id": ANEZI, "text": text, "annotator": annotator, "status": "done",
                                "entities": [{"id": "e1", "start": s, "end": e, "label": "GPE"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("claimed", ["gold", "Gold ", "g\u200bold"])
def test_import_refuses_lines_that_claim_gold(reviewer, tmp_path, capsys, claimed):
    src = _jsonl(tmp_path / "in.jsonl", claimed)
    before = snapshot(reviewer, tmp_path)
    assert main(["import", str(reviewer.path), str(src)]) == 1
    assert f"{src}:1: annotator name " in capsys.readouterr().err
    assert snapshot(reviewer, tmp_path) == before


def test_import_as_a_subprocess_refuses_gold(reviewer, tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", "gold")
    before = snapshot(reviewer, tmp_path)
    res = tawsim("import", reviewer.path, src)
    err = res.stderr.decode()
    assert res.returncode == 1 and f"{src}:1: annotator name 'gold' is reserved" in err and "Traceback" not in err
    assert snapshot(reviewer, tmp_path) == before


@pytest.mark.parametrize("flag", ["gold", "GOLD", " amal"])
def test_import_refuses_a_reserved_annotator_option(reviewer, tmp_path, capsys, flag):
    src = _jsonl(tmp_path / "in.jsonl", "amal")
    before = snapshot(reviewer, tmp_path)
    assert main(["import", str(reviewer.path), str(src), "--annotator", flag]) == 1
    assert "--annotator: annotator name" in capsys.readouterr().err
    assert snapshot(reviewer, tmp_path) == before


def test_an_exported_gold_set_moves_only_on_purpose(reviewer, tmp_path, capsys):
    """`tawsim export` writes gold lines; bringing them into another project is a decision: --gold."""
    out = tmp_path / "all.jsonl"
    assert main(["export", str(reviewer.path), str(out)]) == 0
    assert any(r["annotator"] == "gold" for r in map(json.loads, out.read_text("utf-8").splitlines()))
    other = tmp_path / "other.db"
    assert main(["init", str(other)]) == 0
    capsys.readouterr()
    assert main(["import", str(other), str(out)]) == 1
    assert "with --gold" in capsys.readouterr().err
    assert main(["import", str(other), str(out), "--gold"]) == 0
    again = tmp_path / "again.jsonl"
    assert main(["export", str(other), str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_bundle_refuses_to_write_a_look_alike(reviewer, tmp_path, capsys):
    assert main(["bundle", str(reviewer.path), str(tmp_path / "b.jsonl"), "--annotator", "GOLD"]) == 1
    assert "reserved" in capsys.readouterr().err
    assert not (tmp_path / "b.jsonl").exists()
