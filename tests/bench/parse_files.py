"""How long detecting and reading a digest takes, file by file: wall and CPU time
(best and median of N runs), and the records each file gives. Measures only.

Usage: python -m tests.bench.parse_files [FILE...] [--repeat N] [--layout NAME]

Without files: the Markdown lists of ../shared/realworld (where present) and the
five bundled samples.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, check_limits
from tests.helpers import shared_or_none

ROOT = Path(__file__).resolve().parents[2]


def default_files() -> list[Path]:
    shared = shared_or_none("realworld")
    files = sorted(p for p in shared.glob("*.md") if p.name != "README.md") if shared else []
    return files + sorted((ROOT / "index" / "samples").glob("*.txt"))


def read_once(path: Path, layout: str | None) -> tuple[str, int]:
    doc = Document.from_path(path)
    name = layout or sources.detect(doc.head)
    records = list(sources.LAYOUTS[name].parse(doc))
    for rec in records:
        check_limits(rec)
    return name, len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--layout", default=None, help="force a layout (default: detect)")
    args = parser.parse_args()
    print(f"{'file':48} {'KB':>6} {'layout':14} {'records':>7} {'wall best':>9} "
          f"{'median':>7} {'CPU best':>8}")
    for path in args.files or default_files():
        walls, cpus = [], []
        try:
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                name, count = read_once(path, args.layout)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        except DigestError as err:
            print(f"{path.name[:48]:48} refused: {err}")
            continue
        print(f"{path.name[:48]:48} {path.stat().st_size / 1024:6.0f} {name:14} {count:7,} "
              f"{min(walls):8.3f}s {statistics.median(walls):6.3f}s {min(cpus):7.3f}s")


if __name__ == "__main__":
    main()
