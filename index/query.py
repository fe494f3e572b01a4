"""Query text as people type it, made into something the index can answer.

Search runs on every keystroke, so half-typed queries are the common case: an
open quote or bracket is closed rather than refused, and a `week:` in ISO-week
form is turned into the Sunday date the index stores.
"""

from __future__ import annotations

import datetime as dt
import re

from .fields import FIELD_ALIASES, QUERY_FIELDS
from .links import find_arxiv_id

STATUSES = ("unread", "read", "starred", "unstarred")

_QUOTED_RE = re.compile(r'"[^"]*"')


def iso_week_to_sunday(year: int, week: int) -> str | None:
    try:
        return dt.date.fromisocalendar(year, week, 7).isoformat()
    except ValueError:
        return None


# --- the values of the dated fields, shared by the query language and the CLI's options ---

_WEEK_RE = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")


def week_value(text: str) -> str | None:
    """The Sunday (ISO date) that names the week of `text`: an ISO week (2024-W26) or any
    date of the week (Monday to Sunday, the rule importing files weeks by); else None."""
    text = text.strip()
    m = _WEEK_RE.fullmatch(text)
    if m:
        return iso_week_to_sunday(int(m.group(1)), int(m.group(2)))
    if _DATE_RE.fullmatch(text):
        try:
            y, m_, d = (int(x) for x in text.split("-"))
            day = dt.date(y, m_, d)
        except ValueError:
            return None
        return (day + dt.timedelta(days=6 - day.weekday())).isoformat()
    return None


def month_value(text: str) -> str | None:
    """`2024-06` (or `2024-6`) as the library spells a month; else None."""
    m = _MONTH_RE.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def year_value(text: str) -> str | None:
    text = text.strip()
    return text if re.fullmatch(r"[12]\d{3}", text) else None


# What each dated field takes: (what one is, the forms to show, how to read one).
VALUE_FORMS = {
    "week": ("a week", ("2024-06-30", "2024-W26"), week_value),
    "month": ("a month", ("2024-06",), month_value),
    "year": ("a year", ("2024",), year_value),
}


def forms(field: str, prefix: str = "") -> str:
    """The valid forms of a field's value, for a message: `2024-06-30 or 2024-W26`."""
    return " or ".join(prefix + f for f in VALUE_FORMS[field][1])


# --- arXiv ids, in every form people paste -------------------------------------------

# Every name a query can put before `:` (the index's fields, their aliases, `is:`), and
# `arxiv:` (a citation: arXiv:2406.15319) which names the id field.
FIELD_NAMES = frozenset((*QUERY_FIELDS, *(a for names in FIELD_ALIASES.values()
                                          for a in names), "is", "arxiv"))
_TOKEN_RE = re.compile(r"\S+")
_SPLIT_QUOTED_RE = re.compile(r'("[^"]*"?)')
# An id standing alone: new style (2406.15319v2) or old style (hep-th/9901001).
_WHOLE_ID_RE = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?/\d{7}"
                          r"(?:v\d+)?", re.IGNORECASE)


_CITED_CATEGORY_RE = re.compile(r"(\bid:\S+)\s+\[[a-z-]+(?:\.[A-Za-z-]+)?\](?=\s|$)")


def _arxiv_term(core: str) -> str | None:
    """`id:ID` for a token that names an arXiv id (`2406.15319`, `id:2406.15319v2`,
    `arXiv:2406.15319`, an arxiv.org, Hugging Face or DOI link), else None."""
    name, colon, rest = core.partition(":")
    name = name.lower()
    if colon and name in ("id", "arxiv"):
        found = find_arxiv_id(rest) if rest else None
    elif colon and name in FIELD_NAMES:
        return None  # `title:2406.15319` searches the title
    else:
        found = find_arxiv_id(core, bare=False) or (
            find_arxiv_id(core) if _WHOLE_ID_RE.fullmatch(core) else None)
    return f"id:{found[0]}" if found else None


