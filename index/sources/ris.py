"""RIS files (Zotero, EndNote, Mendeley exports): tagged lines, one record from TY to ER.

    TY  - JOUR
    TI  - Attention Is All You Need
    AU  - Vaswani, Ashish
    PY  - 2017/06/12/
    UR  - https://arxiv.org/abs/1706.03762
    ER  -

A tag is two characters (a capital, then a capital or a digit), two spaces, a dash
and a space. A line without a tag continues the value above it (the specification
lets long values wrap). Read here by a small reader rather than rispy: rispy gives
no line numbers, and passes over a record left open (no ER) without a word.
A record without ER before the next TY is read, with a notice; one the file ends
inside (a file cut short) is passed over with a notice, like a record with no title.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from paperdeck.index.links import arxiv_id_of_doi, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from .base import MAX_ABSTRACT_CHARS, MAX_AUTHORS, head_lines, title_problem
from .bibtex import arxiv_only
from .dates import iso_date
from .document import Document

NAME = "ris"
DESCRIPTION = "RIS (.ris from Zotero, EndNote, Mendeley): TY  - JOUR ... ER  -"

# The specification's tag is strict (`TI  - `); one space before the dash is
# tolerated, as some writers emit it. An empty value may lose its trailing space.
_TAG = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$")
_SPACE = re.compile(r"\s+")
# Rich-text markup Zotero keeps in titles and notes (`<i>E. coli</i>`, `<p>...</p>`).
_HTML_TAG = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|sc|p|br|div|span|h\d)(?:\s[^<>]{0,200})?/?>",
                       re.IGNORECASE)
_RIS_DATE = re.compile(r"(\d{4})(?:/(\d{1,2})?(?:/(\d{1,2})?)?)?")
_AUTHORS = "AU+A1"  # both author tags, in file order
# The most lines of text outside any record a RIS file may hold before it is taken
# for something else (writers put nothing there; a header line or two is tolerated).
_STRAY_LINES = 20


def sniff(head: str) -> float:
    """High when the file opens with `TY  - ` and most lines are tagged."""
    lines = [ln for ln in head_lines(head.lstrip("\ufeff"), 400) if ln.strip()]
    if not lines:
        return 0.0
    first = _TAG.match(lines[0].strip("\r"))
    if not first or first.group(1) != "TY":
        return 0.0
    tagged = sum(1 for ln in lines if _TAG.match(ln.rstrip("\r")))
    share = tagged / len(lines)
    return 0.6 + 0.35 * min(1.0, share / 0.5)


# --- one record ------------------------------------------------------------------------


class _Skip(Exception):
    """A record passed over, and why."""


def _first(tags: dict[str, list[str]], *names: str) -> str:
    for name in names:
        for value in tags.get(name, []):
            if value.strip():
                return value.strip()
    return ""


def _all(tags: dict[str, list[str]], *names: str) -> list[str]:
    return [v.strip() for name in names for v in tags.get(name, []) if v.strip()]


def _text(value: str) -> str:
    return _SPACE.sub(" ", html.unescape(_HTML_TAG.sub(" ", value))).strip()


def _person(name: str) -> str:
    """`Last, First[, Suffix]` as `First Last[ Suffix]`; other spellings as written."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) >= 2 and parts[0] and parts[1]:
        return " ".join([parts[1], parts[0], *[p for p in parts[2:] if p]])
    return _text(name.replace(",", " "))


def _published(tags: dict[str, list[str]]) -> str | None:
    """The most precise of PY / Y1 (`2013/03/08/`) and DA (`2013/03/08`, or `July` beside a year)."""
    best: str | None = None
    for value in _all(tags, "PY", "Y1", "DA"):  # Y2 is the day it was accessed
        m = _RIS_DATE.match(value)
        if m and (len(value) == 4 or value[4:5] == "/"):
            year, month, day = m.groups()
            found = iso_date(f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
                             ) if month else iso_date(year)
        else:
            found = iso_date(value)
            if not found and best:
                found = iso_date(f"{value} {best[:4]}")
        if found and (best is None or len(found) > len(best)):
            best = found
    return best


def _arxiv(tags: dict[str, list[str]]) -> tuple[str, int | None] | None:
    found = arxiv_id_of_doi(normalise_doi(_first(tags, "DO")))
    if found:
        return found
    for value in _all(tags, "UR", "L1", "L2", "L3", "LK", "DO", "AN", "N1", "M3", "T2",
                      "JO", "JF", "ET"):
        found = find_arxiv_id(value, bare=False)
        if found:
            return found
    return None


