"""Server projects under a team's load: how many network round trips an edit costs (each is a wait the annotator
feels before the window repaints), that an edit whose writes were sent ahead still commits all or nothing, and that
two clients opening an old project at once migrate it once."""
from __future__ import annotations

import select
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from app.core.exchange.importer import import_sources
from app.core.store import Project, ProjectError, schema
from app.core.store.pg_connection import connect
from app.core.store.location import location

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ANEZI = "kuwait-nato-anezi"


class RoundTripCounter:
    """A TCP relay between the client and the server that counts round trips: each time the client speaks again
    after the server answered."""

    def __init__(self, port: int):
        self._target = ("127.0.0.1", port)
        self._listen = socket.create_server(("127.0.0.1", 0))
        self.port = self._listen.getsockname()[1]
        self.trips = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self._listen.accept()
            server = socket.create_connection(self._target)
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        last = "server"
        while True:
            for sock in select.select([client, server], [], [])[0]:
                data = sock.recv(65536)
                if not data:
                    return
                if sock is client:
                    self.trips += last == "server"
                    last = "client"
                    server.sendall(data)
                else:
                    last = "server"
                    client.sendall(data)

    def count(self, action) -> int:
        """Round trips `action` makes (exact without waiting: each answer is relayed only after its request was
        counted)."""
        before = self.trips
        action()
        return self.trips - before


def _through(url: str, port: int) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, f"{p.username}@127.0.0.1:{port}", p.path, p.query, p.fragment))


def test_an_edit_on_a_server_costs_two_or_three_round_trips_not_ten(pg_url):
    with Project.create(pg_url) as made:
        import_sources(made, [SEEDS])
    relay = RoundTripCounter(urlsplit(pg_url).port)
    p = Project.open(_through(pg_url, relay.port))
    doc = p.document(ANEZI)
    s = doc.text.index("نواف العنزي")
    k = doc.text.index("الكويت")
    p.add_entity(doc.key, "amal", s, s + 11, "PER")  # the first edit makes the set and reads the catalog once
    p.add_quote(doc.key, "amal", k, k + 20, cue=(0, 3))
    p.add_stance(doc.key, "amal", "favor")

    def undo_of_relabel():  # what the window's undo does: compare the full row, then act, in one transaction
        with p.transaction():
            p.expect_row("entity", doc.key, "amal", "e1", (s, s + 11, "ORG", ""))  # the row ends with its note
            p.update_entity(doc.key, "amal", "e1", label="PER")

    trips = {"add_entity": relay.count(lambda: p.add_entity(doc.key, "amal", k, k + 6, "GPE")),
             "relabel": relay.count(lambda: p.update_entity(doc.key, "amal", "e1", label="ORG")),
             "undo": relay.count(undo_of_relabel),
             "add_quote": relay.count(lambda: p.add_quote(doc.key, "amal", k, k + 20, speaker="e1", cue=(0, 3))),
             "quote_kind": relay.count(lambda: p.update_quote(doc.key, "amal", "q2", kind="indirect")),
             "add_stance": relay.count(lambda: p.add_stance(doc.key, "amal", "against", target_text="x")),
             "delete_entity": relay.count(lambda: p.delete_entity(doc.key, "amal", "e2")),
             "status": relay.count(lambda: p.set_status(doc.key, "amal", "done"))}
    p.close()
    assert trips == {"add_entity": 2, "relabel": 2, "undo": 3, "add_quote": 3, "quote_kind": 3, "add_stance": 2,
                     "delete_entity": 3, "status": 2}
    with Project.open(pg_url) as back:  # and every edit is there
        aset = back.load(doc.key, "amal")
        assert [(e.id, e.label) for e in aset.entities] == [("e1", "PER")]
        assert [(q.id, q.kind, q.speaker) for q in aset.quotes] == [("q1", "direct", None),
                                                                   ("q2", "indirect", "e1")]
        assert [(t.id, t.label) for t in aset.stances] == [("s1", "favor"), ("s2", "against")]
        assert aset.status == "done"


