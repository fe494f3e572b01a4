"""Dates as sources print them, read into ISO form at the precision they carry.

Feeds write RFC 822 (`Tue, 09 Sep 2025 08:39:16 +0000`) or ISO 8601, BibTeX `2013-03`
or a year and a month name, web pages `Mar 8, 2024` or `2 December, 2025`. Every
importer reads them here, so one paper gets one date whatever it came from.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?!\d)")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
# "8 Mar 2024", "08 Sep 2025", "2 December, 2025", "22 Jan 26" (an e-mail's two-digit year)
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})(?!\d)")
# "Mar 8, 2024", "March 8 2024", "Mar 2024", "March, 2024"
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?,?\s*(\d{4})(?!\d)")


def _month(name: str) -> int | None:
    name = name.lower()
    if len(name) < 3:
        return None
    month = _MONTHS.get(name[:3])
    full = ("january february march april may june july august september october "
            "november december").split()
    if month and (len(name) == 3 or full[month - 1].startswith(name) or name == "sept"):
        return month
    return None


def _valid(y: int, m: int | None, d: int | None) -> str | None:
    if not 1800 <= y <= 2200:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def iso_date(text: str | None) -> str | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY`: the date in `text` at the precision it has.

    None when `text` holds no date that can be trusted (a month 13, a day 31 of
    June, a bare number that is not a plausible year).
    """
    if not text:
        return None
    text = text.strip()
    m = _ISO.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
    m = _DAY_MONTH_YEAR.search(text)
    if m and _month(m.group(2)):
        year = int(m.group(3))
        if year < 100:
            year += 2000 if year < 91 else 1900
        return _valid(year, _month(m.group(2)), int(m.group(1)))
    for m in _MONTH_DAY_YEAR.finditer(text):
        month = _month(m.group(1))
        if month:
            return _valid(int(m.group(3)), month, int(m.group(2)) if m.group(2) else None)
    m = _YEAR.fullmatch(text) or (_YEAR.search(text) if len(text) <= 12 else None)
    if m:
        return _valid(int(m.group(1)), None, None)
    return None


def year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


# --- days and ranges of days, as digests head their weeks ---------------------------

# "June 29", "Mar 8th", "Jan 30" (validated by _month); a "-26" after one ends a range.
_MONTH_DAY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)")
_RANGE_TAIL = re.compile(r"\s*[-–—]\s*(\d{1,2})(?!\d|\s*[:/.]\d)")


def _last_month_day(text: str) -> tuple[int, int, int, int] | None:
    """(month, day, start, end) of the last day named by month and day in `text`,
    a range's end day included; start and end span every such day (the range)."""
    found = [(m, _month(m.group(1))) for m in _MONTH_DAY.finditer(text)]
    found = [(m, month) for m, month in found if month]
    if not found:
        return None
    last, month = found[-1]
    day, end = int(last.group(2)), last.end()
    tail = _RANGE_TAIL.match(text, end)
    if tail:
        day, end = int(tail.group(1)), tail.end()
    return month, day, found[0][0].start(), end


def last_day(text: str | None, year: int | None = None) -> str | None:
    """The last day that `text` names, a date or a range of days, as YYYY-MM-DD.

    `June 23 - June 29) - 2025` -> 2025-06-29, `Jan 30-Feb 5` -> Feb 5 and
    `Feb 20-26` -> Feb 26 of the year printed in `text`, else of `year`; None
    when neither gives a year (no year is guessed) or there is no day at all.
    """
    if not text:
        return None
    isos = [m for m in _ISO.finditer(text) if m.group(3)]
    if isos:
        m = isos[-1]
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    found = _last_month_day(text)
    if found is None:
        return None
    month, day, _, _ = found
    printed = _YEAR.search(text)
    y = int(printed.group(1)) if printed else year
    return _valid(y, month, day) if y else None


def printed_day(text: str | None) -> str | None:
    """The words of `text` that name a day or a range of days, as printed:
    `Top ML Papers of the Week (Jan 1-8)` -> `Jan 1-8`; None when there are none."""
    if not text:
        return None
    found = _last_month_day(text)
    if found is None:
        return None
    _, _, start, end = found
    return text[start:end]


def week_closing(iso_day: str | None) -> str | None:
    """The Sunday that closes the week of `iso_day` (how paperdeck files a listing's week)."""
    if not iso_day or len(iso_day) != 10:
        return None
    try:
        day = date.fromisoformat(iso_day)
    except ValueError:
        return None
    return date.fromordinal(day.toordinal() + (6 - day.weekday())).isoformat()
