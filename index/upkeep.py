"""Keeping the search index a faithful cache of SQLite: the generation both record, the
lock of the one index writer, rebuild and catch-up, and recovery from a damaged index.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

    def reindex(self) -> int:
        """Rebuild the whole index from SQLite."""
        with self.writing():
            return self.rebuild()

    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every paper afresh (the caller holds `writing()`)."""
        with self.store.transaction() as conn:  # one snapshot: generation and papers agree
            gen = generation(conn)
            total = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
            n = self.index.rebuild(self._docs(), gen, progress=_indexing(progress, total))
        self._forget_tombstones(gen)
        return n

    def _catch_up(self, since: int, wait: float, progress: Progress | None = None) -> None:
        """Index what changed after generation `since` (the index's own): new papers
        are added to a new segment, changed ones replaced; never a rebuild."""
        with self.store.transaction() as conn:
            gen = generation(conn)
            docs = list(self._docs(since))
            deleted = [k for (k,) in conn.execute(
                "SELECT key FROM tombstones WHERE gen > ?", (since,))]
        # Whoosh's own lock gets the same patience as ours.
        self.index.update(docs, deleted, gen, wait=wait,
                          progress=_indexing(progress, len(docs)))
        self._forget_tombstones(gen)

    def _forget_tombstones(self, gen: int) -> None:
        with self.store.transaction(write=True) as conn:
            conn.execute("DELETE FROM tombstones WHERE gen <= ?", (gen,))

    def _docs(self, since: int | None = None) -> Iterator[IndexDoc]:
        conn = self.store.connection()
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
    return lambda done: progress(min(done, total), total, "papers indexed")
