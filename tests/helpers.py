"""Shared test helpers: where the seeds are, and the command line in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "index" / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
PODCAST, DUMP, PICKS, DAILY, TRENDING = SEEDS



def _command() -> list[str]:
    script = Path(sys.executable).parent / "paperdeck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "paperdeck.reader.cli"]


class CLI:
    """The real command line in a subprocess."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None):
        env = dict(os.environ, COLUMNS="200")
        env.pop("PAPERDECK_HOME", None)
        proc = subprocess.run([*_command(), "--data-dir", str(self.data_dir), *args],
                              capture_output=True, text=True, env=env, input=stdin,
                              timeout=120)
        if ok:
            assert proc.returncode == 0, proc.stderr
            assert "Traceback" not in proc.stderr
        return proc

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


def shared(folder: str) -> Path:
    """The shared real files `../shared/<folder>` beside the clone (or beside the folder of
    worktrees the clone sits in); the test is skipped, naming the folder, when absent."""
    import pytest

    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / folder).is_dir():
            return base / "shared" / folder
    pytest.skip(f"the shared real files {ROOT.parent / 'shared' / folder} are absent")
