"""The navigation tree and its counts: smart lists, Year > Month > Week, categories and
sources, each with unread/total, from a few grouped scans of SQLite.
"""

from __future__ import annotations

import sqlite3

from .scopes import scope_sql
from .store import Store
from .views import NavNode, Scope

MONTHS = ("January February March April May June July August September October "
          "November December").split()

# Narrow indexes for the counts: without them every count reads the papers table,
# abstracts and all (470 MB at 100,000 papers: 1.3 s warm, 13 s from a cold disk).
NAV_INDEXES = {
    "papers_nav": "CREATE INDEX IF NOT EXISTS papers_nav "
                  "ON papers(t_year, month, week, read, starred)",
    "papers_read": "CREATE INDEX IF NOT EXISTS papers_read ON papers(id, read)",
    # Not a count index, but libraries made before it also get it here, once.
    "papers_title": "CREATE INDEX IF NOT EXISTS papers_title "
                    "ON papers(title COLLATE NOCASE, id)",
}
# How long making them waits for another writer (an import) before counting without.
NAV_INDEX_PATIENCE = 0.2


class NavCounts:
    """Counts of one library's scopes."""

    def __init__(self, store: Store):
        self.store = store
        self._indexes_ready = False  # the count indexes exist (made on first use)

    def counts(self, scope: Scope) -> tuple[int, int]:
        """(unread, total) of a scope."""
        where, args = scope_sql(scope)
        total, unread = self.store.connection().execute(
            f"SELECT COUNT(*), COALESCE(SUM(p.read = 0), 0) FROM papers p WHERE {where}",
            args).fetchone()
        return unread, total

    def _indexes(self, conn: sqlite3.Connection) -> bool:
        """Whether the count indexes exist; made on first use in an older library,
        unless another writer holds the database (then: next time)."""
        if self._indexes_ready:
            return True
        names = {n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'")}
        if not names.issuperset(NAV_INDEXES):
            try:
                with self.store.patience(NAV_INDEX_PATIENCE), \
                        self.store.transaction(write=True):
                    for sql in NAV_INDEXES.values():
                        conn.execute(sql)
            except sqlite3.OperationalError:  # locked by an import: count without them
                return False
        self._indexes_ready = True
        return True

    def tree(self) -> list[NavNode]:
        conn = self.store.connection()
        by_id = "INDEXED BY papers_read" if self._indexes(conn) else ""
        # One pass over the papers for the dates and the smart lists (a scan of the
        # papers table is most of the cost at 100,000 papers).
        groups = conn.execute(
            "SELECT t_year, month, week, COUNT(*), SUM(read = 0), SUM(starred), "
            "SUM(starred AND read = 0) FROM papers GROUP BY t_year, month, week "
            "ORDER BY t_year DESC, month DESC, week DESC").fetchall()
        total = sum(g[3] for g in groups)
        unread = sum(g[4] for g in groups)
        starred = sum(g[5] for g in groups)
        starred_unread = sum(g[6] for g in groups)
        nodes = [NavNode("All", Scope("all"), unread, total),
                 NavNode("Unread", Scope("unread"), unread, unread),
                 NavNode("Starred", Scope("starred"), starred_unread, starred),
                 NavNode("Read", Scope("read"), 0, total - unread)]
        return [*nodes, _dates(groups), self._categories(conn, by_id),
                self._sources(conn, by_id)]

    def _categories(self, conn: sqlite3.Connection, by_id: str) -> NavNode:
        cats = NavNode("Categories", None)
        for code, n, u in conn.execute(
                f"SELECT c.code, COUNT(*), SUM(p.read = 0) FROM paper_categories c "
                f"JOIN papers p {by_id} ON p.id = c.paper_id GROUP BY c.code "
                f"ORDER BY COUNT(*) DESC, c.code"):
            scope = Scope("category", code)
            cats.children.append(NavNode(scope.label, scope, u, n))
        # A paper can sit in several categories, so the heading counts distinct papers.
        cats.total, cats.unread = conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(read = 0), 0) FROM papers {by_id} WHERE id IN "
            f"(SELECT paper_id FROM paper_categories)").fetchone()
        return cats

    def _sources(self, conn: sqlite3.Connection, by_id: str) -> NavNode:
        srcs = NavNode("Sources", None)
        for name, layout, n, u in conn.execute(
                "SELECT f.name, f.layout, COUNT(DISTINCT p.id), "
                f"COUNT(DISTINCT CASE WHEN p.read = 0 THEN p.id END) FROM files f "
                f"JOIN listings l ON l.file_id = f.id JOIN papers p {by_id} "
                f"ON p.id = l.paper_id GROUP BY f.id ORDER BY f.id"):
            srcs.children.append(NavNode(f"{name} ({layout})", Scope("source", name), u, n))
        srcs.total, srcs.unread = conn.execute(
            f"SELECT COUNT(*), COALESCE(SUM(read = 0), 0) FROM papers {by_id} WHERE id IN "
            f"(SELECT paper_id FROM listings)").fetchone()
        return srcs


def _dates(groups: list[tuple]) -> NavNode:
    """Year > Month > Week (and Undated) from the (t_year, month, week, ...) groups.

    Every node's children hold all of its papers: a year with months has a "No month"
    child for its papers without one, a month with weeks a "No week" child."""
    dates = NavNode("Dates", None)
    years: dict[str, NavNode] = {}
    months: dict[str, NavNode] = {}
    rest: dict[Scope, NavNode] = {}  # the "No month" / "No week" nodes, added last
    undated = None

    def remainder(scope: Scope, label: str, u: int, n: int) -> None:
        node = rest.setdefault(scope, NavNode(label, scope))
        node.unread += u
        node.total += n

    for t_year, month, week, n, u, _s, _su in groups:
        if t_year is None:
            undated = NavNode("Undated", Scope("undated"), u, n)
            continue
        y = years.get(t_year)
        if y is None:
            y = years[t_year] = NavNode(t_year, Scope("year", t_year))
            dates.children.append(y)
        y.unread += u
        y.total += n
        if not month:
            remainder(Scope("no-month", t_year), "No month", u, n)
        else:
            mo = months.get(month)
            if mo is None:
                label = f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"
                mo = months[month] = NavNode(label, Scope("month", month))
                y.children.append(mo)
            mo.unread += u
            mo.total += n
            if week:
                mo.children.append(NavNode(f"Week to {week}", Scope("week", week), u, n))
            else:
                remainder(Scope("no-week", month), "No week", u, n)
    # Only beside siblings: a year of no month at all, a month of no week, is whole.
    for scope, node in rest.items():
        parent = years[scope.value] if scope.kind == "no-month" else months[scope.value]
        if parent.children:
            parent.children.append(node)
    if undated:
        dates.children.append(undated)
    dates.unread = sum(c.unread for c in dates.children)
    dates.total = sum(c.total for c in dates.children)
    return dates
