"""paperdeck's benchmark harness (issue 4): import, search, reader and memory at N papers.

    python -m tests.bench.bench --papers N --json PATH [--queries 200] [--skip-reader]

Generates a deterministic corpus (tests/bench/corpus.py) into a temporary
directory, imports it into a fresh library with `Library.import_files` (the code
path of `paperdeck import`), then measures:

- import: wall time of import_files (parsing, merging, SQLite, Whoosh indexing);
- search: `Library.search(query, limit=PAGE)` end to end (what the reader calls for
  the first page of a result: Whoosh, then the SQLite rows of that page, and the
  total number of matches), for `--queries` queries of each kind: word, two_words,
  phrase, fuzzy, field, scoped; and, for the common words, every row (no limit)
  and the first page sorted by date;
- baseline: the same queries against an SQLite FTS5 table of the same papers
  (bm25): the first PAGE rows in bm25 order plus COUNT(*) of the matches (what
  paperdeck returns), and every matching row; the ratio paperdeck p95 / FTS5 p95;
- reader (each in a fresh process, tests/bench/reader_probe.py): first paint,
  cursor keys while a search thread and an import thread run, peak RSS;
- incremental: importing 1,000 new papers into the library.

No timing is asserted anywhere: this measures, it does not judge. A part that
fails is recorded under "errors" in the JSON and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from random import Random

from whoosh.analysis import STOP_WORDS

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from tests.bench.corpus import Generator, GenPaper, generate, sample_model

ROOT = Path(__file__).resolve().parents[2]

KINDS = ("word", "two_words", "phrase", "fuzzy", "field", "scoped")
# Words found in most AI abstracts: always in the word queries.
COMMON = ("model", "models", "language", "learning", "large", "data", "performance",
          "training", "method", "results", "tasks", "propose", "approach", "show")
_TOKEN = re.compile(r"[a-z][a-z]+")


# --- statistics ----------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def summary(ms: list[float]) -> dict:
    return {"p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "max_ms": round(max(ms), 2), "n": len(ms)}


# --- queries ----------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


def _typo(word: str, rng: Random) -> str:
    """One edit after the first letter (Whoosh's `~` keeps the first letter as a prefix)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "sub", "add"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    letter = rng.choice("abcdefghilmnoprstu")
    if kind == "sub":
        return word[:i] + letter + word[i + 1:]
    return word[:i] + letter + word[i:]


def build_queries(papers: list[GenPaper], n: int, seed: int = 7) -> dict[str, list[dict]]:
    """`n` queries of each kind, from the corpus itself (deterministic).

    Each query: {"q": paperdeck query, "fts": FTS5 MATCH text, "scope": [kind, value] or
    None, "bucket": common / medium / rare where it applies}.
    """
    rng = Random(seed)
    df: Counter[str] = Counter()
    tdf: Counter[str] = Counter()
    pairs: Counter[tuple[str, ...]] = Counter()
    docs = []
    for p in papers:
        toks = _tokens(p.abstract)
        docs.append(toks)
        df.update(set(toks) | set(_tokens(p.title)))
        tdf.update(set(_tokens(p.title)))
    for toks in docs[:5000]:
        # sorted: equal counts keep one order in every process (string hashes vary)
        pairs.update(sorted(set(zip(toks, toks[1:], strict=False))))
    n_docs = len(papers)
    by_df = sorted(df, key=lambda w: (-df[w], w))
    common = [w for w in COMMON if df[w]] + [w for w in by_df[:60] if w not in COMMON]
    medium = [w for w in by_df if 0.005 * n_docs <= df[w] < 0.05 * n_docs and len(w) > 3]
    # rare: real words of the samples first (the invented system names are rarer still)
    vocab = {w.lower() for w in sample_model().abstract_words.items}
    rare = [w for w in by_df if df[w] <= 3 and w.isalpha() and len(w) > 3 and w in vocab]
    medium = medium or by_df[60:400]
    rare = rare or by_df[-300:]

    def words(k: int) -> list[tuple[str, str]]:
        out = [(w, "common") for w in COMMON if df[w]]
        while len(out) < k:
            r = len(out) % 3
            pool, bucket = ((common, "common"), (medium, "medium"), (rare, "rare"))[r]
            out.append((rng.choice(pool), bucket))
        return out[:k]

    def quote(*ws: str) -> str:
        return '"' + " ".join(ws) + '"'

    q: dict[str, list[dict]] = {k: [] for k in KINDS}
    for w, bucket in words(n):
        q["word"].append({"q": w, "fts": quote(w), "bucket": bucket})
    while len(q["two_words"]) < n:  # two words of one abstract: they co-occur, as typed
        toks = [t for t in rng.choice(docs) if len(t) > 3]
        a, b = rng.sample(sorted(set(toks)), 2)
        q["two_words"].append({"q": f"{a} {b}", "fts": f"{quote(a)} {quote(b)}"})
    top_pairs = [pr for pr, _ in pairs.most_common(100)]
    while len(q["phrase"]) < n:
        if len(q["phrase"]) % 2 == 0 and top_pairs:
            ws, bucket = rng.choice(top_pairs), "frequent"
        else:
            toks = rng.choice(docs)
            i = rng.randrange(max(1, len(toks) - 3))
            ws, bucket = tuple(toks[i:i + rng.choice((2, 3))]), "random"
        if len(ws) >= 2:
            q["phrase"].append({"q": quote(*ws), "fts": quote(*ws), "bucket": bucket})
    for w, bucket in words(n * 2):
        if len(q["fuzzy"]) >= n:
            break
        if len(w) < 5:
            continue
        t = _typo(w, rng)
        # FTS5 has no typo tolerance: the baseline gets the expansion for free
        # (the right word OR the typo), i.e. only the cost of the expanded query.
        q["fuzzy"].append({"q": f"{t}~", "fts": f"{quote(w)} OR {quote(t)}", "bucket": bucket,
                           "intended": w})
    title_words = sorted(tdf, key=lambda w: (-tdf[w], w))
    surnames = sorted({a.split()[-1] for p in papers for a in p.authors})
    while len(q["field"]) < n:
        if len(q["field"]) % 2 == 0 or not surnames:
            w = rng.choice(title_words[:50] if rng.random() < 0.5 else title_words)
            q["field"].append({"q": f"title:{w}", "fts": f"title : {quote(w)}",
                               "bucket": "title"})
        else:
            s = rng.choice(surnames).lower()
            q["field"].append({"q": f"author:{s}", "fts": f"authors : {quote(s)}",
                               "bucket": "author"})
    week_list = sorted({p.week for p in papers})
    cats = sorted({c for p in papers for c in p.categories})
    for i, (w, bucket) in enumerate(words(n)):
        scope = ["week", rng.choice(week_list)] if i % 2 == 0 else ["category", rng.choice(cats)]
        q["scoped"].append({"q": w, "fts": quote(w), "scope": scope, "bucket": bucket})
    return q


# --- paperdeck --------------------------------------------------------------------------

# The reader asks for the first page of a search (and more as the list scrolls).
PAGE = 200


def time_search(lib: Library, queries: list[dict], page: int | None = PAGE,
                sort: str = "relevance") -> tuple[list[float], list[int]]:
    ms, hits = [], []
    for item in queries:
        scope = Scope(*item["scope"]) if item.get("scope") else None
        t = time.perf_counter()
        res = lib.search(item["q"], scope=scope, sort=sort, limit=page)
        ms.append((time.perf_counter() - t) * 1000)
        hits.append(res.total)
    return ms, hits


# --- the FTS5 baseline ---------------------------------------------------------------

def build_fts(lib_db: Path, path: Path) -> float:
    """An FTS5 table (porter stemming, like Whoosh's StemmingAnalyzer) of the same papers."""
    t = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE VIRTUAL TABLE t USING fts5(title, abstract, authors, "
        "tokenize='porter unicode61');"
        "CREATE TABLE meta(id INTEGER PRIMARY KEY, week TEXT);"
        "CREATE TABLE cats(id INTEGER, code TEXT);"
        "CREATE INDEX meta_week ON meta(week); CREATE INDEX cats_code ON cats(code, id);")
    src = sqlite3.connect(lib_db)
    with conn:
        for pid, title, abstract, authors, week, cats in src.execute(
                "SELECT id, title, abstract, authors, week, categories FROM papers"):
            conn.execute("INSERT INTO t(rowid, title, abstract, authors) VALUES (?, ?, ?, ?)",
                         (pid, title, abstract, ", ".join(json.loads(authors))))
            conn.execute("INSERT INTO meta VALUES (?, ?)", (pid, week))
            conn.executemany("INSERT INTO cats VALUES (?, ?)",
                             [(pid, c) for c in json.loads(cats)])
    src.close()
    conn.close()
    return time.perf_counter() - t


# Every match, best first (title weighted 2, like paperdeck), with the title the list shows.
FTS_SQL = "SELECT t.rowid, t.title FROM t WHERE t MATCH ? {extra} ORDER BY bm25(t, 2.0, 1.0, 1.0)"
# The first page and the number of matches: what Library.search(limit=PAGE) returns.
FTS_PAGE_SQL = FTS_SQL + f" LIMIT {PAGE}"
FTS_COUNT_SQL = "SELECT COUNT(*) FROM t WHERE t MATCH ? {extra}"
FTS_SCOPE = {"week": "AND t.rowid IN (SELECT id FROM meta WHERE week = ?)",
             "category": "AND t.rowid IN (SELECT id FROM cats WHERE code = ?)"}


def time_fts(path: Path, queries: list[dict], page: bool = True
             ) -> tuple[list[float], list[int]]:
    conn = sqlite3.connect(path)
    ms, hits = [], []
    for item in queries:
        scope = item.get("scope")
        extra = FTS_SCOPE[scope[0]] if scope else ""
        args = [item["fts"]] + ([scope[1]] if scope else [])
        t = time.perf_counter()
        if page:
            conn.execute(FTS_PAGE_SQL.format(extra=extra), args).fetchall()
            n = conn.execute(FTS_COUNT_SQL.format(extra=extra), args).fetchone()[0]
        else:
            n = len(conn.execute(FTS_SQL.format(extra=extra), args).fetchall())
        ms.append((time.perf_counter() - t) * 1000)
        hits.append(n)
    conn.close()
    return ms, hits


# --- the reader, in fresh processes ----------------------------------------------------

def probe(mode: str, data_dir: Path, *extra: str, timeout: float = 900) -> dict:
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "tests.bench.reader_probe", mode, "--data-dir", str(data_dir), *extra]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=ROOT)
    wall = (time.perf_counter() - t) * 1000
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"{mode} probe exited {proc.returncode}: "
                           f"{proc.stderr.strip()[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall_ms"] = wall
    return out


