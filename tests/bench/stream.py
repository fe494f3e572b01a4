"""The streamed import (issue 9): a generated JSON Lines file in the arXiv metadata
snapshot's shape, imported into a fresh library; memory and rate of each phase.

    python -m tests.bench.stream --mb 300 --json tests/bench/results/stream-300mb.json

Generates FILE (one paper a line, `id`, `submitter`, `authors`, `title` wrapped as the
snapshot wraps it, `comments`, `journal-ref`, `doi`, `categories`, `abstract`,
`versions`, `update_date`, `authors_parsed`; titles and abstracts from the sample
model of corpus.py, ids unique by construction) until it holds --mb megabytes, then
runs `python -m tests.bench.stream --probe FILE DIR` in a fresh process: the
import's two phases as `paperdeck import FILE` runs them (Library.import_files is
Importer.import_files, then sync_index), each timed, with the process's peak RSS
(VmHWM) after each. The probe's RSS is that of a process
doing nothing else, so the figures are the import's.

No timing is asserted anywhere; docs/BENCHMARKS.md reports the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random

from tests.bench import reader_probe
from tests.bench.bench import log, machine
from tests.bench.corpus import Generator

ROOT = Path(__file__).resolve().parents[2]


def _wrap(text: str, width: int, indent: str) -> str:
    """Text wrapped as the snapshot stores it (newline and two spaces inside titles)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return ("\n" + indent).join(lines)


def snapshot_lines(gen: Generator, rng: Random):
    """Snapshot records, one JSON line each, forever (the caller stops)."""
    serial: dict[str, int] = {}
    names = gen.model.names or ["Ada Lovelace", "Alan Turing"]
    while True:
        week = gen.week_pick.draw(rng)
        yymm = f"{week:%y%m}"
        serial[yymm] = serial.get(yymm, 0) + 1
        aid = f"{yymm}.{serial[yymm]:05d}"
        name = gen._name()
        title, abstract = gen._title(name), gen._abstract(name)
        authors = rng.sample(names, min(len(names), rng.choice((1, 2, 3, 4, 5, 6, 8, 12))))
        created = f"{week:%a}, {week.day} {week:%b %Y} 17:{rng.randrange(60):02d}:00 GMT"
        cats = " ".join(dict.fromkeys(gen.cat_pick.draw(rng) for _ in range(rng.choice((1, 2, 3)))))
        doi = f"10.1000/bench.{aid}" if rng.random() < 0.2 else None
        yield json.dumps({
            "id": aid, "submitter": authors[0],
            "authors": ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "")
            + authors[-1],
            "title": _wrap(title, 70, "  "),
            "comments": f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures",
            "journal-ref": None, "doi": doi, "report-no": None, "categories": cats,
            "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            "abstract": "  " + _wrap(abstract, 78, "") + "\n",
            "versions": [{"version": "v1", "created": created}],
            "update_date": week.isoformat(),
            "authors_parsed": [[a.split()[-1], " ".join(a.split()[:-1]), ""] for a in authors],
        }, ensure_ascii=False) + "\n"


def write_snapshot(path: Path, megabytes: float, seed: int) -> dict:
    t = time.perf_counter()
    gen, rng = Generator(seed), Random(seed + 1)
    target = int(megabytes * 1e6)
    size = lines = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in snapshot_lines(gen, rng):
            fh.write(line)
            size += len(line.encode())
            lines += 1
            if size >= target:
                break
    return {"file_mb": round(size / 1e6, 1), "lines": lines,
            "generate_s": round(time.perf_counter() - t, 1)}


def _rss_mb() -> float:
    # VmHWM (reader_probe's reading): ru_maxrss carries the parent's peak over fork
    # and exec, so the probe reported the generator's 98 MB as its own start.
    return reader_probe._rss_mb()


def probe(path: Path, data: Path) -> dict:
    """In this (fresh) process: the two phases of `paperdeck import FILE`."""
    from paperdeck.index.library import Library
    out: dict = {"rss_start_mb": round(_rss_mb(), 1)}
    lib = Library.open(data)
    out["rss_open_mb"] = round(_rss_mb(), 1)
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.perf_counter()
        if now - last[0] > 30:
            last[0] = now
            log(f"{what}: {done:,}/{total:,}; peak RSS {_rss_mb():.0f} MB")

    t = time.perf_counter()
    report = lib.importer.import_files([path], progress=progress)
    secs = time.perf_counter() - t
    size = path.stat().st_size
    out["import"] = {"seconds": round(secs, 1), "records": report.records,
                     "added": report.added, "merged": report.merged,
                     "failed": report.failed, "warnings": report.warnings[:5],
                     "records_per_s": round(report.records / secs, 1),
                     "mb_per_s": round(size / 1e6 / secs, 2),
                     "peak_rss_mb": round(_rss_mb(), 1)}
    log(f"import: {out['import']}")
    t = time.perf_counter()
    lib.sync_index(progress=progress)
    secs = time.perf_counter() - t
    stats = lib.stats()
    out["index"] = {"seconds": round(secs, 1), "papers": stats["papers"],
                    "indexed": stats["indexed"],
                    "papers_per_s": round(stats["papers"] / secs, 1),
                    "peak_rss_mb": round(_rss_mb(), 1)}
    log(f"index: {out['index']}")
    lib.close()
    db = data / "library.sqlite3"
    out["library_mb"] = round(sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
                              / 1e6, 1)
    out["database_mb"] = round(db.stat().st_size / 1e6, 1)
    return out


def run(args) -> dict:
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="pdstream-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "arxiv-snapshot.jsonl"
    res: dict = {"requested_mb": args.mb, "seed": args.seed, "machine": machine(),
                 "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                 "workdir": str(work)}
    if not path.exists() or args.regenerate:
        res["file"] = write_snapshot(path, args.mb, args.seed)
    else:
        res["file"] = {"file_mb": round(path.stat().st_size / 1e6, 1), "reused": True}
    log(f"file: {res['file']}")
    data = work / "library"
    shutil.rmtree(data, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-m", "tests.bench.stream", "--probe", str(path),
                           str(data)], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ))
    sys.stderr.write(proc.stderr[-3000:])
    if proc.returncode != 0:
        res["error"] = proc.stderr[-3000:]
    else:
        res["probe"] = json.loads(proc.stdout.strip().splitlines()[-1])
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="streamed JSON Lines import benchmark")
    ap.add_argument("--mb", type=float, default=300, help="size of the generated file")
    ap.add_argument("--json", type=Path, help="where to write the results")
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--workdir", help="work here (the file is reused if there)")
    ap.add_argument("--regenerate", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the file and the library")
    ap.add_argument("--probe", nargs=2, metavar=("FILE", "DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(Path(args.probe[0]), Path(args.probe[1]))))
        return 0
    res = run(args)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2))
    print(json.dumps(res, indent=2))
    return 1 if "error" in res else 0


if __name__ == "__main__":
    sys.exit(main())
