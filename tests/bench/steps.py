"""Single steps of the benchmark, to run under a profiler.

    python -m cProfile -o /tmp/import.prof -m tests.bench.steps import --papers 10000 --work W
    python -m cProfile -o /tmp/fuzzy.prof -m tests.bench.steps search fuzzy --papers 10000 --work W

`import` generates the corpus into W/corpus (if missing) and imports it into a
fresh W/library; `search KIND` runs the bench's queries of that kind against
W/library (import first). Then, for instance:

    python -c "import pstats; pstats.Stats('/tmp/import.prof').sort_stats('cumulative').print_stats(25)"
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from paperdeck.index.library import Library
from tests.bench.bench import KINDS, build_queries, time_search
from tests.bench.corpus import Generator, generate


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=("import", "search"))
    ap.add_argument("kind", nargs="?", choices=KINDS)
    ap.add_argument("--papers", type=int, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()
    corpus_dir = args.work / "corpus"
    if args.step == "import":
        if not corpus_dir.exists():
            generate(args.papers, corpus_dir, gen=Generator(args.seed))
        shutil.rmtree(args.work / "library", ignore_errors=True)
        lib = Library.open(args.work / "library")
        t = time.perf_counter()
        report = lib.import_files([corpus_dir])
        print(f"imported {report.added} papers in {time.perf_counter() - t:.1f} s")
        return 0
    # the same papers as bench.py generates (same seed, same order), without writing them
    gen = Generator(args.seed)
    papers = gen.papers(args.papers)
    for p in papers:
        if gen.rng.random() < 0.1:
            gen.add_authors(p)
    queries = build_queries(papers, args.queries)[args.kind]
    lib = Library.open(args.work / "library")
    lib.search("model")
    ms, _ = time_search(lib, queries)
    ms.sort()
    print(f"{args.kind}: p50 {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(len(ms) * 0.95)]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
