r"""The arXiv listing e-mail: the daily mail of a subscription (cs@arXiv.org and the like).

    ------------------------------------------------------------------------------
    \\
    arXiv:2601.16280
    Date: Thu, 22 Jan 2026 19:24:21 GMT   (415kb)

    Title: When Agents Fail to Act: A Diagnostic Framework for Tool Invocation
      Reliability in Multi-Agent LLM Systems
    Authors: Donghao Huang, Gauri Malwe, Zhaoxia Wang
    Categories: cs.AI
    Comments: Accepted for publication in 2026 The 9th International Conference on
      Artificial Intelligence and Big Data (ICAIBD 2026)
    \\
      Multi-agent systems powered by large language models (LLMs) are transforming
    enterprise automation, yet systematic evaluation methodologies ...
    \\ ( https://arxiv.org/abs/2601.16280 ,  415kb)
    ------------------------------------------------------------------------------

An entry is a `\\` line, the id line (`arXiv:ID`, `arXiv:ID (*cross-listing*)`, in old
mails `Paper: ID`), its fields (continued on lines that start with spaces), a `\\`
line, the hard-wrapped abstract, and the closing `\\ ( URL , size)` line.
Replacements (after a `%%--%%--` rule) say `replaced with revised version DATE`
instead of `Date:` and carry no abstract. The mail's own header and footer
(subscription notes, the categories it covers) are not entries. A mail saved from a
mail client may start with its e-mail headers, be quoted-printable (`=` ending a
line joins it to the next; `=3D` is `=`) and end its lines with CRLF.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator

from paperdeck.index.latex import to_unicode
from paperdeck.index.links import arxiv_month_of, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from .base import head_lines, title_problem
from .dates import iso_date, year_of
from .document import Document

NAME = "arxiv-email"
DESCRIPTION = ("arXiv daily listing e-mail: '\\\\', 'arXiv:ID', Date:, Title:, Authors:, "
               "Categories:, the abstract between '\\\\' lines")

_ID_LINE = re.compile(r"(?:arXiv:|Paper(?:\s*\(\*cross-listing\*\))?:)\s*(\S+?)"
                      r"(?:\s*\(\*cross-listing\*\))?\s*$")
_FIELD = re.compile(r"([A-Za-z][A-Za-z-]*(?:\s*\([^)]*\))?)\s*:\s?(.*)$")
_REPLACED = re.compile(r"(?:replaced with revised version|(?:figures|part) added)\b\s*(.*)$",
                       re.IGNORECASE)
_CLOSING = re.compile(r"\\\\\s*\(\s*([^\s,]+)\s*,[^)]*\)\s*$")  # \\ ( https://arxiv.org/abs/ID , 12kb)
# ---- between entries; %-%- before cross-lists, %%--%%-- before replacements, %%%--- the end
_RULE = re.compile(r"-{20,}|(?:%-){5,}%?|(?:%%--){3,}%*|(?:%%%---){3,}%*")
_MAIL_FIRST = re.compile(r"(?i)(?:From \S|Return-Path:|Received:|Delivered-To:|From:|Subject:"
                         r"|Date:|To:|Message-ID:|MIME-Version:|X-[\w-]+:|Reply-To:|Sender:)")
_QP = re.compile(r"(?i)content-transfer-encoding:\s*quoted-printable\s*$")
_CHARSET = re.compile(r"(?i)content-type:.*\bcharset\s*=\s*\"?([\w.:-]+)")
_BACKSLASHES = "\\\\"


def sniff(head: str) -> float:
    lines = [line.strip() for line in head_lines(head, 600)]
    entries = sum(1 for a, b in zip(lines, lines[1:], strict=False)
                  if a == _BACKSLASHES and _ID_LINE.fullmatch(b))
    if not entries:
        return 0.0
    closings = sum(1 for line in lines if _CLOSING.fullmatch(line))
    titles = sum(1 for line in lines if line.startswith("Title:"))
    score = 0.7 + 0.05 * min(entries, 3)
    if closings and titles:
        score += 0.15
    return score


# --- authors (arXiv's way of writing them; its feeds write them the same) ---------------

_PARENTHESIS = re.compile(r"([()])")
_ET_AL = re.compile(r"\bet\s+al\b\.?", re.IGNORECASE)
# Read on text whose whitespace is single spaces: no run of spaces to backtrack over.
_SEPARATORS = re.compile(r" ?, ?(?:and )?| ?; ?| and | & ")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _without_parentheses(text: str) -> str:
    """`A (1), B ((1) MIT, (2) CMU)` -> `A , B `: nested groups too, in one pass. With
    unbalanced parentheses only the signs go: the names after a stray `(` stay."""
    kept: list[str] = []
    depth = 0
    for part in _PARENTHESIS.split(text):
        if part == "(":
            depth += 1
        elif part == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(part)
        else:
            kept.append(" ")
    if depth:
        return _PARENTHESIS.sub(" ", text)
    return "".join(kept)


def split_authors(text: str) -> list[str]:
    """`A. Smith (MIT), B. Jones and C. Li et al. (97 additional authors not shown)` ->
    ['A. Smith', 'B. Jones', 'C. Li']: affiliations and 'et al.' dropped."""
    text = " ".join(_ET_AL.sub(" ", _without_parentheses(text)).split())
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        name = " ".join(part.split())
        if not any(c.isalpha() for c in name):
            continue
        if names and name.lower() in _SUFFIXES:
            names[-1] += " " + name  # John Smith, Jr.
        else:
            names.append(name)
    return names


# --- lines of the mail's body -------------------------------------------------------------


def _body(doc: Document) -> Iterator[tuple[int, str]]:
    """(line, text) of the mail's body: e-mail headers skipped, quoted-printable decoded.

    A line joined from soft breaks keeps the number of its first line.
    """
    headers: bool | None = None  # undecided until the first line
    previous_blank = True
    qp, charset = False, "utf-8"
    joined: list[str] = []
    start = 0
    for n, line in doc.lines():
        if headers is None:
            headers = bool(_MAIL_FIRST.match(line))
        elif previous_blank and line.startswith("From ") and not joined:
            headers = True  # the next mail of an mbox file
        if headers and (line.strip() == _BACKSLASHES or _RULE.fullmatch(line.strip())):
            headers = False  # a listing file's few header lines, no blank line after them
        if headers:
            if not line.strip():
                headers = False
            elif _QP.match(line):
                qp = True
            elif m := _CHARSET.match(line):
                charset = m.group(1)
            previous_blank = not line.strip()
            continue
        previous_blank = not line.strip()
        if _QP.match(line):  # a MIME part's own header
            qp = True
            continue
        if not qp:
            yield n, line
            continue
        if not joined:
            start = n
        if line.endswith("="):  # a soft line break (a real `=` is written =3D)
            joined.append(line[:-1])
            continue
        joined.append(line)
        yield start, _unquote("".join(joined), charset)
        joined = []
    if joined:
        yield start, _unquote("".join(joined), charset)


def _unquote(text: str, charset: str) -> str:
    raw = quopri.decodestring(text.encode("utf-8", "surrogatepass"))
    try:
        return raw.decode(charset, "replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", "replace")


# --- entries ----------------------------------------------------------------------------------


class _Entry:
    def __init__(self, line: int, ident: str):
        self.line, self.ident = line, ident
        self.fields: list[list[str]] = []  # [name, text, text, ...]
        self.abstract: list[str] = []
        self.replaced = False
        self.url: str | None = None  # from the closing line: the id as arXiv writes it

    def field(self, name: str) -> str | None:
        """The field's text, its lines joined and its LaTeX made Unicode."""
        for parts in self.fields:
            if parts[0].lower() == name.lower():
                return " ".join(to_unicode(" ".join(parts[1:])).split())
        return None

    def record(self) -> Record:
        # Old mails name a paper `cs.CL/0501001` on the id line and `cs/0501001` in its
        # link, which is the id itself: the link's form is taken.
        found = (_find(self.url) if self.url else None) or _find("arXiv:" + self.ident)
        arxiv_id, version = found if found else (None, None)
        categories = (self.field("Categories") or "").split()
        if not categories and (old := re.match(r"([a-z-]+\.[A-Z]{2})/", self.ident)):
            categories = [old.group(1)]  # an old mail's id carries its subject class
        title = self.field("Title")
        date = self.field("Date")
        published = None if self.replaced else iso_date(date)
        keywords = [k.strip() for name in ("ACM-class", "MSC-class", "Keywords")
                    for k in re.split(r"[;,]", self.field(name) or "") if k.strip()]
        return Record(
            layout=NAME, line=self.line, title=title or None,
            abstract=" ".join(to_unicode(" ".join(self.abstract)).split()),
            authors=split_authors(self.field("Authors") or self.field("Author") or ""),
            arxiv_id=arxiv_id, arxiv_version=version,
            categories=categories,
            published=published,
            year=year_of(published) or year_of(arxiv_month_of(arxiv_id) if arxiv_id else None),
            comments=self.field("Comments"), venue=self.field("Journal-ref"),
            doi=normalise_doi(self.field("DOI")), keywords=keywords)


