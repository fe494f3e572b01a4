"""JSON lists and JSON Lines of papers: fixtures, the real files, --map, hostile input."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import Document, fields_guess, json_lines, json_list
from tests.helpers import SEEDS, shared

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "json"
MINE = {"json", "json-lines", "csv"}


def read(layout, path: Path | str, field_map=None) -> tuple[list[Record], Document]:
    doc = Document.from_path(path, field_map=field_map)
    return list(layout.parse(doc)), doc


def from_text(layout, text: str, field_map=None) -> tuple[list[Record], Document]:
    doc = Document.from_text(text, field_map=field_map)
    return list(layout.parse(doc)), doc


def detect(path: Path) -> str:
    return sources.detect(Document.from_path(path).head)


# --- fixtures written from the formats ---------------------------------------------------


def test_hugging_face_daily_papers_answer():
    path = FIXTURES / "hf-daily-papers-api.json"
    assert detect(path) == "json"
    (longrag, llemma, third), doc = read(json_list, path)
    assert not doc.notices
    assert (longrag.layout, longrag.line) == ("json", 2)
    assert (longrag.arxiv_id, longrag.arxiv_version) == ("2406.15319", None)
    assert longrag.title == ("LongRAG: Enhancing Retrieval-Augmented Generation with "
                             "Long-context LLMs")
    assert longrag.abstract.startswith("A fixture abstract, wrapped the way the API sends "
                                       "arXiv's text: retrieval units")
    assert "\n" not in longrag.abstract and "  " not in longrag.abstract
    assert longrag.authors == ["Ziyan Jiang", "Xueguang Ma", "Wenhu Chen"]  # not "AK"
    # the paper's own date, not the day it was listed (the item's publishedAt)
    assert (longrag.published, longrag.year) == ("2024-06-21", 2024)
    assert longrag.summary == "Longer retrieval units make the retriever's job lighter."
    assert longrag.keywords == ["retrieval-augmented generation", "long-context LLM"]
    assert longrag.code_url == "https://github.com/TIGER-AI-Lab/LongRAG"
    assert longrag.title_is_name is False
    assert llemma.abstract.endswith("mathematical text and code & released with its data.")
    assert llemma.authors == ["Zhangir Azerbayev", "Hailey Schoelkopf"]
    assert "EleutherAI" not in llemma.authors and llemma.venue is None
    assert (third.arxiv_id, third.arxiv_version, third.authors) == ("2509.04664", 1, [])
    assert [r.line for r in (longrag, llemma, third)] == [2, 32, 52]


def test_arxiv_metadata_snapshot_lines():
    path = FIXTURES / "arxiv-snapshot.jsonl"
    assert detect(path) == "json-lines"
    records, doc = read(json_lines, path)
    assert not doc.notices
    assert [(r.layout, r.line) for r in records] == [("json-lines", n) for n in (1, 2, 3, 4)]
    first, old, maths, recent = records
    assert (first.arxiv_id, first.arxiv_version) == ("0704.0001", 2)
    assert first.title == ("Calculation of prompt diphoton production cross sections at "
                           "Tevatron and LHC energies")
    assert first.abstract.startswith("A fixture abstract standing in") and \
        first.abstract.endswith("as every abstract of the snapshot is.")
    assert (first.published, first.year) == ("2007-04-02", 2007)  # v1, not update_date
    assert first.doi == "10.1103/physrevd.76.013009"
    assert first.venue == "Phys.Rev.D76:013009,2007"
    assert first.comments == "37 pages, 15 figures; published version"
    assert first.categories == ["hep-ph"]
    assert first.authors[1:] == ["E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert "Pavel Nadolsky" not in first.authors  # the submitter is not an author as such
    assert (old.arxiv_id, old.arxiv_version, old.year) == ("hep-th/9901001", 1, 1999)
    assert old.categories == ["hep-th", "math-ph", "math.MP"]
    assert old.authors == ["A. Fixture", "B. Example"] and old.doi is None
    assert (maths.arxiv_id, maths.arxiv_version, maths.published) == \
        ("math/0601001", 3, "2005-12-31")
    assert recent.categories == ["cs.CL", "cs.AI", "cs.IR"]
    assert (recent.arxiv_id, recent.arxiv_version) == ("2406.15319", 2)


def test_csl_json_export():
    path = FIXTURES / "csl.json"
    assert detect(path) == "json"
    (article, preprint), _ = read(json_list, path)
    assert article.title == ("Efficient spherical harmonic transforms aimed at pseudospectral "
                             "numerical simulations")
    assert article.authors == ["Nathanaël Schaeffer"]
    assert (article.published, article.year) == ("2013-03", 2013)  # not the accessed date
    assert article.doi == "10.1002/ggge.20071"
    assert article.venue == "Geochemistry, Geophysics, Geosystems"
    assert article.url == "https://onlinelibrary.wiley.com/doi/abs/10.1002/ggge.20071"
    assert article.arxiv_id is None
    assert preprint.arxiv_id == "1706.03762" and preprint.url is None
    assert preprint.authors == ["Ashish Vaswani", "Noam Shazeer", "Google Brain"]
    assert preprint.published == "2017-06-12"
    assert preprint.keywords == ["Computer Science - Computation and Language",
                                 "Computer Science - Machine Learning"]


def test_an_object_holding_the_list():
    path = FIXTURES / "wrapped.json"
    assert detect(path) == "json"
    (gnn, kdd), doc = read(json_list, path)
    assert not doc.notices  # the editors' list is not a list of papers: left alone
    assert gnn.title.startswith("GNN-RAG: Graph Neural Retrieval")
    assert (gnn.arxiv_id, gnn.arxiv_version, gnn.published) == ("2405.20139", 1, "2024-05-30")
    assert gnn.summary == "GNNs as retrievers for KGQA." and gnn.keywords == ["RAG", "graphs"]
    assert kdd.authors == ["Jane Doe", "Richard Roe"]
    assert (kdd.doi, kdd.venue, kdd.year, kdd.published) == \
        ("10.1145/3580305.3599256", "KDD 2023", 2023, None)
    assert (gnn.line, kdd.line) == (11, 26)


def test_lists_keyed_by_day_are_all_read():
    text = json.dumps({"2024-06-30": [{"title": "First Paper", "arxiv_id": "2406.00001"}],
                       "2024-07-07": [{"title": "Second Paper", "arxiv_id": "2407.00002"},
                                      {"title": "Third Paper", "arxiv_id": "2407.00003"}]},
                      indent=2)
    records, _ = from_text(json_list, text)
    assert [r.arxiv_id for r in records] == ["2406.00001", "2407.00002", "2407.00003"]
    assert [r.line for r in records] == [3, 9, 13]


def test_one_line_json_names_the_entry_it_passes_over():
    text = json.dumps([{"title": "A Paper", "abstract": "Text."}, {"colour": "red"},
                       {"title": "Another", "abstract": "More."}])
    records, doc = from_text(json_list, text)
    assert [(r.title, r.line) for r in records] == [("A Paper", 1), ("Another", 1)]
    [(line, message)] = doc.notices
    assert line == 1 and message.startswith("entry 2: no title, abstract or paper id")
    assert "colour" in message


def test_key_names_are_compared_loosely():
    obj = {"Paper Title": "Loose Keys", "ABSTRACT": "Text.", "Arxiv-Id": "2401.00001v3",
           "Published_Date": "Jan 5, 2024", "Authors": "A. One & B. Two"}
    [r], _ = from_text(json_lines, json.dumps(obj) + "\n")
    assert (r.title, r.arxiv_id, r.arxiv_version) == ("Loose Keys", "2401.00001", 3)
    assert (r.published, r.authors) == ("2024-01-05", ["A. One", "B. Two"])


# --- the real files (../shared/realworld) ------------------------------------------------


def test_real_hugging_face_scraper_output():
    path = shared("realworld") / "hf-daily-papers-scraper_2025-12-10.json"
    assert detect(path) == "json"
    records, doc = read(json_list, path)
    assert len(records) == 29 and not doc.notices
    [npr] = [r for r in records if r.arxiv_id == "2512.07461"]
    assert npr.title == ("Native Parallel Reasoner: Reasoning in Parallelism via "
                         "Self-Distilled Reinforcement Learning")
    assert npr.code_url == "https://github.com/bigai-nlco/Native-Parallel-Reasoner"
    assert npr.pdf_url == "https://arxiv.org/pdf/2512.07461" and npr.year == 2025
    assert all(r.arxiv_id and r.title for r in records)
    # one entry's abstract is empty in the file ("Beyond Token-level Supervision")
    assert [r.title[:30] for r in records if not r.abstract] == ["Beyond Token-level Supervision"]
    lines = [r.line for r in records]
    assert lines == sorted(set(lines)) and lines[0] == 2


def test_real_instruction_dataset_is_refused_with_its_keys_and_the_hint():
    path = shared("realworld") / "chatgentitle_abstract-to-title_2023-08-13.json"
    assert detect(path) == "json"
    with pytest.raises(DigestError) as err:
        read(json_list, path)
    message = str(err.value)
    assert "keys seen: instruction, input, output" in message
    assert "--map title=KEY --map abstract=KEY" in message
    assert err.value.line == 1


def test_real_instruction_dataset_reads_with_a_map():
    path = shared("realworld") / "chatgentitle_abstract-to-title_2023-08-13.json"
    records, doc = read(json_list, path, field_map={"title": "output", "abstract": "input"})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == len(data) == 324 and not doc.notices
    assert [r.title for r in records] == [" ".join(d["output"].split()) for d in data]
    # entities decoded: "Q&amp;A" is "Q&A"
    assert [r.abstract for r in records] == [" ".join(html.unescape(d["input"]).split())
                                             for d in data]
    # the instruction, the same for every entry, went nowhere
    assert not any(r.summary for r in records)


def test_map_errors_are_clear():
    path = FIXTURES / "hf-daily-papers-api.json"
    with pytest.raises(DigestError, match="unknown field 'titel'; the fields are: title, "
                                          "abstract, summary, authors, url, arxiv_id"):
        read(json_list, path, field_map={"titel": "title"})
    with pytest.raises(DigestError, match=r"--map title=headline: no such key in the file "
                                          r"\(keys seen: paper, paper.id, paper.authors"):
        read(json_list, path, field_map={"title": "headline"})
    with pytest.raises(DigestError, match="a paragraph of .* is not a title"):
        read(json_list, shared("realworld") / "chatgentitle_abstract-to-title_2023-08-13.json",
             field_map={"title": "input"})


def test_map_takes_dotted_paths_and_aliases():
    text = json.dumps([{"meta": {"headline": "Mapped By Path"}, "body": "The text.",
                        "ref": "arXiv:2402.00002", "when": "2024-02-03"}] * 2)
    records, _ = from_text(json_list, text, field_map={
        "title": "meta.headline", "abstract": "body", "id": "ref", "date": "when"})
    assert {(r.title, r.abstract, r.arxiv_id, r.published) for r in records} == \
        {("Mapped By Path", "The text.", "2402.00002", "2024-02-03")}


# --- detection against every real file ------------------------------------------------------

REAL_LAYOUT = {
    "hf-daily-papers-scraper_2025-12-10.json": "json",
    "chatgentitle_abstract-to-title_2023-08-13.json": "json",
    "ai-curator_snapshot_2025-09-09.csv": "csv",
    "dair-ai_ml-potw_2023-10-23.csv": "csv",
}


def real_files() -> list[Path]:
    return [f for folder in ("realworld", "realworld-html", "seeds")
            for f in sorted(shared(folder).iterdir()) if f.is_file()]


def test_every_real_file_is_mine_only_when_it_is():
    for path in real_files():
        head = Document.from_path(path).head
        scores = {name: sources.LAYOUTS[name].sniff(head) for name in MINE}
        expected = REAL_LAYOUT.get(path.name)
        if expected is None:
            assert max(scores.values()) <= sources.THRESHOLD, (path.name, scores)
            try:
                assert sources.detect(head) not in MINE
            except DigestError:
                pass  # a file of a format not registered yet
        else:
            assert sources.detect(head) == expected, (path.name, scores)


@pytest.mark.parametrize("layout", ["json", "json-lines"])
def test_forcing_json_on_every_foreign_real_file_is_refused(layout):
    for path in real_files():
        if REAL_LAYOUT.get(path.name, "").startswith(layout):
            continue
        text, _ = sources.decode(path.read_bytes())
        with pytest.raises(DigestError) as err:
            sources.parse(text, layout)
        assert err.value.line is not None or "no paper records" in str(err.value), path.name


def test_the_seed_digests_are_not_json():
    for seed in SEEDS:
        head = seed.read_text(encoding="utf-8")[: sources.HEAD_CHARS]
        assert json_list.sniff(head) == 0.0 and json_lines.sniff(head) == 0.0


# --- hostile input ------------------------------------------------------------------------


def test_nesting_a_hundred_thousand_deep(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    f = tmp_path / "deep.json"
    f.write_text(deep)
    assert sources.detect(Document.from_path(f).head) == "json"
    with pytest.raises(DigestError, match="nested more than 64 levels deep") as err:
        read(json_list, f)
    assert err.value.line == 1
    inside = ('[\n{"title": "Fine", "abstract": "Text."},\n{"title": "Deep",\n "x": '
              + "{\"a\": " * 100_000 + "1" + "}" * 100_000 + "}\n]\n")
    with pytest.raises(DigestError, match="nested more than 64") as err:
        from_text(json_list, inside)
    assert err.value.line == 4
    for layout in (json_list, json_lines):
        assert 0.0 <= layout.sniff(inside) <= 1.0 and 0.0 <= layout.sniff(deep) <= 1.0


def test_json_lines_with_a_broken_and_a_deep_line(tmp_path):
    good = json.dumps({"title": "A Good Line", "abstract": "Text.", "id": "2401.00001"})
    lines = [good, '{"title": "Broken", "abstract": ', good,
             '{"a": ' * 100_000 + "1" + "}" * 100_000, good, ""]
    f = tmp_path / "papers.jsonl"
    f.write_text("\n".join(lines))
    records, doc = read(json_lines, f)
    assert [r.line for r in records] == [1, 3, 5]
    assert [line for line, _ in doc.notices] == [2, 4]
    assert "Expecting value" in doc.notices[0].message
    assert "nested too deep" in doc.notices[1].message


def test_json_lines_mostly_broken_is_not_json_lines():
    text = "\n".join(["{not json}"] * 5 + ['{"title": "One", "abstract": "A."}'])
    with pytest.raises(DigestError, match="not JSON Lines") as err:
        from_text(json_lines, text)
    assert err.value.line == 1


def test_latin1_and_bom(tmp_path):
    obj = {"title": "Caf\u00e9 Models", "abstract": "R\u00e9sum\u00e9 text."}
    latin = tmp_path / "latin1.json"
    latin.write_bytes(json.dumps([obj], ensure_ascii=False).encode("latin-1"))
    [r], doc = read(json_list, latin)  # Western text: read as Windows-1252 (issue 9)
    assert r.title == "Caf\u00e9 Models" and doc.replaced == 0 and doc.encoding == "cp1252"
    lines = tmp_path / "latin1.jsonl"
    lines.write_bytes((json.dumps(obj, ensure_ascii=False) + "\n").encode("latin-1") * 2)
    records, doc = read(json_lines, lines)
    assert [r.title for r in records] == ["Caf\u00e9 Models"] * 2 and doc.replaced == 0
    for name, layout, body in (("bom.json", json_list, json.dumps([obj])),
                               ("bom.jsonl", json_lines, json.dumps(obj) + "\n")):
        f = tmp_path / name
        f.write_bytes(b"\xef\xbb\xbf" + body.encode())
        assert sources.detect(Document.from_path(f).head) == layout.NAME
        [r], doc = read(layout, f)
        assert r.title == "Café Models" and doc.replaced == 0


def test_a_fifty_megabyte_field_is_refused_with_its_line(tmp_path):
    huge = "x" * 50_000_000
    f = tmp_path / "huge.jsonl"
    f.write_text(json.dumps({"title": "Fine", "abstract": "Ok."}) + "\n"
                 + json.dumps({"title": "Huge", "abstract": huge}) + "\n")
    # Document.lines() refuses a line longer than any record before the layout sees it
    with pytest.raises(DigestError, match=r"a line of (more than )?[\d,]+ characters") as err:
        read(json_lines, f)
    assert err.value.line == 2
    f = tmp_path / "huge.json"
    f.write_text('[\n  {"title": "Fine", "abstract": "Ok."},\n  {"title": "Huge",\n'
                 f'   "abstract": "{huge}"}}\n]\n')
    with pytest.raises(DigestError, match="an entry of more than 2,097,152 bytes") as err:
        read(json_list, f)
    assert err.value.line == 3


def test_a_huge_value_outside_the_papers_is_refused_before_it_is_held(tmp_path):
    f = tmp_path / "blob.json"
    f.write_text('{"papers": [{"title": "Fine", "abstract": "Ok."}],\n "blob": "'
                 + "z" * 50_000_000 + '"}\n')
    with pytest.raises(DigestError, match="a JSON value of more than 2,097,152 bytes starts "
                                          "here") as err:
        read(json_list, f)
    assert err.value.line == 2


def test_over_the_limits_is_refused_with_the_line():
    text = json.dumps([{"title": "Fine", "abstract": "Ok."},
                       {"title": "Long", "abstract": "y" * 100_001}], indent=1)
    with pytest.raises(DigestError, match="abstract of 100,001 characters") as err:
        from_text(json_list, text)
    assert err.value.line == 6


def test_a_cut_json_file_is_refused_with_the_line_it_stops_at():
    text = json.dumps([{"title": f"Paper {i}", "abstract": "Text."} for i in range(3)],
                      indent=2)
    with pytest.raises(DigestError, match="stops before it is complete") as err:
        from_text(json_list, text[: text.rindex("Paper 2")])
    assert err.value.line == 11


def test_records_come_before_the_rest_of_the_file_is_read(tmp_path):
    f = tmp_path / "stream.json"
    f.write_text('[{"title": "First", "abstract": "A."},\n' + "@" * 1000)
    papers = json_list.parse(Document.from_path(f))
    assert next(papers).title == "First"  # yielded before the bad tail is reached
    with pytest.raises(DigestError, match="not valid JSON") as err:
        next(papers)
    assert err.value.line == 2
    f = tmp_path / "stream.jsonl"
    f.write_text('{"title": "First", "abstract": "A."}\n' * 2 + "x" * 3_000_000)
    papers = json_lines.parse(Document.from_path(f))
    assert next(papers).title == "First"


# --- fuzzing -------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "abstract", "summary", "authors", "id", "url", "date",
                         "paper", "categories", "doi", "x", "Title", "paper_url", "year"])
        | st.text(max_size=8), inner, max_size=5),
    max_leaves=25)


def records_or_digest_error(layout, text: str) -> None:
    assert 0.0 <= layout.sniff(text) <= 1.0
    try:
        records, _ = from_text(layout, text)
    except DigestError as exc:
        assert str(exc)
        return
    assert all(isinstance(r, Record) and r.layout == layout.NAME for r in records)


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    records_or_digest_error(json_list, text)
    records_or_digest_error(json_lines, text)


@FUZZ
@given(JSON_VALUES, st.sampled_from([None, 1]))
def test_fuzz_any_json_value(value, indent):
    records_or_digest_error(json_list, json.dumps(value, indent=indent))
    records_or_digest_error(json_lines, json.dumps(value))


@FUZZ
@given(st.lists(JSON_VALUES, max_size=6))
def test_fuzz_any_json_lines(values):
    records_or_digest_error(json_lines, "\n".join(json.dumps(v) for v in values))


WORD = st.builds(lambda a, b: a + b, st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEÉü"),
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789éü-",
                         max_size=9))
PAPER = st.fixed_dictionaries({
    "title": st.lists(WORD, min_size=4, max_size=8).map(" ".join),
    "abstract": st.lists(WORD, min_size=1, max_size=30).map(" ".join),
    "authors": st.lists(st.tuples(WORD, WORD).map(" ".join), max_size=4),
})


@FUZZ
@given(st.lists(PAPER, min_size=1, max_size=6), st.sampled_from([None, 0, 2]),
       st.booleans())
def test_papers_written_as_json_read_back(papers, indent, wrapped):
    value = {"papers": papers} if wrapped else papers
    records, _ = from_text(json_list, json.dumps(value, indent=indent, ensure_ascii=False))
    assert [(r.title, r.abstract, r.authors) for r in records] == \
        [(p["title"], p["abstract"], p["authors"]) for p in papers]
    lines, _ = from_text(json_lines, "\n".join(json.dumps(p) for p in papers))
    assert [(r.title, r.abstract, r.authors, r.line) for r in lines] == \
        [(p["title"], p["abstract"], p["authors"], n) for n, p in enumerate(papers, 1)]


def test_the_field_names_the_map_takes_are_the_records():
    fields = {f for f in Record.__dataclass_fields__}
    assert set(fields_guess.FIELDS) <= fields


def test_semantic_scholar_api_answer():
    """The Semantic Scholar Graph API's search answer: the papers under "data", the
    arXiv id in externalIds.ArXiv, authors as objects, a null abstract."""
    path = FIXTURES / "semantic-scholar-api.json"
    assert sources.detect(Document.from_path(path).head) == "json"
    (attention, bert, deep), doc = read(json_list, path)
    assert not doc.notices
    assert (attention.title, attention.arxiv_id) == ("Attention is All you Need", "1706.03762")
    assert attention.authors == ["Ashish Vaswani", "Noam M. Shazeer"]
    assert attention.published == "2017-06-12"
    assert attention.venue == "Neural Information Processing Systems"
    assert bert.arxiv_id == "1810.04805" and len(bert.authors) == 4
    assert bert.abstract.startswith("We introduce a new language representation model")
    assert deep.arxiv_id is None and deep.doi == "10.1038/nature14539" and deep.abstract == ""
