"""Hugging Face paper pages saved as HTML: the daily (weekly, monthly) and trending lists,
and a single paper's page.

The pages carry their data as JSON in a `data-props` attribute, which is read, not the
cards rendered from it (they hold neither abstracts nor authors):

    <div class="SVELTE_HYDRATER contents" data-target="DailyPapers"
         data-props="{&quot;date&quot;:&quot;2024-08-01T00:00:00.000Z&quot;,
                      &quot;dailyPapers&quot;:[{&quot;paper&quot;:{&quot;id&quot;:&quot;2407.21783&quot;,
                      &quot;authors&quot;:[{&quot;name&quot;:&quot;Abhimanyu Dubey&quot;}, ...],
                      &quot;publishedAt&quot;:..., &quot;title&quot;:..., &quot;summary&quot;:...,
                      &quot;upvotes&quot;:94, &quot;githubRepo&quot;:...}, ...}, ...]}">

A single paper's page has `data-target="PaperContent"` with {"paper": {...}}. Each paper
is a record: arXiv id, title (its hard line breaks joined), authors, abstract, the paper's
date, the page's date as its label, the code link, HF's one-line AI summary (as the
digest's summary, never the abstract), keywords and the upvotes the page showed.

When the JSON is missing or broken, the rendered cards (<article> with a /papers/ID link)
still give each paper's id and title, and the page says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from paperdeck.index.links import find_arxiv_id
from paperdeck.index.model import DigestError, Record

from . import html_page
from .dates import iso_date, year_of
from .document import Document
from .html_page import Node, clean
from .votes import vote_count

NAME = "html-huggingface"
DESCRIPTION = "Hugging Face paper page (daily, trending, or one paper) saved as HTML"

HF = "https://huggingface.co/"
_TARGETS = ("DailyPapers", "PaperContent")


class Entry(NamedTuple):
    """A paper as the page lists it: its record, and its upvotes (also on the record)."""

    record: Record
    upvotes: int | None


def sniff(head: str) -> float:
    scan = html_page.scan(head)
    if not scan.markup:
        return 0.0
    if any(scan.targets[t] for t in _TARGETS):
        return 0.95
    url = scan.meta.get("og:url", "")
    if "huggingface.co/papers" in url and (scan.tags["article"] or scan.tags["h1"]):
        return 0.85
    return 0.0


def _is_paper(value: Any) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("id"), str)
            and isinstance(value.get("title"), str)
            and ("authors" in value or "summary" in value)
            and find_arxiv_id(value["id"]) is not None)


def _papers(props: Any) -> Iterator[dict]:
    """Paper objects in the JSON, in order, without descending into one (explicit stack)."""
    stack = [props]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if _is_paper(value.get("paper")):
                yield value["paper"]
            elif _is_paper(value):
                yield value
            else:
                stack.extend(reversed(list(value.values())))
        elif isinstance(value, list):
            stack.extend(reversed(value))


def _label(props: dict) -> str | None:
    """The day (or week, or month) the page lists."""
    when = props.get("date") or props.get("dateString")
    if not isinstance(when, str):
        return None
    if props.get("periodType") == "week":
        return clean(when)  # "2025-W02" is kept as printed
    return iso_date(when)


def _record(paper: dict, line: int, label: str | None) -> Entry:
    arxiv_id, version = find_arxiv_id(paper["id"]) or (None, None)
    authors = [clean(a.get("name")) for a in paper.get("authors") or []
               if isinstance(a, dict) and isinstance(a.get("name"), str) and clean(a["name"])]
    published = iso_date(paper.get("publishedAt")) if isinstance(
        paper.get("publishedAt"), str) else None
    keywords = [clean(k) for k in paper.get("ai_keywords") or [] if isinstance(k, str)]
    code = paper.get("githubRepo")
    summary = paper.get("ai_summary")
    upvotes = vote_count(paper.get("upvotes"))
    rec = Record(
        layout=NAME, line=line, title=clean(paper["title"]),
        abstract=clean(paper.get("summary")) if isinstance(paper.get("summary"), str) else "",
        authors=authors, arxiv_id=arxiv_id, arxiv_version=version, published=published,
        year=year_of(published), date_label=label,
        code_url=code if isinstance(code, str) and code.startswith("http") else None,
        summary=clean(summary) if isinstance(summary, str) and summary.strip() else None,
        keywords=[k for k in keywords if k], upvotes=upvotes,
    )
    return Entry(rec, upvotes)


def _paper_page(page: html_page.Page, a: Node) -> tuple[str, int | None] | None:
    """The id of a link to a Hugging Face paper page (/papers/ID), else None."""
    href = page.absolute(a.get("href"), HF)
    return find_arxiv_id(href, bare=False) if "huggingface.co/papers/" in href else None


# A card's vote box holds the count alone (`94`, `1.2k`); the card's other numbers come
# with words (`533 authors`).
_BARE_COUNT = re.compile(r"(?i)\d[\d,.]*k?")


def _card_votes(article: Node) -> int | None:
    """The count in a card's vote box: the first element whose whole text is a number."""
    for node in article.find_all("div"):
        text = node.text().strip()
        if _BARE_COUNT.fullmatch(text):
            return vote_count(text)
    return None


