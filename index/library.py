"""The library: SQLite is the source of truth; the Whoosh index is derived from it.

Every public method is safe to call from any thread: each thread gets its own
SQLite connection, and WAL lets readers run beside the one writer. Marks are
committed (synchronous=FULL) before the call returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import platformdirs

try:
    import fcntl
except ImportError:  # not POSIX: rely on Whoosh's own lock alone
    fcntl = None

from . import sources
from .faults import checkpoint
from .merge import UnionFind, combine, match_keys
from .model import DigestError, Paper, Record, Source, parse_arxiv_id
from .query import status_error, tidy
from .search import IndexDoc, IndexUnavailable, SearchIndex, highlight_spans, split_status
from .views import ImportReport, ListRow, NavNode, Scope, SearchResult

Progress = Callable[[int, int, str], None]  # (done, total, what)
ALL = Scope("all")

DB_NAME = "library.sqlite3"
INDEX_DIR = "index"
SCHEMA_VERSION = 1
BACKUPS_KEPT = 3
SAMPLES = Path(__file__).parent / "samples"
MAX_FILE_BYTES = 64 * 1024 * 1024
# How long a writer waits for another process's hold on the index (seconds) before
# reporting it; the SQLite busy timeout is as long. Opening waits less: the reader
# should not hang at start because an import in another shell is indexing.
INDEX_WAIT = 30.0
BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write (SQLite)
OPEN_INDEX_WAIT = 2.0
MONTHS = ("January February March April May June July August September October "
          "November December").split()


class LibraryError(Exception):
    """A library problem worth one clear line to the user."""


def last_backup(data_dir: Path) -> Path | None:
    found = sorted((Path(data_dir) / "backups").glob("library-*.sqlite3"),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def default_data_dir() -> Path:
    home = os.environ.get("PAPERDECK_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir("paperdeck"))


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
    gen INTEGER NOT NULL DEFAULT 0
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
    data TEXT NOT NULL
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

ROW_COLUMNS = ("p.key, p.title, p.title_derived, "
               "COALESCE(p.week, p.month, CAST(p.year AS TEXT), p.date_text, ''), p.tag, "
               "p.read, p.starred")


def _row(r: tuple) -> ListRow:
    return ListRow(r[0], r[1], bool(r[2]), r[3], r[4], bool(r[5]), bool(r[6]))


def _list_sql(scope: Scope | None, status: Iterable[str] = (),
              also: Iterable[Scope] = ()) -> tuple[str, list]:
    """WHERE clause of a list: its scope, every scope in `also`, the `is:` filters."""
    where, args = _scope_sql(scope)
    for extra in also:
        w, a = _scope_sql(extra)
        where, args = f"{where} AND {w}", args + a
    for flag in status:
        where += " AND " + _STATUS_SQL[flag]
    return where, args


def _scope_sql(scope: Scope | None) -> tuple[str, list]:
    """A WHERE clause (over papers aliased p) selecting a scope."""
    if scope is None or scope.kind == "all":
        return "1", []
    k, v = scope.kind, scope.value
    if k == "unread":
        return "p.read = 0", []
    if k == "read":
        return "p.read = 1", []
    if k == "starred":
        return "p.starred = 1", []
    if k == "year":
        return "p.t_year = ?", [v]
    if k == "month":
        return "p.month = ?", [v]
    if k == "week":
        return "p.week = ?", [v]
    if k == "undated":
        return "p.t_year IS NULL", []
    if k == "category":
        return ("p.id IN (SELECT paper_id FROM paper_categories WHERE code = ?)", [v])
    if k == "source":
        return ("p.id IN (SELECT l.paper_id FROM listings l JOIN files f ON f.id = l.file_id "
                "WHERE f.name = ?)", [v])
    raise ValueError(scope)


_STATUS_SQL = {"unread": "p.read = 0", "read": "p.read = 1", "starred": "p.starred = 1",
               "unstarred": "p.starred = 0"}
_ORDER = {"newest": "p.sort_date DESC, p.id", "title": "p.title COLLATE NOCASE, p.id"}


class Library:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.index_dir = self.data_dir / INDEX_DIR
        self.notices: list[str] = []  # things the user should be told (index rebuilt, ...)
        self._local = threading.local()
        self._nav_ready = False  # the count indexes exist (made on first use)
        self._index_lock = threading.RLock()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._index = SearchIndex(self.index_dir)
        self.index_wait = INDEX_WAIT

    # --- opening -------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Library:
        lib = cls(Path(data_dir) if data_dir else default_data_dir())
        try:
            lib.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create the data directory {lib.data_dir}: "
                               f"{exc.strerror}") from None
        lib._migrate()
        try:
            lib._sync_index(wait=min(OPEN_INDEX_WAIT, lib.index_wait))
        except IndexUnavailable as exc:
            lib.notices.append(str(exc))
        return lib

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            except sqlite3.OperationalError as exc:  # no such directory, no permission
                raise LibraryError(f"cannot open the library database {self.db_path}: "
                                   f"{exc}") from None
            except sqlite3.DatabaseError as exc:  # "file is not a database": damaged
                raise self.damaged(exc) from None
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    def close(self) -> None:
        with self._index_lock:
            self._index.close()
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

    def _migrate(self) -> None:
        conn = self._conn()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LibraryError(f"{self.db_path} was written by a newer paperdeck "
                                   f"(schema {version}); upgrade paperdeck to open it")
            if version < SCHEMA_VERSION:
                # Every migration starts from a copy; version 0 with tables is a library
                # from before versioning, not a new file.
                has_tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
                if version > 0 or has_tables:
                    self._backup(f"schema-{version}")
                conn.executescript("BEGIN IMMEDIATE;" + SCHEMA +
                                   f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        except sqlite3.OperationalError as exc:  # locked too long, disk full: not damage
            raise LibraryError(f"cannot open the library database {self.db_path}: "
                               f"{exc}") from None
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None

    def damaged(self, exc: Exception) -> LibraryError:
        """The message for a database SQLite cannot read, with the newest backup to restore."""
        backup = last_backup(self.data_dir)
        hint = (f"the last automatic backup is {backup}: copy it to {self.db_path} to restore"
                if backup else "there is no backup yet; move it away to start afresh")
        return LibraryError(f"the library database {self.db_path} is damaged ({exc}); {hint}")

    def check_integrity(self) -> None:
        """Refuse a damaged database (SQLite's quick_check: every page, no index scan)."""
        try:
            problems = [r[0] for r in self._conn().execute("PRAGMA quick_check(1)")]
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked, I/O: not damage
                raise
            raise self.damaged(exc) from None
        if problems != ["ok"]:
            raise self.damaged(Exception(" ".join(problems[0].split())))  # one line

    def _auto_backup(self) -> None:
        """Before an import, keep a copy of the library if the newest is a day old."""
        newest = last_backup(self.data_dir)
        if self.is_empty() or (newest and time.time() - newest.stat().st_mtime < 86400):
            return
        self._backup("auto")
        for old in sorted((self.data_dir / "backups").glob("library-*-auto.sqlite3"))[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)

    def _backup(self, why: str) -> Path:
        dest_dir = self.data_dir / "backups"
        dest_dir.mkdir(exist_ok=True)
        dest = dest_dir / f"library-{time.strftime('%Y%m%d-%H%M%S')}-{why}.sqlite3"
        tmp = dest.with_suffix(".partial")
        src = sqlite3.connect(self.db_path)
        try:
            dst = sqlite3.connect(tmp)
            src.backup(dst)
            dst.close()
        finally:
            src.close()
        tmp.replace(dest)  # a backup is either whole or absent
        return dest

    # --- the index -------------------------------------------------------------

    def _generation(self) -> int:
        row = self._conn().execute("SELECT value FROM meta WHERE name='generation'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def _index_writing(self, wait: float | None = None):
        """One index writer at a time, across threads and processes (a lock file)."""
        wait = self.index_wait if wait is None else wait
        with self._index_lock:
            fh = open(self.data_dir / "index.lock", "a+")  # noqa: SIM115 (held until exit)
            try:
                deadline = time.monotonic() + wait
                while fcntl is not None:
                    try:
                        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise IndexUnavailable(
                                "the search index is being written by another paperdeck "
                                "process; it will catch up when that finishes") from None
                        time.sleep(0.05)
                yield
            finally:
                fh.close()

    def _sync_index(self, wait: float | None = None, progress: Progress | None = None) -> None:
        """Bring the index up to the library's generation: rebuild or catch up.

        Searches go on meanwhile (they read the last committed index); only
        other writers wait for the lock.
        """
        wait = self.index_wait if wait is None else wait
        with self._index_writing(wait):
            gen = self._generation()
            state = self._index.state()
            if not self._index.usable():
                if state is None and not self.index_dir.exists():
                    if gen > 0:
                        self.notices.append("search index missing: rebuilt from the library")
                else:
                    self.notices.append("search index unreadable, damaged or of an older "
                                        "version: rebuilt from the library")
                self._rebuild(progress)
                return
            ix_gen = int(state.get("generation", -1)) if state else -1
            if ix_gen > gen or ix_gen < 0:
                self.notices.append("search index does not match the library: rebuilt")
                self._rebuild(progress)
            elif ix_gen < gen:
                self._catch_up(ix_gen, wait, progress)

    def reindex(self) -> int:
        """Rebuild the whole index from SQLite."""
        with self._index_writing():
            return self._rebuild()

    def _rebuild(self, progress: Progress | None = None) -> int:
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot: the generation and the papers agree
        try:
            gen = self._generation()
            total = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
            n = self._index.rebuild(self._index_docs(), gen, progress=_indexing(progress, total))
        finally:
            conn.execute("COMMIT")
        conn.execute("DELETE FROM tombstones WHERE gen <= ?", (gen,))
        return n

    def _catch_up(self, since: int, wait: float, progress: Progress | None = None) -> None:
        """Index what changed after generation `since` (the index's own): new papers
        are added to a new segment, changed ones replaced; never a rebuild."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            gen = self._generation()
            docs = list(self._index_docs(since))
            deleted = [k for (k,) in conn.execute(
                "SELECT key FROM tombstones WHERE gen > ?", (since,))]
        finally:
            conn.execute("COMMIT")
        # Whoosh's own lock gets the same patience as ours.
        self._index.update(docs, deleted, gen, wait=wait,
                           progress=_indexing(progress, len(docs)))
        conn.execute("DELETE FROM tombstones WHERE gen <= ?", (gen,))

    def _index_docs(self, since: int | None = None) -> Iterator[IndexDoc]:
        conn = self._conn()
        where, args = ("WHERE p.gen > ?", [since]) if since is not None else ("", [])
        files = {fid: (name, layout) for fid, name, layout in
                 conn.execute("SELECT id, name, layout FROM files")}
        srcs: dict[int, set] = {}
        for pid, fid in conn.execute(
                f"SELECT l.paper_id, l.file_id FROM listings l JOIN papers p ON p.id = "
                f"l.paper_id {where}", args):
            srcs.setdefault(pid, set()).update(files[fid])
            srcs[pid].add(files[fid][0].rsplit(".", 1)[0])
        for (pid, key, title, abstract, authors, cats, week, month, year,
             aid) in conn.execute(
                f"SELECT id, key, title, abstract, authors, categories, week, month, t_year, "
                f"arxiv_id FROM papers p {where}", args):
            yield IndexDoc(key, title, abstract, json.loads(authors), json.loads(cats), week,
                           month, int(year) if year else None, aid,
                           sorted(srcs.get(pid, ())), pid)

    # --- importing -------------------------------------------------------------

    def is_empty(self) -> bool:
        return self._conn().execute("SELECT 1 FROM papers LIMIT 1").fetchone() is None

    def import_sample(self, progress: Progress | None = None) -> ImportReport:
        return self.import_files(sorted(SAMPLES.glob("*.txt")), progress=progress)

    def import_files(self, paths: Iterable[Path | str], layout: str | None = None,
                     progress: Progress | None = None) -> ImportReport:
        """Import digests (files, or directories of them), all or nothing.

        Every file is read and parsed before anything is written; any bad file
        raises DigestError naming it, and the library is left as it was.
        """
        report = ImportReport()
        parsed = self._read_all(list(paths), layout, report)
        if not parsed:
            return report
        self.check_integrity()  # never write into (or back up) a damaged library
        self._auto_backup()
        total = sum(len(recs) for *_, recs in parsed)
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            gen = self._generation() + 1
            batch: list[tuple[Record, int, str]] = []
            for path, digest, layout_name, recs in parsed:
                cur = conn.execute(
                    "INSERT INTO files(name, path, sha256, layout, records, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (path.name, str(path.resolve()), digest, layout_name, len(recs),
                     time.strftime("%Y-%m-%dT%H:%M:%S")))
                batch.extend((r, cur.lastrowid, path.name) for r in recs)
                report.files.append(str(path))
            self._merge_batch(conn, batch, gen, report, progress, total)
            conn.execute("INSERT OR REPLACE INTO meta(name, value) VALUES ('generation', ?)",
                         (str(gen),))
            checkpoint("before-commit")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        report.records = total
        checkpoint("after-commit")
        try:
            self._sync_index(progress=progress)
        except IndexUnavailable as exc:
            report.warnings.append(f"{exc}; the index will catch up on the next start")
        return report

    def _read_all(self, paths: list[Path | str], layout: str | None,
                  report: ImportReport) -> list[tuple[Path, str, str, list[Record]]]:
        files: list[tuple[Path, bool]] = []  # (path, named explicitly)
        for p in map(Path, paths):
            if p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.is_file()
                               and not any(part.startswith(".") for part in f.parts))
                if not found:
                    raise DigestError("directory has no files to import", str(p))
                files.extend((f, False) for f in found)
            elif not p.exists():
                raise DigestError("no such file", str(p))
            else:
                files.append((p, True))
        known = {d for (d,) in self._conn().execute("SELECT sha256 FROM files")}
        parsed, seen, passed_over = [], set(), []
        for path, explicit in files:
            data = _read_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in known or digest in seen:
                report.skipped += 1
                report.skipped_files.append(str(path))
                continue
            try:
                if layout is None and not explicit:
                    # found in a directory: a file that is not a digest (a binary, notes)
                    # is passed over; one that is a digest must then parse
                    try:
                        text, replaced = sources.decode(data)
                        sources.detect(text)
                    except DigestError:
                        passed_over.append(str(path))
                        report.warnings.append(f"{path}: not a digest of a known layout, "
                                               "passed over")
                        continue
                else:
                    text, replaced = sources.decode(data)
                recs = sources.parse(text, layout)
            except DigestError as exc:
                raise exc.at(str(path)) from None
            if replaced:
                report.warnings.append(f"{path}: {replaced} undecodable byte(s) replaced")
            seen.add(digest)
            parsed.append((path, digest, recs[0].layout if recs else layout or "?", recs))
        if not parsed and not report.skipped and files:
            shown = ", ".join(passed_over[:3]) + (", ..." if len(passed_over) > 3 else "")
            raise DigestError(f"no digest of a known layout found ({len(passed_over)} "
                              f"file(s) passed over: {shown})",
                              str(paths[0]) if len(paths) == 1 else None)
        return parsed

    def _merge_batch(self, conn: sqlite3.Connection, batch: list[tuple[Record, int, str]],
                     gen: int, report: ImportReport, progress: Progress | None,
                     total: int) -> None:
        keys = [match_keys(rec) for rec, _, _ in batch]
        wanted = sorted({k for ks in keys for k in ks})
        owner: dict[str, tuple] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for mkey, pid in conn.execute(
                    f"SELECT mkey, paper_id FROM match_keys WHERE mkey IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                owner[mkey] = ("p", pid)
        uf = UnionFind()
        for i, ks in enumerate(keys):
            node = ("r", i)
            uf.find(node)
            for k in ks:
                if k in owner:
                    uf.union(owner[k], node)
                else:
                    owner[k] = node
        groups: dict[tuple, list[tuple]] = {}
        for node in list(uf.parent):
            groups.setdefault(uf.find(node), []).append(node)

        done = 0
        for members in sorted(groups.values(), key=lambda m: min(n[1] for n in m if n[0] == "r")
                              if any(n[0] == "r" for n in m) else 0):
            recs = sorted(n[1] for n in members if n[0] == "r")
            pids = sorted(n[1] for n in members if n[0] == "p")
            if not recs:
                continue
            if pids:
                target = pids[0]
                for other in pids[1:]:
                    self._fold(conn, other, target, gen)
                report.merged += len(recs)
            else:
                cur = conn.execute("INSERT INTO papers(key, title, abstract, gen) "
                                   "VALUES (?, '', '', ?)", (f"new:{gen}:{recs[0]}", gen))
                target = cur.lastrowid
                report.added += 1
                report.merged += len(recs) - 1
            conn.executemany(
                "INSERT INTO listings(paper_id, file_id, line, layout, label, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(target, batch[i][1], batch[i][0].line, batch[i][0].layout,
                  batch[i][0].week or batch[i][0].date_label, json.dumps(asdict(batch[i][0])))
                 for i in recs])
            conn.executemany("INSERT OR REPLACE INTO match_keys(mkey, paper_id) VALUES (?, ?)",
                             [(k, target) for i in recs for k in keys[i]])
            self._recompute(conn, target, gen)
            done += len(recs)
            if done * 2 >= total > (done - len(recs)) * 2:
                checkpoint("mid-import")
            if progress:
                progress(done, total, "records merged")

    def _fold(self, conn: sqlite3.Connection, other: int, target: int, gen: int) -> None:
        """A new record showed two known papers to be one: keep `target`, marks OR'd."""
        key, read, starred = conn.execute(
            "SELECT key, read, starred FROM papers WHERE id = ?", (other,)).fetchone()
        conn.execute("UPDATE papers SET read = MAX(read, ?), starred = MAX(starred, ?) "
                     "WHERE id = ?", (read, starred, target))
        for table in ("listings", "match_keys"):
            conn.execute(f"UPDATE {table} SET paper_id = ? WHERE paper_id = ?", (target, other))
        conn.execute("DELETE FROM paper_categories WHERE paper_id = ?", (other,))
        conn.execute("DELETE FROM papers WHERE id = ?", (other,))
        conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (key, gen))

    def _recompute(self, conn: sqlite3.Connection, pid: int, gen: int) -> None:
        """Derive a paper's fields from all its listings."""
        rows = conn.execute("SELECT data, layout FROM listings WHERE paper_id = ? ORDER BY id",
                            (pid,)).fetchall()
        recs = [Record(**json.loads(d)) for d, _ in rows]
        m = combine(recs)
        key = m.natural_key()
        old_key = conn.execute("SELECT key FROM papers WHERE id = ?", (pid,)).fetchone()[0]
        if key != old_key:
            n, base = 2, key
            while conn.execute("SELECT 1 FROM papers WHERE key = ? AND id != ?",
                               (key, pid)).fetchone():
                key, n = f"{base}-{n}", n + 1
            if not old_key.startswith("new:"):
                conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (old_key, gen))
        t_year = (m.week or m.month or (str(m.year) if m.year else ""))[:4] or None
        if m.week:
            sort_date = m.week
        elif m.month:
            sort_date = m.month + "-00"
        elif m.year:
            sort_date = f"{m.year}-00-00"
        else:
            sort_date = ""
        tag = m.categories[0] if m.categories else rows[0][1]
        conn.execute(
            "UPDATE papers SET key=?, arxiv_id=?, title=?, title_derived=?, abstract=?, "
            "authors=?, year=?, week=?, month=?, categories=?, date_text=?, t_year=?, "
            "sort_date=?, tag=?, gen=? WHERE id=?",
            (key, m.arxiv_id, m.title, int(m.title_derived), m.abstract, json.dumps(m.authors),
             m.year, m.week, m.month, json.dumps(m.categories), m.date_text, t_year, sort_date,
             tag, gen, pid))
        conn.execute("DELETE FROM paper_categories WHERE paper_id = ?", (pid,))
        conn.executemany("INSERT INTO paper_categories(paper_id, code) VALUES (?, ?)",
                         [(pid, c) for c in m.categories])

    # --- reading -----------------------------------------------------------------

    def resolve(self, key: str) -> str | None:
        """The key of a paper named by its key, arXiv id (any version) or arXiv URL."""
        conn = self._conn()
        k = key.strip()
        row = conn.execute("SELECT key FROM papers WHERE key = ? COLLATE NOCASE",
                           (k,)).fetchone()
        if row:
            return row[0]
        parsed = parse_arxiv_id(k)
        if parsed:
            row = conn.execute("SELECT key FROM papers WHERE arxiv_id = ?",
                               (parsed[0],)).fetchone()
            if row:
                return row[0]
        return None

    def paper(self, key: str) -> Paper | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT id, key, title, title_derived, abstract, authors, year, arxiv_id, week, "
            "month, categories, read, starred, date_text FROM papers WHERE key = ?",
            (key,)).fetchone()
        if row is None:
            return None
        (pid, key, title, derived, abstract, authors, year, aid, week, month, cats, read,
         starred, _date_text) = row
        srcs = [Source(name, layout, label, line) for name, layout, label, line in conn.execute(
            "SELECT f.name, l.layout, l.label, l.line FROM listings l JOIN files f "
            "ON f.id = l.file_id WHERE l.paper_id = ? ORDER BY l.id", (pid,))]
        return Paper(key=key, title=title, abstract=abstract, title_derived=bool(derived),
                     authors=json.loads(authors), year=year, arxiv_id=aid, week=week,
                     month=month, categories=json.loads(cats), sources=srcs, read=bool(read),
                     starred=bool(starred))

    def papers(self, keys: Iterable[str]) -> list[Paper]:
        return [p for p in (self.paper(k) for k in keys) if p is not None]

    def rows(self, scope: Scope = ALL, sort: str = "newest", status: Iterable[str] = (),
             also: Iterable[Scope] = ()) -> list[ListRow]:
        """The papers of a scope (and of every scope in `also`), with `is:` status filters."""
        where, args = _list_sql(scope, status, also)
        order = _ORDER.get(sort, _ORDER["newest"])
        return [_row(r) for r in self._conn().execute(
            f"SELECT {ROW_COLUMNS} FROM papers p WHERE {where} ORDER BY {order}", args)]

    # A long list is read in two steps, so that nobody holds 100,000 ListRows: the
    # ordered paper ids (8 bytes each in an array), then the rows of a window by id.
    # The ids are a snapshot: a paper marked read stays where it was in "Unread", as
    # it does with rows(); only its row is fetched again.

    def row_ids(self, scope: Scope = ALL, sort: str = "newest", status: Iterable[str] = (),
                also: Iterable[Scope] = ()) -> array:
        """The ids of the papers of a scope, in list order (see rows())."""
        where, args = _list_sql(scope, status, also)
        order = _ORDER.get(sort, _ORDER["newest"])
        ids = array("q")
        cur = self._conn().execute(f"SELECT p.id FROM papers p WHERE {where} ORDER BY {order}",
                                   args)
        while True:
            chunk = cur.fetchmany(5000)
            if not chunk:
                return ids
            ids.extend(r[0] for r in chunk)

    def rows_by_id(self, ids: Iterable[int]) -> list[ListRow | None]:
        """The list rows of papers by id, in the order given (None for a paper gone)."""
        ids = list(ids)
        found: dict[int, ListRow] = {}
        conn = self._conn()
        # json_each: one bound parameter for thousands of ids (a whole search's rows).
        for i in range(0, len(ids), 30000):
            for r in conn.execute(f"SELECT {ROW_COLUMNS}, p.id FROM papers p WHERE p.id IN "
                                  "(SELECT value FROM json_each(?))",
                                  (json.dumps(ids[i:i + 30000]),)):
                found[r[-1]] = _row(r)
        return [found.get(i) for i in ids]

    def paper_id(self, key: str) -> int | None:
        row = self._conn().execute("SELECT id FROM papers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def first_unread_id(self, scope: Scope = ALL, sort: str = "newest") -> int | None:
        """The id of the first unread paper of a list (see rows()), if any."""
        where, args = _list_sql(scope, ("unread",))
        order = _ORDER.get(sort, _ORDER["newest"])
        row = self._conn().execute(f"SELECT p.id FROM papers p WHERE {where} "
                                   f"ORDER BY {order} LIMIT 1", args).fetchone()
        return row[0] if row else None

    def unread_keys_of_ids(self, ids: Iterable[int]) -> list[str]:
        """The keys of those of these papers that are unread (in no particular order)."""
        ids = list(ids)
        out: list[str] = []
        conn = self._conn()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.extend(r[0] for r in conn.execute(
                f"SELECT key FROM papers WHERE read = 0 AND id IN ({','.join('?' * len(chunk))})",
                chunk))
        return out

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
        offset = max(0, offset)
        problem = status_error(query)
        if problem:
            return SearchResult(query, [], 0, error=problem)
        text, flags = split_status(tidy(query))
        where, args = _list_sql(scope, flags)
        conn = self._conn()
        if not text:
            order = _ORDER.get("newest" if sort == "relevance" else sort, _ORDER["newest"])
            total = conn.execute(f"SELECT COUNT(*) FROM papers p WHERE {where}",
                                 args).fetchone()[0]
            page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {offset}"
            if limit is None and offset:
                page = f" LIMIT -1 OFFSET {offset}"
            rows = [_row(r) for r in conn.execute(
                f"SELECT {ROW_COLUMNS} FROM papers p WHERE {where} ORDER BY {order}{page}",
                args)]
            return SearchResult(query, rows, total)
        if sort in _ORDER:
            return self._search_sorted(query, text, flags, where, args, sort, limit, offset)
        want = None if limit is None else offset + max(0, limit)
        filt, allow, exclude = self._scope_filter(scope, flags)
        hits = self._search_index(text, want, filt, allow, exclude)
        if hits.error:
            return SearchResult(query, [], 0, error=hits.error)
        rows = [r for r in self.rows_by_id(hits.pids[offset:]) if r is not None]
        return self._result(query, text, flags, rows, hits.total)

    def _search_sorted(self, query: str, text: str, flags: list[str], where: str, args: list,
                       sort: str, limit: int | None, offset: int) -> SearchResult:
        """Search sorted by a column: the index gives the set, SQLite sorts and pages."""
        hits = self._search_pids(text)
        if hits.error:
            return SearchResult(query, [], 0, error=hits.error)
        conn = self._conn()
        if not hits.pids:
            return self._result(query, text, flags, [], 0)
        if limit is not None and len(hits.pids) * 20 >= self._index.doc_count():
            # A common word: walk the papers in the sort's index order and keep the
            # matches until the page is full (a few hundred rows), instead of
            # handing SQLite tens of thousands of ids to sort.
            found = set(hits.pids)
            rows, skip = [], offset
            for r in conn.execute(f"SELECT {ROW_COLUMNS}, p.id FROM papers p WHERE {where} "
                                  f"ORDER BY {_ORDER[sort]}", args):
                if r[-1] in found:
                    if skip:
                        skip -= 1
                        continue
                    rows.append(_row(r))
                    if len(rows) >= limit:
                        break
            total = len(found) if where == "1" else conn.execute(
                f"SELECT COUNT(*) FROM papers p WHERE p.id IN (SELECT value FROM json_each(?)) "
                f"AND {where}", [json.dumps(hits.pids), *args]).fetchone()[0]
            return self._result(query, text, flags, rows, total)
        ids = json.dumps(hits.pids)
        cond = f"p.id IN (SELECT value FROM json_each(?)) AND {where}"
        total = conn.execute(f"SELECT COUNT(*) FROM papers p WHERE {cond}",
                             [ids, *args]).fetchone()[0]
        page = f" LIMIT {-1 if limit is None else int(limit)} OFFSET {offset}"
        rows = [_row(r) for r in conn.execute(
            f"SELECT {ROW_COLUMNS} FROM papers p WHERE {cond} ORDER BY {_ORDER[sort]}{page}",
            [ids, *args])] if total else []
        return self._result(query, text, flags, rows, total)

    def _result(self, query: str, text: str, flags: list[str], rows: list[ListRow],
                total: int) -> SearchResult:
        suggestion = None
        if not total:
            suggestion = self._index.suggest(text)
            if suggestion:
                suggestion = " ".join([suggestion] + [f"is:{f}" for f in flags])
        return SearchResult(query, rows, total, suggestion)

    def _scope_filter(self, scope: Scope | None, flags: list[str]):
        """A scope and `is:` flags as index filters: ((field, term), allowed ids, excluded ids).

        Week, month, year and category are terms of the index (a posting list, no
        SQL); the marks live in SQLite only, so they become id sets (the smaller
        side: `unread` excludes the read papers rather than allowing the rest).
        """
        filt = None
        allow: set[int] | None = None
        exclude: set[int] = set()
        conn = self._conn()

        def ids(sql: str, params=()) -> set[int]:
            return {r[0] for r in conn.execute(sql, params)}

        def allow_only(found: set[int]) -> None:
            nonlocal allow
            allow = found if allow is None else allow & found

        kind = scope.kind if scope else "all"
        value = scope.value if scope else None
        if kind in ("week", "month", "year") and value:
            filt = (kind, value)
        elif kind == "category" and value:
            filt = ("category", value.lower())
        elif kind == "undated":
            allow_only(ids("SELECT id FROM papers WHERE t_year IS NULL"))
        elif kind == "source":
            allow_only(ids("SELECT l.paper_id FROM listings l JOIN files f ON f.id = l.file_id "
                           "WHERE f.name = ?", (value,)))
        marks = list(flags) + ([kind] if kind in ("unread", "read", "starred") else [])
        for flag in marks:
            if flag == "unread":
                exclude |= ids("SELECT id FROM papers WHERE read = 1")
            elif flag == "read":
                allow_only(ids("SELECT id FROM papers WHERE read = 1"))
            elif flag == "starred":
                allow_only(ids("SELECT id FROM papers WHERE starred = 1"))
            elif flag == "unstarred":
                exclude |= ids("SELECT id FROM papers WHERE starred = 1")
        return filt, allow, (exclude or None)

    def _search_index(self, text: str, limit: int | None = None, filt=None, allow=None,
                      exclude=None):
        """Search; an index that fails to read is a cache miss: rebuild it once and retry."""
        try:
            return self._index.search(text, limit, filt, allow, exclude)
        except IndexUnavailable:
            raise
        except Exception as exc:  # damaged segment files surface here, as any error
            self._index_damaged(exc)
            return self._index.search(text, limit, filt, allow, exclude)

    def _search_pids(self, text: str):
        try:
            return self._index.match_pids(text)
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._index_damaged(exc)
            return self._index.match_pids(text)

    def _index_damaged(self, exc: Exception) -> None:
        self.notices.append(f"search index damaged ({type(exc).__name__}): rebuilt "
                            "from the library")
        with self._index_writing():
            self._index.close()
            self._rebuild()

    def highlight_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        words_query, _ = split_status(query)
        if not words_query:
            return []
        words = self._index.match_terms(words_query)
        return highlight_spans(text, words)

    # --- marks -------------------------------------------------------------------

    def mark_read(self, keys: Iterable[str], read: bool = True) -> int:
        keys = list(keys)
        conn = self._conn()
        self._begin_mark(conn)
        try:
            changed = 0
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                changed += conn.execute(
                    f"UPDATE papers SET read = ? WHERE read != ? AND key IN "
                    f"({','.join('?' * len(chunk))})", [int(read), int(read), *chunk]).rowcount
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return changed

    def _begin_mark(self, conn: sqlite3.Connection) -> None:
        """Take the write lock for a mark, or say clearly why not (nothing is changed)."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            # An import in another shell holds the write lock for its whole run (all
            # or nothing): a very large one outlasts the busy timeout.
            raise LibraryError(f"the library is busy: another paperdeck process (an "
                               f"import?) has been writing for {BUSY_TIMEOUT:.0f} s; "
                               "the mark was not made, try again") from None

    def set_starred(self, key: str, starred: bool) -> None:
        self.set_starred_many([key], starred)

    def set_starred_many(self, keys: Iterable[str], starred: bool) -> int:
        conn = self._conn()
        self._begin_mark(conn)
        try:
            changed = sum(conn.execute(
                "UPDATE papers SET starred = ? WHERE key = ? AND starred != ?",
                (int(starred), k, int(starred))).rowcount for k in keys)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return changed

    # --- navigation ----------------------------------------------------------------

    def counts(self, scope: Scope) -> tuple[int, int]:
        where, args = _scope_sql(scope)
        total, unread = self._conn().execute(
            f"SELECT COUNT(*), COALESCE(SUM(p.read = 0), 0) FROM papers p WHERE {where}",
            args).fetchone()
        return unread, total

    # Narrow indexes for the counts: without them every count reads the papers table,
    # abstracts and all (470 MB at 100,000 papers: 1.3 s warm, 13 s from a cold disk).
    _NAV_INDEXES = {
        "papers_nav": "CREATE INDEX IF NOT EXISTS papers_nav "
                      "ON papers(t_year, month, week, read, starred)",
        "papers_read": "CREATE INDEX IF NOT EXISTS papers_read ON papers(id, read)",
        # Not a count index, but libraries made before it also get it here, once.
        "papers_title": "CREATE INDEX IF NOT EXISTS papers_title "
                        "ON papers(title COLLATE NOCASE, id)",
    }

    def _nav_indexes(self, conn: sqlite3.Connection) -> bool:
        """Whether the count indexes exist; made on first use in an older library,
        unless another writer holds the database (then: next time)."""
        if self._nav_ready:
            return True
        names = {n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'")}
        if not names.issuperset(self._NAV_INDEXES):
            conn.execute("PRAGMA busy_timeout=200")
            try:
                for sql in self._NAV_INDEXES.values():
                    conn.execute(sql)
            except sqlite3.OperationalError:  # locked by an import: count without them
                return False
            finally:
                conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        self._nav_ready = True
        return True

    def nav_tree(self) -> list[NavNode]:
        conn = self._conn()
        by_id = "INDEXED BY papers_read" if self._nav_indexes(conn) else ""
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

        dates = NavNode("Dates", None)
        years: dict[str, NavNode] = {}
        months: dict[str, NavNode] = {}
        undated = None
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
            if month:
                mo = months.get(month)
                if mo is None:
                    label = f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"
                    mo = months[month] = NavNode(label, Scope("month", month))
                    y.children.append(mo)
                mo.unread += u
                mo.total += n
                if week:
                    mo.children.append(NavNode(f"Week to {week}", Scope("week", week), u, n))
        if undated:
            dates.children.append(undated)
        dates.unread = sum(c.unread for c in dates.children)
        dates.total = sum(c.total for c in dates.children)

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
        return [*nodes, dates, cats, srcs]

    # --- state and stats -------------------------------------------------------------

    def get_state(self, name: str) -> str | None:
        row = self._conn().execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_state(self, name: str, value: str | None) -> None:
        conn = self._conn()
        if value is None:
            conn.execute("DELETE FROM state WHERE name = ?", (name,))
        else:
            conn.execute("INSERT OR REPLACE INTO state(name, value) VALUES (?, ?)", (name, value))

    def stats(self) -> dict:
        conn = self._conn()
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


def _indexing(progress: Progress | None, total: int):
    """The index's progress (done) as the library's (done, total, what)."""
    if progress is None:
        return None
    return lambda done: progress(min(done, total), total, "papers indexed")


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DigestError(f"file is {size // (1024 * 1024)} MiB; the largest digest "
                              f"paperdeck reads is {MAX_FILE_BYTES // (1024 * 1024)} MiB",
                              str(path))
        return path.read_bytes()
    except PermissionError:
        raise DigestError("permission denied: cannot read the file", str(path)) from None
    except IsADirectoryError:
        raise DigestError("is a directory", str(path)) from None
    except OSError as exc:
        raise DigestError(f"cannot read the file: {exc.strerror}", str(path)) from None

