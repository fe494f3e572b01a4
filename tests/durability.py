"""Helpers of the robustness tests (issue 5): dumps of a library, paused and killed
processes, a process to which file permissions apply even under root."""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .helpers import CLI, paperdeck_command

DB = "library.sqlite3"
PR_CAPBSET_DROP = 24  # prctl option (linux/prctl.h)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # linux/capability.h

HOLD_WRITE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # what a long import in another shell holds
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


# Columns that differ between two runs of the same import (when, which generation).
VOLATILE = {"files": {"imported_at"}, "papers": {"gen"}}


def db_dump(data_dir: Path, stable: bool = False) -> dict[str, list]:
    """Every row of every table, sorted: equal dumps mean an unchanged library.

    stable=True leaves out what two equivalent imports legitimately differ in
    (timestamps, generation numbers, index bookkeeping), to compare a library with
    one built without interruption.
    """
    conn = sqlite3.connect(f"file:{Path(data_dir) / DB}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for t in sorted(tables):
            if stable and t in ("meta", "tombstones"):
                continue
            cols = [c[1] for c in conn.execute(f"PRAGMA table_info({t})")]
            keep = [c for c in cols if not (stable and c in VOLATILE.get(t, ()))]
            out[t] = sorted(conn.execute(f"SELECT {', '.join(keep)} FROM {t}"),
                            key=repr)
        return out
    finally:
        conn.close()


def paper_count(data_dir: Path) -> int:
    conn = sqlite3.connect(f"file:{Path(data_dir) / DB}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
    finally:
        conn.close()


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, COLUMNS="200", **extra)
    env.pop("PAPERDECK_HOME", None)
    return env


def _default_sigint() -> None:
    # A test run started in the background (`cmd &` in a script, as CI may do) inherits
    # SIGINT ignored, and Python then never turns Ctrl-C into KeyboardInterrupt: give the
    # child the terminal's default, as a user's shell would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_paused(data_dir: Path, point: str, *args: str,
                 timeout: float = 90) -> subprocess.Popen:
    """Run `paperdeck ARGS` until it announces the pause point `point`."""
    proc = subprocess.Popen([*paperdeck_command(), "--data-dir", str(data_dir), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=cli_env(PAPERDECK_PAUSE_AT=point),
                            preexec_fn=_default_sigint)
    wanted = f"PAUSED AT {point}".encode()
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"never paused at {point} (exit {proc.returncode}): "
                                 f"{(seen + err).decode(errors='replace')}")
        ready, _, _ = select.select([proc.stderr], [], [], min(left, 0.5))
        if ready:
            seen += os.read(proc.stderr.fileno(), 65536)
    return proc


def kill9(proc: subprocess.Popen) -> None:
    proc.kill()  # SIGKILL: no handler, no finally block, no atexit runs
    proc.communicate(timeout=30)
    assert proc.returncode == -9


def without_file_permissions_override() -> None:
    """A preexec_fn: file modes apply to the child even when the tests run as root.

    Root reads a chmod 000 file through two capabilities (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH). Dropping them from the bounding set before exec keeps
    them out of the child, which stays root otherwise (its venv, its tmp dirs).
    A user other than root needs nothing: the modes apply already.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop the file-permission capabilities")


def run_cli_restricted(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`paperdeck ARGS` with file permissions enforced (see above)."""
    return subprocess.run([*paperdeck_command(), "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=cli_env(),
                          preexec_fn=without_file_permissions_override, timeout=120)


LONGRAG = "2406.15319"
SEED_PAPERS = 632


def weekly_digest(path: Path, new: int, known: tuple[str, ...] = (LONGRAG,),
                  week: str = "2025-01-05", start: int = 1) -> Path:
    """A weekly-picks table: `new` papers nobody has seen, then the `known` arXiv ids."""
    rows = ["| Week | title | category | abstract | Paper-Link |",
            "|:--|:--|:--|:--|:--|"]
    for i in range(start, start + new):
        rows.append(f"| {week} | Synthetic robustness study number {i} | Machine Learning | "
                    f"We study durable storage of reading lists, case {i}, under crashes. | "
                    f"[arxiv](https://arxiv.org/pdf/2501.{i:05d}) |")
    for aid in known:
        rows.append(f"| {week} | A second listing of {aid} | Computation and Language | "
                    f"Listed again in a later week, with its own abstract text {aid}. | "
                    f"[arxiv](https://arxiv.org/pdf/{aid}) |")
    path.write_text("\n".join(rows) + "\n")
    return path


def search_keys(cli: CLI, query: str) -> list[str]:
    proc = cli("search", query, "--json", "--limit", "0", ok=False)
    assert proc.returncode in (0, 1), proc.stderr  # 1: no match
    return [p["key"] for p in json.loads(proc.stdout)]
