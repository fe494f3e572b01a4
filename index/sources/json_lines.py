"""JSON Lines: one paper a line, as a JSON object.

    {"id": "0704.0001", "authors": "C. Bal\\'azs, E. L. Berger, ...", "title": "Calculation of
     prompt diphoton production cross sections at Tevatron and\\n  LHC energies",
     "categories": "hep-ph", "abstract": "  A fully differential calculation ...",
     "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], ...}

The arXiv metadata snapshot (millions of such lines, each on one line) and the JSON
Lines exports of any tool; the keys are read by fields_guess.py. Read line by line
through doc.lines(): memory holds one line, whatever the file's size. A line that
is not a JSON object is passed over with its number; a file where most are not is
not JSON Lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import HEAD_CHARS, head_lines
from .document import Document
from .fields_guess import MAX_ENTRY_CHARS, RecordMaker, looks_like_paper

NAME = "json-lines"
DESCRIPTION = "JSON Lines: one paper object a line (the arXiv metadata snapshot, tool exports)"

_GIVE_UP = 20  # lines that are not objects, with none that is, before the file is refused


def _object(text: str) -> tuple[dict | None, str]:
    """(the line's object, "") or (None, why it is not one: "" or " (the JSON error)")."""
    s = text.strip().lstrip("\ufeff")
    if not s.startswith("{"):
        return None, ""
    try:
        value = json.loads(s)
    except RecursionError:
        return None, " (nested too deep)"
    except ValueError as exc:  # JSONDecodeError, and an integer of thousands of digits
        return None, f" ({getattr(exc, 'msg', None) or 'not valid JSON'})"
    if not isinstance(value, dict):
        return None, ""
    return value, ""


def sniff(head: str) -> float:
    lines = head_lines(head, 60)
    if len(head) >= HEAD_CHARS:
        lines = lines[:-1]  # the head may end inside the last line
    objects, bad = [], 0
    for line in lines:
        if not line.strip():
            continue
        if not line.lstrip().startswith("{") or not line.rstrip().endswith("}"):
            obj = None
        else:
            obj, _ = _object(line)
        if obj is None:
            if not objects:
                return 0.0  # the first line must be an object
            bad += 1
        else:
            objects.append(obj)
    if not objects or bad * 5 > len(objects):
        return 0.0
    paperish = any(looks_like_paper(obj) for obj in objects[:10])
    if len(objects) == 1:  # one line: an object holding a list is the json layout's
        return 0.9 if paperish else 0.0
    # Lines that parse as JSON objects are JSON Lines for sure; whether they hold papers
    # is for parse() to say (a shape nobody can guess is refused with its keys).
    return 0.97 if paperish else 0.95


def parse(doc: Document) -> Iterator[Record]:
    maker = RecordMaker(NAME, doc)
    good, bad = 0, []
    for n, line in doc.lines():
        if len(line) > MAX_ENTRY_CHARS:
            raise DigestError(f"a line of {len(line):,} characters; the longest record "
                              f"paperdeck reads is {MAX_ENTRY_CHARS:,}", line=n)
        if not line.strip():
            continue
        obj, why = _object(line)
        if obj is None:
            bad.append((n, why))
            if not good and len(bad) >= _GIVE_UP:
                break
            maker.warn("lines", f"not a JSON object{why}: line passed over", n)
            continue
        good += 1
        rec = maker.record(obj, n)
        if rec is not None:
            yield rec
    if bad and len(bad) > good:
        n, why = bad[0]
        raise DigestError(f"not JSON Lines: this line is not a JSON object{why}, nor are most "
                          "others", line=n)
    maker.finish()