# --- the run -------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem, 1) if mem else None,
            "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version}


def run(args) -> dict:
    res: dict = {"papers_requested": args.papers, "queries_per_kind": args.queries,
                 "seed": args.seed, "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                 "machine": machine(), "errors": {}}
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="pdbench-"))
    work.mkdir(parents=True, exist_ok=True)
    res["workdir"] = str(work)
    data = work / "library"
    shutil.rmtree(data, ignore_errors=True)
    for d in ("corpus", "extra-incremental", "extra-keys"):
        shutil.rmtree(work / d, ignore_errors=True)

    t = time.perf_counter()
    gen = Generator(args.seed)
    corpus = generate(args.papers, work / "corpus", author_share=args.author_share, gen=gen)
    extra_inc = generate(1000, work / "extra-incremental", author_share=0.0, gen=gen,
                         stem="incremental-")
    generate(1000, work / "extra-keys", author_share=0.0, gen=gen, stem="keys-",
             rows_per_file=250)
    res["corpus"] = {"papers": len(corpus.papers), "records": corpus.records,
                     "files": len(corpus.files), "mib": round(sum(
                         f.stat().st_size for f in corpus.files) / 2**20, 1),
                     "with_authors": sum(1 for p in corpus.papers if p.authors),
                     "weeks": len({p.week for p in corpus.papers}),
                     "collisions_regenerated": corpus.collisions,
                     "generate_s": round(time.perf_counter() - t, 2)}
    log(f"corpus: {res['corpus']}")

    # import: the `paperdeck import DIR` code path
    lib = Library.open(data)
    t = time.perf_counter()
    report = lib.import_files([work / "corpus"])
    secs = time.perf_counter() - t
    st = lib.stats()
    res["import"] = {"seconds": round(secs, 2), "papers_per_s": round(st["papers"] / secs, 1),
                     "records_per_s": round(corpus.records / secs, 1),
                     "papers": st["papers"], "records": st["records"], "indexed": st["indexed"],
                     "added": report.added, "merged": report.merged,
                     "warnings": report.warnings, "papers_equal_n": st["papers"] == args.papers}
    if st["papers"] != args.papers:
        res["errors"]["import"] = f"library holds {st['papers']} papers, expected {args.papers}"
    log(f"import: {res['import']}")
    lib.close()

    t = time.perf_counter()
    lib = Library.open(data)
    res["library"] = {"open_ms": round((time.perf_counter() - t) * 1000, 1),
                      "notices": lib.notices}
    for name, fn in (("rows_all_ms", lambda: lib.rows(Scope())),
                     ("nav_tree_ms", lib.nav_tree)):
        t = time.perf_counter()
        fn()
        res["library"][name] = round((time.perf_counter() - t) * 1000, 1)

    # search
    queries = build_queries(corpus.papers, args.queries)
    res["search"] = {}
    res["search"]["page_rows"] = PAGE
    t = time.perf_counter()
    first = lib.search("model", limit=PAGE)
    res["search"]["cold_first_ms"] = round((time.perf_counter() - t) * 1000, 1)
    res["search"]["cold_first_query"] = "model"
    warm = []
    for q in ("language", "transformer~", '"large language"'):
        t = time.perf_counter()
        lib.search(q, limit=PAGE)
        warm.append(round((time.perf_counter() - t) * 1000, 1))
    res["search"]["warmup_ms"] = warm
    res["search"]["model_matches"] = first.total
    hits_pd: dict[str, list[int]] = {}
    for kind in KINDS:
        ms, hits = time_search(lib, queries[kind])
        hits_pd[kind] = hits
        res["search"][kind] = summary(ms) | {"mean_matches": round(sum(hits) / len(hits), 1),
                                             "no_match": sum(1 for h in hits if not h)}
        for bucket in ("common", "rare", "author", "title"):
            b = [m for m, item in zip(ms, queries[kind], strict=True)
                 if item.get("bucket") == bucket]
            if b:
                res["search"][kind][f"{bucket}_p95_ms"] = round(pct(b, 95), 2)
        # Queries repeat (the 14 common words, frequent phrases) and the index keeps
        # per-generation caches (phrase matches, the typo lexicon): the first time
        # each distinct query ran, apart.
        seen, first_ms = set(), []
        for m, item in zip(ms, queries[kind], strict=True):
            key = (item["q"], tuple(item.get("scope") or ()))
            if key not in seen:
                seen.add(key)
                first_ms.append(m)
        res["search"][kind]["distinct"] = len(first_ms)
        res["search"][kind]["first_time_p50_ms"] = round(pct(first_ms, 50), 2)
        res["search"][kind]["first_time_p95_ms"] = round(pct(first_ms, 95), 2)
        log(f"search {kind}: {res['search'][kind]}")
    commons = [item for item in queries["word"] if item["q"] in COMMON]
    for name, page, sort in (("common_all_rows", None, "relevance"),
                             ("common_newest_page", PAGE, "newest")):
        ms, hits = time_search(lib, commons, page=page, sort=sort)
        res["search"][name] = summary(ms) | {"mean_matches": round(sum(hits) / len(hits), 1)}
        log(f"search {name}: {res['search'][name]}")
    res["search"]["examples"] = {k: [x["q"] for x in v[:6]] + [x["q"] for x in v[-3:]]
                                 for k, v in queries.items()}

    # baseline
    try:
        fts = work / "fts5.sqlite3"
        fts.unlink(missing_ok=True)
        res["baseline"] = {"build_s": round(build_fts(data / "library.sqlite3", fts), 2),
                           "query": f"first {PAGE} by bm25(t, 2.0, 1.0, 1.0) + COUNT(*); "
                                    "all_rows: every match in bm25 order"}
        for kind in KINDS:
            ms, hits = time_fts(fts, queries[kind])
            s = summary(ms)
            p95 = res["search"][kind]["p95_ms"]
            all_ms, _ = time_fts(fts, queries[kind], page=False)
            res["baseline"][kind] = {"p50_ms": s["p50_ms"], "p95_ms": s["p95_ms"],
                                     "ratio": round(p95 / s["p95_ms"], 2) if s["p95_ms"] else None,
                                     "mean_matches": round(sum(hits) / len(hits), 1),
                                     "all_rows_p50_ms": round(pct(all_ms, 50), 2),
                                     "all_rows_p95_ms": round(pct(all_ms, 95), 2)}
            if hits != hits_pd[kind]:
                res["baseline"][kind]["matches_differ"] = sum(
                    1 for a, b in zip(hits, hits_pd[kind], strict=True) if a != b)
        res["baseline"]["translation"] = {k: [queries[k][i]["fts"] for i in (0, -1)]
                                          for k in KINDS}
        log(f"baseline: { {k: res['baseline'][k] for k in KINDS} }")
    except Exception as exc:
        res["errors"]["baseline"] = _err(exc)
    lib.close()

    # reader
    if args.skip_reader:
        res["reader"] = {"skipped": True}
    else:
        res["reader"] = {}
        qs = ["model", "language model", "transformer~", '"large language models"']
        for mode, extra in (("paint", []),
                            ("memory", [a for q in qs for a in ("--query", q)]),
                            ("keys", ["--extra", str(work / "extra-keys"), "--presses",
                                      str(args.presses)] +
                             [a for q in qs for a in ("--query", q)])):
            try:
                out = probe(mode, data, *extra)
                res["reader"][mode] = out
                log(f"reader {mode}: {out}")
            except Exception as exc:
                res["errors"][f"reader.{mode}"] = _err(exc)
                log(f"reader {mode} FAILED (recorded, going on): {_err(exc)[:300]}")
        paint = res["reader"].get("paint", {})
        keys = res["reader"].get("keys", {})
        mem = res["reader"].get("memory", {})
        res["reader"]["first_paint_ms"] = _r(paint.get("first_paint_ms"))
        res["reader"]["key_p95_ms"] = _r(keys.get("key_p95_ms"))
        res["memory"] = {"rss_mb": _r(mem.get("rss_mb"))}

    # incremental import of 1,000 new papers
    try:
        lib = Library.open(data)
        before = lib.stats()["papers"]
        segs_before, rebuilds = lib.index.segment_count(), lib.index.rebuilds
        t = time.perf_counter()
        lib.import_files([work / "extra-incremental"])
        secs = time.perf_counter() - t
        after = lib.stats()["papers"]
        res["incremental"] = {"papers": after - before, "seconds": round(secs, 2),
                              "papers_per_s": round((after - before) / secs, 1),
                              "library_papers_before": before,
                              "expected": len(extra_inc.papers),
                              "segments_before": segs_before,
                              "segments_after": lib.index.segment_count(),
                              "rebuilt": lib.index.rebuilds != rebuilds}
        t = time.perf_counter()
        lib.search("model", limit=PAGE)
        res["incremental"]["first_search_after_ms"] = round((time.perf_counter() - t) * 1000, 1)
        lib.close()
        log(f"incremental: {res['incremental']}")
    except Exception as exc:
        res["errors"]["incremental"] = _err(exc)

    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return res


