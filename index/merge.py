"""Which records are the same paper, and what the merged paper says.

Two records are the same paper when they share a match key: an arXiv id (any
version), a normalised title, or an abstract fingerprint. Matching is
transitive (a union-find), so a title-less dump record joins a titled page
record through its abstract, and a weekly pick joins the dump through its id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import Record, arxiv_month, derive_title, fold, title_slug

# A fold()ed title shorter than this ("Introduction") is too generic to merge on.
MIN_TITLE = 12
# Abstract fingerprints need enough text to be unique; the head and the tail are
# fingerprinted separately so that debris or truncation at one end still matches.
MIN_ABSTRACT = 200
FINGERPRINT_CHARS = 160

# Which layout's title and abstract to prefer when records disagree: a curated
# table beats a scraped page, and any real title beats a derived one.
LAYOUT_RANK = {"weekly-picks": 0, "podcast": 1, "daily-papers": 2, "trending": 3, "arxiv-dump": 4}


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def abstract_spine(abstract: str) -> str:
    spine = fold(abstract)
    # Some pages print the heading "Abstract" glued to the first sentence.
    if spine.startswith("abstract"):
        spine = spine[len("abstract"):]
    return spine


def match_keys(rec: Record) -> list[str]:
    keys = []
    if rec.arxiv_id:
        keys.append("id:" + rec.arxiv_id)
    if rec.title:
        t = fold(rec.title)
        if len(t) >= MIN_TITLE:
            keys.append("t:" + _digest(t))
    spine = abstract_spine(rec.abstract)
    if len(spine) >= MIN_ABSTRACT:
        keys.append("ah:" + _digest(spine[:FINGERPRINT_CHARS]))
        keys.append("at:" + _digest(spine[-FINGERPRINT_CHARS:]))
    return keys


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # keep the smaller root: existing papers (small ids) absorb new records
            lo, hi = sorted((ra, rb), key=lambda n: (n[0] != "p", n[1]))
            self.parent[hi] = lo


class Group(list):
    """The indices of the records of one paper, ascending; `papers`: the ids of the
    papers already in the library that they join (two or more: those are one paper)."""

    def __init__(self, records: Iterable[int] = (), papers: Iterable[int] = ()):
        super().__init__(records)
        self.papers = list(papers)


def group_records(records: Sequence[Record], known: Mapping[str, int] | None = None,
                  keys: Sequence[list[str]] | None = None) -> list[Group]:
    """Records grouped into papers, in first-seen order.

    known: the library's papers by match key (only the keys of these records are
    needed); keys: the records' match keys, when the caller has them already.
    """
    if keys is None:
        keys = [match_keys(rec) for rec in records]
    uf = UnionFind()
    owner: dict[str, tuple] = {k: ("p", pid) for k, pid in (known or {}).items()}
    for i, ks in enumerate(keys):
        node = ("r", i)
        uf.find(node)
        for k in ks:
            if k in owner:
                uf.union(owner[k], node)
            else:
                owner[k] = node
    groups: dict[tuple, Group] = {}
    for i in range(len(records)):
        groups.setdefault(uf.find(("r", i)), Group()).append(i)
    for node in uf.parent:
        if node[0] == "p":
            group = groups.get(uf.find(node))
            if group is not None:
                group.papers.append(node[1])
    for group in groups.values():
        group.papers.sort()
    return sorted(groups.values(), key=lambda g: g[0])


@dataclass
class Merged:
    """The fields of a paper as its records say them."""

    title: str
    title_derived: bool
    abstract: str
    authors: list[str]
    year: int | None
    arxiv_id: str | None
    week: str | None
    month: str | None
    categories: list[str]
    date_text: str | None  # a page date without a year ("Mar 11"), shown when nothing finer

    def natural_key(self) -> str:
        return self.arxiv_id or title_slug(self.title)


def combine(records: list[Record]) -> Merged:
    """Merge the records of one paper; records are in the order they were listed."""
    ranked = sorted(records, key=lambda r: LAYOUT_RANK.get(r.layout, 9))
    titled = [r for r in ranked if r.title]
    abstracts = sorted(ranked, key=lambda r: -len(r.abstract))
    abstract = abstracts[0].abstract if abstracts else ""
    if titled:
        title, derived = titled[0].title, False
    else:
        title, derived = derive_title(abstract), True

    ids = [r.arxiv_id for r in ranked if r.arxiv_id]
    arxiv_id = max(set(ids), key=ids.count) if ids else None
    weeks = sorted(r.week for r in records if r.week)
    week = weeks[0] if weeks else None
    month = week[:7] if week else (arxiv_month(arxiv_id) if arxiv_id else None)
    year = next((r.year for r in ranked if r.year), None)
    if year is None and month:
        year = int(month[:4])

    categories: list[str] = []
    for r in ranked:
        for c in r.categories:
            if c not in categories:
                categories.append(c)
    authors = next((r.authors for r in ranked if r.authors), [])
    date_text = next((r.date_label for r in records if r.date_label), None)
    return Merged(title, derived, abstract, list(authors), year, arxiv_id, week, month,
                  categories, date_text)
