"""A plain list of arXiv ids or paper URLs, one a line.

    # papers to read                       <- a comment
    2406.15319
    arXiv:2403.05135v2
    https://arxiv.org/pdf/1706.03762v7.pdf
    - https://huggingface.co/papers/2406.04692     <- a list marker is allowed
    hep-th/9901001
    https://doi.org/10.1145/3442188.3445922

Blank lines and `#` comments (whole lines, or after the entry) are allowed. Each
entry is a record with an arXiv id (or a DOI) and nothing else: no title (None),
no abstract; a merge with a source that has the paper brings them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.links import arxiv_id_of_doi, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from .base import HEAD_CHARS, head_lines
from .document import Document

NAME = "id-list"
DESCRIPTION = "plain list of arXiv ids or paper URLs, one a line ('#' comments allowed)"

_MARKER = re.compile(r"^(?:[-*+]|\d{1,6}[.)])\s+")
_COMMENT = re.compile(r"(?:^|\s)#.*$")
_ID = re.compile(r"(?i)(?:arxiv\s*:\s*)?(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?/\d{7})"
                 r"(?:v\d{1,4})?")
_URL = re.compile(r"(?i)<?(?:https?://|www\.|arxiv\.org/|doi:\s*)\S+?>?")


def _entry(line: str) -> str | None:
    """The entry a line holds (an id or a URL), "" for a blank or comment line, None
    for a line that is neither."""
    s = _COMMENT.sub("", line.strip()).strip()
    if not s:
        return ""
    s = _MARKER.sub("", s).strip().strip("<>")
    if _ID.fullmatch(s) or (_URL.fullmatch(s) and " " not in s):
        return s
    return None


def _ids(entry: str) -> tuple[str | None, int | None, str | None]:
    """(arXiv id, version, DOI) an entry names."""
    try:
        found = find_arxiv_id(entry, bare=True)
    except ValueError:  # a version of thousands of digits
        found = None
    if found:
        return found[0], found[1], None
    doi = normalise_doi(entry)
    if doi:
        in_arxiv = arxiv_id_of_doi(doi)
        return (in_arxiv[0], in_arxiv[1], None) if in_arxiv else (None, None, doi)
    return None, None, None


def sniff(head: str) -> float:
    entries = bad = 0
    lines = head_lines(head, 200)
    if len(head) >= HEAD_CHARS and len(lines) > 1:
        lines = lines[:-1]  # cut by the head's end (a line too long to judge): not judged
    for line in lines:
        entry = _entry(line)
        if entry is None:
            bad += 1
        elif entry:
            entries += 1 if any(_ids(entry)) else 0
            bad += 0 if any(_ids(entry)) else 1
    if not entries or bad * 10 > entries:  # at most one line in ten that is not an entry
        return 0.0
    return 0.9 if entries >= 2 else 0.6


def _not_a_list(n: int, line: str) -> DigestError:
    return DigestError("expected an arXiv id or a paper URL alone on the line, found "
                       f"{line.strip()[:60]!r}: this is not a list of ids", line=n)


def parse(doc: Document) -> Iterator[Record]:
    found = 0
    seen: set[tuple] = set()  # a paper listed twice is one record
    stray: list[tuple[int, str]] = []  # lines that are not entries
    for n, line in doc.lines():
        entry = _entry(line)
        if entry == "":
            continue
        arxiv_id, version, doi = _ids(entry) if entry else (None, None, None)
        if not (arxiv_id or doi):
            if not found:
                raise _not_a_list(n, line)
            stray.append((n, line))
            doc.warn("not an arXiv id or a paper URL: passed over", n)
            continue
        found += 1
        if (arxiv_id, doi) in seen:
            continue
        seen.add((arxiv_id, doi))
        url = entry if doi and entry.lower().startswith(("http", "www.")) else None
        yield Record(layout=NAME, line=n, abstract="", title=None, arxiv_id=arxiv_id,
                     arxiv_version=version, doi=doi, url=url)
    if not found:
        raise DigestError("no arXiv ids or paper URLs found")
    if len(stray) > found:  # a few ids, then something else: not a list of ids after all
        raise _not_a_list(*stray[0])
