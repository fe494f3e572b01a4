"""The id-list layout: a plain list of arXiv ids or paper URLs, one a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, id_list

IDS = Path(__file__).resolve().parent / "fixtures" / "markdown" / "ids.txt"


def read(text: str):
    return list(id_list.parse(Document.from_text(text)))


def test_ids_urls_comments_and_list_markers():
    text = IDS.read_text()
    assert sources.detect(text) == "id-list"
    recs = read(text)
    assert [(r.line, r.arxiv_id, r.arxiv_version, r.doi) for r in recs] == [
        (2, "2406.15319", None, None),
        (3, "2403.05135", 2, None),
        (4, "1706.03762", 7, None),
        (6, "2406.04692", None, None),  # after a list marker
        (7, "2312.00752", None, None),
        (8, "hep-th/9901001", None, None),  # old style; a trailing # comment
        (9, None, None, "10.1145/3442188.3445922"),
        (10, "2106.09685", None, None),  # arXiv's own DOI names the id
        # line 11 names 2406.15319 again: one record
    ]
    assert all(r.title is None and r.abstract == "" and r.layout == "id-list" for r in recs)
    assert recs[6].url == "https://doi.org/10.1145/3442188.3445922"


def test_one_id_is_a_list_of_one():
    assert id_list.sniff("2406.15319\n") > sources.THRESHOLD
    assert sources.detect("2406.15319\n") == "id-list"
    [rec] = read("arXiv:2406.15319v3\n")
    assert (rec.arxiv_id, rec.arxiv_version) == ("2406.15319", 3)


@pytest.mark.parametrize("text, line", [
    ("2406.15319 | Long retrieval units help.\n", 1),  # the arXiv dump's rows
    ("# notes\nSome prose about 2406.15319.\n2406.15320\n", 2),
    ("2406.15319\nfirst thoughts\nsecond thoughts\nthird thoughts\n", 2),  # ids, then prose
    ("https://github.com/example/repo\n", 1),  # a URL, but to no paper
])
def test_what_is_not_a_list_of_ids_is_refused_where_it_stops_fitting(text, line):
    assert id_list.sniff(text) < sources.THRESHOLD
    with pytest.raises(DigestError, match="not a list of ids") as err:
        read(text)
    assert err.value.line == line


def test_a_stray_line_among_many_ids_is_passed_over_with_a_notice():
    text = "".join(f"2406.{15300 + i}\n" for i in range(12)) + "see also the survey\n"
    assert id_list.sniff(text) > sources.THRESHOLD
    doc = Document.from_text(text)
    assert len(list(id_list.parse(doc))) == 12
    assert [(n.line, n.message) for n in doc.notices] == [
        (13, "not an arXiv id or a paper URL: passed over")]


def test_nothing_but_comments_is_refused():
    with pytest.raises(DigestError, match="no arXiv ids"):
        read("# nothing yet\n\n# still nothing\n")


def test_latin1_bytes_and_a_bom_do_not_get_in_the_way(tmp_path):
    f = tmp_path / "ids.txt"
    f.write_bytes(b"\xef\xbb\xbf# lectures de la semaine \xe9t\xe9\n2406.15319\n")
    doc = Document.from_path(f)
    assert sources.detect(doc.head) == "id-list"
    assert [r.arxiv_id for r in id_list.parse(doc)] == ["2406.15319"]
