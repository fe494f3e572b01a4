"""A daily or trending papers page saved as Markdown (html2text, MarkDownload, a browser add-on).

    Mar 11                                              <- the page's date: no year
    ### [One Eye is All You Need: Lightweight Ensembles for Gaze Estimation with
    ### Single Encoders][3]                             <- a title wrapped over two lines
    * 3 authors
    Published on Mar 8, 2024
    ▲ 42
    Gaze estimation has grown rapidly in accuracy in recent years. However, these
    models often fail to take advantage of ...           <- the abstract, hard-wrapped
    ...
    [3]: https://huggingface.co/papers/2403.05123

The same pages as the daily-papers and trending layouts read as text, so what they
read is read here alike: the paragraphs under a title are the paper's abstract (the
page prints it), not a digest's summary. A page date without a year (`Mar 11`, or
`Published on Jun 29`) is kept as printed (date_label); one with a year is a
published date. The upvotes (`▲ 42`, `1.2k upvotes`) are the listing's; author counts
are passed over (`3 authors` names nobody). Some saves print every block twice: a paper met again under the same
date is the same record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import split_lines, title_problem
from .dates import iso_date, week_closing
from .document import Document
from .markdown_blocks import Block, Chunk, foreign_shape, read_blocks
from .paper_links import PaperRef, paper_ref
from .votes import vote_count

NAME = "papers-page-md"
DESCRIPTION = ("daily or trending papers page saved as Markdown: '### [Title](…/papers/ID)', "
               "authors, upvotes, abstract")

_HF_PAPER = re.compile(r"huggingface\.co/papers/\d{4}\.\d{4,5}", re.IGNORECASE)
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
_PAGE_DATE = re.compile(rf"{_MONTHS} \d{{1,2}}(?:, \d{{4}})?")
_PUBLISHED = re.compile(rf"(?i)^[·•\s]*(?:published|submitted)(?: on)?\s*:?\s*"
                        rf"({_MONTHS} \d{{1,2}}(?:,? \d{{4}})?|\d{{4}}-\d\d-\d\d)\s*$")
# What a page prints around a paper that is neither title nor abstract.
_CHROME = re.compile(
    r"(?i)^[·•*\s]*(?:\d[\d,.]*k?\s*authors?|▲?\s*[\d,.]+k?\s*(?:upvotes?|votes?)?|▲"
    r"|submitted by\b.*|\d+\s*comments?|get trending papers.*|subscribe|new|"
    r"by ?ak and the research community|daily papers|trending papers|view all.*|upvote)\s*$")
_MARKERS = re.compile(r"(?im)^[·•*\s]*(?:\d+\s+authors|published on\b|submitted by\b|"
                      r"▲\s*\d|\d+\s+upvotes)|get trending papers")
# A vote line: `▲ 42`, `▲ 1.2k`, `42 upvotes`, `Upvotes: 1,204` (a bare number is not
# taken: a comment count prints the same).
_VOTES = re.compile(r"(?i)^[·•*\s]*(?:▲\s*([\d,.]+k?)|([\d,.]+k?)\s*(?:upvotes?|votes?)"
                    r"|(?:upvotes?|votes?)\s*[:：]\s*([\d,.]+k?))\s*$")
_PROSE_WORDS = 12  # a paragraph of fewer words under a title is page chrome, not abstract


def sniff(head: str) -> float:
    if foreign_shape(head):
        return 0.0
    lines = split_lines(head)[:5000]
    papers = {m.group().lower() for line in lines for m in _HF_PAPER.finditer(line)
              if "](" in line or re.match(r"\s{0,3}\[[^\]]+\]:", line)}
    titles = sum(1 for line in lines if re.match(r"\s{0,3}(?:#{1,6}\s+|\*\*)\[", line))
    markers = sum(1 for line in lines if _MARKERS.search(line))
    if len(papers) < 2 or not titles or not markers:
        return 0.0
    return 0.9 + 0.05 * min(1.0, markers / (2 * len(papers)))


def _title_link(block: Block) -> tuple[str, PaperRef] | None:
    """(title, paper) when `block` is a paper's title: a heading or a paragraph that is
    one link to the paper, its text a title."""
    if block.kind not in ("heading", "para") or block.chunk is None:
        return None
    chunk = block.chunk
    if len(chunk.links) != 1:
        return None
    link = chunk.links[0]
    outside = (chunk.text[:link.start] + chunk.text[link.end:]).strip(" *_\n")
    ref = paper_ref(link.href)
    title = link.text(chunk)
    if outside or ref is None or not (ref.arxiv_id or ref.doi) or title_problem(title):
        return None
    return title, ref


def _lines(chunk: Chunk) -> list[str]:
    return [" ".join(line.split()) for line in chunk.text.split("\n") if line.strip()]


class _Page:
    def __init__(self) -> None:
        self.label: str | None = None  # the page date as printed (no year)
        self.week: str | None = None  # or the week of a page date with a year
        self.records: list[Record] = []
        self.seen: dict[tuple, Record] = {}
        self.current: Record | None = None
        self.abstract: list[str] = []

    def date(self, text: str) -> None:
        day = iso_date(text)
        self.label, self.week = (None, week_closing(day)) if day else (text, None)

    def close(self) -> None:
        rec, self.current = self.current, None
        if rec is None:
            return
        rec.abstract = " ".join(" ".join(self.abstract).split())
        self.abstract = []
        key = (rec.arxiv_id or rec.doi, rec.week, rec.date_label)
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = rec
            self.records.append(rec)
        else:  # the same block again: completes the first, if anything
            first.abstract = first.abstract or rec.abstract
            if first.upvotes is None:
                first.upvotes = rec.upvotes

    def title(self, line: int, title: str, ref: PaperRef) -> None:
        self.close()
        self.current = Record(layout=NAME, line=line, abstract="", title=title,
                              arxiv_id=ref.arxiv_id, arxiv_version=ref.version, doi=ref.doi,
                              url=ref.url, week=self.week, date_label=self.label)

    def text(self, chunk: Chunk) -> None:
        prose = []
        for line in _lines(chunk):
            if _PAGE_DATE.fullmatch(line):
                # under a title, before its abstract: the paper's date; else the page's
                # (a page spanning several days dates what follows anew)
                if self.current is not None and not self.abstract:
                    self._published(line)
                else:
                    self.close()
                    self.date(line)
                continue
            if self.current is None:
                continue
            published = _PUBLISHED.match(line)
            votes = _VOTES.match(line)
            if votes:
                if self.current.upvotes is None:
                    self.current.upvotes = vote_count(next(g for g in votes.groups() if g))
            elif published:
                self._published(published.group(1))
            elif not _CHROME.fullmatch(line):
                prose.append(line)
        if len(" ".join(prose).split()) >= _PROSE_WORDS:  # fewer: page chrome
            self.abstract.extend(prose)

    def _published(self, text: str) -> None:
        rec = self.current
        assert rec is not None
        day = iso_date(text)
        if day:
            rec.published, rec.year = day, int(day[:4])
        elif not rec.date_label:
            rec.date_label = text


def _blocks(blocks: list[Block]) -> Iterator[Block]:
    """Headings and paragraphs in page order (a list item's paragraphs included)."""
    for block in blocks:
        if block.kind in ("heading", "para"):
            yield block
        elif block.kind == "item":
            yield from _blocks(block.children)


def parse(doc: Document) -> Iterator[Record]:
    text = doc.text()
    shape = foreign_shape(text)
    if shape:
        raise DigestError(f"this is {shape}, not a papers page saved as Markdown", line=1)
    page = _Page()
    for block in _blocks(read_blocks(text)):
        found = _title_link(block)
        if found:
            page.title(block.line, *found)
        elif block.chunk is not None:
            if page.current is not None and page.abstract and block.kind == "heading":
                page.close()  # a heading of the page's own ends the paper above
            page.text(block.chunk)
    page.close()
    if not page.records:
        raise DigestError("no paper titles linking to a paper page (such as "
                          "'### [Title](https://huggingface.co/papers/ID)') found")
    if not _MARKERS.search(text):
        # titles linking to papers, but none of a papers page's lines around them: a
        # paper list (its text is a digest's summary, not an abstract), not this page
        raise DigestError("a paper title, but no line of a papers page (N authors, upvotes, "
                          "'Published on') anywhere: this is a Markdown paper list",
                          line=page.records[0].line)
    yield from page.records
