"""`export --split`: train/dev/test files divided by document (every set of an article in one file), in the asked
proportions, the same for the same seed and texts, and nothing lost or doubled against the one-file export."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.exporter import (SplitError, assign_splits, export_jsonl, export_split, parse_ratios, split_path,
                               split_sizes)
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.store import Project

N = 50


def texts(n: int = N) -> list[tuple[str, str]]:
    return [(f"doc-{i:02d}", f"قال المتحدث رقم {i} إن الكويت شريك متميز لحلف الناتو منذ عام {2000 + i}.")
            for i in range(n)]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def build(tmp_path: Path, name: str = "p", order=None) -> Project:
    """N documents; alice annotated every one, bob every third, gold every fifth."""
    p = Project.create(tmp_path / f"{name}.db")
    docs = texts()
    if order:
        docs = [docs[i] for i in order]
    write_jsonl(tmp_path / f"{name}-texts.jsonl", [{"id": i, "text": t} for i, t in docs])
    import_sources(p, [tmp_path / f"{name}-texts.jsonl"])
    for who, every in (("alice", 1), ("bob", 3), ("gold", 5)):
        recs = []
        for i, t in docs:
            if int(i[-2:]) % every == 0:
                s = t.index("الكويت")
                recs.append({"id": i, "text": t, "status": "done",
                             "entities": [{"start": s, "end": s + len("الكويت"), "label": "GPE"}]})
        write_jsonl(tmp_path / f"{name}-{who}.jsonl", recs)
        import_sources(p, [tmp_path / f"{name}-{who}.jsonl"], ImportOptions(annotator=who, gold=who == "gold"))
    return p


@pytest.fixture
def proj(tmp_path):
    p = build(tmp_path)
    yield p
    p.close()


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def parts(out: Path, names=("train", "dev", "test")) -> dict[str, list[dict]]:
    return {n: read(split_path(out, n)) for n in names}


# ---- ratios -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, want", [("80/10/10", (80, 10, 10)), ("8/1/1", (8, 1, 1)), (" 90 / 10 ", (90, 10)),
                                        ("0.8/0.1/0.1", (0.8, 0.1, 0.1)), ("70/30/0", (70, 30, 0)),
                                        ((80, 10, 10), (80, 10, 10))])
def test_parse_ratios(spec, want):
    assert parse_ratios(spec) == want


@pytest.mark.parametrize("spec, message", [
    ("80", "give 2 or 3 numbers separated by '/'"), ("70/10/10/10", "give 2 or 3 numbers"),
    ("", "give 2 or 3 numbers"), ("80/ten/10", "'ten' is not a number of 0 or more"),
    ("80/-10/30", "'-10' is not a number of 0 or more"), ("80//20", "'' is not a number"),
    ("nan/10/10", "'nan' is not a number"), ("inf/1", "'inf' is not a number"), ("0/0/0", "add up to 0"),
])
def test_bad_ratios_are_refused_with_a_reason(spec, message):
    with pytest.raises(SplitError, match=f"split {spec!r}: .*{message}".replace("(", r"\(").replace(")", r"\)")):
        parse_ratios(spec)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 10, 49, 50, 51, 99, 1000])
@pytest.mark.parametrize("ratios", [(80, 10, 10), (8, 1, 1), (1, 1, 1), (90, 10), (70, 30, 0), (0.6, 0.2, 0.2)])
def test_split_sizes_add_up_and_stay_within_rounding(n, ratios):
    sizes = split_sizes(n, ratios)
    assert sum(sizes) == n and all(s >= 0 for s in sizes)
    for s, r in zip(sizes, ratios):
        assert abs(s - n * r / sum(ratios)) < 1


def test_split_file_names():
    assert split_path("out/x.jsonl", "train") == Path("out/x-train.jsonl")
    assert split_path("x", "dev") == Path("x-dev.jsonl")
    assert split_path("data.v2.jsonl", "test") == Path("data.v2-test.jsonl")


# ---- the split export -----------------------------------------------------------------------------------------

def test_split_by_document_in_proportion(proj, tmp_path):
    out = tmp_path / "out.jsonl"
    summary = export_split(proj, out, "80/10/10", seed=1)
    assert [(p.name, p.documents) for p in summary.parts] == [("train", 40), ("dev", 5), ("test", 5)]
    got = parts(out)
    docs = {n: {r["id"] for r in recs} for n, recs in got.items()}
    assert [len(docs[n]) for n in ("train", "dev", "test")] == [40, 5, 5]
    assert not (docs["train"] & docs["dev"] or docs["train"] & docs["test"] or docs["dev"] & docs["test"])
    assert set().union(*docs.values()) == {i for i, _ in texts()}
    assert [p.lines for p in summary.parts] == [len(got[n]) for n in ("train", "dev", "test")]
    # every set of a document sits with the others: nothing lost, nothing doubled, same bytes per line
    whole = tmp_path / "whole.jsonl"
    export_jsonl(proj, whole)
    split_lines = b"".join(split_path(out, n).read_bytes() for n in ("train", "dev", "test")).splitlines()
    assert sorted(split_lines) == sorted(whole.read_bytes().splitlines())
    by_doc = {}
    for name, recs in got.items():
        for r in recs:
            by_doc.setdefault(r["id"], set()).add(name)
    assert all(len(v) == 1 for v in by_doc.values())
    assert sum(1 for r in read(whole) if r["id"] == "doc-00") == 3  # alice, bob, gold: one file
    # within each file, the one-file export's order
    order = [(r["id"], r["annotator"]) for r in read(whole)]
    for recs in got.values():
        keys = [(r["id"], r["annotator"]) for r in recs]
        assert keys == sorted(keys, key=order.index)


def test_same_seed_same_files_other_seed_other_split(proj, tmp_path):
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    export_split(proj, a, (80, 10, 10), seed=7)
    export_split(proj, b, (80, 10, 10), seed=7)
    export_split(proj, c, (80, 10, 10), seed=8)
    for n in ("train", "dev", "test"):
        assert split_path(a, n).read_bytes() == split_path(b, n).read_bytes()
    test_a = {r["id"] for r in read(split_path(a, "test"))}
    test_c = {r["id"] for r in read(split_path(c, "test"))}
    assert test_a != test_c


def test_the_split_depends_on_the_texts_not_the_import_order(proj, tmp_path):
    other = build(tmp_path, "other", order=list(reversed(range(N))))
    docs_a, docs_b = proj.export_documents(), other.export_documents()
    assert [i for i, _ in docs_a] != [i for i, _ in docs_b]
    assert assign_splits(docs_a, (80, 10, 10), 3) == assign_splits(docs_b, (80, 10, 10), 3)
    other.close()


def test_split_of_one_annotator_or_gold(proj, tmp_path):
    out = tmp_path / "gold.jsonl"
    summary = export_split(proj, out, "60/20/20", seed=0, gold=True)
    assert [p.documents for p in summary.parts] == [6, 2, 2]  # 10 gold documents
    got = parts(out)
    assert all(r["annotator"] == "gold" for recs in got.values() for r in recs)
    assert sum(len(v) for v in got.values()) == 10
    summary = export_split(proj, tmp_path / "bob.jsonl", "80/10/10", seed=0, annotator="bob", status="done")
    assert [p.documents for p in summary.parts] == [13, 2, 2]  # 17 of bob's: 13.6 / 1.7 / 1.7, largest remainders


def test_two_ratios_write_train_and_test(proj, tmp_path):
    out = tmp_path / "tt.jsonl"
    summary = export_split(proj, out, "90/10", seed=0)
    assert [(p.name, p.documents, p.path) for p in summary.parts] == [
        ("train", 45, split_path(out, "train")), ("test", 5, split_path(out, "test"))]
    assert not split_path(out, "dev").exists()


def test_an_empty_part_is_an_empty_file(proj, tmp_path):
    out = tmp_path / "e.jsonl"
    summary = export_split(proj, out, "100/0/0", seed=0)
    assert [p.lines for p in summary.parts][1:] == [0, 0]
    assert split_path(out, "dev").read_bytes() == b"" and split_path(out, "test").read_bytes() == b""


def test_the_plain_export_is_untouched(proj, tmp_path, capsys):
    export_jsonl(proj, tmp_path / "direct.jsonl")
    assert main(["export", str(proj.path), str(tmp_path / "cli.jsonl")]) == 0
    assert (tmp_path / "cli.jsonl").read_bytes() == (tmp_path / "direct.jsonl").read_bytes()
    assert not split_path(tmp_path / "cli.jsonl", "train").exists()


# ---- the command line --------------------------------------------------------------------------------------------

def test_cli_export_split(proj, tmp_path, capsys):
    out = tmp_path / "cli.jsonl"
    rc = main(["export", str(proj.path), str(out), "--split", "80/10/10", "--seed", "5"])
    o, e = capsys.readouterr()
    assert (rc, e) == (0, "")
    assert o.splitlines()[0].startswith("wrote ") and "(40 document(s)) to " in o.splitlines()[0]
    assert [line.rsplit(" to ", 1)[1] for line in o.splitlines()] == [
        str(split_path(out, n)) for n in ("train", "dev", "test")]
    export_split(proj, tmp_path / "api.jsonl", (80, 10, 10), seed=5)
    for n in ("train", "dev", "test"):
        assert split_path(out, n).read_bytes() == split_path(tmp_path / "api.jsonl", n).read_bytes()
    rc = main(["export", str(proj.path), str(tmp_path / "g.jsonl"), "--gold", "--split", "8/1/1"])
    assert rc == 0 and "(8 document(s))" in capsys.readouterr().out


def test_cli_bad_split_is_a_usage_error(proj, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", str(proj.path), str(tmp_path / "x.jsonl"), "--split", "80/20/10/5"])
    assert exc.value.code == 2
    assert "split '80/20/10/5': give 2 or 3 numbers separated by '/'" in capsys.readouterr().err
    assert not list(tmp_path.glob("x*.jsonl"))
