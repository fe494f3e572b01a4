"""Which records are the same paper, and what the merged paper says.

Two records are the same paper when they share a match key: an arXiv id (any
version, also when only a link, a PDF link or arXiv's DOI carries it), a DOI, a
normalised title (not a short name), or an abstract fingerprint (never a digest's
summary). Matching is transitive (a union-find), so a title-less dump record joins
a titled page record through its abstract, and a weekly pick joins the dump through
its id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .links import arxiv_id_of_doi, arxiv_month_of, find_arxiv_id, normalise_doi
from .model import Record, derive_title, fold, title_slug

# A fold()ed title shorter than this ("Introduction") is too generic to merge on.
MIN_TITLE = 12
# Abstract fingerprints need enough text to be unique; the head and the tail are
# fingerprinted separately so that debris or truncation at one end still matches.
MIN_ABSTRACT = 200
FINGERPRINT_CHARS = 160

# Which layout's title and abstract to prefer when records disagree: a curated
# table beats a scraped page, and any real title beats a derived one.
# The formats that came later rank after those five, those that carry a source's
# own metadata (arXiv's feeds and e-mails, reference managers) first; a format not
# named here ranks last.
LAYOUT_RANK = {"weekly-picks": 0, "podcast": 1, "daily-papers": 2, "trending": 3, "arxiv-dump": 4,
               "arxiv-email": 5, "feed": 5, "bibtex": 6, "ris": 6, "json-lines": 7, "json": 7,
               "csv": 7, "markdown": 8}
OTHER_RANK = 9


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def abstract_spine(abstract: str) -> str:
    spine = fold(abstract)
    # Some pages print the heading "Abstract" glued to the first sentence.
    if spine.startswith("abstract"):
        spine = spine[len("abstract"):]
    return spine


def _arxiv_in_links(rec: Record) -> tuple[str, int | None] | None:
    """An arXiv id (and version) named by the record's links or its DOI."""
    for link in (rec.url, rec.pdf_url):
        found = find_arxiv_id(link, bare=False)
        if found:
            return found
    return arxiv_id_of_doi(normalise_doi(rec.doi))


def identify(rec: Record) -> Record:
    """The record with its identifiers read out of wherever it carries them: the DOI
    bare and lower-case, the arXiv id (and version) from a link or arXiv's DOI when
    the layout did not set one. Changes `rec` in place; returns it."""
    rec.doi = normalise_doi(rec.doi) if rec.doi else None
    if not rec.arxiv_id:
        found = _arxiv_in_links(rec)
        if found:
            rec.arxiv_id, version = found
            rec.arxiv_version = rec.arxiv_version or version
    return rec


def _doi_key(doi: str | None) -> str | None:
    """A DOI as a match key; arXiv's own DOIs are the id's key instead."""
    doi = normalise_doi(doi)
    return None if not doi or arxiv_id_of_doi(doi) else doi


def match_keys(rec: Record) -> list[str]:
    keys = []
    arxiv_id = rec.arxiv_id or (_arxiv_in_links(rec) or (None,))[0]
    if arxiv_id:
        keys.append("id:" + arxiv_id)
    doi = _doi_key(rec.doi)
    if doi:
        keys.append("doi:" + doi)
    if rec.title and not rec.title_is_name:  # a short name ("GNN-RAG") names no one paper
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
    published: str | None = None
    doi: str | None = None
    venue: str | None = None
    comments: str | None = None
    code_url: str | None = None
    pdf_url: str | None = None
    link: str | None = None
    keywords: list[str] = field(default_factory=list)

    def natural_key(self) -> str:
        return self.arxiv_id or title_slug(self.title)


def week_of(day: str) -> str | None:
    """The ISO date of the Sunday that closes the week of `day` (YYYY-MM-DD)."""
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return (d + dt.timedelta(days=6 - d.weekday())).isoformat()


def _published(ranked: list[Record]) -> str | None:
    """The most precise date a record gives (a day beats a month beats a year); of
    equally precise ones, the earliest: when the paper first appeared."""
    dates = [r.published for r in ranked if r.published]
    if not dates:
        return None
    best = max(len(d) for d in dates)
    return min(d for d in dates if len(d) == best)


