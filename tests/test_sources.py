"""The five importers against the real sample digests, detection, decoding, and fuzzing."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import (
    Document,
    arxiv_dump,
    base,
    daily_papers,
    podcast,
    trending,
    weekly_picks,
)

SAMPLES = Path(__file__).resolve().parent.parent / "index" / "samples"
SEEDS = {
    "podcast": ("000_70e328bd18cafc19.txt", 20),
    "arxiv-dump": ("001_003d3115494660d1.txt", 95),
    "weekly-picks": ("002_6315ac4b7056192c.txt", 100),
    "daily-papers": ("003_f0c038e10eb61851.txt", 143),
    "trending": ("004_3784366c2b3939e3.txt", 292),
}
TEXT = {name: (SAMPLES / file).read_text(encoding="utf-8") for name, (file, _) in SEEDS.items()}


def read(layout, text: str) -> list[Record]:
    """All the records one layout reads from `text` (its parse() may be a generator)."""
    return list(layout.parse(Document.from_text(text)))


RECORDS = {name: read(sources.LAYOUTS[name], text) for name, text in TEXT.items()}


def by_title(layout: str, start: str) -> Record:
    [rec] = [r for r in RECORDS[layout] if r.title and r.title.startswith(start)]
    return rec


# --- every seed ------------------------------------------------------------------


@pytest.mark.parametrize("layout", list(SEEDS))
def test_seed_record_count_and_bookkeeping(layout):
    records = RECORDS[layout]
    assert len(records) == SEEDS[layout][1]
    n_lines = TEXT[layout].count("\n") + 1
    assert all(r.layout == layout for r in records)
    lines = [r.line for r in records]
    assert lines == sorted(set(lines)) and 1 <= lines[0] and lines[-1] <= n_lines


@pytest.mark.parametrize("layout", list(SEEDS))
def test_seed_debris_is_gone(layout):
    for r in RECORDS[layout]:
        assert r.abstract and r.abstract == r.abstract.strip()
        assert not r.abstract.endswith("|")
        assert "\n" not in r.abstract and "  " not in r.abstract
        if r.title is not None:
            assert r.title == " ".join(r.title.split()) and "\n" not in r.title


@pytest.mark.parametrize("layout", list(SEEDS))
def test_seed_detected_as_its_layout(layout):
    assert sources.detect(TEXT[layout]) == layout
    assert len(sources.parse(TEXT[layout])) == SEEDS[layout][1]


# --- podcast (000) ----------------------------------------------------------------


def test_podcast_title_authors_year():
    r = by_title("podcast", "BitDelta")
    assert r.title == "BitDelta: Your Fine-Tune May Only Be Worth One Bit"
    assert r.year == 2024 and r.line == 19
    assert r.authors == ["James Liu", "Guangxuan Xiao", "Kai Li", "Jason D. Lee", "Song Han",
                         "Tri Dao", "Tianle Cai"]
    assert r.abstract.endswith("showcasing minimal performance degradation over all tested settings.")
    assert "2024:" not in r.abstract


def test_podcast_trailer_running_into_keywords():
    r = by_title("podcast", "Parameter-Efficient Transfer Learning for NLP")
    assert r.year == 2019
    assert r.authors == ["N. Houlsby", "A. Giurgiu", "Stanislaw Jastrzebski", "Bruna Morrone",
                         "Quentin de Laroussilhe", "Andrea Gesmundo", "Mona Attariyan", "S. Gelly"]
    assert r.abstract.endswith("fine-tuning trains 100% of the parameters per task.")
    for r in RECORDS["podcast"]:
        assert "2019: N. Houlsby" not in r.abstract and "Benchmark (computing)" not in r.abstract


def test_podcast_header_is_not_a_record():
    assert not any(r.title.startswith(("Papers Read", "Keeping you", "Education"))
                   for r in RECORDS["podcast"])
    assert all(r.year and r.authors for r in RECORDS["podcast"])
    assert by_title("podcast", "Who’s Harry Potter").authors == ["Ronen Eldan", "M. Russinovich"]


def test_podcast_prose_year_is_not_a_trailer():
    assert podcast.split_trailer("In 2023: we show this.") == ("In 2023: we show this.", None, [])
    text = "Show\n\nA Title\n\nAbstract text. 2021: Ada Lovelace, Alan M. Turing\n"
    [r] = read(podcast, text)
    assert (r.title, r.year, r.authors, r.line) == ("A Title", 2021,
                                                    ["Ada Lovelace", "Alan M. Turing"], 3)


# --- arXiv dump (001) ---------------------------------------------------------------


def test_arxiv_dump_ids_versions_and_wrapping():
    recs = RECORDS["arxiv-dump"]
    assert all(r.title is None for r in recs)
    assert (recs[0].arxiv_id, recs[0].arxiv_version, recs[0].line) == ("2112.09332", None, 4)
    [reflexion] = [r for r in recs if r.arxiv_id == "2303.11366"]
    assert reflexion.arxiv_version == 1 and reflexion.line == 14
    # 18 wrapped lines joined with single spaces, glued words left alone
    assert "as goal-driven agents. However, it remains challenging" in reflexion.abstract
    assert "We proposeReflexion, a novel framework" in reflexion.abstract
    assert reflexion.abstract.endswith("We release all code, demos, and datasets at")


def test_arxiv_dump_header_debris_and_duplicate_id():
    recs = RECORDS["arxiv-dump"]
    assert not any("stringlengths" in r.abstract or r.abstract.startswith("abstract")
                   for r in recs)
    dup = [r for r in recs if r.arxiv_id == "2201.12288"]
    assert [(r.line, r.arxiv_version) for r in dup] == [(215, None), (216, 2)]
    # footnote debris: only the table pipe goes
    assert any(r.abstract.endswith("pretraining methods.111") for r in recs)
    assert any("paralleization is impossible" in r.abstract for r in recs)


def test_arxiv_dump_crlf_and_refusals():
    text = "id\r\n2406.15319v2 | First line\r\n  wrapped here. |\r\n2406.00001 | |\r\n"
    [r] = read(arxiv_dump, text)
    assert (r.arxiv_id, r.arxiv_version, r.line, r.abstract) == (
        "2406.15319", 2, 2, "First line wrapped here.")
    with pytest.raises(DigestError, match="no 'ARXIVID"):
        read(arxiv_dump, "stringlengths 9\n| abstract\n")


# --- weekly picks (002) ---------------------------------------------------------------


def test_weekly_picks_fields():
    r = by_title("weekly-picks", "LongRAG")
    assert r.title == "LongRAG: Enhancing Retrieval-Augmented Generation with Long-context LLMs"
    assert (r.week, r.categories, r.arxiv_id, r.arxiv_version) == (
        "2024-06-30", ["cs.CL"], "2406.15319", None)
    g = by_title("weekly-picks", "GraphReader")
    assert (g.arxiv_id, g.arxiv_version, g.line) == ("2406.14550", 1, 4)
    recs = RECORDS["weekly-picks"]
    weeks = sorted({r.week for r in recs})
    assert len(weeks) == 13 and weeks[0] == "2024-04-07" and weeks[-1] == "2024-06-30"
    assert sum(r.categories == ["eess.AS"] for r in recs) == 1
    assert all(r.arxiv_id for r in recs)
    assert any("Adam (i.e., $1/\\sqrt{v}$)." in r.abstract for r in recs)  # math kept
    assert any("$10.5\\%$" in r.abstract for r in recs)


WEEKLY_REORDERED = """Some notes before the table.

