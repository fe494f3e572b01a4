"""arXiv search results (arxiv.org/search) saved as HTML: a whole page or a copied fragment.

    <li class="arxiv-result">
      <p class="list-title is-inline-block"><a href="https://arxiv.org/abs/2309.14156">arXiv:2309.14156</a> ...</p>
      <div class="tags is-inline-block">
        <span class="tag is-small is-link tooltip" data-tooltip="Machine Learning">cs.LG</span> ...</div>
      <p class="title is-5 mathjax">Designing and evaluating an online ...</p>
      <p class="authors"><span>Authors:</span> <a href="...">Dominik Meier</a>, ...</p>
      <p class="abstract mathjax"><span>Abstract</span>:
        <span class="abstract-short" id="2309.14156v1-abstract-short">...</span>
        <span class="abstract-full" id="2309.14156v1-abstract-full" style="display: none;">The whole
        abstract ... <a>&#9651; Less</a></span></p>
      <p class="is-size-7"><span>Submitted</span> 25 September, 2023; <span>originally announced</span> September 2023.</p>
      <p class="comments is-size-7"><span>Comments:</span> <span>...</span></p>
    </li>

Each result is a record: id (the version is in the abstract's element id), title, authors,
categories (the tags), the whole abstract, comments, journal reference, DOI, and the date of
the first version ("v1 submitted ..." where the paper has several, else "Submitted ...").
A fragment copied from the browser (no <html>, no <body>) reads the same.
"""

from __future__ import annotations

from paperdeck.index.links import find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from . import html_page
from .dates import iso_date, year_of
from .document import Document
from .html_page import Node, clean

NAME = "html-arxiv-search"
DESCRIPTION = "arXiv search results page (or a copied fragment of one) saved as HTML"

ARXIV = "https://arxiv.org/"


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup:
        return 0.0
    results = scan.has("li", "arxiv-result")
    if results and (scan.has("p", "title") or scan.has("p", "list-title")):
        return 0.95
    return 0.6 if results else 0.0


def _label(node: Node) -> str:
    """The bold label a result line starts with ("Submitted", "Comments:")."""
    first = node.find("span")
    return first.text().rstrip(":").strip().lower() if first is not None else ""


def _after_label(node: Node) -> str:
    first = node.find("span")
    return node.text(skip=lambda n: n is first)


def _submitted(text: str) -> str | None:
    """The first version's date in "Submitted 2 Dec, 2025; v1 submitted 1 Dec, 2025; ..."."""
    dates = {}
    for part in text.split(";"):
        words = part.strip()
        low = words.lower()
        if low.startswith("v1 submitted"):
            dates["v1"] = iso_date(words[len("v1 submitted"):])
        elif low.startswith("submitted"):
            dates["last"] = iso_date(words[len("submitted"):])
    return dates.get("v1") or dates.get("last")


def _result(page: html_page.Page, li: Node) -> Record | None:
    head = li.find("p", "list-title")
    found = None
    pdf_url = None
    for a in (head or li).find_all("a"):
        href = page.absolute(a.get("href"), ARXIV)
        found = found or html_page.arxiv_of(href)
        if "/pdf/" in href and pdf_url is None:
            pdf_url = href
    if found is None:
        return None
    arxiv_id, version = found
    full = li.find("span", "abstract-full") or li.find("span", "abstract-short")
    if full is not None:  # its element id names the version: "2309.14156v1-abstract-full"
        named = find_arxiv_id(full.get("id").split("-")[0])
        if named and named[0] == arxiv_id and named[1]:
            version = version or named[1]
    abstract = full.text(skip=lambda n: n.tag == "a") if full is not None else ""
    authors_p = li.find("p", "authors")
    authors = [clean(a.text()) for a in authors_p.find_all("a")] if authors_p else []
    categories = [clean(s.text()) for s in li.find_all("span", "tag")
                  if s.get("data-tooltip") and clean(s.text())]
    comments = venue = published = None
    for p in li.find_all("p", "is-size-7"):
        label = _label(p)
        if label == "submitted":
            published = _submitted(p.text())
        elif label == "comments":
            comments = _after_label(p) or None
        elif label.startswith("journal ref"):
            venue = _after_label(p) or None
    doi = next((normalise_doi(a.get("href")) for a in li.find_all("a")
                if "doi.org/" in a.get("href")), None)
    return Record(
        layout=NAME, line=li.line, title=html_page.clean((li.find("p", "title") or li).text()),
        abstract=abstract, authors=[a for a in authors if a], arxiv_id=arxiv_id,
        arxiv_version=version, categories=categories, comments=comments, venue=venue,
        doi=doi, published=published, pdf_url=pdf_url, year=year_of(published),
    )


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    results = page.root.find_all("li", "arxiv-result")
    if not results:
        raise DigestError("no arXiv search results (<li class=\"arxiv-result\">) in the page")
    records = []
    for li in results:
        rec = _result(page, li)
        if rec is None:
            doc.warn("a search result without an arXiv id is passed over", li.line)
        else:
            records.append(rec)
    return html_page.checked(doc, records, "arXiv search results")
