"""Importers for the digest layouts, and detection of a file's layout by its content.

Each layout module has NAME, DESCRIPTION, sniff(text) -> 0.0..1.0 and
parse(text) -> list[Record]; parse raises only DigestError (with a line, no path:
the caller knows the file and adds it with DigestError.at).
"""

from __future__ import annotations

import re
from types import ModuleType

from paperdeck.index.model import DigestError, Record

from . import arxiv_dump, daily_papers, podcast, trending, weekly_picks

# Fixed order: the sample files' order, and the tie-break of detection.
LAYOUTS: dict[str, ModuleType] = {
    m.NAME: m for m in (podcast, arxiv_dump, weekly_picks, daily_papers, trending)
}

THRESHOLD = 0.5  # a sniff score must exceed this for its layout to be chosen
BINARY_PROBE = 8192  # NUL bytes in the first 8 KiB mean a binary file

# The longest fields a record may have (issue 5: decided limits, refused with the
# line). arXiv caps abstracts at 1,920 characters and titles are far shorter;
# anything this long is a misread file (a whole page taken for one cell), not a paper.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 100_000
MAX_AUTHORS = 10_000  # collaboration papers list a few thousand
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape leaves them


def layout_names() -> list[str]:
    return list(LAYOUTS)


def _known() -> str:
    return ", ".join(LAYOUTS)


def detect(text: str) -> str:
    """The layout whose sniff scores highest above THRESHOLD, judged by content only."""
    if not text.strip():
        raise DigestError("empty file: no paper records")
    best, best_score = None, THRESHOLD
    for name, module in LAYOUTS.items():
        score = module.sniff(text)
        if score > best_score:
            best, best_score = name, score
    if best is None:
        raise DigestError(f"not a digest of any known layout ({_known()})")
    return best


def parse(text: str, layout: str | None = None) -> list[Record]:
    """Records of `text`, read as `layout` (detected when None)."""
    if layout is None:
        layout = detect(text)
    module = LAYOUTS.get(layout.strip().lower().replace("_", "-"))
    if module is None:
        raise DigestError(f"unknown layout {layout!r}; known layouts: {_known()}")
    if not text.strip():
        raise DigestError("empty file: no paper records")
    records = module.parse(text)
    if not records:
        raise DigestError(f"no paper records found (read as {module.NAME})")
    for rec in records:
        _check_limits(rec)
    return records


def _check_limits(rec: Record) -> None:
    for what, size, limit in (("title", len(rec.title or ""), MAX_TITLE_CHARS),
                              ("abstract", len(rec.abstract), MAX_ABSTRACT_CHARS)):
        if size > limit:
            raise DigestError(f"{what} of {size:,} characters; the longest paperdeck accepts "
                              f"is {limit:,} (is the file read with the right layout?)",
                              line=rec.line)
    if len(rec.authors) > MAX_AUTHORS:
        raise DigestError(f"{len(rec.authors):,} authors; at most {MAX_AUTHORS:,} are "
                          "accepted", line=rec.line)


def decode(data: bytes) -> tuple[str, int]:
    """(text, number of undecodable bytes replaced by U+FFFD) of a file's bytes, as UTF-8."""
    if b"\0" in data[:BINARY_PROBE]:
        raise DigestError("binary file, not a text digest")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # surrogateescape maps each bad byte to one lone surrogate, which a C-speed
    # regex then counts and replaces: no Python call per bad byte.
    text = data.decode("utf-8", "surrogateescape")
    return _ESCAPED.subn("\ufffd", text)
