"""Every query kind's first page is the head of Whoosh's own ranking of the same query on
the same index, checked independently of paperdeck's parser and scoring.

Hundreds of queries are generated with a fixed seed from the library's own text
(`queries`): single words in three frequency bands, AND of two and three words, OR,
NOT, phrases of two and three consecutive words of titles and abstracts, prefixes and
wildcards, every field, boosts, and nested mixes of all of these; ANDMAYBE; and a few
kinds that paperdeck leaves to Whoosh's own matchers (phrases with slop, ranges).
They run on the sample library and on a generated library of 10,000 papers, each
with one segment and with several segments holding deleted documents; a quarter of
them also within a scope (a set of papers).

Not generated, because there Whoosh's matchers contradict their own query and
paperdeck keeps the query's meaning (tests/test_index.py checks it against Whoosh's
rankings of the parts): `a ANDNOT b` (Whoosh's AndNotMatcher can keep a paper b
matches), `a REQUIRE b` (Whoosh's matcher for it is an AndNotMatcher) and ANDMAYBE
under an AND (its skip_to can drop the optional side's score). Whoosh's `NOT` can
also return a deleted document: the reference below leaves out what Whoosh's own
reader says is deleted.

What "the same query" means:

- The same text, as typed, goes to both sides unchanged. Typos (`word~`) are not
  generated: their meaning (one edit from a word people type, then its stem) is
  paperdeck's own, not Whoosh's; tests/test_index.py ranks them against Whoosh's
  collector. `is:` filters are answered by the library, not the index.
- paperdeck: `SearchIndex.search(text, limit=k)` (its parser, its plan, its scoring).
- Whoosh: `whoosh.qparser.QueryParser("text", schema)`, Whoosh's default plugins and
  default group (AND), plus Whoosh's own `FieldAliasPlugin` with the aliases the
  README documents (`abstract:` names the combined text field, `authors:` the author
  field), written out here. The schema is the one stored in the index, so the query
  words go through the same analyzers as the indexed text (paperdeck's stemming
  analyzer for `text` and `title`, Whoosh's StandardAnalyzer for `author`,
  `category` and `source`). A searcher Whoosh opens itself on the index directory
  (`whoosh.index.open_dir`, default BM25F) runs `search(q, limit=None)`: every match
  scored, sorted by score, equal scores in document order.
- The same fields and weights: the default field `text` holds the title, an
  end-of-title marker, the abstract and the authors; the title's weight (2) is in
  that field's postings (the analyzer gives title words a boost of 2 when the paper
  is indexed), so both sides read it from the index. Neither parser adds field
  boosts; `title:` searches the title alone.
- Equal: the same total, and for a page of k, the i-th paper of paperdeck's page
  has, in Whoosh's ranking, the score of Whoosh's i-th paper (to 1e-9, relative):
  the same papers in the same order, except that papers of equal score may trade
  places (at the end of the page, or where Whoosh adds a sum in another order and
  two scores differ only in the last bit). Within a scope, Whoosh's ranking is
  filtered to the scope's papers.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from random import Random

import pytest
from whoosh import index as whoosh_index
from whoosh import qparser
from whoosh.analysis import STOP_WORDS

from paperdeck.index.library import Library
from paperdeck.index.search import IndexDoc, SearchIndex
from paperdeck.index.views import Scope
from tests.bench.corpus import Generator

from .helpers import SEEDS

# The README's field aliases, written out (not imported from paperdeck's parser).
ALIASES = {"text": ["abstract"], "author": ["authors"]}
PAGES = (20, 200)  # a screenful, and the page the reader asks for
TOLERANCE = 1e-9

_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe", "require", "to"}


@dataclass
class Text:
    """What a paper's own text offers to queries."""

    pid: int
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    week: str | None = None
    year: int | None = None
    sources: list[str] = field(default_factory=list)
    arxiv_id: str | None = None


# --- the queries ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _content(text: str) -> list[str]:
    return [w for w in _words(text)
            if w not in STOP_WORDS and w not in _OPERATORS and "-" not in w and len(w) > 2]


