"""Every CLI command meeting a locked project, a full disk or a file size limit: one line on stderr naming the file
and what to do, exit 1, no traceback, the project unchanged and no partial output file.

The commands run as subprocesses, the way a pipeline meets them. A full disk needs no root: RLIMIT_FSIZE (with
SIGXFSZ ignored, so writes fail with EFBIG) in the child, and a real ENOSPC on a small tmpfs where unprivileged
user namespaces allow one. The subprocesses of one group start together and are checked one test per command.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli import main
from app.core.exchange.bundle import write_bundle
from app.core.exchange.importer import ImportOptions, import_sources
from app.core.store.schema import atomic
from app.core.store import Project
from app.core.store.failures import DiskFull, DiskIOError, ProjectLocked, describe_failure, storage_failure
from bundle_helpers import annotate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
LIMIT = 128 * 1024          # bytes any file of the child may reach: well under the project and its exports
OPEN_LIMIT = 16 * 1024      # under the 32 KiB WAL index (-shm) that opening a WAL project must create
ENV = {**os.environ, "TAWSIM_BUSY_TIMEOUT_MS": "300"}
ARTICLE = "قال وزير الخارجية الكويتي إن التعاون مع حلف الناتو يخدم أمن الخليج. "


def corpus(path: Path, prefix: str, n: int = 300, entities: int = 1) -> Path:
    """n distinct ~2,000-character articles with `entities` entities each: 1.2 MB of UTF-8."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = f"{prefix} {i} " + ARTICLE * 30
            spans = [{"start": 10 * k, "end": 10 * k + 5, "label": "PER"} for k in range(entities)]
            f.write(json.dumps({"id": f"{prefix}{i}", "text": text, "entities": spans}, ensure_ascii=False) + "\n")
    return path


@dataclass(frozen=True)
class Desk:
    """A project with the seeds, 300 articles annotated by amal, and files to import and merge into it."""

    db: Path
    more: Path      # 300 new articles to import
    bundle: Path    # omar's sets of the same texts, to merge


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Desk:
    base = tmp_path_factory.mktemp("desk")
    docs = corpus(base / "docs.jsonl", "doc")
    with Project.create(base / "desk.db") as p:
        import_sources(p, [SEEDS])
        import_sources(p, [docs], ImportOptions(annotator="amal"))
        annotate(p, "amal")
    with Project.create(base / "omar.db") as p:  # omar labelled the same texts more densely
        import_sources(p, [SEEDS])
        import_sources(p, [corpus(base / "omar.jsonl", "doc", entities=20)], ImportOptions(annotator="omar"))
        write_bundle(p, base / "omar.tawsim-bundle.jsonl", "omar")
    return Desk(base / "desk.db", corpus(base / "more.jsonl", "new"), base / "omar.tawsim-bundle.jsonl")


