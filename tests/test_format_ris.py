"""The RIS layout (index/sources/ris.py): Zotero and EndNote styles, hostile files."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import ris
from paperdeck.index.sources.document import Document
from tests.helpers import ROOT, SEEDS
from tests.test_format_bibtex import OUR_LAYOUTS, shared_files

FIXTURES = ROOT / "tests" / "fixtures" / "ris"


def read(path) -> tuple[list[Record], Document]:
    doc = Document.from_path(path)
    return list(ris.parse(doc)), doc


def read_text(text: str) -> tuple[list[Record], Document]:
    doc = Document.from_text(text)
    return list(ris.parse(doc)), doc


def record(*lines: str, end: bool = True) -> str:
    return "\n".join(["TY  - JOUR", *lines, *(["ER  - "] if end else [])]) + "\n"


def test_zotero_style():
    raw = (FIXTURES / "zotero.ris").read_bytes()
    assert b"\r\n" in raw  # Zotero writes CRLF, a blank line between records
    records, doc = read(FIXTURES / "zotero.ris")
    assert [r.line for r in records] == [1, 21, 34]
    attention, workshop, book = records
    assert attention.title == "Attention Is All You Need"
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert (attention.arxiv_id, attention.doi) == ("1706.03762", "10.48550/arxiv.1706.03762")
    assert (attention.published, attention.year) == ("2017-06-12", 2017)  # DA, not Y2 (accessed)
    assert attention.venue is None  # T2 = "arXiv:1706.03762 [cs]" names no venue
    assert attention.abstract.startswith("Sequence transduction models were built")
    assert attention.comments == "Comment: 15 pages, 5 figures"  # N1, its HTML taken off
    assert attention.pdf_url == "https://arxiv.org/pdf/1706.03762v7.pdf"
    assert attention.url is None
    assert attention.keywords == ["Computer Science - Computation and Language",
                                  "Computer Science - Machine Learning"]
    assert workshop.authors == ["Jürgen Müller", "Åse Øster"]
    assert (workshop.venue, workshop.published) == (
        "Proceedings of the Workshop on Efficient Models", "2021-06-17")
    assert workshop.url == "https://example.org/workshop/2021/mueller"
    assert (book.title, book.year, book.published, book.venue) == (
        "Reinforcement Learning: An Introduction", 2018, None, None)
    assert not doc.notices
    assert all(r.layout == "ris" and not r.title_is_name for r in records)


def test_endnote_style():
    records, doc = read(FIXTURES / "endnote.ris")
    assert [r.line for r in records] == [1, 19, 28]  # no blank lines, `ER  -` without a space
    transforms, scaling, angular = records
    assert transforms.title.startswith("Efficient spherical harmonic transforms")
    assert transforms.authors == ["N. Schaeffer"] and transforms.published == "2013-03-08"
    assert transforms.abstract == (
        "Spectral transforms on the sphere are the bottleneck of many simulations. This "
        "abstract was wrapped by the exporting program onto a second line and a third one, "
        "as the old specification allows for long fields.")
    assert transforms.venue == "Geochemistry, Geophysics, Geosystems"  # JF before JA
    assert transforms.doi == "10.1002/ggge.20071"  # from M3, where EndNote put it
    assert transforms.comments is None
    assert transforms.keywords == ["spherical harmonics", "fast transforms", "geodynamo"]
    assert (scaling.arxiv_id, scaling.arxiv_version, scaling.year) == ("2001.08361", 1, 2020)
    assert scaling.published is None and scaling.comments is None  # N1 = "arXiv: ID"
    assert angular.authors[-1] == "Reinhard F. Werner Jr."
    assert (angular.published, angular.venue) == ("2015-09", "New Journal of Physics")
    assert not doc.notices


@pytest.mark.parametrize(("tags", "published", "year"), [
    (["PY  - 2013/03/08/"], "2013-03-08", 2013),
    (["PY  - 2013/03//"], "2013-03", 2013),
    (["PY  - 2013///Spring"], None, 2013),
    (["Y1  - 2013"], None, 2013),
    (["PY  - 1948", "DA  - July"], "1948-07", 1948),
    (["DA  - 2012/09/01", "PY  - 2012"], "2012-09-01", 2012),
    (["DA  - 2024-03-08"], "2024-03-08", 2024),
    (["Y2  - 2024/01/15/"], None, None),
])
def test_dates(tags, published, year):
    (rec,) = read_text(record("TI  - Dated", *tags))[0]
    assert (rec.published, rec.year) == (published, year)


@pytest.mark.parametrize(("tags", "arxiv"), [
    (["UR  - https://arxiv.org/abs/2106.09685v2"], ("2106.09685", 2)),
    (["L1  - https://arxiv.org/pdf/2106.09685"], ("2106.09685", None)),
    (["L2  - http://arxiv.org/abs/2106.09685"], ("2106.09685", None)),
    (["DO  - 10.48550/arXiv.2106.09685"], ("2106.09685", None)),
    (["N1  - arXiv:2106.09685 [cs.CL]"], ("2106.09685", None)),
    (["JO  - arXiv preprint arXiv:2106.09685"], ("2106.09685", None)),
    (["UR  - https://example.org/2106.09685"], None),
])
def test_the_arxiv_id_in_links_and_notes(tags, arxiv):
    (rec,) = read_text(record("TI  - Linked", *tags))[0]
    assert ((rec.arxiv_id, rec.arxiv_version) if rec.arxiv_id else None) == arxiv


def test_title_and_author_tags():
    (rec,) = read_text(record("T1  - Primary Title", "TI  - Second Title", "A1  - Doe, Jane",
                              "AU  - Roe, R.", "AU  - Plato", "AU  - van der Berg, Anna"))[0]
    assert rec.title == "Second Title"  # TI before T1, whatever their order
    assert rec.authors == ["Jane Doe", "R. Roe", "Plato", "Anna van der Berg"]


# --- detection -----------------------------------------------------------------------------


def test_detection_by_content_over_every_real_file():
    for path in [*shared_files(), *SEEDS]:
        head = Document.from_path(path).head
        assert ris.sniff(head) <= sources.THRESHOLD, path.name
        try:
            assert sources.detect(head) in OUR_LAYOUTS - {"ris"} or path.suffix != ".bib"
            assert sources.detect(head) != "ris", path.name
        except DigestError:
            pass  # a format no layout of this branch reads yet


def test_the_fixtures_are_told_apart():
    for path in FIXTURES.glob("*.ris"):
        assert sources.detect(Document.from_path(path).head) == "ris", path.name
    for path in (ROOT / "tests" / "fixtures" / "bibtex").glob("*.bib"):
        assert ris.sniff(Document.from_path(path).head) == 0.0, path.name


def test_forcing_ris_on_a_foreign_file_is_refused():
    for path in [*shared_files(), *SEEDS, *(ROOT / "tests" / "fixtures" / "bibtex").glob("*")]:
        with pytest.raises(DigestError) as caught:
            list(ris.parse(Document.from_path(path)))
        assert caught.value.line is not None, path.name


def test_through_the_registry():
    records = sources.parse((FIXTURES / "endnote.ris").read_text())
    assert [r.year for r in records] == [2013, 2020, 2015]


# --- hostile files ---------------------------------------------------------------------------


def test_a_record_the_file_ends_inside_is_passed_over():
    text = record("TI  - Closed") + "\n" + record("TI  - Never Closed", "AB  - Cut sh", end=False)
    records, doc = read_text(text)
    assert [r.title for r in records] == ["Closed"]
    assert [(n.line, n.message) for n in doc.notices] == [
        (5, "the file ends inside this record (no ER line): it looks cut short; passed over")]
    with pytest.raises(DigestError, match="no RIS record could be read") as caught:
        read_text("\n" + record("TI  - Never Closed", end=False))
    assert caught.value.line == 2


def test_a_missing_er_before_the_next_record_reads_both():
    text = record("TI  - First", end=False) + record("TI  - Second")
    records, doc = read_text(text)
    assert [(r.line, r.title) for r in records] == [(1, "First"), (3, "Second")]
    assert doc.notices[0].line == 1 and "no ER line before the next record (line 3)" in (
        doc.notices[0].message)


def test_garbage_tags_and_stray_lines():
    text = (record("TI  - Kept", "ZZ  - an unknown tag", "Q9  - another") + "some stray text\n"
            + "XX  - a tag outside any record\n" + record("TI  - Also Kept") + "ER  - \n")
    records, doc = read_text(text)
    assert [r.title for r in records] == ["Kept", "Also Kept"]
    assert sorted((n.line, n.message) for n in doc.notices) == [
        (6, "2 line(s) that are neither a tag nor a wrapped value passed over (the first "
            "here)"),
        (11, "ER line outside any record; passed over"),
    ]


def test_rich_text_markup_is_taken_off():
    (rec,) = read_text(record("TI  - Growth of <i>E. coli</i> when x < y and y > z",
                              "AB  - <p>An &amp; abstract</p>"))[0]
    assert (rec.title, rec.abstract) == ("Growth of E. coli when x < y and y > z", "An & abstract")


def test_a_record_without_title_is_passed_over():
    records, doc = read_text(record("AU  - Doe, J.") + record("TI  - Titled"))
    assert [r.title for r in records] == ["Titled"]
    assert (doc.notices[0].line, doc.notices[0].message) == (
        1, "record has no title (TI or T1); passed over")


def test_many_stray_lines_are_not_ris():
    with pytest.raises(DigestError, match="not a RIS file") as caught:
        read_text(record("TI  - One") + "".join(f"prose line {i}\n" for i in range(30)))
    assert caught.value.line == 4


def test_latin1_bytes_a_bom_and_crlf(tmp_path):
    latin = tmp_path / "latin1.ris"
    latin.write_bytes("TY  - JOUR\r\nTI  - K\xf6ln\r\nAU  - M\xfcller, J.\r\nER  - \r\n"
                      .encode("latin-1"))
    (rec,), doc = read(latin)
    # Western text, not UTF-8: read as Windows-1252 (issue 9)
    assert (rec.title, rec.authors, doc.replaced) == ("K\u00f6ln", ["J. M\u00fcller"], 0)
    bom = tmp_path / "bom.ris"
    bom.write_bytes(b"\xef\xbb\xbf" + record("TI  - With a BOM").replace("\n", "\r\n").encode())
    assert sources.detect(Document.from_path(bom).head) == "ris"
    assert [r.title for r in read(bom)[0]] == ["With a BOM"]
    assert [r.title for r in read_text("\ufeff" + record("TI  - Text BOM"))[0]] == ["Text BOM"]


def test_most_records_without_a_paper_title_is_not_ris_of_papers():
    bad = "".join(record(f"TI  - https://example.org/{i}") for i in range(3))
    with pytest.raises(DigestError, match="not a RIS file of papers") as caught:
        read_text(bad + record("TI  - A Real Title"))
    assert caught.value.line == 1


RISISH = st.lists(st.sampled_from([
    "TY  - JOUR\n", "ER  - \n", "ER  -\n", "TI  - A title\n", "AU  - Doe, J.\n", "PY  - 2013/03/08/\n",
    "AB  - words\n", "continued words\n", "\n", "\r\n", "UR  - https://arxiv.org/abs/2106.09685\n",
    "ZZ  - junk\n", "TY - JOUR\n", "\ufeff", "DA  - July\n", "KW  - a; b\n", "TI  - \n"]),
    max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(RISISH, st.text(max_size=300)))
def test_any_text_gives_records_or_a_digest_error(text):
    try:
        records, _ = read_text(text)
    except DigestError:
        return
    assert records and all(isinstance(r, Record) and r.title and r.line >= 1 for r in records)
