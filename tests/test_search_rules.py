"""The search's rules as functions of plain lists: BM25F, AND / OR, the best n, phrase
matching, typo distance. No index here; tests/test_index.py checks them against Whoosh."""

from __future__ import annotations

import math
from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Positions
from whoosh.scoring import bm25 as whoosh_bm25
from whoosh.support.levenshtein import damerau_levenshtein

from paperdeck.index.engine import read_deltas
from paperdeck.index.phrases import phrase_rows
from paperdeck.index.scoring import (
    K1,
    B,
    add_up,
    all_of,
    any_of,
    best,
    bm25f,
    boosted,
    but_not,
    in_scope,
    inverse,
    length_norms,
    merge_best,
    phrase,
    tree_sum,
    unscored,
)
from paperdeck.index.typos import Lexicon, within

# --- BM25F of one term -----------------------------------------------------------------


def _bm25f(ids, weights, lengths, idf, avg, k1=K1, b=B):
    return bm25f(ids, weights, length_norms(lengths, avg, k1, b), idf, k1)


def test_a_word_once_in_a_paper_of_average_length_scores_its_idf():
    # k1 (1 - b) + k1 b (length / average) is k1 at the average length, so the
    # saturation tf (k1 + 1) / (tf + k1) is 1 for tf = 1.
    scores = _bm25f([0, 1], [1.0, 1.0], [10, 10], idf=2.5, avg=10)
    assert scores == {0: pytest.approx(2.5), 1: pytest.approx(2.5)}


@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 400)), min_size=1, max_size=30),
       st.floats(0.01, 12), st.floats(1, 300), st.floats(0.1, 3), st.floats(0, 1))
def test_bm25f_is_whooshs_formula_bit_for_bit(postings, idf, avg, k1, b):
    weights = [float(w) for w, _ in postings]
    lengths = [n for _, n in postings]
    scores = _bm25f(range(len(postings)), weights, lengths, idf, avg, k1, b)
    for d, (w, n) in enumerate(postings):
        assert scores[d] == whoosh_bm25(idf, w, n, avg, b, k1)


def test_more_occurrences_score_higher_and_longer_papers_lower():
    more = _bm25f([0, 1], [1.0, 3.0], [50, 50], idf=1.0, avg=50)
    assert more[1] > more[0]
    longer = _bm25f([0, 1], [2.0, 2.0], [20, 200], idf=1.0, avg=50)
    assert longer[0] > longer[1]
    # b = 0: no length normalisation at all
    flat = _bm25f([0, 1], [2.0, 2.0], [20, 200], idf=1.0, avg=50, b=0.0)
    assert flat[0] == flat[1]
    # the default parameters are Whoosh's BM25F defaults
    assert (K1, B) == (1.2, 0.75)


def test_lengths_are_read_by_document_number_and_an_empty_average_counts_as_one():
    lengths = [999, 3, 999, 7]  # every document of the segment, indexed by docnum
    alone = _bm25f([0, 1], [1.0, 1.0], [3, 7], 1.0, 5)
    assert _bm25f([1, 3], [1.0, 1.0], lengths, 1.0, 5) == {1: alone[0], 3: alone[1]}
    assert length_norms([1, 4], 0) == length_norms([1, 4], 1)
    assert length_norms([4, 1, 4], 2.0, k1=1.0, b=0.5) == [1.5, 0.75, 1.5]


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
    language = [4, 4, 9, [0, 7]]
    model = [5, 6, 8, [1, 8]]
    # row 0: 4, 5; row 1: a word between; row 2: the wrong order; row 3: twice
    assert phrase_rows([language, model]) == [0, 3]


def test_a_long_phrase_a_repeated_word_and_a_single_word():
    large, language, models = [[0, 5], 3], [[1, 6], 4], [[2, 9], 6]
    assert phrase_rows([large, language, models]) == [0]
    again = [[3, 4, 5], 2]  # "models models": positions 3-4 and 4-5
    assert phrase_rows([again, again]) == [0]
    assert phrase_rows([[1, [2, 3]]]) == [0, 1]


