"""How the reader names things in little room: the tree's nodes (each in a few variants,
longest first, so that a narrow pane shows one that fits and still differs from its
neighbours), the list's header, and the list's date column (one display, at the
precision the library knows: a week, a month, a year, or a day without its year)."""

from __future__ import annotations

import datetime as dt
import re

from rich.cells import cell_len, set_cell_size

from paperdeck.index.model import category_name
from paperdeck.index.views import NavNode, Scope

MONTHS = ("January February March April May June July August September October "
          "November December").split()
ABBR = [m[:3] for m in MONTHS]


def _fit(text: str, room: int) -> str:
    if cell_len(text) <= room:
        return text
    if room <= 1:
        return "…"[:max(room, 0)]
    return set_cell_size(text, room - 1).rstrip() + "…"


def sibling_names(siblings: list[tuple[list[str], int, bool]]) -> list[str]:
    """The names of a node's children as drawn, from each one's (variants longest first,
    room, may be cut): the same variant for all (`June`, `May`, not `June 2024` beside
    `September`), the longest with which every name fits (or is cut, if it may be) and
    differs from the others; failing that, the shortest, cut."""
    most = max((len(variants) for variants, _, _ in siblings), default=0)
    for i in range(most):
        names = []
        for variants, room, cut_ok in siblings:
            v = variants[min(i, len(variants) - 1)]
            if cell_len(v) <= room:
                names.append(v)
            elif cut_ok and room > 1:
                names.append(_fit(v, room))
            else:
                break
        else:
            if len(set(names)) == len(names):
                return names
    return [_fit(variants[-1], room) for variants, room, _ in siblings]


# --- weeks and months -------------------------------------------------------------------


def week_days(value: str) -> tuple[dt.date, dt.date] | None:
    """The Monday and Sunday of the week that `value` (the Sunday closing it) names."""
    try:
        sunday = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    monday = sunday - dt.timedelta(days=sunday.isoweekday() - 1)
    return monday, monday + dt.timedelta(days=6)


def _span(monday: dt.date, sunday: dt.date) -> str:
    if monday.month == sunday.month:
        return f"{ABBR[monday.month - 1]} {monday.day}–{sunday.day}"
    return f"{ABBR[monday.month - 1]} {monday.day}–{ABBR[sunday.month - 1]} {sunday.day}"


def week_variants(value: str) -> list[str]:
    """`W26 · Jun 24–30`, `W26 Jun 24–30`, `W26`; the value itself if it is no date."""
    days = week_days(value)
    if days is None:
        return [value]
    monday, sunday = days
    number = f"W{sunday.isocalendar()[1]:02d}"
    span = _span(monday, sunday)
    return [f"{number} · {span}", f"{number} {span}", number]


def week_title(value: str) -> str:
    """The week as a header names it: `W26 · Jun 24–30, 2024`."""
    days = week_days(value)
    if days is None:
        return f"Week {value}"
    return f"{week_variants(value)[0]}, {days[1].isocalendar()[0]}"


def _month(value: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def month_variants(value: str) -> list[str]:
    """`June 2024`, `June`, `Jun`."""
    ym = _month(value)
    if ym is None:
        return [value]
    year, month = ym
    return [f"{MONTHS[month - 1]} {year}", MONTHS[month - 1], ABBR[month - 1]]


# --- the tree's nodes -------------------------------------------------------------------


# Nodes named by a code or a file: their longer names may be cut, what comes first
# tells them apart.
MAY_CUT = ("category", "source")


def node_variants(node: NavNode) -> list[str]:
    """What a node of the tree can be called, longest first."""
    scope = node.scope
    if scope is None or scope.value is None:
        return [node.label]
    kind, value = scope.kind, scope.value
    # A value that is no date (a "no week" node of the library's own) keeps its label.
    if kind == "week" and week_days(value) is not None:
        return week_variants(value)
    if kind == "month" and _month(value) is not None:
        return month_variants(value)
    if kind in ("week", "month"):
        return [node.label]
    if kind == "category":
        name = category_name(value)
        return [value] if name == value else [f"{value} {name}", value]
    if kind == "source":
        layout = ""
        if node.label.startswith(value + " (") and node.label.endswith(")"):
            layout = node.label[len(value) + 2:-1]
        stem = value.rsplit(".", 1)[0]
        # The layout first tells the files of a few kinds apart; the file name, files
        # of one kind.
        variants = [f"{layout} {value}", f"{value} · {layout}"] if layout else []
        return variants + [value] + ([stem] if stem and stem != value else [])
    return [node.label]


def scope_title(scope: Scope) -> str:
    """A node as the list's header names it."""
    if scope.kind == "week" and scope.value and week_days(scope.value) is not None:
        return week_title(scope.value)
    if scope.kind == "month" and scope.value and _month(scope.value) is not None:
        return month_variants(scope.value)[0]
    if scope.kind == "year" and scope.value:
        return scope.value
    if scope.kind == "category" and scope.value:
        name = category_name(scope.value)
        return scope.value if name == scope.value else f"{scope.value} {name}"
    return scope.label


# --- the list's date column ---------------------------------------------------------------

_DAY_MONTH = re.compile(r"(?i)^\s*([a-z]{3})[a-z]*\.?\s+(\d{1,2})\s*$")


def list_date(date: str) -> str:
    """A row's date (the library's week, month, year or page date) as the date column
    shows it: `2024-W26` (a week: the ISO week), `2024-06`, `2024`, `????-03-11` (a
    page date printed without its year); anything else as it is."""
    if not date:
        return ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        days = week_days(date)
        if days is not None:
            year, week, _ = days[1].isocalendar()
            return f"{year}-W{week:02d}"
    m = _DAY_MONTH.match(date)
    if m and m.group(1).title() in ABBR and 1 <= int(m.group(2)) <= 31:
        return f"????-{ABBR.index(m.group(1).title()) + 1:02d}-{int(m.group(2)):02d}"
    return date
