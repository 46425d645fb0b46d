"""`tawsim` end to end on the seed articles: init, import, export, validate, stats, and their error paths."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import COMMANDS, ProgressBar, build_parser, main
from app.core.labels import DEFAULT_LABELS
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
ANEZI = "kuwait-nato-anezi"
COLOMINA = "kuwait-nato-colomina"


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_command_names_are_the_public_contract():
    # Names are added, never renamed or removed: the first five stay as they were.
    assert COMMANDS[:5] == ("init", "import", "export", "validate", "stats")
    assert {"bundle", "merge"} <= set(COMMANDS)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)
    flags = {name: {o for a in p._actions for o in a.option_strings} for name, p in sub.choices.items()}
    assert {"--labels"} <= flags["init"]
    assert {"--annotator", "--text-column", "--id-column", "--max-chars", "--replace"} <= flags["import"]
    assert {"--annotator", "--gold", "--status", "--split", "--seed"} <= flags["export"]
    assert {"--json"} <= flags["stats"]


# ---- init ---------------------------------------------------------------------------------------------------------

def test_init_with_default_labels(tmp_path, capsys):
    db = tmp_path / "p.db"
    rc, out, err = run(capsys, "init", db)
    assert (rc, out.strip(), err) == (0, f"created {db}", "")
    with Project.open(db) as p:
        assert sorted((l.kind, l.name) for l in p.labels()) == sorted((l.kind, l.name) for l in DEFAULT_LABELS)
        assert p.count_documents() == 0


def test_init_refuses_an_existing_project(tmp_path, capsys):
    db = tmp_path / "p.db"
    run(capsys, "init", db)
    before = db.read_bytes()
    rc, out, err = run(capsys, "init", db)
    assert rc == 1 and f"{db}: already exists" in err
    assert db.read_bytes() == before


def test_init_with_json_labels(tmp_path, capsys):
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps([
        {"name": "PER", "display": "شخص", "color": "#ff0000", "key": "1"},
        {"name": "WEAPON", "kind": "entity", "display": "سلاح"},
        {"name": "pro", "kind": "stance", "display": "مؤيد"},
        {"name": "con", "kind": "stance"},
    ], ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "p.db"
    assert run(capsys, "init", db, "--labels", labels)[0] == 0
    with Project.open(db) as p:
        ents = p.labels("entity")
        assert [l.name for l in ents] == ["PER", "WEAPON"]
        assert (ents[0].display, ents[0].color, ents[0].key) == ("شخص", "#ff0000", "1")
        assert ents[1].color.startswith("#") and ents[1].display == "سلاح"
        assert p.label_names("stance") == {"pro", "con"}
        assert p.label_names("quote_kind") == {"direct", "indirect"}  # kinds not in the file keep the defaults
    # The project's labels are what import checks against.
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "قال نواف", "entities": [{"start": 4, "end": 8, "label": "LOC"}]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    rc, _, err = run(capsys, "import", db, src)
    assert rc == 1 and "unknown entity label 'LOC' (the project has PER, WEAPON)" in err


def test_init_with_plain_text_labels(tmp_path, capsys):
    labels = tmp_path / "labels.txt"
    labels.write_bytes("\ufeff# entity labels\nPER\tشخص\t#f4a261\t1\n\nORG\tمنظمة\nTITLE\n".encode("utf-8"))
    db = tmp_path / "p.db"
    assert run(capsys, "init", db, "--labels", labels)[0] == 0
    with Project.open(db) as p:
        ents = p.labels("entity")
        assert [(l.name, l.display) for l in ents] == [("PER", "شخص"), ("ORG", "منظمة"), ("TITLE", "")]
        assert [l.key for l in ents] == ["1", "", ""]
        assert ents[0].color == "#f4a261"
        assert p.label_names("stance") == {"favor", "against", "neutral", "unclear"}


@pytest.mark.parametrize("name, content, message", [
    ("bad.json", b'[{"name": "PER"},\n {"name": }]', "bad.json:2: invalid JSON"),
    ("obj.json", b'{"PER": 1}', "obj.json:1: expected a JSON list of labels"),
    ("noname.json", b'[{"kind": "entity"}]', 'label #1: needs a non-empty "name"'),
    ("kind.json", b'[{"name": "X", "kind": "colour"}]', "label 'X': unknown kind 'colour'"),
    ("dup.json", b'[{"name": "X"}, {"name": "X"}]', "label 'X' (entity) is defined twice"),
    ("spaces.txt", "PER\nرجل أعمال\n".encode(), "spaces.txt:2: label name 'رجل أعمال' contains spaces"),
    ("latin1.txt", "PER\nCAFÉ\n".encode("latin-1"), "cannot read label file"),
])
def test_init_with_a_bad_label_file(tmp_path, capsys, name, content, message):
    labels = tmp_path / name
    labels.write_bytes(content)
    db = tmp_path / "p.db"
    rc, out, err = run(capsys, "init", db, "--labels", labels)
    assert rc == 1 and out == ""
    assert err.startswith(f"tawsim: {labels}") and message in err
    assert not db.exists()  # nothing half-made


def test_init_with_stance_labels_only_keeps_default_entity_labels(tmp_path, capsys):
    labels = tmp_path / "stances.json"
    labels.write_text('[{"name": "pro", "kind": "stance"}]', encoding="utf-8")
    assert run(capsys, "init", tmp_path / "p.db", "--labels", labels)[0] == 0
    with Project.open(tmp_path / "p.db") as p:
        assert p.label_names("stance") == {"pro"}
        assert p.label_names("entity") == {l.name for l in DEFAULT_LABELS if l.kind == "entity"}


def test_init_with_a_missing_label_file(tmp_path, capsys):
    rc, _, err = run(capsys, "init", tmp_path / "p.db", "--labels", tmp_path / "nope.txt")
    assert rc == 1 and "cannot read label file" in err
    assert not (tmp_path / "p.db").exists()


def test_init_in_a_missing_folder(tmp_path, capsys):
    rc, _, err = run(capsys, "init", tmp_path / "no" / "p.db")
    assert rc == 1 and "cannot create the project file" in err and "Traceback" not in err


# ---- the whole pipeline -------------------------------------------------------------------------------------------

def test_end_to_end_on_the_seeds(tmp_path, seeds_dir, capsys):
    db = tmp_path / "p.db"
    assert run(capsys, "init", db)[0] == 0
    rc, out, err = run(capsys, "import", db, seeds_dir)
    assert rc == 0 and err == ""  # no progress bar when stderr is not a terminal
    assert out.splitlines() == ["2 record(s) from 2 file(s): 2 new document(s), 0 already in the project"]

    fresh = tmp_path / "fresh.jsonl"
    rc, out, _ = run(capsys, "export", db, fresh)
    assert (rc, out.strip()) == (0, f"wrote 2 line(s) to {fresh}")
    lines = [json.loads(x) for x in fresh.read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], x["annotator"]) for x in lines] == [(ANEZI, None), (COLOMINA, None)]
    assert run(capsys, "validate", fresh)[:2] == (0, f"{fresh}: OK\n")

    # Annotate the exported file as an external tool would, and bring it back as alice's work.
    anezi = lines[0]
    t = anezi["text"]
    s = t.index("نواف العنزي")
    anezi.update(annotator="alice", status="done",
                 entities=[{"id": "e1", "start": s, "end": s + 11, "label": "PER", "text": "نواف العنزي"}],
                 quotes=[{"id": "q1", "start": t.index("الكويت لديها"), "end": t.index("الكويت لديها") + 12,
                          "speaker": "e1", "kind": "indirect"}],
                 stances=[{"label": "favor", "scope": "q1"}])
    work = tmp_path / "alice.jsonl"
    work.write_text(json.dumps(anezi, ensure_ascii=False) + "\n", encoding="utf-8")
    rc, out, _ = run(capsys, "import", db, work)
    assert rc == 0
    assert out.splitlines() == ["1 record(s) from 1 file(s): 0 new document(s), 1 already in the project",
                                "1 annotation set(s) written, 0 unchanged (annotators: alice)"]

    out_all = tmp_path / "all.jsonl"
    assert run(capsys, "export", db, out_all)[0] == 0
    assert run(capsys, "validate", out_all)[0] == 0
    got = [json.loads(x) for x in out_all.read_text(encoding="utf-8").splitlines()]
    assert [(x["id"], x["annotator"], x["status"]) for x in got] == [(ANEZI, "alice", "done"), (COLOMINA, None, "todo")]
    assert got[0]["quotes"][0]["speaker_text"] == "نواف العنزي"
    assert got[0]["stances"] == [{"id": "s1", "target": None, "target_text": "", "label": "favor", "scope": "q1"}]

    alice = tmp_path / "alice-out.jsonl"
    assert run(capsys, "export", db, alice, "--annotator", "alice", "--status", "done")[0] == 0
    assert alice.read_bytes() == out_all.read_bytes().split(b"\n")[0] + b"\n"

    rc, out, _ = run(capsys, "stats", db, "--json")
    st = json.loads(out)
    assert rc == 0
    assert st == {
        "documents": 2,
        "characters": sum(len((seeds_dir / f"{n}.txt").read_text(encoding="utf-8")) for n in (ANEZI, COLOMINA)),
        "annotators": ["alice"],
        "annotation_sets": 1,
        "entities_per_label": {"PER": 1},
        "quotes": 1,
        "quotes_per_kind": {"indirect": 1},
        "stances_per_label": {"favor": 1},
        "status": {"done": 1},
        "documents_without_annotations": 1,
    }

    rc, out, _ = run(capsys, "stats", db)
    assert rc == 0
    assert out.splitlines() == [
        f"documents: 2 ({st['characters']:,} characters; 1 without annotations)",
        "annotators: alice",
        "annotation sets: 1",
        "status: done 1",
        "entities per label:",
        "  PER        1",
        "quotes: 1 (indirect 1)",
        "stances: favor 1",
    ]

    # Re-importing everything that was exported changes nothing.
    rc, out, _ = run(capsys, "import", db, out_all)
    assert rc == 0 and "0 annotation set(s) written, 1 unchanged" in out
    again = tmp_path / "again.jsonl"
    run(capsys, "export", db, again)
    assert again.read_bytes() == out_all.read_bytes()


def test_stats_of_an_empty_project(empty_project, capsys):
    rc, out, _ = run(capsys, "stats", empty_project.path)
    assert rc == 0
    assert out.splitlines()[:4] == ["documents: 0 (0 characters; 0 without annotations)", "annotators: -",
                                    "annotation sets: 0", "status: -"]
    st = json.loads(run(capsys, "stats", empty_project.path, "--json")[1])
    assert st["documents"] == 0 and st["annotators"] == [] and st["status"] == {}


def test_stats_json_keeps_arabic_readable(project, capsys):
    doc = project.document(ANEZI)
    project.add_entity(doc.key, "سارة", 0, 3, "PER")
    out = run(capsys, "stats", project.path, "--json")[1]
    assert "سارة" in out and json.loads(out)["annotators"] == ["سارة"]


@pytest.mark.parametrize("command", [["import", "{db}", "{seeds}"], ["export", "{db}", "{out}"], ["stats", "{db}"]])
def test_commands_on_a_missing_project(tmp_path, seeds_dir, capsys, command):
    db = tmp_path / "missing.db"
    argv = [c.format(db=db, seeds=seeds_dir, out=tmp_path / "o.jsonl") for c in command]
    rc, out, err = run(capsys, *argv)
    assert rc == 1 and out == ""
    assert err == f"tawsim: {db}: no such project (create it with `tawsim init {db}`)\n"
    assert not db.exists()


def test_commands_on_a_file_that_is_not_a_project(tmp_path, capsys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("just some notes\n" * 100)
    rc, _, err = run(capsys, "stats", bogus)
    assert rc == 1 and f"{bogus}: not a Tawsim project" in err


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["import", "p.db"], ["export", "p.db"],
                                  ["export", "p.db", "o", "--status", "finished"], ["stats"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: tawsim" in capsys.readouterr().err


def test_import_with_annotator_and_csv_options(empty_project, tmp_path, capsys):
    src = tmp_path / "a.csv"
    src.write_text("slug,article\nx1,أكد سفير الكويت\n", encoding="utf-8")
    rc, out, _ = run(capsys, "import", empty_project.path, src, "--text-column", "article", "--id-column", "slug",
                     "--annotator", "bob")
    assert rc == 0
    assert out.splitlines()[1] == "1 annotation set(s) written, 0 unchanged (annotators: bob)"
    doc = empty_project.document("x1")
    assert doc.text == "أكد سفير الكويت"
    assert empty_project.set_annotators(doc.key) == ["bob"]


def test_progress_bar_draws_only_when_asked(capsys):
    import io

    quiet = io.StringIO()
    ProgressBar("x", quiet)(5, 10)
    assert quiet.getvalue() == ""
    loud = io.StringIO()
    bar = ProgressBar("importing", loud, force=True)
    bar(10, 10)
    assert loud.getvalue() == "\rimporting [" + "#" * 30 + "] 100.0%\n"


def test_tawsim_console_script(tmp_path):
    """The installed entry point runs the headless commands with the documented exit codes."""
    db = tmp_path / "p.db"
    run_ = lambda *a: subprocess.run([sys.executable, "-m", "app", *map(str, a)], cwd=ROOT, capture_output=True,
                                     text=True, timeout=60)  # noqa: E731
    assert run_("init", db).returncode == 0
    assert run_("import", db, ROOT / "seeds").returncode == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "نص", "entities": [{"start": 0, "end": 9, "label": "PER"}]}\n',
                   encoding="utf-8")
    r = run_("import", db, bad)
    assert r.returncode == 1 and r.stderr.startswith(f"tawsim: {bad}:1: entity #1: span [0, 9) is outside")
    r = run_("export", db, tmp_path / "o.jsonl")
    assert r.returncode == 0
    assert run_("validate", tmp_path / "o.jsonl").returncode == 0
