"""The full-text index: Whoosh behind a small interface, so the engine can be swapped.

The index is derived data. It records the schema version and the library
generation it reflects in `paperdeck-index.json`; the library compares them with
SQLite on open and rebuilds or catches up. Reading status never lives here.

This is the facade (`SearchIndex`); the rules live beside it: `fields` (what is
indexed, field names), `analysis` (words and stems), `typos` (`word~`, did you
mean), `phrases`, `ranking` (which path a query takes), `scoring` (BM25F, AND/OR)
and `engine` (the only module that reaches into Whoosh's internals).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser, query
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from . import engine, ranking, scoring
from .analysis import TITLE_BOOST, TITLE_END, TextAnalyzer, highlight_spans, recording_words
from .faults import checkpoint
from .fields import (
    FIELD_ALIASES,
    QUERY_FIELDS,
    SCHEMA_VERSION,
    STEMMED_FIELDS,
    IndexDoc,
    document,
    make_schema,
)
from .phrases import FastPhrase, fast_phrases
from .typos import Lexicon, Spelling, TypoPlugin, TypoTerm, walk, within
from .word_runs import WordRuns, write_words

# Kept importable from here: the library, the reader and the tests import them from
# this module, and `_TextAnalyzer` is the name the schema of an index written before
# the split pickled (such an index still opens).
_TextAnalyzer = TextAnalyzer
__all__ = ["FastPhrase", "Hits", "IndexDoc", "IndexUnavailable", "Lexicon", "QUERY_FIELDS",
           "SCHEMA_VERSION", "STEMMED_FIELDS", "SearchIndex", "TITLE_BOOST", "TITLE_END",
           "TypoTerm", "highlight_spans", "make_schema", "split_status", "within"]

STATE_FILE = "paperdeck-index.json"
WORDS_FILE = "paperdeck-words.json"

# Writer memory for the postings pool before it spills a sorted run to disk.
WRITER_LIMITMB = 256
# Whoosh's pool counts its postings' bytes, not the Python objects holding them
# (several times more): with 256 a rebuild of 49,000 papers peaked at 363 MB, and of
# the 488,000 of a 1 GB snapshot at 546 MB, over the reader's budget of 400 MB. A
# rebuild of more than BIG_REBUILD papers gets the small pool, whose peak stays flat
# (about 130 MB from 10,000 papers on) at the cost of merging more runs at commit
# (a third slower at 49,000: docs/BENCHMARKS.md, "Streamed import").
BIG_REBUILD = 50_000
BIG_REBUILD_LIMITMB = 64


def rebuild_pool_mb(papers: int) -> int:
    """The writer's pool for a rebuild of `papers` papers (see BIG_REBUILD)."""
    return BIG_REBUILD_LIMITMB if papers > BIG_REBUILD else WRITER_LIMITMB
# An incremental update leaves its segment unmerged (a merge rewrites the big
# segment: that is a rebuild) until there are this many, then merges the small ones.
MAX_SEGMENTS = 8

_STATUS_RE = re.compile(r"(?<![\w:])is:(unread|read|starred|unstarred)\b", re.IGNORECASE)


class IndexUnavailable(Exception):
    """The index cannot be opened or written (damaged, locked too long)."""


@dataclass
class Hits:
    error: str | None = None
    pids: list[int] = field(default_factory=list)  # SQLite ids, best first
    total: int = 0  # every match (after the filters), however few are returned


def split_status(text: str) -> tuple[str, list[str]]:
    """Take the `is:` filters out of a query: they are answered by SQLite."""
    flags = [m.lower() for m in _STATUS_RE.findall(text)]
    rest = _STATUS_RE.sub(" ", text)
    return " ".join(rest.split()), flags