def queries(papers: list[Text], n: int, seed: int) -> list[tuple[str, str]]:
    """`n` (kind, query text) pairs drawn from the papers' own words (deterministic)."""
    rng = Random(seed)
    df: Counter[str] = Counter()
    for p in papers:
        df.update(set(_content(p.title + " " + p.abstract)))
    vocab = sorted(df, key=lambda w: (-df[w], w))
    total = len(papers)
    bands = {
        "common": [w for w in vocab if df[w] >= 0.05 * total][:80],
        "medium": [w for w in vocab if 0.005 * total <= df[w] < 0.05 * total and df[w] > 2],
        "rare": [w for w in vocab if df[w] <= max(2, 0.001 * total)],
    }
    assert all(len(b) > 10 for b in bands.values()), {k: len(b) for k, b in bands.items()}

    def word(band: str | None = None) -> str:
        return rng.choice(bands[band or rng.choice(("common", "common", "medium", "rare"))])

    def paper() -> Text:
        return rng.choice(papers)

    def cooccurring(k: int) -> list[str]:
        for _ in range(50):
            ws = sorted(set(_content(paper().abstract)))
            if len(ws) >= k:
                return rng.sample(ws, k)
        return [word() for _ in range(k)]

    def run(k: int) -> str:
        """k consecutive words of a title or an abstract (stop words included)."""
        for _ in range(50):
            p = paper()
            ws = _words(p.title if rng.random() < 0.4 else p.abstract)
            ws = [w for w in ws if w not in _OPERATORS]
            if len(ws) >= k:
                i = rng.randrange(len(ws) - k + 1)
                got = ws[i:i + k]
                if any(w not in STOP_WORDS for w in got):
                    return '"' + " ".join(got) + '"'
        return '"' + " ".join(word("common") for _ in range(k)) + '"'

    def prefix() -> str:
        w = word(rng.choice(("common", "medium", "medium")))
        return w[:rng.randint(3, max(3, min(6, len(w) - 1)))] + "*"

    def surname() -> str:
        authored = [p for p in papers if p.authors]
        return rng.choice(rng.choice(authored).authors).split()[-1].lower()

    def field_query() -> str:
        p = paper()
        kinds = ["title", "abstract", "title_phrase", "category", "category_name", "week",
                 "month", "year", "source", "id"]
        if any(q.authors for q in papers):
            kinds += ["author", "author_name"]
        kind = rng.choice(kinds)
        title_words = _content(p.title) or [word()]
        if kind == "title":
            return f"title:{rng.choice(title_words)}"
        if kind == "abstract":
            return f"abstract:{word()}"
        if kind == "title_phrase":
            return "title:" + run(2)
        if kind == "category" and p.categories:
            return f"category:{rng.choice(p.categories)}"
        if kind == "category_name":
            return rng.choice(['category:"computation and language"',
                               'category:"computer vision"', "category:learning"])
        if kind == "week" and p.week:
            return f"week:{p.week}"
        if kind == "month" and p.week:
            return f"month:{p.week[:7]}"
        if kind == "year" and p.year:
            return f"year:{p.year}"
        if kind == "source" and p.sources:
            return f"source:{rng.choice(p.sources)}"
        if kind == "id" and p.arxiv_id:
            return f"id:{p.arxiv_id}"
        if kind == "author":
            return f"author:{surname()}"
        if kind == "author_name":
            authored = [q for q in papers if q.authors]
            return 'author:"' + rng.choice(rng.choice(authored).authors).lower() + '"'
        return f"title:{rng.choice(title_words)}"

    def nested() -> str:
        a, b, c, d = word(), word(), word(), word()
        if rng.random() < 0.3:  # common words: long posting lists, many near scores
            a, b, c = word("common"), word("common"), word("common")
        return rng.choice([
            f"({a} OR {b}) {c}", f"{a} ({b} OR {c})", f"({a} OR {b}) NOT {c}",
            f"({a} {b}) OR ({c} {d})", f"title:({a} OR {b}) {c}", f"{prefix()} {b}",
            f"({prefix()} OR {run(2)}) {c}", f"{a}^2 {b}", f"({a} OR {b})^3 {c}",
            f"{run(2)} OR {prefix()}", f"{a} NOT ({b} OR {c})", f"{a} AND ({run(2)} OR {b})",
            f"(title:{a} OR author:{surname() if any(p.authors for p in papers) else b}) {c}",
            f"{a} OR ({b} NOT {c})", f"({a} OR {b} OR {c}) ({d} OR {prefix()})",
            f'{a} {run(3)}', f"NOT {a} {b}",
        ])

    makers = {
        "word": lambda: word(),
        "and2": lambda: " ".join(cooccurring(2)),
        "and3": lambda: " AND ".join(cooccurring(3)) if rng.random() < 0.5
        else " ".join(cooccurring(3)),
        "and_bands": lambda: f"{word('common')} {word('medium')}",
        "or": lambda: " OR ".join(word() for _ in range(rng.choice((2, 2, 3)))),
        "not": lambda: rng.choice([f"{word('common')} NOT {word()}",
                                   f"{' '.join(cooccurring(2))} NOT {word('common')}",
                                   f"{word()} NOT {word()} NOT {word()}",
                                   f"NOT {word('common')}"]),
        "phrase2": lambda: run(2),
        "phrase3": lambda: run(3),
        "prefix": lambda: prefix() if rng.random() < 0.7 else f"title:{prefix()}",
        "wildcard": lambda: (lambda w: w[:2] + "?" + w[3:5] + "*")(word("common")),
        "field": field_query,
        "nested": nested,
        "andmaybe": lambda: rng.choice([f"{word()} ANDMAYBE {word()}",
                                        f"({word()} OR {word()}) ANDMAYBE {word()}"]),
        "whoosh_path": lambda: rng.choice([
            run(2)[:-1] + '"~3', f"({word()} OR {word()}) {run(2)[:-1]}" + '"~2',
            f"year:[{rng.choice((2021, 2022, 2023))} TO {rng.choice((2024, 2025))}] {word()}"]),
    }
    weights = {"word": 4, "and2": 2, "and3": 1, "and_bands": 1, "or": 2, "not": 2,
               "phrase2": 3, "phrase3": 2, "prefix": 2, "wildcard": 1, "field": 4,
               "nested": 4, "andmaybe": 1, "whoosh_path": 1}
    kinds = list(weights)
    out: list[tuple[str, str]] = []
    for i in range(n):
        # every kind in turn first, then drawn by weight
        kind = kinds[i] if i < len(kinds) else rng.choices(kinds, [weights[k] for k in kinds])[0]
        out.append((kind, makers[kind]()))
    return out