_NAME_ENDS = (":", " -", " –", " —")


def _names_a_longer_title(title: str, titles: list[str]) -> bool:
    """`LongRAG` beside `LongRAG: Enhancing Retrieval-Augmented Generation ...`: a short
    name that another record's title starts with, as a name before its subtitle (a
    digest writes the name, a feed or a BibTeX entry the full title)."""
    name = title.strip()
    if len(name.split()) > 4:
        return False
    low = name.lower()
    return any(t.strip().lower().startswith(low) and t.strip()[len(name):].startswith(_NAME_ENDS)
               for t in titles)


def _first(values: Iterable[str | None]) -> str | None:
    return next((v.strip() for v in values if v and v.strip()), None)


def _link(ranked: list[Record], doi: str | None) -> str | None:
    """The best link that is not the arXiv page: the records' own, else the DOI's."""
    for r in ranked:
        if r.url and not find_arxiv_id(r.url, bare=False):
            return r.url.strip()
    return f"https://doi.org/{doi}" if doi and not arxiv_id_of_doi(doi) else None


def combine(records: list[Record]) -> Merged:
    """Merge the records of one paper; records are in the order they were listed.

    The full real title beats a short name (flagged by its layout, or the name another
    record's title starts with before its colon) and a derived one; the longest abstract
    wins (a digest's summary is never one); every other field is taken from the
    best-ranked record that has it (LAYOUT_RANK), lists are united.
    """
    ranked = sorted(records, key=lambda r: LAYOUT_RANK.get(r.layout, OTHER_RANK))
    titled = [r for r in ranked if r.title]
    real = [r for r in titled if not r.title_is_name
            and not _names_a_longer_title(r.title or "", [t.title or "" for t in titled])]
    abstracts = sorted(ranked, key=lambda r: -len(r.abstract))
    abstract = abstracts[0].abstract if abstracts else ""
    ids = [r.arxiv_id for r in ranked if r.arxiv_id]
    arxiv_id = max(set(ids), key=ids.count) if ids else None
    doi = _first(normalise_doi(r.doi) for r in ranked)
    if real or titled:
        title, derived = (real or titled)[0].title, False
    elif abstract:
        title, derived = derive_title(abstract), True
    else:  # a bare list of ids or links: the id stands in until a merge brings a title
        title = (f"arXiv:{arxiv_id}" if arxiv_id else None) or doi or _first(
            r.url or r.pdf_url for r in ranked) or "(untitled)"
        derived = True

    published = _published(ranked)
    weeks = [r.week for r in records if r.week]
    if published and len(published) == 10:
        weeks.append(week_of(published))
    weeks = sorted(w for w in weeks if w)
    week = weeks[0] if weeks else None
    if week:
        month = week[:7]
    elif published and len(published) >= 7:
        month = published[:7]
    else:
        month = arxiv_month_of(arxiv_id) if arxiv_id else None
    year = next((r.year for r in ranked if r.year), None)
    if year is None and (month or published):
        year = int((month or published)[:4])

    categories: list[str] = []
    for r in ranked:
        for c in r.categories:
            if c not in categories:
                categories.append(c)
    keywords: list[str] = []
    seen: set[str] = set()
    for r in ranked:
        for k in r.keywords:
            if k.strip() and k.strip().lower() not in seen:
                seen.add(k.strip().lower())
                keywords.append(k.strip())
    authors = next((r.authors for r in ranked if r.authors), [])
    date_text = next((r.date_label for r in records if r.date_label), None)
    return Merged(title, derived, abstract, list(authors), year, arxiv_id, week, month,
                  categories, date_text, published=published, doi=doi,
                  venue=_first(r.venue for r in ranked),
                  comments=_first(r.comments for r in ranked),
                  code_url=_first(r.code_url for r in ranked),
                  pdf_url=_first(r.pdf_url for r in ranked),
                  link=_link(ranked, doi), keywords=keywords)