def _r(x):
    return round(x, 1) if isinstance(x, (int, float)) else x


def _err(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}\n" + "".join(traceback.format_exc(limit=5))[-1500:]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def table(res: dict) -> str:
    lines = [f"paperdeck benchmark: {res['papers_requested']:,} papers, "
             f"{res['queries_per_kind']} queries per kind, {res['date']}"]
    m = res["machine"]
    lines.append(f"machine: {m['nproc']} CPU {m['cpu']}, {m['ram_gib']} GiB, "
                 f"Python {m['python']}, SQLite {m['sqlite']}")
    imp = res.get("import", {})
    lines.append(f"import: {imp.get('seconds')} s, {imp.get('papers_per_s')} papers/s "
                 f"({imp.get('papers')} papers, {imp.get('records')} records)")
    s = res.get("search", {})
    lines.append(f"search cold first: {s.get('cold_first_ms')} ms; warm-up {s.get('warmup_ms')}")
    lines.append(f"{'kind':<10} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'matches':>9} "
                 f"{'FTS5 p95':>9} {'ratio':>7}")
    for kind in KINDS:
        k = s.get(kind)
        if not k:
            continue
        b = res.get("baseline", {}).get(kind, {})
        lines.append(f"{kind:<10} {k['p50_ms']:>9.1f} {k['p95_ms']:>9.1f} {k['max_ms']:>9.1f} "
                     f"{k['mean_matches']:>9.1f} {b.get('p95_ms', float('nan')):>9.2f} "
                     f"{b['ratio'] if b.get('ratio') is not None else float('nan'):>7.2f}")
    r = res.get("reader", {})
    if r.get("skipped"):
        lines.append("reader: skipped")
    else:
        lines.append(f"reader: first paint {r.get('first_paint_ms')} ms, keys p95 "
                     f"{r.get('key_p95_ms')} ms; memory: {res.get('memory', {}).get('rss_mb')} MB")
    inc = res.get("incremental", {})
    if inc:
        lines.append(f"incremental: {inc['papers']} papers in {inc['seconds']} s")
    if res["errors"]:
        lines.append("ERRORS (see JSON): " + ", ".join(res["errors"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="paperdeck benchmark harness")
    ap.add_argument("--papers", type=int, required=True)
    ap.add_argument("--json", type=Path, required=True, help="where to write the results")
    ap.add_argument("--queries", type=int, default=200, help="queries of each kind")
    ap.add_argument("--skip-reader", action="store_true")
    ap.add_argument("--presses", type=int, default=200, help="cursor keys in the key test")
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--author-share", type=float, default=0.1)
    ap.add_argument("--workdir", help="work here instead of a fresh temporary directory")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and library")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    res = run(args)
    res["total_s"] = round(time.perf_counter() - t, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2))
    print(table(res))
    print(f"total {res['total_s']} s; JSON in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
