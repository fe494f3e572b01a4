"""Saved web pages read once into a light tree that every HTML page layout shares.

The parser is the standard library's `html.parser`, chosen over lxml, selectolax and
html5lib because it reports the source line of every tag (a record carries its line,
an error names it; the C parsers know no lines), needs no dependency, and is driven by
events: the tree is built by a loop over an explicit stack, so a page nested ten
thousand elements deep is just a long list (no recursion anywhere here), and scripts,
styles, SVG and navigation are dropped as they stream past instead of being built and
pruned. It reads 10-20 MB/s, ample for saved pages (a 1 MB arXiv listing in 0.1 s).

What the tree keeps: elements (tag, attributes, children, line) and text with entities
decoded. What it drops: <script> (but MathJax's `math/tex` source is kept as `$...$`
text and JSON-LD is set aside), <style>, <noscript>, <template>, <svg>, <select>,
<nav> and role="navigation", elements marked `hidden`, and math a browser rendered
(MathJax and KaTeX output: their TeX source stays). The end tags HTML lets a page leave
out (<p>, <li>, <dt>/<dd>, table rows and cells) are implied as HTML does, in constant
time per tag. The weak spots of html.parser before Python 3.13.5 are fenced: '<![' junk
that made it raise, and an unclosed construct at the end of a page, which close() reads
back in quadratic time, is passed over with a notice when it is long.

The page's text reaches us decoded by the Document (UTF-8): a <meta charset> is not
acted upon here.

The tree itself (Node, and the queries the layouts make of it) is in html_tree.py; here
are its builder, the head scan that sniff() uses and the few checks every page layout
shares, kept with the one parser and its fences, so that every page layout reads HTML
the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin

from paperdeck.index.links import find_arxiv_id
from paperdeck.index.model import DigestError, Record

from .base import title_problem
from .document import Document
from .html_tree import Node

VOID = frozenset("area base basefont bgsound br col embed frame hr img input keygen link meta "
                 "param source track wbr".split())
# Subtrees a reader never sees as the page's content.
DROPPED = frozenset("script style noscript template svg select textarea iframe object canvas "
                    "nav".split())
# Rendered math: the TeX source is kept (as a math/tex script or a TeX annotation) instead.
_RENDERED_MATH = frozenset({"MathJax_Preview", "MathJax", "MathJax_Display", "MathJax_SVG",
                            "MathJax_CHTML", "MJX_Assistive_MathML", "katex-html"})
# HTML's "scope" boundaries: an end tag or an implied end never reaches past one.
_BOUNDARY = frozenset("applet caption html table td th marquee object template".split())
# Starting one of these closes an open <p> (HTML's "p in button scope").
_CLOSES_P = frozenset("address article aside blockquote center details dialog dir div dl "
                      "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup "
                      "hr li main menu nav ol p pre section summary table ul dd dt".split())
# A long unclosed construct at the end of the text is not handed to close() (see above).
MAX_TAIL = 16_384


def _attrs(pairs: list[tuple[str, str | None]]) -> dict[str, str] | None:
    if not pairs:
        return None
    attrs: dict[str, str] = {}
    for name, value in pairs:
        attrs.setdefault(name, "" if value is None else value)  # HTML: the first one counts
    return attrs


def _dropped(tag: str, attrs: dict[str, str] | None) -> bool:
    if tag in DROPPED or tag.startswith("mjx-") and tag != "mjx-assistive-mml":
        return True
    if attrs is None:
        return False
    if "hidden" in attrs or attrs.get("role") == "navigation":
        return True
    classes = attrs.get("class")
    return bool(classes) and any(c in _RENDERED_MATH for c in classes.split())


class _Tolerant(HTMLParser):
    """html.parser with its one known crash mended: '<![' junk reads as a bogus comment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # Python < 3.13.5 on '<![' not followed by a name
            end = self.rawdata.find(">", i + 2)
            if end < 0:
                return -1
            self.handle_comment(self.rawdata[i + 2:end])
            return end + 1


