"""A trending-papers page, saved as text.

    Get trending papers in your email inbox once a day!     <- page header: not records
    Get trending papers in your email inbox!
    SubscribeStealing User Prompts from Mixture of Experts   <- button text glued to title 1
    Mixture-of-Experts (MoE) models improve the efficiency ...
    AM-Thinking-v1: Advancing the Frontier of Reasoning at 32B Scale
    We present AM-Thinking-v1, a 32B dense language model ...

Title line, abstract line, alternating, no blank lines (blank lines are tolerated).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import HEAD_CHARS, is_paragraph, paragraphs
from .document import Document

NAME = "trending"
DESCRIPTION = "trending-papers page: title line, abstract line, alternating, no blank lines"

_HEADER = re.compile(r"(?i)get trending papers in your email inbox.*|subscribe|new"
                     r"|by ?ak and the research community")
_GLUED = re.compile(r"Subscribe(?=\S)")  # the button's text glued to the first title


def _body(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines after the page header, the first title freed of the Subscribe button."""
    k = 0
    while k < len(lines) and _HEADER.fullmatch(lines[k][1]):
        k += 1
    body = lines[k:]
    if body and _GLUED.match(body[0][1]):
        body[0] = (body[0][0], body[0][1][len("Subscribe"):])
    return body


def sniff(head: str) -> float:
    # Not head_lines(): a lone \r does not end a line here. Kept so in the refactor
    # that shared the helpers (issue 8 changes no behaviour); to be made alike.
    raw = head[:HEAD_CHARS].replace("\r\n", "\n").split("\n")[:200]
    glued = any(_GLUED.match(line) for line in raw[:10])
    header = glued or any(_HEADER.fullmatch(line.strip()) for line in raw[:10])
    k = 0
    while k < len(raw) and (not raw[k].strip() or _HEADER.fullmatch(raw[k].strip())):
        k += 1
    if glued and k < len(raw):
        raw[k] = raw[k].strip()[len("Subscribe"):]
    # Judge consecutive raw lines: a blank line between title and abstract (the
    # daily-papers layout) breaks the pair, so that layout scores nothing here.
    pairs = [(raw[j].strip(), raw[j + 1].strip()) for j in range(k, len(raw) - 1, 2)]
    good = sum(1 for t, a in pairs if t and not is_paragraph(t) and len(a) >= max(200, len(t)))
    if good < 2:
        return 0.0
    frac = good / len(pairs)
    if frac < 0.6:  # wrapped prose, say (the arXiv dump's abstracts): not alternation
        return 0.0
    return 0.5 + 0.3 * frac + (0.2 if header and frac >= 0.8 else 0.0)


def parse(doc: Document) -> Iterator[Record]:
    body = _body(paragraphs(doc.text()))
    # A last line without an abstract after it is page footer: ignored.
    for k in range(0, len(body) - 1, 2):
        (line, title), (_, abstract) = body[k], body[k + 1]
        if is_paragraph(title):
            raise DigestError(f"expected a paper title, found a {len(title)}-character line "
                              "(is a title or an abstract missing above?)", line=line)
        yield Record(layout=NAME, line=line, title=" ".join(title.split()),
                     abstract=" ".join(abstract.split()))
