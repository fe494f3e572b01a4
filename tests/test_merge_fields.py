"""Merging by DOI and by arXiv ids hidden in links, and what the merged paper keeps of
the richer fields (issue 9): unit tests on Records, no library."""

from __future__ import annotations

import pytest

from paperdeck.index.merge import combine, group_records, identify, match_keys, week_of
from paperdeck.index.model import Record

ABSTRACT = ("We propose a method for reading paper lists of every kind, and show on many "
            "real files that one reader is enough for all of them, which we then release "
            "with its data and code so that anyone can check each of the claims we make.")


def rec(layout="bibtex", line=1, abstract="", **fields) -> Record:
    return Record(layout=layout, line=line, abstract=abstract, **fields)


def one_paper(*records: Record) -> bool:
    return len(group_records(list(records))) == 1


@pytest.mark.parametrize("link", [
    {"url": "https://arxiv.org/abs/2406.15319v2"},
    {"url": "https://arxiv.org/pdf/2406.15319.pdf"},
    {"url": "https://arxiv.org/html/2406.15319v1"},
    {"url": "https://huggingface.co/papers/2406.15319"},
    {"url": "https://www.alphaxiv.org/abs/2406.15319"},
    {"pdf_url": "http://export.arxiv.org/pdf/2406.15319v3"},
    {"doi": "10.48550/arXiv.2406.15319"},
    {"doi": "https://doi.org/10.48550/ARXIV.2406.15319"},
    {"url": "https://example.org/read?ref=arXiv:2406.15319"},
])
def test_an_arxiv_id_in_any_link_merges_with_the_id(link):
    pick = rec("weekly-picks", title="LongRAG: Enhancing Retrieval-Augmented Generation",
               arxiv_id="2406.15319")
    other = rec("markdown", title="A different wording of the title", **link)
    assert "id:2406.15319" in match_keys(other)
    assert one_paper(pick, other)
    identify(other)
    assert other.arxiv_id == "2406.15319"
    assert combine([pick, other]).arxiv_id == "2406.15319"


def test_identify_reads_the_version_and_normalises_the_doi():
    r = identify(rec(url="https://arxiv.org/abs/2406.15319v4", doi="DOI:10.1000/ABC.def."))
    assert (r.arxiv_id, r.arxiv_version, r.doi) == ("2406.15319", 4, "10.1000/abc.def")
    kept = identify(rec(arxiv_id="2401.00001", arxiv_version=2, url="https://arxiv.org/abs/2406.15319"))
    assert (kept.arxiv_id, kept.arxiv_version) == ("2401.00001", 2)  # the layout's own id wins
    assert identify(rec(url="https://example.org/2406.15319")).arxiv_id is None  # not a link to arXiv


def test_a_doi_merges_whatever_its_spelling():
    a = rec("bibtex", title="Efficient Spherical Harmonic Transforms", doi="10.1002/ggge.20071")
    b = rec("ris", title="Efficient spherical harmonic transforms aimed at pseudospectral "
                         "numerical simulations", doi="https://doi.org/10.1002/GGGE.20071")
    c = rec("csv", title="Something else entirely", doi="10.1002/ggge.20072")
    assert "doi:10.1002/ggge.20071" in match_keys(a) and "doi:10.1002/ggge.20071" in match_keys(b)
    groups = group_records([a, b, c])
    assert [list(g) for g in groups] == [[0, 1], [2]]
    m = combine([a, b])
    assert m.doi == "10.1002/ggge.20071" and m.link == "https://doi.org/10.1002/ggge.20071"


def test_arxivs_own_doi_is_the_ids_key_not_a_doi_key():
    r = rec(doi="10.48550/arXiv.2406.15319")
    assert match_keys(r) == ["id:2406.15319"]


def test_a_full_title_beats_a_short_name_and_a_derived_one():
    name = rec("csv", title="Llemma", title_is_name=True, abstract=ABSTRACT,
               arxiv_id="2310.10631")
    full = rec("feed", title="Llemma: An Open Language Model For Mathematics",
               arxiv_id="2310.10631")
    dump = rec("arxiv-dump", abstract=ABSTRACT + " More.", arxiv_id="2310.10631")
    # the name ranks first by its layout, yet the full title wins; whatever the order
    for order in ([name, full, dump], [dump, full, name], [full, name]):
        m = combine(order)
        assert (m.title, m.title_derived) == ("Llemma: An Open Language Model For Mathematics",
                                              False)
    m = combine([name, dump])  # no full title: the name stands, not a derived sentence
    assert (m.title, m.title_derived) == ("Llemma", False)
    assert not any(k.startswith("t:") for k in match_keys(
        rec(title="A Very Long Short Name Indeed", title_is_name=True)))


