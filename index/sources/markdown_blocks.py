"""Markdown read into the blocks a paper list is made of, with markdown-it-py.

A paper list in Markdown is headings, paragraphs, list items and table rows, each
with inline text, links, bold and italic spans. markdown-it-py (CommonMark with
the GFM table rule) does the reading: this module turns its token stream into a
small tree of `Block`s whose inline content is a `Chunk` (plain text with the
offsets of its links and bold/italic spans, and the 1-based line it starts on).
Nothing here knows about papers; markdown_list.py and papers_page_md.py do. Also
here: telling a file that is plainly not Markdown (JSON, HTML, BibTeX, CSV).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .base import split_lines

# CommonMark, plus GFM tables. Raw HTML stays HTML (a `<details>` block is not
# text), and nesting deeper than 20 levels is cut by markdown-it itself.
_MD = MarkdownIt("commonmark").enable("table")
# The href as written is what the link finders want: no percent-encoding or
# punycode (which also costs a third of the parse time on a large README).
_MD.normalizeLink = lambda url: url  # type: ignore[method-assign]

# A bare URL in running text. GitHub shows it as a link (GFM's autolink
# extension); CommonMark does not. Callers decide where to believe it.
_BARE_URL = re.compile(r"(?<![\w/@.])https?://[^\s<>\[\]\"'`]+", re.IGNORECASE)
_URL_TAIL = ".,:;!?*_~'\""
_BREAK_TAGS = re.compile(r"<br\s*/?>|</?p>|</li>", re.IGNORECASE)


@dataclass
class Link:
    href: str
    start: int  # offsets of the link's text in Chunk.text
    end: int
    bare: bool = False  # a URL in running text, not Markdown link syntax
    image_only: bool = False  # the link wraps only an image (a badge, a thumbnail)

    def text(self, chunk: Chunk) -> str:
        return " ".join(chunk.text[self.start:self.end].split())


@dataclass
class Chunk:
    """One run of inline Markdown (a heading, a paragraph, a table cell) as text.

    Line breaks are kept as "\\n"; links, bold and italic spans are offsets
    into `text`, so that a caller can take a title out of the text beside it.
    """

    text: str
    line: int  # 1-based line of the first character
    links: list[Link] = field(default_factory=list)
    strong: list[tuple[int, int]] = field(default_factory=list)
    em: list[tuple[int, int]] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    raw: str = ""  # the Markdown source of the run (to read a wrapped heading again)

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


@dataclass
class Block:
    """A heading, paragraph, list item, table or table row, and what it holds.

    kind "heading" and "para" have a `chunk`; "item" has `children` (its
    paragraphs, then its nested items); "table" has `header` (cell texts) and
    `children` (its rows); "row" has `cells`.
    """

    kind: str
    line: int
    level: int = 0  # heading level, 1 to 6
    chunk: Chunk | None = None
    cells: list[Chunk] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    def walk(self) -> Iterator[Block]:
        """This block and every block inside it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def chunks(self) -> Iterator[Chunk]:
        for block in self.walk():
            if block.chunk is not None:
                yield block.chunk
            yield from block.cells


def _chunk(children: list[Token], line: int) -> Chunk:
    """A Chunk of an inline token's children."""
    parts: list[str] = []
    size = 0
    chunk = Chunk("", line)
    open_links: list[tuple[Link, bool]] = []  # (link, has text other than images)
    strong: list[int] = []
    em: list[int] = []
    for tok in children:
        kind = tok.type
        text = ""
        if kind == "text":
            text = tok.content
        elif kind in ("softbreak", "hardbreak"):
            text = "\n"
        elif kind == "code_inline":
            chunk.code.append((size, size + len(tok.content)))
            text = tok.content
        elif kind == "html_inline":
            text = "\n" if _BREAK_TAGS.fullmatch(tok.content.strip()) else ""
        elif kind == "link_open":
            link = Link(str(tok.attrs.get("href", "")), size, size)
            chunk.links.append(link)
            open_links.append((link, False))
        elif kind == "link_close" and open_links:
            link, has_text = open_links.pop()
            link.end = size
            link.image_only = not has_text
        elif kind == "strong_open":
            strong.append(size)
        elif kind == "strong_close" and strong:
            chunk.strong.append((strong.pop(), size))
        elif kind == "em_open":
            em.append(size)
        elif kind == "em_close" and em:
            chunk.em.append((em.pop(), size))
        # images add nothing: their alt text is not the list's text
        if text:
            if open_links and text.strip():
                open_links[-1] = (open_links[-1][0], True)
            parts.append(text)
            size += len(text)
    chunk.text = "".join(parts)
    return chunk


def bare_links(chunk: Chunk) -> None:
    """Add the bare URLs of `chunk`'s text outside its links as links (GFM autolinks)."""
    taken = [(link.start, link.end) for link in chunk.links] + chunk.code
    for m in _BARE_URL.finditer(chunk.text):
        url = m.group().rstrip(_URL_TAIL)
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1]
        start, end = m.start(), m.start() + len(url)
        if not any(a <= start < b for a, b in taken):
            chunk.links.append(Link(url, start, end, bare=True))
    chunk.links.sort(key=lambda link: link.start)


def _line(tok: Token, default: int) -> int:
    return tok.map[0] + 1 if tok.map else default


