"""What a layout (one input format) is, and the helpers every layout shares.

A layout is any object with the four members of `Layout`; today each is a module
(`podcast.py`, ...) whose NAME, DESCRIPTION, sniff() and parse() are module-level.
Here too: splitting text into lines and paragraphs, the size limits a record must
keep, and the sanity checks a title must pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from paperdeck.index.model import DigestError, Record

# What a file is cut by (its head, its lines) and how one no layout claims is refused
# belong to the Document; they are named here too, where every layout takes its helpers.
from .document import HEAD_CHARS as HEAD_CHARS
from .document import Document
from .document import UnknownFormat as UnknownFormat
from .document import split_lines as split_lines

# --- the protocol ----------------------------------------------------------------


@runtime_checkable
class Layout(Protocol):
    """One input format: named, recognised by content, read into records."""

    NAME: str  # what --format takes and Source.layout keeps: lowercase, '-' between words
    DESCRIPTION: str  # one line, for help texts and error messages

    def sniff(self, head: str) -> float:
        """How sure (0.0 .. 1.0) that a file starting with `head` is this format.

        `head` is the file's first HEAD_CHARS characters. Cheap, never raises;
        detection picks the highest score above the registry's threshold.
        """
        ...

    def parse(self, doc: Document) -> Iterable[Record]:
        """The records of `doc`, in file order, each with its 1-based line.

        May be a generator. Raises only DigestError, with the line and without
        the path (the caller adds it). Entries passed over go to doc.warn().
        """
        ...


# The record fields a user can name the file's keys for (`--map FIELD=KEY`, read by
# the layouts whose files name their fields: JSON, JSON Lines, CSV); KEY may be dotted
# (`paper.title`) to reach into a nested object.
MAP_FIELDS = ("title", "abstract", "summary", "authors", "url", "arxiv_id", "published",
              "categories", "doi", "venue", "comments", "code_url", "pdf_url", "keywords",
              "upvotes")


# --- limits ------------------------------------------------------------------------

# The longest fields a record may have (issue 5: decided limits, refused with the
# line). arXiv caps abstracts at 1,920 characters and titles are far shorter;
# anything this long is a misread file (a whole page taken for one cell), not a paper.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 100_000
MAX_AUTHORS = 10_000  # collaboration papers list a few thousand
# A "title" line longer than this is a paragraph: in a layout that alternates
# title and abstract paragraphs, the alternation went wrong.
PARAGRAPH_CHARS = 300


def check_limits(rec: Record) -> None:
    """Refuse, with the record's line, a record whose fields outgrow the limits."""
    for what, size, limit in (("title", len(rec.title or ""), MAX_TITLE_CHARS),
                              ("abstract", len(rec.abstract), MAX_ABSTRACT_CHARS)):
        if size > limit:
            raise DigestError(f"{what} of {size:,} characters; the longest paperdeck accepts "
                              f"is {limit:,} (is the file read with the right layout?)",
                              line=rec.line)
    if len(rec.authors) > MAX_AUTHORS:
        raise DigestError(f"{len(rec.authors):,} authors; at most {MAX_AUTHORS:,} are "
                          "accepted", line=rec.line)


# --- lines and paragraphs ------------------------------------------------------------


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(1-based line number, stripped line) of every non-blank line.

    In the saved web pages each paragraph is one line, so this is their paragraphs.
    """
    return [(n, line.strip()) for n, line in enumerate(split_lines(text), 1) if line.strip()]


def head_lines(head: str, count: int) -> list[str]:
    """The first `count` lines of a file's head (sniff's view of it)."""
    return split_lines(head[:HEAD_CHARS])[:count]


def head_paragraphs(head: str, count: int) -> list[tuple[int, str]]:
    """The first `count` paragraphs of a file's head."""
    return paragraphs(head[:HEAD_CHARS])[:count]


def is_paragraph(text: str) -> bool:
    """Too long to be a title line (see PARAGRAPH_CHARS)."""
    return len(text) > PARAGRAPH_CHARS


# --- title sanity ----------------------------------------------------------------------

_TABLE_RULE = re.compile(r"\s*\|?[\s:|-]*-[\s:|-]*")  # |:---|---:|
_RULE = re.compile(r"\s*([-*_=~])(?:\s*\1){2,}\s*")  # ---, ***, ===
_ENTRY_HEAD = re.compile(r"\s*@\w+\s*[{(]")  # @article{key,
_FIELD_LINE = re.compile(r"\s*[A-Za-z][\w.:-]*\s*=\s*[{\"']")  # title = {Value},
_URL = re.compile(r"\s*<?(?:(?:https?|ftp)://|www\.|doi:\s*10\.)\S*>?\s*", re.IGNORECASE)


def title_problem(text: str) -> str | None:
    """Why `text` cannot be a paper's title, or None when it can.

    The reason is a short noun phrase ("a URL") to build a message on, such as
    f"line {n}: {reason} is not a title".
    """
    s = text.strip()
    if not s:
        return "an empty line"
    if is_paragraph(s):
        return f"a paragraph of {len(s):,} characters"
    if "|" in s and _TABLE_RULE.fullmatch(s):
        return "a Markdown table rule"
    if _RULE.fullmatch(s):
        return "a horizontal rule"
    if _ENTRY_HEAD.match(s):
        return "a BibTeX entry head"
    if _FIELD_LINE.match(s):
        return "a 'key = {value},' field line"
    if _URL.fullmatch(s):
        return "a URL"
    if not any(c.isalpha() for c in s):
        return "a line without letters"
    return None


def plausible_title(text: str) -> bool:
    """Whether `text` can be a paper's title (title_problem() finds nothing)."""
    return title_problem(text) is None
