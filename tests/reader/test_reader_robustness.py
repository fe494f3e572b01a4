"""Issue 5 in the reader: a mark survives a kill -9 right after the key press, and an
unexpected error is logged with its traceback while the user sees one line.

The killed reader is a real process: it runs the real app (headless, keys pressed by
Textual's auto-pilot), presses the key, sees the mark on screen and kills itself with
SIGKILL, so no exit path, finally block or atexit hook can save the mark. tmux would
drive the terminal itself, but it is not installed by CI; this needs only Python.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from paperdeck.index import library as library_module
from paperdeck.index.library import Library
from paperdeck.index.views import Scope

from ..durability import HOLD_WRITE, cli_env
from ..helpers import CLI, ROOT
from .util import make_app, settle

READER = """
import os, signal, sys
from paperdeck.index import library as library_module
from paperdeck.index.library import Library
from paperdeck.reader.app import run_reader
from tests.helpers import wait_until

lib = Library.open(sys.argv[1])
key_to_press, mode = sys.argv[2], sys.argv[3]
if mode == "crash":
    def planted(*args, **kwargs):
        raise RuntimeError("planted bug in the reader")
    lib.set_starred = planted

async def drive(pilot):
    app = pilot.app
    await wait_until(pilot, lambda: app.ready and app.papers.current is not None,
                     what="the first rows (a worker loads them)")
    row = app.papers.current
    print(row.key, flush=True)
    await pilot.press(key_to_press)
    await pilot.pause()
    if mode == "kill":
        shown = app.papers.current  # the list row as the screen now draws it
        print("SHOWN", shown.key, shown.starred, shown.read, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

sys.exit(run_reader(lib, headless=True, size=(120, 40), auto_pilot=drive))
"""


def run_reader_process(data_dir, key: str, mode: str) -> subprocess.CompletedProcess:
    # From the repository's root, where `tests.helpers` is importable.
    return subprocess.run([sys.executable, "-c", READER, str(data_dir), key, mode],
                          capture_output=True, text=True, env=cli_env(), timeout=120,
                          cwd=ROOT)


@pytest.mark.parametrize(("key", "flag", "status"), [("s", "starred", "starred"),
                                                     ("r", "read", "read")])
async def test_mark_survives_a_kill_right_after_the_key(key, flag, status, sample_dir):
    proc = run_reader_process(sample_dir, key, "kill")
    assert proc.returncode == -9, proc.stderr
    lines = proc.stdout.split("\n")
    paper = lines[0].strip()
    shown = lines[1].split()
    assert shown[:2] == ["SHOWN", paper]
    assert shown[2 if flag == "starred" else 3] == "True"  # the screen showed it

    marked = json.loads(CLI(sample_dir)("list", "--status", status, "--json").stdout)
    assert [p["key"] for p in marked] == [paper]

    # and a restarted reader shows it on that paper's row
    lib = Library.open(sample_dir)
    try:
        app = make_app(lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            row = app.papers.rows[app.papers.index_of(paper)]
            assert getattr(row, flag)
            assert sum(getattr(r, flag) for r in app.papers.rows) == 1
            assert app.nav_tree_widget.counts_of(Scope(status))[1] == 1
    finally:
        lib.close()


def test_reader_crash_is_one_line_and_a_logged_traceback(sample_dir):
    proc = run_reader_process(sample_dir, "s", "crash")
    log = sample_dir / "paperdeck.log"
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "planted" not in proc.stdout
    [line] = proc.stderr.strip().splitlines()
    assert "reader stopped on an unexpected error" in line
    assert "RuntimeError: planted bug in the reader" in line and str(log) in line
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "(reader)" in text
    assert "in planted" in text and "action_toggle_star" in text


async def test_reader_crash_in_pilot_is_logged(library: Library):
    def planted(*args, **kwargs):
        raise ZeroDivisionError("planted in a pilot test")

    library.mark_read = planted
    app = make_app(library)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
    assert app.crash_log == library.data_dir / "paperdeck.log"
    assert "ZeroDivisionError: planted in a pilot test" in app.crash_log.read_text()
    assert not app.printed_on_exit  # no traceback printed over the terminal


async def test_a_mark_while_the_library_is_busy_is_refused_on_screen(sample_dir, monkeypatch):
    """Another process holding the write lock past the busy timeout (a huge import):
    `s` says so and changes nothing on screen; the reader keeps running."""
    monkeypatch.setattr(library_module, "BUSY_TIMEOUT", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE,
                               str(sample_dir / "library.sqlite3"), "60"],
                              stdout=subprocess.PIPE, text=True, env=cli_env())
    assert holder.stdout.readline().strip() == "held"
    lib = Library.open(sample_dir)
    try:
        app = make_app(lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            key = app.papers.current.key
            await pilot.press("s")
            await pilot.pause()
            assert not app.papers.current.starred and not lib.paper(key).starred
            assert any("library is busy" in str(n.message) for n in app.notifications_shown)
            holder.kill()
            holder.wait()
            await pilot.press("s")
            await pilot.pause()
            assert app.papers.current.starred and lib.paper(key).starred
        assert app.crash is None
    finally:
        holder.kill()
        holder.wait()
        lib.close()
