"""An arXiv listing page (/list/CAT/new, /recent, /pastweek, a month) saved as HTML.

Both markups are read, raw from the server or saved "complete" by a browser:

    <h3>Fri, 11 Nov 2022</h3>                             <- before 2024: the day above <dl>
    <dl>
    <dt><a name="item1">[1]</a>&nbsp; <span class="list-identifier">
        <a href="/abs/2211.05779" title="Abstract">arXiv:2211.05779</a> [<a href="/pdf/...">pdf</a>]</span></dt>
    <dd><div class="meta">
      <div class="list-title mathjax"><span class="descriptor">Title:</span> MGLenS: ...</div>
      <div class="list-authors"><span class="descriptor">Authors:</span> <a ...>Joachim ...</a>, ...</div>
      <div class="list-comments mathjax"><span class="descriptor">Comments:</span> 22 pages</div>
      <div class="list-subjects"><span class="descriptor">Subjects:</span>
        <span class="primary-subject">Cosmology and Nongalactic Astrophysics (astro-ph.CO)</span>; ...</div>
      <p class="mathjax">The abstract (on /new pages only) ...</p>
    </div></dd>

Since 2024 the <h3> sits inside <dl id="articles"> ("Fri, 22 Nov 2024 (showing 75 of 75
entries )"; on /new pages "Showing new listings for Friday, 22 November 2024", then "New
submissions", "Cross submissions", "Replacement submissions"), the id link carries
id="2411.14419" and an "html" link names the version (/html/2411.14419v1).

Each entry is a record: id and version, title, authors, categories (primary first, then
cross-lists), comments, journal reference (venue), the abstract where shown, the PDF link.
The listing day is the paper's date (published) and its label, except for replacements,
whose day is the replacement's, not the paper's: they keep the label only.
"""

from __future__ import annotations

from paperdeck.index.links import arxiv_month_of
from paperdeck.index.model import DigestError, Record

from . import html_page
from .dates import iso_date, year_of
from .document import Document
from .html_page import Node, clean

NAME = "html-arxiv-listing"
DESCRIPTION = "arXiv listing page (/list/.../new, recent, pastweek) saved as HTML"

ARXIV = "https://arxiv.org/"


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup or not (scan.tags["dt"] and scan.tags["dd"]):
        return 0.0
    if scan.has("div", "list-title") and (scan.has("div", "list-authors")
                                          or scan.has("span", "list-identifier")):
        return 0.95
    if scan.has("span", "list-identifier"):
        return 0.8
    return 0.0


def is_descriptor(node: Node) -> bool:
    """arXiv's field labels ("Title:", "Authors:") are spans of class descriptor."""
    return node.has_class("descriptor")


def without_descriptor(node: Node | None) -> str:
    return node.text(skip=is_descriptor) if node is not None else ""


def subject_codes(text: str) -> list[str]:
    """`Machine Learning (cs.LG); Artificial Intelligence (cs.AI)` -> [cs.LG, cs.AI]."""
    codes = []
    for part in text.split(";"):
        part = part.strip()
        close = part.rfind(")")
        opened = part.rfind("(", 0, close)
        code = part[opened + 1:close].strip() if 0 <= opened < close else ""
        if code and " " not in code and code not in codes:
            codes.append(code)
    return codes


def _section(heading: str) -> str | None:
    words = heading.lower()
    if "replace" in words:
        return "rep"
    if "cross" in words:
        return "cross"
    if "new submission" in words:
        return "new"
    return None


def _entry(page: html_page.Page, dt: Node, dd: Node, day: str | None,
           section: str | None) -> Record | None:
    arxiv_id = version = None
    pdf_url = None
    for a in dt.find_all("a"):
        href = a.get("href")
        found = html_page.arxiv_of(page.absolute(href, ARXIV))
        if not found:
            continue
        if arxiv_id is None:
            arxiv_id, version = found
        elif found[0] == arxiv_id and found[1] is not None:
            version = version or found[1]  # the "html" link names the version shown
        if "/pdf/" in href and pdf_url is None:
            pdf_url = page.absolute(href, ARXIV)
    if arxiv_id is None:
        return None
    replaced = section == "rep" or "(replaced)" in dt.text()
    title = without_descriptor(dd.find("div", "list-title"))
    authors_div = dd.find("div", "list-authors")
    authors = [clean(a.text()) for a in authors_div.find_all("a")] if authors_div else []
    if authors_div is not None and not authors:
        authors = [clean(s) for s in without_descriptor(authors_div).split(",") if clean(s)]
    subjects = without_descriptor(dd.find("div", "list-subjects"))
    abstract = dd.find("p")
    published = None if replaced else day
    return Record(
        layout=NAME, line=dt.line, title=title, abstract=abstract.text() if abstract else "",
        authors=[a for a in authors if a], arxiv_id=arxiv_id, arxiv_version=version,
        categories=subject_codes(subjects),
        comments=without_descriptor(dd.find("div", "list-comments")) or None,
        venue=without_descriptor(dd.find("div", "list-journal-ref")) or None,
        published=published, date_label=day, pdf_url=pdf_url,
        year=year_of(published) or year_of(arxiv_month_of(arxiv_id)),
    )


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    records: list[Record] = []
    day: str | None = None
    section: str | None = None
    pending: Node | None = None  # a <dt> waiting for its <dd>
    for node in page.root.iter():
        if node.tag in ("h2", "h3"):
            heading = node.text()
            day = iso_date(heading) or day
            section = _section(heading) or (None if iso_date(heading) else section)
        elif node.tag == "dt":
            pending = node
        elif node.tag == "dd" and pending is not None:
            rec = _entry(page, pending, node, day, section)
            if rec is None:
                doc.warn("an entry without an arXiv id is passed over", pending.line)
            else:
                records.append(rec)
            pending = None
    if not records and not page.root.find("dt"):
        raise DigestError("no arXiv listing entries (<dt>/<dd> pairs) in the page")
    return html_page.checked(doc, records, "arXiv listing entries")