# --- the comparison ----------------------------------------------------------------------------


def whoosh_ranking(searcher, text: str) -> list[tuple[int, float]]:
    """(SQLite id, score) of every match of `text`, best first, by Whoosh alone.

    Less the documents Whoosh's own reader says are deleted: its InverseMatcher
    (NOT) returns the document after its child's last match even when that one is
    deleted (a replaced paper would be listed twice)."""
    parser = qparser.QueryParser("text", searcher.schema)
    parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
    results = searcher.search(parser.parse(text), limit=None)
    reader = searcher.reader()
    pids = reader.column_reader("pid")
    return [(pids[hit.docnum], hit.score) for hit in results
            if not reader.is_deleted(hit.docnum)]


def differences(ix: SearchIndex, reference: list[tuple[int, float]], text: str,
                scope: set[int] | None) -> list[str]:
    """What differs between paperdeck's pages of `text` and Whoosh's ranking of it."""
    if scope is not None:
        reference = [(p, s) for p, s in reference if p in scope]
    score = dict(reference)
    problems = []
    for k in PAGES:
        got = ix.search(text, limit=k, allow_pids=scope)
        want = reference[:k]
        if got.error:
            problems.append(f"error {got.error}")
            break
        if got.total != len(reference):
            problems.append(f"total {got.total}, Whoosh {len(reference)}")
        if len(got.pids) != len(want) or len(set(got.pids)) != len(got.pids):
            problems.append(f"page of {k}: {len(got.pids)} papers, Whoosh {len(want)}")
            continue
        for i, (pid, (wpid, wscore)) in enumerate(zip(got.pids, want, strict=True)):
            mine = score.get(pid)
            if mine is None or abs(mine - wscore) > TOLERANCE * max(1.0, abs(wscore)):
                problems.append(f"page of {k}, #{i + 1}: paper {pid} (Whoosh's score "
                                f"{mine}) where Whoosh has {wpid} ({wscore})")
                break
    return problems


