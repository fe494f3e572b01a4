"""The BibTeX / biblatex layout (index/sources/bibtex.py): fixtures, real exports, hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import bibtex
from paperdeck.index.sources.document import Document
from tests.helpers import ROOT, SEEDS
from tests.helpers import shared as shared_folder

FIXTURES = ROOT / "tests" / "fixtures" / "bibtex"
OUR_LAYOUTS = {"bibtex", "ris"}


# --- the shared real files (beside the clone in CI) -------------------------------------------


def shared_files() -> list[Path]:
    """Every real file and seed: the folders realworld, realworld-html and seeds."""
    files = []
    for name in ("realworld", "realworld-html", "seeds"):
        files += sorted(p for p in shared_folder(name).iterdir() if p.is_file())
    return files


def read(path: Path) -> tuple[list[Record], Document]:
    doc = Document.from_path(path)
    return list(bibtex.parse(doc)), doc


def read_text(text: str) -> tuple[list[Record], Document]:
    doc = Document.from_text(text)
    return list(bibtex.parse(doc)), doc


def by_title(records: list[Record]) -> dict[str, Record]:
    return {r.title: r for r in records}


# --- fixtures, one exporter each ---------------------------------------------------------------


def test_arxiv_export():
    records, doc = read(FIXTURES / "arxiv-export.bib")
    assert [r.line for r in records] == [1, 10]
    first, second = records
    assert first.title == "Fast Transformer Decoding: One Write-Head is All You Need"
    assert (first.arxiv_id, first.arxiv_version, first.year) == ("1911.02150", None, 2019)
    assert first.categories == ["cs.NE"] and first.authors == ["Noam Shazeer"]
    assert second.title.startswith("GQA: Training Generalized")
    assert (second.arxiv_id, second.arxiv_version, second.categories) == ("2305.13245", 3, ["cs.CL"])
    assert second.authors[2:5] == ["Michiel de Jong", "Yury Zemlyanskiy", "Federico Lebrón"]
    assert second.url is None  # the arXiv page is the paper's id, not another link
    assert not doc.notices
    assert all(r.layout == "bibtex" and not r.title_is_name for r in records)


def test_google_scholar_terse_entries():
    records, _ = read(FIXTURES / "google-scholar.bib")
    papers = by_title(records)
    assert len(records) == 4
    attention = papers["Attention is all you need"]
    assert attention.authors[6] == "Łukasz Kaiser" and len(attention.authors) == 8
    assert attention.venue == "Advances in neural information processing systems"
    assert attention.year == 2017 and attention.published is None and attention.arxiv_id is None
    gpt4 = papers["Gpt-4 technical report"]
    assert gpt4.arxiv_id == "2303.08774"  # journal = {arXiv preprint arXiv:2303.08774}
    assert gpt4.venue is None  # "arXiv preprint" is no venue
    assert gpt4.authors == ["Josh Achiam", "Steven Adler", "Sandhini Agarwal"]  # "and others"
    rag = papers["Retrieval-augmented generation for knowledge-intensive NLP tasks"]
    assert "Heinrich Küttler" in rag.authors and "Tim Rocktäschel" in rag.authors
    assert rag.venue == "Advances in Neural Information Processing Systems"
    assert papers["Reinforcement learning: An introduction"].authors == [
        "Richard S Sutton", "Andrew G Barto"]


def test_zotero_biblatex_export():
    records, doc = read(FIXTURES / "zotero-biblatex.bib")
    lora, workshop, scaling = records
    assert lora.line == 2 and lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert (lora.arxiv_id, lora.categories) == ("2106.09685", ["cs.CL"])  # eprinttype, eprintclass
    assert lora.doi == "10.48550/arxiv.2106.09685"
    assert (lora.published, lora.year) == ("2021-10-16", 2021)
    assert lora.abstract.startswith("Fine-tuning every weight") and "the LoRA update" in lora.abstract
    assert lora.keywords == ["Computer Science - Artificial Intelligence",
                             "Computer Science - Computation and Language"]
    assert lora.url is None
    # date = {2021-06-17/2021-06-18}: a range is dated by its start
    assert workshop.published == "2021-06-17"
    assert workshop.authors == ["Jürgen Müller", "Åse Øster"]
    assert workshop.venue == "Proceedings of the Workshop on Efficient Models"
    assert (scaling.published, scaling.venue) == ("2013-03", "Journal of Machine Learning Research")
    assert scaling.keywords == ["attention", "sparsity"]
    # `langid = {english}` with no comma before `file = ...`: mended, and said so
    assert [(n.line, n.message) for n in doc.notices] == [
        (27, "entry 'mueller_workshop_2021': a comma is missing between the fields 'langid' "
             "and 'file'; read as separate fields")]


def test_jabref_strings_months_crossref_and_latex():
    records, doc = read(FIXTURES / "jabref.bib")
    papers = by_title(records)
    assert len(records) == 4  # the @proceedings a paper points to is a volume, not a paper
    flash = papers["FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"]
    assert flash.line == 8
    assert flash.venue == "Proceedings of the International Conference on Machine Learning"
    assert flash.published == "2022-07"  # month = jul, BibTeX's own macro
    assert flash.arxiv_id == "2205.14135" and flash.comments is None  # note = {arXiv:ID}
    assert "a 3× speedup, and training is 15% faster" in flash.abstract
    assert flash.authors[-1] == "Christopher Ré"
    pope = papers["Efficiently Scaling Transformer Inference"]
    assert (pope.published, pope.arxiv_id, pope.arxiv_version) == ("2023-06-05", "2211.05102", 1)
    spec = papers["Fast Inference from Transformers via Speculative Decoding"]
    assert spec.venue == "Proceedings of the 40th International Conference on Machine Learning"
    assert (spec.published, spec.year) == ("2023-07", 2023)  # from its crossref parent
    assert spec.url == "https://proceedings.mlr.press/v202/leviathan23a.html"
    odd = papers["On α-Divergences, Über-Models and the 1/√(n) Rate"]
    assert odd.authors == ["Erwin Schrödinger", "The Quantum Collaboration"]
    assert (odd.arxiv_id, odd.categories) == ("hep-th/9901001", ["hep-th"])
    assert odd.keywords == ["divergence", "information theory"]
    assert not doc.notices


def test_mendeley_export():
    records, _ = read(FIXTURES / "mendeley.bib")
    protein, diffusion = records
    assert protein.title == "Transformer protein language models are unsupervised structure learners"
    assert protein.abstract == ("Self-supervised learning (SSL) on protein sequences reaches over "
                                "50% of the supervised accuracy. We study the {attention} maps of "
                                "à la carte models.")
    assert (protein.arxiv_id, protein.published, protein.venue) == ("2006.15222", "2020-06", "bioRxiv")
    assert diffusion.arxiv_id == "1503.03585"  # arxivId alone
    assert diffusion.venue == "32nd International Conference on Machine Learning, ICML 2015"
    assert diffusion.authors[0] == "Jascha Sohl-Dickstein"


def test_unreadable_entries_are_passed_over_with_their_lines():
    records, doc = read(FIXTURES / "broken.bib")
    assert [(r.line, r.title) for r in records] == [
        (1, "A First Readable Paper"),
        (18, "A Second Paper Under the Same Key"),
        (23, "The First Title Wins"),
    ]
    notices = {n.line: n.message for n in doc.notices}
    assert set(notices) == {7, 13, 18, 23}
    assert notices[7].startswith("entry could not be read (reading stopped at line 13)")
    assert notices[7].endswith("passed over")
    assert notices[13] == "entry 'notitle' has no title; passed over"
    assert notices[18] == ("entry key 'good1' is used again (first at line 1); read as another "
                           "entry")
    assert notices[23] == ("entry 'twice': the field 'title' is given twice; the first value is "
                           "kept")


# --- the real exports (../shared/realworld) ---------------------------------------------------


def test_real_mendeley_export():
    records, doc = read(shared_folder("realworld") / "mendeley-export_bibtexparser-random.bib")
    assert len(records) == 229
    assert sum(1 for r in records if r.abstract) == 55
    assert sum(1 for r in records if r.arxiv_id) == 62  # the 62 entries with an eprint
    fact = next(r for r in records if r.arxiv_id == "1402.6711")
    assert fact.title == ("Operationally-Motivated Uncertainty Relations for Joint Measurability "
                          "and the Error-Disturbance Tradeoff")
    assert (fact.year, fact.published, fact.line) == (2014, "2014-02", 1)
    assert fact.authors == ["Joseph M. Renes", "Volkher B. Scholz"]
    assert fact.abstract.startswith("We derive new Heisenberg-type uncertainty relations")
    assert not any("{" in r.title or "\\" in r.title for r in records)
    assert not doc.notices


def test_real_zotero_biblatex_export():
    records, doc = read(shared_folder("realworld") / "zotero-biblatex-export_papis-zotero.bib")
    assert len(records) == 5
    first = records[0]
    assert first.title == ("Efficient spherical harmonic transforms aimed at pseudospectral "
                           "numerical simulations")
    assert (first.year, first.published, first.line) == (2013, "2013-03", 2)
    assert (first.doi, first.venue) == ("10.1002/ggge.20071", "Geochem. Geophys. Geosyst.")
    assert first.authors == ["Nathanaël Schaeffer"]
    assert records[1].authors == ["Camillo De Lellis", "László Székelyhidi"]
    # its README: one entry lacks a comma (between langid and file); it still imports
    assert [n.line for n in doc.notices] == [15]
    assert "a comma is missing between the fields 'langid' and 'file'" in doc.notices[0].message


def test_detection_by_content_over_every_real_file():
    for path in [*shared_files(), *SEEDS]:
        head = Document.from_path(path).head
        if path.suffix == ".bib":
            assert sources.detect(head) == "bibtex", path.name
            continue
        assert bibtex.sniff(head) <= sources.THRESHOLD, path.name
        try:
            assert sources.detect(head) not in OUR_LAYOUTS, path.name
        except DigestError:
            pass  # a format no layout of this branch reads yet


def test_forcing_bibtex_on_a_foreign_file_is_refused():
    for path in [*shared_files(), *SEEDS]:
        if path.suffix == ".bib":
            continue
        with pytest.raises(DigestError) as caught:
            list(bibtex.parse(Document.from_path(path)))
        assert caught.value.line is not None, path.name


@pytest.mark.parametrize("head", [
    "@article{DBLP:journals/corr/VaswaniSPUJGKP17,\n  author = {Ashish Vaswani},\n}\n",
    "This file was created with JabRef 2.10.\nEncoding: UTF8\n\n@Article{k,\n  title = {T},\n}\n",
    "% Encoding: UTF-8\n\n@Article{k,\n  title = {T},\n}\n",
    "@string{foo = {Foo}}\n@misc{k, title = {T}}\n",
    "@misc{k, title={T}, author={A}, year={2020}}",
])
def test_sniff_knows_bibtex_heads(head):
    assert bibtex.sniff(head) > sources.THRESHOLD
    assert sources.detect(head) == "bibtex"


def test_a_readme_quoting_one_entry_is_not_bibtex():
    text = ("# My project\n\nSome words about it, and more words, over a few lines of prose\n"
            "that explain what it does and how to install it.\n\nCite it as:\n\n```bibtex\n"
            "@article{me2024, title = {My Project}, year = {2024}}\n```\n" + "More prose.\n" * 20)
    assert bibtex.sniff(text) <= sources.THRESHOLD
    with pytest.raises(DigestError, match="text outside any") as caught:
        read_text(text)
    assert caught.value.line == 1


# --- values --------------------------------------------------------------------------------


def test_missing_comma_that_swallows_the_next_field():
    records, doc = read_text("@article{k,\n  title = {A Title}\n  author = {Doe, Jane and Roe, "
                             "Rick},\n  year = 2020\n}\n")
    (rec,) = records
    assert (rec.title, rec.authors, rec.year) == ("A Title", ["Jane Doe", "Rick Roe"], 2020)
    assert doc.notices[0].line == 2 and "'title' and 'author'" in doc.notices[0].message
    records, _ = read_text('@article{k,\n  year = 2019\n  title = "Quoted"\n}\n')
    assert (records[0].title, records[0].year) == ("Quoted", 2019)


def test_many_missing_commas_in_one_value():
    value = "1" + "".join(f"\n f{i} = {i}" for i in range(5000))  # no recursion, one notice
    (rec,), doc = read_text("@misc{k, Title = {Run On}, NOTE = " + value + "}\n")
    assert rec.title == "Run On"
    assert [n.message for n in doc.notices] == [
        "entry 'k': a comma is missing between the fields 'NOTE' and 'f0' (and 4,999 more); "
        "read as separate fields"]


def test_strings_are_case_insensitive_and_joined():
    records, _ = read_text('@string{ML = "Machine Learning"}\n@STRING{j = {Journal of } # ml}\n'
                           "@article{k, title = {T is a title}, journal = J, month = 11, "
                           "year = {2001}}\n")
    assert (records[0].venue, records[0].published) == ("Journal of Machine Learning", "2001-11")


@pytest.mark.parametrize(("fields", "published", "year"), [
    ("year = {2014}, month = {feb}", "2014-02", 2014),
    ("year = 2014, month = feb", "2014-02", 2014),
    ("year = 2014, month = {February}", "2014-02", 2014),
    ("year = 2014, month = {2}, day = {9}", "2014-02-09", 2014),
    ("year = {2014}", None, 2014),
    ("date = {2013-03}", "2013-03", 2013),
    ("date = {2013-03-08}", "2013-03-08", 2013),
    ("date = {2021-06-17/2021-06-18}", "2021-06-17", 2021),
    ("year = {in press}", None, None),
])
def test_dates(fields, published, year):
    (rec,) = read_text(f"@article{{k, title = {{Dated}}, {fields}}}\n")[0]
    assert (rec.published, rec.year) == (published, year)


@pytest.mark.parametrize(("fields", "arxiv"), [
    ("eprint = {2106.09685}, archivePrefix = {arXiv}", ("2106.09685", None)),
    ("eprint = {2106.09685v2}, eprinttype = {arxiv}", ("2106.09685", 2)),
    ("eprint = {2106.09685}", ("2106.09685", None)),
    ("eprint = {12345678}, eprinttype = {pubmed}", None),
    ("arxivId = {1402.6711}", ("1402.6711", None)),
    ("doi = {10.48550/arXiv.2106.09685}", ("2106.09685", None)),
    ("url = {https://arxiv.org/pdf/2106.09685v1.pdf}", ("2106.09685", 1)),
    ("journal = {arXiv preprint arXiv:2106.09685}", ("2106.09685", None)),
    ("note = {arXiv:2106.09685}", ("2106.09685", None)),
    (r"howpublished = {\url{https://arxiv.org/abs/2106.09685}}", ("2106.09685", None)),
    ("eprint = {math/0601001}, archivePrefix = {arXiv}", ("math/0601001", None)),
    ("url = {https://example.org/2106.09685}", None),
])
def test_the_arxiv_id_wherever_it_hides(fields, arxiv):
    (rec,) = read_text(f"@misc{{k, title = {{Where Is It}}, {fields}}}\n")[0]
    assert ((rec.arxiv_id, rec.arxiv_version) if rec.arxiv_id else None) == arxiv


def test_every_entry_type_is_read():
    kinds = ["article", "inproceedings", "conference", "book", "incollection", "phdthesis",
             "mastersthesis", "techreport", "misc", "unpublished", "online", "report",
             "thesis", "software", "dataset", "manual", "booklet"]
    text = "".join(f"@{k}{{key{i}, title = {{Paper of kind {k}}}, year = 2020}}\n"
                   for i, k in enumerate(kinds))
    records, doc = read_text(text)
    assert [r.title for r in records] == [f"Paper of kind {k}" for k in kinds]
    assert [r.line for r in records] == list(range(1, len(kinds) + 1))
    assert not doc.notices


def test_comments_preamble_and_parenthesised_entries():
    records, _ = read_text('%% a comment line\n@comment{anything { here }}\n@preamble{"x"}\n'
                           "@article(paren, title = {In Parentheses}, year = 1999)\n")
    assert [(r.line, r.title, r.year) for r in records] == [(4, "In Parentheses", 1999)]


def test_crossref_in_any_case():
    records, _ = read_text("@InProceedings{a, Title = {Child Paper}, CROSSREF = {Conf}}\n"
                           "@Proceedings{conf, title = {Proc. of Conf}, year = 2001}\n")
    assert [(r.title, r.venue, r.year) for r in records] == [("Child Paper", "Proc. of Conf", 2001)]


def test_crlf_line_ends():
    text = "@article{a,\r\n  title = {Windows\r\n  Lines},\r\n  author = {Doe, J.}\r\n}\r\n"
    (rec,) = read_text(text)[0]
    assert (rec.title, rec.authors, rec.line) == ("Windows Lines", ["J. Doe"], 1)


def test_through_the_registry():
    records = sources.parse((FIXTURES / "arxiv-export.bib").read_text())
    assert [r.arxiv_id for r in records] == ["1911.02150", "2305.13245"]
    assert sources.parse("@misc{k, title={Forced}}\n", layout="bibtex")[0].title == "Forced"


# --- hostile files ---------------------------------------------------------------------------


GOOD = "@article{good, title = {A Good Paper}, year = 2020}\n"


def test_unbalanced_braces_keep_the_rest_of_the_file():
    text = GOOD + "@article{bad,\n  title = {Never {closed},\n  year = 2021\n}\n" + GOOD.replace(
        "good", "good2")
    records, doc = read_text(text)
    assert [r.line for r in records] == [1, 6]
    assert [n.line for n in doc.notices] == [2]


def test_a_file_of_unbalanced_braces_is_refused_with_its_line():
    with pytest.raises(DigestError, match="no BibTeX entry could be read") as caught:
        read_text("\n\n@article{bad,\n  title = {Never {closed},\n  year = 2021\n")
    assert caught.value.line == 3


def test_deep_nesting_is_passed_over_not_a_recursion_error():
    deep = "{" * 10_000 + r"\"u" + "}" * 10_000
    records, doc = read_text(f"@article{{deep, title = {deep}}}\n" + GOOD
                             + f"@article{{deepabs, title = {{Deep Abstract}}, abstract = {deep}}}\n")
    assert [r.title for r in records] == ["A Good Paper", "Deep Abstract"]
    assert records[1].abstract == deep[1:-1]  # too deep to parse: kept as written
    plain = "{" * 10_000 + "x" + "}" * 10_000
    (rec,) = read_text(f"@misc{{k, title = {{Plain}}, abstract = {plain}}}")[0]
    assert (rec.title, rec.abstract) == ("Plain", "x")  # braces alone read, however deep
    assert [n.line for n in doc.notices] == [1]
    assert "is a paragraph of" in doc.notices[0].message


def test_a_huge_entry_is_passed_over():
    huge = "@article{huge, title = {Huge}, abstract = {" + "word " * 1_000_000 + "}}\n"
    records, doc = read_text(GOOD + huge)
    assert [r.title for r in records] == ["A Good Paper"]
    assert doc.notices[0].line == 2 and "abstract of 4,999,999 characters" in doc.notices[0].message
    with pytest.raises(DigestError, match="abstract of") as caught:
        read_text(huge)
    assert caught.value.line == 1


def test_latin1_bytes_and_a_bom(tmp_path):
    latin = tmp_path / "latin1.bib"
    latin.write_bytes("@article{l, title = {Gr\xfc\xdfe aus K\xf6ln}, author = {M\xfcller, J.}}\n"
                      .encode("latin-1"))
    (rec,), doc = read(latin)  # Western text, not UTF-8: read as Windows-1252 (issue 9)
    assert rec.title == "Gr\u00fc\u00dfe aus K\u00f6ln" and rec.authors == ["J. M\u00fcller"]
    assert doc.replaced == 0 and doc.encoding == "cp1252"
    bom = tmp_path / "bom.bib"
    bom.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert sources.detect(Document.from_path(bom).head) == "bibtex"
    assert [r.title for r in read(bom)[0]] == ["A Good Paper"]
    assert [r.title for r in read_text("\ufeff" + GOOD)[0]] == ["A Good Paper"]


def test_most_entries_without_a_paper_title_is_not_a_bibtex_file_of_papers():
    text = "".join(f"@misc{{k{i}, title = {{https://example.org/{i}}}}}\n" for i in range(3))
    with pytest.raises(DigestError, match="not a BibTeX file of papers") as caught:
        read_text(text + GOOD)
    assert caught.value.line == 1


BIBTEXISH = st.lists(st.sampled_from([
    "@article{", "@string{", "@comment{", "@misc(", "k,", " title = ", " author = ", "{", "}",
    '"', " # ", ",", "\n", "=", "x", "Title words", " and ", "\\'e", "$\\alpha$", "%", "@",
    "\ufeff", "2020", "jun", "arXiv:2106.09685", ")", "\r\n"]), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(BIBTEXISH, st.text(max_size=300)))
def test_any_text_gives_records_or_a_digest_error(text):
    try:
        records, _ = read_text(text)
    except DigestError:
        return
    assert records and all(isinstance(r, Record) and r.title and r.line >= 1 for r in records)


def test_jabref_biblatex_with_date_journaltitle_and_eprinttype():
    """JabRef in biblatex mode: `date`, `journaltitle`, and the arXiv id in `eprint` with
    biblatex's `eprinttype` (not BibTeX's `archivePrefix`), any case."""
    path = FIXTURES / "jabref-biblatex.bib"
    assert sources.detect(Document.from_path(path).head) == "bibtex"
    (llama, rag), doc = read(path)
    assert not doc.notices
    assert llama.title == "LLaMA: Open and Efficient Foundation Language Models"
    assert (llama.arxiv_id, llama.published, llama.year) == ("2302.13971", "2023-02-27", 2023)
    assert llama.authors == ["Hugo Touvron", "Thibaut Lavril", "Gautier Izacard"]
    assert llama.categories == ["cs.CL"]  # eprintclass
    assert llama.abstract.startswith("We introduce LLaMA, a collection")
    assert rag.title == "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks"
    assert (rag.arxiv_id, rag.published) == ("2005.11401", "2020-12")
    assert rag.authors[3] == "Heinrich K\u00fcttler"  # K{\"u}ttler
    assert rag.venue == "Advances in Neural Information Processing Systems"
