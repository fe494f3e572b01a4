"""Query text as people type it, made into something the index can answer.

Search runs on every keystroke, so half-typed queries are the common case: an
open quote or bracket is closed rather than refused, and a `week:` in ISO-week
form is turned into the Sunday date the index stores.
"""

from __future__ import annotations

import datetime as dt
import re

STATUSES = ("unread", "read", "starred", "unstarred")

_ISO_WEEK_RE = re.compile(r"\b(week:)(\d{4})-?W(\d{1,2})\b", re.IGNORECASE)
_STATUS_WORD_RE = re.compile(r"(?<![\w:])is:(\S*)", re.IGNORECASE)
_QUOTED_RE = re.compile(r'"[^"]*"')


def iso_week_to_sunday(year: int, week: int) -> str | None:
    try:
        return dt.date.fromisocalendar(year, week, 7).isoformat()
    except ValueError:
        return None


def tidy(text: str) -> str:
    """Close an open phrase or bracket, translate `week:2024-W26`, drop a bare `field:`."""
    text = _ISO_WEEK_RE.sub(
        lambda m: m.group(1) + (iso_week_to_sunday(int(m.group(2)), int(m.group(3)))
                                or f"{m.group(2)}-W{m.group(3)}"), text)
    if text.count('"') % 2:
        text += '"'
    # Brackets inside a phrase are words, not grouping.
    bare = _QUOTED_RE.sub(" ", text)
    depth = 0
    for ch in bare:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    if bare.count(")") > bare.count("("):
        # A stray closing bracket groups nothing: drop the extra ones from the end.
        extra = bare.count(")") - bare.count("(")
        text = text[::-1].replace(")", "", extra)[::-1]
    text += ")" * depth
    # `title:` with nothing after it yet (or `title:()`) would search the word "title".
    text = re.sub(r"\b\w+:(\(\s*\)|\"\s*\")?(?=\s|$)", " ", text)
    return " ".join(text.split())


def status_error(text: str) -> str | None:
    """A clear message for `is:` with a status the library does not have."""
    for m in _STATUS_WORD_RE.finditer(text):
        # A bare `is:` is still being typed.
        if m.group(1) and m.group(1).lower() not in STATUSES:
            return (f"unknown status is:{m.group(1)}: use "
                    + ", ".join(f"is:{s}" for s in STATUSES))
    return None
