"""Exact phrases (`"large language models"`) of the text field, matched from whole posting blocks.

The rule of a phrase match (the words at consecutive positions, counted) is
`phrase_counts`, a function of plain lists; `FastPhrase` is the query Whoosh runs.
"""

from __future__ import annotations

from whoosh import query
from whoosh.matching import NullMatcher, WrappingMatcher

from . import engine


def phrase_counts(docs: list[int], columns: list[list]) -> tuple[list[int], list[float]]:
    """(documents, phrase counts) of the documents where the words occur in order.

    docs: candidate documents (ascending); columns: for each word of the phrase, its
    positions in each candidate (aligned with docs), an int for a single position
    or a list of them. A document counts each place the whole phrase starts.
    """
    found_docs: list[int] = []
    counts: list[float] = []
    hit_doc, hit_count = found_docs.append, counts.append
    if len(columns) == 2:
        for doc, a, b in zip(docs, *columns, strict=True):
            if a.__class__ is int and b.__class__ is int:  # each word once: the usual case
                if b - a == 1:
                    hit_doc(doc)
                    hit_count(1.0)
                continue
            starts = {a} if a.__class__ is int else set(a)
            n = sum(1 for p in ((b,) if b.__class__ is int else b) if p - 1 in starts)
            if n:
                hit_doc(doc)
                hit_count(float(n))
    else:
        for doc, first, *rest in zip(docs, *columns, strict=True):
            ends = {first} if first.__class__ is int else set(first)
            for ps in rest:
                ends = {p for p in ((ps,) if ps.__class__ is int else ps) if p - 1 in ends}
                if not ends:
                    break
            if ends:
                hit_doc(doc)
                hit_count(float(len(ends)))
    return found_docs, counts


def phrase_docs(reader, fieldname: str, btexts: list[bytes]) -> tuple[list, list]:
    """(docnums, phrase counts) of one segment's live documents holding the phrase."""
    docs, columns = engine.positions_together(reader, fieldname, btexts)
    if not docs:
        return [], []
    return phrase_counts(docs, columns)


class FastPhrase(query.Phrase):
    """An exact phrase of the text field, found by reading the words' posting
    blocks whole (ids and positions in bulk) and checking positions with sets.

    Whoosh's own phrase matcher steps span objects through every document that
    holds all the words, several Python calls a position; "large language" is
    in most abstracts, so that took seconds at 100,000 papers. Same matches
    and the same phrase frequency (the weight BM25 scores), computed once per
    segment and kept in a small per-snapshot cache (`memo`): the count pass,
    the next page and the next keystroke of the same phrase reuse it.
    """

    memo: dict | None = None

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if self.slop != 1 or len(self.words) < 2 or not reader.is_atomic():
            return super().matcher(searcher, context)
        fieldname = self.fieldname
        field = searcher.schema[fieldname]
        try:
            btexts = [field.to_bytes(w) for w in self.words]
        except ValueError:
            return NullMatcher()
        if any((fieldname, bt) not in reader for bt in btexts):
            return NullMatcher()
        ids, weights = self.docs_in(reader)
        if not ids:
            return NullMatcher()
        scorer = searcher.weighting.scorer(searcher, fieldname, self.rarest(reader))
        m = engine.list_matcher(list(ids), list(weights), scorer, field.format)
        if self.boost != 1.0:
            m = WrappingMatcher(m, boost=self.boost)
        return m

    def btexts(self) -> list[bytes] | None:
        try:
            return [w.encode("utf-8") for w in self.words]
        except (AttributeError, UnicodeError):
            return None

    def rarest(self, reader) -> bytes:
        """The word whose statistics (idf) score the phrase."""
        return min(self.btexts(), key=lambda bt: reader.doc_frequency(self.fieldname, bt))

    def docs_in(self, reader) -> tuple[list, list]:
        """(docnums, phrase counts) in one segment reader, from the memo if there."""
        btexts = self.btexts()
        if not btexts or any((self.fieldname, bt) not in reader for bt in btexts):
            return [], []
        key = (id(reader), self.fieldname, tuple(btexts))
        memo = self.memo
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = phrase_docs(reader, self.fieldname, btexts)
            if memo is not None:
                if len(memo) > 64:
                    memo.clear()
                memo[key] = found
        return found


def fast_phrases(q: query.Query) -> query.Query:
    """A phrase of the text field as a FastPhrase (for `Query.accept`)."""
    if type(q) is query.Phrase and q.fieldname == "text":
        return FastPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost,
                          char_ranges=q.char_ranges)
    return q
