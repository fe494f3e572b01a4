"""RSS and Atom feeds whose items are papers: arXiv API answers, arXiv's listing feeds,
and any feed re-publishing papers (arXiv items, Hugging Face paper feeds).

    <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel> ...
      <item><title>A Paper</title><link>https://arxiv.org/abs/2406.12345</link>
        <description>arXiv:2406.12345v1 Announce Type: new
    Abstract: We show ...</description>
        <category>cs.CL</category><dc:creator>Ada Lovelace, Alan Turing</dc:creator>
        <pubDate>Mon, 24 Jun 2024 00:00:00 -0400</pubDate></item>

    <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
      <entry><id>http://arxiv.org/abs/2202.12139v1</id><published>2022-02-24T15:05:19Z</published>
        <title>...</title><summary>...</summary><author><name>...</name></author>
        <arxiv:primary_category term="cs.SE"/><arxiv:comment>...</arxiv:comment> ...

Two passes over the bytes. First feed_xml.py reads the whole document safely with
defusedxml (no entity bomb, no external entity, no DTD fetched; a cut or broken file
refused with its line), noting the line of each item. Then feedparser, handed only
what passed, reads the fields (its HTML sanitizer is off: it eats `$a<b$` from
abstracts; HTML is stripped to text here). An item is a paper when it names an arXiv
id or a DOI; the rest of a paper feed is passed over, with a word for each.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

import feedparser

from paperdeck.index.latex import to_unicode
from paperdeck.index.links import arxiv_id_of_doi, arxiv_month_of, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record, category_code

from .arxiv_email import split_authors
from .base import title_problem
from .dates import iso_date, year_of
from .document import Document
from .feed_xml import ARXIV, ATOM, ATOM_03, RSS_090, RSS_10, scan, xml_bytes

NAME = "feed"
DESCRIPTION = ("RSS or Atom feed of papers (arXiv API answers, arXiv listing feeds, "
               "feeds re-publishing arXiv or Hugging Face papers)")

# --- sniff ----------------------------------------------------------------------

_PROLOG_CHARS = 65_536  # the root element of a feed comes long before this
# No pattern here may backtrack over the head: each part is read at most once
# (a `[^<>]*` stops at the next tag, a DOCTYPE's internal subset is one `[...]`).
_PROLOG_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE\b[^\[>]*(?:\[[^\]]*\][^>]*)?>",
                          re.DOTALL | re.IGNORECASE)
_START_TAG = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)\b([^<>]*)>")
_ITEM_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\b[^<>]*>")
_OAI_ID = re.compile(r"oai:arxiv\.org:", re.IGNORECASE)
_ARXIV_API = re.compile(r"<id>\s*https?://arxiv\.org/api/", re.IGNORECASE)


def _root_tag(head: str) -> tuple[str, str] | None:
    """(local name, the start tag's text) of the first element, after the prolog."""
    text = head[:_PROLOG_CHARS].lstrip("\ufeff")
    pos = 0
    while m := _PROLOG_PART.match(text, pos):
        pos = m.end()
    m = _START_TAG.match(text, pos)
    return (m.group(2), m.group(0)) if m else None


def _feed_kind(head: str) -> str | None:
    """'rss', 'rdf' or 'atom' when the document's root element is a feed's, else None."""
    root = _root_tag(head)
    if root is None:
        return None
    name, tag = root
    if name == "rss":
        return "rss"
    if name == "RDF" and (RSS_10 in tag or RSS_090 in tag):
        return "rdf"
    if name == "feed" and (ATOM in tag or ATOM_03 in tag):
        return "atom"
    return None


def _names_a_paper(text: str) -> bool:
    return bool(find_arxiv_id(text, bare=False) or _OAI_ID.search(text) or normalise_doi(text))


def sniff(head: str) -> float:
    if _feed_kind(head) is None:
        return 0.0  # an XHTML page, an OPML list, any XML that is not a feed: not ours
    if _ARXIV_API.search(head[:_PROLOG_CHARS]):
        return 0.9  # an arXiv API answer, whatever it holds (an error, no entries)
    starts = [m.start() for m in _ITEM_TAG.finditer(head)]
    if not starts:
        return 0.3  # a feed, but nothing in it yet to call a paper
    chunks = [head[a:b] for a, b in zip(starts, [*starts[1:], len(head)], strict=True)]
    papers = sum(1 for chunk in chunks if _names_a_paper(chunk))
    share = papers / len(chunks)
    # A feed of blog posts that cite a paper now and then is not a paper list: below the
    # threshold, so that a directory import passes it over rather than stopping on it.
    return 0.4 if share < 0.5 else 0.75 + 0.2 * share


# --- text -------------------------------------------------------------------------

# Tags that make a description HTML rather than text with a `<` in its maths.
_HTML_TAG = re.compile(r"</?(?:p|br|a|div|span|em|strong|i|b|u|ul|ol|li|img|h[1-6]|sup|sub"
                       r"|code|pre|blockquote|table|tr|td|th|hr|figure|section)\b[^<>]*>",
                       re.IGNORECASE)
_BLOCK_TAGS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)\b[^<>]*>")
_DECLARATION_TAG = re.compile(r"<![^<>]*>")  # <!DOCTYPE ...>, a stray <![CDATA[ ...>
_CLOSING_OF = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