def _naive(columns):
    rows = []
    for row, per_word in enumerate(zip(*columns, strict=True)):
        sets = [{p} if isinstance(p, int) else set(p) for p in per_word]
        if any(all(start + i in s for i, s in enumerate(sets)) for start in sets[0]):
            rows.append(row)
    return rows


_positions = st.one_of(st.integers(0, 12),
                       st.lists(st.integers(0, 12), min_size=1, max_size=5, unique=True)
                       .map(sorted))


@given(st.integers(1, 4).flatmap(lambda k: st.integers(1, 8).flatmap(
    lambda n: st.lists(st.lists(_positions, min_size=n, max_size=n), min_size=k, max_size=k))))
def test_phrase_rows_agree_with_checking_every_start(columns):
    assert phrase_rows(columns) == _naive(columns)


@given(st.integers(1, 4).flatmap(lambda k: st.lists(
    st.tuples(st.lists(st.integers(1, 9), min_size=k, max_size=k), st.integers(1, 300)),
    min_size=1, max_size=12).map(lambda rows: (k, rows))),
    st.lists(st.floats(0.05, 9), min_size=4, max_size=4), st.floats(1, 200))
def test_a_phrase_scores_the_sum_of_its_words_bm25f_as_whoosh_adds_them(case, idfs, avg):
    # Whoosh's Phrase is an intersection of its words' term matchers in a binary
    # tree (whoosh.util.make_binary_tree): left half + right half, recursively.
    k, rows = case
    ids = list(range(len(rows)))
    weights = [[float(ws[i]) for ws, _ in rows] for i in range(k)]
    lengths = [n for _, n in rows]
    got = phrase(ids, weights, length_norms(lengths, avg), idfs[:k])

    def whoosh_tree(scores):
        if len(scores) == 1:
            return scores[0]
        half = len(scores) // 2
        return whoosh_tree(scores[:half]) + whoosh_tree(scores[half:])

    for d, (ws, n) in enumerate(rows):
        assert got[d] == whoosh_tree([whoosh_bm25(idf, float(w), n, avg, B, K1)
                                      for w, idf in zip(ws, idfs, strict=False)])


def test_a_phrase_in_the_title_outscores_it_in_the_abstract():
    # Title words weigh twice in the text field (their posting weight counts 2 a time).
    in_title, in_abstract = [2.0, 2.0], [1.0, 1.0]
    scores = phrase([0, 1], [[in_title[0], in_abstract[0]], [in_title[1], in_abstract[1]]],
                    length_norms([40, 40], 60), [2.0, 3.0])
    assert scores[0] > scores[1]


def test_tree_sum_adds_halves_as_whooshs_matcher_tree():
    a, b, c = [0.1], [0.2], [0.3]
    assert tree_sum([a, b, c]) == [0.1 + (0.2 + 0.3)]
    assert tree_sum([a, b, c, [0.4]]) == [(0.1 + 0.2) + (0.3 + 0.4)]
    assert tree_sum([a]) == a


# --- boosts, ANDNOT, NOT ----------------------------------------------------------------


def test_a_boost_multiplies_and_not_keeps_or_scores_one():
    scores = {1: 1.5, 2: 0.5}
    assert boosted(scores, 2.0) == {1: 3.0, 2: 1.0}
    assert boosted(scores, 1.0) is scores
    assert but_not(scores, {2, 9}) == {1: 1.5}
    assert but_not(scores, [1]) == {2: 0.5}
    assert inverse(range(5), {1: 0.3, 3: 2.0}) == {0: 1.0, 2: 1.0, 4: 1.0}
    assert inverse([], {}) == {}


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


# --- positions as the index stores them ----------------------------------------------------


@given(st.lists(st.integers(0, 5000), min_size=1, max_size=30, unique=True).map(sorted))
def test_positions_are_read_as_whoosh_decodes_them(positions):
    # engine reads most encoded values without unpickling them (deltas under 256):
    # every value decodes to what Whoosh's own Positions format decodes.
    value = Positions().encode(positions)
    assert list(accumulate(read_deltas(value))) == Positions().decode_positions(value) == positions