def _find(text: str) -> tuple[str, int | None] | None:
    try:
        return find_arxiv_id(text, bare=False)
    except ValueError:  # a version of thousands of digits
        return None


def _entries(doc: Document) -> Iterator[_Entry]:
    """The entries of the mail, in order; an entry cut off by the file's end is refused."""
    entry: _Entry | None = None
    state = "outside"  # outside -> fields -> abstract -> outside
    backslashes = False  # the previous line was `\\`: an id line now starts an entry
    for n, line in _body(doc):
        text = line.strip()
        if state == "outside":
            if backslashes and (m := _ID_LINE.fullmatch(text)):
                entry, state = _Entry(n, m.group(1)), "fields"
            backslashes = text == _BACKSLASHES
            continue
        assert entry is not None
        if m := _CLOSING.fullmatch(text):
            entry.url = m.group(1)
            yield entry
            entry, state, backslashes = None, "outside", False
        elif _RULE.fullmatch(text):
            doc.warn(f"the entry for arXiv:{entry.ident} has no closing "
                     "'\\\\ ( https://arxiv.org/abs/ID , size)' line", entry.line)
            yield entry
            entry, state, backslashes = None, "outside", False
        elif state == "fields":
            if text == _BACKSLASHES:
                state = "abstract"
            elif m := _REPLACED.match(text):
                entry.replaced = True
                entry.fields.append(["replaced", m.group(1)])
            elif line[:1].isspace() and entry.fields and text:
                entry.fields[-1].append(text)  # a wrapped field goes on
            elif m := _FIELD.match(text):
                name = m.group(1)
                if name.lower().startswith("date (revised"):
                    entry.replaced = True
                entry.fields.append([name.split("(")[0].strip(), m.group(2)])
        else:
            entry.abstract.append(text)
    if entry is not None:
        raise DigestError(f"the mail ends inside the entry for arXiv:{entry.ident}, before "
                          "its closing '\\\\ ( https://arxiv.org/abs/ID , size)' line: it looks "
                          "cut short; import the complete mail", line=entry.line)


def parse(doc: Document) -> Iterator[Record]:
    good = bad = 0
    first_bad: tuple[int, str] | None = None
    for entry in _entries(doc):
        rec = entry.record()
        problem = None
        if rec.arxiv_id is None:
            problem = f"an id that is not an arXiv id ({entry.ident[:40]!r})"
        elif rec.title is None:
            problem = "no Title: line"
        else:
            problem = title_problem(rec.title)
            problem = f"a title that is {problem}" if problem else None
        if problem:
            bad += 1
            first_bad = first_bad or (entry.line, problem)
            doc.warn(f"entry passed over: {problem}", entry.line)
            continue
        good += 1
        yield rec
    if first_bad and bad > good:
        raise DigestError(f"most entries cannot be read; this one has {first_bad[1]}: "
                          "is this an arXiv listing mail?", line=first_bad[0])
    if not good and not bad:
        raise DigestError("no arXiv listing entry found (an entry is a '\\\\' line, then "
                          "'arXiv:ID', Date:, Title:, Authors:, the abstract between '\\\\' "
                          "lines)")
