"""CI runs the benchmark harness (issue 4, point 6) so that it keeps working.

At 2,000 papers, in a subprocess, without the reader probes (the reader has its
own Pilot tests). Nothing about timing is asserted: only that every measure is
there and the run had no errors.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .helpers import ROOT


def test_bench_runs_at_2000_papers_and_writes_every_measure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench", "--papers", "2000",
         "--skip-reader", "--queries", "60", "--json", str(out),
         "--workdir", str(tmp_path / "work")],
        capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text())
    assert res["errors"] == {}
    assert res["import"]["papers"] == 2000 and res["import"]["papers_equal_n"]
    assert res["import"]["papers_per_s"] > 0
    for kind in ("word", "two_words", "phrase", "fuzzy", "field", "scoped"):
        for key in ("p50_ms", "p95_ms", "max_ms", "first_time_p95_ms"):
            assert res["search"][kind][key] >= 0, (kind, key)
        assert res["search"][kind]["n"] == 60
        assert res["baseline"][kind]["p95_ms"] >= 0
    # the typo queries find the intended words' papers, as the word queries do
    assert res["search"]["fuzzy"]["no_match"] < 10
    assert res["search"]["common_all_rows"]["mean_matches"] > 1000
    inc = res["incremental"]
    assert inc["papers"] == inc["expected"] == 1000
    assert not inc["rebuilt"] and inc["segments_after"] == inc["segments_before"] + 1
    assert "paperdeck benchmark: 2,000 papers" in proc.stdout