def content(db: Path) -> tuple[str, str]:
    """(integrity check, digest of every row and the schema): equal before and after means unchanged."""
    con = sqlite3.connect(db)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        digest = hashlib.sha256("\n".join(con.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        con.close()
    return ok, digest


@dataclass(frozen=True)
class Run:
    argv: list[str]
    rc: int
    out: str
    err: str


def launch(argv: list, fsize: int | None = None) -> subprocess.Popen:
    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.Popen([sys.executable, "-m", "app", *map(str, argv)], cwd=ROOT, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=limit_file_size if fsize is not None else None)


def finish(proc: subprocess.Popen) -> Run:
    out, err = proc.communicate(timeout=60)
    return Run(proc.args[3:], proc.returncode, out, err)


def assert_one_line(run: Run, *names: Path) -> str:
    """Exit 1 and exactly one `tawsim: ...` line naming the file(s); returns the line."""
    assert "Traceback" not in run.err, run.err
    lines = run.err.splitlines()
    assert run.rc == 1 and len(lines) == 1 and lines[0].startswith("tawsim: "), (run.rc, run.err)
    for name in names:
        assert str(name) in lines[0], (name, lines[0])
    assert "not a Tawsim project" not in lines[0]
    return lines[0]


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---- a locked project ---------------------------------------------------------------------------------------------

# Every command that touches a project. {out} is a fresh output path; init's project is an empty file (which init
# accepts) that another program holds.
COMMANDS = {
    "init": ["init", "{db}"],
    "import": ["import", "{db}", "{more}"],
    "export": ["export", "{db}", "{out}/out.jsonl"],
    "export-conll": ["export", "{db}", "{out}/out.conll", "--format", "conll"],
    "export-split": ["export", "{db}", "{out}/out.jsonl", "--split", "80/20"],
    "bundle": ["bundle", "{db}", "{out}/amal.tawsim-bundle.jsonl", "--annotator", "amal"],
    "merge": ["merge", "{db}", "{bundle}"],
    "stats": ["stats", "{db}"],
    "agreement": ["agreement", "{db}"],
}
# The commands that write the project: they wait for a writer's lock (readers go on reading beside it, WAL).
WRITERS = ("init", "import", "merge")


@dataclass(frozen=True)
class Case:
    db: Path
    out: Path
    before: object
    run: Run


def _copy_for(desk: Desk, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "out").mkdir()
    db = folder / "p.db"
    if name == "init":
        db.touch()
    else:
        shutil.copyfile(desk.db, db)
    return db


def _state(db: Path, name: str):
    return db.read_bytes() if name == "init" else content(db)


def _argv(name: str, db: Path, desk: Desk, commands=COMMANDS) -> list[str]:
    return [a.format(db=db, more=desk.more, bundle=desk.bundle, out=db.parent / "out") for a in commands[name]]


def _assert_locked_and_unchanged(case: Case, name: str) -> None:
    line = assert_one_line(case.run, case.db)
    assert "is locked by another program" in line and "close it or try again" in line, line
    assert "cannot rollback" not in line
    assert _state(case.db, name) == case.before
    if name != "init":
        assert case.before[0] == "ok"
    assert files_in(case.out) == set()  # no export, no bundle, no .part


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_project_another_program_keeps_to_itself_is_reported_locked(desk, tmp_path, capsys, monkeypatch, name):
    # In-process (main()), so every command is covered in a blink; the subprocess case follows.
    monkeypatch.setenv("TAWSIM_BUSY_TIMEOUT_MS", "50")
    db = _copy_for(desk, tmp_path / name, name)
    before = _state(db, name)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # a program keeping the file to itself: even readers wait
    holder.execute("BEGIN EXCLUSIVE")
    try:
        rc = main(_argv(name, db, desk))
    finally:
        holder.rollback()
        holder.close()
    out, err = capsys.readouterr()
    _assert_locked_and_unchanged(Case(db, db.parent / "out", before, Run([], rc, out, err)), name)


@pytest.fixture(scope="module")
def writer_runs(desk, tmp_path_factory) -> dict[str, Case]:
    """The writers, as subprocesses started together, each on its own copy held by a window saving an edit."""
    base = tmp_path_factory.mktemp("immediate")
    dbs = {name: _copy_for(desk, base / name, name) for name in WRITERS}
    befores = {name: _state(db, name) for name, db in dbs.items()}
    holders = [sqlite3.connect(db, isolation_level=None) for db in dbs.values()]
    for con in holders:
        con.execute("BEGIN IMMEDIATE")
    try:
        runs = {name: finish(p) for name, p in {n: launch(_argv(n, db, desk)) for n, db in dbs.items()}.items()}
    finally:
        for con in holders:
            con.rollback()
            con.close()
    return {n: Case(db, db.parent / "out", befores[n], runs[n]) for n, db in dbs.items()}


@pytest.mark.parametrize("name", WRITERS)
def test_a_write_waiting_for_another_programs_save_is_reported_locked(writer_runs, name):
    _assert_locked_and_unchanged(writer_runs[name], name)


# ---- a full disk, simulated by a file size limit -------------------------------------------------------------------

# (command, file size limit): the failing file is the project for writers and opening, the output otherwise.
FULL = {
    "import": (["import", "{db}", "{more}"], LIMIT),
    "merge": (["merge", "{db}", "{bundle}"], LIMIT),
    "open": (["stats", "{db}"], OPEN_LIMIT),
    "init": (["init", "{out}/new.db"], OPEN_LIMIT),
    "export": (["export", "{db}", "{out}/out.jsonl"], LIMIT),
    "export-split": (["export", "{db}", "{out}/out.jsonl", "--split", "50/50"], LIMIT),
    "bundle": (["bundle", "{db}", "{out}/amal.tawsim-bundle.jsonl", "--annotator", "amal"], LIMIT),
}


@pytest.fixture(scope="module")
def full_runs(desk, tmp_path_factory) -> dict[str, Case]:
    base = tmp_path_factory.mktemp("full")
    procs, cases = {}, {}
    for name, (argv, fsize) in FULL.items():
        db = _copy_for(desk, base / name, name="desk")
        cases[name] = (db, db.parent / "out", content(db))
        procs[name] = launch(_argv(name, db, desk, {n: a for n, (a, _) in FULL.items()}), fsize)
    return {n: Case(db, out, before, finish(procs[n])) for n, (db, out, before) in cases.items()}


@pytest.mark.parametrize("name", ["import", "merge", "open"])
def test_a_project_that_cannot_grow_is_named_and_left_unchanged(full_runs, name):
    case = full_runs[name]
    line = assert_one_line(case.run, case.db)
    limit = FULL[name][1]
    assert f"this session limits files to {limit:,} bytes" in line and "nothing was changed" in line, line
    assert "cannot rollback" not in line and "disk I/O error" not in line
    assert content(case.db) == case.before and case.before[0] == "ok"
    assert files_in(case.db.parent) == {"p.db", "out"}


@pytest.mark.parametrize("name", ["export", "export-split", "bundle"])
def test_an_output_file_that_cannot_be_written_is_named_and_not_left_half_written(full_runs, name):
    case = full_runs[name]
    line = assert_one_line(case.run)
    assert f"{case.out}{os.sep}" in line and "was not written" in line and "is too large" in line, line
    assert files_in(case.out) == set()  # neither the file nor its .part
    assert content(case.db) == case.before


def test_init_on_a_full_disk_leaves_no_half_made_project(full_runs):
    case = full_runs["init"]
    line = assert_one_line(case.run, case.out / "new.db")
    assert "limits files to" in line, line
    assert files_in(case.out) == set()  # no empty database that `init` would then call "already exists"


# ---- a real full disk (ENOSPC) on a small tmpfs, where user namespaces allow mounting one -------------------------

def _can_mount_tmpfs(where: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$0"', where],
                           capture_output=True)
    return probe.returncode == 0


DRIVER = """
import json, shutil, sqlite3, subprocess, sys
disk, desk, more = sys.argv[1:4]
shutil.copyfile(desk, disk + "/p.db")
def run(*argv):
    r = subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True)
    return [r.returncode, r.stderr]
def content(db):
    con = sqlite3.connect(db)
    found = [con.execute("PRAGMA integrity_check").fetchone()[0], list(con.iterdump())]
    con.close()
    return found
before = content(disk + "/p.db")
result = {"import": run("import", disk + "/p.db", more), "export": run("export", desk, disk + "/out.jsonl")}
result["unchanged"] = content(disk + "/p.db") == before and before[0] == "ok"
import os; result["files"] = sorted(os.listdir(disk))
print(json.dumps(result))
"""


def test_a_real_full_disk_is_named_with_the_space_left(desk, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _can_mount_tmpfs(disk):
        pytest.skip("no unprivileged user namespace to mount a small tmpfs in")
    size = desk.db.stat().st_size + 200 * 1024  # room for the project, not for 1.2 MB more nor a 1.5 MB export
    r = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size={size} tmpfs \"$0\" && "
                        f"exec \"$1\" -c \"$2\" \"$0\" \"$3\" \"$4\"", disk, sys.executable, DRIVER, desk.db,
                        desk.more], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    for name, target, tail in (("import", disk / "p.db", "nothing was changed"),
                               ("export", disk / "out.jsonl", "was not written")):
        rc, err = result[name]
        line = assert_one_line(Run([], rc, "", err))
        assert line.startswith(f"tawsim: the disk holding {target} ran out of space (") and "bytes free now)" in line
        assert tail in line, line
    assert result["unchanged"] and result["files"] == ["p.db"]


def test_a_project_on_a_read_only_disk_is_not_called_not_a_project(desk, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _can_mount_tmpfs(disk):
        pytest.skip("no unprivileged user namespace to mount a small tmpfs in")
    script = ('mount -t tmpfs tmpfs "$0" && cp "$1" "$0/p.db" && mount -o remount,ro "$0" && '
              '"$2" -m app stats "$0/p.db"; echo "rc=$?" >&2; "$2" -m app export "$1" "$0/out.jsonl"')
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script, disk, desk.db, sys.executable], cwd=ROOT, env=ENV,
                       capture_output=True, text=True, timeout=60)
    opened, exported = r.stderr.split("rc=1\n")  # each command failed with exit 1
    line = assert_one_line(Run([], 1, "", opened), disk / "p.db")
    assert "read-only file system" in line and "copy it to a writable disk" in line, line
    line = assert_one_line(Run([], r.returncode, "", exported), disk / "out.jsonl")
    assert "read-only file system" in line and ".part" not in line, line


# ---- the translation itself, for the window too ---------------------------------------------------------------------

@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "ran out of space"), (errno.EDQUOT, "quota is used up"),
                                         (errno.EFBIG, "is too large")])
