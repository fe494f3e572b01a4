"""Relevance arithmetic on plain lists: BM25F per term, AND / OR of scored words, the best n.

No Whoosh here: these functions take docnums, weights and lengths and give Whoosh's
BM25F scores (to the last bits of rounding; the ranking is tested against Whoosh's own).
A score dict maps a document number to its score.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

# Whoosh's BM25F defaults (whoosh.scoring.BM25F): term-frequency saturation and
# length normalisation.
K1 = 1.2
B = 0.75


def bm25f(ids: Sequence[int], weights: Sequence[float], lengths: Sequence[int], idf: float,
          avg_length: float, k1: float = K1, b: float = B) -> dict[int, float]:
    """Each document's BM25F score for one term.

    ids, weights: the term's postings (document, weighted frequency: a title word
    counts twice); lengths: every document's field length, indexed by document;
    avg_length: the field's average length (0 counts as 1).
    """
    c = idf * (k1 + 1)
    k = k1 * (1 - b)
    kb = k1 * b / (avg_length or 1)
    return {d: c * wt / (wt + k + kb * lengths[d]) for d, wt in zip(ids, weights, strict=True)}


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


def best(scores: dict[int, float], n: int, offset: int = 0) -> list[tuple[float, int]]:
    """The n best (-score, offset + document) pairs of one segment, best first; equal
    scores in document order, as Whoosh's collector has them."""
    return heapq.nsmallest(n, ((-v, d + offset) for d, v in scores.items()))


def merge_best(runs: list[list[tuple[float, int]]], n: int) -> list[int]:
    """The n best documents of several segments' `best` runs."""
    scored = [pair for run in runs for pair in run]
    scored.sort()
    return [d for _, d in scored[:n]]