def _from_cards(page: html_page.Page) -> list[Entry]:
    """The rendered cards: id, title and votes only (the JSON was not there to read)."""
    found = []
    for article in page.root.find_all("article"):
        link = next((a for a in article.find_all("a") if _paper_page(page, a)), None)
        if link is None:
            continue
        arxiv_id, version = _paper_page(page, link)
        heading = article.find("h3") or article.find("h2") or link
        votes = _card_votes(article)
        found.append(Entry(Record(layout=NAME, line=article.line, abstract="",
                                  title=heading.text(), arxiv_id=arxiv_id,
                                  arxiv_version=version, upvotes=votes), votes))
    return found


def entries(doc: Document) -> list[Entry]:
    page = html_page.read(doc)
    holders: list[tuple[Node, Any]] = []
    broken = None
    for node in page.root.iter():
        if node.attrs is None or "data-props" not in node.attrs:
            continue
        try:
            holders.append((node, json.loads(node.attrs["data-props"])))
        except (ValueError, RecursionError) as exc:
            broken = node
            doc.warn(f"the page's data-props ({node.get('data-target') or 'unnamed'}) is not "
                     f"JSON ({str(exc)[:80]})", node.line)
    single = [(node, props) for node, props in holders
              if node.get("data-target") == "PaperContent" and isinstance(props, dict)
              and _is_paper(props.get("paper"))]
    found: list[Entry] = []
    seen: set[str] = set()
    for node, props in single or holders:
        label = _label(props) if isinstance(props, dict) else None
        for paper in ([props["paper"]] if single else _papers(props)):
            daily = paper.get("submittedOnDailyAt")  # one paper's page: the day it was listed
            entry = _record(paper, node.line,
                            label or (iso_date(daily) if isinstance(daily, str) else None))
            if entry.record.arxiv_id not in seen:
                seen.add(entry.record.arxiv_id)
                found.append(entry)
    if not found:
        found = _from_cards(page)
        if found and broken is not None:
            doc.warn(f"read {len(found)} paper(s) from the page's cards instead: ids and "
                     "titles only", broken.line)
    if not found:
        if broken is not None:
            raise DigestError("the page's data-props attribute is not JSON and the page "
                              "shows no paper cards", line=broken.line)
        raise DigestError("no Hugging Face papers (data-props JSON or paper cards) in the page")
    kept = html_page.checked(doc, [e.record for e in found], "Hugging Face papers")
    return [e for e in found if any(e.record is k for k in kept)]


def parse(doc: Document) -> list[Record]:
    return [e.record for e in entries(doc)]
