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
3. Add its NAME and module to `_REGISTERED` below: its place in that tuple breaks
   ties between equal sniff scores.
4. Test it in tests/test_sources.py (or its own test file) on fixtures written
   from the format's specification.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from paperdeck.index.model import DigestError, Record

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
    "find_layout", "layout_names", "layouts", "misfit", "parse", "plausible_title", "read",
    "registered_names",
    "title_problem",
]

# The registry, in a fixed order: the sample files' order, and the tie-break of detection.
# Each layout's NAME beside its module, so that naming the formats (the command line's
# --format choices, read at every start-up) imports none of them: the modules and the
# parsers they lean on (feedparser, bibtexparser, markdown-it, ...) cost a reader's
# start-up about 140 ms, and are loaded on the first detection or parse instead.
_REGISTERED: tuple[tuple[str, str], ...] = (
    ("podcast", "podcast"),
    ("arxiv-dump", "arxiv_dump"),
    ("weekly-picks", "weekly_picks"),
    ("daily-papers", "daily_papers"),
    ("trending", "trending"),
    ("json", "json_list"),
    ("json-lines", "json_lines"),
    ("csv", "csv_table"),
    ("markdown", "markdown_list"),
    ("papers-page-md", "papers_page_md"),
    ("id-list", "id_list"),
    ("html-arxiv-listing", "html_arxiv_listing"),
    ("html-arxiv-search", "html_arxiv_search"),
    ("html-arxiv-abs", "html_arxiv_abs"),
    ("html-huggingface", "html_huggingface"),
    ("html-scholar", "html_scholar"),
    ("html-pwc", "html_pwc"),
    ("bibtex", "bibtex"),
    ("ris", "ris"),
    ("feed", "feed"),
    ("arxiv-email", "arxiv_email"),
    ("html-links", "html_links"),  # the weakest claim: any page with arXiv links
)
_LOADED: dict[str, Layout] = {}


def layouts() -> dict[str, Layout]:
    """Every layout by name, in the registry's order (their modules imported once)."""
    if not _LOADED:
        loaded = {}
        for name, module in _REGISTERED:
            layout = importlib.import_module(f"{__name__}.{module}")
            if layout.NAME != name:  # the table and the module must agree
                raise ImportError(f"{module}.NAME is {layout.NAME!r}, registered as {name!r}")
            loaded[name] = layout
        _LOADED.update(loaded)
    return _LOADED


def __getattr__(name: str):
    # `sources.LAYOUTS` stays the registry's public name, loaded when first read.
    if name == "LAYOUTS":
        return layouts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


THRESHOLD = 0.5  # a sniff score must exceed this for its layout to be chosen


def layout_names() -> list[str]:
    return list(layouts())


def registered_names() -> list[str]:
    """The registered layouts' names, without importing their modules (for start-up)."""
    return [name for name, _ in _REGISTERED]


def _known() -> str:
    return ", ".join(layout_names())


NOT_A_PAPER_LIST = "not a paper list paperdeck knows"


def not_a_paper_list() -> str:
    return (f"{NOT_A_PAPER_LIST} (formats: {_known()}); force one with "
            "--format NAME, or name the fields with --map FIELD=KEY")


def find_layout(name: str) -> Layout:
    """The layout called `name` (any case, '_' for '-'), or DigestError listing them."""
    found = layouts().get(name.strip().lower().replace("_", "-"))
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
    for name, layout in layouts().items():
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
    return name, checked(_lazily(layouts()[name], doc), name, doc)


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
