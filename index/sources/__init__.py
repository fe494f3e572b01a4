"""Importers for the digest layouts, and detection of a file's layout by its content.

A layout is one input format: an object with NAME, DESCRIPTION, sniff(head) ->
0.0..1.0 and parse(doc) -> records (the `Layout` protocol in base.py); each is
one module of this package. parse raises only DigestError, with a line and no
path: the caller knows the file and adds it with DigestError.at.

To add a format:

1. Write `index/sources/<format>.py` with a module docstring that shows a short
   example of the format, and at module level `NAME = "<format>"`, a one-line
   `DESCRIPTION`, `sniff(head: str) -> float` (judge only the head: a few
   hundred lines at most) and `parse(doc: Document)` yielding `Record`s with
   `layout=NAME` and the line each starts at. Read the file through `doc`:
   `doc.lines()` or `doc.open_binary()` to stream, `doc.text()` only when the
   format needs all of it; honour `doc.field_map` where fields are named by the
   file; report an entry passed over with `doc.warn(message, line)`.
2. Take from base.py what it offers rather than writing it again: split_lines,
   paragraphs, head_lines/head_paragraphs, is_paragraph, title_problem /
   plausible_title, the limits (check_limits runs on every record anyway).
3. Add the module to `_REGISTERED` below: its place in that tuple breaks ties
   between equal sniff scores.
4. Test it in tests/test_sources.py (or its own test file) on fixtures written
   from the format's specification.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from paperdeck.index.model import DigestError, Record

from . import (
    arxiv_dump,
    arxiv_email,
    bibtex,
    csv_table,
    daily_papers,
    feed,
    html_arxiv_abs,
    html_arxiv_listing,
    html_arxiv_search,
    html_huggingface,
    html_links,
    html_pwc,
    html_scholar,
    id_list,
    json_lines,
    json_list,
    markdown_list,
    papers_page_md,
    podcast,
    ris,
    trending,
    weekly_picks,
)
from .base import (
    HEAD_CHARS,
    MAP_FIELDS,
    MAX_ABSTRACT_CHARS,
    MAX_AUTHORS,
    MAX_TITLE_CHARS,
    PARAGRAPH_CHARS,
    Layout,
    UnknownFormat,
    check_limits,
    plausible_title,
    title_problem,
)
from .checks import checked, misfit
from .document import BINARY_PROBE, Document, Notice, decode, decode_as

__all__ = [
    "BINARY_PROBE", "HEAD_CHARS", "LAYOUTS", "MAP_FIELDS", "MAX_ABSTRACT_CHARS", "MAX_AUTHORS",
    "NOT_A_PAPER_LIST",
    "MAX_TITLE_CHARS", "PARAGRAPH_CHARS", "THRESHOLD", "Document", "Layout", "Notice",
    "UnknownFormat", "check_limits", "checked", "decode", "decode_as", "detect",
    "find_layout", "layout_names", "misfit", "parse", "plausible_title", "read",
    "title_problem",
]

# The registry, in a fixed order: the sample files' order, and the tie-break of detection.
_REGISTERED: tuple[Layout, ...] = (
    podcast,
    arxiv_dump,
    weekly_picks,
    daily_papers,
    trending,
    json_list,
    json_lines,
    csv_table,
    markdown_list,
    papers_page_md,
    id_list,
    html_arxiv_listing,
    html_arxiv_search,
    html_arxiv_abs,
    html_huggingface,
    html_scholar,
    html_pwc,
    bibtex,
    ris,
    feed,
    arxiv_email,
    html_links,  # the weakest claim: any page with arXiv links
)
LAYOUTS: dict[str, Layout] = {layout.NAME: layout for layout in _REGISTERED}

THRESHOLD = 0.5  # a sniff score must exceed this for its layout to be chosen


def layout_names() -> list[str]:
    return list(LAYOUTS)


def _known() -> str:
    return ", ".join(LAYOUTS)


NOT_A_PAPER_LIST = "not a paper list paperdeck knows"


def not_a_paper_list() -> str:
    return (f"{NOT_A_PAPER_LIST} (formats: {_known()}); force one with "
            "--format NAME, or name the fields with --map FIELD=KEY")


def find_layout(name: str) -> Layout:
    """The layout called `name` (any case, '_' for '-'), or DigestError listing them."""
    found = LAYOUTS.get(name.strip().lower().replace("_", "-"))
    if found is None:
        raise DigestError(f"unknown format {name!r}; the formats are: {_known()}")
    return found


def detect(text: str | Document) -> str:
    """The layout whose sniff scores highest above THRESHOLD, judged by content only
    (the head of the text or of the Document). UnknownFormat when none does."""
    head = text.head if isinstance(text, Document) else text[:HEAD_CHARS]
    longer = len(head) >= HEAD_CHARS  # the head is not the whole file
    if not head.strip():
        raise UnknownFormat("empty file: no paper records")
    best, best_score = None, THRESHOLD
    for name, layout in LAYOUTS.items():
        score = layout.sniff(head)
        if score > best_score:
            best, best_score = name, score
    if best is None:
        if longer and "\n" not in head and "\r" not in head:
            long = (f"a line of more than {len(head):,} characters: too long for a paper "
                    "record of any format")
            raise UnknownFormat(f"{long}; {not_a_paper_list()}", line=1, brief=long)
        raise UnknownFormat(not_a_paper_list(), brief=NOT_A_PAPER_LIST)
    return best


def read(doc: Document, layout: str | None = None) -> tuple[str, Iterator[Record]]:
    """(the layout's name, its records of `doc`): detected when `layout` is None, every
    record checked as it comes (checks.checked: limits, titles, does the file fit)."""
    name = detect(doc) if layout is None else find_layout(layout).NAME
    if not doc.head.strip():  # forced onto an empty file
        raise UnknownFormat("empty file: no paper records")
    return name, checked(_lazily(LAYOUTS[name], doc), name, doc)


def _lazily(layout: Layout, doc: Document) -> Iterator[Record]:
    """The layout's records, parsed when first asked for: a layout that parses the whole
    page at once (the HTML ones return a list) then refuses a file the way a streaming
    one does, through checked(), which names the line where it stopped fitting."""
    yield from layout.parse(doc)


def parse(text: str, layout: str | None = None,
          field_map: Mapping[str, str] | None = None) -> list[Record]:
    """Records of `text`, read as `layout` (detected when None), checked (see read())."""
    if layout is not None:
        find_layout(layout)  # an unknown name is refused before anything else
    if not text.strip():
        raise DigestError("empty file: no paper records")
    _, records = read(Document.from_text(text, field_map=field_map), layout)
    return list(records)
