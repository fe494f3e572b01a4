"""An arXiv abstract page (arxiv.org/abs/ID) saved as HTML, of any era: one paper.

    <meta name="citation_title" content="Learning Knowledge Graph-based World Models ..."/>
    <meta name="citation_author" content="Ammanabrolu, Prithviraj"/>
    <meta name="citation_date" content="2021/06/17"/>            <- the first version
    <meta name="citation_arxiv_id" content="2106.09608"/>
    ...
    <div class="dateline">[Submitted on 17 Jun 2021 (v1), last revised 20 Oct 2021 (this version, v2)]</div>
    <h1 class="title mathjax"><span class="descriptor">Title:</span>Learning ...</h1>
    <div class="authors"><span class="descriptor">Authors:</span><a ...>Prithviraj Ammanabrolu</a>, ...</div>
    <blockquote class="abstract mathjax"><span class="descriptor">Abstract:</span> World models ...</blockquote>
    <td class="tablecell comments mathjax">Camera read, in Proceedings of NeurIPS 2021</td>
    <td class="tablecell subjects"><span class="primary-subject">Machine Learning (cs.LG)</span>; ...</td>
    <td class="tablecell arxividv">(or <a href="/abs/2106.09608v2">arXiv:2106.09608v2</a> for this version)</td>

The `citation_*` tags (from about 2010) and the visible page (every era) both say who and
what; the visible page wins where both speak (its author names are "First Last"), the tags
fill in. The version is the one the page shows; the date is the first version's.
"""

from __future__ import annotations

from paperdeck.index.links import normalise_doi
from paperdeck.index.model import DigestError, Record

from . import html_page
from .dates import iso_date, year_of
from .document import Document
from .html_arxiv_listing import subject_codes, without_descriptor
from .html_page import clean

NAME = "html-arxiv-abs"
DESCRIPTION = "arXiv abstract page (arxiv.org/abs/ID) saved as HTML: one paper"

ARXIV = "https://arxiv.org/"


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup:
        return 0.0
    if scan.meta.get("citation_arxiv_id"):
        return 0.95
    if scan.has("h1", "title") and scan.has("div", "authors") and \
            (scan.has("blockquote", "abstract") or scan.has("div", "dateline")):
        return 0.9
    return 0.0


def _first_last(name: str) -> str:
    """citation_author writes "Last, First": the visible page's order is "First Last"."""
    last, comma, first = name.partition(",")
    return clean(f"{first} {last}") if comma else clean(name)


def _cell(page: html_page.Page, cls: str) -> str:
    node = page.root.find("td", cls)
    return node.text() if node is not None else ""


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    root = page.root
    h1 = root.find("h1", "title")
    ident = page.first_meta("citation_arxiv_id")
    candidates = [page.absolute(a.get("href"), ARXIV)
                  for cell in ("arxividv", "arxivid") for td in root.find_all("td", cell)
                  for a in td.find_all("a")]
    candidates.append(page.first_meta("og:url"))
    found = html_page.arxiv_of(f"arXiv:{ident}" if ident else None, *candidates)
    if found is None or (h1 is None and not page.first_meta("citation_title")):
        raise DigestError("not an arXiv abstract page: no citation_arxiv_id and no "
                          "title with an arXiv id")
    arxiv_id, version = found
    for link in candidates:  # the version shown is named by the "this version" link
        named = html_page.arxiv_of(link)
        if named and named[0] == arxiv_id and named[1]:
            version = named[1]
            break

    title = without_descriptor(h1) or page.first_meta("citation_title") or ""
    authors_div = root.find("div", "authors")
    authors = [clean(a.text()) for a in authors_div.find_all("a")] if authors_div else []
    if not authors:
        authors = [_first_last(a) for a in page.meta("citation_author") if a.strip()]
    quote = root.find("blockquote", "abstract")
    abstract = without_descriptor(quote) or clean(page.first_meta("citation_abstract"))
    dateline = root.find("div", "dateline")
    cited = page.first_meta("citation_date")
    published = iso_date(cited.replace("/", "-") if cited else None) or \
        iso_date(dateline.text() if dateline is not None else None)
    doi = normalise_doi(page.first_meta("citation_doi") or _cell(page, "doi"))
    pdf = page.first_meta("citation_pdf_url")
    line = h1.line if h1 is not None else next(
        m.line for m in root.find_all("meta") if m.get("name") == "citation_title")
    rec = Record(
        layout=NAME, line=line, title=title, abstract=abstract,
        authors=[a for a in authors if a], arxiv_id=arxiv_id, arxiv_version=version,
        categories=subject_codes(_cell(page, "subjects")),
        comments=_cell(page, "comments") or None, venue=_cell(page, "jref") or None,
        doi=doi, published=published, year=year_of(published),
        pdf_url=pdf or page.absolute(f"/pdf/{arxiv_id}", ARXIV),
    )
    return html_page.checked(doc, [rec], "arXiv abstract page")
