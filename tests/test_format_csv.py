"""CSV and TSV tables of papers: fixtures, the real files, --map, hostile input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import Document, csv_table
from tests.helpers import SEEDS, shared
from tests.test_format_json import REAL_LAYOUT, real_files

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "csv"


def read(path: Path | str, field_map=None) -> tuple[list[Record], Document]:
    doc = Document.from_path(path, field_map=field_map)
    return list(csv_table.parse(doc)), doc


def from_text(text: str, field_map=None) -> tuple[list[Record], Document]:
    doc = Document.from_text(text, field_map=field_map)
    return list(csv_table.parse(doc)), doc


def detect(path: Path) -> str:
    return sources.detect(Document.from_path(path).head)


# --- fixtures ------------------------------------------------------------------------------


def test_tsv_export():
    path = FIXTURES / "papers.tsv"
    assert detect(path) == "csv"
    assert csv_table.dialect(Document.from_path(path).head).delimiter == "\t"
    (attention, longrag, plain), doc = read(path)
    assert not doc.notices
    assert [r.line for r in (attention, longrag, plain)] == [2, 3, 4]
    assert (attention.arxiv_id, attention.arxiv_version) == ("1706.03762", 7)
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.categories == ["cs.CL", "cs.LG"]
    assert (attention.year, attention.published) == (2017, None)  # a year is no day
    assert longrag.authors == ["Ziyan Jiang", "Xueguang Ma", "Wenhu Chen"]
    assert longrag.categories == ["cs.CL"]  # "Computation and Language", by its code
    assert (plain.title, plain.arxiv_id, plain.authors) == ("A Row Without an Identifier",
                                                          None, [])
    assert plain.abstract.startswith("Fixture text: no id")


def test_semicolons_with_and_without_excels_sep_line():
    path = FIXTURES / "semicolon.csv"
    assert detect(path) == "csv"
    (first, second), _ = read(path)
    assert (first.line, second.line) == (3, 4)  # line 1 is `sep=;`, line 2 the header
    assert first.title.startswith("Efficient spherical harmonic transforms")  # not `titre`
    assert first.authors == ["Nathanaël Schaeffer"]
    assert (first.doi, first.venue) == ("10.1002/ggge.20071",
                                        "Geochemistry, Geophysics, Geosystems")
    assert first.abstract == "Fixture text, with commas, and a decimal comma: 3,5 % faster."
    assert second.abstract == "Fixture text; a semicolon inside quotes."
    assert second.authors == ["Ashish Vaswani"] and second.doi is None
    without = path.read_text(encoding="utf-8").split("\n", 1)[1]
    assert csv_table.dialect(without).delimiter == ";"
    records, _ = from_text(without)
    assert [(r.line, r.title) for r in records] == [(2, first.title), (3, second.title)]


def test_quoted_multi_line_fields_and_crlf():
    path = FIXTURES / "multiline-crlf.csv"
    assert b"\r\n" in path.read_bytes()
    assert detect(path) == "csv"
    (longrag, gnn, blog), doc = read(path)
    assert not doc.notices
    assert [r.line for r in (longrag, gnn, blog)] == [2, 5, 8]
    assert longrag.abstract == ('Fixture text over two lines, joined with a CRLF inside the '
                                'quotes; and "quoted" words.')
    assert (longrag.arxiv_id, longrag.arxiv_version, longrag.published) == \
        ("2406.15319", 2, "2024-06-21")
    assert longrag.authors == ["Ziyan Jiang", "Xueguang Ma", "Wenhu Chen"]
    assert gnn.abstract == "We present GNN-RAG, fixture text with a blank line inside the field."
    assert (gnn.arxiv_id, gnn.published, gnn.title_is_name) == ("2405.20139", "2024-05-30",
                                                               True)
    assert gnn.authors == ["Costas Mavromatis", "George Karypis"]
    # A row that is not a paper (no arXiv id, no DOI, a blog link) is still a record:
    # paperdeck does not guess what a page is from its host; it keeps the link.
    assert (blog.title, blog.arxiv_id, blog.url) == (
        "A Blog Post That Is Not a Paper", None, "https://example.org/blog/2024/06/why-rag")
    assert blog.published == "2024-06-30" and blog.authors == []


def test_a_digests_own_words_are_its_summary_not_the_abstract():
    text = ("Title,Description,PaperURL,Abstract\n"
            "Llemma,an LLM for maths,https://arxiv.org/abs/2310.10631,"
            "\"We present Llemma, a model.\"\n"
            "A Longer Real Title Here,a pitch,https://arxiv.org/abs/2310.00001,An abstract.\n")
    (llemma, longer), _ = from_text(text)
    assert (llemma.abstract, llemma.summary) == ("We present Llemma, a model.", "an LLM for maths")
    assert llemma.title_is_name and not longer.title_is_name
    # without an abstract column, `summary` is the abstract (the ai-curator export)
    records, _ = from_text("title,url,summary\nA Paper Title,https://arxiv.org/abs/2401.00001,"
                           "The abstract.\nSecond Paper,,Its abstract.\n")
    assert [(r.abstract, r.summary) for r in records] == [("The abstract.", None),
                                                          ("Its abstract.", None)]


# --- the real files ----------------------------------------------------------------------


def test_real_ai_curator_snapshot():
    path = shared("realworld") / "ai-curator_snapshot_2025-09-09.csv"
    assert detect(path) == "csv"
    records, doc = read(path)
    assert len(records) == 217 and not doc.notices
    arxiv = [r for r in records if r.arxiv_id]
    assert len(arxiv) == len({r.arxiv_id for r in arxiv}) == 195
    [first] = [r for r in records if r.arxiv_id == "2509.05359"]
    assert (first.published, first.year, first.arxiv_version) == ("2025-09-09", 2025, 1)
    # the arXiv RSS text around the abstract ("arXiv:... Announce Type: new Abstract:") is gone
    assert first.abstract.startswith("This paper investigates discrete unit representations")
    assert not any("Announce Type" in r.abstract for r in records)
    # The 22 blog and news rows are records too (the decision: a row with a title and a
    # link is kept; nothing tells a paper from a page by its host), with their link.
    others = [r for r in records if not r.arxiv_id]
    assert len(others) == 22
    assert all(r.url and r.url.startswith("https://") and r.title and r.abstract
               for r in others)
    assert {r.url.split("/")[2] for r in others} == {"techcrunch.com",
                                                     "www.technologyreview.com"}


def test_real_dair_ai_papers_of_the_week():
    path = shared("realworld") / "dair-ai_ml-potw_2023-10-23.csv"
    assert detect(path) == "csv"
    records, doc = read(path)
    assert len(records) == 420 and not doc.notices
    assert len({r.arxiv_id for r in records if r.arxiv_id}) == 386
    [llemma] = [r for r in records if r.title == "Llemma"]
    assert (llemma.arxiv_id, llemma.line, llemma.title_is_name) == ("2310.10631", 2, True)
    assert llemma.abstract.startswith("We present Llemma, a large language model for "
                                      "mathematics.")
    assert llemma.summary.startswith("an LLM for mathematics which is based on continued "
                                     "pretraining from Code Llama")
    assert not any(r.abstract and r.abstract == r.summary for r in records)
    assert not any(r.url and "x.com" in r.url for r in records)  # TweetURL is no link of it
    [code_llama] = [r for r in records if r.title == "Code Llama"]
    assert code_llama.arxiv_id is None and code_llama.url.startswith("https://ai.meta.com/")
    lines = [r.line for r in records]
    assert lines == sorted(set(lines))


def test_every_foreign_real_file_is_refused_when_forced_as_csv():
    for path in real_files():
        if REAL_LAYOUT.get(path.name) == "csv":
            continue
        text, _ = sources.decode(path.read_bytes())
        with pytest.raises(DigestError) as err:
            sources.parse(text, "csv")
        assert err.value.line is not None or "no paper records" in str(err.value), path.name


def test_markdown_tables_and_bibtex_are_not_csv():
    for seed in SEEDS:
        assert csv_table.sniff(seed.read_text(encoding="utf-8")[: sources.HEAD_CHARS]) == 0.0
    table = "| title | abstract |\n|---|---|\n| A, B | C, D |\n| E, F | G, H |\n"
    bib = "@article{key,\n  title = {A, Title},\n  author = {A and B},\n}\n"
    assert csv_table.sniff(table) == 0.0 and csv_table.sniff(bib) == 0.0


# --- --map -------------------------------------------------------------------------------


def test_columns_nobody_can_guess_and_the_map():
    text = "Headline,Text,Score\nA Mapped Title,Its abstract.,3\nAnother One,More text.,4\n"
    assert csv_table.sniff(text) == 0.0  # no column says "paper": not detected as CSV
    with pytest.raises(DigestError) as err:
        from_text(text)
    assert "columns: Headline, Text, Score" in str(err.value)
    assert "--map title=COLUMN --map abstract=COLUMN" in str(err.value)
    assert err.value.line == 1
    records, _ = from_text(text, field_map={"title": "Headline", "abstract": "text"})
    assert [(r.title, r.abstract, r.line) for r in records] == [
        ("A Mapped Title", "Its abstract.", 2), ("Another One", "More text.", 3)]
    with pytest.raises(DigestError, match=r"--map title=Name: no such column in the header "
                                          r"row \(columns: Headline, Text, Score\)"):
        from_text(text, field_map={"title": "Name"})
    with pytest.raises(DigestError, match="unknown field 'body'"):
        from_text(text, field_map={"body": "Text"})


# --- hostile input ------------------------------------------------------------------------


def test_a_million_columns(tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text("title," + ",".join(f"c{i}" for i in range(1_000_000)) + "\nT,1\n")
    doc = Document.from_path(f)
    assert csv_table.sniff(doc.head) == 0.0
    with pytest.raises(DigestError, match=r"a header row of more than [\d,]{6} columns; a table "
                                          "of papers has at most 1,000") as err:
        list(csv_table.parse(doc))
    assert err.value.line == 1
    # a row of a million fields under a sane header is passed over, the rest read
    f.write_text("title,abstract\nA Title,Text.\n" + "x," * 1_000_000 + "\nB Title,More.\n")
    records, doc = read(f)
    assert [r.line for r in records] == [2, 4]
    [(line, message)] = doc.notices
    assert line == 3 and message == "a row of 1,000,001 fields under a header of 2: passed over"


def test_a_fifty_megabyte_field_is_refused_with_its_line(tmp_path):
    f = tmp_path / "huge.csv"
    f.write_text("title,abstract\nFine,Ok.\nHuge," + "x" * 50_000_000 + "\n")
    # Document.lines() refuses a line longer than any record before the layout sees it
    with pytest.raises(DigestError, match=r"a line of (more than )?[\d,]+ characters") as err:
        read(f)
    assert err.value.line == 3
    # the same field quoted over many lines: csv's field limit names where it starts
    f.write_text('title,abstract\nFine,Ok.\nHuge,"' + ("x" * 999 + "\n") * 50_000 + '"\n')
    with pytest.raises(DigestError, match="a field of more than 131,072 characters") as err:
        read(f)
    assert err.value.line == 3


def test_a_quote_left_open_is_refused_where_the_row_starts():
    text = 'title,abstract\nFine,Ok.\nOpen,"never closed\nand the file ends\n'
    with pytest.raises(DigestError, match="ends inside a quoted field .* cut short") as err:
        from_text(text)
    assert err.value.line == 3
    # a stray inch mark in an unquoted last field is not a cut file
    records, _ = from_text('title,abstract\nA 12" Display,Text.\nB Title,Its 7" screen\n')
    assert [r.abstract for r in records] == ["Text.", 'Its 7" screen']


def test_latin1_and_bom(tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes("title,abstract\nCaf\u00e9 Models,R\u00e9sum\u00e9.\n".encode("latin-1"))
    [r], doc = read(f)  # not UTF-8 but Western text: read as Windows-1252 (issue 9)
    assert (r.title, r.abstract, doc.replaced) == ("Caf\u00e9 Models", "R\u00e9sum\u00e9.", 0)
    assert doc.encoding == "cp1252"
    f.write_bytes(b"\xef\xbb\xbf" + "title;abstract\r\nCafé;Un résumé.\r\n".encode())
    assert detect(f) == "csv"
    [r], doc = read(f)
    assert (r.title, r.abstract, doc.replaced) == ("Café", "Un résumé.", 0)


def test_header_only_and_blank_rows():
    with pytest.raises(DigestError, match="no paper records"):
        sources.parse("title,abstract\n\n\n", "csv")
    records, _ = from_text("title,abstract\n\nA Title,Text.\n,\n\nB Title,More.\n")
    assert [r.line for r in records] == [3, 6]


# --- fuzzing -------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def records_or_digest_error(text: str) -> None:
    assert 0.0 <= csv_table.sniff(text) <= 1.0
    try:
        records, _ = from_text(text)
    except DigestError as exc:
        assert str(exc)
        return
    assert all(isinstance(r, Record) and r.layout == "csv" for r in records)


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    records_or_digest_error(text)


CELL = st.text(alphabet='ab ,;\t"\n\r|-:2024.xyz', max_size=12)


@FUZZ
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=8),
       st.sampled_from([",", ";", "\t"]),
       st.lists(st.sampled_from(["title", "abstract", "url", "authors", "x", "Date"]),
                min_size=1, max_size=5))
def test_fuzz_any_table(rows, delimiter, header):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    records_or_digest_error(out.getvalue())


WORD = st.builds(lambda a, b: a + b, st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEÉü"),
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789éü-'\"", max_size=9))
PAPER = st.tuples(st.lists(WORD, min_size=4, max_size=8).map(" ".join),
                  st.lists(WORD | st.just("\n") | st.just(","), min_size=1, max_size=30)
                  .map(" ".join),
                  st.lists(st.tuples(WORD, WORD).map(" ".join), max_size=4))


@FUZZ
@given(st.lists(PAPER, min_size=1, max_size=6), st.sampled_from([",", ";", "\t"]),
       st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), st.sampled_from(["\n", "\r\n"]))
def test_papers_written_as_csv_read_back(papers, delimiter, quoting, end):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=end)
    writer.writerow(["Title", "Abstract", "Authors"])
    starts, line = [], 2
    for title, abstract, authors in papers:
        writer.writerow([title, abstract, "; ".join(authors)])
        starts.append(line)
        line += abstract.count("\n") + 1
    records, _ = from_text(out.getvalue())
    assert [(r.title, r.abstract, r.authors, r.line) for r in records] == [
        (t, " ".join(a.split()), au, n) for (t, a, au), n in zip(papers, starts, strict=True)]


def test_zotero_csv_export():
    """Zotero's "Export Collection... CSV": forty-odd columns, 'Abstract Note',
    'Publication Year', authors as 'Last, First; Last, First', the arXiv id in the URL
    or the DOI 10.48550/arXiv.ID, or nowhere."""
    path = FIXTURES / "zotero-export.csv"
    assert sources.detect(Document.from_path(path).head) == "csv"
    (llama, nature, attention), doc = read(path)
    assert not doc.notices
    assert llama.title == "LLaMA: Open and Efficient Foundation Language Models"
    assert llama.arxiv_id == "2302.13971" and llama.published == "2023-02-27"
    assert llama.authors[:2] == ["Hugo Touvron", "Thibaut Lavril"] and len(llama.authors) == 4
    assert llama.abstract.startswith("We introduce LLaMA")
    assert (nature.doi, nature.venue, nature.published) == (
        "10.1038/nature14539", "Nature", "2015-05")
    assert nature.authors == ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]
    assert attention.arxiv_id is None and attention.year == 2017
    assert attention.venue == "Advances in Neural Information Processing Systems"
