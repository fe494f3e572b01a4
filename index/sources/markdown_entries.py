"""Where the paper links of a Markdown list sit: its entries, and the dates above them.

An entry is the list item, table row, paragraph or heading section that holds a
link to a paper, with the text beside the link: a nested item or a paragraph under
a paper's heading that links no paper of its own belongs to it. Headings above an
entry date it (a week or a day, or a date printed without a year). markdown_list.py
makes records of the entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import last_day, printed_day, week_closing
from .markdown_blocks import Block, Chunk, Link, bare_links
from .paper_links import PaperRef, paper_ref

# What a title or a summary is trimmed of at its ends.
SEPARATORS = " \t\n-–—·•|:;,/"

# A table column's role, by its header (lower-case, markup and punctuation dropped).
COLUMNS = {
    "title": {"title", "paper", "papers", "paper title", "name", "paper name", "article"},
    "date": {"date", "published", "publication date", "week", "time", "year", "month", "day",
             "release date", "released"},
    "authors": {"author", "authors", "by"},
    "keywords": {"keywords", "keyword", "tags", "tag", "topic", "topics", "field", "area"},
    "category": {"category", "categories", "subject", "subjects", "primary category"},
    "summary": {"summary", "description", "tl dr", "tldr", "notes", "note", "comment",
                "comments", "highlights", "contribution", "contributions", "remarks", "idea"},
    "abstract": {"abstract"},
    "venue": {"venue", "conference", "journal", "publication", "published in", "conf"},
    "code": {"code", "github", "repo", "repository", "implementation", "official code"},
    "links": {"link", "links", "url", "urls", "pdf", "arxiv", "paper link", "paper links",
              "paper url", "arxiv link", "resources"},
}


def column_role(header: str) -> str | None:
    key = " ".join(re.sub(r"[^\w\s]+", " ", header.lower()).split())
    return next((role for role, names in COLUMNS.items() if key in names), None)


@dataclass
class When:
    """The listing date an entry inherits from the headings above it."""

    week: str | None = None
    label: str | None = None


@dataclass
class Part:
    """A chunk of an entry, and the table column it sits in (None outside tables)."""

    chunk: Chunk
    role: str | None = None
    header: str | None = None
    papers: list[tuple[Link, PaperRef]] | None = None  # its paper links, once looked at


@dataclass
class Entry:
    kind: str  # the block it is: "para", "item", "row" or "heading"
    line: int
    parts: list[Part]  # where its paper links are, and the text beside them
    when: When
    heading: str | None  # the nearest heading above (a title of last resort)
    section: int
    extra: list[Chunk] = field(default_factory=list)  # text under it without paper links
    parent: list[Chunk] = field(default_factory=list)  # the list item it is nested in


def paper_links(part: Part) -> list[tuple[Link, PaperRef]]:
    if part.papers is None:
        part.papers = _find_paper_links(part)
    return part.papers


def _find_paper_links(part: Part) -> list[tuple[Link, PaperRef]]:
    chunk = part.chunk
    # A Paper column's cell that is a link (and nothing more) links to the paper,
    # wherever it goes; a link inside a sentence of that cell does not.
    link_cell = part.role == "title" and not _outside_links(chunk).strip(SEPARATORS + "[]()")
    found = []
    for link in chunk.links:
        ref = paper_ref(link.href, link.text(chunk), in_paper_column=link_cell)
        if ref is not None:
            found.append((link, ref))
    return found


def _outside_links(chunk: Chunk) -> str:
    out, pos = [], 0
    for link in chunk.links:
        out.append(chunk.text[pos:link.start])
        pos = max(pos, link.end)
    out.append(chunk.text[pos:])
    return "".join(out)


def _is_year(text: str) -> int | None:
    m = re.fullmatch(r"\W*((?:19|20)\d\d)\W*", text)
    return int(m.group(1)) if m else None


class Walker:
    """Goes through the blocks once, keeping the headings above, collecting entries."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.headings: list[tuple[int, str, bool]] = []  # (level, text, is a paper's heading)
        self.section = 0
        self.open: tuple[Entry, int] | None = None  # a paper heading's entry and level
        self._when: When | None = None  # of the headings now above

    def when(self) -> When:
        if self._when is None:
            self._when = self._read_when()
        return self._when

    def _read_when(self) -> When:
        year = None
        for _, text, _ in self.headings:  # a year heading above gives its year to dates below
            year = _is_year(text) or year
        for _, text, paper in reversed(self.headings):
            if paper:
                continue
            day = last_day(text, year)
            if day:
                return When(week=week_closing(day))
            printed = printed_day(text)
            if printed:
                return When(label=printed)
        return When()

    def heading_text(self) -> str | None:
        return self.headings[-1][1] if self.headings else None

    def entry(self, kind: str, parts: list[Part], line: int,
              parent: list[Chunk] | None = None) -> Entry:
        entry = Entry(kind, line, parts, self.when(), self.heading_text(), self.section,
                       parent=parent or [])
        self.entries.append(entry)
        return entry

    def blocks(self, blocks: list[Block], owner: Entry | None = None,
               parent: list[Chunk] | None = None) -> None:
        for block in blocks:
            if block.kind == "heading":
                self.heading(block)
            elif block.kind == "para":
                assert block.chunk is not None
                part = Part(block.chunk)
                if paper_links(part):
                    self.entry("para", [part], block.line, parent)
                elif (target := owner or (self.open[0] if self.open else None)) is not None:
                    target.extra.append(block.chunk)
            elif block.kind == "item":
                self.item(block, owner, parent)
            elif block.kind == "table":
                self.table(block, owner)

    def heading(self, block: Block) -> None:
        assert block.chunk is not None
        text = " ".join(block.chunk.text.split())
        part = Part(block.chunk)
        papers = paper_links(part)
        while self.headings and self.headings[-1][0] >= block.level:
            self.headings.pop()
        self.headings.append((block.level, text, bool(papers)))
        self._when = None
        self.section += 1
        if self.open and block.level <= self.open[1]:
            self.open = None
        if papers:
            self.open = (self.entry("heading", [part], block.line), block.level)

    def item(self, block: Block, owner: Entry | None, parent: list[Chunk] | None) -> None:
        own = [b.chunk for b in block.children if b.kind == "para" and b.chunk is not None]
        nested = [b for b in block.children if b.kind != "para"]
        for chunk in own:
            bare_links(chunk)  # GitHub shows a bare URL in a list item as a link
        parts = [Part(chunk) for chunk in own]
        if any(paper_links(part) for part in parts):
            entry = self.entry("item", parts, block.line, parent)
            self.blocks(nested, owner=entry, parent=own)
            return
        target = owner or (self.open[0] if self.open else None)
        if target is not None:
            target.extra.extend(own)
        self.blocks(nested, owner=owner, parent=own or parent)

    def table(self, block: Block, owner: Entry | None) -> None:
        roles = [column_role(h) for h in block.header]
        for row in block.children:
            parts = []
            for i, cell in enumerate(row.cells):
                bare_links(cell)
                header = block.header[i] if i < len(block.header) else None
                parts.append(Part(cell, roles[i] if i < len(roles) else None, header))
            if any(paper_links(part) for part in parts):
                self.entry("row", parts, row.line)
