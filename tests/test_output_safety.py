"""Exports and bundles never overwrite a database, get the user's file mode, clean up after a killed write, rename
split files as one group, and `tawsim bundle` reads without the write lock. Driven as a user meets them: `tawsim`
in a subprocess."""
from __future__ import annotations

import errno
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.io import formats
from app.core.io.atomic import atomic_write_group
from app.core.io.output_guard import SQLITE_MAGIC
from app.core.io.partfiles import PartFile
from app.core.store import Project

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def tawsim(*argv, umask: int | None = None, limit: int | None = None, timeout: float = 60):
    def before():
        if umask is not None:
            os.umask(umask)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=before)


def cli(capsys, *argv) -> tuple[int, str]:
    """`tawsim ARGV` in this process (for the many variants of one check; each kind also runs as a subprocess)."""
    rc = main([str(a) for a in argv])
    return rc, capsys.readouterr().err


def make_project(path: Path, docs: int = 0) -> Path:
    """A project with the seed articles (annotated by amal) and `docs` short extra articles."""
    with Project.create(path) as p:
        import_sources(p, [SEEDS], ImportOptions(annotator="amal"))
        if docs:
            add_articles(p, path.with_name("extra.jsonl"), "خبر", docs)
    return path


def add_articles(project: Project, file: Path, word: str, n: int) -> None:
    file.write_text("".join(json.dumps({"id": f"{word}{i}", "text": f"{word} رقم {i} " + "كلمة " * 200},
                                       ensure_ascii=False) + "\n" for i in range(n)), encoding="utf-8")
    import_sources(project, [file])


def documents(db: Path) -> int:
    """The project is still a project: its header is SQLite's and it opens with its documents."""
    assert db.read_bytes()[:16] == SQLITE_MAGIC
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("base") / "p.db")


@pytest.fixture
def db(base, tmp_path) -> Path:
    out = tmp_path / "p.db"
    out.write_bytes(base.read_bytes())
    return out


def refused(r, path) -> None:
    """A subprocess result (or (rc, stderr) of cli()): exit 1 and one line naming the path."""
    rc, err = (r.returncode, r.stderr) if hasattr(r, "returncode") else r
    assert rc == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert str(path) in lines[0] and "choose another output file" in lines[0], lines[0]


# ---- item 1: never overwrite a database ----------------------------------------------------------------------

def test_export_and_bundle_onto_their_own_project_are_refused(db, capsys):
    refused(tawsim("export", db, db), db)
    refused(tawsim("bundle", db, db, "--annotator", "amal"), db)
    for fmt in formats.EXPORT_FORMATS:
        refused(cli(capsys, "export", db, db, "--format", fmt), db)
    refused(cli(capsys, "export", db, db, "--label-map", "PER=PERS"), db)
    assert documents(db) == 2


def test_export_onto_the_projects_side_files_is_refused(db, capsys):
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{db}{suffix}")
        refused(tawsim("export", db, side) if suffix == "-wal" else cli(capsys, "export", db, side), side)
        refused(cli(capsys, "bundle", db, side, "--annotator", "amal"), side)
        refused(cli(capsys, "export", db, side, "--format", "conll"), side)
        assert not side.exists()
    assert documents(db) == 2


def test_export_onto_another_database_a_link_or_a_hard_link_is_refused(db, tmp_path, capsys):
    other = tmp_path / "notes.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES ('keep me')")
    con.commit()
    con.close()
    kept = other.read_bytes()
    link, hard = tmp_path / "link.jsonl", tmp_path / "hard.jsonl"
    link.symlink_to(db)
    os.link(db, hard)
    refused(tawsim("export", db, other), other)
    for out in (other, link, hard):
        refused(cli(capsys, "export", db, out), out)
        refused(cli(capsys, "bundle", db, out, "--annotator", "amal"), out)
    assert other.read_bytes() == kept
    assert link.is_symlink() and os.path.samefile(hard, db) and documents(db) == 2


def test_split_part_that_is_the_project_refuses_the_whole_split(tmp_path, base):
    # `export c-train.jsonl c.jsonl --split`: the train part would be the project itself.
    db = tmp_path / "c-train.jsonl"
    db.write_bytes(base.read_bytes())
    refused(tawsim("export", db, tmp_path / "c.jsonl", "--split", "80/10/10"), db)
    assert documents(db) == 2
    assert not (tmp_path / "c-dev.jsonl").exists() and not (tmp_path / "c-test.jsonl").exists()


def test_hf_label_list_onto_a_database_is_refused_before_the_data_is_written(db, tmp_path, capsys):
    side = tmp_path / "out.labels.json"
    side.write_bytes(db.read_bytes())
    refused(cli(capsys, "export", db, tmp_path / "out.jsonl", "--format", "hf"), side)
    assert not (tmp_path / "out.jsonl").exists() and documents(side) == 2


# ---- item 11: file mode, stale part files, split as a group, bundle without the write lock ----------------------