def strip_html(text: str) -> str:
    """The text of an HTML fragment: tags, comments, scripts and styles gone, entities
    decoded. One pass over the text (html.parser takes quadratic time on unclosed
    comments, which a hostile feed can hold by the thousand)."""
    out: list[str] = []
    pos, size = 0, len(text)
    while pos < size:
        lt = text.find("<", pos)
        if lt < 0:
            out.append(text[pos:])
            break
        out.append(text[pos:lt])
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            pos = size if end < 0 else end + 3
        elif text.startswith("<![CDATA[", lt):  # its text is text
            end = text.find("]]>", lt + 9)
            out.append(text[lt + 9:] if end < 0 else text[lt + 9:end])
            pos = size if end < 0 else end + 3
        elif m := _TAG.match(text, lt):
            name = m.group(2).lower()
            pos = m.end()
            if name in _CLOSING_OF and not m.group(1):
                end = _CLOSING_OF[name].search(text, pos)
                pos = end.end() if end else size
            elif name in _BLOCK_TAGS:
                out.append(" ")
        elif m := _DECLARATION_TAG.match(text, lt):
            pos = m.end()
        else:  # a `<` that opens no tag (`a < b`) is text
            out.append("<")
            pos = lt + 1
    return html.unescape("".join(out))


# UTF-8 read as Latin-1 or cp1252 and encoded again ("RamÃ­rez" for "Ramírez"): real
# feeds carry it (a recorded arXiv API answer does).
_DOUBLE_ENCODED = re.compile("[\u00c2-\u00f4]"  # a lead byte, then a continuation byte
                             "[\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc\u20ac\u2122]")


