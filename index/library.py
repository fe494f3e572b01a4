"""The library: the one entry point of the reader and the command line. SQLite is the
source of truth, the Whoosh index a cache of it; the work is done by the rooms below.

    store      the database: connections, schema, migrations, backups, transaction()
    importing  files -> records -> papers, each file in one all-or-nothing write
    upkeep     the index kept at the library's generation (rebuild, catch-up, its lock)
    listing    rows of a list or a search, a page at a time; papers by key
    nav        the navigation tree's counts
    marks      read and starred
    scopes     what a scope selects, as SQL and as an index filter

Every public method is safe to call from any thread (each thread has its own
connection); marks are committed before the call returns.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import platformdirs

from .importing import Importer
from .listing import ALL, Listing
from .marks import set_mark
from .model import Paper
from .nav import NavCounts
from .search import IndexUnavailable, SearchIndex
from .store import (
    BACKUPS_KEPT,
    BUSY_TIMEOUT,
    DB_NAME,
    SCHEMA_VERSION,
    LibraryError,
    Store,
    last_backup,
)
from .upkeep import INDEX_WAIT, OPEN_INDEX_WAIT, IndexUpkeep
from .views import ImportReport, ListRow, NavNode, Progress, Scope, SearchResult

# The names the reader, the command line and the tests import from here.
__all__ = ["BACKUPS_KEPT", "BUSY_TIMEOUT", "DB_NAME", "INDEX_DIR", "INDEX_WAIT",
           "OPEN_INDEX_WAIT", "SAMPLES", "SCHEMA_VERSION", "Library", "LibraryError",
           "default_data_dir", "last_backup"]

INDEX_DIR = "index"
SAMPLES = Path(__file__).parent / "samples"


def default_data_dir() -> Path:
    home = os.environ.get("PAPERDECK_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir("paperdeck"))


class Library:
    """One library (a data directory): everything the reader and the command line ask."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.index_dir = self.data_dir / INDEX_DIR
        self.notices: list[str] = []  # things the user should be told (index rebuilt, ...)
        # BUSY_TIMEOUT is read here, not imported into the store, so that a test can
        # shorten it on this module before opening a library.
        self._store = Store(self.data_dir, BUSY_TIMEOUT)
        self._index = SearchIndex(self.index_dir)
        self._upkeep = IndexUpkeep(self._store, self._index, self.index_dir,
                                   lambda text: self.notices.append(text))
        self.importer = Importer(self._store)
        self._listing = Listing(self._store, self._upkeep)
        self._nav = NavCounts(self._store)

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str | None = None, *, sync_index: bool = True) -> Library:
        """Open (or create) the library in `data_dir`; with `sync_index` (the default)
        the search index is brought up to date first (a caller about to rebuild it
        anyway, `paperdeck reindex`, says False rather than build it twice)."""
        lib = cls(Path(data_dir) if data_dir else default_data_dir())
        try:
            lib.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create the data directory {lib.data_dir}: "
                               f"{exc.strerror}") from None
        lib._store.migrate({3: lib.importer.make_readable})
        if not sync_index:
            return lib
        try:
            lib.sync_index(wait=min(OPEN_INDEX_WAIT, lib.index_wait))
        except IndexUnavailable as exc:
            lib.notices.append(str(exc))
        return lib

    def close(self) -> None:
        self._upkeep.close()
        self._store.close()

    def connection(self) -> sqlite3.Connection:
        """The calling thread's own connection to the database."""
        return self._store.connection()

    def damaged(self, exc: Exception) -> LibraryError:
        """The message for a database SQLite cannot read, with the newest backup to restore."""
        return self._store.damaged(exc)

    def check_integrity(self) -> None:
        """Refuse a damaged database (SQLite's quick_check: every page, no index scan)."""
        self._store.check_integrity()

    # --- the index -------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index (a cache of the library; read it, never write it directly)."""
        return self._index

    @property
    def generation(self) -> int:
        """The library's generation: one more for every import that changed papers."""
        return self._upkeep.generation()

    @property
    def index_wait(self) -> float:
        """Seconds a writer waits for another process's hold on the index."""
        return self._upkeep.wait

    @index_wait.setter
    def index_wait(self, seconds: float) -> None:
        self._upkeep.wait = seconds

    @contextmanager
    def index_writing(self, wait: float | None = None) -> Iterator[None]:
        """Hold the index writer's lock (one writer across threads and processes)."""
        with self._upkeep.writing(wait):
            yield

    def sync_index(self, wait: float | None = None, progress: Progress | None = None) -> None:
        """Bring the index up to the library's generation: rebuild or catch up."""
        self._upkeep.sync(wait, progress)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from SQLite (progress: "papers indexed")."""
        return self._upkeep.reindex(progress)

    # --- importing -------------------------------------------------------------

    def is_empty(self) -> bool:
        return self._store.is_empty()

    def import_sample(self, progress: Progress | None = None) -> ImportReport:
        return self.import_files(sorted(SAMPLES.glob("*.txt")), progress=progress)

    def import_files(self, paths: Iterable[Path | str], layout: str | None = None,
                     progress: Progress | None = None, *,
                     field_map: Mapping[str, str] | None = None,
                     stdin: BinaryIO | None = None) -> ImportReport:
        """Import paper lists (files, directories of them, "-" for standard input).

        Each file lands whole or not at all, on its own: a file that fails is
        reported (report.failed, with its line) and the others import; a file of no
        known format found in a directory is passed over (report.passed_over).
        `layout` forces a format; `field_map` names the file's fields for the
        formats that read named fields ({"title": "output"}); progress is told in
        bytes read ("bytes read"), then papers indexed ("papers indexed").
        """
        report = self.importer.import_files(paths, layout, progress, field_map=field_map,
                                            stdin=stdin)
        if report.files:  # something was written: the index catches up
            try:
                self.sync_index(progress=progress)
            except IndexUnavailable as exc:
                report.warn(f"{exc}; the index will catch up on the next start")
        return report

    # --- reading -----------------------------------------------------------------

    def resolve(self, key: str) -> str | None:
        """The key of a paper named by its key, arXiv id (any version) or arXiv URL."""
        return self._listing.resolve(key)

    def paper(self, key: str) -> Paper | None:
        return self._listing.paper(key)

    def papers(self, keys: Iterable[str]) -> list[Paper]:
        return [p for p in (self.paper(k) for k in keys) if p is not None]

    def paper_id(self, key: str) -> int | None:
        return self._listing.paper_id(key)

    def rows(self, scope: Scope = ALL, sort: str = "newest", status: Iterable[str] = (),
             also: Iterable[Scope] = ()) -> list[ListRow]:
        """The papers of a scope (and of every scope in `also`), with `is:` status filters."""
        return self._listing.rows(scope, sort, status, also)

    def row_ids(self, scope: Scope = ALL, sort: str = "newest", status: Iterable[str] = (),
                also: Iterable[Scope] = ()) -> array:
        """The ids of the papers of a scope, in list order (see rows())."""
        return self._listing.row_ids(scope, sort, status, also)

    def rows_by_id(self, ids: Iterable[int]) -> list[ListRow | None]:
        """The list rows of papers by id, in the order given (None for a paper gone)."""
        return self._listing.rows_by_id(ids)

    def first_unread_id(self, scope: Scope = ALL, sort: str = "newest") -> int | None:
        """The id of the first unread paper of a list (see rows()), if any."""
        return self._listing.first_unread_id(scope, sort)

    def unread_keys_of_ids(self, ids: Iterable[int]) -> list[str]:
        """The keys of those of these papers that are unread (in no particular order)."""
        return self._listing.unread_keys_of_ids(ids)

    def search(self, query: str, scope: Scope | None = None, sort: str = "relevance",
               limit: int | None = None, offset: int = 0) -> SearchResult:
        """The papers matching `query` in `scope`, as list rows, one page at a time.

        sort: "relevance" (best first), "newest" or "title".
        offset, limit: the rows to return are the matches number offset to
        offset + limit - 1 in that order (limit None: all of them from offset).
        `total` is always the number of every match in the scope, so a list can
        show its length and ask for the next page with offset=len(rows) as it
        scrolls. A page costs the best offset + limit matches, not every match:
        at 100,000 papers a word in every abstract is one page in tens of ms,
        while all of its rows take seconds. Pages of one query are consistent:
        concatenated they are the unpaged result (the index does not change
        between the calls; marks can, so `is:` filters and the read/starred
        scopes are evaluated at each call).
        """
        return self._listing.search(query, scope, sort, limit, offset)

    def highlight_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        return self._listing.highlight_spans(text, query)

    # --- marks -------------------------------------------------------------------

    def mark_read(self, keys: Iterable[str], read: bool = True) -> int:
        return set_mark(self._store, "read", keys, read)

    def set_starred(self, key: str, starred: bool) -> None:
        self.set_starred_many([key], starred)

    def set_starred_many(self, keys: Iterable[str], starred: bool) -> int:
        return set_mark(self._store, "starred", keys, starred)

    # --- navigation ----------------------------------------------------------------

    def counts(self, scope: Scope) -> tuple[int, int]:
        """(unread, total) of a scope."""
        return self._nav.counts(scope)

    def nav_tree(self) -> list[NavNode]:
        return self._nav.tree()

    # --- changes made elsewhere ---------------------------------------------------------

    def data_version(self) -> int:
        """A count that moves on each time another process (`paperdeck mark` or `import`
        in another shell) commits to the library; this process's own writes do not move
        it. Cheap (a pragma): a reader asks it when idle to notice those changes."""
        return self._store.data_version()

    # --- state and stats -------------------------------------------------------------

    def get_state(self, name: str) -> str | None:
        row = self.connection().execute("SELECT value FROM state WHERE name = ?",
                                        (name,)).fetchone()
        return row[0] if row else None

    def set_state(self, name: str, value: str | None) -> None:
        with self._store.transaction(write=True) as conn:
            if value is None:
                conn.execute("DELETE FROM state WHERE name = ?", (name,))
            else:
                conn.execute("INSERT OR REPLACE INTO state(name, value) VALUES (?, ?)",
                             (name, value))

    def categories(self) -> list[str]:
        """The category codes the library's papers carry, the most papers first."""
        return self._listing.categories()

    def stats(self) -> dict:
        conn = self.connection()
        papers, unread, read, starred, with_id, derived = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(read = 0), 0), COALESCE(SUM(read), 0), "
            "COALESCE(SUM(starred), 0), COUNT(arxiv_id), COALESCE(SUM(title_derived), 0) "
            "FROM papers").fetchone()
        files = [{"file": n, "layout": lay, "records": r, "imported_at": t} for n, lay, r, t in
                 conn.execute("SELECT name, layout, records, imported_at FROM files ORDER BY id")]
        listings = conn.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
        try:
            indexed = self._index.doc_count()
        except Exception:
            indexed = None
        return {"papers": papers, "unread": unread, "read": read, "starred": starred,
                "with_arxiv_id": with_id, "derived_titles": derived, "records": listings,
                "files": files, "indexed": indexed, "data_dir": str(self.data_dir)}
