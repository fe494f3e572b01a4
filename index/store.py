"""The library's SQLite database: a connection per thread, the schema and its migrations,
backups and the integrity check, and `transaction()`, the one way anything is written.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from .faults import checkpoint

DB_NAME = "library.sqlite3"
# 1: the first versioned schema; 2: what richer sources carry (published day, DOI,
# venue, comments, code/PDF/other links, keywords on papers; a digest's summary on
# its listing); 3: titles, abstracts and summaries stored as they are shown (LaTeX as
# Unicode), converted once in a library imported before (a data step, see migrate());
# 4: the upvotes a listing showed (listings.upvotes; NULL in the rows of before).
SCHEMA_VERSION = 4
BACKUPS_KEPT = 3
BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write (SQLite)
# Bound parameters per `IN (?, ?, ...)` list: far below SQLite's limit (32,766 since 3.32,
# 999 before), and small enough that a statement is planned quickly.
IN_CHUNK = 500

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    layout TEXT NOT NULL,
    records INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS papers(
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    arxiv_id TEXT,
    title TEXT NOT NULL,
    title_derived INTEGER NOT NULL DEFAULT 0,
    abstract TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    year INTEGER,
    week TEXT,
    month TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    date_text TEXT,
    t_year TEXT,
    sort_date TEXT NOT NULL DEFAULT '',
    tag TEXT NOT NULL DEFAULT '',
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    gen INTEGER NOT NULL DEFAULT 0,
    published TEXT,
    doi TEXT,
    venue TEXT,
    comments TEXT,
    code_url TEXT,
    pdf_url TEXT,
    link TEXT,
    keywords TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS papers_sort ON papers(sort_date DESC, id);
-- Title order without a sort of every paper (a common word's first page by title).
CREATE INDEX IF NOT EXISTS papers_title ON papers(title COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS papers_gen ON papers(gen);
CREATE INDEX IF NOT EXISTS papers_time ON papers(t_year, month, week);
CREATE TABLE IF NOT EXISTS listings(
    id INTEGER PRIMARY KEY,
    paper_id INTEGER NOT NULL REFERENCES papers(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    line INTEGER NOT NULL,
    layout TEXT NOT NULL,
    label TEXT,
    data TEXT NOT NULL,
    summary TEXT,
    upvotes INTEGER
);
CREATE INDEX IF NOT EXISTS listings_paper ON listings(paper_id);
CREATE INDEX IF NOT EXISTS listings_file ON listings(file_id, paper_id);
CREATE TABLE IF NOT EXISTS match_keys(mkey TEXT PRIMARY KEY, paper_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS match_keys_paper ON match_keys(paper_id);
CREATE TABLE IF NOT EXISTS paper_categories(
    paper_id INTEGER NOT NULL, code TEXT NOT NULL, PRIMARY KEY(paper_id, code));
CREATE INDEX IF NOT EXISTS paper_categories_code ON paper_categories(code, paper_id);
CREATE TABLE IF NOT EXISTS tombstones(key TEXT NOT NULL, gen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS state(name TEXT PRIMARY KEY, value TEXT);
"""

# Columns added since schema 1, in the order added: a library of an older schema gets
# them by ALTER TABLE (NULL, or the default, in every existing row).
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("papers", "published", "TEXT"),
    ("papers", "doi", "TEXT"),
    ("papers", "venue", "TEXT"),
    ("papers", "comments", "TEXT"),
    ("papers", "code_url", "TEXT"),
    ("papers", "pdf_url", "TEXT"),
    ("papers", "link", "TEXT"),
    ("papers", "keywords", "TEXT NOT NULL DEFAULT '[]'"),
    ("listings", "summary", "TEXT"),
    ("listings", "upvotes", "INTEGER"),
)
# Indexes on added columns: made once the columns exist.
LATER_INDEXES = ("CREATE INDEX IF NOT EXISTS papers_doi ON papers(doi) WHERE doi IS NOT NULL",)

