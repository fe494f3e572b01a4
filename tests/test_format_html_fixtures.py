"""The HTML page layouts on pages of the same kinds that are not the shared real ones.

Fixtures in tests/fixtures/html/ were written for these tests from each site's markup in
its other eras and pages (an arXiv /new page in the 2024 and the pre-2024 markup, a
Hugging Face weekly page of 2025 with the JSON in single quotes, today's Scholar
markup, a modern abstract page, a newsletter without references, a blog's
bibliography): "a saved page of the same kind that you did not see imports as a user
would expect".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import Document, html_huggingface

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def read(name: str, layout: str) -> tuple[list[Record], Document]:
    doc = Document.from_path(FIXTURES / name)
    assert sources.detect(doc.head) == layout
    return list(sources.LAYOUTS[layout].parse(doc)), doc


def test_arxiv_new_page_2024_markup_sections_and_days():
    records, doc = read("arxiv-new_cs.CL_2025-01-14.html", "html-arxiv-listing")
    assert [r.arxiv_id for r in records] == ["2501.07001", "2501.07002", "2501.06543",
                                             "2403.01234"]  # the <nav> link is not an entry
    first, second, cross, replaced = records
    assert first.title == ("Sparse Attention for $\\mathcal{O}(n)$ Long-Context Translation "
                           "& Summarisation")
    assert first.authors == ["Chloé Moreau", "Emeka Okafor", "Anna Lindqvist"]
    assert first.arxiv_version == 1 and second.arxiv_version is None
    assert first.categories == ["cs.CL", "cs.LG"]
    assert first.venue == "Findings of ACL 2025"
    assert first.comments == "9 pages, 4 figures; code at this https URL"
    assert first.abstract == ("We study sparse attention for long inputs. Our method scales "
                              "as $\\mathcal{O}(n)$ and keeps 98% of the quality.")
    assert first.pdf_url == "https://arxiv.org/pdf/2501.07001"
    assert {r.date_label for r in records} == {"2025-01-14"}
    assert first.published == cross.published == "2025-01-14"
    assert cross.categories[0] == "cs.LG"
    # a replacement's day is the replacement's, not the paper's
    assert replaced.published is None and replaced.arxiv_version == 3
    assert replaced.year == 2024  # from its id
    assert not doc.notices


def test_arxiv_new_page_old_markup():
    records, _ = read("arxiv-new_old-markup_2019-03-13.html", "html-arxiv-listing")
    new, cross, replaced = records
    assert new.authors == ["Jürgen Müller", "Lucia Ortiz"]  # &#xfc; and &uuml;
    assert new.published == "2019-03-13"  # "New submissions for Wed, 13 Mar 19"
    assert new.abstract == ("Stochastic gradient noise is known to help generalisation. "
                            "We show when it does not.")
    assert new.categories == ["cs.LG", "stat.ML"]
    assert cross.categories == ["stat.ML", "cs.LG"] and cross.published == "2019-03-13"
    assert replaced.published is None and replaced.venue == "ICML 2019"
    assert replaced.date_label == "2019-03-13"


def test_arxiv_abstract_page_2024_with_doi_and_journal_reference():
    [rec], _ = read("arxiv-abs_2403.05530_2024.html", "html-arxiv-abs")
    assert (rec.arxiv_id, rec.arxiv_version) == ("2403.05530", 3)
    assert rec.title == "Gemma-Style Distillation for $k$-Sparse Mixtures"
    assert rec.authors == ["Nour Ba'albaki", "Wei Zhou"]
    assert rec.published == "2024-03-08"
    assert rec.doi == "10.1109/tpami.2024.1234567"
    assert rec.venue == "IEEE TPAMI 46 (2024) 100-112"
    assert rec.categories == ["cs.LG", "cs.CL"]
    assert rec.abstract == "We distil sparse mixtures of experts into dense students, keeping $k$ experts active."


def test_arxiv_search_fragment_with_versions_doi_and_journal_reference():
    records, _ = read("arxiv-search_versions_fragment.html", "html-arxiv-search")
    qlora, lora = records
    assert qlora.doi == "10.5555/3666122.3666563" and qlora.venue == "NeurIPS 2023"
    assert qlora.categories == ["cs.LG", "cs.CL"]  # the doi tag is not a category
    assert qlora.abstract.endswith("on a single 48GB GPU.")
    # "Submitted 16 October, 2021; v1 submitted 17 June, 2021": the first version's day
    assert lora.published == "2021-06-17" and lora.arxiv_version == 2


def test_hf_weekly_page_2025_json_in_single_quotes():
    records, doc = read("hf-papers-week_2025-W02.html", "html-huggingface")
    assert [r.arxiv_id for r in records] == ["2501.04519", "2501.04682"]  # listed twice: once
    rstar = records[0]
    assert rstar.title == ("rStar-Math: Small LLMs Can Master Math Reasoning with "
                           "Self-Evolved Deep Thinking")
    assert rstar.authors == ["Mei Tanaka", "Oluwaseun Adeyemi", "Léa Fournier"]
    assert rstar.abstract == ("We present rStar-Math to show that small language models can "
                              "rival OpenAI's o1 in math reasoning. It reaches 90.0\\% on "
                              "MATH & more.")
    assert rstar.date_label == "2025-W02" and rstar.published == "2025-01-08"
    assert rstar.code_url == "https://github.com/example/rStar"
    assert rstar.summary == "Small models with tree search rival much larger ones at math."
    assert rstar.keywords == ["Monte Carlo Tree Search", "process reward model"]
    votes = [e.upvotes for e in html_huggingface.entries(Document.from_path(
        FIXTURES / "hf-papers-week_2025-W02.html"))]
    assert votes == [231, 88] == [r.upvotes for r in records]
    assert not doc.notices


def test_hf_page_whose_json_is_broken_falls_back_to_its_cards_and_says_so():
    records, doc = read("hf-trending_no-json.html", "html-huggingface")
    assert [(r.arxiv_id, r.title) for r in records] == [
        ("2504.13837", "Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs?"),
        ("2503.14476", "DAPO: An Open-Source LLM Reinforcement Learning System at Scale")]
    assert [r.upvotes for r in records] == [77, None]  # a card's vote box, when it has one
    assert [n.line for n in doc.notices] == [7, 7]
    assert "is not JSON" in doc.notices[0].message


def test_scholar_page_2024_markup():
    records, _ = read("scholar_transformers_2024.html", "html-scholar")
    attention, bert, book, primer = records
    assert attention.title == "Attention is all you need"
    assert attention.arxiv_id == "1706.03762"  # from the "[PDF] arxiv.org" side link
    assert attention.authors == ["A Vaswani", "N Shazeer", "N Parmar"]  # "N Parmar…"
    assert (attention.venue, attention.year) == ("Advances in neural …", 2017)
    assert (bert.arxiv_id, bert.arxiv_version) == ("1810.04805", 2)
    assert bert.title.startswith("Bert: Pre-training")  # "[HTML]" badge dropped
    assert book.title == "Speech and language processing" and book.year == 2009
    assert book.arxiv_id is None and book.venue is None
    assert primer.doi == "10.1162/tacl_a_00349" and primer.arxiv_id is None


def test_pwc_cards_of_another_list_page():
    records, _ = read("pwc-latest_cards.html", "html-pwc")
    lora, other = records
    assert lora.arxiv_id == "2106.09685" and lora.published == "2021-06-17"
    assert lora.keywords == ["Language Modelling"]
    assert other.arxiv_id is None and other.title == "Graph Kernels for Chemistry, Revisited"


def test_newsletter_without_references_every_arxiv_link_is_a_paper():
    records, _ = read("newsletter_2024-06-30.html", "html-links")
    assert [(r.arxiv_id, r.arxiv_version) for r in records] == [
        ("2404.02258", None), ("2406.11794", 2), ("2406.02528", None)]  # nav link dropped
    mod, dclm, argued = records
    assert mod.title == "Mixture-of-Depths: Dynamically Allocating Compute in Transformers"
    assert dclm.title == "DataComp-LM: In Search of the Next Generation of Training Sets"
    # no title anywhere near: the id stands in, as a name a merge replaces
    assert argued.title == "arXiv:2406.02528" and argued.title_is_name
    assert {r.date_label for r in records} == {"2024-06-30"}  # JSON-LD datePublished


def test_blog_bibliography_is_the_list_and_a_doi_reference_is_a_paper():
    records, _ = read("blog_bibliography.html", "html-links")
    mamba, s4, kalman = records
    assert (mamba.arxiv_id, mamba.arxiv_version, mamba.year) == ("2312.00752", 2, 2023)
    assert mamba.title == "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert mamba.authors == ["Albert Gu", "Tri Dao"]
    assert s4.authors == [] and (s4.year, s4.venue) == (2022, "ICLR")  # "Gu et al."
    assert kalman.arxiv_id is None and kalman.doi == "10.1115/1.3662552"
    assert (kalman.year, kalman.venue) == (1960, "Journal of Basic Engineering")
    ids = {r.arxiv_id for r in records}
    assert "2208.04933" not in ids and "2405.21060" not in ids  # body and comments only
    assert {r.date_label for r in records} == {"2024-02-11"}


def test_page_with_no_paper_links_is_of_no_known_layout():
    page = ("<!DOCTYPE html><html><head><title>Recipes</title></head><body><h1>Soup</h1>"
            "<p>See <a href='https://example.org/'>this</a>.</p></body></html>")
    with pytest.raises(DigestError, match="not a paper list paperdeck knows"):
        sources.detect(page)
    with pytest.raises(DigestError, match="no links to papers"):
        list(sources.LAYOUTS["html-links"].parse(Document.from_text(page)))


@pytest.mark.parametrize("text", [
    "# Notes\n\nSee <a href='https://arxiv.org/abs/2401.00001'>this</a> and "
    "[that](https://arxiv.org/abs/2401.00002).\n",
    "<p align='center'><img src='logo.png'></p>\n\n# Awesome\n- "
    "[Paper](https://arxiv.org/abs/2401.00001)\n",
    "Papers: https://arxiv.org/abs/2401.00001 and <https://arxiv.org/abs/2401.00002>\n",
])
def test_markdown_and_text_with_links_are_not_claimed(text):
    for name in sources.LAYOUTS:
        if name.startswith("html-"):
            assert sources.LAYOUTS[name].sniff(text) <= sources.THRESHOLD
    with pytest.raises(DigestError):
        list(sources.LAYOUTS["html-links"].parse(Document.from_text(text)))


def test_forcing_a_page_of_a_known_kind_as_links_names_its_layout():
    doc = Document.from_path(FIXTURES / "scholar_transformers_2024.html")
    with pytest.raises(DigestError, match="html-scholar"):
        list(sources.LAYOUTS["html-links"].parse(doc))


def test_scholar_cited_by_page_2024():
    """A "Cited by" list: the cited paper is the page's heading (an h2), not a result;
    the arXiv id from a side link or from the title link itself (with its version)."""
    records, doc = read("scholar_cited-by_2024.html", "html-scholar")
    assert not doc.notices
    bert, gpt3, book, t5 = records
    assert "Attention is all you need" not in [r.title for r in records]
    assert bert.title == ("Bert: Pre-training of deep bidirectional transformers for language "
                          "understanding")
    assert bert.arxiv_id == "1810.04805"
    assert bert.authors == ["J Devlin", "MW Chang", "K Lee", "K Toutanova"]
    assert (bert.venue, bert.year) == ("Proceedings of the 2019 conference of …", 2019)
    assert (gpt3.title, gpt3.arxiv_id, gpt3.arxiv_version) == (
        "Language models are few-shot learners", "2005.14165", 4)
    assert (book.title, book.year, book.venue) == ("Deep learning", 2016, None)
    assert t5.arxiv_id is None and t5.url == "https://www.jmlr.org/papers/v21/20-074.html"
    assert t5.summary.startswith("Transfer learning, where a model") and t5.abstract == ""
