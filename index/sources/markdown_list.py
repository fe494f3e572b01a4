"""Paper lists written in Markdown: awesome lists, papers-of-the-week READMEs, logs, digests.

    ## Top ML Papers of the Week (June 23 - June 29) - 2025       <- dates what is under it
    | **Paper** | **Links** |
    | --- | --- |
    | 1) **GNN-RAG** - combines GNNs with LLMs ... | [Paper](https://arxiv.org/abs/2405.20139), [Tweet](https://x.com/...) |

    1. [Cedille: A large autoregressive French
      language model](http://arxiv.org/abs/2202.03371v1)

    ### [ELLA: Equip Diffusion Models with LLM ...](https://arxiv.org/abs/2403.05135)
    Authors: Yixiao Fang, Xiwei Hu, ...
    - a summary, in any language

    - **2025-09-09 04:00** · **[Beyond ROUGE: ...](https://arxiv.org/abs/2509.05360)** — _arXiv cs.CL_

Every link to a paper (paper_links.paper_ref: arXiv in any form, a DOI, a
proceedings host, a link the list calls `Paper`) is a record; tweets, repositories,
blogs and badges are not. An entry is the list item, table row, paragraph or
heading section the link sits in. Its title is the link's text, or else the bold
name, the table's title cell, the words before the link, or the heading above; the
rest of the entry's text is the digest's summary (never the abstract: only a
column headed "abstract" is one). A week or date heading above dates an entry; so
does a date of its own (a Date column, a bold date, a `Published on` line).
A Markdown file without paper links (a README, a CHANGELOG) is not a paper list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields

from paperdeck.index.model import DigestError, Record, category_code

from .base import PARAGRAPH_CHARS, split_lines, title_problem
from .dates import iso_date, last_day, printed_day, week_closing
from .document import Document
from .markdown_blocks import Chunk, Link, foreign_shape, read_blocks
from .markdown_entries import SEPARATORS, Entry, Part, Walker, paper_links
from .paper_links import PaperRef, is_code_link, is_generic_label, label_words, paper_ref
from .votes import vote_count

NAME = "markdown"
DESCRIPTION = ("Markdown paper list: links to papers in lists, tables or headings "
               "(awesome lists, papers of the week, reading logs)")

# --- sniff ------------------------------------------------------------------------------

_MD_LINK = re.compile(r"\]\(\s*<?(https?://[^)\s>]+)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(https?://[^\s>]+)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_ITEM_OR_ROW = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|\|)\s")
_BARE = re.compile(r"https?://[^\s<>()\[\]|]+")
_CODE_SPAN = re.compile(r"`[^`]*`")
_SNIFF_LINES = 5000


def sniff(head: str) -> float:
    if foreign_shape(head):
        return 0.0
    papers = links = 0
    for line in split_lines(head)[:_SNIFF_LINES]:
        if "http" not in line:
            continue
        line = _CODE_SPAN.sub("", line)
        found = [(m.group(1), line[line.rfind("[", 0, m.start()) + 1 : m.start()])
                 for m in _MD_LINK.finditer(line)]
        found += [(m.group(1), "") for m in (_REF_DEF.match(line), *_AUTOLINK.finditer(line))
                  if m]
        if not found and _ITEM_OR_ROW.match(line):  # a bare URL in a list item or a row
            found = [(m.group(), "") for m in _BARE.finditer(line)]
        links += len(found)
        papers += sum(1 for url, text in found if paper_ref(url, text))
    if not papers:
        return 0.0
    if papers < 3 and papers * 2 < links:
        return 0.3  # a README that cites its own paper is not a paper list
    return 0.6 + 0.25 * min(1.0, papers / 10)


# --- from an entry to records --------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*(?:\d{1,4}[.)]|[-*+•●▪◦])\s+")
# Where the words that start an entry (its title) end: a double space, a line end,
# a spaced dash or bar, or a full stop that ends a sentence (not `vs.` or `et al.`).
_SEGMENT_END = re.compile(r"  +|\n| [-–—|·] |(?<!\bvs)(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bDr)"
                          r"(?<!\bNo)(?<!\bFig)(?<![ .][A-Z])\. (?=[A-Z])")
# A title taken from running words is at most this long; longer, the words ran on
# into the summary with nothing between them, and the arXiv id must do.
_RUN_WORDS = 20
_DATE_ONLY = re.compile(r"[\d\s:/.,-]+(?:[AaPp]\.?[Mm]\.?|UTC|GMT|Z)?")
_AUTHORS_LINE = re.compile(r"(?im)^\s*(?:authors?|by)\s*[:：]\s*(.+)$")
_DATE_LINE = re.compile(r"(?im)^\s*(?:date|published|submitted)(?:\s+on)?\s*[:：]?\s*(.+)$")
_CATEGORY_LINE = re.compile(r"(?im)^\s*(?:categor(?:y|ies)|subjects?)\s*[:：]\s*(.+)$")
# A vote line (`Vote: 31`, `▲ 1.2k`, `1,204 upvotes`): the listing's upvotes (a repo's
# `stars:` is dropped from the summary, not taken for votes).
_VOTE_LINE = re.compile(r"(?im)^\s*(?:(?:votes?|upvotes?|likes?|stars?)\s*[:：]\s*\d[\d,.]*k?"
                        r"|▲?\s*\d[\d,.]*k?\s*(?:upvotes?|votes?)|▲\s*\d[\d,.]*k?)\s*$")
# An arXiv RSS item's first line: `arXiv:2509.05359v1 Announce Type: new`.
_ANNOUNCE = re.compile(r"(?im)^\s*arxiv:\S+(?:\s+announce type:\s*\S+)?\s*$")
_ABSTRACT_LABEL = re.compile(r"(?im)^\s*abstract\s*[:：]\s*")
_CATEGORY = re.compile(r"(?:arxiv[\s:]+)?((?:cs|stat|math|eess|econ|q-bio|q-fin|physics|"
                       r"astro-ph|cond-mat|nlin|nucl-th|nucl-ex|hep-\w\w|quant-ph|gr-qc)"
                       r"(?:\.[A-Za-z-]{2,})?)", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\[\s*[,;|/]?\s*\]|\(\s*[,;|/]?\s*\)")


# Headings of a document's own sections: never a paper's name.
_SECTION_WORDS = {
    "citing", "citation", "citations", "cite", "how to cite", "bibtex", "reference",
    "references", "paper", "papers", "publication", "publications", "about", "overview",
    "introduction", "abstract", "summary", "notes", "license", "licence", "usage",
    "installation", "install", "news", "updates", "acknowledgements", "acknowledgments",
    "contributing", "contents", "table of contents", "resources", "links", "related work",
    "further reading", "reading list", "reading notes", "background", "method", "results",
}


def _is_date(text: str) -> bool:
    s = text.strip()
    return bool(s) and (bool(_DATE_ONLY.fullmatch(s)) and any(c.isdigit() for c in s)
                        or (len(s) <= 30 and iso_date(s) is not None and len(s.split()) <= 4))


def _clean_title(text: str) -> str | None:
    """A candidate title made tidy, or None when it cannot be one."""
    t = " ".join(_NUMBERING.sub("", text).split()).strip(SEPARATORS + "[]*_\"'“”")
    if not t or title_problem(t) or _is_date(t) or is_generic_label(t):
        return None
    return t


def _leading(chunk: Chunk, prose: bool = False) -> tuple[str, int, int] | None:
    """The words a chunk starts with, up to a separator or its first link, and their span.

    In `prose` (a paragraph, not a list item or a cell), words that run into the link
    with nothing between them are a sentence (`please cite [our paper](...)`), no title.
    """
    text = chunk.text
    stop = min([link.start for link in chunk.links] + [len(text)])
    m = _NUMBERING.match(text)
    start = m.end() if m else 0
    seg = _SEGMENT_END.search(text, start, stop)
    end = seg.start() if seg else stop
    if end - start > PARAGRAPH_CHARS or len(text[start:end].split()) > _RUN_WORDS:
        return None
    if prose and not seg and text[start:end].rstrip()[-1:].isalnum():
        return None
    title = _clean_title(text[start:end])
    return (title, start, end) if title else None


def _taken(chunk: Chunk, start: int, end: int, named: bool = False) -> tuple:
    """Where a title was taken from: (chunk, start, end, set as a name, cut from the
    summary). A title in the middle of a sentence (`... based on [A Survey](...).`)
    stays in the summary's words; one that heads the entry does not."""
    before = chunk.text[chunk.text.rfind("\n", 0, start) + 1:start]
    for a, b in chunk.strong:  # a bold date before it is cut too
        if b <= start and _is_date(chunk.text[a:b]):
            before = before.replace(chunk.text[a:b], "")
    before = _NUMBERING.sub("", before).strip(SEPARATORS + "*_[(\"'“")
    heads = not before[-1:].isalnum()
    return chunk, start, end, named, heads