def arxiv_ids_as_terms(text: str) -> str:
    """Each arXiv id outside a phrase, in whatever form it was typed or pasted, as the
    term `id:ID` (no version: the index keeps one paper per id)."""
    def token(m: re.Match) -> str:
        tok = m.group(0)
        core = tok.lstrip("(")
        lead = tok[: len(tok) - len(core)]
        stripped = core.rstrip(")")
        trail = core[len(stripped):]
        term = _arxiv_term(stripped)
        return lead + term + trail if term else tok

    parts = _SPLIT_QUOTED_RE.split(text)
    # split() with a group: the phrases sit at the odd indexes
    text = "".join(p if i % 2 else _TOKEN_RE.sub(token, p) for i, p in enumerate(parts))
    # A pasted citation, `arXiv:2406.15319 [cs.CL]`: the bracket is the id's category.
    return _CITED_CATEGORY_RE.sub(r"\1", text)


# --- fields ------------------------------------------------------------------------------

# `name:value` outside a phrase (a phrase is matched whole, so a colon inside one is a
# word's), the value a word, a "phrase" or a (group); a link's `https:` is a name too.
_FIELD_OR_PHRASE_RE = re.compile(
    r'(?<![\w:./-])(?P<name>[A-Za-z_]\w*):(?P<value>"[^"]*"?|\([^()]*\)?|[^\s()"]*)'
    r'|"[^"]*"?')


def field_values(text: str) -> list[tuple[str, str]]:
    """(name as typed, value as typed) of each `name:value` outside a phrase."""
    return [(m.group("name"), m.group("value")) for m in _FIELD_OR_PHRASE_RE.finditer(text)
            if m.group("name")]


def _normal_field(m: re.Match) -> str:
    """A field's name in lower case (`Title:` is `title:`), a date in the index's form."""
    name, value = m.group("name"), m.group("value")
    if name is None or name.lower() not in FIELD_NAMES:
        return m.group(0)
    name = name.lower()
    if name in VALUE_FORMS and value and value[0] not in '"(':
        value = VALUE_FORMS[name][2](value) or value  # a bad one stays, to be named
    return f"{name}:{value}"


def tidy(text: str) -> str:
    """Close an open phrase or bracket, translate arXiv ids in any form (`2406.15319v2`,
    `arXiv:...`, links) to the index's terms and dates (`week:2024-W26`, any day of a
    week, `month:2024-6`) to its values, lower-case field names, drop a bare `field:`."""
    text = arxiv_ids_as_terms(text)
    text = _FIELD_OR_PHRASE_RE.sub(_normal_field, text)
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


# --- what is wrong with a query, named with what to write instead ------------------------

FIELD_LIST = ("title:, abstract:, author:, category:, week:, month:, year:, source:, id: "
              "and is:")


def some(items: list[str], at_most: int = 12) -> str:
    """`a, b, c` or, for a long list, its first `at_most` and how many more."""
    if len(items) <= at_most:
        return ", ".join(items)
    return ", ".join(items[:at_most]) + f" and {len(items) - at_most} more"


def _or(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


def _value_problem(name: str, value: str) -> str | None:
    if name == "is":
        if value.lower() not in STATUSES:
            return (f"is:{value} is not a reading status (write "
                    + _or([f"is:{s}" for s in STATUSES]) + ")")
    elif name in VALUE_FORMS:
        what, _, read = VALUE_FORMS[name]
        if read(value) is None:
            day = "; any day of a week names it" if name == "week" else ""
            return f"{name}:{value} is not {what} (write {forms(name, name + ':')}{day})"
    elif name in ("id", "arxiv") and not (_WHOLE_ID_RE.fullmatch(value)
                                          and find_arxiv_id(value)):
        return (f"{name}:{value} is not an arXiv id (write id:2406.15319, any version, "
                "or id:hep-th/9711200; a pasted arXiv link finds its paper too)")
    return None


def query_error(text: str) -> str | None:
    """What is wrong with a (tidied) query, naming the forms to write instead; None when
    nothing is. An unknown field is an error (Whoosh would search `foo:bar` as words)."""
    for name, value in field_values(text):
        low = name.lower()
        if low not in FIELD_NAMES:
            if value.startswith("//"):
                return (f"{name}:{value} names no arXiv paper (a link finds its paper when "
                        "it is an arxiv.org, Hugging Face or arXiv DOI link)")
            return (f"unknown field {name}: (the fields are {FIELD_LIST}; to search the "
                    f'words, put them in quotes: "{name}:{value}")')
        # A value still being typed is no error; a phrase, a group, a wildcard are Whoosh's.
        if value and value[0] not in '"(' and not any(c in value for c in "*?"):
            problem = _value_problem(low, value)
            if problem:
                return problem
    return None
