"""Markdown tables of bench.py results, for docs/BENCHMARKS.md.

    python -m tests.bench.report /tmp/bench-1000.json /tmp/bench-10000.json ...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KINDS = ("word", "two_words", "phrase", "fuzzy", "field", "scoped")


def _f(x, digits: int = 1) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def one(res: dict) -> str:
    n = res["papers_requested"]
    out = [f"### {n:,} papers ({res['date']}, {res.get('total_s', '?')} s in all)", ""]
    imp, lib = res.get("import", {}), res.get("library", {})
    c = res.get("corpus", {})
    out.append(f"Corpus: {c.get('papers'):,} papers, {c.get('records'):,} records in "
               f"{c.get('files')} files ({c.get('mib')} MiB), {c.get('with_authors'):,} with "
               f"authors, {c.get('weeks')} weeks.")
    out.append("")
    out.append("| measure | value |")
    out.append("|---|---|")
    out.append(f"| import.seconds | {_f(imp.get('seconds'))} |")
    out.append(f"| import.papers_per_s | {_f(imp.get('papers_per_s'))} |")
    out.append(f"| papers after import (== N) | {_f(imp.get('papers'))} "
               f"({imp.get('papers_equal_n')}) |")
    out.append(f"| Library.open (reopen) ms | {_f(lib.get('open_ms'))} |")
    out.append(f"| rows(All) ms / nav_tree ms | {_f(lib.get('rows_all_ms'))} / "
               f"{_f(lib.get('nav_tree_ms'))} |")
    s = res.get("search", {})
    out.append(f"| search.cold_first_ms (\"model\") | {_f(s.get('cold_first_ms'))} |")
    out.append(f"| warm-up ms (language, transformer~, \"large language\") | "
               f"{', '.join(_f(x) for x in s.get('warmup_ms', []))} |")
    r = res.get("reader", {})
    if r.get("skipped"):
        out.append("| reader | skipped |")
    else:
        p, k, m = r.get("paint", {}), r.get("keys", {}), r.get("memory", {})
        out.append(f"| reader.first_paint_ms (app constructed -> first frame with rows) | "
                   f"{_f(r.get('first_paint_ms'))} |")
        out.append(f"| first paint from process start (imports, open) ms | "
                   f"{_f(p.get('first_paint_from_process_start_ms'))} |")
        out.append(f"| reader.key_p95_ms (key -> next frame, search + import running) | "
                   f"{_f(r.get('key_p95_ms'))} (p50 {_f(k.get('key_p50_ms'))}, "
                   f"max {_f(k.get('key_max_ms'))}) |")
        out.append(f"| key -> action ran, p95 / p50 ms | {_f(k.get('key_action_p95_ms'))} / "
                   f"{_f(k.get('key_action_p50_ms'))} |")
        if k.get("key_idle_p95_ms") is not None:
            out.append(f"| key -> frame with nothing running, p95 / p50 ms | "
                       f"{_f(k.get('key_idle_p95_ms'))} / {_f(k.get('key_idle_p50_ms'))} |")
        out.append(f"| presses during an import / background searches done | "
                   f"{_f(k.get('presses_during_import'))} / {_f(k.get('background_searches'))} |")
        out.append(f"| background imports of 250 papers (s each) | "
                   f"{k.get('background_import_s')} |")
        out.append(f"| memory.rss_mb (reader peak: open, list All, 4 searches) | "
                   f"{_f(res.get('memory', {}).get('rss_mb'))} |")
        if m.get("searches_in_app"):
            sa = ", ".join(f"{q} {v['ms']:.0f} ms" for q, v in m["searches_in_app"].items())
            out.append(f"| searches typed in the app (to result shown) | {sa} |")
    inc = res.get("incremental")
    if inc:
        out.append(f"| incremental import of 1,000 papers (into {inc['library_papers_before']:,})"
                   f" s | {_f(inc['seconds'])} |")
        if "segments_after" in inc:
            out.append(f"| ... index segments before / after, rebuilt | "
                       f"{inc['segments_before']} / {inc['segments_after']}, {inc['rebuilt']} |")
            out.append(f"| ... first search after it (\"model\", one page) ms | "
                       f"{_f(inc.get('first_search_after_ms'))} |")
    for name, label in (("common_all_rows", "14 common words, every row (no limit)"),
                        ("common_newest_page", "14 common words, first page by date")):
        v = s.get(name)
        if v:
            out.append(f"| {label}: p50 / p95 ms (mean matches) | {_f(v['p50_ms'])} / "
                       f"{_f(v['p95_ms'])} ({_f(v['mean_matches'])}) |")
    out.append("")
    paged = "page_rows" in s
    if paged:
        out.append("")
        out.append(f"Searches return the first {s['page_rows']} rows and the total; FTS5 does "
                   f"the same (LIMIT {s['page_rows']} + COUNT(*)). \"first time\": each distinct "
                   "query's first run only (no per-generation cache warm for it).")
    out.append("")
    out.append("| kind | p50 ms | p95 ms | max ms | first time p95 ms | mean matches | no match "
               "| FTS5 p50 ms | FTS5 p95 ms | ratio p95 | FTS5 all rows p95 ms |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    b = res.get("baseline", {})
    for kind in KINDS:
        k = s.get(kind)
        if not k:
            continue
        bk = b.get(kind, {})
        out.append(f"| {kind} | {_f(k['p50_ms'])} | {_f(k['p95_ms'])} | {_f(k['max_ms'])} | "
                   f"{_f(k.get('first_time_p95_ms'))} | "
                   f"{_f(k['mean_matches'])} | {k['no_match']} | {_f(bk.get('p50_ms'), 2)} | "
                   f"{_f(bk.get('p95_ms'), 2)} | {_f(bk.get('ratio'))} | "
                   f"{_f(bk.get('all_rows_p95_ms'), 2)} |")
    extra = []
    for kind in KINDS:
        for bucket in ("common", "rare", "title", "author"):
            v = s.get(kind, {}).get(f"{bucket}_p95_ms")
            if v is not None:
                extra.append(f"{kind}/{bucket} {_f(v)}")
    if extra:
        out.append("")
        out.append("p95 ms by bucket: " + ", ".join(extra) + ".")
    if res.get("errors"):
        out.append("")
        out.append("Errors recorded: " + ", ".join(res["errors"]) + ".")
    return "\n".join(out) + "\n"


def main() -> int:
    for path in sys.argv[1:]:
        print(one(json.loads(Path(path).read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