def _unclosed_bracket(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
    return depth > 0


class _Builder:
    def __init__(self, tokens: list[Token], env: dict):
        self.tokens = tokens
        self.env = env
        self.i = 0

    def blocks(self, until: str | None = None) -> list[Block]:
        """Blocks up to the closing token `until` (or the end of the stream)."""
        out: list[Block] = []
        toks = self.tokens
        while self.i < len(toks):
            tok = toks[self.i]
            kind = tok.type
            if until is not None and kind == until:
                self.i += 1
                return out
            self.i += 1
            if kind == "heading_open":
                inline = toks[self.i]
                self.i += 2  # inline, heading_close
                line = _line(tok, 1)
                out.append(Block("heading", line, level=int(tok.tag[1:]),
                                 chunk=self._inline(inline, line)))
            elif kind == "paragraph_open":
                inline = toks[self.i]
                self.i += 2
                line = _line(tok, 1)
                out.append(Block("para", line, chunk=self._inline(inline, line)))
            elif kind == "list_item_open":
                out.append(Block("item", _line(tok, 1), children=self.blocks("list_item_close")))
            elif kind == "table_open":
                out.append(self._table(tok))
            elif kind in ("blockquote_open", "bullet_list_open", "ordered_list_open"):
                # a quote's or a list's blocks count as the enclosing level's
                out.extend(self.blocks(kind.replace("_open", "_close")))
            # code, fences, raw HTML, rules: not a paper list's text
        return out

    def _inline(self, tok: Token, line: int) -> Chunk:
        chunk = _chunk(tok.children or [], line)
        chunk.raw = tok.content
        return chunk

    def _table(self, open_tok: Token) -> Block:
        table = Block("table", _line(open_tok, 1))
        row: Block | None = None
        in_head = False
        toks = self.tokens
        while self.i < len(toks):
            tok = toks[self.i]
            self.i += 1
            if tok.type == "table_close":
                break
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = Block("row", _line(tok, table.line))
            elif tok.type == "tr_close" and row is not None:
                if not in_head:
                    table.children.append(row)
                row = None
            elif tok.type == "inline" and row is not None:
                chunk = self._inline(tok, row.line)
                if in_head:
                    table.header.append(" ".join(chunk.text.split()))
                else:
                    row.cells.append(chunk)
        return table


def _join_wrapped_headings(blocks: list[Block], env: dict) -> list[Block]:
    """`### [A long title` + `### wrapped][3]`: one heading, its link read again.

    Some savers wrap a long heading over two heading lines (or a heading line and
    a paragraph line); neither half is a link alone.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (block.kind == "heading" and nxt is not None and block.chunk is not None
                and nxt.chunk is not None and nxt.line == block.line + 1
                and nxt.kind in ("heading", "para")
                and (nxt.kind == "para" or nxt.level == block.level)
                and not block.chunk.links and _unclosed_bracket(block.chunk.text)):
            raw = f"{block.chunk.raw} {nxt.chunk.raw}"
            [inline] = _MD.parseInline(raw, env)
            chunk = _chunk(inline.children or [], block.line)
            chunk.raw = raw
            out.append(Block("heading", block.line, level=block.level, chunk=chunk))
            i += 2
            continue
        if block.children:
            block.children = _join_wrapped_headings(block.children, env)
        out.append(block)
        i += 1
    return out


# How a JSON document starts (`{"`, `[{`, `[`, `[1,`, `["a",`), and not a Markdown one
# (`[Title](...)`, `[![badge](...)](...)`, `[1] A reference`, `{% raw %}`).
_JSON_START = re.compile(r'\{\s*(?:$|"|\})|\[\s*(?:$|\{|\[\s*[-\d"{\[]|(?:"[^"]*"|-?\d[\d.eE+-]*'
                         r'|true|false|null)\s*(?:[,:]|\]\s*$))')


def foreign_shape(head: str) -> str | None:
    """What a file whose head this is looks like when it is plainly not Markdown
    (JSON, XML or HTML, BibTeX, a CSV header), else None."""
    lines = [line.strip().lstrip("\ufeff") for line in split_lines(head[:20_000])]
    lines = [line for line in lines if line]
    if not lines:
        return None
    first = lines[0]
    if _JSON_START.match(first):
        return "JSON"
    # `<?xml`, `<!DOCTYPE html>`, `<html>`, `<rss>`, `<feed>` among the first lines (a
    # comment may come first); a README may start with `<p align="center">`, not these.
    if first.startswith("<") and any(
            re.match(r"(?i)<(?:\?xml|!--\?xml|!doctype\s|html[\s>]|rss[\s>]|feed[\s>]|rdf:rdf)",
                     line) for line in lines[:5]):
        return "XML or HTML"
    if re.match(r"@\w+\s*[{(]", next((x for x in lines if not x.startswith("%")), "")):
        return "BibTeX"
    # `source,title,url,published,summary`: names, commas, no comma-space (prose has it)
    if ", " not in first and re.fullmatch(r"[\w .\"'/()-]{1,40}(?:,[\w .\"'/()-]{1,40}){2,}",
                                          first):
        return "a CSV header"
    return None


def read_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown text, in document order (lists and quotes flattened
    into their items and paragraphs)."""
    env: dict = {}
    tokens = _MD.parse(text, env)
    return _join_wrapped_headings(_Builder(tokens, env).blocks(), env)
