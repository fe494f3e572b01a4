"""A deterministic corpus of realistic papers, written as digests paperdeck imports.

The words come from the bundled sample digests (index/samples/): every generated
abstract is made of real sample sentences, a share of whose words are swapped for
words drawn with their real frequencies, so common words ("model", "language",
"learning") are in most abstracts as they are in reality, real phrases ("large
language models") occur, and the vocabulary keeps growing with invented system
names ("FluxRAG-7B") the way arXiv's does. Titles are real sample titles reworked
the same way, 6-14 words.

Layout: weekly-picks Markdown tables (Week | title | category | abstract |
Paper-Link), split into files of `rows_per_file` rows, read by
index/sources/weekly_picks.py exactly as `paperdeck import` reads them. Weekly
picks carry no authors, so a share of the papers (`author_share`, 10% by default)
is also listed in podcast episode pages ("title", then "abstract ... 2024: A. Name,
B. Name"), which gives those papers real-looking authors for `author:` queries;
the importer merges each podcast record into its weekly pick (same title and
abstract), so the library still holds exactly N papers.

Every paper gets a unique arXiv id YYMM.NNNNN whose month is that of a day of its
week, and its match keys (title, abstract head and tail fingerprints: see
index/merge.py) are checked to be unique, so the merge never joins two papers.

    python -m tests.bench.corpus --papers 1000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from random import Random

from paperdeck.index import sources
from paperdeck.index.merge import match_keys
from paperdeck.index.model import Record, category_name
from paperdeck.index.sources import podcast

ROOT = Path(__file__).resolve().parents[2]

SAMPLES = ROOT / "index" / "samples"
FIRST_WEEK = date(2021, 1, 3)  # a Sunday
LAST_WEEK = date(2025, 12, 28)  # a Sunday: 260 weeks
ROWS_PER_FILE = 5000
WORD_SWAP = 0.12  # share of an abstract's words replaced by a frequency-weighted draw
TITLE_SWAP = 0.35
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]%])[.!?]\s+(?=[A-Z])")

# Category weights roughly as AI digests list them.
CATEGORY_WEIGHTS = {
    "cs.CL": 30, "cs.LG": 25, "cs.CV": 22, "cs.AI": 12, "cs.RO": 3, "cs.IR": 2, "cs.CR": 2,
    "cs.SE": 2, "cs.HC": 1, "cs.SD": 1, "stat.ML": 2, "eess.AS": 1, "eess.IV": 1, "cs.MA": 1,
    "cs.NE": 1, "cs.CY": 1, "cs.DC": 1, "cs.GR": 1, "cs.DB": 0.5, "cs.PL": 0.5, "math.OC": 0.5,
    "q-bio.NC": 0.3, "cs.IT": 0.3, "cs.SI": 0.3, "eess.SP": 0.3,
}


@dataclass
class GenPaper:
    arxiv_id: str
    version: int | None
    week: str
    title: str
    abstract: str
    categories: list[str]  # codes
    authors: list[str] = field(default_factory=list)
    year: int = 0


class Weighted:
    """Draw items with given weights (cumulative bisect: fast and deterministic)."""

    def __init__(self, items: list, weights: list[float]):
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def draw(self, rng: Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


@dataclass
class SampleModel:
    titles: list[list[str]]  # title words
    sentences: list[list[str]]  # abstract sentences, as words with their punctuation
    abstract_words: Weighted  # real frequencies over the sample abstracts
    title_words: Weighted
    names: list[str]  # author names from the podcast samples
    surnames: list[str]
    fragments: list[str]  # capitalised word pieces for invented system names


def _clean(text: str) -> str:
    text = text.replace("|", "/").replace("`", "'")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def sample_model() -> SampleModel:
    """Titles, sentences, word frequencies and names of the bundled samples."""
    titles: list[list[str]] = []
    abstracts: list[str] = []
    names: set[str] = set()
    seen: set[str] = set()
    for path in sorted(SAMPLES.glob("*.txt")):
        text, _ = sources.decode(path.read_bytes())
        for rec in sources.parse(text):
            if rec.abstract[:80] in seen:
                continue
            seen.add(rec.abstract[:80])
            if not rec.abstract.isascii():
                abstract = rec.abstract.encode("ascii", "ignore").decode()
            else:
                abstract = rec.abstract
            abstracts.append(_clean(abstract))
            if rec.title and rec.title.isascii():
                titles.append(_clean(rec.title).split())
            names.update(a for a in rec.authors if a.isascii() and podcast._is_name(a.split()))
    sentences: list[list[str]] = []
    counts: Counter[str] = Counter()
    for abstract in abstracts:
        for s in _SENTENCE.split(abstract):
            words = s.split()
            if 6 <= len(words) <= 60:
                sentences.append(words if s.endswith((".", "!", "?")) else words[:-1] +
                                 [words[-1] + "."])
        counts.update(w for w in _WORD.findall(abstract))
    tcounts: Counter[str] = Counter(w for t in titles for w in t if _WORD.fullmatch(w))
    aw = sorted(counts.items())
    tw = sorted(tcounts.items())
    name_list = sorted(names)
    surnames = sorted({n.split()[-1] for n in name_list if len(n.split()[-1]) > 2})
    fragments = sorted({w[:1].upper() + w[1:6] for w, c in counts.items()
                        if w.isalpha() and w.islower() and 4 <= len(w) <= 10 and c >= 3})
    fragments += ["RAG", "LM", "GPT", "Net", "Former", "Diff", "Mamba", "Agent", "Bench", "VL",
                  "LLaMA", "Coder", "Math", "Vision", "Flow", "Gen", "Seg", "Mix", "MoE"]
    return SampleModel(titles, sentences, Weighted([w for w, _ in aw], [c for _, c in aw]),
                       Weighted([w for w, _ in tw], [c for _, c in tw]), name_list, surnames,
                       fragments)


def weeks() -> list[date]:
    out, d = [], FIRST_WEEK
    while d <= LAST_WEEK:
        out.append(d)
        d += timedelta(days=7)
    return out


class Generator:
    """Papers one after another; ids and match keys unique across everything generated."""

    def __init__(self, seed: int = 20261123):
        self.rng = Random(seed)
        self.model = sample_model()
        self.weeks = weeks()
        # Later weeks list more papers, as arXiv grows.
        self.week_pick = Weighted(self.weeks, [1.0 + 2.0 * i / len(self.weeks)
                                               for i in range(len(self.weeks))])
        cats = sorted(CATEGORY_WEIGHTS)
        self.cat_pick = Weighted(cats, [CATEGORY_WEIGHTS[c] for c in cats])
        self.ids: set[str] = set()
        self.keys: set[str] = set()
        self.names: set[str] = set()
        self.collisions = 0

    def _name(self) -> str:
        """An invented system name (FluxRAG, Gaze-7B): the vocabulary's long tail."""
        rng, frags = self.rng, self.model.fragments
        while True:
            name = rng.choice(frags) + rng.choice(frags)
            r = rng.random()
            if r < 0.25:
                name += f"-{rng.choice((1, 2, 3, 7, 8, 13, 70))}B"
            elif r < 0.4:
                name += f"-v{rng.randint(1, 4)}"
            if name not in self.names or rng.random() < 0.3:  # some names recur
                self.names.add(name)
                return name

    def _swap(self, words: list[str], share: float, pool: Weighted) -> list[str]:
        rng = self.rng
        out = []
        for w in words:
            m = _WORD.fullmatch(w.rstrip(".,;:!?)"))
            if m and rng.random() < share:
                tail = w[len(m.group(0)):]
                new = pool.draw(rng)
                out.append(new + tail)
            else:
                out.append(w)
        return out

    def _abstract(self, name: str) -> str:
        rng, m = self.rng, self.model
        target = rng.randint(120, 250)
        words: list[str] = []
        while len(words) < target:
            sent = self._swap(rng.choice(m.sentences), WORD_SWAP, m.abstract_words)
            if rng.random() < 0.3:
                sent[rng.randrange(len(sent))] = name
            words.extend(sent)
        words = words[:target]
        words[-1] = words[-1].rstrip(".,;:") + "."
        if name not in words and name + "." not in words:
            words[rng.randrange(min(20, len(words) - 1))] = name
        return " ".join(words)

    def _title(self, name: str) -> str:
        rng, m = self.rng, self.model
        words = self._swap(rng.choice(m.titles), TITLE_SWAP, m.title_words)
        if len(words) < 5 and rng.random() < 0.8:
            words += ["with"] + rng.choice(m.titles)[:rng.randint(2, 5)]
        if rng.random() < 0.4:
            words = [name + ":"] + words
        words = words[:14]
        while len(words) < 6:
            words.append(m.title_words.draw(rng))
        return " ".join(words).rstrip(":,;")

    def _arxiv_id(self, week: date) -> str:
        while True:
            day = week - timedelta(days=self.rng.randrange(7))
            aid = f"{day:%y%m}.{self.rng.randint(1, 29999):05d}"
            if aid not in self.ids:
                self.ids.add(aid)
                return aid

    def paper(self) -> GenPaper:
        rng = self.rng
        week = self.week_pick.draw(rng)
        cats = [self.cat_pick.draw(rng)]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            c = self.cat_pick.draw(rng)
            if c not in cats:
                cats.append(c)
        while True:
            name = self._name()
            title, abstract = self._title(name), self._abstract(name)
            keys = match_keys(Record(layout="weekly-picks", line=0, abstract=abstract,
                                     title=title))
            if not self.keys.intersection(keys):
                self.keys.update(keys)
                break
            self.collisions += 1
        aid = self._arxiv_id(week)
        version = rng.choice((None, None, None, 1, 2))
        return GenPaper(aid, version, week.isoformat(), title, abstract, cats, year=week.year)

    def papers(self, n: int) -> list[GenPaper]:
        return [self.paper() for _ in range(n)]

    def add_authors(self, paper: GenPaper) -> None:
        rng, m = self.rng, self.model
        k = rng.choice((1, 2, 3, 3, 4, 5, 6, 8))
        paper.authors = rng.sample(m.names, k) if len(m.names) >= k else list(m.names)


