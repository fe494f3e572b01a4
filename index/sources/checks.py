"""What the import checks in the records every layout yields, whichever the layout.

A record whose title cannot be a title (base.title_problem: a table rule, a URL, a
`key = {value},` line, a paragraph) is passed over with a notice. And a file is not
of a layout when most of what that layout reads from it does not look like papers:
besides such titles, an e-mail or metadata header line taken for a title
(`Date: Thu, 22 Jan 2026`), a line of another format (an XML tag, a JSON member, a RIS
tag, a row of comma-separated values), Markdown markup (`- **2025-09-09** · **[Title](url)**`,
`### [Title](url)`, `![](thumbnail)`), a line cut from running text (`tool-use
reliability remain underdeveloped. We introduce a`), an abstract that starts and
stops in the middle of a sentence. Those last ones are never dropped one by one (a real title
can look so); they only count towards "most". This is what turns `--format
trending` on an arXiv e-mail into a refusal naming the line, not 156 junk papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from paperdeck.index.model import DigestError, Record

from .base import MAX_ABSTRACT_CHARS, UnknownFormat, check_limits, title_problem
from .document import Document

# Records judged before a file can be refused early (a 1 GB file of junk is refused
# after its first records, not after all of them).
FIT_SAMPLE = 50

_HEADER_LINE = re.compile(
    r"(?i)\s*(date|title|authors?|categories|comments|abstract|journal-ref|doi|"
    r"report-no|subjects?|from|to|cc|keywords|url|link|arxiv|acm-class|msc-class|"
    r"license|received|submitted|announce type|vote|votes|upvotes)\s*:")
# What a Markdown file's lines start with when they are not text: a list item, a
# numbered item, a heading, a quote, an image; and a link's tail, `](http...`.
_MARKUP = re.compile(r"\s*(?:[-*+>]\s|#{1,6}\s|\d{1,4}[.)]\s|!\[)|.*\]\((?:https?:|www\.)")
# Lines of other formats read as text: an XML or HTML tag, a JSON member or bracket, a
# RIS tag line, a row of separated values (three separators glued to the next field).
_TAG = re.compile(r"\s*<[!?/]?[A-Za-z][^<>]*>")
# (a value after the colon: '"Why Should I Trust You?": Explaining ...' is a title)
_JSON_MEMBER = re.compile(r'\s*"[^"]{1,80}"\s*:\s*(?:["\[{\d-]|true\b|false\b|null\b|$)')
_RIS_TAG = re.compile(  # the tags RIS exports write most (not "AI - " or "ML - ")
    r"\s*(?:TY|ER|TI|T[1-3]|AU|A[1-4]|PY|Y[1-3]|DA|AB|N[12]|KW|UR|DO|JO|JF|JA|J[12]|SP|EP|VL"
    r"|IS|SN|PB|CY|ID|L[1-4]|M[1-3]|LA|ST|DB|DP|AD|CN|ET|C[1-8]|CA|RN|OP|LB|TA|TT|U[1-5]|BT"
    r"|CT|ED|NV|RP|SE)\s{1,2}-(?:\s|$)")
_GLUED_SEPARATOR = re.compile(r"[,;\t](?=[A-Za-z\"])")
_BARE_VERSIONED_ID = re.compile(r"(?<![/\w.:])\d{4}\.\d{4,5}v\d+\b")
_BARE_ID = re.compile(r"(?<![/\w.:])\d{4}\.\d{4,5}(?:v\d+)?(?![\w.])")
_FUNCTION_WORDS = frozenset(
    "a an the of for and or to in on with by from at as via into is are that this which "
    "its their our we be than".split())
_SENTENCE_END = tuple('.!?)"”’')


def _foreign_line(text: str) -> str | None:
    """Which other format's line `text` is (a noun phrase), or None."""
    if not any(c.isalpha() for c in text):
        return "punctuation"
    if _TAG.match(text) and (text.rstrip().endswith(">") or "</" in text):
        return "an XML or HTML tag"
    if _JSON_MEMBER.match(text):
        return "a JSON member"
    if _RIS_TAG.match(text):
        return "a RIS tag line"
    if len(_GLUED_SEPARATOR.findall(text)) >= 3:
        return "a row of separated values"
    return None