def compare(ix: SearchIndex, papers: list[Text], n: int, seed: int) -> dict:
    """Run `n` generated queries on `ix` against Whoosh; fail with every difference."""
    qs = queries(papers, n, seed)
    rng = Random(seed + 1)
    pids = sorted(p.pid for p in papers)
    kinds = Counter(kind for kind, _ in qs)
    failures = []
    matched = 0
    whoosh_seconds = 0.0
    over_a_page = 0
    t = time.perf_counter()
    storage = whoosh_index.open_dir(str(ix.dir))
    with storage.searcher() as searcher:
        assert searcher.doc_count() == len(papers)
        for i, (kind, text) in enumerate(qs):
            scope = set(rng.sample(pids, len(pids) // 3)) if i % 4 == 3 else None
            t0 = time.perf_counter()
            reference = whoosh_ranking(searcher, text)
            whoosh_seconds += time.perf_counter() - t0
            problems = differences(ix, reference, text, scope)
            if problems:
                failures.append(f"[{kind}] {text!r}{' in a scope' if scope else ''}: "
                                + "; ".join(problems))
            matched += bool(reference)
            over_a_page += len(reference) > PAGES[0]
    seconds = time.perf_counter() - t
    assert not failures, (f"{len(failures)} of {len(qs)} queries differ from Whoosh's "
                          "ranking:\n" + "\n".join(failures[:40]))
    # the generated queries find papers: the comparison is not of empty lists
    assert matched >= 0.8 * len(qs), f"only {matched} of {len(qs)} queries match anything"
    return {"queries": len(qs), "kinds": dict(kinds), "matched": matched,
            "over_a_page": over_a_page, "seconds": round(seconds, 1),
            "whoosh_seconds": round(whoosh_seconds, 1)}


# --- the libraries -------------------------------------------------------------------------------


def _segments(ix: SearchIndex) -> tuple[int, bool]:
    storage = whoosh_index.open_dir(str(ix.dir))
    with storage.searcher() as s:
        return len(ix.segment_ids()), s.reader().has_deletions()


def _library_texts(lib: Library) -> list[Text]:
    """The library's papers, each with the SQLite id its index document carries (read
    by Whoosh: the stored key and the `pid` column of each live document)."""
    storage = whoosh_index.open_dir(str(lib.index.dir))
    with storage.searcher() as s:
        reader = s.reader()
        column = reader.column_reader("pid")
        pid_of = {reader.stored_fields(d)["key"]: column[d] for d in reader.all_doc_ids()}
    out = []
    for row in lib.rows(Scope()):
        p = lib.paper(row.key)
        sources = sorted({x.layout for x in p.sources}
                         | {x.file.rsplit(".", 1)[0] for x in p.sources})
        out.append(Text(pid_of[row.key], p.title, p.abstract, list(p.authors),
                        list(p.categories), p.week, p.year, sources, p.arxiv_id))
    return out


def _generated_doc(p, pid: int, source: str) -> tuple[IndexDoc, Text]:
    sources = sorted({source, source.rsplit(".", 1)[0], "weekly-picks"})
    doc = IndexDoc(p.arxiv_id, p.title, p.abstract, p.authors, p.categories, p.week,
                   p.week[:7], p.year, p.arxiv_id, sources, pid)
    return doc, Text(pid, p.title, p.abstract, list(p.authors), list(p.categories), p.week,
                     p.year, sources, p.arxiv_id)


@pytest.fixture(scope="module")
def sample_one_segment(_sample_template, tmp_path_factory):
    """The sample library as `paperdeck` first builds it: one import, one segment."""
    d = tmp_path_factory.mktemp("equiv-sample") / "lib"
    shutil.copytree(_sample_template, d)
    lib = Library.open(d)
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def sample_segments(tmp_path_factory):
    """The sample digests imported one by one, then a digest of my own listing some
    papers again (a paper listed again is re-indexed: its old document is deleted):
    several segments, with deletions."""
    d = tmp_path_factory.mktemp("equiv-sample-segments")
    lib = Library.open(d / "lib")
    for seed in SEEDS:
        lib.import_files([seed])
    again = [lib.paper(r.key) for r in lib.rows(Scope())[::9]]
    picks = d / "again.md"
    picks.write_text("| Week | Title | Category | Abstract | Paper-Link |\n|---|---|---|---|---|\n"
                     + "".join(f"| 2024-07-07 | {p.title} | cs.CL | {p.abstract} | "
                               f"https://arxiv.org/abs/{p.arxiv_id or '2407.00001'} |\n"
                               for p in again if "|" not in p.title + p.abstract))
    lib.import_files([picks])
    yield lib
    lib.close()


def test_the_sample_library_ranks_as_whoosh_in_one_segment(sample_one_segment):
    lib = sample_one_segment
    assert _segments(lib.index) == (1, False)
    texts = _library_texts(lib)
    assert len(texts) > 600
    report = compare(lib.index, texts, 320, seed=12)
    assert report["queries"] == 320


def test_the_sample_library_ranks_as_whoosh_in_segments_with_deletions(sample_segments):
    lib = sample_segments
    segments, deletions = _segments(lib.index)
    assert segments >= 3 and deletions
    report = compare(lib.index, _library_texts(lib), 320, seed=13)
    assert report["queries"] == 320


GENERATED = 10_000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """10,000 generated papers (tests/bench/corpus.py) indexed in one segment, and a
    copy of that index given two more segments: 300 new papers, 150 papers replaced
    (a changed listing re-indexes a paper) and 60 removed."""
    gen = Generator(20261207)
    papers = gen.papers(GENERATED)
    more = gen.papers(300)
    for p in papers[::10] + more[::10]:
        gen.add_authors(p)
    base = [_generated_doc(p, i + 1, "alpha.md") for i, p in enumerate(papers)]
    root = tmp_path_factory.mktemp("equiv-generated")
    one = SearchIndex(root / "one")
    one.rebuild([doc for doc, _ in base], 1)
    one.close()
    shutil.copytree(root / "one", root / "several")
    several = SearchIndex(root / "several")
    added = [_generated_doc(p, GENERATED + 1 + i, "beta.md") for i, p in enumerate(more)]
    several.update([doc for doc, _ in added], [], 2)
    replaced = [_generated_doc(papers[i], i + 1, "gamma.md") for i in range(3, GENERATED, 67)]
    removed = [papers[i].arxiv_id for i in range(5, GENERATED, 166) if (i - 3) % 67]
    several.update([doc for doc, _ in replaced], removed, 3)
    texts_one = [t for _, t in base]
    gone = set(removed)
    changed = {t.pid: t for _, t in replaced}
    texts_several = ([changed.get(t.pid, t) for (doc, t) in base if doc.key not in gone]
                     + [t for _, t in added])
    one = SearchIndex(root / "one")
    yield {"one": (one, texts_one), "several": (several, texts_several)}
    one.close()
    several.close()


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["one", "several"])
def test_a_generated_library_of_10000_papers_ranks_as_whoosh(generated, layout):
    ix, texts = generated[layout]
    segments, deletions = _segments(ix)
    assert (segments, deletions) == ((1, False) if layout == "one" else (3, True))
    report = compare(ix, texts, 200, seed=21 if layout == "one" else 22)
    assert report["queries"] == 200
