"""The reader's marks on papers, read and starred, set through one code path: committed
before the call returns, or refused with a clear message when another process writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from .store import Store, chunked, placeholders

# A mark is a column of papers; only these names ever reach the SQL.
MARKS = ("read", "starred")


def set_mark(store: Store, mark: str, keys: Iterable[str], on: bool = True) -> int:
    """Set or clear `mark` on the papers of these keys; the number that changed."""
    if mark not in MARKS:
        raise ValueError(f"unknown mark {mark!r}")
    keys = list(keys)
    changed = 0
    with store.transaction(write=True, busy="the mark was not made") as conn:
        for chunk in chunked(keys):
            changed += conn.execute(
                f"UPDATE papers SET {mark} = ? WHERE {mark} != ? AND key IN "
                f"({placeholders(len(chunk))})", [int(on), int(on), *chunk]).rowcount
    return changed
