"""How one field of a paper is read from a JSON value or a CSV cell.

Text (entities decoded, whitespace joined), authors (a string split on `,`/`and`/`;`,
or a list of names, `{name}`, `{family, given}` or arXiv's `[last, first, suffix]`),
dates (strings, year numbers, CSL-JSON's `date-parts`), categories and keywords.
fields_guess.py decides which value is which field; this module reads them.
"""

from __future__ import annotations

import html
import math
import re
from functools import lru_cache
from typing import Any

from paperdeck.index.model import category_code

from .dates import iso_date


@lru_cache(maxsize=8192)
def norm(name: str) -> str:
    """A key as compared: `Paper_URL`, `paper-url`, `paperUrl` and `paper url` are one."""
    return re.sub(r"[\s_.\-]+", "", name.lower())


# A whole entity, `;` included: html.unescape alone would also read `&not` in `x&notation`.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def clean(text: str) -> str:
    """One line of text: HTML entities decoded, runs of whitespace one space."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return " ".join(text.split())


def filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def text_of(value: Any) -> str | None:
    """Text of a value: strings, numbers, a list of strings, a `{text}` object (tldr)."""
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        parts = [clean(v) for v in value if isinstance(v, str) and v.strip()]
        return " ".join(parts) or None
    if isinstance(value, dict):
        for key in ("text", "value", "literal", "name"):
            if isinstance(value.get(key), str):
                return clean(value[key]) or None
    return None


def strings(value: Any) -> list[str]:
    """Every string in a value or one level of list (github_links: [...])."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def web_link(value: Any) -> str | None:
    for s in strings(value):
        if re.match(r"(?i)(https?://|www\.)\S+$", s):
            return s
    return None


def _flip(name: str) -> str:
    """`Vaswani, Ashish` -> `Ashish Vaswani`; anything else as it is."""
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if last and first:
            return f"{first} {last}"
    return name


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def _split_names(text: str) -> list[str]:
    """Authors written as one string: `A and B`, `A, B and C`, `Last, First; Last, First`."""
    text = clean(text)
    last, comma, first = text.partition(",")
    if comma and "," not in first and " and " not in first and not re.search(r"\s", last) \
            and len(first.split()) <= 3:
        return [_flip(text)]  # `Vaswani, Ashish`: one name, family name first
    if ";" in text:
        return [_flip(p.strip()) for p in text.split(";") if p.strip()]
    halves = re.split(r"\s+and\s+", text)
    if len(halves) > 1 and all(h.count(",") == 1 for h in halves):  # BibTeX style
        return [_flip(h) for h in halves]
    return [p for p in _NAME_SEPARATORS.split(text) if p]


_SPACED_HYPHEN = re.compile(r"(?<=\.)\s+-(?=\w)")


def _person(item: Any) -> str | None:
    if isinstance(item, str):
        return _flip(clean(item)) or None
    if isinstance(item, list):  # arXiv's authors_parsed: [last, first, suffix]
        parts = [clean(p) for p in item if isinstance(p, str)]
        if parts:
            # arXiv writes hyphenated initials `C. -P.`; the name is `C.-P.`
            parts = [_SPACED_HYPHEN.sub("-", p) if " -" in p else p for p in parts]
            last, first, rest = parts[0], parts[1:2], parts[2:]
            return " ".join(p for p in [*first, last, *rest] if p) or None
        return None
    if isinstance(item, dict):
        kind = item.get("creatorType")
        if isinstance(kind, str) and kind.lower() not in ("author", "contributor"):
            return None  # a Zotero editor or translator is not an author
        lower = {norm(k): v for k, v in item.items() if isinstance(v, str) and v.strip()}
        for first, last in (("given", "family"), ("firstname", "lastname"),
                            ("first", "last"), ("forename", "surname")):
            if last in lower:
                return clean(f"{lower.get(first, '')} {lower[last]}")
        for key in ("name", "fullname", "literal", "displayname"):
            if key in lower:
                return clean(lower[key])
    return None


def authors_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return _split_names(value)
    if isinstance(value, list):
        return [p for p in map(_person, value) if p]
    if isinstance(value, dict):  # one author given alone
        person = _person(value)
        return [person] if person else []
    return []


def date_of(value: Any) -> str | None:
    """ISO date of a string, a year number, or CSL-JSON's `{date-parts: [[y, m, d]]}`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        # JSON may carry Infinity or NaN, which no date is
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return iso_date(str(int(value))) if value == int(value) else None
    if isinstance(value, str):
        return iso_date(value)
    if isinstance(value, dict):
        parts = value.get("date-parts") or value.get("dateParts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                nums = [int(p) for p in parts[0][:3]]
            except (TypeError, ValueError, OverflowError):
                nums = []
            if nums:
                return iso_date("-".join(f"{n:02d}" for n in nums) if len(nums) > 1
                                else str(nums[0]))
        for key in ("raw", "literal", "date-time", "timestamp"):
            if isinstance(value.get(key), str):
                return iso_date(value[key])
    if isinstance(value, list) and value:
        return date_of(value[0])
    return None


_CODE_LIKE = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?")


def terms(value: Any, codes: bool) -> list[str]:
    """Categories or keywords from a string (`;`/`,` lists, or arXiv's `cs.CL cs.LG`)."""
    items: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            v = v.get("term") or v.get("tag") or v.get("name")
        if not isinstance(v, str) or not v.strip():
            continue
        if ";" in v or "," in v:
            items += [p.strip() for p in re.split(r"[;,]", v) if p.strip()]
        elif codes and all(_CODE_LIKE.fullmatch(t) for t in v.split()):
            items += v.split()
        else:
            items.append(clean(v))
    if codes:
        items = [category_code(i) for i in items]
    return list(dict.fromkeys(items))


def is_short_name(title: str, abstract: str) -> bool:
    """A short name standing for the title (`Llemma`, `Self-RAG`), not the title itself.

    One word is a name; two or three words are one when the abstract introduces
    them by that name ("We present Llemma, ..."). Longer titles and titles with a
    colon are real titles.
    """
    words = title.split()
    if ":" in title or len(words) > 3:
        return False
    return len(words) == 1 or (bool(abstract) and title in abstract)