| Abstract | Paper-Link | TITLE | week |
|---|:---:|---|---|
| Uses a \\| pipe, and $x$. | [arxiv](https://arxiv.org/abs/2406.15319v3) | A   Title | 2024-06-30 |
| Raw | pipes | here. | no link | Another | not a date |
"""


def test_weekly_picks_columns_by_name_and_pipes():
    a, b = read(weekly_picks, WEEKLY_REORDERED)
    assert (a.title, a.abstract, a.line) == ("A Title", "Uses a | pipe, and $x$.", 5)
    assert (a.arxiv_id, a.arxiv_version, a.week, a.categories) == ("2406.15319", 3,
                                                                   "2024-06-30", [])
    # unescaped pipes can only be trusted to sit in the abstract
    assert (b.abstract, b.title, b.arxiv_id, b.week) == ("Raw | pipes | here.", "Another",
                                                         None, None)


def test_weekly_picks_refuses_tables_it_cannot_read():
    with pytest.raises(DigestError, match="title and abstract") as err:
        read(weekly_picks, "# Prices\n| item | price |\n|---|---|\n| tea | 2 |\n")
    assert err.value.line == 2
    with pytest.raises(DigestError, match="2 cells, the header has 3") as err:
        read(weekly_picks, "| title | abstract | week |\n|--|--|--|\n| a | b |\n")
    assert err.value.line == 3
    with pytest.raises(DigestError, match="no Markdown table"):
        read(weekly_picks, "just prose\n")


# --- daily papers (003) and trending (004) --------------------------------------------


def test_daily_papers_date_label_and_header():
    recs = RECORDS["daily-papers"]
    assert {r.date_label for r in recs} == {"Mar 11"}
    first = recs[0]
    assert first.title.startswith("One Eye is All You Need") and first.line == 11
    assert first.abstract.startswith("Gaze estimation has grown rapidly")
    assert not any(r.title in ("new", "Subscribe", "Mar 11") or "email inbox" in r.title
                   for r in recs)
    assert all(r.year is None for r in recs)  # no year is ever guessed


def test_daily_papers_later_date_line_relabels():
    text = "Mar 11\n\nT1\n\nAbstract one.\n\nMar 10\n\nT2\n\nAbstract two.\n"
    assert [(r.title, r.date_label) for r in read(daily_papers, text)] == [
        ("T1", "Mar 11"), ("T2", "Mar 10")]


def test_trending_subscribe_glued_title_fixed():
    recs = RECORDS["trending"]
    assert recs[0].title == "Stealing User Prompts from Mixture of Experts"
    assert recs[0].line == 3
    assert recs[0].abstract.startswith("Mixture-of-Experts (MoE) models improve")
    assert not any("Subscribe" in r.title or "email inbox" in r.title for r in recs)
    assert recs[-1].title == "Open Sentence Embeddings for Portuguese with the Serafim PT* encoders family"


def test_misaligned_title_abstract_is_refused_with_line():
    long = "x " * 400
    with pytest.raises(DigestError, match="expected a paper title") as err:
        read(trending, f"Title\n{long}\n{long}\nTitle 2\n")
    assert err.value.line == 3


# --- detection and forcing ------------------------------------------------------------


def test_plain_text_is_refused_clearly():
    text = "Shopping list\n\nmilk\neggs\n\nCall Anna about the weekend.\n"
    with pytest.raises(DigestError) as err:
        sources.detect(text)
    msg = str(err.value)
    assert msg.startswith("not a paper list paperdeck knows")
    assert all(name in msg for name in sources.layout_names())
    assert "--format NAME" in msg and "--map FIELD=KEY" in msg
    with pytest.raises(DigestError, match="not a paper list"):
        sources.parse(text)


def test_forcing_a_layout():
    # one short paper is too little for detection, but forcing reads it
    text = "A Small Paper\nIt has a short abstract.\n"
    with pytest.raises(DigestError):
        sources.detect(text)
    [r] = sources.parse(text, layout="trending")
    assert (r.layout, r.title, r.abstract) == ("trending", "A Small Paper",
                                               "It has a short abstract.")
    # forcing the wrong layout is refused by that importer, not misread
    with pytest.raises(DigestError, match="date line"):
        sources.parse(TEXT["podcast"], layout="daily-papers")
    assert len(sources.parse(TEXT["arxiv-dump"], layout="arxiv-dump")) == 95


def test_unknown_layout_and_empty_result_refused():
    with pytest.raises(DigestError, match="unknown format 'docx'") as err:
        sources.parse(TEXT["trending"], layout="docx")
    assert "podcast, arxiv-dump, weekly-picks, daily-papers, trending" in str(err.value)
    with pytest.raises(DigestError, match="no paper records"):
        sources.parse("| title | abstract |\n|---|---|\n", layout="weekly-picks")


def test_registry_shape():
    # the five sample layouts first, in the samples' order (detection's tie-break)
    assert sources.layout_names()[:len(SEEDS)] == list(SEEDS)
    for name, module in sources.LAYOUTS.items():
        assert module.NAME == name
        assert module.DESCRIPTION and "\n" not in module.DESCRIPTION


# --- decode ---------------------------------------------------------------------------


def test_decode_utf8_bom_and_bad_bytes():
    assert sources.decode("\ufeffTitre: café".encode()) == ("Titre: café", 0)
    assert sources.decode(b"ab\xff\xfecd\xc3") == ("ab\ufffd\ufffdcd\ufffd", 3)
    assert sources.decode(b"") == ("", 0)
    assert sources.decode("a legit \ufffd stays".encode()) == ("a legit \ufffd stays", 0)


def test_decode_refuses_binary():
    with pytest.raises(DigestError, match="binary file, not a text digest"):
        sources.decode(b"PK\x03\x04\x00\x00rest")
    # a NUL far past the first 8 KiB is just a (strange) character
    text, bad = sources.decode(b"a" * 9000 + b"\x00")
    assert bad == 0 and text.endswith("\x00")


# --- robustness -----------------------------------------------------------------------

SEED_LINES = sorted({line for text in TEXT.values() for line in text.split("\n")})
PARSERS = [partial(read, m) for m in sources.LAYOUTS.values()] + [sources.parse]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_records_or_digest_error(text: str) -> None:
    for parse in PARSERS:
        try:
            out = parse(text)
        except DigestError:
            continue
        assert isinstance(out, list) and all(isinstance(r, Record) for r in out)
    for module in sources.LAYOUTS.values():
        assert 0.0 <= module.sniff(text) <= 1.0
    try:
        assert sources.detect(text) in sources.LAYOUTS
    except DigestError:
        pass


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    only_records_or_digest_error(text)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(SEED_LINES), st.just(""),
                          st.text(alphabet="|-:\\ 2024.v1aT\n", max_size=30)), max_size=40))
def test_fuzz_lines_mixed_from_seeds(lines):
    only_records_or_digest_error("\n".join(lines))


@FUZZ
@given(st.sampled_from(list(SEEDS)), st.data())
def test_fuzz_seed_with_lines_dropped(layout, data):
    lines = TEXT[layout].split("\n")[:60]
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    only_records_or_digest_error("\n".join(line for line, k in zip(lines, keep, strict=True) if k))


@pytest.mark.parametrize("text", [
    "2401.00001 | " + "word " * 600_000,
    "| title | abstract |\n|---|---|\n| t | " + "y" * 3_000_000 + " |",
    "|" * 3_000_000,
    "T\n\n" + "x. 2020: Ab Cd, " * 200_000,
    "\n" * 1_000_000,
])
@pytest.mark.parametrize("name", list(sources.LAYOUTS))
def test_huge_input_is_linear(text, name):
    # A guard against quadratic blow-ups, one layout at a time (so that adding layouts
    # does not eat the others' allowance): seconds, where a quadratic path takes hours.
    layout = sources.LAYOUTS[name]
    start = time.perf_counter()
    try:
        out = read(layout, text)
    except DigestError:
        out = []
    assert 0.0 <= layout.sniff(text[:sources.HEAD_CHARS]) <= 1.0
    assert all(isinstance(r, Record) for r in out)
    assert time.perf_counter() - start < 5


def test_absurd_version_numbers_do_not_crash():
    # int() refuses strings of more than 4300 digits with ValueError
    huge = "9" * 5000
    only_records_or_digest_error(f"2401.00001v{huge} | An abstract. |\n")
    table = f"| title | abstract | link |\n|---|---|---|\n| T | A | arxiv.org/pdf/2401.00001v{huge} |"
    only_records_or_digest_error(table)
    [r] = read(weekly_picks, table)
    assert (r.title, r.arxiv_id) == ("T", None)


# --- the shared base: what every layout uses ----------------------------------------------


def test_split_lines_ends_lines_where_files_do():
    assert base.split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert base.split_lines("a\n") == ["a", ""]  # line numbers stay the file's
    # form feed, U+2028 and NEL end lines for str.splitlines(), not in a file
    assert base.split_lines("a\fb\u2028c\x85d") == ["a\fb\u2028c\x85d"]
    assert base.split_lines("") == [""]


def test_paragraphs_are_numbered_non_blank_lines():
    text = "  Title one \n\n\t\nAbstract one.\r\n\r\nTitle two\rAbstract two.\n"
    assert base.paragraphs(text) == [(1, "Title one"), (4, "Abstract one."), (6, "Title two"),
                                     (7, "Abstract two.")]
    assert base.head_paragraphs(text, 2) == [(1, "Title one"), (4, "Abstract one.")]


def test_head_lines_see_only_the_head():
    assert base.head_lines("a\nb\nc\n", 2) == ["a", "b"]
    long = "x" * (sources.HEAD_CHARS + 10) + "\nsecond"
    assert base.head_lines(long, 5) == ["x" * sources.HEAD_CHARS]
    # detection judges the head only: a digest after 400,000 characters of prose is not seen
    with pytest.raises(DigestError, match="not a paper list"):
        sources.detect("word " * (sources.HEAD_CHARS // 5) + "\n" + TEXT["podcast"])


def test_is_paragraph_at_the_limit():
    assert not base.is_paragraph("t" * sources.PARAGRAPH_CHARS)
    assert base.is_paragraph("t" * (sources.PARAGRAPH_CHARS + 1))


@pytest.mark.parametrize("text, reason", [
    ("", "an empty line"),
    ("   ", "an empty line"),
    ("word " * 80, "a paragraph of 399 characters"),
    ("|:---|---:|", "a Markdown table rule"),
    ("| --- | :-: |", "a Markdown table rule"),
    ("---", "a horizontal rule"),
    ("* * *", "a horizontal rule"),
    ("@article{vaswani2017attention,", "a BibTeX entry head"),
    ("  title = {Attention Is All You Need},", "a 'key = {value},' field line"),
    ('author = "Ada Lovelace and Alan Turing",', "a 'key = {value},' field line"),
    ("https://arxiv.org/abs/1706.03762", "a URL"),
    ("<http://example.org/paper.pdf>", "a URL"),
    ("www.example.org/papers/1", "a URL"),
    ("doi: 10.1000/182", "a URL"),
    ("2024-06-30", "a line without letters"),
    ("1. | 2. |", "a line without letters"),
])
def test_title_problem_names_what_is_not_a_title(text, reason):
    assert sources.title_problem(text) == reason
    assert not sources.plausible_title(text)


@pytest.mark.parametrize("title", [
    "Attention Is All You Need",
    "GPT-4 Technical Report",
    "E = mc^2 for Transformers: a = b, c = d",
    "Q: Is A = B? Answers from 10,000 Papers",
    "The Llama 3 Herd of Models",
    "大型语言模型的对齐",
    "Who’s Harry Potter? Approximate Unlearning in LLMs",
    "A Survey | Part 2: Retrieval-Augmented Generation",
    "t" * sources.PARAGRAPH_CHARS,
])
def test_plausible_titles_pass(title):
    assert sources.title_problem(title) is None
    assert sources.plausible_title(title)


def test_every_sample_title_is_plausible():
    titles = [r.title for recs in RECORDS.values() for r in recs if r.title]
    assert len(titles) == 555
    assert [t for t in titles if not sources.plausible_title(t)] == []


def test_check_limits_refuses_with_the_line():
    ok = Record(layout="x", line=7, title="t" * sources.MAX_TITLE_CHARS,
                abstract="a" * sources.MAX_ABSTRACT_CHARS, authors=["A B"] * sources.MAX_AUTHORS)
    base.check_limits(ok)
    for field, value, what in (
            ("title", "t" * (sources.MAX_TITLE_CHARS + 1), "title of 2,001 characters"),
            ("abstract", "a" * (sources.MAX_ABSTRACT_CHARS + 1), "abstract of 100,001"),
            ("authors", ["A B"] * (sources.MAX_AUTHORS + 1), "10,001 authors")):
        bad = Record(**{**ok.__dict__, field: value})
        with pytest.raises(DigestError, match=what) as err:
            base.check_limits(bad)
        assert err.value.line == 7


# --- Document: what a layout reads ----------------------------------------------------------


def test_document_from_text():
    text = "first\r\nsecond\rthird\n\nfifth"
    doc = Document.from_text(text, name="digest.txt", field_map={"title": "output"})
    assert (doc.name, doc.head, doc.text()) == ("digest.txt", text, text)
    assert list(doc.lines()) == [(1, "first"), (2, "second"), (3, "third"), (4, ""),
                                 (5, "fifth")]
    assert list(Document.from_text("a\n").lines()) == [(1, "a")]  # no line after the last end
    assert list(Document.from_text("").lines()) == []
    with doc.open_binary() as fh:
        assert fh.read() == text.encode()
    assert doc.field_map == {"title": "output"}
    doc.warn("entry without a title, passed over", line=4)
    assert doc.notices == [sources.Notice(4, "entry without a title, passed over")]
    assert Document.from_text("x" * (sources.HEAD_CHARS + 5)).head == "x" * sources.HEAD_CHARS


def test_document_from_path_decodes_like_decode(tmp_path):
    data = b"\xef\xbb\xbfT\xc3\xa9tre\r\nbad \xff\xfe byte\rlast\xc3"
    path = tmp_path / "digest.txt"
    path.write_bytes(data)
    doc = Document.from_path(path)
    text, replaced = sources.decode(data)
    assert (doc.name, doc.head, doc.replaced) == ("digest.txt", text, 3)  # all in the head
    assert list(doc.lines()) == [(1, "Tétre"), (2, "bad \ufffd\ufffd byte"), (3, "last\ufffd")]
    assert doc.replaced == replaced == 3
    assert doc.text() == text
    with doc.open_binary() as fh:
        assert fh.read() == data  # the raw bytes, BOM and all, for a streaming parser
    # bad bytes past the head are counted as lines() reads them
    path.write_bytes(b"a" * sources.HEAD_CHARS + b"\nb\xff\xfe\n")
    doc = Document.from_path(path)
    assert doc.replaced == 0
    assert list(doc.lines())[-1] == (2, "b\ufffd\ufffd") and doc.replaced == 2
    (tmp_path / "bin").write_bytes(b"PK\x03\x04\x00rest")
    with pytest.raises(DigestError, match="binary file"):
        Document.from_path(tmp_path / "bin")


@FUZZ
@given(st.lists(st.tuples(st.text(alphabet="ab é|\t\x85\u2028\ufeff", max_size=8),
                          st.sampled_from(["\n", "\r\n", "\r", ""])), max_size=12),
       st.binary(max_size=6))
def test_document_lines_same_from_path_and_text(parts, junk):
    import tempfile
    data = "".join(a + b for a, b in parts).encode() + junk.replace(b"\0", b"")
    text, _ = sources.decode(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.txt"
        path.write_bytes(data)
        from_path, from_text = Document.from_path(path), Document.from_text(text)
        assert list(from_path.lines()) == list(from_text.lines())
        assert from_path.head == from_text.head and from_path.text() == text
    # the lines are the split lines, less the empty one after a final line end
    expected = base.split_lines(text)
    if text.endswith(("\n", "\r")) or not text:
        expected = expected[:-1]
    assert [line for _, line in from_text.lines()] == expected


# --- the registry: one module and one line a format ------------------------------------------


class Toy:
    """A made-up format (a class instance, not a module): 'TOY title :: abstract' lines."""

    NAME = "toy"
    DESCRIPTION = "toy lines: 'TOY title :: abstract'"

    def __init__(self):
        self.heads: list[int] = []  # the length of every head it was shown

    def sniff(self, head: str) -> float:
        self.heads.append(len(head))
        return 0.99 if head.startswith("TOY ") else 0.0

    def parse(self, doc: Document):
        for n, line in doc.lines():
            if line.startswith("TOY ") and " :: " in line:
                title, abstract = line[4:].split(" :: ", 1)
                yield Record(layout=self.NAME, line=n, title=title, abstract=abstract)
            elif line.strip():
                doc.warn("not a toy line, passed over", line=n)


def test_every_layout_keeps_the_protocol():
    for layout in sources.LAYOUTS.values():
        assert isinstance(layout, sources.Layout), layout
    assert isinstance(Toy(), sources.Layout)
    assert not isinstance(object(), sources.Layout)


def test_a_registered_layout_is_detected_parsed_and_checked(monkeypatch):
    toy = Toy()
    monkeypatch.setitem(sources.LAYOUTS, "toy", toy)
    text = "TOY A Title :: An abstract.\nnoise\nTOY Second :: Another.\n"
    assert sources.detect(text) == "toy" and "toy" in sources.layout_names()
    # sniff is shown the head only, however long the file
    assert sources.detect(text + "x" * sources.HEAD_CHARS) == "toy"
    assert toy.heads == [len(text), sources.HEAD_CHARS]
    assert [(r.line, r.title) for r in sources.parse(text)] == [(1, "A Title"), (3, "Second")]
    too_long = "TOY T :: " + "a" * (sources.MAX_ABSTRACT_CHARS + 1)
    with pytest.raises(DigestError, match="abstract of 100,001") as err:
        sources.parse("TOY ok :: fine\n" + too_long, layout="toy")
    assert err.value.line == 2
