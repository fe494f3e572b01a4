"""The best n matches of a parsed query, and how many there are: every match scored.

The queries people type (words, typo'd words, phrases, prefixes and wildcards, joined
by AND, OR, NOT and brackets, with boosts, and Whoosh's ANDNOT, REQUIRE and ANDMAYBE:
`plan`) are scored here from whole posting blocks with the functions of `scoring`, as
Whoosh's matchers score them; any other query (`"a b"~3`, ranges, `*`) runs Whoosh's
own matchers through a collector that scores every match (`whoosh_best`). Nothing is
skipped on either path: the first page is the head of the whole ranking.

Where Whoosh's matchers contradict their own query's meaning, paperdeck keeps the
meaning: ANDNOT excludes every document of its right side (Whoosh's AndNotMatcher can
keep a segment's first one), REQUIRE keeps the documents both sides match (Whoosh's
runs as ANDNOT), and ANDMAYBE adds its right side's score wherever it matches
(Whoosh's skip_to can leave it behind under an AND).
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.scoring import BM25F

from . import engine, scoring
from .phrases import FastPhrase
from .typos import TypoTerm

# (segment reader, field name) -> every document's BM25 length part of that field
Norms = Callable[[object, str], list[float]]


class _Segment:
    """One segment being scored: its reader, the scope's documents in it (local
    docnums; None: no filter) and the searcher's statistics."""

    def __init__(self, searcher, reader, keep: set | None, drop: set | None, norms: Norms):
        self.s = searcher
        self.reader = reader
        self.keep = keep
        self.drop = drop
        self.norms = norms

    def universe(self):
        """The live documents in scope (what NOT starts from)."""
        reader = self.reader
        docs = range(reader.doc_count_all()) if self.keep is None else sorted(self.keep)
        deleted = reader.has_deletions()
        drop = self.drop
        return [d for d in docs if (not deleted or not reader.is_deleted(d))
                and (drop is None or d not in drop)]

    def term(self, fieldname: str, btext: bytes) -> dict[int, float]:
        """One term's scores (deleted documents left in: dropped at the end)."""
        reader = self.reader
        if (fieldname, btext) not in reader:
            return {}
        ids, weights = scoring.in_scope(*engine.term_postings(reader, fieldname, btext),
                                        self.keep, self.drop)
        field = self.s.schema[fieldname]
        if not field.scorable:  # week, id, ...: Whoosh's WeightScorer
            return scoring.unscored(ids, weights)
        return scoring.bm25f(ids, weights, self.norms(reader, fieldname),
                             self.s.idf(fieldname, btext), self.s.weighting.K1)


# --- the plan: a query as a tree of the nodes below, or None ------------------------------


class _Node:
    def scores(self, seg: _Segment) -> dict[int, float]:
        raise NotImplementedError


class _Empty(_Node):
    def scores(self, seg):
        return {}


class _Term(_Node):
    """A word of a field: its BM25F (Whoosh's Term; a field without lengths scores
    its weight), times the boost."""

    def __init__(self, q: query.Term):
        self.q = q

    def scores(self, seg):
        q = self.q
        if q.fieldname not in seg.s.schema:
            return {}
        try:
            btext = seg.s.schema[q.fieldname].to_bytes(q.text)
        except ValueError:
            return {}
        return scoring.boosted(seg.term(q.fieldname, btext), q.boost)


class _Typo(_Node):
    """`word~`: the sum of the scores of the terms it stands for, each times the
    boost (engine.ExpandedTerm scores it so on Whoosh's path too)."""

    def __init__(self, q: TypoTerm):
        self.q = q

    def scores(self, seg):
        q = self.q
        if q.fieldname not in seg.s.schema:
            return {}
        field = seg.s.schema[q.fieldname]
        parts = [seg.term(q.fieldname, field.to_bytes(t)) for t in q.expand(seg.reader) if t]
        return scoring.add_up([scoring.boosted(p, q.boost) for p in parts])


class _Phrase(_Node):
    """An exact phrase: the sum of its words' BM25F, times the boost (Whoosh's Phrase)."""

    def __init__(self, q: FastPhrase):
        self.q = q

    def scores(self, seg):
        ids, scores = self.q.scored(seg.s, seg.reader, seg.keep, seg.drop, seg.norms)
        return scoring.boosted(dict(zip(ids, scores, strict=True)), self.q.boost)