def undouble(text: str) -> str:
    """`text` with UTF-8 that was decoded twice decoded once; other text unchanged."""
    if not _DOUBLE_ENCODED.search(text):
        return text
    for codec in ("latin-1", "cp1252"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def _clean(value: str, is_html: bool) -> str:
    """Readable one-line text of a feed value: HTML and LaTeX (arXiv's `$\\alpha$`,
    `{\\"u}`) made text, wrapped lines joined."""
    if is_html:
        value = strip_html(value) if _HTML_TAG.search(value) else html.unescape(value)
    return " ".join(to_unicode(undouble(value)).split())


def _detail_text(detail) -> str:
    """Text of a feedparser detail ({'type', 'value'}); HTML only when it has tags."""
    if not detail:
        return ""
    if isinstance(detail, str):
        return _clean(detail, False)
    value = detail.get("value") or ""
    return _clean(value, "html" in (detail.get("type") or ""))


# --- one item -----------------------------------------------------------------------

# arXiv's listing feeds (2024 on) open each description with the announcement.
_ANNOUNCE = re.compile(r"\s*arXiv:\s*(\S+?)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?",
                       re.IGNORECASE)
# arXiv's RSS 1.0 feeds (until 2024) end each title with the id and the category.
_OLD_TITLE = re.compile(r"\.?\s*\(arXiv:(\S+?)\s*\[([^\]]*)\]\s*(UPDATED|CROSS LISTED)?\)\s*$",
                        re.IGNORECASE)
_ABSTRACT_WORD = re.compile(r"\s*abstract\s*[:.]\s*", re.IGNORECASE)
_ARXIV_CATEGORY = re.compile(
    r"(?:cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|nlin)\.[A-Za-z-]{2,}"
    r"|astro-ph|cond-mat|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nlin|nucl-ex|nucl-th"
    r"|physics|quant-ph")
_PAPER_HOSTS = re.compile(r"(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers|alphaxiv\.org"
                          r"|doi\.org)/", re.IGNORECASE)


def _safe_find(text: str | None, bare: bool = True) -> tuple[str, int | None] | None:
    try:
        return find_arxiv_id(text, bare=bare)
    except ValueError:  # a version of thousands of digits
        return None


class _Item:
    """What one feedparser entry says, read the way paperdeck needs it."""

    def __init__(self, entry, line: int, arxiv_keys: list[str]):
        self.entry, self.line, self.arxiv_keys = entry, line, arxiv_keys

    def arxiv(self, name: str):
        for prefix in self.arxiv_keys:
            if prefix + name in self.entry:
                return self.entry[prefix + name]
        return None

    def own_links(self) -> list[str]:
        e = self.entry
        links = [e.get("link"), e.get("id")]
        links += [ln.get("href") for ln in e.get("links", [])
                  if ln.get("rel", "alternate") in ("alternate", "self")]
        return [link for link in links if link]

    def doi(self) -> str | None:
        e = self.entry
        candidates = [self.arxiv("doi"), e.get("prism_doi"), e.get("dc_identifier")]
        candidates += [ln.get("href") for ln in e.get("links", []) if ln.get("title") == "doi"]
        candidates += [link for link in self.own_links() if "doi.org/" in link]
        for text in candidates:
            if isinstance(text, str) and (doi := normalise_doi(text)):
                return doi
        return None

    def pdf(self) -> str | None:
        for ln in self.entry.get("links", []):
            if ln.get("title") == "pdf" or ln.get("type") == "application/pdf":
                return ln.get("href")
        return None

    def details(self) -> list:
        return [t for t in [self.entry.get("summary_detail"), *self.entry.get("content", [])]
                if t]

    def body(self) -> str:
        """The longest of the description and the contents, as text."""
        return max((_detail_text(t) for t in self.details()), key=len, default="")

    def linked(self) -> tuple[str, int | None] | None:
        """An arXiv id the text links to (in an href too, which the text loses)."""
        for detail in self.details():
            if found := _safe_find(detail.get("value"), bare=False):
                return found
        return None

    def published(self) -> str | None:
        """The publisher's own date of a journal's item (PRISM), else None."""
        e = self.entry
        return iso_date(e.get("prism_publicationdate") or e.get("prism_coverdate")
                        or (e.get("updated") if e.get("prism_doi") else None))

    def authors(self) -> list[str]:
        names = [a.get("name") for a in self.entry.get("authors", []) if a.get("name")]
        if not names and self.entry.get("author"):
            names = [self.entry.get("author")]
        out: list[str] = []
        for name in names:
            text = strip_html(name) if "<" in name else html.unescape(name)
            out += split_authors(to_unicode(undouble(text)))
        return out

    def terms(self) -> list[str]:
        primary = self.arxiv("primary_category")
        terms = [primary.get("term")] if isinstance(primary, dict) else []
        terms += [t.get("term") or t.get("label") for t in self.entry.get("tags", [])]
        return [" ".join(t.split()) for t in terms if t and t.strip()]


def _record(item: _Item, feed_is_arxiv: bool) -> Record:
    e = item.entry
    title = _detail_text(e.get("title_detail") or e.get("title"))
    body = item.body()
    terms = item.terms()
    links = item.own_links()
    found = next((f for link in links if (f := _safe_find(link))), None)
    doi = item.doi()
    # The item is the paper's own page when its link or id names the paper (an arXiv or
    # Hugging Face page, a DOI): its text is the abstract. An item that only links a
    # paper from its text is a post about it: its text is the post's, not the abstract.
    own_paper = bool(found or doi or any(_PAPER_HOSTS.search(link) for link in links))
    abstract, replaced = body, False
    announce = _ANNOUNCE.match(body)
    if announce:  # the abstract is what follows `Abstract:`, never the announcement
        abstract = body[announce.end():]
        replaced = announce.group(2).lower().startswith("replace")
        said = _safe_find("arXiv:" + announce.group(1))
        if said and (found is None or found[0] == said[0]):
            found = said  # the announcement carries the version; the link does not
    tail = max(0, len(title) - 200)  # where the listing's tail can be (and a search is cheap)
    old = _OLD_TITLE.search(title, tail)
    if old:
        title = title[:old.start()].strip()
        replaced = (old.group(3) or "").upper() == "UPDATED"
        terms += old.group(2).split()
        said = _safe_find("arXiv:" + old.group(1))
        if said and (found is None or found[0] == said[0]):
            found = said
    from_arxiv = bool(announce or old or _is_api(e) or (feed_is_arxiv and found))
    if found is None and doi:
        found = arxiv_id_of_doi(doi)
    if found is None:
        found = item.linked()
    summary = None
    if not (announce or own_paper):
        abstract, summary = "", body or None
    elif _ABSTRACT_WORD.match(abstract):
        abstract = _ABSTRACT_WORD.sub("", abstract, count=1)
    categories: list[str] = []
    keywords: list[str] = []
    for term in terms:
        code = category_code(term)
        target = categories if _ARXIV_CATEGORY.fullmatch(code) else keywords
        if code not in target:
            target.append(code)
    when = iso_date(e.get("published") or e.get("updated"))
    # The date is the paper's own when arXiv says it (the API's first version, the day a
    # new paper was announced); a replacement's is the revision's, another feed's the
    # day it listed the paper: that one is the listing's label.
    published = when if from_arxiv and not replaced else item.published()
    arxiv_id, version = found if found else (None, None)
    year = year_of(published) or year_of(arxiv_month_of(arxiv_id) if arxiv_id else None)
    url = next((link for link in links if link.startswith("http") and "arxiv.org/" not in link),
               None)
    return Record(
        layout=NAME, line=item.line, title=title or None, abstract=abstract, summary=summary,
        authors=item.authors(), year=year, arxiv_id=arxiv_id, arxiv_version=version,
        categories=categories, keywords=keywords, published=published,
        date_label=None if _is_api(e) else when, doi=doi,
        venue=_clean(item.arxiv("journal_ref") or "", False) or None,
        comments=_clean(item.arxiv("comment") or "", False) or None,
        pdf_url=item.pdf(), url=url)


def _is_api(entry) -> bool:
    """An arXiv API answer's entry: its id is the paper's page (with version)."""
    return bool(re.match(r"https?://arxiv\.org/abs/", entry.get("id") or ""))


def _api_error(entry, line: int) -> None:
    if "arxiv.org/api/errors" in (entry.get("id") or "") or (
            entry.get("title") == "Error" and "api/errors" in str(entry.get("links"))):
        raise DigestError("the arXiv API answered with an error, not papers: "
                          f"{_detail_text(entry.get('summary_detail')) or 'no reason given'}",
                          line=line)


# --- parse --------------------------------------------------------------------------


def parse(doc: Document) -> Iterator[Record]:
    data = xml_bytes(doc)
    read = scan(data)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False,
                              resolve_relative_uris=False)
    entries = parsed.entries
    if not entries:
        raise DigestError("the feed has no items (no <item> or <entry>): no paper records",
                          line=read.root_line)
    lines = read.items
    if len(lines) != len(entries):  # cannot happen for a feed both parsers read alike
        doc.warn(f"{len(entries)} items read, {len(lines)} item tags found: "
                 "the line numbers given for items may be off")
    arxiv_keys = [f"{prefix}_" for prefix, uri in parsed.namespaces.items()
                  if uri.rstrip("/") == ARXIV and prefix]
    feed = parsed.feed
    feed_is_arxiv = "arxiv.org" in f"{feed.get('id', '')} {feed.get('link', '')}"
    records: list[Record] = []
    passed: list[tuple[int, str]] = []
    for k, entry in enumerate(entries):
        line = lines[min(k, len(lines) - 1)] if lines else read.root_line
        _api_error(entry, line)
        rec = _record(_Item(entry, line, arxiv_keys), feed_is_arxiv)
        if not (rec.arxiv_id or rec.doi):
            passed.append((line, rec.title or "(no title)"))
            continue
        records.append(rec)
    if not records:
        raise DigestError(f"not a paper list: none of the feed's {len(entries)} items names "
                          "an arXiv id or a DOI", line=lines[0] if lines else read.root_line)
    if len(records) < len(passed):
        raise DigestError(f"not a paper list: only {len(records)} of the feed's {len(entries)} "
                          "items name an arXiv id or a DOI (the first that does not is here)",
                          line=passed[0][0])
    for line, title in passed:
        doc.warn(f"item passed over: {title[:80]!r} names no arXiv id or DOI "
                 "(not a paper?)", line)
    yield from _checked(doc, records)


def _checked(doc: Document, records: list[Record]) -> Iterator[Record]:
    """Records whose title (where they have one) can be a title; the rest warned of."""
    good, bad = [], []
    for rec in records:
        problem = title_problem(rec.title) if rec.title is not None else None
        if rec.title is None and not rec.abstract and not rec.summary:
            problem = "an item with neither title nor text"
        (bad if problem else good).append((rec, problem))
    if len(bad) > len(good):
        rec, problem = bad[0]
        raise DigestError(f"most items have no usable title; this one has {problem}: "
                          "is this a feed of papers?", line=rec.line)
    for rec, problem in bad:
        doc.warn(f"item passed over: its title is {problem}", rec.line)
    for rec, _ in good:
        yield rec
