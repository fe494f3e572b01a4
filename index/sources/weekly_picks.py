"""A Markdown table of weekly paper picks.

    | Week       | title     | category                 | abstract    | Paper-Link                                  |
    |:-----------|:----------|:-------------------------|:------------|:--------------------------------------------|
    | 2024-06-30 | LongRAG:… | Computation and Language | In tradit…  | [arxiv](https://arxiv.org/pdf/2406.15319)   |

Columns are found by their header names (any order, any case); only `abstract` is
required (a table without titles gives title=None, like the arXiv dump). Every
table in the file whose header row is followed by a `|---|` separator is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from paperdeck.index.model import DigestError, Record, category_code, parse_arxiv_id

from .base import head_lines, split_lines
from .document import Document

NAME = "weekly-picks"
DESCRIPTION = "Markdown table of weekly picks: Week | title | category | abstract | Paper-Link"

# Header names (lowercased, spaces and underscores as '-') for each field.
_COLUMNS = {
    "week": {"week", "week-ending"},
    "title": {"title", "paper-title", "paper", "name"},
    "category": {"category", "categories", "subject", "subjects", "primary-category"},
    "abstract": {"abstract", "summary"},
    "link": {"paper-link", "link", "url", "arxiv", "pdf", "paper-url", "arxiv-link"},
}
_PIPE = re.compile(r"(?<!\\)\|")  # a cell border; `\|` is a pipe inside a cell
_RULE_CHARS = set("|:- \t")  # all a |:---|---:| separator row is made of
MAX_CELLS = 5000  # a "row" with more pipes than this is not a table of papers
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _raw_cells(line: str, n: int | None = None) -> list[str]:
    """Cells of a table row, unstripped, pipes still escaped; outer borders dropped."""
    s = line.strip()
    if s.count("|") > MAX_CELLS:  # keeps a 30 MB line of pipes from becoming 30 M strings
        raise DigestError(f"table row has more than {MAX_CELLS} cells", line=n)
    cells = _PIPE.split(s)
    if s.startswith("|"):
        cells = cells[1:]
    if len(cells) > 1 and s.endswith("|") and not s.endswith("\\|"):
        cells = cells[:-1]
    return cells


def _cell(raw: str) -> str:
    return " ".join(raw.replace("\\|", "|").split())


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _is_rule(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and "-" in s and set(s) <= _RULE_CHARS


def _header(line: str, n: int | None = None) -> dict[str, int]:
    """Field name -> column index, for the columns this header row names."""
    found: dict[str, int] = {}
    for i, raw in enumerate(_raw_cells(line, n)):
        key = re.sub(r"[\s_]+", "-", _cell(raw).strip("*_` ").lower())  # `**Paper**` too
        for field, names in _COLUMNS.items():
            if key in names and field not in found:
                found[field] = i
    return found


def sniff(head: str) -> float:
    """Ours only when a table's header names an abstract column, as this layout's does.

    Any other Markdown table (a README's, an awesome list's, a papers-of-the-week
    table) is not claimed: it is another layout's, or no paper list at all.
    """
    lines = head_lines(head, 200)
    best = 0.0
    for a, b in zip(lines, lines[1:], strict=False):
        if _is_row(a) and not _is_rule(a) and _is_rule(b):
            try:
                cols = _header(a)
            except DigestError:  # thousands of columns: not a table of papers
                continue
            if "abstract" in cols:
                best = max(best, 0.95 if {"title", "link"} & set(cols) else 0.6)
    return best


def _week(cell: str) -> str | None:
    m = _ISO_DATE.search(cell)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group()).isoformat()
    except ValueError:  # 2024-13-45
        return None


def _arxiv(cell: str) -> tuple[str | None, int | None]:
    try:
        found = parse_arxiv_id(cell)
    except ValueError:  # a version of thousands of digits: int() refuses it
        found = None
    return found if found else (None, None)


def _row(n: int, line: str, cols: dict[str, int], width: int) -> Record | None:
    cells = _raw_cells(line, n)
    if len(cells) < width:
        raise DigestError(f"table row has {len(cells)} cells, the header has {width}", line=n)
    extra = len(cells) - width
    if extra:
        # Unescaped pipes: they can only be trusted to sit in the free-text abstract.
        a = cols["abstract"]
        cells[a : a + extra + 1] = ["|".join(cells[a : a + extra + 1])]
    get = {field: _cell(cells[i]) for field, i in cols.items()}
    if not get["abstract"]:
        return None
    arxiv_id, version = _arxiv(get.get("link", ""))
    categories = [category_code(c) for c in get.get("category", "").split(";") if c.strip()]
    return Record(layout=NAME, line=n, abstract=get["abstract"], title=get.get("title") or None,
                  week=_week(get.get("week", "")), categories=categories,
                  arxiv_id=arxiv_id, arxiv_version=version)


def parse(doc: Document) -> Iterator[Record]:
    text = doc.text()  # a cut-short last row is told by the missing final line end
    lines = split_lines(text)
    cols: dict[str, int] | None = None  # the current table's columns; None outside a table
    width = 0
    tables = 0
    closed = False  # the header row ends with a border pipe
    # A file that stops without a final newline may have been cut short (a broken
    # download, a full disk). Its last row is then refused, naming the line, rather
    # than imported with a truncated abstract or without its link: the user imports
    # the complete file once it is whole (decided in issue 5; see docs/guarantees.md).
    cut_at = len(lines) - 1 if text and not text.endswith(("\n", "\r")) else -1
    for i, line in enumerate(lines):
        n = i + 1
        if not _is_row(line):
            cols = None  # prose or a blank line ends a table
        elif i + 1 < len(lines) and not _is_rule(line) and _is_rule(lines[i + 1]):
            cols, width, tables = _header(line, n), len(_raw_cells(line, n)), tables + 1
            closed = line.rstrip().endswith("|")
            if "abstract" not in cols:
                missing = " and ".join(f for f in ("title", "abstract") if f not in cols)
                raise DigestError(f"table header has no {missing} column", line=n)
        elif cols is not None and not _is_rule(line):
            if i == cut_at and (len(_raw_cells(line, n)) < width
                                or (closed and not line.rstrip().endswith("|"))):
                raise DigestError("the file ends in the middle of this table row: it looks "
                                  "cut short; import the complete file", line=n)
            if rec := _row(n, line, cols, width):
                yield rec
    if not tables:
        raise DigestError("no Markdown table (a header row over a |---| separator row) found")
