"""Issue 5, "nothing lost, nothing crashes": kills mid-import, a damaged index, a
damaged database, unexpected errors. Real processes, real SQLite and Whoosh in tmp dirs.

The other parts live beside this file: test_hostile_input.py (bad files, hypothesis),
test_concurrency.py (several writers, held locks) and
tests/reader/test_reader_robustness.py (the reader killed after `s`, a reader crash).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from paperdeck.index.library import SCHEMA_VERSION, Library

from .durability import (
    LONGRAG,
    SEED_PAPERS,
    cli_env,
    db_dump,
    kill9,
    paper_count,
    run_cli_restricted,
    search_keys,
    start_paused,
    weekly_digest,
)
from .helpers import CLI, SEEDS, paperdeck_command

# --- 1. all or nothing: an import killed with SIGKILL ---------------------------------


@pytest.mark.parametrize(("point", "papers"), [
    ("mid-import", 0),      # inside the transaction, half the records merged
    ("before-commit", 0),   # everything written, COMMIT not yet run
    ("after-commit", SEED_PAPERS),  # committed; the index not yet told
    ("mid-index", SEED_PAPERS),     # the index writer half done
])
def test_import_killed_leaves_before_or_after(point, papers, tmp_path, _sample_template):
    data = tmp_path / "lib"
    kill9(start_paused(data, point, "import", *map(str, SEEDS)))

    cli = CLI(data)
    assert paper_count(data) == papers
    # The index caught up on the next open (or is empty with the library): search agrees.
    assert search_keys(cli, "LongRAG") == ([LONGRAG] if papers else [])
    assert cli.json("stats")["indexed"] == papers

    again = cli("import", *map(str, SEEDS)).stdout
    if papers:
        assert "0 added, 0 merged, 5 skipped" in again
    else:
        assert f"{SEED_PAPERS} added, 18 merged, 0 skipped" in again
    # Exactly the library an uninterrupted import builds: nothing doubled, nothing lost.
    assert db_dump(data, stable=True) == db_dump(_sample_template, stable=True)
    assert search_keys(cli, "LongRAG") == [LONGRAG]
    assert cli.json("stats")["indexed"] == SEED_PAPERS


def test_killed_between_files_keeps_the_files_before(tmp_path, _sample_template):
    """Each file is its own transaction: killed right after the first file committed,
    the library holds that file whole and nothing of the others; importing them all
    again completes it exactly as an uninterrupted import does."""
    data = tmp_path / "lib"
    kill9(start_paused(data, "file-committed", "import", *map(str, SEEDS)))
    cli = CLI(data)
    assert [f["file"] for f in cli.json("stats")["files"]] == [SEEDS[0].name]
    assert paper_count(data) == 20 and cli.json("stats")["indexed"] == 20  # caught up
    again = cli("import", *map(str, SEEDS)).stdout
    assert f"{SEED_PAPERS - 20} added, 18 merged, 1 skipped" in again
    assert db_dump(data, stable=True) == db_dump(_sample_template, stable=True)
    assert search_keys(cli, "LongRAG") == [LONGRAG]


def test_reindex_killed_while_swapping_the_index_in(cli):
    """`reindex` builds beside the old index and swaps: killed between the two
    renames there is no index at all, which the next command rebuilds."""
    kill9(start_paused(cli.data_dir, "index-swap", "reindex"))
    assert not (cli.data_dir / "index").exists()
    proc = cli("search", "LongRAG")
    assert LONGRAG in proc.stdout and "rebuilt" in proc.stderr
    assert cli.json("stats")["indexed"] == SEED_PAPERS
    # the half-swapped directories are gone
    assert not any(p.name.startswith("index.") and p.is_dir() for p in cli.data_dir.iterdir())


@pytest.fixture
def marked_dir(sample_dir) -> Path:
    """The sample library with marks: a kill must not lose them either."""
    cli = CLI(sample_dir)
    keys = [p["key"] for p in cli.json("list", "--limit", "6")]
    cli("mark", *keys[:3], "--read")
    cli("mark", *keys[2:5], "--star")
    cli("mark", LONGRAG, "--read")
    return sample_dir


@pytest.mark.parametrize("point", ["mid-import", "before-commit"])
def test_killed_reimport_keeps_the_library_exactly_as_before(point, marked_dir, tmp_path):
    digest = weekly_digest(tmp_path / "extra.md", new=6)
    before = db_dump(marked_dir)
    index_before = search_keys(CLI(marked_dir), "durable storage")
    assert index_before == []

    kill9(start_paused(marked_dir, point, "import", str(digest)))

    assert db_dump(marked_dir) == before
    cli = CLI(marked_dir)
    assert search_keys(cli, "durable storage") == []
    assert cli("import", str(digest)).stdout.startswith("6 added, 1 merged")
    assert len(search_keys(cli, "durable storage")) == 6


def test_ctrl_c_mid_import_rolls_back_and_says_so(marked_dir, tmp_path):
    digest = weekly_digest(tmp_path / "extra.md", new=6)
    before = db_dump(marked_dir)
    proc = start_paused(marked_dir, "mid-import", "import", str(digest))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"interrupted; nothing was changed" in err and b"Traceback" not in err
    assert db_dump(marked_dir) == before


@pytest.mark.parametrize("point", ["after-commit", "mid-index"])
def test_killed_after_commit_is_the_finished_import(point, marked_dir, tmp_path):
    digest = weekly_digest(tmp_path / "extra.md", new=6)
    reference = tmp_path / "reference"
    shutil.copytree(marked_dir, reference)
    CLI(reference)("import", str(digest))

    kill9(start_paused(marked_dir, point, "import", str(digest)))

    assert db_dump(marked_dir, stable=True) == db_dump(reference, stable=True)
    cli = CLI(marked_dir)
    found = search_keys(cli, "durable storage")  # the lagging index caught up
    assert sorted(found) == sorted(search_keys(CLI(reference), "durable storage"))
    assert len(found) == 6
    # the known paper's new listing reached the index too, and it kept its read mark
    in_extra = search_keys(cli, "source:extra")
    assert LONGRAG in in_extra and len(in_extra) == 7
    assert sorted(in_extra) == sorted(search_keys(CLI(reference), "source:extra"))
    assert cli.json("show", LONGRAG)[0]["read"] is True
    assert "0 added, 0 merged, 1 skipped" in cli("import", str(digest)).stdout


def test_library_is_wal_with_synchronous_full(sample_dir):
    """What a power cut leaves cannot be simulated here; the settings that decide it
    can be checked: WAL (in the file itself) and synchronous=FULL (per connection),
    on every thread's connection."""
    conn = sqlite3.connect(sample_dir / "library.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    lib = Library.open(sample_dir)
    try:
        def settings() -> None:
            c = lib.connection()  # each thread has its own connection
            seen.append((c.execute("PRAGMA synchronous").fetchone()[0],
                         c.execute("PRAGMA busy_timeout").fetchone()[0]))

        seen: list[tuple[int, int]] = []
        settings()
        t = threading.Thread(target=settings)
        t.start()
        t.join()
        assert seen == [(2, 30000)] * 2  # 2 = FULL
    finally:
        lib.close()


# --- 3. the index is a cache -------------------------------------------------------------


def _truncate_segments(index: Path) -> None:
    for f in index.glob("*.seg"):
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


def _garble_all(index: Path) -> None:
    rnd = random.Random(5)
    for f in index.iterdir():
        if f.is_file() and f.stat().st_size:
            f.write_bytes(bytes(rnd.randrange(256) for _ in range(min(f.stat().st_size, 4096))))


def _drop_toc(index: Path) -> None:
    for f in index.glob("*.toc"):
        f.unlink()


def _older_schema(index: Path) -> None:
    state = index / "paperdeck-index.json"
    data = json.loads(state.read_text())
    state.write_text(json.dumps({**data, "schema": data["schema"] - 1}))


DAMAGE = {"deleted": lambda ix: shutil.rmtree(ix), "truncated": _truncate_segments,
          "garbled": _garble_all, "no-toc": _drop_toc, "older-schema": _older_schema}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_index_is_rebuilt_and_search_answers(damage, cli):
    expected = search_keys(cli, "retrieval augmented generation")
    assert len(expected) > 5
    DAMAGE[damage](cli.data_dir / "index")

    proc = cli("search", "retrieval augmented generation", "--json", "--limit", "0")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert [p["key"] for p in json.loads(proc.stdout)] == expected
    assert "search index" in proc.stderr and "rebuilt" in proc.stderr
    # repaired for good: the next command says nothing but its summary
    again = cli("search", "LongRAG")
    assert again.stderr == "1 match\n" and LONGRAG in again.stdout


def test_unreadable_index_directory_is_rebuilt(sample_dir):
    """chmod 000 on the index; the CLI runs with file permissions enforced (as root too)."""
    index = sample_dir / "index"
    index.chmod(0)
    try:
        proc = run_cli_restricted(sample_dir, "search", "LongRAG")
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert LONGRAG in proc.stdout
        assert "search index" in proc.stderr and "rebuilt" in proc.stderr
        # a later rebuild works although the unreadable old index could not be removed
        again = run_cli_restricted(sample_dir, "reindex")
        assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
        third = run_cli_restricted(sample_dir, "search", "LongRAG")
        assert third.stderr == "1 match\n" and LONGRAG in third.stdout
    finally:
        for p in [sample_dir, *sample_dir.rglob("*")]:
            if p.is_dir():
                p.chmod(0o755)


# --- 7. a damaged database ---------------------------------------------------------------


def _with_backup(cli: CLI, tmp_path: Path) -> Path:
    """An import into a non-empty library takes the daily automatic backup."""
    cli("import", str(weekly_digest(tmp_path / "extra.md", new=2)))
    backups = list((cli.data_dir / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    return backups[0]


@pytest.mark.parametrize("where", ["header", "middle"])
def test_damaged_database_is_refused_naming_the_last_backup(where, cli, tmp_path):
    backup = _with_backup(cli, tmp_path)
    db = cli.data_dir / "library.sqlite3"
    data = bytearray(db.read_bytes())
    rnd = random.Random(7)
    start = 0 if where == "header" else len(data) // 3
    data[start:start + 65536] = bytes(rnd.randrange(256) for _ in range(65536))
    db.write_bytes(bytes(data))

    refused = []
    for args in (("list",), ("search", "LongRAG"), ("stats",), ("mark", LONGRAG, "--star"),
                 ("import", str(weekly_digest(tmp_path / "more.md", new=2, start=50)))):
        proc = cli(*args, ok=False)
        assert "Traceback" not in proc.stderr
        if proc.returncode == 0:
            # a command whose pages are all intact may still answer (SQLite reads
            # only what it needs); it must then answer right
            assert (args[0] == "search" and LONGRAG in proc.stdout
                    or args[0] == "mark" and "1 of 1 paper marked" in proc.stdout), args
            continue
        # `search` keeps exit status 1 for "no match" (grep's habit): its failures are 2
        assert proc.returncode == (2 if args[0] == "search" else 1), (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, (args, proc.stderr)
        line = lines[0]
        assert "damaged" in line and str(db) in line and str(backup) in line
        refused.append(args[0])
    # anything that reads the whole library, and every import, refuses
    assert {"list", "stats", "import"} <= set(refused)
    # the backup named is a whole, readable library
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == SEED_PAPERS
    conn.close()


def test_daily_backups_before_imports_keep_the_three_newest(sample_dir, tmp_path):
    """One automatic backup a day, taken before an import writes; days are simulated
    by back-dating the backups already there."""
    lib = Library.open(sample_dir)
    backups = sample_dir / "backups"
    try:
        lib.import_files([weekly_digest(tmp_path / "day0.md", new=1, known=())])
        assert len(list(backups.glob("*-auto.sqlite3"))) == 1
        lib.import_files([weekly_digest(tmp_path / "day0b.md", new=1, known=(), start=9)])
        assert len(list(backups.glob("*-auto.sqlite3"))) == 1  # the same day: no second
        for day in range(1, 5):
            for i, b in enumerate(sorted(backups.glob("*-auto.sqlite3"))):
                old = backups / f"library-2020010{day}-00000{i}-auto.sqlite3"
                b.rename(old)
                os.utime(old, (0, 86400 * (day * 10 + i)))  # long ago, in order
            lib.import_files([weekly_digest(tmp_path / f"day{day}.md", new=1, known=(),
                                            start=day * 10)])
    finally:
        lib.close()
    kept = sorted(backups.glob("*-auto.sqlite3"))
    assert len(kept) == 3
    # the newest holds everything but the last import (6 imports of one paper each):
    # a whole library, as it was before that import wrote
    conn = sqlite3.connect(kept[-1])
    assert conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0] == SEED_PAPERS + 5
    conn.close()


def test_damaged_database_without_a_backup_says_so(empty_cli):
    empty_cli.data_dir.mkdir(parents=True)
    (empty_cli.data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 500)
    proc = empty_cli("stats", ok=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "damaged" in proc.stderr and "no backup" in proc.stderr


def test_a_backup_is_taken_before_a_schema_migration(cli):
    """A library of an older schema (user_version 0: before versioning) is copied
    aside before the migration touches it."""
    cli("mark", LONGRAG, "--star")
    db = cli.data_dir / "library.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    assert not (cli.data_dir / "backups").exists()

    assert LONGRAG in cli("list", "--status", "starred").stdout
    [backup] = (cli.data_dir / "backups").glob("*.sqlite3")
    assert "schema-0" in backup.name
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT starred FROM papers WHERE key = ?",
                        (LONGRAG,)).fetchone() == (1,)
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    conn.close()


def test_a_library_of_a_newer_paperdeck_is_refused(cli):
    before = db_dump(cli.data_dir)
    conn = sqlite3.connect(cli.data_dir / "library.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    proc = cli("list", ok=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "newer paperdeck" in proc.stderr
    conn = sqlite3.connect(cli.data_dir / "library.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.close()
    assert db_dump(cli.data_dir) == before


# --- 6. no tracebacks for users ------------------------------------------------------------


HOOK = """
# Loaded at start-up (sitecustomize): a bug planted in the library for the test.
import paperdeck.index.library

def broken(self, *args, **kwargs):
    raise RuntimeError("planted bug for the crash-log test")

paperdeck.index.library.Library.rows = broken
"""


def test_unexpected_cli_error_is_logged_not_shown(cli, tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    env = dict(cli_env(), PYTHONPATH=str(hook))
    proc = subprocess.run([*paperdeck_command(), "--data-dir", str(cli.data_dir), "list"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    log = cli.data_dir / "paperdeck.log"
    [line] = proc.stderr.strip().splitlines()
    assert "unexpected error" in line and "planted bug" in line and str(log) in line
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: planted bug for the crash-log test" in text
    assert "in broken" in text  # the frame where it happened
