"""A real, throw-away PostgreSQL server for the tests: initdb into a temporary folder, start it on a free local port
(and a socket in that folder), stop it when the session ends. Each test that asks for one gets a fresh, empty place for a project (its own schema, see new_database).

Why not a mock or a shared server: the PostgreSQL backend is only right if real PostgreSQL accepts its SQL, its
types, its locking and its COPY. initdb + start take under a second, CREATE DATABASE a few milliseconds.

Where no PostgreSQL binaries exist the server tests are skipped with a visible reason, except in CI (CI set):
there a missing server is an error, so the backend is never silently untested.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

import pytest


def _find_bin_dir() -> Optional[Path]:
    """The newest /usr/lib/postgresql/N/bin holding initdb and pg_ctl (Debian's layout), else the PATH's."""
    def version(d: str) -> int:
        try:
            return int(Path(d).parent.name.split(".")[0])
        except ValueError:
            return 0
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One running server: `url(dbname)` addresses a database on it; `new_database()` creates an empty one."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="tawsim-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._names = itertools.count(1)
        # initdb refuses to run as root: run the server as the postgres system user, which owns the folder.
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self._as_user, *args], capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr or proc.stdout}")

    def start(self) -> "PgServer":
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A fresh, empty project place; returns its URL. It is a schema of its own in one shared database, chosen
        by the URL's `options=-csearch_path=…` (libpq passes it through): CREATE SCHEMA takes a millisecond where
        CREATE DATABASE checkpoints the server (0.5-1 s on a busy machine), and to Tawsim a schema on the search
        path is a database like any other (every name it creates or looks up goes through the search path)."""
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url() + f"?options=-csearch_path%3D{name}"


def _start_or_skip() -> PgServer:
    bin_dir = _find_bin_dir()
    if bin_dir is None:
        reason = "no PostgreSQL binaries (initdb, pg_ctl) found: install Debian's postgresql package"
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the server backend tests: {reason}")
        pytest.skip(reason)
    return PgServer(bin_dir).start()


@pytest.fixture(scope="session")
def pg_server():
    server = _start_or_skip()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, empty database on the test server."""
    return pg_server.new_database()