class _Builder(_Tolerant):
    """The tree builder: html.parser's events onto an explicit stack of open elements."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#document", None, None, 1)
        self.stack: list[Node] = [self.root]
        # Where each tag is open (stack indices, innermost last), for O(1) scope checks.
        self.open_at: dict[str, list[int]] = {}
        self.bounds: list[int] = [0]  # stack indices of open scope boundaries
        self.skipping: tuple[str, int] | None = None  # (tag, nesting) of a dropped subtree
        self.math_tex: str | None = None  # inside <script type="math/tex">: its delimiter
        self.json_ld: list[str] = []
        self.ld_open = False
        self.tags = 0

    # -- the stack --------------------------------------------------------------

    def _push(self, node: Node) -> None:
        self.stack[-1].children.append(node)
        index = len(self.stack)
        self.stack.append(node)
        self.open_at.setdefault(node.tag, []).append(index)
        if node.tag in _BOUNDARY:
            self.bounds.append(index)

    def _pop_to(self, index: int) -> None:
        """Close every element from the top of the stack down to `index`, inclusive."""
        while len(self.stack) > index:
            node = self.stack.pop()
            self.open_at[node.tag].pop()
            if node.tag in _BOUNDARY:
                self.bounds.pop()

    def _innermost(self, tag: str) -> int:
        where = self.open_at.get(tag)
        return where[-1] if where else -1

    def _in_scope(self, tag: str, *extra: str) -> int:
        """The stack index of the innermost open `tag` not cut off by a boundary, or -1."""
        index = self._innermost(tag)
        if index < 0:
            return -1
        limit = max([self.bounds[-1], *(self._innermost(t) for t in extra)])
        return index if index > limit else -1

    def _imply_ends(self, tag: str) -> None:
        """Close what HTML closes when `tag` starts (an open <p>, <li>, <dt>, cell, row)."""
        if tag in _CLOSES_P:
            index = self._in_scope("p", "button")
            if index > 0:
                self._pop_to(index)
        if tag == "li":
            index = self._in_scope("li", "ul", "ol", "menu")
        elif tag in ("dt", "dd"):
            index = max(self._in_scope("dt", "dl"), self._in_scope("dd", "dl"))
        elif tag in ("td", "th"):
            index = max(self._in_scope("td", "tr"), self._in_scope("th", "tr"))
        elif tag == "tr":
            index = self._innermost("tr")
            index = index if index > self._innermost("table") else -1
        elif tag in ("thead", "tbody", "tfoot"):
            table = self._innermost("table")
            index = min((i for i in (self._innermost("thead"), self._innermost("tbody"),
                                     self._innermost("tfoot"), self._innermost("tr"))
                         if i > table), default=-1)
        elif tag == "a":
            index = self._in_scope("a")
        elif tag == "option":
            index = self._in_scope("option")
        else:
            return
        if index > 0:
            self._pop_to(index)

    # -- html.parser's events ------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if self.skipping is not None:
            name, depth = self.skipping
            if tag == name and tag not in VOID:
                self.skipping = (name, depth + 1)
            return
        node_attrs = _attrs(attrs)
        if tag == "script" and node_attrs is not None:
            kind = node_attrs.get("type", "").lower()
            if kind.startswith("math/tex"):
                self.math_tex = "$"
                return
            if kind == "application/ld+json":
                self.ld_open = True
                self.json_ld.append("")
                return
        if _dropped(tag, node_attrs):
            if tag not in VOID:
                self.skipping = (tag, 1)
            return
        self._imply_ends(tag)
        node = Node(_intern(tag), node_attrs, self.stack[-1], self.getpos()[0])
        if tag in VOID:
            self.stack[-1].children.append(node)
        else:
            self._push(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.math_tex is not None and tag == "script":
            self.math_tex = None
            return
        if self.ld_open and tag == "script":
            self.ld_open = False
            return
        if self.skipping is not None:
            name, depth = self.skipping
            if tag == name:
                self.skipping = None if depth == 1 else (name, depth - 1)
                return
            if self._in_scope(tag) < 0:
                return
            self.skipping = None  # an end tag of an enclosing element ends the dropped one
        if tag == "br":  # </br> is read as <br> by browsers
            self.stack[-1].children.append(Node("br", None, self.stack[-1], self.getpos()[0]))
            return
        extra = ("ul", "ol") if tag == "li" else ("dl",) if tag in ("dt", "dd") else ()
        index = self._in_scope(tag, *extra) if tag not in _BOUNDARY else self._innermost(tag)
        if index > 0:
            self._pop_to(index)

    def handle_data(self, data: str) -> None:
        if self.math_tex is not None:
            self.stack[-1].children.append(f"{self.math_tex}{data.strip()}{self.math_tex}")
            return
        if self.ld_open:
            self.json_ld[-1] += data
            return
        if self.skipping is not None:
            return
        if data.isspace():
            data = " "
        self.stack[-1].children.append(data)


_interned: dict[str, str] = {}


def _intern(tag: str) -> str:
    """One string object per tag name: a large page has hundreds of thousands of tags."""
    return _interned.setdefault(tag, tag)


class Page:
    """A parsed page: its tree, its JSON-LD blocks, where relative links point."""

    def __init__(self, root: Node, json_ld: list[str], tags: int):
        self.root = root
        self.json_ld = json_ld
        self.tags = tags
        self.base_url = self._base()

    def meta(self, name: str) -> list[str]:
        """The content of every <meta name=NAME> or <meta property=NAME>, in order."""
        return [m.get("content") for m in self.root.find_all("meta")
                if name in (m.get("name"), m.get("property"))]

    def first_meta(self, name: str) -> str | None:
        found = self.meta(name)
        return " ".join(found[0].split()) if found and found[0].strip() else None

    @property
    def title(self) -> str:
        node = self.root.find("title")
        return node.text() if node is not None else ""

    def is_document(self) -> bool:
        """A whole page (<html>, <head> or <body>), not a copied fragment."""
        return any(self.root.find(tag) is not None for tag in ("html", "body", "head"))

    def _base(self) -> str | None:
        head = self.root.find("head") or self.root  # a fragment has no <head>
        base = head.find("base", where=lambda n: bool(n.get("href")))
        if base is not None:
            return base.get("href")
        canonical = head.find("link", where=lambda n: "canonical" in n.get("rel").split())
        if canonical is not None and canonical.get("href").startswith("http"):
            return canonical.get("href")
        og = self.first_meta("og:url")
        return og if og and og.startswith("http") else None

    def absolute(self, href: str, site: str | None = None) -> str:
        """`href` made absolute against the page's own address (or `site` when it has none)."""
        base = self.base_url or site
        return urljoin(base, href) if base and href else href

    def ld_objects(self) -> list[dict]:
        """The page's JSON-LD objects (blog posts say their date there); bad JSON skipped."""
        found = []
        for block in self.json_ld:
            try:
                data = json.loads(block)
            except (ValueError, RecursionError):
                continue
            items = data if isinstance(data, list) else [data]
            found.extend(item for item in items if isinstance(item, dict))
        return found


