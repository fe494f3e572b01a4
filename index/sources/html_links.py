"""Any other saved web page that links to papers: a blog post's references, a newsletter.

The weakest claim of all the layouts: a whole HTML page (not Markdown, not text) with at
least one arXiv link, and no more specific page layout that knows it.

    <h1 id="references">References</h1>
    <p>[1] Wei et al. <a href="https://arxiv.org/abs/2201.11903">&ldquo;Chain of thought prompting
       elicits reasoning in large language models.&rdquo;</a> NeurIPS 2022</p>
    <p>[6] Google Blog. <a href="https://ai.googleblog.com/...">&ldquo;Announcing ScaNN ...&rdquo;</a></p>

When the page has a references section (a heading "References", "Bibliography",
"Citations", "Works cited", or an element with that id or class), that section is the
list: each of its entries that names a paper (an arXiv link or citation, or a DOI) is a
record, and the rest (blog posts, repositories, chat links) are not papers. Papers cited
only in the body are then left out: the references are the author's list, the body
links point at the same papers and at passing mentions. Without such a section, every
distinct arXiv link in the page is a paper.

A record's title is the reference's quoted title, else the link's text, else a
bold or quoted title in the link's paragraph; failing all, the id itself stands in as a
short name (title_is_name) until a merge brings the real title. A reference's year and
venue come from its own text ("NeurIPS 2022"); its authors too, unless cut with "et al.".
The page's own date (article:published_time, JSON-LD datePublished) labels every record.
"""

from __future__ import annotations

from paperdeck.index.links import find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from . import html_page
from .base import title_problem
from .dates import iso_date
from .document import Document
from .html_page import Node, clean

NAME = "html-links"
DESCRIPTION = "any saved web page with links to papers (references, a newsletter)"

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SECTION_NAMES = ("references", "reference", "bibliography", "citations", "works cited",
                  "cited works", "literature cited", "literature")
_QUOTES = "\"'“”‘’«»„"
_NOT_TITLES = ("arxiv", "paper", "pdf", "link", "abs", "here", "code", "preprint", "html")
# Blocks a reference or a link's context is written in.
_BLOCKS = frozenset({"p", "li", "dd", "td", "blockquote", "div", "section", "article"})


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not (scan.markup and scan.document and scan.arxiv_links):
        return 0.0
    if html_page.other_kind(head, NAME) is not None:
        return 0.0  # a page a specific layout knows is not "any other page"
    return 0.55 + min(scan.arxiv_links, 10) * 0.005  # 0.555 .. 0.6: any specific page wins


def _page_day(page: html_page.Page) -> str | None:
    for name in ("article:published_time", "citation_publication_date", "citation_date",
                 "date", "dc.date", "DC.date"):
        day = iso_date(page.first_meta(name))
        if day:
            return day
    for obj in page.ld_objects():
        if isinstance(obj.get("datePublished"), str) and iso_date(obj["datePublished"]):
            return iso_date(obj["datePublished"])
    stamp = page.root.find("time")
    if stamp is not None:
        return iso_date(stamp.get("datetime") or stamp.text())
    return None


def _references(page: html_page.Page) -> list[Node] | None:
    """The entries of the page's references section, or None when it has none."""
    for node in page.root.iter():
        name = clean(node.text()).strip("#:. ").lower() if node.tag in _HEADINGS else ""
        ident = (node.get("id") + " " + node.get("class")).lower().split()
        if name in _SECTION_NAMES:
            return _entries_after(node)
        if node.tag not in _HEADINGS and any(i in ("references", "bibliography")
                                             for i in ident):
            return _entries_in(node)
    return None


def _entries_in(box: Node) -> list[Node]:
    items = box.find_all("li") or box.find_all("p")
    return items or [box]


def _entries_after(heading: Node) -> list[Node]:
    """The blocks after a heading, up to the next heading of its rank or higher."""
    rank = heading.tag
    entries: list[Node] = []
    if heading.parent is None:
        return entries
    siblings = heading.parent.children
    start = next(i for i, c in enumerate(siblings) if c is heading)
    for node in siblings[start + 1:]:
        if not isinstance(node, Node):
            continue
        if node.tag in _HEADINGS and node.tag <= rank:
            break
        if node.tag in ("ol", "ul", "dl", "div", "section"):
            entries.extend(_entries_in(node))
        elif node.tag in _BLOCKS:
            entries.append(node)
    return entries


def _quoted(text: str) -> str | None:
    """The first quoted stretch of `text` ("Title." in "Wei et al. “Title.” NeurIPS")."""
    for open_q, close_q in (("“", "”"), ("\"", "\""), ("‘", "’"), ("«", "»"), ("„", "“")):
        start = text.find(open_q)
        end = text.find(close_q, start + 1) if start >= 0 else -1
        if start >= 0 and end > start + 1:
            return text[start + 1:end]
    return None


