"""The full-text index: Whoosh behind a small interface, so the engine can be swapped.

The index is derived data. It records the schema version and the library
generation it reflects in `paperdeck-index.json`; the library compares them with
SQLite on open and rebuilds or catches up. Reading status never lives here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import qparser, query
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.support.levenshtein import damerau_levenshtein

from .faults import checkpoint
from .model import category_name

SCHEMA_VERSION = 1
STATE_FILE = "paperdeck-index.json"

# Title words count more: the title is written into the combined field twice
# and also has a field of its own that the default query weights up.
TITLE_REPEAT = 2
TITLE_BOOST = 2.0

# `abstract:` searches the combined text (title, abstract, authors): one text
# field instead of two halves the index and the cost of a common word.
QUERY_FIELDS = ("text", "title", "author", "category", "week", "month", "year", "source", "id")

_STATUS_RE = re.compile(r"(?<![\w:])is:(unread|read|starred|unstarred)\b", re.IGNORECASE)


class TypoTerm(query.FuzzyTerm):
    """`word~`: counts a swap of two letters as one edit, as people type them.

    Whoosh's automaton counts a transposition as two edits; widen the search by
    one edit, then keep the words within the Damerau-Levenshtein distance.
    """

    def _btexts(self, ixreader):
        for word in ixreader.terms_within(self.fieldname, self.text, self.maxdist + 1,
                                          prefix=self.prefixlength):
            if damerau_levenshtein(word, self.text) <= self.maxdist:
                yield word


class _TypoPlugin(qparser.FuzzyTermPlugin):
    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        qclass = TypoTerm


class IndexUnavailable(Exception):
    """The index cannot be opened or written (damaged, locked too long)."""


@dataclass
class IndexDoc:
    key: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    week: str | None
    month: str | None
    year: int | None
    arxiv_id: str | None
    sources: list[str]  # file names and layouts


@dataclass
class Hits:
    keys: list[str]  # best first
    suggestion: str | None = None
    error: str | None = None


def split_status(text: str) -> tuple[str, list[str]]:
    """Take the `is:` filters out of a query: they are answered by SQLite."""
    flags = [m.lower() for m in _STATUS_RE.findall(text)]
    rest = _STATUS_RE.sub(" ", text)
    return " ".join(rest.split()), flags


def make_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        # spelling=True keeps the unstemmed words beside the stems, for "did you mean"
        text=TEXT(analyzer=stem, phrase=True, spelling=True),
        title=TEXT(analyzer=stem, phrase=True, field_boost=TITLE_BOOST),
        author=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=True),
        category=TEXT(analyzer=StandardAnalyzer(), phrase=True),
        week=ID,
        month=ID,
        year=ID,
        source=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=True),
        id=ID,
    )


def _fields(doc: IndexDoc) -> dict:
    authors = ", ".join(doc.authors)
    cats = " ".join(f"{c} {category_name(c)}" for c in doc.categories)
    fields = {
        "key": doc.key,
        "text": "\n".join([doc.title] * TITLE_REPEAT + [doc.abstract, authors]),
        "title": doc.title,
        "author": authors,
        "category": cats,
        "source": " ".join(doc.sources),
    }
    for name, value in (("week", doc.week), ("month", doc.month), ("id", doc.arxiv_id),
                        ("year", str(doc.year) if doc.year else None)):
        if value:
            fields[name] = value
    return fields


class SearchIndex:
    """A Whoosh index in a directory, with its own state file."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self._ix = None
        self._searcher = None

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
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._ix = None

    # --- writing ---------------------------------------------------------------

    def rebuild(self, docs: Iterable[IndexDoc], generation: int) -> int:
        """Build a fresh index beside the old one, then swap it in."""
        self.close()
        tmp = self.dir.with_name(self.dir.name + ".new")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        ix = whoosh_index.create_in(str(tmp), make_schema())
        writer = ix.writer(limitmb=128)
        n = 0
        try:
            for doc in docs:
                writer.add_document(**_fields(doc))
                n += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        (tmp / STATE_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION,
                                                  "generation": generation}))
        old = self.dir.with_name(self.dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if old.exists():  # an old index we may not delete (its permissions): park it aside
            old = self.dir.with_name(f"{self.dir.name}.old-{os.getpid()}-{time.time_ns()}")
        if self.dir.exists():
            self.dir.rename(old)
        checkpoint("index-swap")  # no index at all for a moment: the next open rebuilds
        tmp.rename(self.dir)
        shutil.rmtree(old, ignore_errors=True)
        return n

    def update(self, docs: Iterable[IndexDoc], deleted: Iterable[str], generation: int,
               wait: float = 30.0) -> None:
        """Add or replace `docs`, drop `deleted` keys, then record the generation."""
        ix = self._open()
        deadline = time.monotonic() + wait
        while True:
            try:
                writer = ix.writer(limitmb=128)
                break
            except LockError:
                if time.monotonic() > deadline:
                    raise IndexUnavailable(
                        f"the search index in {self.dir} is locked by another paperdeck "
                        "process; try again when it has finished") from None
                time.sleep(0.1)
        try:
            for key in deleted:
                writer.delete_by_term("key", key)
            for doc in docs:
                writer.update_document(**_fields(doc))
            checkpoint("mid-index")
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        self._write_state(generation)
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    # --- reading ---------------------------------------------------------------

    def _get_searcher(self):
        ix = self._open()
        if self._searcher is None:
            self._searcher = ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def parser(self) -> qparser.QueryParser:
        ix = self._open()
        p = qparser.MultifieldParser(["text", "title"], ix.schema,
                                     fieldboosts={"text": 1.0, "title": TITLE_BOOST})
        p.add_plugin(_TypoPlugin())
        # `abstract:` searches the combined text; users also type the plural forms.
        p.add_plugin(qparser.FieldAliasPlugin(
            {"text": ["abstract"], "author": ["authors"], "category": ["categories", "cat"]}))
        return p

    def parse(self, text: str) -> query.Query:
        return self.parser().parse(text)

    def search(self, text: str, limit: int | None = None) -> Hits:
        """Keys of the papers matching `text` (no `is:` filters here), best first."""
        if not text.strip():
            return Hits([])
        try:
            q = self.parse(text)
        except Exception as exc:  # whoosh raises assorted errors on odd syntax
            return Hits([], error=f"cannot understand the query: {exc}")
        s = self._get_searcher()
        results = s.search(q, limit=limit)
        keys = [hit["key"] for hit in results]
        return Hits(keys, suggestion=self.suggest(text) if not keys else None)

    def suggest(self, text: str, q: query.Query | None = None) -> str | None:
        """Replace each unknown plain word by the closest indexed word, if that finds papers."""
        s = self._get_searcher()
        corrector = s.corrector("text")
        reader = s.reader()
        changed, out = False, []
        for m in re.finditer(r"\S+", text):
            word = m.group(0)
            bare = word.strip('"()').rstrip("~*0123456789")
            if (":" in word or bare.upper() in ("AND", "OR", "NOT") or len(bare) < 3
                    or not bare.isalpha()):
                out.append(word)
                continue
            if any(reader.doc_frequency("text", t) for t in self._stems(bare)):
                out.append(word)
                continue
            better = corrector.suggest(bare.lower(), limit=1, maxdist=2, prefix=1)
            if better:
                out.append(word.replace(bare, better[0]))
                changed = True
            else:
                out.append(word)
        if not changed:
            return None
        suggestion = " ".join(out)
        return suggestion if self.search_count(suggestion) else None

    def search_count(self, text: str) -> int:
        try:
            return len(self._get_searcher().search(self.parse(text), limit=1))
        except Exception:
            return 0

    @staticmethod
    def _stems(word: str) -> list[str]:
        return [t.text for t in StemmingAnalyzer(stoplist=None)(word)]

    def match_terms(self, text: str) -> set[str]:
        """The indexed word forms a query matches (prefixes and typos expanded)."""
        try:
            q = self.parse(text)
            s = self._get_searcher()
            terms = q.existing_terms(s.reader(), expand=True)
        except Exception:
            return set()
        out = set()
        for field, word in terms:
            if field in ("text", "title", "author"):
                out.add(word.decode() if isinstance(word, bytes) else word)
        return out

    def doc_count(self) -> int:
        return self._get_searcher().doc_count()


def highlight_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Spans of `text` whose analysed form is one of `words`."""
    if not words:
        return []
    spans = []
    for tok in StemmingAnalyzer(stoplist=None)(text, chars=True, removestops=False):
        if tok.text in words:
            spans.append((tok.startchar, tok.endchar))
    for tok in StandardAnalyzer(stoplist=None)(text, chars=True, removestops=False):
        if tok.text in words and (tok.startchar, tok.endchar) not in spans:
            spans.append((tok.startchar, tok.endchar))
    return sorted(spans)
