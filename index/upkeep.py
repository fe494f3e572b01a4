"""Keeping the search index a faithful cache of SQLite: the generation both record, the
lock of the one index writer, rebuild and catch-up, and recovery from a damaged index.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: rely on Whoosh's own lock alone
    fcntl = None

from .search import Hits, IndexDoc, IndexUnavailable, SearchIndex
from .store import Store
from .views import Progress

# How long a writer waits for another process's hold on the index (seconds) before
# reporting it; the SQLite busy timeout is as long. Opening waits less: the reader
# should not hang at start because an import in another shell is indexing.
INDEX_WAIT = 30.0
OPEN_INDEX_WAIT = 2.0
LOCK_FILE = "index.lock"
# Papers handed to the index at a time when it catches up (see IndexUpkeep._catch_up).
CATCH_UP_CHUNK = 20_000


def generation(conn) -> int:
    """The library's generation: one more for every import that changed papers."""
    row = conn.execute("SELECT value FROM meta WHERE name='generation'").fetchone()
    return int(row[0]) if row else 0


def set_generation(conn, gen: int) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(name, value) VALUES ('generation', ?)",
                 (str(gen),))


class IndexUpkeep:
    """Brings the index up to the library's generation, and answers searches through it.

    A paper's `gen` is the generation that last changed it, and the index records the
    generation it was built to: catching up re-indexes the papers of a later `gen`
    and removes the keys tombstoned since.
    """

    def __init__(self, store: Store, index: SearchIndex, index_dir: Path,
                 notify: Callable[[str], None]):
        self.store = store
        self.index = index
        self.index_dir = index_dir
        self.notify = notify  # tells the user (the library's notices)
        self.wait = INDEX_WAIT
        self._lock = threading.RLock()

    def generation(self) -> int:
        return generation(self.store.connection())

    def close(self) -> None:
        with self._lock:
            self.index.close()

    @contextmanager
    def writing(self, wait: float | None = None) -> Iterator[None]:
        """One index writer at a time, across threads and processes (a lock file)."""
        wait = self.wait if wait is None else wait
        with self._lock:
            fh = open(self.store.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 (held until exit)
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

    def sync(self, wait: float | None = None, progress: Progress | None = None) -> None:
        """Bring the index up to the library's generation: rebuild or catch up.

        Searches go on meanwhile (they read the last committed index); only
        other writers wait for the lock.
        """
        wait = self.wait if wait is None else wait
        with self.writing(wait):
            gen = self.generation()
            state = self.index.state()
            if not self.index.usable():
                if state is None and not self.index_dir.exists():
                    if gen > 0:
                        self.notify("search index missing: rebuilt from the library")
                else:
                    self.notify("search index unreadable, damaged or of an older "
                                        "version: rebuilt from the library")
                self.rebuild(progress)
                return
            ix_gen = int(state.get("generation", -1)) if state else -1
            if ix_gen > gen or ix_gen < 0:
                self.notify("search index does not match the library: rebuilt")
                self.rebuild(progress)
            elif ix_gen < gen:
                self._catch_up(ix_gen, wait, progress)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from SQLite."""
        with self.writing():
            return self.rebuild(progress)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every paper afresh (the caller holds `writing()`)."""
        with self.store.transaction() as conn:  # one snapshot: generation and papers agree
            gen = generation(conn)
            total = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
            n = self.index.rebuild(self._docs(), gen, progress=_indexing(progress, total),
                                   papers=total)
        self._forget_tombstones(gen)
        return n

    def _catch_up(self, since: int, wait: float, progress: Progress | None = None) -> None:
        """Index what changed after generation `since` (the index's own): new papers
        are added to a new segment, changed ones replaced; a rebuild only when most of
        the library changed (a big first import), which streams where an update holds
        its papers. Papers go to the index CATCH_UP_CHUNK at a time, so memory is
        bounded by that, not by the import; the index records the new generation with
        the last chunk only (a catch-up cut short is done again, doubling nothing)."""
        with self.store.transaction() as conn:  # one snapshot: generation and papers agree
            gen = generation(conn)
            changed = conn.execute("SELECT COUNT(*) FROM papers WHERE gen > ?",
                                   (since,)).fetchone()[0]
            papers = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
            rebuild = changed > CATCH_UP_CHUNK and changed * 2 > papers
            if not rebuild:
                deleted = [k for (k,) in conn.execute(
                    "SELECT key FROM tombstones WHERE gen > ?", (since,))]
                told = _indexing(progress, changed)
                docs = self._docs(since)
                done = 0
                while True:
                    chunk = list(islice(docs, CATCH_UP_CHUNK))
                    last = done + len(chunk) >= changed
                    # Whoosh's own lock gets the same patience as ours.
                    self.index.update(chunk, deleted if not done else [],
                                      gen if last else since, wait=wait,
                                      progress=(lambda n, base=done: told(base + n))
                                      if told else None)
                    done += len(chunk)
                    if last or not chunk:
                        break
        if rebuild:
            self.rebuild(progress)
            return
        self._forget_tombstones(gen)

    def _forget_tombstones(self, gen: int) -> None:
        with self.store.transaction(write=True) as conn:
            conn.execute("DELETE FROM tombstones WHERE gen <= ?", (gen,))

    def _docs(self, since: int | None = None) -> Iterator[IndexDoc]:
        """The index's documents of the papers changed after `since` (all: None), one
        at a time from one query (a paper's sources and summaries by subquery), so that
        a rebuild of a million papers holds one of them at a time.

        A digest's summaries and the keywords are searched with the abstract (they are
        not the abstract: the paper keeps its own), so a title-only list's pitch finds
        its paper; a paper without them is indexed exactly as before."""
        conn = self.store.connection()
        where, args = ("WHERE p.gen > ?", [since]) if since is not None else ("", [])
        files = {fid: (name, layout) for fid, name, layout in
                 conn.execute("SELECT id, name, layout FROM files")}
        for (pid, key, title, abstract, authors, cats, week, month, year, aid, keywords,
             fids, summaries) in conn.execute(
                "SELECT id, key, title, abstract, authors, categories, week, month, t_year, "
                "arxiv_id, keywords, "
                "(SELECT group_concat(DISTINCT file_id) FROM listings WHERE paper_id = p.id), "
                "(SELECT group_concat(summary, char(10)) FROM listings WHERE paper_id = p.id "
                f"AND summary IS NOT NULL AND summary != '') FROM papers p {where}", args):
            srcs: set[str] = set()
            for fid in (fids or "").split(","):
                if fid:
                    name, layout = files[int(fid)]
                    srcs.update((name, layout, name.rsplit(".", 1)[0]))
            words = " ".join(json.loads(keywords or "[]"))
            text = "\n".join(t for t in (abstract, summaries, words) if t)
            yield IndexDoc(key, title, text, json.loads(authors), json.loads(cats), week,
                           month, int(year) if year else None, aid, sorted(srcs), pid)

    # --- reading through the index: a damaged index is a cache miss -------------------

    def search(self, text: str, limit: int | None = None, filt=None, allow=None,
               exclude=None) -> Hits:
        """Search; an index that fails to read is rebuilt once and asked again."""
        try:
            return self.index.search(text, limit, filt, allow, exclude)
        except IndexUnavailable:
            raise
        except Exception as exc:  # damaged segment files surface here, as any error
            self._damaged(exc)
            return self.index.search(text, limit, filt, allow, exclude)

    def match_pids(self, text: str) -> Hits:
        """Every paper id matching `text`, in no useful order (see search())."""
        try:
            return self.index.match_pids(text)
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._damaged(exc)
            return self.index.match_pids(text)

    def _damaged(self, exc: Exception) -> None:
        self.notify(f"search index damaged ({type(exc).__name__}): rebuilt "
                            "from the library")
        with self.writing():
            self.index.close()
            self.rebuild()


def _indexing(progress: Progress | None, total: int):
    """The index's progress (done) as the library's (done, total, what)."""
    if progress is None:
        return None
    if total:
        # At once, not at the first 500 papers: a bar's clock and rate start with the work.
        progress(0, total, "papers indexed")
    return lambda done: progress(min(done, total), total, "papers indexed")
