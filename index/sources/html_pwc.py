"""Papers with Code pages saved as HTML: lists of paper cards (search, trending, latest,
a copied fragment of them) and a method's page.

    <div class="row infinite-item item paper-card">
      <a href="/paper/designing-and-evaluating-an-online">
        <div class="item-image" style="background-image: url('https://production-media.paperswithcode.com/thumbnails/paper/2309.14156.jpg');"></div></a>
      <h1><a href="/paper/designing-and-evaluating-an-online">Designing and evaluating ...</a></h1>
      <p class="author-section"> ... <span class="author-name-text item-date-pub">25 Sep 2023</span></p>
      <p class="item-strip-abstract">In this paper, we present an innovative N-of-1 trial ...</p>
      <a href="/task/reinforcement-learning-2"><span class="badge badge-primary">Reinforcement Learning</span></a>

A card shows no arXiv link: the id is read from wherever the card hides it, a link or the
thumbnail's file name (the style attribute's url(), above). Each card is a record: title,
id, date, the one-sentence strip (the site's pitch: summary, not abstract), the tasks as
keywords, the card's PwC page as its link.

A method page (/method/vae) is about a method, not a list of papers: its only paper is
the one that introduced the method ("Introduced by Kingma et al. in <a>Auto-Encoding
Variational Bayes</a>", the arXiv link "Read Paper"); its table of papers is filled by
script and is empty in a saved page.
"""

from __future__ import annotations

from paperdeck.index.links import find_arxiv_id
from paperdeck.index.model import DigestError, Record

from . import html_page
from .dates import iso_date, year_of
from .document import Document
from .html_page import Node, clean

NAME = "html-pwc"
DESCRIPTION = "Papers with Code page (paper cards, a method page) saved as HTML"

PWC = "https://paperswithcode.com/"


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup:
        return 0.0
    if scan.has("div", "paper-card") and (scan.has("div", "item-image")
                                          or scan.has("p", "item-strip-abstract")):
        return 0.95
    site = (scan.meta.get("og:site_name", "") + scan.meta.get("og:title", "")).lower()
    if "papers with code" in site and scan.has("span", "method-subtitle"):
        return 0.9
    return 0.0


def _thumbnail_id(style: str) -> tuple[str, int | None] | None:
    """The arXiv id a thumbnail's file is named after: url('.../paper/2309.14156.jpg')."""
    start = style.find("url(")
    end = style.find(")", start)
    if start < 0 or end < 0:
        return None
    address = style[start + 4:end].strip(" '\"")
    stem = address.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return find_arxiv_id(stem)


def _card(page: html_page.Page, card: Node) -> Record | None:
    heading = card.find("h1") or card.find("h2") or card.find("h3")
    link = heading.find("a") if heading is not None else None
    title = (link or heading).text() if heading is not None else ""
    found = html_page.arxiv_of(*(page.absolute(a.get("href"), PWC) for a in card.find_all("a")))
    if found is None:
        found = next((f for n in card.find_all(where=lambda n: "url(" in n.get("style"))
                      for f in [_thumbnail_id(n.get("style"))] if f), None)
    if found is None:
        found = next((f for img in card.find_all("img")
                      for f in [_thumbnail_id(f"url({img.get('src')})")] if f), None)
    date = card.find("span", "item-date-pub")
    published = iso_date(date.text()) if date is not None else None
    strip = card.find("p", "item-strip-abstract")
    tasks = [clean(a.text()) for a in card.find_all("a")
             if a.get("href").startswith("/task/") and clean(a.text())]
    if not title and found is None:
        return None
    return Record(
        layout=NAME, line=card.line, title=title, abstract="",
        arxiv_id=found[0] if found else None, arxiv_version=found[1] if found else None,
        published=published, year=year_of(published),
        summary=strip.text() or None if strip is not None else None, keywords=tasks,
        url=page.absolute(link.get("href"), PWC) if link is not None else None,
    )


def _method(page: html_page.Page) -> list[Record]:
    subtitle = page.root.find("span", "method-subtitle")
    if subtitle is None:
        return []
    link = subtitle.find("a")
    if link is None:
        return []
    found = html_page.arxiv_of(*(page.absolute(a.get("href"), PWC)
                                 for a in page.root.find_all("a")))
    return [Record(layout=NAME, line=subtitle.line, title=link.text(), abstract="",
                   arxiv_id=found[0] if found else None,
                   arxiv_version=found[1] if found else None,
                   url=page.absolute(link.get("href"), PWC))]


def parse(doc: Document) -> list[Record]:
    page = html_page.read(doc)
    cards = page.root.find_all("div", "paper-card")
    records = [rec for card in cards for rec in [_card(page, card)] if rec is not None]
    if not records:
        records = _method(page)
    if not records:
        raise DigestError("no Papers with Code paper cards and no method's paper in the page")
    return html_page.checked(doc, records, "Papers with Code papers")