# --- writing -------------------------------------------------------------------------

HEADER = ("| Week       | title | category | abstract | Paper-Link |\n"
          "|:-----------|:------|:---------|:---------|:-----------|\n")


def _row(p: GenPaper) -> str:
    cats = "; ".join(category_name(c) for c in p.categories)
    v = f"v{p.version}" if p.version else ""
    kind = "pdf" if int(p.arxiv_id[-1]) % 2 else "abs"
    link = f"[arxiv](https://arxiv.org/{kind}/{p.arxiv_id}{v})"
    return f"| {p.week} | {p.title} | {cats} | {p.abstract} | {link} |\n"


def write_weekly(papers: list[GenPaper], out: Path, stem: str = "weekly-picks",
                 rows_per_file: int = ROWS_PER_FILE) -> list[Path]:
    """Weekly-picks tables in week order, `rows_per_file` rows a file."""
    out.mkdir(parents=True, exist_ok=True)
    ordered = sorted(papers, key=lambda p: (p.week, p.arxiv_id))
    paths = []
    for i in range(0, len(ordered), rows_per_file):
        path = out / f"{stem}-{i // rows_per_file:03d}.md"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(f"# AI paper picks, weeks {ordered[i].week} to "
                     f"{ordered[min(i + rows_per_file, len(ordered)) - 1].week}\n\n")
            fh.write(HEADER)
            fh.writelines(_row(p) for p in ordered[i:i + rows_per_file])
        paths.append(path)
    return paths


