"""Which papers a scope (or an `is:` status) selects: one table of kinds, read both as an
SQL condition on the papers and as a filter of the search index, so the two cannot drift.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from .query import STATUSES
from .views import SCOPE_KINDS, Scope


@dataclass(frozen=True)
class Kind:
    """How one kind of scope selects papers.

    sql: a condition on papers aliased `p`; a `?` in it is the scope's value.
    term: the index field that holds the value as a term (a posting list, no SQL);
        None: the index is filtered by the ids `sql` selects (marks live in SQLite only).
    fold: how the value is spelled in the index (category codes are lower case there).
    complement: for the index, leave out the papers of this other kind rather than
        allowing every other paper (the smaller side: `unread` excludes the read ones).
    """

    sql: str
    term: str | None = None
    fold: bool = False
    complement: str | None = None


# Scope kinds (views.SCOPE_KINDS) and the `is:` statuses (query.STATUSES), together:
# `unread`, `read` and `starred` are both.
KINDS: dict[str, Kind] = {
    "all": Kind("1"),
    "unread": Kind("p.read = 0", complement="read"),
    "read": Kind("p.read = 1"),
    "starred": Kind("p.starred = 1"),
    "unstarred": Kind("p.starred = 0", complement="starred"),
    "year": Kind("p.t_year = ?", term="year"),
    "month": Kind("p.month = ?", term="month"),
    "week": Kind("p.week = ?", term="week"),
    "undated": Kind("p.t_year IS NULL"),
    "no-month": Kind("p.t_year = ? AND p.month IS NULL"),
    "no-week": Kind("p.month = ? AND p.week IS NULL"),
    "category": Kind("p.id IN (SELECT paper_id FROM paper_categories WHERE code = ?)",
                     term="category", fold=True),
    "source": Kind("p.id IN (SELECT l.paper_id FROM listings l JOIN files f "
                   "ON f.id = l.file_id WHERE f.name = ?)"),
}

if set(KINDS) != set(SCOPE_KINDS) | set(STATUSES):  # a kind added in one place only
    raise RuntimeError("scopes.KINDS must cover views.SCOPE_KINDS and query.STATUSES")


def _condition(kind: str, value: str | None) -> tuple[str, list]:
    sql = KINDS[kind].sql
    return sql, ([value] if "?" in sql else [])


def scope_sql(scope: Scope | None) -> tuple[str, list]:
    """A WHERE clause (over papers aliased p) selecting a scope."""
    if scope is None:
        return "1", []
    return _condition(scope.kind, scope.value)


def list_sql(scope: Scope | None, status: Iterable[str] = (),
             also: Iterable[Scope] = ()) -> tuple[str, list]:
    """WHERE clause of a list: its scope, every scope in `also`, the `is:` filters."""
    where, args = scope_sql(scope)
    for extra in also:
        w, a = scope_sql(extra)
        where, args = f"{where} AND {w}", args + a
    for flag in status:
        where += " AND " + KINDS[flag].sql
    return where, args


def index_filter(conn: sqlite3.Connection, scope: Scope | None, flags: Iterable[str]):
    """A scope and `is:` flags as index filters: ((field, term), allowed ids, excluded ids).

    A kind with an index term becomes a term filter; every other kind becomes the set
    of ids its SQL selects (allowed: the intersection of all of them), or, with a
    complement, the ids of that complement to exclude.
    """
    filt = None
    allow: set[int] | None = None
    exclude: set[int] = set()

    def ids(kind: str, value: str | None = None) -> set[int]:
        sql, args = _condition(kind, value)
        return {r[0] for r in conn.execute(f"SELECT p.id FROM papers p WHERE {sql}", args)}

    kind = scope.kind if scope else "all"
    value = scope.value if scope else None
    for k, v in [(kind, value), *((f, None) for f in flags)]:
        how = KINDS[k]
        if k == "all":
            continue
        if how.term:
            if v:  # a time or category scope without its value filters nothing
                filt = (how.term, v.lower() if how.fold else v)
        elif how.complement:
            exclude |= ids(how.complement)
        else:
            found = ids(k, v)
            allow = found if allow is None else allow & found
    return filt, allow, (exclude or None)
