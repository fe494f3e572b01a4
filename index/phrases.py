"""Exact phrases (`"large language models"`), matched from whole posting blocks.

The rule of a phrase match (the words at consecutive positions) is `phrase_rows`, a
function of plain lists; `FastPhrase` is the query Whoosh runs. A phrase scores as
Whoosh's own `Phrase` does: the sum of its words' BM25F in the field (`scoring.phrase`).
"""

from __future__ import annotations

from itertools import accumulate, count
from operator import sub

from whoosh import query
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.scoring import BM25F

from . import engine, scoring


def phrase_rows(columns: list[list]) -> list[int]:
    """The candidates (row numbers) where the words occur at consecutive positions.

    columns: for each word of the phrase, its positions in each candidate (the rows,
    aligned across words), an int for a single position or a list of them.
    """
    return delta_rows([[(ps,) if ps.__class__ is int else _gaps(ps) for ps in col]
                       for col in columns])


def _gaps(positions: list[int]) -> list[int]:
    ps = sorted(set(positions))
    return [ps[0], *map(sub, ps[1:], ps)]


def delta_rows(columns: list[list]) -> list[int]:
    """The candidates (row numbers) where the words occur at consecutive positions.

    columns: for each word of the phrase, its position deltas in each candidate (the
    rows, aligned across words): the first position, then the gaps to the next ones,
    as the index stores them (bytes or a list of ints). The positions are their
    running sums, compared as sets in C (`isdisjoint`, `intersection`): no list of
    positions is built, no Python call made a position.
    """
    if len(columns) == 1:
        return list(range(len(columns[0])))
    if len(columns) == 2:
        # a word once (one delta: its position) is the usual case: one subtraction,
        # or a look for the position next to it among the other word's
        return [row for row, a, b in zip(count(), *columns, strict=False)
                if (b[0] - a[0] == 1 if len(a) == 1 == len(b)
                    else a[0] + 1 in accumulate(b) if len(a) == 1
                    else b[0] - 1 in accumulate(a) if len(b) == 1
                    else not set(map(_NEXT, accumulate(a))).isdisjoint(accumulate(b)))]
    return [row for row, ds in enumerate(zip(*columns, strict=True)) if _chain(ds)]


_NEXT = (1).__add__


def _chain(deltas) -> bool:
    """Some run of consecutive positions goes through every word's positions."""
    ends = set(accumulate(deltas[0]))
    for d in deltas[1:]:
        ends = set(map(_NEXT, ends)).intersection(accumulate(d))
        if not ends:
            return False
    return True


def phrase_docs(reader, fieldname: str, btexts: list[bytes]) -> tuple[list, list]:
    """(docnums, each word's weights in them) of one segment's live documents holding
    the phrase."""
    docs, columns, weights = engine.phrase_postings(reader, fieldname, btexts)
    if not docs:
        return [], []
    rows = delta_rows(columns)
    if len(rows) < len(docs):
        docs = list(map(docs.__getitem__, rows))
        weights = [list(map(ws.__getitem__, rows)) for ws in weights]
    return docs, weights


class FastPhrase(query.Phrase):
    """An exact phrase, found by reading the words' posting blocks whole (ids,
    positions and weights in bulk) and checking positions with sets.

    Whoosh's own phrase matcher steps span objects through every document that
    holds all the words, several Python calls a position; "large language" is
    in most abstracts, so that took seconds at 100,000 papers. Same matches and
    the same scores (the words' BM25F added up: a phrase in the title weighs
    what its title words weigh), computed once per segment and kept in a small
    per-snapshot cache (`memo`): the next page and the next keystroke of the same
    phrase reuse them.
    """

    memo: dict | None = None
    norms = None  # the snapshot's length norms: (segment reader, field) -> norms

    def fast(self, schema) -> bool:
        """Whether this phrase is matched here (else Whoosh's own Phrase runs)."""
        field = schema[self.fieldname] if self.fieldname in schema else None
        return (self.slop == 1 and bool(self.words) and field is not None
                and field.format is not None and field.format.supports("positions")
                and self.btexts() is not None)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if (not self.fast(searcher.schema) or not reader.is_atomic()
                or not isinstance(searcher.weighting, BM25F)):
            return super().matcher(searcher, context)
        field = searcher.schema[self.fieldname]
        ids, scores = self.scored(searcher.get_parent(), reader, norms=self.norms)
        if not ids:
            return NullMatcher()
        m = engine.scored_list_matcher(ids, scores, field.format)
        if self.boost != 1.0:
            m = WrappingMatcher(m, boost=self.boost)
        return m

    def scored(self, top, reader, keep: set | None = None, drop: set | None = None,
               norms=None) -> tuple[list[int], list[float]]:
        """(docnums, scores before the boost) in one segment reader of the searcher
        `top`, among `keep` (None: all) and not in `drop`; norms: (reader, field) ->
        length norms (None: computed here). Kept in the memo: a snapshot's scores
        do not change (its statistics are fixed)."""
        btexts = self.btexts()
        fieldname = self.fieldname
        if not btexts or any((fieldname, bt) not in reader for bt in btexts):
            return [], []
        key = (id(reader), fieldname, tuple(btexts))
        memo = self.memo
        found = memo.get(key) if memo is not None else None
        if found is None:
            docs, weights = phrase_docs(reader, fieldname, btexts)
            w = top.weighting
            if norms is not None:
                field_norms = norms(reader, fieldname)
            else:
                field_norms = scoring.length_norms(
                    engine.field_lengths(reader, fieldname), top.avg_field_length(fieldname),
                    w.K1, engine.bm25_b(w, fieldname))
            idfs = [top.idf(fieldname, bt) for bt in btexts]
            scores = scoring.phrase(docs, weights, field_norms, idfs, w.K1) if docs else []
            found = (docs, scores)
            if memo is not None:
                if len(memo) > 64:
                    memo.clear()
                memo[key] = found
        ids, scores = found
        if keep is not None or drop is not None:
            rows = [i for i, d in enumerate(ids)
                    if (keep is None or d in keep) and (drop is None or d not in drop)]
            return [ids[i] for i in rows], [scores[i] for i in rows]
        return ids, scores

    def btexts(self) -> list[bytes] | None:
        try:
            return [w.encode("utf-8") for w in self.words]
        except (AttributeError, UnicodeError):
            return None


def fast_phrases(q: query.Query) -> query.Query:
    """A phrase as a FastPhrase (for `Query.accept`)."""
    if type(q) is query.Phrase:
        return FastPhrase(q.fieldname, q.words, slop=q.slop, boost=q.boost,
                          char_ranges=q.char_ranges)
    return q