def write_podcast(papers: list[GenPaper], out: Path, stem: str = "papers-read-on-ai",
                  rows_per_file: int = ROWS_PER_FILE) -> list[Path]:
    """Podcast episode pages for the papers that have authors."""
    out.mkdir(parents=True, exist_ok=True)
    listed = [p for p in papers if p.authors]
    paths = []
    for i in range(0, len(listed), rows_per_file):
        path = out / f"{stem}-{i // rows_per_file:03d}.txt"
        with path.open("w", encoding="utf-8") as fh:
            fh.write("Papers Read on AI-logo\n\nPapers Read on AI\n\n")
            for p in listed[i:i + rows_per_file]:
                fh.write(f"{p.title}\n\n{p.abstract} {p.year}: {', '.join(p.authors)}\n\n")
        paths.append(path)
    return paths


@dataclass
class Corpus:
    papers: list[GenPaper]
    files: list[Path]
    records: int  # listings written (weekly rows + podcast episodes)
    collisions: int


def generate(n: int, out: Path, seed: int = 20261123, author_share: float = 0.1,
             rows_per_file: int = ROWS_PER_FILE, gen: Generator | None = None,
             stem: str = "") -> Corpus:
    """Write `n` papers into `out`; pass the same `gen` to add papers unique across calls."""
    gen = gen or Generator(seed)
    papers = gen.papers(n)
    for p in papers:
        if gen.rng.random() < author_share:
            gen.add_authors(p)
    files = write_weekly(papers, out, (stem + "weekly-picks"), rows_per_file)
    files += write_podcast(papers, out, (stem + "papers-read-on-ai"), rows_per_file)
    records = len(papers) + sum(1 for p in papers if p.authors)
    return Corpus(papers, files, records, gen.collisions)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--author-share", type=float, default=0.1)
    args = ap.parse_args(argv)
    c = generate(args.papers, args.out, args.seed, args.author_share)
    print(f"{len(c.papers)} papers, {c.records} records in {len(c.files)} files "
          f"({c.collisions} regenerated for a match-key collision) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
