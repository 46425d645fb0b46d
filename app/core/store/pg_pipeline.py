"""Transactions on a server in few round trips: what PgConnection (pg_connection.py) does between BEGIN and COMMIT.

On a server every statement that waits for its answer costs a network round trip, and an edit is a
handful of statements. So a transaction runs in psycopg's pipeline mode: BEGIN and every INSERT/UPDATE/DELETE whose
result nobody reads (no RETURNING) are sent without waiting, and travel with the next statement that must wait (a
SELECT, a RETURNING, or the COMMIT). An edit then costs one round trip per answer it needs plus the COMMIT. Nothing
is weakened: the statements run in the same order in the same transaction; an error of a statement sent ahead is
raised by the next one that waits (at the latest by COMMIT), inside the edit's `atomic()`, which rolls it all back.
Statements a pipeline cannot carry (DDL scripts, COPY, server-side cursors, admin queries) end it first.

After a transaction that inserted many rows into a table commits (a bulk import, a COPY), that table is
VACUUM ANALYZEd (autovacuum would come, but later, and the next open would pay for it meanwhile):
its visibility map set, so counting and paging the documents of a freshly imported million is an index-only scan,
and its statistics fresh, so the planner does not take a million-row table for an empty one.
"""
from __future__ import annotations

from contextlib import ExitStack

import psycopg

_VACUUM_MIN_ROWS = 10_000  # rows inserted into a table by one transaction that make it worth a VACUUM ANALYZE


class PipelinedTransactions:
    """BEGIN … COMMIT in pipeline mode, and the VACUUM after a bulk insert; mixed into PgConnection, whose `raw`,
    `query`, `_map` (an error as the store raises it) and identity bookkeeping it uses."""

    def _transaction_control(self, word: str) -> None:
        """BEGIN opens the pipeline (sent with the first statement that waits); COMMIT and ROLLBACK end it."""
        try:
            if word == "BEGIN" and not self.in_transaction:
                self._pipeline = ExitStack()
                self._pipe = self._pipeline.enter_context(self.raw.pipeline())
                self.raw.execute("BEGIN")
                return
            if word == "COMMIT" and self._explicit_keys:
                self._sync_identities()
            if word == "ROLLBACK" and self._pipeline is not None:
                self._end_pipeline(quietly=True)  # an error may have aborted it; the rollback is what matters
            if word == "ROLLBACK" and not self.in_transaction:
                return
            self.raw.execute(word)
            self._end_pipeline()
        except psycopg.Error as exc:
            raise self._failed(exc) from exc
        if self._explicit_keys and not self.in_transaction:
            self._sync_identities()
        self._vacuum_filled(word == "COMMIT")

    def _note_inserted(self, table: str, rows: int) -> None:
        self._inserted[table] = self._inserted.get(table, 0) + rows
        self._vacuum_filled(True)

    def _vacuum_filled(self, committed: bool) -> None:
        """VACUUM ANALYZE the tables a committed transaction (or an autocommit COPY) filled with many rows."""
        if self.in_transaction or not self._inserted:
            return
        tables = sorted(t for t, n in self._inserted.items() if n >= _VACUUM_MIN_ROWS) if committed else []
        self._inserted.clear()
        for table in tables:
            self.query(f"VACUUM (ANALYZE) {table}")

    def _pipeline_sync(self) -> None:
        """Send everything queued and read every answer (raises the first error among them)."""
        self._pipe.sync()
        self._count_pending()

    def _count_pending(self) -> None:
        for cur in self._pending:
            self._changes += max(cur.rowcount, 0)
        self._pending.clear()

    def _sync(self) -> None:
        try:
            if self._pipeline is not None:
                self._pipeline_sync()
            else:
                self._count_pending()
        except psycopg.Error as exc:
            raise self._failed(exc) from exc

    def _end_pipeline(self, quietly: bool = False) -> None:
        """Leave pipeline mode (the transaction, if any, stays open): sends what is queued and reads the answers."""
        if self._pipeline is None:
            return
        stack, self._pipeline = self._pipeline, None
        try:
            stack.close()
            self._count_pending()
        except psycopg.Error as exc:
            self._pending.clear()
            if not quietly:
                raise self._failed(exc) from exc

    def _failed(self, exc: psycopg.Error) -> Exception:
        """The error to raise for `exc`, after leaving a pipeline it aborted (the caller rolls back)."""
        self._pending.clear()
        if self._pipeline is not None:
            try:
                self._end_pipeline(quietly=True)
            except Exception:  # noqa: BLE001 - a broken connection: _map_error says so
                self._pipeline = None
        return self._map(exc)