def test_a_bundle_gets_the_users_umask_so_a_reviewer_can_read_it(db, tmp_path):
    assert tawsim("bundle", db, tmp_path / "b.jsonl", "--annotator", "amal", umask=0o022).returncode == 0
    assert stat.S_IMODE((tmp_path / "b.jsonl").stat().st_mode) == 0o644


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exports_and_bundles_get_the_users_umask(db, tmp_path, capsys, umask, mode):
    runs = [("export", db, tmp_path / "e.jsonl"), ("export", db, tmp_path / "c.conll", "--format", "conll"),
            ("export", db, tmp_path / "h.jsonl", "--format", "hf"),
            ("export", db, tmp_path / "s.jsonl", "--split", "50/50"),
            ("bundle", db, tmp_path / "b.jsonl", "--annotator", "amal")]
    was = os.umask(umask)
    try:
        for argv in runs:
            assert cli(capsys, *argv)[0] == 0
    finally:
        os.umask(was)
    for name in ("e.jsonl", "c.conll", "h.jsonl", "h.labels.json", "s-train.jsonl", "s-test.jsonl", "b.jsonl"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


WRITER = """
import sys, time
from app.core.io.atomic import atomic_write
with atomic_write(sys.argv[1]) as f:
    f.write(b"half an export\\n")
    f.flush()
    print("writing", flush=True)
    time.sleep(120)
"""


def start_writer(out: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    return proc


def parts(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.endswith(".part")}


def test_a_killed_writes_part_file_is_removed_by_the_next_export_and_nothing_else(db, tmp_path):
    out = tmp_path / "out.jsonl"
    unrelated = {".out.jsonl.notes.part", ".other.jsonl.abcd1234.part", "out.jsonl.abcd1234.part"}
    for name in unrelated:
        (tmp_path / name).write_text("not ours")
    alive = start_writer(out)  # another export of the same file, still running: its part must survive
    try:
        live_part = parts(tmp_path) - unrelated
        killed = start_writer(out)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        stale = parts(tmp_path) - unrelated - live_part
        assert len(live_part) == 1 and len(stale) == 1
        r = tawsim("export", db, out)
        assert r.returncode == 0, r.stderr
        assert parts(tmp_path) == unrelated | live_part
        assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    finally:
        alive.kill()
        alive.wait()
        alive.stdout.close()
        killed.stdout.close()


def test_split_files_are_replaced_as_one_group_or_not_at_all(tmp_path, capsys):
    # A file-size limit (like a full disk or a quota) hits the train file as it is finished: before, test and dev
    # had already been renamed into place by then, so the folder held the new test/dev beside the old train.
    db = make_project(tmp_path / "p.db", docs=40)
    out = tmp_path / "s.jsonl"
    assert cli(capsys, "export", db, out, "--split", "80/10/10")[0] == 0
    old = {n: (tmp_path / f"s-{n}.jsonl").read_bytes() for n in ("train", "dev", "test")}
    with Project.open(db) as p:
        add_articles(p, tmp_path / "more.jsonl", "نبأ", 40)
    assert cli(capsys, "export", db, tmp_path / "probe.jsonl", "--split", "80/10/10")[0] == 0
    new_train = (tmp_path / "probe-train.jsonl").stat().st_size
    assert new_train > (tmp_path / "probe-dev.jsonl").stat().st_size + 8192
    r = tawsim("export", db, out, "--split", "80/10/10", limit=new_train - 1)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert {n: (tmp_path / f"s-{n}.jsonl").read_bytes() for n in old} == old
    assert not parts(tmp_path)
    assert cli(capsys, "export", db, out, "--split", "80/10/10")[0] == 0
    assert (tmp_path / "s-train.jsonl").read_bytes() == (tmp_path / "probe-train.jsonl").read_bytes()


def test_bundle_does_not_wait_for_or_take_the_write_lock(db, tmp_path):
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of an edit
        writer.execute("UPDATE annotation_sets SET comment = 'not committed yet'")
        start = time.monotonic()
        r = tawsim("bundle", db, tmp_path / "b.jsonl", "--annotator", "amal", timeout=30)
        took = time.monotonic() - start
        assert r.returncode == 0, r.stderr
        assert took < 4, took  # the busy timeout is 5 s: waiting for the lock would take that long, then fail
        writer.execute("COMMIT")  # and the bundle did not hold the lock either
    finally:
        writer.close()
    lines = [json.loads(x) for x in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4 and all(rec.get("comment") != "not committed yet" for rec in lines[1:-1])


def test_a_failed_rename_in_a_group_puts_the_earlier_files_back(tmp_path, monkeypatch):
    # The renames come after every file is written, so only a rename itself can fail there (a folder's
    # permissions changed meanwhile, a network share gone): the files already renamed are then put back.
    paths = [tmp_path / f"g-{n}.jsonl" for n in ("train", "dev", "test")]
    paths[1].write_bytes(b"old dev\n")
    paths[2].write_bytes(b"old test\n")
    real, calls = PartFile.commit, []

    def commit(self):
        calls.append(self.target)
        if len(calls) == 3:
            raise OSError(errno.EIO, "simulated rename failure")
        real(self)

    monkeypatch.setattr(PartFile, "commit", commit)
    with pytest.raises(OSError, match="simulated"):
        with atomic_write_group(paths) as files:
            for f in files:
                f.write(b"new\n")
    assert not paths[0].exists()
    assert paths[1].read_bytes() == b"old dev\n" and paths[2].read_bytes() == b"old test\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g-dev.jsonl", "g-test.jsonl"]
