"""Half-typed and odd queries: answered sensibly, never an exception or a silent nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index.query import status_error, tidy
from paperdeck.index.views import Scope


@pytest.mark.parametrize("typed, tidied", [
    ('"large language', '"large language"'),
    ("rag (retrieval OR generation", "rag (retrieval OR generation)"),
    ("rag)", "rag"),
    ("title:", ""),
    ("title:(", ""),
    ("week:2024-W26", "week:2024-06-30"),
    ("week:2024w26", "week:2024-06-30"),
    ('"(not a group" x', '"(not a group" x'),
    ("id:2406.15319 category:cs.CL", "id:2406.15319 category:cs.CL"),
])
def test_tidy(typed, tidied):
    assert tidy(typed) == tidied


def test_unknown_status_is_named_and_a_bare_one_is_still_being_typed():
    assert "is:bogus" in status_error("rag is:bogus")
    assert status_error("rag is:") is None
    assert status_error("rag is:starred") is None


def test_an_open_phrase_searches_the_phrase_so_far(sample_lib):
    typed = sample_lib.search('"long-context LLMs')
    closed = sample_lib.search('"long-context LLMs"')
    assert typed.total == closed.total > 0
    assert "2406.15319" in [r.key for r in typed.rows]


def test_iso_week_in_the_query_is_the_week_of_the_sunday(sample_lib):
    by_iso = sample_lib.search("week:2024-W26 longrag")
    by_date = sample_lib.search("week:2024-06-30 longrag")
    assert [r.key for r in by_iso.rows] == [r.key for r in by_date.rows] == ["2406.15319"]


def test_an_unknown_status_is_an_error_not_an_empty_list(sample_lib):
    result = sample_lib.search("rag is:unred")
    assert result.error and "is:unred" in result.error
    assert result.rows == []


def test_a_dangling_field_lists_the_scope_as_an_empty_query_would(sample_lib):
    week = Scope("week", "2024-06-30")
    assert ([r.key for r in sample_lib.search("title:(", scope=week).rows]
            == [r.key for r in sample_lib.search("", scope=week).rows])


# Searching never writes, so one library serves every example.
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet='ab "():~*-W0123456789isweektl', max_size=30))
def test_any_typed_prefix_answers_without_raising(sample_lib, typed):
    result = sample_lib.search(typed)
    assert result.error or result.total == len(result.rows)