def read(doc: Document) -> Page:
    """The page of `doc`, parsed. A tail the parser could not finish is passed over, said.

    A file that does not begin with markup ('<' after blanks) is not a page: refused.
    """
    if not scan(doc.head).markup:
        raise DigestError("not an HTML page: the file does not begin with markup", line=1)
    text = doc.text()
    builder = _Builder()
    try:
        builder.feed(text)
    except AssertionError:  # a parser bug we have not met: keep what was read, say where
        line = builder.getpos()[0]
        doc.warn("the page's markup cannot be read past this line; the rest is passed over",
                 line)
        return Page(builder.root, builder.json_ld, builder.tags)
    tail = len(builder.rawdata)
    if tail > MAX_TAIL:
        line = builder.getpos()[0]
        doc.warn(f"the page ends in {tail:,} characters of unfinished markup (an unclosed "
                 "comment, tag or quote?); they are passed over", line)
    else:
        builder.close()
    return Page(builder.root, builder.json_ld, builder.tags)


# --- what sniff() sees ---------------------------------------------------------------


class Scan:
    """What a page's head shows, gathered in one pass without a tree (for sniff())."""

    def __init__(self) -> None:
        self.markup = False  # the text starts with markup ('<' after blanks)
        self.document = False  # a doctype, <html>, <head> or <body>
        self.tags: Counter[str] = Counter()
        self.classes: Counter[tuple[str, str]] = Counter()  # (tag, class)
        self.targets: Counter[str] = Counter()  # data-target of elements with data-props
        self.meta: dict[str, str] = {}
        self.arxiv_links = 0  # links whose address names an arXiv paper
        self.hrefs: Counter[str] = Counter()  # hosts of absolute links

    def has(self, tag: str, cls: str) -> int:
        return self.classes[(tag, cls)]


