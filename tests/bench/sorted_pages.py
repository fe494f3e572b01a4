"""First page of a common word sorted by title and by date: p50/p95 over the 14 common
words, three times each, one page of 200 rows.

Usage: python -m tests.bench.sorted_pages DATA_DIR
"""

import statistics
import sys
import time

from paperdeck.index.library import Library

WORDS = ["model", "models", "language", "learning", "large", "data", "performance",
         "training", "method", "results", "tasks", "propose", "approach", "show"]


def main(data_dir: str) -> None:
    lib = Library.open(data_dir)
    for sort in ("title", "newest"):
        ms = []
        for _ in range(3):
            for word in WORDS:
                start = time.perf_counter()
                result = lib.search(word, sort=sort, limit=200)
                ms.append((time.perf_counter() - start) * 1000)
        ms.sort()
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(f"{sort}: p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms "
              f"(last total {result.total})")


if __name__ == "__main__":
    main(sys.argv[1])