def _first_bold(chunk: Chunk) -> tuple[str, int, int] | None:
    for start, end in chunk.strong:
        if any(link.start < end and start < link.end for link in chunk.links):
            continue  # a bold link is a link
        title = _clean_title(chunk.text[start:end])
        if title:
            return title, start, end
    return None


@dataclass
class _Paper:
    """One paper of an entry: its refs (abs and pdf links, a DOI and an arXiv link) and links."""

    refs: list[PaperRef]
    links: list[tuple[Part, Link]]

    def first(self, attr: str):
        return next((getattr(r, attr) for r in self.refs if getattr(r, attr)), None)


def _papers(entry: Entry) -> list[_Paper]:
    """The entry's paper links, grouped into papers."""
    by_key: dict[str, _Paper] = {}
    for part in entry.parts:
        for link, ref in paper_links(part):
            paper = by_key.setdefault(ref.key, _Paper([], []))
            if ref not in paper.refs:
                paper.refs.append(ref)
            paper.links.append((part, link))
    papers = list(by_key.values())
    if len(papers) > 1:
        # `[Title](venue link) [[arXiv](...)]`: one titled link and labels, at most one
        # arXiv id and one DOI between them, are one paper linked several ways.
        titled = [p for p in papers if any(not is_generic_label(link.text(part.chunk))
                                           and not link.image_only for part, link in p.links)]
        ids = {r.arxiv_id for p in papers for r in p.refs if r.arxiv_id}
        dois = {r.doi for p in papers for r in p.refs if r.doi}
        if len(titled) <= 1 and len(ids) <= 1 and len(dois) <= 1:
            merged = _Paper([r for p in papers for r in p.refs],
                            [pl for p in papers for pl in p.links])
            return [merged]
    return papers


