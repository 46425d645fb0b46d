"""A PostgreSQL connection with the surface the store uses of sqlite3's: `execute(sql, params)`, `executemany`,
`cursor()`, `.lastrowid`, `total_changes`, `in_transaction`, `close()`, and sqlite3's exception classes.

Why an adapter: the store's modules are shared by both backends and must not branch on the backend. Everything
that differs as SQL text is rewritten by postgres.translate; this class does what a rewrite cannot:

* `lastrowid`: an INSERT into a table with an identity column gets `RETURNING <column>`;
* INSERT OR REPLACE: the upsert needs the table's primary key and columns, read once from the catalog;
* the search-key columns (postgres.SEARCH_KEYED) get their values from arabic.search_key, the same Python function
  SQLite calls, so search finds exactly the same documents on both backends;
* bulk inserts: `executemany` of a plain INSERT of many rows becomes one COPY (the fast path PostgreSQL has),
  and a table a transaction filled with many rows is VACUUM ANALYZEd once it commits (pg_pipeline.py);
* `cursor()` is a server-side cursor, so an export of a million documents streams instead of loading at once;
* errors: psycopg's integrity errors become sqlite3.IntegrityError (which the store already turns into a clear
  AnnotationError); a lost connection becomes ServerGone, one clear message, with nothing claimed saved.

The connection runs in autocommit mode, like the store's SQLite connection: the store's `atomic()` opens and
closes every transaction itself (BEGIN … COMMIT), so each edit is one transaction, committed when it returns.

Round trips: a transaction runs in psycopg's pipeline mode, see pg_pipeline.py.
"""
from __future__ import annotations

import itertools
import sqlite3
from contextlib import ExitStack, contextmanager
from typing import Any, Iterable, Iterator, Optional, Sequence

import psycopg
from psycopg import pq

from ..text import arabic
from .common import NotPermitted, ProjectError, ServerGone
from .pg_pipeline import PipelinedTransactions
from .postgres import Statement, translate

_DEFERRABLE = ("INSERT", "UPDATE", "DELETE")  # statements sent ahead in a pipeline when they return no rows
_COPY_MIN_ROWS = 64  # below this, a pipelined executemany is as fast as COPY and keeps the error messages simple
_cursor_names = itertools.count(1)


def _map_error(exc: psycopg.Error, conn: psycopg.Connection, where: str) -> Exception:
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):  # a role's limit (pg_roles.py): say who was refused
        return NotPermitted(f"{where}: refused for the login {conn.info.user!r}: {_one_line(exc)}")
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(str(exc).strip())
    if conn.closed or conn.broken or isinstance(exc, psycopg.OperationalError) and \
            conn.info.transaction_status == pq.TransactionStatus.UNKNOWN:
        return ServerGone(f"{where}: the connection to the server was lost "
                          f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}); "
                          f"the last edit was not saved — reopen the project to continue")
    if isinstance(exc, (psycopg.ProgrammingError, psycopg.DataError)):
        return sqlite3.OperationalError(str(exc).strip())
    return sqlite3.DatabaseError(str(exc).strip())


