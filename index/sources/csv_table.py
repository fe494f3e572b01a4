"""A CSV or TSV table of papers with a header row.

    Title,Description,PaperURL,TweetURL,Abstract
    Llemma,"an LLM for mathematics ...",https://arxiv.org/abs/2310.10631,https://x.com/...,"We present
    Llemma, a large language model for mathematics. ..."

Columns are found by their header names, as JSON keys are (fields_guess.py):
`title`, `abstract`/`summary`, `authors`, `url`/`paper_url`/`arxiv_id`, `published`/
`date`/`year`, `categories`, `doi`, ...; `--map title=COLUMN` names any other. The
delimiter (comma, tab or semicolon; Excel's `sep=;` first line too) is the one under
which the header names paper columns and the rows have as many fields as the header.
Quoted fields may run over several lines; each record has the line it starts on.
Read through csv.reader over doc.lines(): memory holds one row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from paperdeck.index.model import DigestError, Record

from .base import HEAD_CHARS, MAX_ABSTRACT_CHARS, split_lines
from .document import Document
from .fields_guess import MAX_ENTRY_CHARS, RecordMaker, lookup, telling_names

NAME = "csv"
DESCRIPTION = ("CSV or TSV table with a header row naming its columns (title, abstract, "
               "url, authors, ...)")

DELIMITERS = (",", "\t", ";")  # not '|': that is a Markdown table's
MAX_COLUMNS = 1_000  # a table of papers has a dozen; a million is an attack or a mistake
_SEP_LINE = re.compile(r"sep=(.)")  # Excel's first line naming the delimiter
_SAMPLE_ROWS = 50


class Dialect(NamedTuple):
    delimiter: str
    header_line: int  # 1-based line of the header row
    score: float
    columns: list[str]


def _rows(text: str, delimiter: str) -> list[list[str]]:
    """The first rows of `text` under `delimiter`, as far as they parse."""
    out: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    try:
        out.extend(islice(reader, _SAMPLE_ROWS + 1))
    except csv.Error:
        pass
    return out


def _start(head: str) -> tuple[int, str | None, list[str]]:
    """(line of the header row, the delimiter a `sep=` line names, the head's lines)."""
    lines = split_lines(head)
    first = 0
    while first < len(lines) - 1 and not lines[first].strip():
        first += 1
    m = _SEP_LINE.fullmatch(lines[first].strip()) if lines else None
    if m and m.group(1) in DELIMITERS:
        return first + 2, m.group(1), lines
    return first + 1, None, lines


def dialect(head: str, mapped: list[str] | None = None) -> Dialect | None:
    """The delimiter under which `head` reads as a table of papers, and how surely.

    None when no delimiter gives a header row of two to MAX_COLUMNS columns.
    With `mapped` (the columns a --map names), the header must hold those instead
    of recognisable names.
    """
    header_line, forced, lines = _start(head)
    cut = len(head) >= HEAD_CHARS  # the head may end inside the last row
    body = lines[header_line - 1:]
    if cut:
        body = body[:-1]
    if not body:
        return None
    sample = "\n".join(body)
    best: Dialect | None = None
    for delimiter in (forced,) if forced else DELIMITERS:
        if body[0].count(delimiter) >= MAX_COLUMNS:
            continue
        rows = [r for r in _rows(sample, delimiter) if any(c.strip() for c in r)]
        if cut and len(rows) > 1:
            rows = rows[:-1]  # a quoted field may run past the head
        if not rows or len(rows[0]) < 2:
            continue
        header = [c.strip() for c in rows[0]]
        if mapped:
            known = all(lookup(dict.fromkeys(header), col)[0] for col in mapped)
            score = 0.9 if known else 0.0
        else:
            found = telling_names(header)
            score = 0.9 if "text" in found else 0.7 if found else 0.0
        data = rows[1:]
        if data and sum(len(r) == len(header) for r in data) < 0.8 * len(data):
            score = 0.0  # the rows do not keep the header's shape under this delimiter
        if score and (best is None or score > best.score):
            best = Dialect(delimiter, header_line, score, header)
    return best


def sniff(head: str) -> float:
    found = dialect(head)
    return found.score if found else 0.0


def _refusal(head: str, maker: RecordMaker) -> DigestError:
    """Why a file forced to be read as CSV is not a table of papers."""
    header_line, _, lines = _start(head)
    first = lines[header_line - 1] if header_line <= len(lines) else ""
    wide = max(first.count(d) for d in DELIMITERS) + 1
    if wide > MAX_COLUMNS:
        more = "more than " if header_line == len(lines) and len(head) >= HEAD_CHARS else ""
        return DigestError(f"a header row of {more}{wide:,} columns; a table of papers has at "
                           f"most {MAX_COLUMNS:,}", line=header_line)
    columns = max(((_rows(first, d) or [[]])[0] for d in DELIMITERS), key=len)
    shown = ", ".join(c.strip()[:40] for c in columns[:20]) or "none"
    if maker.mapping:
        return DigestError(f"--map {' '.join(f'{f}={c}' for f, c in maker.mapping.items())}: "
                           f"no such column in the header row (columns: {shown})",
                           line=header_line)
    return DigestError(f"the first row names no paper column, or the rows do not keep its "
                       f"shape (columns: {shown}); say which column holds what with "
                       "--map title=COLUMN --map abstract=COLUMN", line=header_line)


def parse(doc: Document) -> Iterator[Record]:
    maker = RecordMaker(NAME, doc, what="column")
    found = dialect(doc.head, list(maker.mapping.values()) or None)
    if found is None:
        raise _refusal(doc.head, maker)
    row_chars = row_quotes = 0
    row_start = found.header_line
    ended = False

    def lines() -> Iterator[str]:
        nonlocal row_chars, row_quotes, ended
        for n, line in doc.lines():
            if n < found.header_line:
                continue
            if len(line) > MAX_ENTRY_CHARS:
                raise DigestError(f"a line of {len(line):,} characters; the longest row "
                                  f"paperdeck reads is {MAX_ENTRY_CHARS:,}", line=n)
            row_chars += len(line) + 1
            row_quotes += line.count('"')
            if row_chars > MAX_ENTRY_CHARS:
                raise DigestError(f"a row of more than {MAX_ENTRY_CHARS:,} characters starts "
                                  "here (a quote left open?); a paper's row is far shorter",
                                  line=row_start)
            yield line + "\n"
        ended = True

    reader = csv.reader(lines(), delimiter=found.delimiter, skipinitialspace=True)
    header: list[str] | None = None
    while True:
        row_start, row_chars, row_quotes = found.header_line + reader.line_num, 0, 0
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(exc, row_start) from None
        if ended and row_quotes % 2 and row and row[-1].endswith("\n"):
            # The last quoted field never closed: the file was cut inside it (a broken
            # download). Refused rather than read with a cut abstract, like a cut table.
            raise DigestError("the file ends inside a quoted field that starts in this row: "
                              "it looks cut short; import the complete file", line=row_start)
        if header is None:
            header = [c.strip() for c in row]
            width = len(header)
            keep: dict[str, int] = {}  # a name twice: the first column counts
            for i, name in enumerate(header):
                keep.setdefault(name, i)
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            maker.warn("width", f"a row of {len(row):,} fields under a header of {width}: "
                       "passed over", row_start)
            continue
        row += [""] * (width - len(row))
        rec = maker.record({name: row[i] for name, i in keep.items()}, row_start)
        if rec is not None:
            yield rec
    maker.finish()


def _csv_error(exc: csv.Error, line: int) -> DigestError:
    if "field larger than field limit" in str(exc):
        return DigestError(f"a field of more than {csv.field_size_limit():,} characters; the "
                           f"longest paperdeck accepts is {MAX_ABSTRACT_CHARS:,} (an abstract)",
                           line=line)
    return DigestError(f"not a CSV row: {exc}", line=line)