class _Reader:
    """Builds the records of the entries, with what a record must not be (title checks)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.rejected: list[tuple[int, str]] = []  # (line, why) of titles refused

    def records(self, entry: Entry, alone_in_section: bool) -> Iterator[Record]:
        papers = _papers(entry)
        single = len(papers) == 1
        for paper in papers:
            yield from self._record(entry, paper, single, alone_in_section)

    def _title(self, entry: Entry, paper: _Paper, single: bool,
               alone: bool) -> tuple[str | None, tuple[Chunk, int, int] | None]:
        """(title, the span it was taken from, to keep it out of the summary)."""
        for part, link in paper.links:
            text = link.text(part.chunk)
            if link.image_only or is_generic_label(text) or link.bare:
                continue
            title = _clean_title(text)
            if title:
                return title, _taken(part.chunk, link.start, link.end)
            self.rejected.append((part.chunk.line_at(link.start),
                                  title_problem(text) or "a date"))
        if not single:
            return None, None
        heading = _clean_title(entry.heading or "") if alone else None
        if heading and (last_day(heading, 2000) or printed_day(heading)
                        or label_words(heading) in _SECTION_WORDS):
            heading = None  # a date heading dates the entry, `## Citing` is no paper's name
        in_table = any(p.header is not None for p in entry.parts)
        parts = [p for p in entry.parts if p.role == "title" or not (in_table or p.role)]
        # in a table, only the title column names the paper
        for part in parts:
            found = _first_bold(part.chunk)
            if found:
                return found[0], _taken(part.chunk, found[1], found[2], named=True)
        if heading and entry.kind == "para":
            return heading, None  # `### Name` over a paragraph of prose with the link
        for part in parts:
            found = _leading(part.chunk, prose=entry.kind == "para")
            if found:
                return found[0], _taken(part.chunk, found[1], found[2], named=True)
        for chunk in entry.parent:
            found = _first_bold(chunk) or _leading(chunk)
            if found:
                return found[0], None
        return heading, None

    def _record(self, entry: Entry, paper: _Paper, single: bool,
                alone: bool) -> Iterator[Record]:
        line = entry.line if single else min(p.chunk.line_at(link.start)
                                              for p, link in paper.links)
        title, taken = self._title(entry, paper, single, alone)
        arxiv_id = paper.first("arxiv_id")
        doi = paper.first("doi")
        url = paper.first("url")
        if not (title or arxiv_id or doi):
            self.doc.warn("a paper link without a title, an arXiv id or a DOI: passed over", line)
            return
        rec = Record(layout=NAME, line=line, abstract="", title=title, arxiv_id=arxiv_id,
                     arxiv_version=paper.first("version"), doi=doi,
                     week=entry.when.week, date_label=entry.when.label)
        # A one-word title is a name (`T5`, `MEM1`); so are a few words set in bold or
        # before a dash in a digest's row (`**GNN-RAG**`, `Leaky Thoughts  This work ...`).
        named = bool(taken and taken[3])
        rec.title_is_name = bool(title) and ":" not in title and (
            len(title.split()) == 1 or (named and len(title.split()) <= 3))
        if url and is_code_link(url):
            rec.code_url = url
        elif url:
            rec.url = url
            if url.lower().split("?")[0].endswith(".pdf"):
                rec.pdf_url = url
        its_links = {id(link) for _, link in paper.links}
        for part in entry.parts:
            for link in part.chunk.links:
                if id(link) not in its_links and is_code_link(link.href) and not rec.code_url:
                    rec.code_url = link.href
        if single:
            self._fields(rec, entry, taken)
        if rec.published and not rec.week and len(rec.published) == 10:
            rec.week = week_closing(rec.published)
        yield rec

    def _fields(self, rec: Record, entry: Entry, taken) -> None:
        """Summary, authors, dates, categories, keywords: what the entry says beside its link."""
        pieces: list[str] = []
        for part in entry.parts:
            value = " ".join(part.chunk.text.split())
            role = part.role
            if role == "abstract":
                rec.abstract = value
            elif role == "date":
                self._date(rec, value)
            elif role == "authors":
                rec.authors = _authors(value)
            elif role == "venue":
                rec.venue = value or None
            elif role == "keywords":
                rec.keywords = [k.strip() for k in re.split(r"[,;/]", value) if k.strip()]
            elif role == "category":
                for c in re.split(r"[,;]", value):
                    _category(rec, c)
            elif role in ("links", "code"):
                continue
            else:
                text = _beside(part.chunk, taken, rec)
                if role is None and part.header and text.strip(SEPARATORS):
                    text = f"{part.header}: {text}"  # a column of its own: say which
                pieces.append(text)
        pieces.extend(_beside(chunk, None, rec) for chunk in entry.extra)
        text = "\n".join(pieces)
        for m in _AUTHORS_LINE.finditer(text):
            rec.authors = rec.authors or _authors(m.group(1))
        # a `Published on ...` line whose date is read is that date, not summary
        text = _DATE_LINE.sub(lambda m: "" if self._date(rec, m.group(1)) else m.group(), text)
        for m in _CATEGORY_LINE.finditer(text):
            for c in re.split(r"[,;\s]+", m.group(1)):
                _category(rec, c)
        for m in _VOTE_LINE.finditer(text):
            if rec.upvotes is None:
                rec.upvotes = vote_count(m.group())
        for pattern in (_AUTHORS_LINE, _CATEGORY_LINE, _VOTE_LINE, _ANNOUNCE):
            text = pattern.sub("", text)
        # The clippings digest quotes the arXiv abstract after `Abstract:`, cut at a
        # fixed length mid-word: a cut quote is the digest's excerpt, not the abstract
        # (an abstract is whole; a merge with a source that has it shows both).
        text = _ABSTRACT_LABEL.sub("", text)
        summary = " ".join(_EMPTY_BRACKETS.sub(" ", text).split())
        summary = _NUMBERING.sub("", summary).strip(SEPARATORS)
        rec.summary = summary if any(c.isalpha() for c in summary) else None

    @staticmethod
    def _date(rec: Record, text: str) -> bool:
        """Take the entry's own date from `text`; whether there was one."""
        day = iso_date(text)
        if day:
            if not rec.published:
                rec.published, rec.year = day, int(day[:4])
            return True
        printed = printed_day(text)
        if printed and not rec.date_label:
            rec.date_label = printed
        return bool(printed)


