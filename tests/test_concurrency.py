"""Issue 5, concurrency: several processes marking and importing at once, and a held
index lock waited for, then reported. Real processes, real SQLite and Whoosh."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from paperdeck.index import library as library_module
from paperdeck.index.library import Library, LibraryError
from paperdeck.index.search import IndexUnavailable

from .durability import (
    HOLD_WRITE,
    LONGRAG,
    SEED_PAPERS,
    cli_env,
    paper_count,
    search_keys,
    weekly_digest,
)
from .helpers import CLI, paperdeck_command

MARKERS = 4
PER_MARKER = 5
BIG = 800  # papers in the concurrent import: enough for it to outlast several marks


def test_markers_importer_and_an_open_library_at_once(sample_dir, tmp_path):
    """4 shells marking (a CLI process per mark), one importing a large digest, and an
    open Library (the reader's layer) marking in this process: every write lands."""
    cli = CLI(sample_dir)
    keys = [p["key"] for p in cli.json("list")]
    cli_keys = [keys[i * PER_MARKER:(i + 1) * PER_MARKER] for i in range(MARKERS)]
    lib_keys = keys[MARKERS * PER_MARKER: MARKERS * PER_MARKER + 40]
    digest = weekly_digest(tmp_path / "big.md", new=BIG, known=(), start=1)

    failures: list[str] = []

    def run(*args: str) -> None:
        proc = subprocess.run([*paperdeck_command(), "--data-dir", str(sample_dir), *args],
                              capture_output=True, text=True, env=cli_env(), timeout=300)
        if proc.returncode != 0 or "locked" in proc.stderr or "Traceback" in proc.stderr:
            failures.append(f"{args}: exit {proc.returncode}: {proc.stderr}")

    def marker(mine: list[str]) -> None:
        for i, key in enumerate(mine):
            run("mark", key, "--star" if i % 2 else "--read")

    lib = Library.open(sample_dir)

    def in_process() -> None:
        for i, key in enumerate(lib_keys):
            if i % 2:
                lib.set_starred(key, True)
            else:
                lib.mark_read([key])

    threads = [threading.Thread(target=run, args=("import", str(digest)))]
    threads += [threading.Thread(target=marker, args=(m,)) for m in cli_keys]
    threads.append(threading.Thread(target=in_process))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    lib.close()
    assert not failures, "\n".join(failures)

    papers = {p["key"]: p for p in cli.json("list")}
    for mine in [*cli_keys, lib_keys]:
        for i, key in enumerate(mine):
            assert papers[key]["starred" if i % 2 else "read"], key
    assert paper_count(sample_dir) == SEED_PAPERS + BIG
    assert cli.json("stats")["indexed"] == SEED_PAPERS + BIG
    assert len(search_keys(cli, '"durable storage"')) == BIG


HOLD_FLOCK = """
import fcntl, sys, time
fh = open(sys.argv[1], "a+")
fcntl.flock(fh, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""

HOLD_WHOOSH = """
import sys, time
from whoosh import index
writer = index.open_dir(sys.argv[1]).writer()  # takes Whoosh's MAIN_WRITELOCK
print("held", flush=True)
time.sleep(float(sys.argv[2]))
writer.cancel()
"""


def hold(script: str, target: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", script, str(target), str(seconds)],
                            stdout=subprocess.PIPE, text=True, env=cli_env())
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_held_index_lock_is_waited_for(sample_dir, tmp_path):
    """Another process indexing (holding index.lock) for a moment: the import waits for
    it and then brings the index up to date itself, without a warning."""
    holder = hold(HOLD_FLOCK, sample_dir / "index.lock", 1.5)
    proc = CLI(sample_dir)("import", str(weekly_digest(tmp_path / "x.md", new=3)))
    holder.wait(timeout=30)
    # without the wait, the open and the import would both report the index as busy
    assert proc.stderr == "" and "3 added" in proc.stdout
    assert len(search_keys(CLI(sample_dir), '"durable storage"')) == 3


@pytest.mark.parametrize("which", ["paperdeck", "whoosh"])
def test_index_lock_held_too_long_is_reported_and_caught_up_later(which, sample_dir, tmp_path):
    """A lock that does not free up: the import still lands in SQLite, and says clearly
    that the index will catch up; the next open does catch up."""
    target = sample_dir / "index.lock" if which == "paperdeck" else sample_dir / "index"
    holder = hold(HOLD_FLOCK if which == "paperdeck" else HOLD_WHOOSH, target, 60)
    try:
        lib = Library.open(sample_dir)
        lib.index_wait = 0.5
        try:
            report = lib.import_files([weekly_digest(tmp_path / "x.md", new=3)])
            assert report.added == 3
            [warning] = report.warnings
            assert "another paperdeck process" in warning and "catch up" in warning
            if which == "paperdeck":
                with pytest.raises(IndexUnavailable, match="another paperdeck process"):
                    lib.reindex()
        finally:
            lib.close()
        assert paper_count(sample_dir) == SEED_PAPERS + 3
    finally:
        holder.kill()
        holder.wait()
    cli = CLI(sample_dir)
    assert len(search_keys(cli, '"durable storage"')) == 3
    assert search_keys(cli, "LongRAG") == [LONGRAG]


def test_a_mark_blocked_past_the_busy_timeout_is_refused_clearly(sample_dir, monkeypatch):
    """A write lock held longer than the busy timeout (shortened here from 30 s): the
    mark is refused with a clear LibraryError, nothing half-done; it lands afterwards."""
    monkeypatch.setattr(library_module, "BUSY_TIMEOUT", 0.3)
    holder = hold(HOLD_WRITE, sample_dir / "library.sqlite3", 60)
    lib = Library.open(sample_dir)
    try:
        with pytest.raises(LibraryError, match="busy: another paperdeck process"):
            lib.set_starred(LONGRAG, True)
        with pytest.raises(LibraryError, match="the mark was not made"):
            lib.mark_read([LONGRAG])
        holder.kill()
        holder.wait()
        assert not lib.paper(LONGRAG).starred
        lib.set_starred(LONGRAG, True)  # the same connection works again
        lib.mark_read([LONGRAG])
    finally:
        holder.kill()
        holder.wait()
        lib.close()
    [paper] = CLI(sample_dir).json("show", LONGRAG)
    assert paper["starred"] and paper["read"]
