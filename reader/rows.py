"""Row sources: what the paper list shows, as a total and windows of rows.

The list never holds every row of a long list: it asks its source for the window
on screen (a page of PAGE rows at a time) and keeps a few pages. A source whose
rows are already in memory (`local`) is read at once; the others (the library)
are read in a worker thread.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from paperdeck.index.library import Library
from paperdeck.index.views import ListRow, Scope, SearchResult

PAGE = 200

GONE = ListRow(key="", title="(no longer in the library)", title_derived=False, date="",
               tag="", read=True, starred=False)


class RowSource:
    """A list of rows known by its length; `fetch` may be slow unless `local`."""

    local = False
    total = 0

    def fetch(self, offset: int, limit: int) -> list[ListRow]:
        raise NotImplementedError

    def locate(self, key: str) -> int | None:
        """The position of a paper in the list (slow: a worker's call)."""
        raise NotImplementedError

    def unread_keys(self) -> list[str]:
        """The keys of the unread papers of the list (slow: a worker's call)."""
        raise NotImplementedError

    def changed(self, index: int, row: ListRow) -> None:
        """A row was changed by a mark (sources that keep rows must keep the change)."""

    def marked_read(self, keys: set[str]) -> None:
        """Many papers were marked read (`A`)."""


class ListSource(RowSource):
    """Rows already in memory: a search result, a test's rows."""

    local = True

    def __init__(self, rows: list[ListRow]) -> None:
        self.rows = rows
        self.total = len(rows)
        self._index: dict[str, int] | None = None

    def fetch(self, offset: int, limit: int) -> list[ListRow]:
        return self.rows[offset:offset + limit]

    def locate(self, key: str) -> int | None:
        if self._index is None:
            self._index = {r.key: i for i, r in enumerate(self.rows)}
        return self._index.get(key)

    def unread_keys(self) -> list[str]:
        return [r.key for r in self.rows if not r.read]

    def changed(self, index: int, row: ListRow) -> None:
        if 0 <= index < self.total:
            self.rows[index] = row

    def marked_read(self, keys: set[str]) -> None:
        self.rows = [replace(r, read=True) if r.key in keys and not r.read else r
                     for r in self.rows]


class LibrarySource(RowSource):
    """A scope of the library: the ordered ids (a snapshot), the rows read by window."""

    def __init__(self, library: Library, scope: Scope, sort: str, ids: array) -> None:
        self.library = library
        self.scope = scope
        self.sort = sort
        self.ids = ids
        self.total = len(ids)

    @classmethod
    def load(cls, library: Library, scope: Scope, sort: str) -> LibrarySource:
        return cls(library, scope, sort, library.row_ids(scope, sort))

    def fetch(self, offset: int, limit: int) -> list[ListRow]:
        rows = self.library.rows_by_id(self.ids[offset:offset + limit])
        return [GONE if r is None else r for r in rows]

    def position_of_id(self, pid: int | None) -> int | None:
        if pid is None:
            return None
        try:
            return self.ids.index(pid)  # a C loop: about a millisecond at 100,000
        except ValueError:
            return None

    def locate(self, key: str) -> int | None:
        return self.position_of_id(self.library.paper_id(key))

    def first_unread(self, first_page: Iterable[ListRow] = ()) -> int | None:
        for i, row in enumerate(first_page):
            if not row.read:
                return i
        return self.position_of_id(self.library.first_unread_id(self.scope, self.sort))

    def unread_keys(self) -> list[str]:
        return self.library.unread_keys_of_ids(self.ids)


class SearchSource(RowSource):
    """A search result read by window: `Library.search(..., offset=, limit=)`."""

    def __init__(self, library: Library, query: str, scope: Scope, sort: str,
                 total: int) -> None:
        self.library = library
        self.query = query
        self.scope = scope
        self.sort = sort
        self.total = total

    def fetch(self, offset: int, limit: int) -> list[ListRow]:
        return list(self.library.search(self.query, scope=self.scope, sort=self.sort,
                                        offset=offset, limit=limit).rows)

    def _all(self) -> list[ListRow]:
        return self.fetch(0, self.total)

    def locate(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self._all()) if r.key == key), None)

    def unread_keys(self) -> list[str]:
        return [r.key for r in self._all() if not r.read]


@dataclass
class Listing:
    """A node's list as a worker hands it over: the source, where the cursor goes, and
    the pages already read (the first, and the cursor's)."""

    source: RowSource
    cursor: int = 0
    pages: dict[int, list[ListRow]] = field(default_factory=dict)


def open_listing(library: Library, scope: Scope, sort: str, cursor_key: str | None,
                 first_unread: bool = False) -> Listing:
    """(In a worker.) A scope's list with its cursor on `cursor_key`, else on the first
    unread paper (when asked), else at the top."""
    source = LibrarySource.load(library, scope, sort)
    first = source.fetch(0, PAGE)
    pages = {0: first}
    cursor = source.locate(cursor_key) if cursor_key is not None else None
    if cursor is None and first_unread:
        cursor = source.first_unread(first)
    cursor = cursor or 0
    if cursor >= PAGE:
        number = cursor // PAGE
        pages[number] = source.fetch(number * PAGE, PAGE)
    return Listing(source, cursor, pages)


@dataclass
class SearchPage:
    """A search as a worker hands it over: the result, its source, its first page."""

    result: SearchResult
    source: RowSource
    pages: dict[int, list[ListRow]]


def search_page(library: Library, query: str, scope: Scope, sort: str) -> SearchPage:
    """(In a worker.) The top page of a search now, the others when scrolled to; a
    library error becomes the result's error, shown in the header, never a crash."""
    try:
        result = library.search(query, scope=scope, sort=sort, offset=0, limit=PAGE)
        return SearchPage(result, SearchSource(library, query, scope, sort, result.total),
                          {0: list(result.rows)})
    except Exception as exc:
        return SearchPage(SearchResult(query=query, rows=[], total=0, error=str(exc)),
                          ListSource([]), {})