def _category(rec: Record, text: str) -> None:
    code = category_code(text.strip())
    if _CATEGORY.fullmatch(code) and code not in rec.categories:
        rec.categories.append(code)


def _authors(text: str) -> list[str]:
    names = [" ".join(n.split()) for n in re.split(r"\s*(?:[,;]|\band\b|&)\s*", text)]
    return [n for n in names if n and any(c.isalpha() for c in n) and len(n) <= 100
            and n.lower().rstrip(".") not in ("et al", "others", "etc")]


def _beside(chunk: Chunk, taken, rec: Record) -> str:
    """The chunk's text without the title, the paper's and labelled links, dates and
    category tags (those go to their fields)."""
    cut: list[tuple[int, int]] = []
    title_span = (taken[1], taken[2]) if taken and taken[0] is chunk else None
    if title_span and taken[4]:
        cut.append(title_span)
    for link in chunk.links:
        if (link.start, link.end) == title_span:
            continue  # decided above
        if is_generic_label(link.text(chunk)) or link.image_only:
            cut.append((link.start, link.end))
    for start, end in chunk.strong:
        if _is_date(chunk.text[start:end]):
            _Reader._date(rec, chunk.text[start:end])
            cut.append((start, end))
    for start, end in chunk.em + chunk.code:
        m = _CATEGORY.fullmatch(chunk.text[start:end].strip())
        if m:
            _category(rec, m.group(1))
            cut.append((start, end))
    out, pos = [], 0
    for start, end in sorted(cut):
        if start >= pos:
            out.append(chunk.text[pos:start])
            out.append(" ")
            pos = end
    out.append(chunk.text[pos:])
    return "".join(out)


