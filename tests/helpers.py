"""Shared test helpers: where the seeds and the shared real files (`shared()`) are, the
command line in a subprocess, and waiting for a condition (`wait_until`) or holding a method
at a known moment (`hold`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "index" / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
PODCAST, DUMP, PICKS, DAILY, TRENDING = SEEDS


def paperdeck_command() -> list[str]:
    """The command that runs paperdeck: the installed script, else `python -m`."""
    script = Path(sys.executable).parent / "paperdeck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "paperdeck.reader.cli"]


class CLI:
    """The real command line in a subprocess."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None):
        env = dict(os.environ, COLUMNS="200")
        env.pop("PAPERDECK_HOME", None)
        proc = subprocess.run([*paperdeck_command(), "--data-dir", str(self.data_dir), *args],
                              capture_output=True, text=True, env=env, input=stdin,
                              timeout=120)
        if ok:
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
        return proc

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


def shared_or_none(folder: str) -> Path | None:
    """The shared real files `../shared/<folder>` beside the clone (or beside the folder of
    worktrees the clone sits in), or None when absent (for the benchmarks)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / folder).is_dir():
            return base / "shared" / folder
    return None


def shared(folder: str) -> Path:
    """`shared_or_none(folder)` for a test: skipped, naming the folder, when absent."""
    found = shared_or_none(folder)
    if found is None:
        pytest.skip(f"the shared real files {ROOT.parent / 'shared' / folder} are absent")
    return found


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 10.0,
                     what: str = "the condition") -> None:
    """Let the app run (`pilot.pause()`) until `condition()` is true; fail, naming
    `what`, if it is still false after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:g} s for {what}")
        await pilot.pause()


class Hold:
    """A method held by `hold`: `reached` is set once a call has got to the hold;
    `release()` lets every call through."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()


@contextmanager
def hold(obj: object, method: str, *, after: bool = False,
         when: Callable[..., bool] | None = None, timeout: float = 20.0) -> Iterator[Hold]:
    """Make `obj.method` block until released, to freeze a worker at a known moment.

    A call stops before the real method runs (after it has returned, with `after`), if
    `when(*args, **kwargs)` says so (every call without `when`), for at most `timeout`
    seconds. Leaving the block releases every call and puts the method back."""
    real = getattr(obj, method)
    own = method in vars(obj)
    held = Hold()

    def wait() -> None:
        held.reached.set()
        held._released.wait(timeout)

    def holding(*args, **kwargs):
        if when is not None and not when(*args, **kwargs):
            return real(*args, **kwargs)
        if after:
            out = real(*args, **kwargs)
            wait()
            return out
        wait()
        return real(*args, **kwargs)

    setattr(obj, method, holding)
    try:
        yield held
    finally:
        held.release()
        if own:
            setattr(obj, method, real)
        else:
            delattr(obj, method)