class Snapshot:
    """What one committed state of the index knows (its searcher, the words of its
    typos, its phrase matches, length norms, ids): built lazily, dropped with the searcher."""

    def __init__(self, searcher, load_words):
        self.searcher = searcher
        self._pids: list[int] | None = None
        self._docnum: dict[int, int] | None = None
        self.spelling = Spelling(load_words)  # the words and lexicons of `word~`
        self.phrases: dict = {}  # FastPhrase results of this snapshot
        self._norms: dict = {}  # (segment reader id, field) -> BM25 length norms

    def norms(self, reader, fieldname: str) -> list[float]:
        """Every document's BM25 length part of a field in one segment reader (the
        field's average is the whole index's, fixed for the snapshot)."""
        key = (id(reader), fieldname)
        got = self._norms.get(key)
        if got is None:
            s = self.searcher
            w = s.weighting
            got = self._norms[key] = scoring.length_norms(
                engine.field_lengths(reader, fieldname), s.avg_field_length(fieldname),
                w.K1, engine.bm25_b(w, fieldname))
        return got

    def pids_of(self, docnums: list[int]) -> list[int]:
        """SQLite ids of some documents: a page reads them from the column, without
        loading the whole docnum -> id list on a snapshot's first search."""
        if not docnums:  # an empty index has no column at all
            return []
        if self._pids is None and len(docnums) < 2000:
            col = self.searcher.reader().column_reader("pid")
            return [col[d] for d in docnums]
        pids = self.pids()
        return [pids[d] for d in docnums]

    def pids(self) -> list[int]:
        """docnum -> SQLite id."""
        if self._pids is None:
            reader = self.searcher.reader()
            # An index with no segment yet (an empty library) has no column to read.
            self._pids = (list(reader.column_reader("pid")) if reader.doc_count_all()
                          else [])
        return self._pids

    def docnums(self) -> dict[int, int]:
        """SQLite id -> docnum of the live document."""
        if self._docnum is None:
            pids = self.pids()
            self._docnum = {pids[d]: d for d in self.searcher.reader().all_doc_ids()}
        return self._docnum