def test_a_write_sent_ahead_that_fails_saves_nothing_of_its_edit(pg_url):
    """The relabel's UPDATEs travel with the COMMIT; one of them times out on a row another session holds: the
    edit fails with the server's reason, nothing of it is saved, and the next edit works."""
    p = Project.create(pg_url)
    import_sources(p, [SEEDS])
    doc = p.document(ANEZI)
    s = doc.text.index("نواف العنزي")
    p.add_entity(doc.key, "amal", s, s + 11, "PER")
    p.add_quote(doc.key, "amal", s, s + 20, speaker="e1")
    p.set_busy_timeout(200)
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("BEGIN")
        other.execute("SELECT 1 FROM quotes FOR UPDATE")  # the quote naming e1: relabel must update its text
        with pytest.raises(Exception, match="lock"):
            p.update_entity(doc.key, "amal", "e1", start=s, end=s + 4)
        other.execute("ROLLBACK")
    assert p.annotation_row("entity", doc.key, "amal", "e1") == (s, s + 11, "PER", "")
    assert p.load(doc.key, "amal").quotes[0].speaker_text == doc.text[s:s + 11]
    p.update_entity(doc.key, "amal", "e1", label="ORG")
    assert p.annotation_row("entity", doc.key, "amal", "e1") == (s, s + 11, "ORG", "")
    p.close()


def test_two_clients_opening_an_old_server_project_at_once_migrate_it_once(pg_url, monkeypatch):
    conn = connect(location(pg_url))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    schema.migrate(conn)  # a project from a Tawsim of schema version 3
    monkeypatch.undo()
    conn.close()
    results: list = []

    def open_it():
        try:
            with Project.open(pg_url) as p:
                results.append(p.count_documents())
        except ProjectError as exc:
            results.append(exc)

    with psycopg.connect(pg_url, autocommit=True) as holder:
        # Hold the table version 4 alters, so that both clients have read "version 3" before either migrates.
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE annotation_sets IN ACCESS EXCLUSIVE MODE")
        threads = [threading.Thread(target=open_it) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while holder.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted").fetchone()[0] < 2:
            assert time.monotonic() < deadline, "the two clients never both waited"
            time.sleep(0.01)
        holder.execute("COMMIT")
        for t in threads:
            t.join(30)
    assert results == [0, 0]
    with psycopg.connect(pg_url) as c:
        assert c.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == \
            [(v,) for v in range(1, schema.SCHEMA_VERSION + 1)]


def test_a_transaction_that_fills_a_table_leaves_it_vacuumed_and_analysed(pg_url):
    """After a bulk import (here 10,000 documents, one COPY) the documents table's visibility map and statistics
    are fresh, so the next open counts and pages it by index alone instead of reading every row."""
    with Project.create(pg_url) as p:
        with p.transaction():
            p.conn.executemany("INSERT INTO documents (id, text, meta, hash, title) VALUES (?, ?, ?, ?, ?)",
                               [(f"d{i}", f"نص {i}", "{}", f"h{i}", "") for i in range(10_000)])
        assert p.count_documents() == 10_000
    with psycopg.connect(pg_url) as c:
        assert c.execute("SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                         "WHERE schemaname = current_schema() AND relname = 'documents'").fetchone() == (True, True)


def test_the_heartbeat_of_a_window_whose_server_went_away_is_a_missed_beat(qtbot, pg_url):
    """The window's 30-second lease heartbeat on a server project whose connection is gone: a missed beat (the next
    edit tells the user), not an exception thrown into the Qt event loop."""
    from app.ui.session import Session

    Project.create(pg_url).close()
    p = Project.open(pg_url)
    session = Session(p, "amal")
    assert session.lease is not None
    p.conn.raw.close()
    session._beat()  # what the heartbeat's timer calls
    session._heartbeat.stop()