class _Pattern(_Node):
    """A prefix or a wildcard (`transform*`, `tr?nsform*`), scored as Whoosh's
    MultiTerm scores it in each segment, quirks included: one term alone is that
    term's score without the boost; an OR of two terms, or of fewer than 1,024 in a
    segment of more than 5,000 documents, the sum of the terms' BM25F times the
    boost; otherwise (an ArrayUnionMatcher) 1.0 for each match of the constant-score
    query Whoosh makes of a pattern by default, else the sum of each term's score
    times the boost."""

    # whoosh.query.Or's choice between its two matchers
    TOO_MANY_CLAUSES = query.Or.TOO_MANY_CLAUSES
    SMALL_SEGMENT = 5000

    def __init__(self, q: query.MultiTerm):
        self.q = q

    def scores(self, seg):
        q = self.q
        words = [w for w in q._btexts(seg.reader) if w]
        if not words:
            return {}
        if len(words) == 1:
            return seg.term(q.fieldname, words[0])
        parts = [seg.term(q.fieldname, w) for w in words]
        tree = len(words) < self.TOO_MANY_CLAUSES and (
            len(words) == 2 or seg.reader.doc_count_all() > self.SMALL_SEGMENT)
        if tree:
            return scoring.boosted(scoring.add_up(parts), q.boost)
        if q.constantscore:
            return dict.fromkeys((d for p in parts for d in p), 1.0)
        return scoring.add_up([scoring.boosted(p, q.boost) for p in parts])


class _Not(_Node):
    """NOT x: every live document x does not match, each scoring 1.0."""

    def __init__(self, child: _Node):
        self.child = child

    def scores(self, seg):
        return scoring.inverse(seg.universe(), self.child.scores(seg))


class _And(_Node):
    """AND: the documents every part matches, with the sum of the parts' scores times
    the boost. A NOT part filters and adds its 1.0 (Whoosh intersects with an inverse
    matcher), so it is applied to the other parts' documents, not built whole."""

    def __init__(self, parts: list[_Node], boost: float):
        self.parts = parts
        self.boost = boost

    def scores(self, seg):
        positive = [p for p in self.parts if not isinstance(p, _Not)]
        if not positive:
            return scoring.boosted(scoring.all_of([p.scores(seg) for p in self.parts]),
                                   self.boost)
        docs = scoring.all_of([p.scores(seg) for p in positive])
        for p in self.parts:
            if isinstance(p, _Not) and docs:
                excluded = p.child.scores(seg)
                docs = {d: v + 1.0 for d, v in docs.items() if d not in excluded}
        return scoring.boosted(docs, self.boost)


class _Or(_Node):
    """OR: the documents any part matches, with the sum of the matching parts' scores
    times the boost."""

    def __init__(self, parts: list[_Node], boost: float):
        self.parts = parts
        self.boost = boost

    def scores(self, seg):
        return scoring.boosted(scoring.any_of([p.scores(seg) for p in self.parts]),
                               self.boost)


class _Pair(_Node):
    """A node over two others, `a` and `b` (ANDNOT, REQUIRE, ANDMAYBE)."""

    def __init__(self, a: _Node, b: _Node):
        self.a = a
        self.b = b


class _AndNot(_Pair):
    """a ANDNOT b: a's documents that b does not match, with a's scores."""

    def scores(self, seg):
        docs = self.a.scores(seg)
        return scoring.but_not(docs, self.b.scores(seg)) if docs else docs


class _Require(_Pair):
    """a REQUIRE b: a's documents that b also matches, with a's scores. (Whoosh's own
    Require matcher is an AndNotMatcher, the opposite, while its `docs` is this.)"""

    def scores(self, seg):
        docs = self.a.scores(seg)
        if not docs:
            return docs
        required = self.b.scores(seg)
        return {d: v for d, v in docs.items() if d in required}


class _AndMaybe(_Pair):
    """a ANDMAYBE b: a's documents, b's score added where b matches too."""

    def scores(self, seg):
        docs = self.a.scores(seg)
        if not docs:
            return docs
        maybe = self.b.scores(seg)
        return {d: v + maybe[d] if d in maybe else v for d, v in docs.items()}


_BINARY = {query.AndNot: _AndNot, query.Require: _Require, query.AndMaybe: _AndMaybe}


