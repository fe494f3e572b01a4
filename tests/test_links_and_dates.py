"""arXiv ids in any link, DOIs, and dates as sources print them (index/links.py, sources/dates.py)."""

from __future__ import annotations

import pytest

from paperdeck.index.links import arxiv_id_of_doi, arxiv_month_of, find_arxiv_id, normalise_doi
from paperdeck.index.sources.dates import iso_date


@pytest.mark.parametrize("text, expected", [
    ("https://arxiv.org/abs/2406.15319", ("2406.15319", None)),
    ("https://arxiv.org/pdf/2406.15319v2", ("2406.15319", 2)),
    ("https://arxiv.org/pdf/2406.15319v2.pdf", ("2406.15319", 2)),
    ("https://arxiv.org/html/2406.15319v1#S2", ("2406.15319", 1)),
    ("http://export.arxiv.org/abs/1312.6114v10", ("1312.6114", 10)),
    ("https://huggingface.co/papers/2512.07461", ("2512.07461", None)),
    ("https://www.alphaxiv.org/abs/2401.00001", ("2401.00001", None)),
    ("https://doi.org/10.48550/arXiv.2310.10631", ("2310.10631", None)),
    ("arXiv:2509.05359v1 Announce Type: new", ("2509.05359", 1)),
    ("arXiv preprint arXiv:1706.03762", ("1706.03762", None)),
    ("https://arxiv.org/abs/hep-th/9901001v3", ("hep-th/9901001", 3)),
    ("https://arxiv.org/abs/math.ag/0601001", ("math.AG/0601001", None)),
    ("quant-ph/0301001", ("quant-ph/0301001", None)),
    ("1402.6711", ("1402.6711", None)),
    ("the 2406.15319 paper", ("2406.15319", None)),
])
def test_an_arxiv_id_is_found_wherever_a_source_writes_it(text, expected):
    assert find_arxiv_id(text) == expected


@pytest.mark.parametrize("text", [
    "version 1.2.3", "see hep-th/9901001 above",  # an old id only counts alone or in a link
    "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2403.05135.png",
    "10.1002/ggge.20071", "2406.153191", "1713.00001", "", None,
])
def test_what_is_not_an_arxiv_id(text):
    assert find_arxiv_id(text) is None


def test_a_bare_id_counts_only_when_asked():
    assert find_arxiv_id("2406.15319", bare=False) is None
    assert find_arxiv_id("arxiv.org/abs/2406.15319", bare=False) == ("2406.15319", None)


def test_dois_and_the_arxiv_doi():
    assert normalise_doi("https://doi.org/10.1002/GGGE.20071.") == "10.1002/ggge.20071"
    assert normalise_doi("doi:10.1145/3442188.3445922, p. 3") == "10.1145/3442188.3445922"
    assert normalise_doi("no doi here") is None
    assert arxiv_id_of_doi("10.48550/arXiv.2310.10631") == ("2310.10631", None)
    assert arxiv_id_of_doi("10.1002/ggge.20071") is None


def test_the_month_an_id_was_submitted():
    assert arxiv_month_of("2406.15319") == "2024-06"
    assert arxiv_month_of("hep-th/9901001") == "1999-01"
    assert arxiv_month_of("cond-mat/0102536") == "2001-02"
    assert arxiv_month_of("nonsense") is None


@pytest.mark.parametrize("text, expected", [
    ("Tue, 09 Sep 2025 08:39:16 +0000", "2025-09-09"),  # RSS (RFC 822)
    ("2025-09-09T04:00:00Z", "2025-09-09"),  # Atom (ISO 8601)
    ("2025-09-09 04:00:00+0000", "2025-09-09"),
    ("Mar 8, 2024", "2024-03-08"),
    ("8 Mar 2024", "2024-03-08"),
    ("Sept 3, 2021", "2021-09-03"),
    ("Submitted 2 December, 2025;", "2025-12-02"),
    ("(Submitted on 17 Jun 2013)", "2013-06-17"),
    ("Thu 22 Jan 26 19:00:00 GMT", "2026-01-22"),  # the arXiv e-mail's two-digit year
    ("March 2024", "2024-03"),
    ("2013-03", "2013-03"),
    ("2013", "2013"),
])
def test_dates_read_at_the_precision_they_carry(text, expected):
    assert iso_date(text) == expected


@pytest.mark.parametrize("text", ["2024-13-01", "Jun 31, 2024", "Jun 29", "may", "1234", "", None])
def test_what_is_not_a_date(text):
    assert iso_date(text) is None