def _title(text: str | None) -> str | None:
    """`text` as a title: quotes and a closing full stop removed; None when it is not one."""
    if not text:
        return None
    title = clean(text).strip(_QUOTES + " ").strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1].rstrip()
    title = title.strip(_QUOTES + " ")
    words = title.lower().replace(":", " ").split()
    if (len(title) < 8 or len(words) < 2 or all(w in _NOT_TITLES for w in words[:2])
            or find_arxiv_id(title) or title_problem(title)):
        return None
    return title


def _year_and_venue(after: str) -> tuple[int | None, str | None]:
    """From "NeurIPS 2022" or "arXiv preprint arXiv:2305.10601 (2023).": year, venue."""
    words = after.replace("(", " ").replace(")", " ").replace(",", " ").split()
    year = None
    kept = []
    for word in words:
        bare = word.strip(".;:")
        if len(bare) == 4 and bare.isdigit() and 1900 < int(bare) < 2200:
            year = int(bare)
        elif not (find_arxiv_id(bare, bare=False) or normalise_doi(bare)
                  or bare.lower() in ("arxiv", "preprint", "doi")):
            kept.append(bare)
    venue = " ".join(w for w in kept if w).strip(" .;:")
    return year, venue if venue and any(c.isalpha() for c in venue) else None


def _authors(before: str) -> list[str]:
    """"Shinn & Labash." -> [Shinn, Labash]; a list cut with "et al." gives none."""
    text = clean(before)
    if text.startswith("["):
        text = text.partition("]")[2]
    text = text.strip(" .")
    if not text or "et al" in text:
        return []
    names = text.replace(" & ", ",").replace(" and ", ",").split(",")
    return [clean(n) for n in names if clean(n) and len(clean(n)) <= 60]


def _reference(page: html_page.Page, entry: Node, day: str | None) -> Record | None:
    links = [(a, page.absolute(a.get("href"))) for a in entry.find_all("a")]
    text = entry.text()
    found = html_page.arxiv_of(*(h for _, h in links)) or find_arxiv_id(text, bare=False)
    doi = next((normalise_doi(h) for _, h in links if "doi.org/" in h), None) or (
        normalise_doi(text) if "doi" in text.lower() else None)
    if found is None and doi is None:
        return None  # not a paper: a blog post, a repository, a chat
    link = next((a for a, h in links if html_page.arxiv_of(h) or "doi.org/" in h), None)
    quoted = _quoted(text)
    title = _title(quoted) or _title(link.text() if link is not None else None)
    if title is None:
        return None
    anchor = quoted or (link.text() if link is not None else "")
    cut = text.find(anchor) if anchor else -1
    before = text[:cut].rstrip(_QUOTES + " ") if cut >= 0 else ""
    after = text[cut + len(anchor):].lstrip(_QUOTES + " ") if cut >= 0 else ""
    year, venue = _year_and_venue(after)
    other = next((h for _, h in links if h.startswith("http") and not html_page.arxiv_of(h)),
                 None)
    return Record(layout=NAME, line=entry.line, title=title, abstract="",
                  authors=_authors(before), year=year, venue=venue, doi=doi,
                  arxiv_id=found[0] if found else None,
                  arxiv_version=found[1] if found else None,
                  url=other if found is None else None, date_label=day)


def _block_of(node: Node) -> Node | None:
    return next((a for a in node.ancestors() if a.tag in _BLOCKS), None)


def _linked(page: html_page.Page, a: Node, found: tuple[str, int | None],
            day: str | None) -> Record:
    """A paper linked from the body: its title from the link or the link's paragraph."""
    title = _title(a.text())
    block = _block_of(a)
    if title is None and block is not None and len(block.text()) <= 600:
        bold = block.find(where=lambda n: n.tag in ("strong", "b", "em", "h3", "h4"))
        title = (_title(bold.text()) if bold is not None else None) or \
            _title(_quoted(block.text()))
    return Record(layout=NAME, line=a.line, title=title or f"arXiv:{found[0]}", abstract="",
                  arxiv_id=found[0], arxiv_version=found[1], title_is_name=title is None,
                  date_label=day)


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    if not page.is_document():
        raise DigestError("not a whole web page (no <html>, <head> or <body>): this layout "
                          "reads saved web pages", line=1)
    specific = html_page.other_kind(doc.head, NAME)
    if specific is not None:
        raise DigestError(f"this page is read by the {specific} layout, not as a page of "
                          f"links: import it with --format {specific} (or let it be detected)")
    day = _page_day(page)
    entries = _references(page)
    records: list[Record] = []
    if entries:
        records = [r for r in (_reference(page, e, day) for e in entries) if r is not None]
    if not records:
        seen: set[str] = set()
        for a in page.root.find_all("a"):
            found = html_page.arxiv_of(page.absolute(a.get("href")))
            if found is not None and found[0] not in seen:
                seen.add(found[0])
                records.append(_linked(page, a, found, day))
    if not records:
        raise DigestError("no links to papers (arXiv) in the page")
    return html_page.checked(doc, records, "linked papers")