def plan(q: query.Query, schema) -> _Node | None:
    """The query as a tree scored here, or None when some part of it is not one of
    the kinds above (then Whoosh's matchers score it, every match)."""
    t = type(q)
    if t in (query.And, query.Or):
        if t is query.Or and (q.scale or q.minmatch):
            return None
        parts = [plan(x, schema) for x in q.subqueries]
        if any(p is None for p in parts):
            return None
        if not parts:
            return _Empty()
        if len(parts) == 1:
            return parts[0]  # Whoosh matches a lone part directly: the boost is lost
        return (_And if t is query.And else _Or)(parts, q.boost)
    if t in _BINARY:
        a, b = plan(q.a, schema), plan(q.b, schema)
        return None if a is None or b is None else _BINARY[t](a, b)
    if t is query.Not:
        child = plan(q.query, schema)
        return None if child is None else _Not(child)
    if t is query.Term:
        return _Term(q) if isinstance(q.text, (str, bytes)) else None
    if t is TypoTerm:
        return _Typo(q)
    if t is FastPhrase:
        return _Phrase(q) if q.fast(schema) else None
    if t in (query.Prefix, query.Wildcard) and q.text not in ("", "*"):
        return _Pattern(q)
    if q is query.NullQuery:
        return _Empty()
    return None


# --- the two paths --------------------------------------------------------------------------


def best(searcher, q: query.Query, n: int, allow: set | None, exclude: set | None,
         norms: Norms) -> tuple[list[int], int]:
    """Best n docnums of `q` among `allow` (None: all) minus `exclude`, and the count."""
    if allow is not None and not allow:
        return [], 0
    tree = plan(q, searcher.schema)
    if tree is not None and isinstance(searcher.weighting, BM25F):
        return own_best(searcher, tree, n, allow, exclude, norms)
    return whoosh_best(searcher, q, n, allow, exclude)


def matches(searcher, q: query.Query, norms: Norms) -> list[int]:
    """Every docnum `q` matches, unordered: the same set `best` ranks (Whoosh's own
    matchers, for a query not planned here, less deleted documents)."""
    tree = plan(q, searcher.schema)
    if tree is not None and isinstance(searcher.weighting, BM25F):
        found: list[int] = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            docs = tree.scores(_Segment(searcher, reader, None, None, norms))
            deleted = reader.has_deletions()
            found.extend(d + offset for d in docs if not deleted or not reader.is_deleted(d))
        return found
    reader = searcher.reader()
    if reader.has_deletions():
        return [d for d in searcher.docs_for_query(q) if not reader.is_deleted(d)]
    return list(searcher.docs_for_query(q))


def whoosh_best(searcher, q: query.Query, n: int, allow: set | None,
                exclude: set | None) -> tuple[list[int], int]:
    """Whoosh's collector, scoring every match.

    Its shortcuts are not exact: with a limit, TopCollector replaces the matcher
    tree as the scores rise (Matcher.replace(minscore)), and a union whose one side
    can no longer reach the page becomes an AndMaybeMatcher, whose skip_to leaves
    its optional side behind: a paper holding both sides is then scored without
    one of them and drops off the page (`(language OR vision) AND model`). So no
    replacement (replace=0) and no block-quality skipping: every match is scored,
    and the count is exact. Deleted documents are excluded here too: Whoosh's
    InverseMatcher (NOT) can return the one after its child's last match.
    """
    reader = searcher.reader()
    if reader.has_deletions():
        deleted = set(range(reader.doc_count_all())).difference(reader.all_doc_ids())
        exclude = deleted if exclude is None else deleted | exclude
    top = TopCollector(limit=max(1, n), usequality=False, replace=0)
    col = FilterCollector(top, allow=allow, restrict=exclude) if (
        allow is not None or exclude) else top
    searcher.search_with_collector(q, col)
    return [d for _, d in top.results().top_n], top.total


def own_best(searcher, tree: _Node, n: int, allow: set | None, exclude: set | None,
             norms: Norms) -> tuple[list[int], int]:
    """Best n docnums and the count of a planned query, every match scored.

    Whoosh's collector costs several Python calls a match (next, score, a field
    length column read, the heap). Here each term's posting blocks are read whole
    and scored in one comprehension with the segment's length norms cached per
    snapshot, and the parts combine as dicts: the same scores, tens of ms instead
    of hundreds for a word in 99,000 documents.
    """
    runs = []
    total = 0
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        # The scope's documents of this segment: filtered before scoring, so a
        # common word in one week scores that week's papers only.
        end = offset + reader.doc_count_all()
        keep = None if allow is None else {d - offset for d in allow if offset <= d < end}
        drop = None if exclude is None else {d - offset for d in exclude
                                             if offset <= d < end}
        if keep is not None and not keep:
            continue
        docs = tree.scores(_Segment(searcher, reader, keep, drop, norms))
        if reader.has_deletions():
            docs = {d: v for d, v in docs.items() if not reader.is_deleted(d)}
        total += len(docs)
        runs.append(scoring.best(docs, n, offset))
    return scoring.merge_best(runs, n), total
