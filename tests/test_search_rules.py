"""The search's rules as functions of plain lists: BM25F, AND / OR, the best n, phrase
matching, typo distance. No index here; tests/test_index.py checks them against Whoosh."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.scoring import bm25 as whoosh_bm25
from whoosh.support.levenshtein import damerau_levenshtein

from paperdeck.index.phrases import phrase_counts
from paperdeck.index.scoring import (
    K1,
    B,
    add_up,
    all_of,
    any_of,
    best,
    bm25f,
    in_scope,
    merge_best,
    unscored,
)
from paperdeck.index.typos import Lexicon, within

# --- BM25F of one term -----------------------------------------------------------------


def test_a_word_once_in_a_paper_of_average_length_scores_its_idf():
    # k1 (1 - b) + k1 b (length / average) is k1 at the average length, so the
    # saturation tf (k1 + 1) / (tf + k1) is 1 for tf = 1.
    scores = bm25f([0, 1], [1.0, 1.0], [10, 10], idf=2.5, avg_length=10)
    assert scores == {0: pytest.approx(2.5), 1: pytest.approx(2.5)}


@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 400)), min_size=1, max_size=30),
       st.floats(0.01, 12), st.floats(1, 300), st.floats(0.1, 3), st.floats(0, 1))
def test_bm25f_is_whooshs_formula(postings, idf, avg, k1, b):
    weights = [float(w) for w, _ in postings]
    lengths = [n for _, n in postings]
    scores = bm25f(range(len(postings)), weights, lengths, idf, avg, k1, b)
    for d, (w, n) in enumerate(postings):
        assert math.isclose(scores[d], whoosh_bm25(idf, w, n, avg, b, k1), rel_tol=1e-12)


def test_more_occurrences_score_higher_and_longer_papers_lower():
    more = bm25f([0, 1], [1.0, 3.0], [50, 50], idf=1.0, avg_length=50)
    assert more[1] > more[0]
    longer = bm25f([0, 1], [2.0, 2.0], [20, 200], idf=1.0, avg_length=50)
    assert longer[0] > longer[1]
    # b = 0: no length normalisation at all
    flat = bm25f([0, 1], [2.0, 2.0], [20, 200], idf=1.0, avg_length=50, b=0.0)
    assert flat[0] == flat[1]
    # the default parameters are Whoosh's BM25F defaults
    assert (K1, B) == (1.2, 0.75)


def test_lengths_are_read_by_document_number_and_an_empty_average_counts_as_one():
    lengths = [999, 3, 999, 7]  # every document of the segment, indexed by docnum
    alone = bm25f([0, 1], [1.0, 1.0], [3, 7], 1.0, 5)
    assert bm25f([1, 3], [1.0, 1.0], lengths, 1.0, 5) == {1: alone[0], 3: alone[1]}
    assert bm25f([0], [1.0], [1], 1.0, 0) == bm25f([0], [1.0], [1], 1.0, 1)


def test_a_field_without_lengths_scores_a_match_by_its_weight():
    assert unscored([4, 9], [1.0, 2.0]) == {4: 1.0, 9: 2.0}


def test_a_scope_keeps_its_documents_before_scoring():
    ids, weights = [1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0]
    assert in_scope(ids, weights, None, None) == (ids, weights)
    assert in_scope(ids, weights, {2, 4, 8}, None) == ([2, 4], [2.0, 4.0])
    assert in_scope(ids, weights, None, {1, 4}) == ([2, 3], [2.0, 3.0])
    assert in_scope(ids, weights, {1, 2, 3}, {2}) == ([1, 3], [1.0, 3.0])
    assert in_scope(ids, weights, set(), None) == ([], [])


# --- AND, OR, a typo's terms -------------------------------------------------------------


def test_and_keeps_the_papers_of_every_word_with_the_sum_of_their_scores():
    language = {1: 1.0, 2: 2.0, 3: 0.5}
    model = {2: 0.25, 3: 4.0, 5: 1.0}
    assert all_of([language, model]) == {2: 2.25, 3: 4.5}
    assert all_of([model, language]) == all_of([language, model])
    assert all_of([language, model, {9: 1.0}]) == {}
    assert all_of([language]) == language
    assert all_of([]) == {}


def test_or_keeps_the_papers_of_any_word_with_the_sum_of_the_matching_scores():
    language = {1: 1.0, 2: 2.0}
    model = {2: 0.25, 5: 1.0}
    assert any_of([language, model]) == {1: 1.0, 2: 2.25, 5: 1.0}
    assert any_of([language]) == language
    assert any_of([{}, {}]) == {}
    assert any_of([]) == {}


def test_a_typos_terms_add_up_and_the_inputs_stay_as_they_were():
    train, trains = {1: 1.0, 2: 1.0}, {2: 0.5, 3: 2.0}
    assert add_up([train, {}, trains]) == {1: 1.0, 2: 1.5, 3: 2.0}
    assert train == {1: 1.0, 2: 1.0} and trains == {2: 0.5, 3: 2.0}
    assert add_up([{}, trains]) == trains
    assert add_up([]) == {}


@given(st.lists(st.dictionaries(st.integers(0, 30), st.floats(0.01, 10), max_size=12),
                min_size=1, max_size=4))
def test_and_or_agree_with_sets(words):
    both = all_of(words)
    either = any_of(words)
    assert set(both) == set.intersection(*(set(w) for w in words))
    assert set(either) == set.union(*(set(w) for w in words))
    for d, v in both.items():
        assert math.isclose(v, sum(w[d] for w in words))
    for d, v in either.items():
        assert math.isclose(v, sum(w.get(d, 0.0) for w in words))


# --- the best n --------------------------------------------------------------------------


def test_best_is_highest_score_first_and_equal_scores_in_document_order():
    scores = {7: 1.0, 3: 2.0, 5: 1.0, 1: 1.0, 9: 0.5}
    assert best(scores, 4) == [(-2.0, 3), (-1.0, 1), (-1.0, 5), (-1.0, 7)]
    assert best(scores, 2, offset=100) == [(-2.0, 103), (-1.0, 101)]
    assert best({}, 3) == []


def test_the_best_of_several_segments_merge_into_one_ranking():
    first = best({0: 1.0, 1: 3.0, 2: 1.0}, 2, offset=0)
    second = best({0: 2.0, 1: 1.0}, 2, offset=3)
    assert merge_best([first, second], 3) == [1, 3, 0]
    assert merge_best([first, second], 10) == [1, 3, 0, 4]  # each run holds its 2 best
    assert merge_best([], 5) == []


# --- phrases -------------------------------------------------------------------------------


def test_a_phrase_is_its_words_at_consecutive_positions():
    docs = [1, 2, 3, 4]
    language = [4, 4, 9, [0, 7]]
    model = [5, 6, 8, [1, 8]]
    # doc 1: 4, 5 (once); doc 2: a word between; doc 3: the wrong order; doc 4: twice
    assert phrase_counts(docs, [language, model]) == ([1, 4], [1.0, 2.0])


def test_a_long_phrase_and_a_repeated_word():
    docs = [10, 11]
    large, language, models = [[0, 5], 3], [[1, 6], 4], [[2, 9], 6]
    assert phrase_counts(docs, [large, language, models]) == ([10], [1.0])
    again = [[3, 4, 5], 2]  # "models models": positions 3-4 and 4-5
    assert phrase_counts([10, 11], [again, again]) == ([10], [2.0])


def _naive(columns):
    found, counts = [], []
    for d, per_word in enumerate(zip(*columns, strict=True)):
        sets = [{p} if isinstance(p, int) else set(p) for p in per_word]
        n = sum(1 for start in sets[0] if all(start + i in s for i, s in enumerate(sets)))
        if n:
            found.append(d)
            counts.append(float(n))
    return found, counts


_positions = st.one_of(st.integers(0, 12),
                       st.lists(st.integers(0, 12), min_size=1, max_size=5, unique=True)
                       .map(sorted))


@given(st.integers(2, 4).flatmap(lambda k: st.integers(1, 8).flatmap(
    lambda n: st.lists(st.lists(_positions, min_size=n, max_size=n), min_size=k, max_size=k))))
def test_phrase_counts_agree_with_counting_every_start(columns):
    docs = list(range(len(columns[0])))
    assert phrase_counts(docs, columns) == _naive(columns)


# --- typos ---------------------------------------------------------------------------------


@given(st.text("abcde", max_size=7), st.text("abcde", max_size=7), st.integers(0, 2))
def test_within_is_damerau_levenshtein(a, b, maxdist):
    assert within(a, b, maxdist) == (damerau_levenshtein(a, b) <= maxdist)


def test_a_swap_is_one_edit_and_the_first_letter_is_kept():
    lex = Lexicon(["retrieval", "retrieve", "reversal", "tetrieval", "retrievals", ""])
    assert lex.near("retreival", 1) == ["retrieval"]
    assert sorted(lex.near("retrieval", 1)) == ["retrieval", "retrievals"]
    assert "tetrieval" not in lex.near("retrieval", 1)  # the first letter differs
    assert "tetrieval" in lex.near("retrieval", 1, prefix=0)
    assert lex.near("", 1) == []


@given(st.lists(st.text("abc", min_size=1, max_size=6), max_size=40),
       st.text("abc", min_size=1, max_size=6), st.integers(1, 2), st.integers(0, 2))
def test_lexicon_near_is_every_word_within_reach(words, word, maxdist, prefix):
    want = sorted(w for w in words if w.startswith(word[:prefix]) and within(word, w, maxdist))
    assert sorted(Lexicon(words).near(word, maxdist, prefix)) == want
