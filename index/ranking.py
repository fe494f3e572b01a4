"""The best n matches of a parsed query, and how many there are.

The common queries (a word, a typo'd word, a phrase, or several joined by one AND
or OR: `flat_plan`) are scored here from whole posting blocks with the functions of
`scoring`; every other query (NOT, nesting, prefixes, boosts) runs Whoosh's own matchers.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query
from whoosh.collectors import FilterCollector
from whoosh.scoring import BM25F

from . import engine, scoring
from .phrases import FastPhrase
from .typos import TypoTerm

# (segment reader, field name) -> every document's length of that field
Lengths = Callable[[object, str], list[int]]


def flat_plan(q: query.Query):
    """("and" | "or", [leaves]) when `q` is a word, a typo'd word, a phrase, or those
    joined by one AND / OR, else None (then Whoosh's matchers run). A leaf is a
    Term, a TypoTerm or a FastPhrase, with no boost of its own."""
    def leaf(x):
        if type(x) is FastPhrase:
            return x.boost == 1.0 and x.slop == 1 and len(x.words) > 1
        return (type(x) in (query.Term, TypoTerm) and x.boost == 1.0
                and isinstance(x.text, str))
    if leaf(q):
        return "or", [q]
    if type(q) in (query.And, query.Or) and q.boost == 1.0 and q.subqueries and all(
            leaf(x) for x in q.subqueries):
        if type(q) is query.Or and getattr(q, "scale", None):
            return None
        return ("and" if type(q) is query.And else "or"), list(q.subqueries)
    return None


def best(searcher, q: query.Query, n: int, allow: set | None, exclude: set | None,
         lengths: Lengths) -> tuple[list[int], int]:
    """Best n docnums of `q` among `allow` (None: all) minus `exclude`, and the count."""
    if allow is not None and not allow:
        return [], 0
    plan = flat_plan(q)
    if plan is not None and isinstance(searcher.weighting, BM25F):
        return flat_best(searcher, plan, n, allow, exclude, lengths)
    return whoosh_best(searcher, q, n, allow, exclude)


def whoosh_best(searcher, q: query.Query, n: int, allow: set | None,
                exclude: set | None) -> tuple[list[int], int]:
    """Whoosh's collector: block-max skipping makes a small n cheap for common words."""
    top = engine.Top(limit=max(1, n))
    col = FilterCollector(top, allow=allow, restrict=exclude) if (
        allow is not None or exclude is not None) else top
    searcher.search_with_collector(q, col)
    docnums = [d for _, d in top.results().top_n]
    total = count(searcher, q, allow, exclude) if top.skipped_blocks else top.total
    return docnums, total


def count(searcher, q: query.Query, allow: set | None, exclude: set | None) -> int:
    """Matches without scoring them (after top-N skipped blocks)."""
    if allow is None and exclude is None:
        if isinstance(q, query.Term) and not searcher.reader().has_deletions():
            return searcher.doc_frequency(q.fieldname, q.text)
        return sum(1 for _ in searcher.docs_for_query(q))
    return sum(1 for d in searcher.docs_for_query(q)
               if (allow is None or d in allow) and (exclude is None or d not in exclude))


def flat_best(searcher, plan, n: int, allow: set | None, exclude: set | None,
              lengths: Lengths) -> tuple[list[int], int]:
    """Best n docnums and the count for words joined by AND or OR, scored by BM25F.

    Whoosh's collector costs several Python calls a match (next, score, a
    field length column read, the heap); block-max skipping does not help a
    word in every abstract, whose blocks all hold a near-best score. Here a
    term's posting blocks are read whole and scored in one comprehension
    with the segment's field lengths cached per snapshot: the same BM25F
    score (sum over the words; a typo's terms add up), tens of ms instead of
    hundreds for a word in 99,000 documents.
    """
    op, leaves = plan
    s = searcher
    runs = []
    total = 0
    for sub, offset in s.leaf_searchers():
        reader = sub.reader()
        # The scope's documents of this segment: filtered before scoring, so a
        # common word in one week scores that week's papers only.
        end = offset + reader.doc_count_all()
        keep = None if allow is None else {d - offset for d in allow if offset <= d < end}
        drop = None if exclude is None else {d - offset for d in exclude
                                             if offset <= d < end}
        per_leaf = [_leaf_scores(s, reader, leaf, keep, drop, lengths) for leaf in leaves]
        docs = scoring.all_of(per_leaf) if op == "and" else scoring.any_of(per_leaf)
        if reader.has_deletions():
            docs = {d: v for d, v in docs.items() if not reader.is_deleted(d)}
        total += len(docs)
        runs.append(scoring.best(docs, n, offset))
    return scoring.merge_best(runs, n), total


def _leaf_scores(s, reader, leaf, keep: set | None, drop: set | None,
                 lengths: Lengths) -> dict[int, float]:
    """One word, typo'd word or phrase of a flat plan, scored in one segment."""
    fieldname = leaf.fieldname
    if fieldname not in s.schema:
        return {}
    field = s.schema[fieldname]
    w = s.weighting
    if isinstance(leaf, FastPhrase):
        # scored as one term: the phrase's count, the rarest word's idf
        ids, weights = scoring.in_scope(*leaf.docs_in(reader), keep, drop)
        if not ids:
            return {}
        return scoring.bm25f(ids, weights, lengths(reader, fieldname),
                             s.idf(fieldname, leaf.rarest(reader)),
                             s.avg_field_length(fieldname), w.K1, engine.bm25_b(w, fieldname))
    if isinstance(leaf, TypoTerm):
        texts = [field.to_bytes(t) for t in leaf.expand(reader)]
    else:
        try:
            texts = [field.to_bytes(leaf.text)]
        except ValueError:
            texts = []
    field_lengths = lengths(reader, fieldname) if field.scorable else None
    b = engine.bm25_b(w, fieldname)
    avg_length = s.avg_field_length(fieldname)
    parts = []
    for bt in texts:
        if (fieldname, bt) not in reader:
            continue
        ids, weights = scoring.in_scope(*engine.term_postings(reader, fieldname, bt),
                                        keep, drop)
        if field_lengths is None:
            parts.append(scoring.unscored(ids, weights))
        else:
            parts.append(scoring.bm25f(ids, weights, field_lengths, s.idf(fieldname, bt),
                                       avg_length, w.K1, b))
    return scoring.add_up(parts)