class PgCursor:
    """What `execute` returns: rows to fetch or iterate, and `lastrowid` of an INSERT."""

    def __init__(self, owner: "PgConnection", cur, lastrowid: Optional[int] = None, key_pending: bool = False):
        self._owner, self._cur, self._lastrowid, self._key_pending = owner, cur, lastrowid, key_pending

    @property
    def lastrowid(self) -> Optional[int]:
        """The key of the row an INSERT made; an INSERT sent ahead in a pipeline is waited for only now."""
        if self._key_pending:
            self._key_pending = False
            if self._cur in self._owner._pending:
                self._owner._sync()
            row = self._call(self._cur.fetchone) if self._cur.description else None
            self._lastrowid = row[0] if row else None
        return self._lastrowid

    @property
    def description(self):
        return self._cur.description if self._cur is not None else None

    @property
    def rowcount(self) -> int:
        if self._cur is not None and self._cur in self._owner._pending:
            self._owner._sync()  # a statement sent ahead: its count arrives with the next answer
        return self._cur.rowcount if self._cur is not None else -1

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except psycopg.Error as exc:
            raise _map_error(exc, self._owner.raw, self._owner.where) from exc

    def fetchone(self):
        return self._call(self._cur.fetchone) if self._cur is not None and self._cur.description else None

    def fetchall(self) -> list:
        return self._call(self._cur.fetchall) if self._cur is not None and self._cur.description else []

    def fetchmany(self, size: int = 100) -> list:
        return self._call(self._cur.fetchmany, size) if self._cur is not None and self._cur.description else []

    def __iter__(self):
        while True:
            rows = self.fetchmany(500)
            if not rows:
                return
            yield from rows

    def execute(self, sql: str, params: Sequence | dict = ()) -> "PgCursor":
        """A statement on a server-side cursor (from `PgConnection.cursor()`): rows stream in batches."""
        st = translate(sql)
        if self._cur is not None and not self._cur.closed:
            self._cur.close()
        self._owner._end_pipeline()  # psycopg has no server-side cursors in pipeline mode
        cur = self._owner.raw.cursor(name=f"tawsim_{next(_cursor_names)}", withhold=True)
        try:
            cur.execute(st.sql if params else st.plain, self._owner._params(st, params) or None)
        except psycopg.Error as exc:
            raise _map_error(exc, self._owner.raw, self._owner.where) from exc
        self._cur = cur
        return self

    def close(self) -> None:
        if self._cur is not None and not self._cur.closed:
            try:
                self._cur.close()
            except psycopg.Error:
                pass


