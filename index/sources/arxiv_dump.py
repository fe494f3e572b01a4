"""A dataset dump of arXiv ids and abstracts (a Hugging Face viewer copy-paste).

    stringlengths 9             <- column header debris: not records
    | abstract
    stringlengths 431
    2112.09332 | We fine-tune GPT-3 to answer ... from Reddit. |
    2303.11366v1 | Large language models (LLMs) have been increasingly used to interact with external
    environments (e.g., games, compilers, APIs) as goal-driven agents. However, it
    ...
    We release all code, demos, and datasets at |

A record starts at a line `ARXIVID[vN] | ` and runs until the next such line; the
abstract is wrapped over the lines between and ends with the column's ` |`. There
are no titles. An id listed twice stays two records: merging them is the merge step's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import head_lines
from .document import Document

NAME = "arxiv-dump"
DESCRIPTION = "arXiv dataset dump: 'ARXIVID[vN] | abstract |', abstracts wrapped over lines"

# New-style ids only (YYMM.NNNNN, valid month). The version is bounded so int() can
# never be handed thousands of digits (Python refuses those with ValueError).
_ID_LINE = re.compile(r"\s*(\d\d(?:0[1-9]|1[0-2])\.\d{4,5})(?:v(\d{1,6}))?\s*\|")


def sniff(head: str) -> float:
    lines = head_lines(head, 200)
    ids = sum(1 for line in lines if _ID_LINE.match(line))
    if not ids:
        return 0.0
    # Continuation lines are normal, so judge by the count of id lines, not a ratio.
    score = 0.6 + 0.3 * min(1.0, ids / 3)
    if any(line.startswith("stringlengths") for line in lines[:10]):
        score += 0.1
    return min(score, 1.0)


def _record(line: int, arxiv_id: str, version: str | None, parts: list[str]) -> Record | None:
    abstract = " ".join(" ".join(parts).split())
    if abstract.endswith("|"):  # the column's closing pipe; `...methods.111 |` keeps its text
        abstract = abstract[:-1].rstrip()
    if not abstract:
        return None
    return Record(layout=NAME, line=line, abstract=abstract, title=None, arxiv_id=arxiv_id,
                  arxiv_version=int(version) if version else None)


def parse(doc: Document) -> Iterator[Record]:
    current: tuple[int, str, str | None] | None = None
    parts: list[str] = []
    for n, line in doc.lines():
        m = _ID_LINE.match(line)
        if m:
            if current and (rec := _record(*current, parts)):
                yield rec
            current, parts = (n, m.group(1), m.group(2)), [line[m.end():]]
        elif current:
            parts.append(line)
        # lines before the first id are the column header ("stringlengths 9", "| abstract")
    if current and (rec := _record(*current, parts)):
        yield rec
    if current is None:
        raise DigestError("no 'ARXIVID | abstract' line found (such as '2112.09332 | We ...')")
