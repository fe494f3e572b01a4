"""A daily-papers page, saved as text.

    new
    Get trending papers in your email inbox!     <- page header: not records
    Subscribe
    byAK and the research community
    Mar 11                                       <- the page's date, no year
    One Eye is All You Need: Lightweight Ensembles for Gaze Estimation ...
                                                 <- one blank line between paragraphs
    Gaze estimation has grown rapidly in accuracy in recent years. ...

After the date line, paragraphs alternate title, abstract. The date is kept as
printed (date_label="Mar 11") on every record: the page gives no year and we never
guess one. A later date line (a page spanning several days) relabels what follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import head_paragraphs, is_paragraph, paragraphs
from .document import Document

NAME = "daily-papers"
DESCRIPTION = "daily-papers page: a date line ('Mar 11'), then title / abstract paragraphs"

_DATE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2}"
                   r"(?:, \d{4})?")
_HEADER_WORDS = ("Subscribe", "trending papers", "byAK")


def sniff(head: str) -> float:
    paras = [p for _, p in head_paragraphs(head, 100)]
    d = next((i for i, p in enumerate(paras[:30]) if _DATE.fullmatch(p)), None)
    if d is None:
        return 0.0
    pair = paras[d + 1 : d + 3]
    if len(pair) < 2 or is_paragraph(pair[0]) or len(pair[1]) <= len(pair[0]):
        return 0.3  # a date, but no title/abstract after it
    header = " ".join(paras[:d])
    return 0.8 + (0.15 if any(w in header for w in _HEADER_WORDS) else 0.0)


def parse(doc: Document) -> Iterator[Record]:
    paras = paragraphs(doc.text())
    i = next((k for k, (_, p) in enumerate(paras) if _DATE.fullmatch(p)), None)
    if i is None:
        raise DigestError("no date line (such as 'Mar 11') in the page header")
    label = paras[i][1]
    i += 1
    while i < len(paras):
        line, title = paras[i]
        if _DATE.fullmatch(title):
            label, i = title, i + 1
            continue
        if i + 1 == len(paras):
            break  # a last paragraph without an abstract is page footer
        abstract = paras[i + 1][1]
        if is_paragraph(title) or _DATE.fullmatch(abstract):
            raise DigestError("expected a paper title followed by its abstract "
                              "(is a title or an abstract missing here?)", line=line)
        yield Record(layout=NAME, line=line, title=" ".join(title.split()),
                     abstract=" ".join(abstract.split()), date_label=label)
        i += 2