class PgConnection(PipelinedTransactions):
    """A psycopg connection behaving like the store's sqlite3 connection (see the module docstring)."""

    def __init__(self, raw: psycopg.Connection, where: str):
        self.raw = raw
        self.where = where  # the project's URL without password, for messages
        self._changes = 0
        self._pipeline: Optional[ExitStack] = None  # open while a transaction runs in pipeline mode
        self._pipe: Optional[psycopg.Pipeline] = None
        self._pending: list = []  # cursors of statements sent ahead whose results have not been read
        self._inserted: dict[str, int] = {}  # rows inserted per table by the open transaction (pg_pipeline.py)
        self._tables: dict[str, tuple[tuple[str, ...], tuple[str, ...], Optional[str]]] = {}
        self._explicit_keys: set[str] = set()  # tables given explicit identity values (a copy keeps its keys)
        self._copy_allowed: Optional[bool] = None  # COPY FROM is refused under row-level security (pg_roles.py)

    # ---- sqlite3.Connection surface ------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self._pipeline is not None or self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    @property
    def total_changes(self) -> int:
        """Rows inserted, updated or deleted on this connection (sqlite3's counter)."""
        if self._pending:
            self._sync()
        return self._changes

    def cursor(self) -> PgCursor:
        return PgCursor(self, None)

    def execute(self, sql: str, params: Sequence | dict = ()) -> PgCursor:
        st = translate(sql)
        text = st.sql if params else st.plain
        word = text.lstrip()[:8].split(None, 1)[0].upper() if text.strip() else ""
        if word in ("BEGIN", "COMMIT", "ROLLBACK") and text.strip().upper() == word:
            self._transaction_control(word)
            return PgCursor(self, None)
        returning = None
        if st.upsert:
            text = self._upsert_clause(st, text)
        if st.insert_table:
            returning = self._table(st.insert_table)[2]
            self._note_keys(st)
            self._inserted[st.insert_table] = self._inserted.get(st.insert_table, 0) + 1
            if returning:
                text += f' RETURNING "{returning}"'
        # Sent ahead: writes that return nothing, and INSERTs whose only answer is the key we ask for (lastrowid
        # waits for it if someone reads it).
        deferred = self._pipeline is not None and word in _DEFERRABLE and \
            "RETURNING" not in (text[:-len(f' RETURNING "{returning}"')] if returning else text).upper()
        if self._pipeline is not None and not deferred and word not in ("SELECT", "WITH", "INSERT", "UPDATE",
                                                                        "DELETE"):
            self._end_pipeline()  # DDL and other statements run outside the pipeline, in the same transaction
        try:
            cur = self.raw.execute(text, self._params(st, params) or None)
            if deferred:
                self._pending.append(cur)
                return PgCursor(self, cur, key_pending=bool(returning))
            if self._pipeline is not None:
                self._pipeline_sync()
            lastrowid = None
            if returning:
                row = cur.fetchone()
                lastrowid = row[0] if row else None
        except psycopg.Error as exc:
            raise self._failed(exc) from exc
        if cur.rowcount > 0 and not cur.description or returning:
            self._changes += max(cur.rowcount, 0)
        if self._explicit_keys and not self.in_transaction:
            self._sync_identities()
        self._vacuum_filled(True)  # an INSERT outside a transaction: counted and done with
        return PgCursor(self, cur, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        st = translate(sql)
        rows = [self._params(st, r) for r in rows]
        if not rows:
            return
        if st.insert_table:
            self._note_keys(st)
        self._end_pipeline()  # executemany pipelines by itself; COPY cannot run in a pipeline
        try:
            if st.copyable and len(rows) >= _COPY_MIN_ROWS and self._may_copy():
                self._copy(st, rows)
                self._changes += len(rows)
                self._note_inserted(st.insert_table, len(rows))
            else:
                text = self._upsert_clause(st, st.sql) if st.upsert else st.sql
                with self.raw.cursor() as cur:
                    cur.executemany(text, rows)
                    self._changes += max(cur.rowcount, 0)
                if st.insert_table:
                    self._note_inserted(st.insert_table, len(rows))
        except psycopg.Error as exc:
            raise self._failed(exc) from exc
        if self._explicit_keys and not self.in_transaction:
            self._sync_identities()

    def close(self) -> None:
        self._pipeline = None
        self._pending.clear()
        self.raw.close()

    # ---- what SQLite does with PRAGMAs -----------------------------------------------------------------------
    def set_busy_timeout(self, ms: int) -> None:
        """How long a statement waits for another session's row or table lock before failing."""
        self.query(f"SET lock_timeout = {int(ms)}")

    def set_read_only(self, read_only: bool) -> None:
        """Every later transaction of this session is read-only (a window opened read-only)."""
        self.query(f"SET default_transaction_read_only = {'on' if read_only else 'off'}")

    def lock_schema(self) -> None:
        """Serialise schema migrations of this project (schema.migrate): an advisory lock named after the
        project's schema, held until the transaction ends, so two clients opening an old project at once migrate
        it once (the second waits, then finds it done) and projects in other schemas are not held up."""
        self.query("SELECT pg_advisory_xact_lock(hashtextextended('tawsim-migrate:' || current_schema(), 0))")

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """One consistent view for a long read (a bundle) without blocking writers: a REPEATABLE READ, READ ONLY
        transaction. Joins an outer transaction if one is open."""
        if self.in_transaction:
            yield
            return
        self.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            if self.in_transaction:
                self.query("COMMIT")

    def drop_project(self) -> None:
        """Remove a project's tables and trigger functions from this database (a failed copy's half-made
        destination; nothing else calls this)."""
        tables = ("stances", "quotes", "entities", "annotation_sets", "documents", "annotators", "gazetteer",
                  "labels", "settings", "open_sessions", "models", "machine_annotators", "assignments", "edit_times",
                  "schema_version")
        self.query(f"DROP TABLE IF EXISTS {', '.join(tables)} CASCADE")
        for (fn,) in self.query("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON "
                                "n.oid = p.pronamespace WHERE n.nspname = current_schema() AND "
                                "p.prorettype = 'trigger'::regtype AND p.proname LIKE '%\\_fn'"):
            self.query(f"DROP FUNCTION IF EXISTS {fn}")

    def _may_copy(self) -> bool:
        """COPY FROM is refused for a login under row-level security (a team member, pg_roles.py): such a login
        inserts row by row. The owner is not under it; asked once per connection."""
        if self._copy_allowed is None:
            self._copy_allowed = bool(self.query("SELECT to_regclass('entities') IS NULL OR "
                                                 "NOT row_security_active('entities')")[0][0])
        return self._copy_allowed

    def _note_keys(self, st: Statement) -> None:
        identity = self._table(st.insert_table)[2]
        if identity and identity in st.insert_columns:
            self._explicit_keys.add(st.insert_table)

    def _sync_identities(self) -> None:
        """Rows inserted with explicit keys leave the identity sequence behind: move it past the largest key, so
        the next row the database numbers cannot collide (ids come from the database, never from count + 1)."""
        for table in sorted(self._explicit_keys):
            col = self._table(table)[2]
            self.query(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                       f"COALESCE((SELECT max(\"{col}\") FROM {table}), 0) + 1, false)")
        self._explicit_keys.clear()

    # ---- what the rewrites cannot do -----------------------------------------------------------------------
    def _params(self, st: Statement, params):
        """psycopg parameters; the search-key values appended for an INSERT into a searched table."""
        if not st.keyed or not params:
            return params
        params = list(params)
        return params + [arabic.search_key(params[i]) for i in st.keyed]

    def _copy(self, st: Statement, rows: list) -> None:
        cols = ", ".join(f'"{c}"' for c in st.insert_columns)
        with self.raw.cursor() as cur:
            with cur.copy(f"COPY {st.insert_table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        """COPY rows straight into a table (project copies and benchmarks); search keys added as for INSERT."""
        marks = ", ".join("?" * len(columns))
        st = translate(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})")
        cols = ", ".join(f'"{c}"' for c in st.insert_columns)
        n = 0
        self._end_pipeline()
        try:
            with self.raw.cursor() as cur:
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(self._params(st, row))
                        n += 1
        except psycopg.Error as exc:
            raise _map_error(exc, self.raw, self.where) from exc
        self._changes += n
        self._note_inserted(table, n)
        return n

    def _table(self, table: str) -> tuple[tuple[str, ...], tuple[str, ...], Optional[str]]:
        """(columns, primary-key columns, identity column or None) of a table, read once from the catalog."""
        if table not in self._tables:
            try:
                rows = self.raw.execute(
                    "SELECT a.attname, COALESCE(a.attnum = ANY(i.indkey), false), a.attidentity != '' "
                    "FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
                    "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                    (table,)).fetchall()
            except psycopg.Error as exc:
                raise self._failed(exc) from exc
            if not rows:  # not created yet (a migration in progress): nothing cached
                return (), (), None
            self._tables[table] = (tuple(r[0] for r in rows), tuple(r[0] for r in rows if r[1]),
                                   next((r[0] for r in rows if r[2]), None))
        return self._tables[table]

    def _upsert_clause(self, st: Statement, text: str) -> str:
        cols, pk, _ = self._table(st.upsert)
        names = st.insert_columns or cols
        rest = [c for c in names if c not in pk]
        action = "DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in rest) if rest else "DO NOTHING"
        return f"{text} ON CONFLICT ({', '.join(pk)}) {action}"

    def _map(self, exc: psycopg.Error) -> Exception:
        return _map_error(exc, self.raw, self.where)

    def forget_tables(self) -> None:
        """After a migration: columns may have changed."""
        self._tables.clear()

    @property
    def server_version(self) -> int:
        return self.raw.info.server_version

    def query(self, sql: str, params: Any = None) -> list:
        """Native PostgreSQL SQL (psycopg format) for the backend's own catalog and admin work."""
        try:
            self._end_pipeline()
            cur = self.raw.execute(sql, params)
            return cur.fetchall() if cur.description else []
        except psycopg.Error as exc:
            raise self._failed(exc) from exc


def connect(where) -> PgConnection:
    """Connect to the project at `where` (a ServerLocation). libpq reads what the URL leaves out (PGHOST,
    PGPASSWORD, ~/.pgpass, service files, sslmode); a failure is one line naming the URL (never its password)."""
    shown = str(where)
    try:
        raw = psycopg.connect(where.url, autocommit=True, connect_timeout=10,
                              application_name="tawsim")
    except psycopg.ProgrammingError as exc:
        raise ProjectError(f"{shown}: not a valid PostgreSQL URL ({_one_line(exc)})") from exc
    except psycopg.Error as exc:
        raise ProjectError(f"{shown}: cannot connect to the server: {_one_line(exc)}") from exc
    return PgConnection(raw, shown)


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    for prefix in ("connection failed: ", "connection is bad: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text or type(exc).__name__
