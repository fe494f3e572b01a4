"""Relevance arithmetic on plain lists: BM25F per term and per phrase, AND / OR / NOT of
scored parts, the best n.

No Whoosh here: these functions take docnums, weights and field lengths and give
Whoosh's BM25F scores, with Whoosh's own floating-point operations for a term and a
phrase (the same bits); a sum over several words may differ from Whoosh's in the
last bit (Whoosh adds them in a tree ordered by its size estimates). A score dict
maps a document number to its score.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

# Whoosh's BM25F defaults (whoosh.scoring.BM25F): term-frequency saturation and
# length normalisation.
K1 = 1.2
B = 0.75


def length_norms(lengths: Sequence[int], avg_length: float, k1: float = K1,
                 b: float = B) -> list[float]:
    """Each document's BM25 length part `k1 (1 - b + b length / average)`, by document,
    computed as Whoosh computes it (an average of 0 counts as 1). Field lengths are
    stored in a byte, so there are few distinct ones: each is computed once."""
    avg = avg_length or 1
    table = {n: k1 * ((1 - b) + b * n / avg) for n in set(lengths)}
    return [table[n] for n in lengths]


def bm25f(ids: Sequence[int], weights: Sequence[float], norms: Sequence[float], idf: float,
          k1: float = K1) -> dict[int, float]:
    """Each document's BM25F score for one term (whoosh.scoring.bm25, bit for bit).

    ids, weights: the term's postings (document, weighted frequency: a title word
    counts twice); norms: every document's `length_norms`, indexed by document.
    """
    k1p1 = k1 + 1
    return {d: idf * ((wt * k1p1) / (wt + norms[d]))
            for d, wt in zip(ids, weights, strict=True)}


def phrase(ids: Sequence[int], weights: Sequence[Iterable[float]], norms: Sequence[float],
           idfs: Sequence[float], k1: float = K1) -> list[float]:
    """Each phrase match's score, as Whoosh's Phrase scores it: the sum of its words'
    BM25F in the document (each word's own weight there, so a title word counts
    twice; a repeated word counts each time), added as Whoosh's matcher tree adds them
    (`tree_sum`: a + b for two words, a + (b + c) for three).

    weights: for each word of the phrase, its weights in the documents `ids`, in
    order (any iterable); idfs: each word's idf; norms: every document's `length_norms`.
    """
    k1p1 = k1 + 1
    ns = map(norms.__getitem__, ids)
    if len(idfs) == 2:  # the usual phrase: one pass
        i0, i1 = idfs
        return [i0 * ((a * k1p1) / (a + n)) + i1 * ((b * k1p1) / (b + n))
                for a, b, n in zip(weights[0], weights[1], ns, strict=True)]
    if len(idfs) == 3:
        i0, i1, i2 = idfs
        return [i0 * ((a * k1p1) / (a + n)) + (i1 * ((b * k1p1) / (b + n))
                                                + i2 * ((c * k1p1) / (c + n)))
                for a, b, c, n in zip(*weights, ns, strict=True)]
    ns = list(ns)
    per_word = [[idf * ((wt * k1p1) / (wt + n)) for wt, n in zip(ws, ns, strict=True)]
                for ws, idf in zip(weights, idfs, strict=True)]
    return tree_sum(per_word)


def tree_sum(columns: list[list[float]]) -> list[float]:
    """Columns of scores added row by row as Whoosh's `make_binary_tree` adds its
    matchers' scores (the first half, then the second, recursively): the same
    floating-point sums, not just the same values to rounding."""
    if len(columns) == 1:
        return list(columns[0])
    half = len(columns) // 2
    left, right = tree_sum(columns[:half]), tree_sum(columns[half:])
    return [x + y for x, y in zip(left, right, strict=True)]


def boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    """A query's boost multiplies its scores (Whoosh's WrappingMatcher)."""
    if boost == 1.0:
        return scores
    return {d: v * boost for d, v in scores.items()}


def unscored(ids: Sequence[int], weights: Sequence[float]) -> dict[int, float]:
    """A field without lengths (week, id, ...) scores a match by its weight, as Whoosh does."""
    return dict(zip(ids, weights, strict=True))


def in_scope(ids: Sequence[int], weights: Sequence[float], keep: set | None,
             drop: set | None) -> tuple[list, list]:
    """The postings of the documents in `keep` and not in `drop` (None: no filter)."""
    if keep is None and drop is None:
        return ids, weights
    pairs = [(d, w) for d, w in zip(ids, weights, strict=True)
             if (keep is None or d in keep) and (drop is None or d not in drop)]
    return [d for d, _ in pairs], [w for _, w in pairs]


def add_up(parts: list[dict[int, float]]) -> dict[int, float]:
    """The terms a typo'd word stands for: a document's scores add up, in term order."""
    nonempty = [p for p in parts if p]
    if len(nonempty) <= 1:
        return nonempty[0] if nonempty else {}
    total = dict(nonempty[0])
    for part in nonempty[1:]:
        for d, v in part.items():
            total[d] = total.get(d, 0.0) + v
    return total


def all_of(words: list[dict[int, float]]) -> dict[int, float]:
    """AND: the documents every word matches, scored by the sum of the words' scores."""
    if not words:
        return {}
    words = sorted(words, key=len)  # walk the rarest word's documents
    first, rest = words[0], words[1:]
    if not rest:
        return first
    return {d: v + sum(o[d] for o in rest) for d, v in first.items()
            if all(d in o for o in rest)}


def any_of(words: list[dict[int, float]]) -> dict[int, float]:
    """OR: the documents any word matches, scored by the sum of the matching words' scores."""
    if len(words) == 1:
        return words[0]
    docs: dict[int, float] = {}
    for scores in words:
        for d, v in scores.items():
            docs[d] = docs.get(d, 0.0) + v
    return docs


def but_not(scores: dict[int, float], excluded: Iterable[int]) -> dict[int, float]:
    """ANDNOT: the documents of `scores` that are not excluded, with their scores."""
    excluded = excluded if isinstance(excluded, (set, dict)) else set(excluded)
    return {d: v for d, v in scores.items() if d not in excluded}


def inverse(universe: Iterable[int], matched: Iterable[int]) -> dict[int, float]:
    """NOT: every document of the universe that is not matched, each scoring 1.0
    (Whoosh's InverseMatcher: its weight, whatever the boost)."""
    matched = matched if isinstance(matched, (set, dict)) else set(matched)
    return dict.fromkeys((d for d in universe if d not in matched), 1.0)


def best(scores: dict[int, float], n: int, offset: int = 0) -> list[tuple[float, int]]:
    """The n best (-score, offset + document) pairs of one segment, best first; equal
    scores in document order, as Whoosh's collector has them.

    The n-th best score is found among the bare scores first (heapq over floats,
    no pair made a match); only the documents scoring at least that are paired and
    sorted: every document above it is in, and of those equal to it the first ones."""
    if n <= 0:
        return []
    if len(scores) > n:
        kth = heapq.nlargest(n, scores.values())[-1]
        pairs = [(-v, d + offset) for d, v in scores.items() if v >= kth]
    else:
        pairs = [(-v, d + offset) for d, v in scores.items()]
    pairs.sort()
    return pairs[:n]


def merge_best(runs: list[list[tuple[float, int]]], n: int) -> list[int]:
    """The n best documents of several segments' `best` runs."""
    scored = [pair for run in runs for pair in run]
    scored.sort()
    return [d for _, d in scored[:n]]
