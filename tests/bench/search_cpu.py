"""Search time per query kind on a kept library, as CPU time and wall time, to compare two
versions of the code on a shared machine (CPU time counts this thread's own work only).

    python -m tests.bench.steps import --papers 100000 --work W     (once)
    python -m tests.bench.search_cpu --papers 100000 --work W [--kinds phrase,nested]

The queries are bench.py's (`build_queries`, same seed: the same papers) plus `nested`:
150 queries with brackets, NOT, a prefix or a boost over common and medium words
(`(a OR b) c`, `a (b OR c)`, `ab* c`, `a NOT b`, `(a OR b) NOT c`, `a^2 b`). Each runs
once, `Library.search(q, limit=200)` (a first page), as the bench times it.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path
from random import Random

from whoosh.analysis import STOP_WORDS

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from tests.bench.bench import KINDS, build_queries, pct
from tests.bench.corpus import Generator


def nested_queries(papers, n: int = 150, seed: int = 5) -> list[dict]:
    df: Counter[str] = Counter()
    for p in papers[:5000]:
        df.update({w for w in re.findall(r"[a-z]{4,}", (p.title + " " + p.abstract).lower())
                   if w not in STOP_WORDS})
    words = sorted(df, key=lambda w: (-df[w], w))
    common, medium = words[:60], words[200:2000]
    rng = Random(seed)

    def word() -> str:
        return rng.choice(common if rng.random() < 0.5 else medium)

    out = []
    for _ in range(n):
        a, b, c = word(), word(), word()
        out.append({"q": rng.choice([f"({a} OR {b}) {c}", f"{a} ({b} OR {c})", f"{a[:4]}* {b}",
                                     f"{a} NOT {b}", f"({a} OR {b}) NOT {c}", f"{a}^2 {b}"])})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--kinds", default=",".join((*KINDS, "nested")))
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()
    # the same papers as bench.py generates (same seed, same order), without writing them
    gen = Generator(args.seed)
    papers = gen.papers(args.papers)
    for p in papers:
        if gen.rng.random() < 0.1:
            gen.add_authors(p)
    queries = build_queries(papers, args.queries)
    queries["nested"] = nested_queries(papers)
    lib = Library.open(args.work / "library")
    lib.search("model")
    for kind in args.kinds.split(","):
        cpu, wall = [], []
        for item in queries[kind]:
            scope = Scope(*item["scope"]) if item.get("scope") else None
            t, w = time.thread_time(), time.perf_counter()
            lib.search(item["q"], scope=scope, limit=200)
            cpu.append((time.thread_time() - t) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        print(f"{kind:10} cpu p50 {pct(cpu, 50):7.1f} p95 {pct(cpu, 95):7.1f}   "
              f"wall p50 {pct(wall, 50):7.1f} p95 {pct(wall, 95):7.1f}  ({len(cpu)} queries)")
    lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