class SearchIndex:
    """A Whoosh index in a directory, with its own state file.

    Writing (rebuild, update) and reading are independent: searches never wait for
    an update to finish; they see the last committed generation until it commits.
    Searches in several threads share one searcher under a short lock.
    """

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self._ix = None
        self._snapshot: Snapshot | None = None
        self._read_lock = threading.RLock()
        self.rebuilds = 0  # whole-index builds by this object (tests check catch-ups avoid them)

    # --- state ---------------------------------------------------------------

    def state(self) -> dict | None:
        """{"schema": N, "generation": G} or None when missing or unreadable."""
        try:
            data = json.loads((self.dir / STATE_FILE).read_text())
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def _write_state(self, generation: int) -> None:
        tmp = self.dir / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps({"schema": SCHEMA_VERSION, "generation": generation}))
        tmp.replace(self.dir / STATE_FILE)

    def usable(self) -> bool:
        """True when the index opens and has our schema version."""
        st = self.state()
        if not st or st.get("schema") != SCHEMA_VERSION:
            return False
        try:
            with self._read_lock:
                self._open()
                with self._ix.searcher() as s:
                    s.doc_count()
            return True
        except Exception:  # any damage means "rebuild"; the library says so
            self.close()
            return False

    def _open(self):
        if self._ix is None:
            # Not mmap: Whoosh wraps each mmapped sub-file in a BytesIO, which copies it,
            # so every searcher held the whole index in memory (75 MB at 10,000 papers).
            # Plain reads cost the same time per search here and nothing up front.
            self._ix = FileStorage(str(self.dir), supports_mmap=False).open_index()
        return self._ix

    def close(self) -> None:
        with self._read_lock:
            if self._snapshot is not None:
                self._snapshot.searcher.close()
                self._snapshot = None
            self._ix = None

    def segment_count(self) -> int:
        return len(self.segment_ids())

    def segment_ids(self) -> list[str]:
        """The index's segments, the big one first (an update adds one, unmerged)."""
        with self._read_lock:
            return engine.segment_ids(self._open())

    # --- the surface words -----------------------------------------------------------

    @staticmethod
    def _load_words(directory: Path) -> dict[str, str]:
        try:
            data = json.loads((directory / WORDS_FILE).read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _save_words(directory: Path, words: dict[str, str]) -> None:
        write_words(directory / WORDS_FILE, words.items())

    # --- writing ---------------------------------------------------------------

    def rebuild(self, docs: Iterable[IndexDoc], generation: int,
                progress=None, papers: int = 0) -> int:
        """Build a fresh index beside the old one, then swap it in (`papers`: how many
        `docs` will give, which sizes the writer's memory)."""
        tmp = self.dir.with_name(self.dir.name + ".new")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        ix = whoosh_index.create_in(str(tmp), make_schema())
        writer = engine.open_writer(ix, rebuild_pool_mb(papers))
        n = 0
        runs = WordRuns(tmp)
        with recording_words(runs.words):
            try:
                for doc in docs:
                    writer.add_document(**document(doc))
                    runs.spill_if_full()
                    n += 1
                    if progress and n % 500 == 0:
                        progress(n)
                writer.commit()
                if progress:
                    progress(n)
            except BaseException:
                writer.cancel()
                runs.discard()
                raise
        runs.write(tmp / WORDS_FILE)
        (tmp / STATE_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION,
                                                  "generation": generation}))
        old = self.dir.with_name(self.dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        with self._read_lock:
            # Searches see the old directory until here, the new one after.
            if self._snapshot is not None:
                self._snapshot.searcher.close()
                self._snapshot = None
            self._ix = None
            if old.exists():  # an old index we may not delete (its permissions): park it aside
                old = self.dir.with_name(f"{self.dir.name}.old-{os.getpid()}-{time.time_ns()}")
            if self.dir.exists():
                self.dir.rename(old)
            checkpoint("index-swap")  # no index at all for a moment: the next open rebuilds
            tmp.rename(self.dir)
        shutil.rmtree(old, ignore_errors=True)
        self.rebuilds += 1
        return n

    def update(self, docs: Iterable[IndexDoc], deleted: Iterable[str], generation: int,
               wait: float = 30.0, progress=None) -> None:
        """Add or replace `docs`, drop `deleted` keys, then record the generation.

        Papers new to the index are added (no delete-by-term, which opens a reader
        per document); changed ones are deleted by docnum through one reader. The
        new segment is committed without merging into the big one.
        """
        with self._read_lock:
            ix = self._open()
        docs = list(docs)
        deadline = time.monotonic() + wait
        while True:
            try:
                writer = engine.open_writer(ix, WRITER_LIMITMB)
                break
            except LockError:
                if time.monotonic() > deadline:
                    raise IndexUnavailable(
                        f"the search index in {self.dir} is locked by another paperdeck "
                        "process; try again when it has finished") from None
                time.sleep(0.1)
        with recording_words(self._load_words(self.dir)) as words:
            try:
                reader = writer.reader()
                try:
                    gone = list(deleted) + [d.key for d in docs]
                    for key in gone:
                        if ("key", key) in reader:
                            for dn in reader.postings("key", key).all_ids():
                                writer.delete_document(dn)
                finally:
                    reader.close()
                for n, doc in enumerate(docs, 1):
                    writer.add_document(**document(doc))
                    if progress and n % 500 == 0:
                        progress(n)
                checkpoint("mid-index")
                segments = len(writer.segments) + 1
                writer.commit(merge=segments > MAX_SEGMENTS)
                if progress:
                    progress(len(docs))
            except BaseException:
                writer.cancel()
                raise
        self._save_words(self.dir, words)
        self._write_state(generation)

    # --- reading ---------------------------------------------------------------

    def _current(self) -> Snapshot:
        """The snapshot of the newest commit (call with _read_lock)."""
        ix = self._open()
        if self._snapshot is None:
            self._snapshot = Snapshot(ix.searcher(), lambda: self._load_words(self.dir))
        else:
            s = self._snapshot.searcher.refresh()
            if s is not self._snapshot.searcher:
                self._snapshot = Snapshot(s, lambda: self._load_words(self.dir))
        return self._snapshot

    @contextmanager
    def reading(self) -> Iterator[Snapshot]:
        """The snapshot of the newest commit, held under the read lock (no rebuild
        swaps the index out meanwhile): its searcher, spelling and caches."""
        with self._read_lock:
            yield self._current()

    def parser(self) -> qparser.QueryParser:
        ix = self._open()
        p = qparser.QueryParser("text", ix.schema)
        p.add_plugin(TypoPlugin())
        p.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
        return p

    def parse(self, text: str) -> query.Query:
        with self._read_lock:
            q = self.parser().parse(text)
        q = q.accept(fast_phrases)
        for sub in _walk(q):
            if isinstance(sub, TypoTerm):
                sub.expander = self._expand
        if self._snapshot is not None:
            _bind(q, self._snapshot)
        return q

    def _expand(self, ixreader, fieldname: str, text: str, maxdist: int,
                prefix: int) -> list[str]:
        """The terms of `fieldname` with postings that `text~maxdist` stands for (the
        snapshot current when the query runs keeps the lexicons)."""
        snap = self._snapshot
        if snap is None:
            return walk(ixreader, fieldname, text, maxdist, prefix)
        return snap.spelling.expand(ixreader, fieldname, text, maxdist, prefix)

    def search(self, text: str, limit: int | None = None,
               filter_term: tuple[str, str] | None = None,
               allow_pids: Iterable[int] | None = None,
               exclude_pids: Iterable[int] | None = None) -> Hits:
        """The papers matching `text` (no `is:` filters here), best first.

        limit: how many of the best to return (None: all); `total` counts every
        match. Every match is scored whatever the limit: the first page is the head
        of the whole ranking (ranking.py), as Whoosh ranks the query.
        filter_term (field, term) / allow_pids / exclude_pids restrict the matches
        (a scope): only documents with that term, of those ids, not of those ids.
        """
        if not text.strip():
            return Hits()
        try:
            q = self.parse(text)
        except Exception as exc:  # whoosh raises assorted errors on odd syntax
            return Hits(error=f"cannot understand the query: {exc}")
        with self._read_lock:
            snap = self._current()
            _bind(q, snap)
            s = snap.searcher
            allow = exclude = None
            if filter_term is not None:
                allow = set(s.docs_for_query(query.Term(*filter_term)))
            if allow_pids is not None:
                dn = snap.docnums()
                ids = {dn[p] for p in allow_pids if p in dn}
                allow = ids if allow is None else allow & ids
            if exclude_pids is not None:
                dn = snap.docnums()
                exclude = {dn[p] for p in exclude_pids if p in dn}
            n = limit if limit is not None else max(1, s.doc_count_all())
            docnums, total = ranking.best(s, q, n, allow, exclude, snap.norms)
            hit_pids = snap.pids_of(docnums)
        return Hits(pids=hit_pids, total=total)

    def match_pids(self, text: str) -> Hits:
        """The SQLite ids of every match, unordered (for sorts done in SQLite)."""
        if not text.strip():
            return Hits()
        try:
            q = self.parse(text)
        except Exception as exc:
            return Hits(error=f"cannot understand the query: {exc}")
        with self._read_lock:
            snap = self._current()
            _bind(q, snap)
            pids = snap.pids()
            found = [pids[d] for d in ranking.matches(snap.searcher, q, snap.norms)]
        return Hits(pids=found, total=len(found))

    def suggest(self, text: str, q: query.Query | None = None) -> str | None:
        """Replace each unknown plain word by the closest indexed word, if that finds papers."""
        with self._read_lock:
            snap = self._current()
            suggestion = snap.spelling.respell(snap.searcher.reader(), text)
        if suggestion is None:
            return None
        return suggestion if self.search_count(suggestion) else None

    def search_count(self, text: str) -> int:
        try:
            return self.search(text, limit=1).total
        except Exception:
            return 0

    def match_terms(self, text: str) -> set[str]:
        """The indexed word forms a query matches (prefixes and typos expanded)."""
        try:
            q = self.parse(text)
            with self._read_lock:
                snap = self._current()
                terms = q.existing_terms(snap.searcher.reader(), expand=True)
        except Exception:
            return set()
        out = set()
        for fieldname, word in terms:
            if fieldname in ("text", "title", "author"):
                out.add(word.decode() if isinstance(word, bytes) else word)
        return out

    def doc_count(self) -> int:
        with self._read_lock:
            return self._current().searcher.doc_count()


def _bind(q: query.Query, snap: Snapshot) -> None:
    """Give the query's phrases the snapshot they run in: its phrase memo and its
    length norms (a query parsed before a commit runs in the newer snapshot)."""
    for sub in _walk(q):
        if isinstance(sub, FastPhrase):
            sub.memo = snap.phrases
            sub.norms = snap.norms


def _walk(q: query.Query):
    yield q
    for child in q.children():
        yield from _walk(child)
