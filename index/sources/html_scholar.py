"""Google Scholar result pages (a search, a "Cited by" list) saved as HTML.

    <div class="gs_r gs_or gs_scl" data-cid="0_CUMSNp9kwJ">
      <div class="gs_ggs gs_fl"><a href="http://link.aps.org/pdf/..."><span class="gs_ctg2">[PDF]</span> aps.org</a></div>
      <div class="gs_ri">
        <h3 class="gs_rt"><span class="gs_ctc"><span class="gs_ct1">[BOOK]</span></span>
          <a href="https://journals.aps.org/...">Significance of electromagnetic potentials in the <b>quantum theory</b></a></h3>
        <div class="gs_a">Y Aharonov, D Bohm&nbsp;- Physical Review, 1959 - APS</div>    <- the grey line
        <div class="gs_rs">Abstract In this paper, we discuss ...</div>                  <- Scholar's snippet
        <div class="gs_fl"><a href="...">Cited by 6961</a> ...</div>

Every result is a record, arXiv id or not: title (the [BOOK]/[CITATION]/[PDF] badges
left out), authors, venue and year from the grey line ("AUTHORS - VENUE, YEAR - HOST";
Scholar cuts long author lists and venues with "…", kept as printed, the "…" of a cut
author list dropped), the arXiv id when any of the result's links names one, a DOI when a
doi.org link does, the title link as the record's link. The snippet is Scholar's excerpt,
cut short: it goes to the summary, never to the abstract.
"""

from __future__ import annotations

from paperdeck.index.links import normalise_doi
from paperdeck.index.model import DigestError, Record

from . import html_page
from .document import Document
from .html_page import Node, clean

NAME = "html-scholar"
DESCRIPTION = "Google Scholar results page (search or 'Cited by') saved as HTML"

SCHOLAR = "https://scholar.google.com/"
_ELLIPSIS = ("…", "...")


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup:
        return 0.0
    if scan.has("h3", "gs_rt") and scan.has("div", "gs_a"):
        return 0.95
    return 0.0


def _badge(node: Node) -> bool:
    return any(c.startswith("gs_ct") for c in node.classes)


def _year(text: str) -> int | None:
    words = text.replace(",", " ").split()
    years = [int(w) for w in words if len(w) == 4 and w.isdigit() and 1600 < int(w) < 2200]
    return years[-1] if years else None


def grey_line(text: str) -> tuple[list[str], str | None, int | None]:
    """(authors, venue, year) of "C Kittel, C Fong - Physical Review, 1963 - Wiley"."""
    parts = [p.strip() for p in clean(text).split(" - ")]
    names = parts[0] if parts else ""
    authors = []
    for name in names.split(","):
        name = name.strip()
        for dots in _ELLIPSIS:
            name = name.removesuffix(dots).strip()
        if name and any(c.isalpha() for c in name):
            authors.append(name)
    venue, year = None, None
    if len(parts) >= 2:
        middle = parts[1]
        year = _year(middle)
        if year is not None:
            before, _, after = middle.rpartition(str(year))
            middle = (before + after).strip().rstrip(",").strip()
        venue = middle or None
    return authors, venue, year


def _result(page: html_page.Page, h3: Node) -> Record:
    box = next((a for a in h3.ancestors() if a.has_class("gs_r")), None) or \
        next((a for a in h3.ancestors() if a.has_class("gs_ri")), None) or h3.parent or h3
    title = h3.text(skip=_badge)
    link = h3.find("a")
    url = page.absolute(link.get("href"), SCHOLAR) if link is not None else None
    hrefs = [page.absolute(a.get("href"), SCHOLAR) for a in box.find_all("a")]
    found = html_page.arxiv_of(*hrefs)
    grey = box.find("div", "gs_a")
    authors, venue, year = grey_line(grey.text()) if grey is not None else ([], None, None)
    snippet = box.find("div", "gs_rs")
    summary = snippet.text() if snippet is not None else ""
    doi = next((normalise_doi(h) for h in hrefs if "doi.org/" in h), None)
    return Record(
        layout=NAME, line=box.line, title=title, abstract="", authors=authors,
        arxiv_id=found[0] if found else None, arxiv_version=found[1] if found else None,
        venue=venue, year=year, doi=doi, summary=summary or None,
        url=url if url and url.startswith("http") and not found else None,
    )


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    headings = page.root.find_all("h3", "gs_rt")
    if not headings:
        raise DigestError("no Google Scholar results (<h3 class=\"gs_rt\">) in the page")
    return html_page.checked(doc, [_result(page, h3) for h3 in headings],
                             "Google Scholar results")
