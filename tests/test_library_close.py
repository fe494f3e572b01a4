"""Library.close() while another thread is in the middle of a query (the reader's workers
when it quits): the query is interrupted, the process does not crash."""

from __future__ import annotations

import sqlite3
import threading

from paperdeck.index.library import Library
from paperdeck.index.views import Scope

ENDLESS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
           "SELECT count(*) FROM c")


def test_close_interrupts_a_query_running_in_another_thread(sample_dir):
    lib = Library.open(sample_dir)
    running = threading.Event()
    outcome: list[str] = []

    def worker() -> None:
        conn = lib.connection()  # this thread's own connection, as a worker's
        # SQLite calls this every 1,000 steps of a statement being run: it says "the
        # query is running" without guessing how long starting it takes.
        conn.set_progress_handler(running.set, 1000)
        try:
            conn.execute(ENDLESS).fetchone()  # runs until interrupted
            outcome.append("finished")
        except sqlite3.OperationalError as exc:
            outcome.append(str(exc))

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    assert running.wait(10), "the query never started"
    closer = threading.Thread(target=lib.close, daemon=True)  # a hang fails, not blocks
    closer.start()
    closer.join(10)
    assert not closer.is_alive(), "close() hangs behind the other thread's query"
    t.join(10)
    assert not t.is_alive()
    assert outcome == ["interrupted"]
    # the library opens again and answers
    lib = Library.open(sample_dir)
    try:
        assert lib.counts(Scope())[1] > 500
    finally:
        lib.close()