def test_a_write_with_no_room_is_disk_full_naming_the_file(tmp_path, code, words):
    exc = OSError(code, os.strerror(code))  # what f.write raises: no file name of its own
    failure = storage_failure(exc, tmp_path / "out.jsonl")
    assert isinstance(failure, DiskFull) and words in str(failure) and str(tmp_path / "out.jsonl") in str(failure)
    assert describe_failure(exc, tmp_path / "out.jsonl") == str(failure)


def test_sqlite_errors_are_translated_and_others_left_alone(tmp_path):
    db = tmp_path / "p.db"
    assert isinstance(storage_failure(sqlite3.OperationalError("database is locked"), db), ProjectLocked)
    full = storage_failure(sqlite3.OperationalError("database or disk is full"), db)
    assert isinstance(full, DiskFull) and f"the disk holding {db} ran out of space" in str(full)
    io = storage_failure(sqlite3.OperationalError("disk I/O error"), db)  # no size limit here, room on the disk
    assert isinstance(io, DiskIOError) and f"disk I/O error on {db}" in str(io) and "failing" in str(io)
    assert storage_failure(sqlite3.DatabaseError("file is not a database"), db) is None
    assert describe_failure(sqlite3.DatabaseError("file is not a database"), db) == f"{db}: file is not a database"


def test_a_failed_commit_is_rolled_back_not_left_open(project):
    # A deferred constraint fails at COMMIT and SQLite keeps the transaction open: a window's next edit would
    # silently join it and never be committed.
    conn = project.conn
    conn.execute("PRAGMA defer_foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        with atomic(conn):
            conn.execute("INSERT INTO entities (set_key, id, start, \"end\", label) VALUES (9999, 'e1', 0, 1, 'PER')")
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM entities WHERE set_key = 9999").fetchone()[0] == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_project_is_permission_denied_not_not_a_project(tmp_path):
    db = tmp_path / "p.db"
    Project.create(db).close()
    db.chmod(0)
    try:
        run = finish(launch(["stats", db]))
    finally:
        db.chmod(0o644)
    line = assert_one_line(run, db)
    assert "permission denied" in line, line