T = TypeVar("T")


class LibraryError(Exception):
    """A library problem worth one clear line to the user."""


def chunked(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`: one `IN (...)` list each."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def placeholders(n: int) -> str:
    """The placeholders of an `IN` list of n values: "?,?,?"."""
    return ",".join("?" * n)


def last_backup(data_dir: Path) -> Path | None:
    found = sorted((Path(data_dir) / "backups").glob("library-*.sqlite3"),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


class Store:
    """The database file of one library, and each thread's connection to it.

    Every public method of the library is safe from any thread: each thread gets its
    own connection, and WAL lets readers run beside the one writer. Writes commit with
    synchronous=FULL before `transaction()` returns.
    """

    def __init__(self, data_dir: Path, busy_timeout: float = BUSY_TIMEOUT):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._watch = ChangeWatch(self)  # commits made by other processes

    # --- connections ---------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's own connection (made on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=self.busy_timeout,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA busy_timeout={self.busy_ms}")
            except sqlite3.OperationalError as exc:  # no such directory, no permission
                raise LibraryError(f"cannot open the library database {self.path}: "
                                   f"{exc}") from None
            except sqlite3.DatabaseError as exc:  # "file is not a database": damaged
                raise self.damaged(exc) from None
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    @property
    def busy_ms(self) -> int:
        return int(self.busy_timeout * 1000)

    def close(self) -> None:
        self._watch.close()
        mine = getattr(self._local, "conn", None)
        with self._conns_lock:
            others = [c for c in self._conns if c is not mine]
            self._conns.clear()
        # Another thread's connection may be in the middle of a query (a reader worker
        # when the reader quits): closing it under that query crashes the process. Stop
        # its query instead; the connection closes when its thread lets go of it (the
        # idle ones at once, when the thread-local that held them is dropped below).
        for c in others:
            try:
                c.interrupt()
            except sqlite3.Error:
                pass
        if mine is not None:
            try:
                mine.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    # --- writing ---------------------------------------------------------------------

    @contextmanager
    def transaction(self, write: bool = False,
                    busy: str | None = None) -> Iterator[sqlite3.Connection]:
        """One transaction on this thread's connection: committed when the block ends,
        rolled back if it raises.

        write: take the write lock at once (BEGIN IMMEDIATE), so that a write never
        meets a lock half-way; without it the block reads one consistent snapshot.
        busy: the user's words for what was not done when another process holds the
        write lock past the busy timeout (a LibraryError instead of SQLite's "locked").
        """
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write:
                self._watch.own_write_starts()
        except sqlite3.OperationalError as exc:
            if busy is None or ("locked" not in str(exc) and "busy" not in str(exc)):
                raise
            # An import in another shell holds the write lock for its whole run (all
            # or nothing): a very large one outlasts the busy timeout.
            raise LibraryError(f"the library is busy: another paperdeck process (an "
                               f"import?) has been writing for {self.busy_timeout:.0f} s; "
                               f"{busy}, try again") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if write:
            self._watch.own_write_ended()

    def data_version(self) -> int:
        """A count that moves on each time another process commits to the library (see
        ChangeWatch): cheap enough to ask every few seconds."""
        return self._watch.version()

    @contextmanager
    def patience(self, seconds: float) -> Iterator[None]:
        """A shorter busy timeout for the block (an optional write that can wait)."""
        conn = self.connection()
        conn.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout={self.busy_ms}")

    # --- schema ----------------------------------------------------------------------

    def migrate(self, steps: Mapping[int, Callable[[sqlite3.Connection], None]] | None = None,
                ) -> None:
        """Bring the file to SCHEMA_VERSION (a new file gets the schema), from a backup.

        steps: what a version changes in the rows of an older library, by version (run
        in order, for each version above the file's, inside the one transaction that
        also sets the version: a migration killed half-way leaves the library as it was).
        """
        conn = self.connection()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LibraryError(f"{self.path} was written by a newer paperdeck "
                                   f"(schema {version}); upgrade paperdeck to open it")
            if version < SCHEMA_VERSION:
                # Every migration starts from a copy; version 0 with tables is a library
                # from before versioning, not a new file.
                has_tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
                if version > 0 or has_tables:
                    self.backup(f"schema-{version}")
                with self.transaction(write=True):
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    self._add_columns(conn)
                    for statement in LATER_INDEXES:
                        conn.execute(statement)
                    if version > 0 or has_tables:
                        for step_version, step in sorted((steps or {}).items()):
                            if step_version > version:
                                step(conn)
                    checkpoint("mid-schema-migration")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:  # locked too long, disk full: not damage
            raise LibraryError(f"cannot open the library database {self.path}: "
                               f"{exc}") from None
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None

    @staticmethod
    def _add_columns(conn: sqlite3.Connection) -> None:
        """The columns of ADDED_COLUMNS a table of an older schema lacks."""
        for table, column, decl in ADDED_COLUMNS:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def is_empty(self) -> bool:
        return self.connection().execute("SELECT 1 FROM papers LIMIT 1").fetchone() is None

    # --- damage and backups ------------------------------------------------------------

    def damaged(self, exc: Exception) -> LibraryError:
        """The message for a database SQLite cannot read, with the newest backup to restore."""
        backup = last_backup(self.data_dir)
        hint = (f"the last automatic backup is {backup}: copy it to {self.path} to restore"
                if backup else "there is no backup yet; move it away to start afresh")
        return LibraryError(f"the library database {self.path} is damaged ({exc}); {hint}")

    def check_integrity(self) -> None:
        """Refuse a damaged database (SQLite's quick_check: every page, no index scan)."""
        try:
            problems = [r[0] for r in self.connection().execute("PRAGMA quick_check(1)")]
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked, I/O: not damage
                raise
            raise self.damaged(exc) from None
        if problems != ["ok"]:
            raise self.damaged(Exception(" ".join(problems[0].split())))  # one line

    def auto_backup(self) -> None:
        """Before an import, keep a copy of the library if the newest is a day old."""
        newest = last_backup(self.data_dir)
        if self.is_empty() or (newest and time.time() - newest.stat().st_mtime < 86400):
            return
        self.backup("auto")
        for old in sorted((self.data_dir / "backups").glob("library-*-auto.sqlite3"))[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)

    def backup(self, why: str) -> Path:
        dest_dir = self.data_dir / "backups"
        dest_dir.mkdir(exist_ok=True)
        dest = dest_dir / f"library-{time.strftime('%Y%m%d-%H%M%S')}-{why}.sqlite3"
        tmp = dest.with_suffix(".partial")
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(tmp)
            src.backup(dst)
            dst.close()
        finally:
            src.close()
        tmp.replace(dest)  # a backup is either whole or absent
        return dest


class ChangeWatch:
    """Tells commits made by other processes from this process's own, with SQLite's
    `PRAGMA data_version` on a connection of its own (which moves on every commit made
    through any other connection, this process's threads' included).

    This process's writes are bracketed: once a write transaction has the write lock,
    no one else can commit until it ends, so the value read then holds every commit made
    elsewhere before it; the value read after its COMMIT is its own. A commit made
    elsewhere in the instant between that COMMIT and the read after it is taken for ours
    (the reader's `R` reads everything again).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None  # opened by the first version()
        self._seen: int | None = None
        self._elsewhere = 0

    def _peek(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _note(self) -> None:
        value = self._peek()
        if self._seen is not None and value != self._seen:
            self._elsewhere += 1
        self._seen = value

    def version(self) -> int:
        with self._lock:
            if self._conn is None:
                self._conn = sqlite3.connect(self._store.path, check_same_thread=False,
                                             isolation_level=None)
            self._note()
            return self._elsewhere

    def own_write_starts(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._note()  # what others committed before this write

    def own_write_ended(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._seen = self._peek()  # this write's own commit

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
                self._conn = None
                self._seen = None
