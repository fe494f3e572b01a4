"""A vote count as a page prints it (`94`, `1,204`, `1.2k`, `▲ 94`, `94 upvotes`), read
as a number: Hugging Face's daily and trending pages, their Markdown saves, JSON answers.
"""

from __future__ import annotations

import math
import re
from typing import Any

_COUNT = re.compile(r"(?i)^\s*(?:▲|upvotes?|votes?|likes?)?\s*[:：]?\s*"
                    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([km])?\s*"
                    r"(?:upvotes?|votes?|likes?)?\s*$")
_SCALE = {"k": 1_000, "m": 1_000_000}
# No page has shown a paper with more; a larger number is something else (an id, a year
# glued to digits), not a vote count.
MAX_VOTES = 10_000_000


def vote_count(value: Any) -> int | None:
    """The count a value says (an int, or text as printed), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_VOTES else None
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and 0 <= value <= MAX_VOTES \
            and value == int(value) else None
    if not isinstance(value, str):
        return None
    m = _COUNT.match(value)
    if not m:
        return None
    number, scale = m.group(1).replace(",", ""), m.group(2)
    if scale:
        count = round(float(number) * _SCALE[scale.lower()])
    elif "." in number:
        return None  # `1.5` alone is no count of votes
    else:
        count = int(number)
    return count if count <= MAX_VOTES else None