class _Scanner(_Tolerant):
    def __init__(self, scan: Scan):
        super().__init__()
        self.scan = scan

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.scan.document = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        scan = self.scan
        scan.tags[tag] += 1
        if tag in ("html", "head", "body"):
            scan.document = True
        found = _attrs(attrs)
        if found is None:
            return
        for cls in found.get("class", "").split():
            scan.classes[(tag, cls)] += 1
        if "data-props" in found:
            scan.targets[found.get("data-target", "")] += 1
        if tag == "meta":
            key = found.get("name") or found.get("property")
            if key and key not in scan.meta:
                scan.meta[key] = found.get("content", "")
        href = found.get("href")
        if href and tag == "a":
            if find_arxiv_id(href, bare=False):
                scan.arxiv_links += 1
            if href.startswith("http"):
                scan.hrefs[href.split("/")[2].lower()] += 1


@lru_cache(maxsize=2)
def scan(head: str) -> Scan:
    """The head's markup in summary; cached, as every HTML layout sniffs the same head."""
    found = Scan()
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("<"):
        return found
    found.markup = True
    scanner = _Scanner(found)
    try:
        scanner.feed(head)
    except AssertionError:
        pass  # sniffing judges what it read before the parser stopped
    return found


# --- checks shared by the page layouts --------------------------------------------------


def clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def checked(doc: Document, records: list[Record], what: str) -> list[Record]:
    """`records`, less those whose title is not a title (each said); refused when most are."""
    kept, bad = [], []
    for rec in records:
        problem = title_problem(rec.title) if rec.title is not None else None
        if problem:
            bad.append(rec)
            doc.warn(f"{problem} is not a title: this entry is passed over", rec.line)
        else:
            kept.append(rec)
    if not records:
        raise DigestError(f"no {what} found in the page")
    if len(bad) * 2 > len(records):
        raise DigestError(f"most entries read as {what} have no title; the page is not of "
                          "this kind", line=bad[0].line)
    return kept


def arxiv_of(*texts: str | None) -> tuple[str, int | None] | None:
    """The arXiv id (and version) named by the first of `texts` that names one as a link."""
    for text in texts:
        found = find_arxiv_id(text, bare=False)
        if found:
            return found
    return None


def other_kind(head: str, me: str) -> str | None:
    """The name of a more specific HTML layout that claims this page, if any (not `me`)."""
    from . import LAYOUTS, THRESHOLD  # the registry imports the page layouts

    best, best_score = None, THRESHOLD
    for name, layout in LAYOUTS.items():
        if name == me or not name.startswith("html-"):
            continue
        score = layout.sniff(head)
        if score > best_score:
            best, best_score = name, score
    return best