def _record(tags: dict[str, list[str]], line: int) -> Record:
    kind = _first(tags, "TY").upper()
    title = _text(_first(tags, "TI", "T1", "CT") or (
        _first(tags, "BT") if kind in ("BOOK", "UNPB") else ""))
    if not title:
        raise _Skip("record has no title (TI or T1)")
    problem = title_problem(title)
    if problem:
        raise _Skip(f"record's title is {problem}, not a title")
    abstract = _text(_first(tags, "AB", "N2"))
    if len(abstract) > MAX_ABSTRACT_CHARS:
        raise _Skip(f"an abstract of {len(abstract):,} characters; the longest paperdeck "
                    f"accepts is {MAX_ABSTRACT_CHARS:,}")
    authors = [_person(a) for a in tags.get(_AUTHORS, []) if a.strip()]
    if len(authors) > MAX_AUTHORS:
        raise _Skip(f"{len(authors):,} authors; at most {MAX_AUTHORS:,}")
    venue_tags = ("JF", "JO", "T2", "JA", "J2") if kind != "BOOK" else ("T2", "T3")
    venue = _text(_first(tags, *venue_tags) or (_first(tags, "BT") if kind not in (
        "BOOK", "UNPB") else ""))
    if venue and arxiv_only(venue):
        venue = ""
    links = [u for u in _all(tags, "UR", "L2") if u.startswith(("http://", "https://"))]
    pdfs = [u for u in _all(tags, "L1") if u.startswith(("http://", "https://"))]
    notes = [_text(n) for n in _all(tags, "N1", "M3")]
    # a note that is only an arXiv id or a DOI says where the paper is, not about it
    notes = [n for n in notes if n and not ((find_arxiv_id(n, bare=False) or normalise_doi(n))
                                            and len(n) < 60)]
    doi = normalise_doi(_first(tags, "DO")) or next(
        (normalise_doi(n) for n in _all(tags, "M3", "UR") if "10." in n and normalise_doi(n)),
        None)
    keywords = [_text(k) for kw in _all(tags, "KW") for k in kw.split(";") if k.strip()]
    arxiv = _arxiv(tags)
    published = _published(tags)
    return Record(
        layout=NAME, line=line, abstract=abstract, title=title, authors=authors,
        year=int(published[:4]) if published else None,
        published=published if published and len(published) > 4 else None,
        arxiv_id=arxiv[0] if arxiv else None, arxiv_version=arxiv[1] if arxiv else None,
        doi=doi, venue=venue or None, comments="; ".join(notes) or None,
        url=next((u for u in links if find_arxiv_id(u, bare=False) is None), None),
        pdf_url=pdfs[0] if pdfs else None, keywords=keywords,
    )


# --- the file ----------------------------------------------------------------------------


def _records(doc: Document) -> Iterator[tuple[int, dict[str, list[str]] | None, str | None]]:
    """(TY line, tags, None) for each record, or (line, None, why) for one passed over."""
    tags: dict[str, list[str]] | None = None
    start = 0
    last: list[str] | None = None  # the value a line without a tag continues
    stray: list[int] = []
    started = False
    for n, line in doc.lines():
        if n == 1:
            line = line.lstrip("\ufeff")
        m = _TAG.match(line)
        if m:
            tag, value = m.group(1), m.group(2) or ""
            if tag == "TY":
                if tags is not None:
                    doc.warn(f"record has no ER line before the next record (line {n}); "
                             "read up to there", start)
                    yield start, tags, None
                tags, start, started = {"TY": [value]}, n, True
                last = None
            elif tag == "ER":
                if tags is None:
                    doc.warn("ER line outside any record; passed over", n)
                else:
                    yield start, tags, None
                tags, last = None, None
            elif tags is None:
                stray.append(n)
            else:
                values = tags.setdefault(_AUTHORS if tag in ("AU", "A1") else tag, [])
                values.append(value)
                last = values
        elif not line.strip():
            continue
        elif tags is not None and last is not None:
            last[-1] = f"{last[-1]} {line.strip()}"  # a long value wrapped onto this line
        else:
            stray.append(n)
            if tags is None and len(stray) > _STRAY_LINES:
                raise DigestError("not a RIS file: from this line on, text stands outside "
                                  "any 'TY  - ' ... 'ER  - ' record", line=stray[0])
    if not started:
        raise DigestError("not a RIS file: no record starts with a 'TY  - ' line",
                          line=stray[0] if stray else 1)
    if stray:
        doc.warn(f"{len(stray)} line(s) that are neither a tag nor a wrapped value passed "
                 "over (the first here)", stray[0])
    if tags is not None:
        yield start, None, ("the file ends inside this record (no ER line): it looks cut "
                            "short")


def parse(doc: Document) -> Iterator[Record]:
    good = 0
    bad_titles: list[tuple[int, str]] = []
    skipped: list[tuple[int, str]] = []
    for line, tags, why in _records(doc):
        if tags is None:
            doc.warn(f"{why}; passed over", line)
            skipped.append((line, why or ""))
            continue
        try:
            record = _record(tags, line)
        except _Skip as skip:
            doc.warn(f"{skip}; passed over", line)
            (bad_titles if "not a title" in str(skip) else skipped).append((line, str(skip)))
            continue
        good += 1
        yield record
    if not good:
        line, why = (skipped or bad_titles or [(None, "")])[0]
        if why:
            raise DigestError(f"no RIS record could be read: {why}", line=line)
        raise DigestError("no RIS record found", line=1)
    if len(bad_titles) > good:
        raise DigestError(f"not a RIS file of papers: {bad_titles[0][1]} (and "
                          f"{len(bad_titles) - 1} more)", line=bad_titles[0][0])
