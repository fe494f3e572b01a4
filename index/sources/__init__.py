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
    MAX_ABSTRACT_CHARS,
    MAX_AUTHORS,
    MAX_TITLE_CHARS,
    PARAGRAPH_CHARS,
    Layout,
    check_limits,
    plausible_title,
    title_problem,
)
from .document import BINARY_PROBE, Document, Notice, decode

__all__ = [
    "BINARY_PROBE", "HEAD_CHARS", "LAYOUTS", "MAX_ABSTRACT_CHARS", "MAX_AUTHORS",
    "MAX_TITLE_CHARS", "PARAGRAPH_CHARS", "THRESHOLD", "Document", "Layout", "Notice",
    "decode", "detect", "layout_names", "parse", "plausible_title", "title_problem",
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


def detect(text: str) -> str:
    """The layout whose sniff scores highest above THRESHOLD, judged by content only."""
    if not text.strip():
        raise DigestError("empty file: no paper records")
    head = text[:HEAD_CHARS]
    best, best_score = None, THRESHOLD
    for name, layout in LAYOUTS.items():
        score = layout.sniff(head)
        if score > best_score:
            best, best_score = name, score
    if best is None:
        raise DigestError(f"not a digest of any known layout ({_known()})")
    return best


def parse(text: str, layout: str | None = None) -> list[Record]:
    """Records of `text`, read as `layout` (detected when None)."""
    if layout is None:
        layout = detect(text)
    found = LAYOUTS.get(layout.strip().lower().replace("_", "-"))
    if found is None:
        raise DigestError(f"unknown layout {layout!r}; known layouts: {_known()}")
    if not text.strip():
        raise DigestError("empty file: no paper records")
    # The whole file is parsed before any record is checked: a file that breaks
    # its layout further down is refused for that, whatever its records hold.
    records = list(found.parse(Document.from_text(text)))
    if not records:
        raise DigestError(f"no paper records found (read as {found.NAME})")
    for rec in records:
        check_limits(rec)
    return records