def test_an_unflagged_short_name_loses_to_the_title_it_starts():
    pick = rec("weekly-picks", title="GNN-RAG", arxiv_id="2405.20139")
    feed = rec("feed", title="GNN-RAG: Graph Neural Retrieval for Large Language Model "
                              "Reasoning", arxiv_id="2405.20139")
    assert combine([pick, feed]).title == feed.title
    dash = rec("bibtex", title="Llemma - An Open Language Model For Mathematics")
    assert combine([rec("weekly-picks", title="Llemma"), dash]).title == dash.title
    # a title that merely begins like another is no short name of it
    other = rec("weekly-picks", title="Attention Is All You Need")
    longer = rec("feed", title="Attention Is All You Need: A Reply")
    assert combine([other, longer]).title == "Attention Is All You Need"


def test_a_summary_is_never_the_abstract():
    pitch = rec("markdown", title="GraphReader: Building Graph-based Agent",
                summary="An agent that reads long texts as a graph. " * 8)
    assert combine([pitch]).abstract == ""  # title-only lists are fine
    assert not any(k.startswith(("ah:", "at:")) for k in match_keys(pitch))
    real = rec("feed", title="GraphReader: Building Graph-based Agent", abstract=ABSTRACT)
    assert one_paper(pitch, real)
    assert combine([pitch, real]).abstract == ABSTRACT


def test_a_published_day_puts_the_paper_at_its_week_and_a_month_at_its_month():
    assert week_of("2024-06-24") == "2024-06-30"  # a Monday: the Sunday that closes it
    assert week_of("2024-06-30") == "2024-06-30"
    assert week_of("2025-12-29") == "2026-01-04"  # the week spans two years
    day = combine([rec(title="T", published="2024-06-26")])
    assert (day.week, day.month, day.year, day.published) == ("2024-06-30", "2024-06", 2024,
                                                             "2024-06-26")
    month = combine([rec(title="T", published="2013-03")])
    assert (month.week, month.month, month.year) == (None, "2013-03", 2013)
    year = combine([rec(title="T", published="2019")])
    assert (year.week, year.month, year.year) == (None, None, 2019)
    # a finer date beats a coarser one, and of two days the earlier (first appearance)
    m = combine([rec(title="T", published="2024-07"), rec(title="T", published="2024-06-20"),
                 rec(title="T", published="2024-06-27")])
    assert (m.published, m.week) == ("2024-06-20", "2024-06-23")
    # a listing week later than the published day: the paper sits at its own week
    m = combine([rec("weekly-picks", title="T", week="2024-07-07"),
                 rec(title="T", published="2024-06-20")])
    assert m.week == "2024-06-23"


def test_fields_are_taken_from_the_best_ranked_record_and_lists_united():
    feed = rec("feed", title="T", comments="10 pages", pdf_url="https://arxiv.org/pdf/2401.00001",
               keywords=["Retrieval", "RAG"], url="https://arxiv.org/abs/2401.00001")
    bib = rec("bibtex", title="T", venue="NeurIPS 2024", comments="camera-ready",
              keywords=["rag", "Agents"], url="https://proceedings.example.org/paper/1",
              code_url="https://github.com/example/t")
    m = combine([bib, feed])
    assert (m.comments, m.venue, m.code_url) == ("10 pages", "NeurIPS 2024",
                                                 "https://github.com/example/t")
    assert m.keywords == ["Retrieval", "RAG", "Agents"]
    assert m.pdf_url == "https://arxiv.org/pdf/2401.00001"
    # the link is the best one that is not the arXiv page
    assert m.link == "https://proceedings.example.org/paper/1"


def test_a_record_with_only_an_id_gets_the_id_as_a_derived_title():
    m = combine([identify(rec("id-list", url="https://arxiv.org/abs/2406.15319"))])
    assert (m.title, m.title_derived, m.arxiv_id, m.month) == (
        "arXiv:2406.15319", True, "2406.15319", "2024-06")
    assert m.natural_key() == "2406.15319"
    old = combine([identify(rec("id-list", url="arXiv:hep-th/9901001"))])
    assert (old.arxiv_id, old.month) == ("hep-th/9901001", "1999-01")
