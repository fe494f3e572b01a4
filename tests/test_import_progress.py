"""`paperdeck import` progress (issue 4, point 4; by bytes since issue 9): a bar with
MB/s and papers/s on a terminal, nothing but the summary line on stdout otherwise.
The real CLI in a subprocess."""

from __future__ import annotations

import re

from .helpers import CLI, SEEDS

SUMMARY = re.compile(r"^(\d+) added, (\d+) merged, (\d+) skipped, (\d+) passed over, "
                     r"(\d+) failed \((\d+) records from (\d+) files?\)$")


def test_not_a_terminal_keeps_stdout_to_the_summary_line(tmp_path):
    cli = CLI(tmp_path / "lib")
    proc = cli("import", *map(str, SEEDS))
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    m = SUMMARY.match(lines[0])
    assert m and int(m.group(1)) == 632 and int(m.group(6)) == 650 and int(m.group(7)) == 5
    # no bar and no rate line: stderr is kept for warnings and errors in scripts
    assert proc.stderr == ""


def test_progress_flag_draws_the_bar_with_rates_on_stderr(tmp_path):
    cli = CLI(tmp_path / "lib")
    proc = cli("import", "--progress", *map(str, SEEDS))
    assert SUMMARY.match(proc.stdout.strip())  # stdout unchanged
    assert "━" in proc.stderr
    bar = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", proc.stderr)  # without the colours
    megabytes = f"{sum(p.stat().st_size for p in SEEDS) / 1e6:,.1f}"
    assert re.search(rf"reading, merging .*{megabytes}/{megabytes} MB +[\d,.]+ MB/s", bar)
    assert re.search(r"indexing .*632/632 +[\d,]+ papers/s", bar)
    assert re.search(r"^imported in [\d.]+ s \([\d,]+ papers/s\)$", bar, re.M)


def test_progress_env_var_forces_the_bar(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERDECK_PROGRESS", "1")
    proc = CLI(tmp_path / "lib")("import", str(SEEDS[0]))
    assert "━" in proc.stderr
    quiet = CLI(tmp_path / "lib2")("import", "--no-progress", str(SEEDS[0]))
    assert "━" not in quiet.stderr