def misfit(rec: Record) -> str | None:
    """Why `rec` does not look like a paper of a real list, or None; the reason is a
    noun phrase ("a line cut from running text") for a message."""
    title = rec.title
    if title:
        foreign = _foreign_line(title)
        if foreign:
            return f"{foreign} taken for a title"
        if _BARE_ID.search(title):
            return "a row of fields (an arXiv id among them) taken for a title"
        problem = title_problem(title)
        if problem:
            return f"{problem} taken for a title"
        m = _HEADER_LINE.match(title)
        if m:
            return f"a '{m.group(1)}:' header line taken for a title"
        if _MARKUP.match(title):
            return "Markdown markup (a list item, heading or link) taken for a title"
        words = title.split()
        if title[0].islower() and (title.rstrip()[-1] in ".,;:-"
                                   or words[-1].lower() in _FUNCTION_WORDS):
            return "a line cut from running text taken for a title"
    abstract = rec.abstract.strip()
    foreign = _foreign_line(abstract[:300]) if abstract else None
    if foreign:
        return f"{foreign} taken for an abstract"
    if _BARE_VERSIONED_ID.search(abstract[:2000]):
        return "a row of fields (a versioned arXiv id among them) taken for an abstract"
    if abstract and abstract[0].islower() and not abstract.endswith(_SENTENCE_END):
        return "an abstract cut from the middle of running text"
    if abstract and _MARKUP.match(abstract[:300]):
        return "Markdown markup (a list item, heading or link) taken for an abstract"
    return None


def _check_texts(rec: Record) -> None:
    """Refuse, as check_limits does, a digest's own words or comments longer than an
    abstract may be: the text beside a link in a list can run on for megabytes."""
    for what, text in (("summary", rec.summary), ("comments", rec.comments)):
        if text and len(text) > MAX_ABSTRACT_CHARS:
            raise DigestError(f"{what} of {len(text):,} characters; the longest paperdeck "
                              f"accepts is {MAX_ABSTRACT_CHARS:,} (is the file read with the "
                              "right layout?)", line=rec.line)


def _unfit(layout: str, bad: int, seen: int, first: tuple[int, str]) -> DigestError:
    line, reason = first
    return DigestError(
        f"this does not read as {layout}: {bad} of the first {seen} records it gives are "
        f"not papers (here, {reason}); `paperdeck formats` lists the formats", line=line)


def _fitting_from_the_start(records: Iterable[Record], layout: str) -> Iterator[Record]:
    """The layout's records; its refusal of the whole file before any record (no table,
    no episode, no date line) names line 1, where the file stopped fitting."""
    started = False
    try:
        for rec in records:
            started = True
            yield rec
    except DigestError as exc:
        if started or exc.line is not None or isinstance(exc, UnknownFormat):
            raise
        raise DigestError(f"this does not read as {layout}: {exc.reason}", line=1) from None


def checked(records: Iterable[Record], layout: str, doc: Document) -> Iterator[Record]:
    """The records a layout yields, checked as they come (see the module docstring).

    Raises DigestError naming the line where the file stopped fitting `layout`, and
    when nothing at all was read.
    """
    good = bad = 0
    first: tuple[int, str] | None = None
    for rec in _fitting_from_the_start(records, layout):
        check_limits(rec)
        _check_texts(rec)
        if rec.title is not None and not rec.title.strip():
            rec.title = None
        problem = title_problem(rec.title) if rec.title else None
        if problem:
            doc.warn(f"{problem} is not a title: entry passed over", rec.line)
            reason = f"{problem} taken for a title"
        elif not (rec.title or rec.abstract.strip() or rec.arxiv_id or rec.doi or rec.url
                  or rec.pdf_url):
            problem = reason = "an entry with no title, abstract or link"
            doc.warn(f"{problem}: passed over", rec.line)
        else:
            reason = misfit(rec)
        if reason:
            bad += 1
            first = first or (rec.line, reason)
            if bad >= FIT_SAMPLE and bad > 2 * good:
                raise _unfit(layout, bad, good + bad, first)
        else:
            good += 1
        if not problem:
            yield rec
    if first is not None and bad > good:
        raise _unfit(layout, bad, good + bad, first)
    if not good and not bad:
        # nothing fitted from the first line on
        raise DigestError(f"no paper records found (read as {layout})", line=1)