# --- parse ---------------------------------------------------------------------------------

_FILLABLE = [f.name for f in fields(Record)
             if f.name not in ("layout", "line", "title_is_name")]


def _fill(first: Record, later: Record) -> None:
    """A paper listed twice under one date: the first listing, completed by the second."""
    if not first.title:  # the first listing's title stands, and what kind of title it is
        first.title_is_name = later.title_is_name
    for name in _FILLABLE:
        if not getattr(first, name) and getattr(later, name):
            setattr(first, name, getattr(later, name))


def parse(doc: Document) -> Iterator[Record]:
    text = doc.text()
    shape = foreign_shape(text)
    if shape:
        raise DigestError(f"this is {shape}, not Markdown: no paper list to read", line=1)
    walker = Walker()
    walker.blocks(read_blocks(text))
    per_section: dict[int, int] = {}
    for entry in walker.entries:
        per_section[entry.section] = per_section.get(entry.section, 0) + 1
    reader = _Reader(doc)
    seen: dict[tuple, Record] = {}
    out: list[Record] = []
    for entry in walker.entries:
        for rec in reader.records(entry, per_section[entry.section] == 1):
            key = (rec.arxiv_id or rec.doi or rec.url or rec.code_url or rec.title,
                   rec.week, rec.date_label)
            if key in seen:
                _fill(seen[key], rec)
                continue
            seen[key] = rec
            out.append(rec)
    if reader.rejected and len(reader.rejected) * 2 > len(walker.entries):
        line, why = reader.rejected[0]
        raise DigestError(f"{why} is not a title: this does not read as a Markdown paper list",
                          line=line)
    if not out:
        raise DigestError("no paper links: not a paper list (a README or notes?)")
    yield from out
