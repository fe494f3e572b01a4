"""Half-typed and odd queries: answered sensibly, never an exception or a silent nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index.query import query_error, tidy
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
    assert "is:bogus" in query_error("rag is:bogus")
    assert query_error("rag is:") is None
    assert query_error("rag is:starred") is None


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


# --- arXiv ids in any form (issue 10, point 6) -----------------------------------------

ID_FORMS = ["2406.15319", "2406.15319v2", "id:2406.15319v2", "ID:2406.15319", "arXiv:2406.15319",
            "arxiv:2406.15319v3", "https://arxiv.org/abs/2406.15319",
            "https://arxiv.org/abs/2406.15319v1", "arxiv.org/pdf/2406.15319v2.pdf",
            "https://huggingface.co/papers/2406.15319", "10.48550/arXiv.2406.15319",
            "https://doi.org/10.48550/arXiv.2406.15319", " 2406.15319 "]


@pytest.mark.parametrize("typed", ID_FORMS)
def test_an_arxiv_id_typed_or_pasted_is_the_id_term(typed):
    assert tidy(typed) == "id:2406.15319"


@pytest.mark.parametrize("typed, tidied", [
    ("(2406.15319 OR arxiv.org/abs/2406.14550)", "(id:2406.15319 OR id:2406.14550)"),
    ("longrag 2406.15319v2 is:unread", "longrag id:2406.15319 is:unread"),
    ("hep-th/9711200v2", "id:hep-th/9711200"),
    ("arXiv:math.AG/0601001", "id:math.AG/0601001"),
    ("arXiv: 2406.15319", "id:2406.15319"),
    ("arXiv:2406.15319v2 [cs.CL]", "id:2406.15319"),  # a citation as arXiv prints it
    ("rag [cs.CL]", "rag [cs.CL]"),
    # not ids: inside a phrase, another field's value, a number, a link naming none
    ('"2406.15319"', '"2406.15319"'),
    ("title:2406.15319", "title:2406.15319"),
    ("v2406.15319", "v2406.15319"),
    ("2406.153", "2406.153"),
    ("https://example.com/2406.15319", "https://example.com/2406.15319"),
])
def test_ids_among_other_words(typed, tidied):
    assert tidy(typed) == tidied


@pytest.mark.parametrize("typed", ID_FORMS)
@pytest.mark.parametrize("sort", ["relevance", "newest", "title"])
def test_an_arxiv_id_in_any_form_finds_the_paper(sample_lib, typed, sort):
    result = sample_lib.search(typed, sort=sort)
    assert result.error is None and [r.key for r in result.rows] == ["2406.15319"]
    # in the node it sits in, and with other words of it
    week = Scope("week", "2024-06-30")
    assert [r.key for r in sample_lib.search(f"longrag {typed}", scope=week,
                                             sort=sort).rows] == ["2406.15319"]


def test_an_old_style_id_finds_its_paper(empty_lib, tmp_path):
    bib = tmp_path / "old.bib"
    bib.write_text("@article{maldacena1999,\n"
                   "  title = {The Large N Limit of Superconformal Field Theories},\n"
                   "  author = {Maldacena, Juan},\n  year = {1999},\n"
                   "  eprint = {hep-th/9711200},\n  archivePrefix = {arXiv},\n"
                   "  abstract = {The large N limit of some conformal field theories.}\n}\n")
    empty_lib.import_files([bib])
    for typed in ("hep-th/9711200", "hep-th/9711200v3", "arXiv:hep-th/9711200",
                  "https://arxiv.org/abs/hep-th/9711200v1"):
        assert [r.key for r in empty_lib.search(typed).rows] == ["hep-th/9711200"], typed
        assert empty_lib.resolve(typed) == "hep-th/9711200", typed


# --- errors that name what to write (issue 10, point 8) --------------------------------

BAD_QUERIES = [
    # (typed, what the message must name: the bad part, then valid forms)
    ("is:bogus", ["is:bogus", "is:unread", "is:read", "is:starred", "is:unstarred"]),
    ("rag is:unred", ["is:unred", "is:unread"]),
    ("week:garbage", ["week:garbage", "week:2024-06-30", "week:2024-W26"]),
    ("week:2024-W60", ["week:2024-W60", "week:2024-W26"]),
    ("week:2024-02-30", ["week:2024-02-30", "week:2024-06-30"]),
    ("month:2024-13", ["month:2024-13", "month:2024-06"]),
    ("month:June", ["month:June", "month:2024-06"]),
    ("year:24", ["year:24", "year:2024"]),
    ("id:garbage", ["id:garbage", "id:2406.15319"]),
    ("arXiv:2406", ["arxiv:2406", "id:2406.15319"]),
    ("foo:bar", ["unknown field foo:", "title:", "abstract:", "author:", "category:",
                 "week:", "month:", "year:", "source:", "id:", "is:", '"foo:bar"']),
    ("rag Foo:bar", ["unknown field Foo:"]),
    ("https://example.com/paper", ["https://example.com/paper", "arxiv.org"]),
    ("category:nonsense", ["category:nonsense", "category:cs.CL", "cs.CL (Computation and "
                           "Language)"]),
    ("source:nonsense", ["source:nonsense", "source:weekly-picks",
                         "002_6315ac4b7056192c.txt (weekly-picks)"]),
]


@pytest.mark.parametrize("typed, named", BAD_QUERIES, ids=[b[0] for b in BAD_QUERIES])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_every_query_error_names_the_valid_forms(sample_lib, typed, named, sort):
    result = sample_lib.search(typed, sort=sort)
    assert result.error, typed
    assert result.rows == [] and result.total == 0
    for part in named:
        assert part in result.error, (part, result.error)
    # an error whichever scope is searched
    assert sample_lib.search(typed, scope=Scope("week", "2024-06-30")).error == result.error


@pytest.mark.parametrize("typed, same_as", [
    ("Title:LongRAG", "title:LongRAG"),
    ("ID:2406.15319", "id:2406.15319"),
    ("week:2024-06-26", "week:2024-06-30"),  # any day of the week names it
    ("week:2024w26", "week:2024-06-30"),
    ("month:2024-6", "month:2024-06"),
    ("category:language", "category:language"),
    ('category:"computation and language"', "category:cs.CL"),
    ("cat:cs.cl", "category:cs.CL"),
    ("source:002_6315ac4b7056192c", "source:weekly-picks"),
    ('"foo:bar"', '"foo bar"'),  # quoted, a colon is part of the words
])
def test_valid_forms_of_each_field_answer(sample_lib, typed, same_as):
    got, want = sample_lib.search(typed), sample_lib.search(same_as)
    assert got.error is None and want.error is None
    assert [r.key for r in got.rows] == [r.key for r in want.rows]
    if not typed.startswith('"'):
        assert got.total > 0


@pytest.mark.parametrize("typed", ["title:zzqx", "abstract:zzqx", "author:zzqx", "zzqx",
                                   "rag is:", "week:", "10:30 rag", "id:2406*",
                                   "week:(2024-06-30 OR 2024-06-23)"])
def test_free_text_fields_and_half_typed_fields_are_no_error(sample_lib, typed):
    assert sample_lib.search(typed).error is None
