"""The papers of a list, and of a search within a list: rows in a sort order, a page at a
time, and single papers by key. The index answers which papers match; SQLite the rest.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable

from .links import find_arxiv_id, normalise_doi
from .model import Paper, Source, category_name
from .query import field_values, query_error, some, tidy
from .scopes import index_filter, list_sql
from .search import highlight_spans, split_status
from .store import Store, chunked, placeholders
from .upkeep import IndexUpkeep
from .views import ListRow, Scope, SearchResult

ALL = Scope("all")
# The tag is the first category, or nothing: one meaning for the list's column (the
# stored tag falls back on the source's layout).
ROW_COLUMNS = ("p.key, p.title, p.title_derived, "
               "COALESCE(p.week, p.month, CAST(p.year AS TEXT), p.date_text, ''), "
               "CASE WHEN p.categories <> '[]' THEN p.tag ELSE '' END, "
               "p.read, p.starred")
# The sort orders of a list (each read from an index of papers, see store.SCHEMA).
ORDER_BY = {"newest": "p.sort_date DESC, p.id", "title": "p.title COLLATE NOCASE, p.id"}
# Ids per json_each() parameter: one bound value for thousands (a whole search's rows).
JSON_IDS = 30000


def _row(r: tuple) -> ListRow:
    return ListRow(r[0], r[1], bool(r[2]), r[3], r[4], bool(r[5]), bool(r[6]))


def _order(sort: str) -> str:
    return ORDER_BY.get(sort, ORDER_BY["newest"])


class Listing:
    """Reads lists, searches and papers of one library."""

    def __init__(self, store: Store, upkeep: IndexUpkeep):
        self.store = store
        self.upkeep = upkeep

    # --- single papers --------------------------------------------------------------

    def resolve(self, key: str) -> str | None:
        """The key of a paper named by its key, arXiv id (any version, any link to it,
        either id style) or DOI."""
        conn = self.store.connection()
        k = key.strip()
        row = conn.execute("SELECT key FROM papers WHERE key = ? COLLATE NOCASE",
                           (k,)).fetchone()
        if row:
            return row[0]
        doi = normalise_doi(k)
        if doi:
            row = conn.execute("SELECT key FROM papers WHERE doi = ?", (doi,)).fetchone()
            if row:
                return row[0]
        parsed = find_arxiv_id(k)  # any form: a version, arXiv:, a link, an old-style id
        if parsed:
            row = conn.execute("SELECT key FROM papers WHERE arxiv_id = ?",
                               (parsed[0],)).fetchone()
            if row:
                return row[0]
        return None

    def paper(self, key: str) -> Paper | None:
        conn = self.store.connection()
        row = conn.execute(
            "SELECT id, key, title, title_derived, abstract, authors, year, arxiv_id, week, "
            "month, categories, read, starred, published, doi, venue, comments, code_url, "
            "pdf_url, link, keywords FROM papers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        (pid, key, title, derived, abstract, authors, year, aid, week, month, cats, read,
         starred, published, doi, venue, comments, code_url, pdf_url, link, keywords) = row
        srcs = [Source(name, layout, label, line, summary, upvotes)
                for name, layout, label, line, summary, upvotes in conn.execute(
                    "SELECT f.name, l.layout, l.label, l.line, l.summary, l.upvotes "
                    "FROM listings l "
                    "JOIN files f ON f.id = l.file_id WHERE l.paper_id = ? ORDER BY l.id",
                    (pid,))]
        return Paper(key=key, title=title, abstract=abstract, title_derived=bool(derived),
                     authors=json.loads(authors), year=year, arxiv_id=aid, week=week,
                     month=month, categories=json.loads(cats), sources=srcs, read=bool(read),
                     starred=bool(starred), published=published, doi=doi, venue=venue,
                     comments=comments, code_url=code_url, pdf_url=pdf_url, link=link,
                     keywords=json.loads(keywords or "[]"))

    def paper_id(self, key: str) -> int | None:
        row = self.store.connection().execute("SELECT id FROM papers WHERE key = ?",
                                              (key,)).fetchone()
        return row[0] if row else None

    # --- lists ------------------------------------------------------------------------

    def rows(self, scope: Scope, sort: str, status: Iterable[str],
             also: Iterable[Scope]) -> list[ListRow]:
        where, args = list_sql(scope, status, also)
        return [_row(r) for r in self.store.connection().execute(
            f"SELECT {ROW_COLUMNS} FROM papers p WHERE {where} ORDER BY {_order(sort)}", args)]

    # A long list is read in two steps, so that nobody holds 100,000 ListRows: the
    # ordered paper ids (8 bytes each in an array), then the rows of a window by id.
    # The ids are a snapshot: a paper marked read stays where it was in "Unread", as
    # it does with rows(); only its row is fetched again.

    def row_ids(self, scope: Scope, sort: str, status: Iterable[str],
                also: Iterable[Scope]) -> array:
        where, args = list_sql(scope, status, also)
        ids = array("q")
        cur = self.store.connection().execute(
            f"SELECT p.id FROM papers p WHERE {where} ORDER BY {_order(sort)}", args)
        while True:
            chunk = cur.fetchmany(5000)
            if not chunk:
                return ids
            ids.extend(r[0] for r in chunk)

    def rows_by_id(self, ids: Iterable[int]) -> list[ListRow | None]:
        ids = list(ids)
        found: dict[int, ListRow] = {}
        conn = self.store.connection()
        for chunk in chunked(ids, JSON_IDS):
            for r in conn.execute(f"SELECT {ROW_COLUMNS}, p.id FROM papers p WHERE p.id IN "
                                  "(SELECT value FROM json_each(?))", (json.dumps(chunk),)):
                found[r[-1]] = _row(r)
        return [found.get(i) for i in ids]

    def first_unread_id(self, scope: Scope, sort: str) -> int | None:
        where, args = list_sql(scope, ("unread",))
        row = self.store.connection().execute(
            f"SELECT p.id FROM papers p WHERE {where} ORDER BY {_order(sort)} LIMIT 1",
            args).fetchone()
        return row[0] if row else None

    def unread_keys_of_ids(self, ids: Iterable[int]) -> list[str]:
        ids = list(ids)
        out: list[str] = []
        conn = self.store.connection()
        for chunk in chunked(ids):
            out.extend(r[0] for r in conn.execute(
                f"SELECT key FROM papers WHERE read = 0 AND id IN ({placeholders(len(chunk))})",
                chunk))
        return out

    # --- searches ---------------------------------------------------------------------

    def search(self, query: str, scope: Scope | None, sort: str, limit: int | None,
               offset: int) -> SearchResult:
        """See Library.search."""
        offset = max(0, offset)
        tidied = tidy(query)
        problem = query_error(tidied) or self._value_error(tidied)
        if problem:
            return SearchResult(query, [], 0, error=problem)
        text, flags = split_status(tidied)
        where, args = list_sql(scope, flags)
        conn = self.store.connection()
        if not text:
            order = _order("newest" if sort == "relevance" else sort)
            total = conn.execute(f"SELECT COUNT(*) FROM papers p WHERE {where}",
                                 args).fetchone()[0]
            page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {offset}"
            if limit is None and offset:
                page = f" LIMIT -1 OFFSET {offset}"
            rows = [_row(r) for r in conn.execute(
                f"SELECT {ROW_COLUMNS} FROM papers p WHERE {where} ORDER BY {order}{page}",
                args)]
            return SearchResult(query, rows, total)
        if sort in ORDER_BY:
            return self._search_sorted(query, text, flags, where, args, sort, limit, offset)
        want = None if limit is None else offset + max(0, limit)
        filt, allow, exclude = index_filter(conn, scope, flags)
        hits = self.upkeep.search(text, want, filt, allow, exclude)
        if hits.error:
            return SearchResult(query, [], 0, error=hits.error)
        rows = [r for r in self.rows_by_id(hits.pids[offset:]) if r is not None]
        return self._result(query, text, flags, rows, hits.total)

    # The fields whose values name something of the library, not a form: the message
    # lists what the library has.
    NAMED_VALUES = {"category": "category", "categories": "category", "cat": "category",
                    "source": "source"}

    def _value_error(self, text: str) -> str | None:
        """A `category:` or `source:` value that names nothing the library has."""
        for name, value in field_values(text):
            field = self.NAMED_VALUES.get(name)
            if field and value and value[0] != "(" and not any(c in value for c in "*?"):
                if self._names_nothing(field, value.strip('"')):
                    return self._named_values_message(field, name, value)
        return None

    def _names_nothing(self, field: str, value: str) -> bool:
        """No paper has one of the words of `value` in the index's `field`."""
        try:
            with self.upkeep.index.reading() as snap:
                reader = snap.searcher.reader()
                terms = list(snap.searcher.schema[field].process_text(value, mode="query"))
                return bool(terms) and not all(reader.doc_frequency(field, t) for t in terms)
        except Exception:  # an index that cannot be read: the search rebuilds it and answers
            return False

    def _named_values_message(self, field: str, name: str, value: str) -> str:
        conn = self.store.connection()
        if field == "category":
            have = [f"{c} ({category_name(c)})" for c in self.categories()]
            return (f"{name}:{value} names no category of the library (write a code or a "
                    'name, such as category:cs.CL or category:"computation and language"; '
                    f"it has {some(have) or 'none yet'})")
        have = [f"{n} ({lay})" for n, lay in conn.execute(
            "SELECT name, layout FROM files ORDER BY id")]
        return (f"{name}:{value} names no digest of the library (write a layout or a file "
                "name, such as source:weekly-picks or source:002_6315ac4b7056192c; it has "
                f"{some(have) or 'none yet'})")

    def categories(self) -> list[str]:
        """The category codes the library's papers carry, the most papers first."""
        return [c for (c,) in self.store.connection().execute(
            "SELECT code FROM paper_categories GROUP BY code ORDER BY COUNT(*) DESC, code")]

    def _search_sorted(self, query: str, text: str, flags: list[str], where: str, args: list,
                       sort: str, limit: int | None, offset: int) -> SearchResult:
        """Search sorted by a column: the index gives the set, SQLite sorts and pages."""
        hits = self.upkeep.match_pids(text)
        if hits.error:
            return SearchResult(query, [], 0, error=hits.error)
        conn = self.store.connection()
        if not hits.pids:
            return self._result(query, text, flags, [], 0)
        if limit is not None and len(hits.pids) * 20 >= self.upkeep.index.doc_count():
            # A common word: walk the papers in the sort's index order and keep the
            # matches until the page is full (a few hundred rows), instead of
            # handing SQLite tens of thousands of ids to sort.
            found = set(hits.pids)
            rows, skip = [], offset
            for r in conn.execute(f"SELECT {ROW_COLUMNS}, p.id FROM papers p WHERE {where} "
                                  f"ORDER BY {ORDER_BY[sort]}", args):
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
            f"SELECT {ROW_COLUMNS} FROM papers p WHERE {cond} ORDER BY {ORDER_BY[sort]}{page}",
            [ids, *args])] if total else []
        return self._result(query, text, flags, rows, total)

    def _result(self, query: str, text: str, flags: list[str], rows: list[ListRow],
                total: int) -> SearchResult:
        suggestion = None
        if not total:
            suggestion = self.upkeep.index.suggest(text)
            if suggestion:
                suggestion = " ".join([suggestion] + [f"is:{f}" for f in flags])
        return SearchResult(query, rows, total, suggestion)

    def highlight_spans(self, text: str, query: str) -> list[tuple[int, int]]:
        words_query, _ = split_status(tidy(query))
        if not words_query:
            return []
        return highlight_spans(text, self.upkeep.index.match_terms(words_query))
