"""Markdown and plain-text paper lists: the markdown, papers-page-md and id-list layouts,
weekly-picks claiming only its own tables, and the dates that head a week."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import (
    Document,
    base,
    id_list,
    markdown_list,
    papers_page_md,
    weekly_picks,
)

from .helpers import PICKS


def read(layout, text: str):
    return list(layout.parse(Document.from_text(text)))


# --- weekly-picks claims only its own table ----------------------------------------------

README_TABLE = """# A tool

| key | what it does |
| --- | --- |
| `q` | quit |
"""


def test_weekly_picks_claims_only_a_table_with_its_header():
    assert weekly_picks.sniff(PICKS.read_text()) == 0.95
    assert weekly_picks.sniff(README_TABLE) == 0.0
    papers_table = ("| **Paper** | **Links** |\n| --- | --- |\n"
                    "| 1) **GNN-RAG** - a summary | [Paper](https://arxiv.org/abs/2405.20139) |\n")
    assert weekly_picks.sniff(papers_table) == 0.0
    # its header in another order and case, with only some of its columns
    assert weekly_picks.sniff("| Abstract | Title |\n|---|---|\n| a | b |\n") == 0.95
    assert weekly_picks.sniff("| abstract | notes |\n|---|---|\n| a | b |\n") == 0.6
    # a second table further down is looked at too
    assert weekly_picks.sniff(README_TABLE + "\n| title | abstract |\n|---|---|\n") == 0.95


def test_a_readme_with_a_table_is_no_digest_and_forcing_weekly_picks_names_the_line():
    with pytest.raises(DigestError, match="not a paper list paperdeck knows"):
        sources.detect(README_TABLE)
    with pytest.raises(DigestError, match="no title and abstract column") as err:
        read(weekly_picks, README_TABLE)
    assert err.value.line == 3


# --- the dates that head a week (sources/dates.py: last_day, printed_day, week_closing) ---


@pytest.mark.parametrize("text, year, day", [
    ("Top ML Papers of the Week (June 23 - June 29) - 2025", None, "2025-06-29"),
    ("Top ML Papers of the Week (December 30 - January 5) - 2025", None, "2025-01-05"),
    ("Daily Papers (2024-03-11)", None, "2024-03-11"),
    ("2024-06-24 to 2024-06-30", None, "2024-06-30"),
    ("Published on Mar 8, 2024", None, "2024-03-08"),
    ("Top ML Papers of the Week (Jan 1-8)", None, None),  # no year: none is guessed
    ("Top ML Papers of the Week (Jan 1-8)", 2023, "2023-01-08"),  # a year heading above
    ("Week (Feb 20-26)", 2023, "2023-02-26"),
    ("(Jan 30-Feb 5)", 2023, "2023-02-05"),
    ("Mar 6-Mar 12", 2023, "2023-03-12"),
    ("June 31 - July 2, 2024", None, "2024-07-02"),
    ("June 29 - June 31, 2024", None, None),  # no such day
    ("May 2024 papers", None, None),  # a month is not a day
    ("Decoding 3 papers", 2024, None),  # not a month name
    ("", None, None),
])
def test_last_day_of_a_heading(text, year, day):
    from paperdeck.index.sources.dates import last_day
    assert last_day(text, year) == day


def test_printed_day_and_week_closing():
    from paperdeck.index.sources.dates import printed_day, week_closing
    assert printed_day("Top ML Papers of the Week (Jan 1-8)") == "Jan 1-8"
    assert printed_day("## Top ML Papers of the Week (December 25 - December 31)") == \
        "December 25 - December 31"
    assert printed_day("Mar 11") == "Mar 11" and printed_day("Milestone papers") is None
    assert week_closing("2025-06-29") == "2025-06-29"  # a Sunday closes its own week
    assert week_closing("2024-03-11") == "2024-03-17"  # a Monday: the Sunday after
    assert week_closing("2024-12-31") == "2025-01-05"
    assert week_closing("2024-02-30") is None and week_closing("2024-03") is None


# --- the markdown layout on lists written from its specification (fixtures) -------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def records(name: str, layout=markdown_list):
    return read(layout, fixture(name))


def by_id(recs, arxiv_id):
    [rec] = [r for r in recs if r.arxiv_id == arxiv_id]
    return rec


def test_awesome_list_table_rows_and_bullets():
    recs = records("awesome-list.md")
    assert [r.title for r in recs] == [
        "Attention Is All You Need",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "Language Models are Few-Shot Learners",
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "Beyond the Imitation Game: Quantifying and extrapolating the capabilities of "
        "language models",
        "GPT-4 Technical Report",
        "QLoRA",
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?",
        "Prefix-Tuning: Optimizing Continuous Prompts for Generation",
        "Mixtral of Experts",
        "Mamba",
    ]
    assert all(r.layout == "markdown" and r.abstract == "" for r in recs)
    # the table: a Date column dates the paper, the keywords column is keywords, a
    # column of its own (Institute) is said in the summary, the Code column is code
    attention = by_id(recs, "1706.03762")
    assert (attention.line, attention.published, attention.year) == (25, "2017-06", 2017)
    assert attention.keywords == ["Transformers"] and attention.summary == "Institute: Google"
    lora = by_id(recs, "2106.09685")
    assert lora.code_url == "https://github.com/microsoft/LoRA"
    assert lora.keywords == ["LoRA", "PEFT"]
    gpt3 = by_id(recs, "2005.14165")
    assert gpt3.arxiv_version == 4
    # in the Paper column the row is the paper wherever its link goes
    bert = next(r for r in recs if r.title.startswith("BERT"))
    assert bert.arxiv_id is None and bert.url == bert.pdf_url == "https://aclanthology.org/N19-1423.pdf"
    bigbench = next(r for r in recs if r.title.startswith("Beyond the Imitation Game"))
    assert bigbench.code_url == "https://github.com/google/BIG-bench" and bigbench.url is None
    assert next(r for r in recs if r.title == "GPT-4 Technical Report").url == \
        "https://openai.com/research/gpt-4"


def test_awesome_list_bullets_titles_summaries_and_links():
    recs = records("awesome-list.md")
    qlora = by_id(recs, "2305.14314")
    assert qlora.title_is_name and qlora.code_url == "https://github.com/artidoro/qlora"
    assert qlora.summary == ("finetunes a 65B model on one 48 GB GPU by backpropagating "
                             "through a frozen 4-bit model into adapters.")
    dpo = by_id(recs, "2305.18290")
    assert dpo.summary == "trains on preference pairs without a reward model."
    assert not dpo.title_is_name
    # a venue link and an [arXiv 2021] link beside it: one paper, both ids
    parrots = by_id(recs, "2102.99999")
    assert parrots.doi == "10.1145/3442188.3445922" and parrots.url.startswith("https://doi.org/")
    # GitHub shows a bare URL in a list item as a link: the words before it are the title
    prefix = by_id(recs, "2101.00190")
    assert prefix.title == "Prefix-Tuning: Optimizing Continuous Prompts for Generation"
    assert prefix.summary is None
    # nested items, Hugging Face and alphaXiv links
    assert by_id(recs, "2401.04088").summary == "sparse mixture of experts."
    assert by_id(recs, "2312.00752").title_is_name  # one word: a name
    # repositories, blogs, tweets, leaderboards and badges are not papers
    titles = " ".join(r.title for r in recs)
    for word in ("vLLM", "llama.cpp", "Scaling Laws", "thread", "Arena", "License", "Awesome"):
        assert word not in titles


def test_papers_of_the_week_tables_under_week_headings():
    recs = records("papers-of-the-week.md")
    assert [(r.line, r.title, r.arxiv_id, r.week, r.date_label) for r in recs] == [
        (12, "LongRAG", "2406.15319", "2024-06-30", None),
        (13, "GraphReader: Building Graph-based Agent to Enhance Long-Context Abilities of "
             "Large Language Models", "2406.14550", "2024-06-30", None),
        (14, "A Survey of Tool Learning", None, "2024-06-30", None),
        # no year in the heading: the week is kept as printed, no year is guessed
        (20, "Mixtral of Experts", "2401.04088", None, "Jan 1-7"),
    ]
    longrag, graph, survey, mixtral = recs
    assert longrag.title_is_name and not graph.title_is_name
    assert longrag.summary == ("Proposes a retrieval framework with long retrieval units; it "
                               "cuts the number of units the retriever has to search. ● Long "
                               "retrieval units: whole documents or groups of them.")
    assert graph.summary == ("a graph-based agent that structures long texts into a graph and "
                             "explores it.")
    assert graph.arxiv_version == 1 and graph.code_url == "https://github.com/example/graphreader"
    # [Paper 1], [Paper 2]: the list calls both the paper
    assert survey.url == "https://example.org/tools/part1.html"
    assert mixtral.summary.startswith("a sparse mixture-of-experts model")  # the first listing
    assert all(r.abstract == "" for r in recs)  # a digest's words are never the abstract


def test_numbered_list_with_wrapped_titles():
    recs = records("numbered-list.md")
    assert [(r.line, r.arxiv_id, r.arxiv_version) for r in recs] == [
        (1, "2306.07377", 1), (3, "2202.03371", 1), (4, "2302.08387", 1),
        (6, "2210.14473", None), (8, "hep-th/9901001", 2)]
    assert recs[0].title == ("Lost in Translation: Large Language Models in Non-English "
                             "Content Analysis")
    assert recs[3].title == "Benchmarking Language Models for Code Syntax Understanding"


def test_reading_log_headings_authors_votes_and_dates():
    recs = records("reading-log.md")
    ella, gemini, longrag, mamba = recs
    assert (ella.line, ella.arxiv_id, ella.week) == (3, "2403.05135", "2024-03-17")
    assert ella.title == "ELLA: Equip Diffusion Models with LLM for Enhanced Semantic Alignment"
    assert ella.authors == ["Yixiao Fang", "Xiwei Hu", "Pei Cheng", "Gang Yu"]  # "+" dropped
    assert ella.summary.startswith("ELLA는 텍스트-이미지") and "Vote" not in ella.summary
    assert "Authors" not in ella.summary and ella.abstract == ""
    assert gemini.authors == ["Machel Reid", "Nikolay Savinov"]
    assert (longrag.week, longrag.categories) == ("2024-06-30", ["cs.CL", "cs.IR"])
    assert longrag.summary == "long retrieval units."
    # a heading over a paragraph of prose names the paper; a Published line dates it
    assert (mamba.title, mamba.published, mamba.year) == ("Mamba", "2023-12-01", 2023)
    assert mamba.summary == "A selective state space model, linear in the sequence length."


def test_clippings_digest():
    recs = records("clippings.md")
    assert [r.arxiv_id for r in recs] == ["2509.05360", "2509.04001"]  # a news item is no paper
    rouge, conformal = recs
    assert rouge.title == "Beyond ROUGE: N-Gram Subspace Features for LLM Hallucination Detection"
    assert (rouge.published, rouge.week, rouge.categories) == ("2025-09-09", "2025-09-14",
                                                               ["cs.CL"])
    # the cut quote of the abstract is the digest's excerpt: a summary, not the abstract
    assert rouge.summary == ("Large Language Models (LLMs) have demonstrated effectiveness "
                             "across a wide variety of tasks involving natural l")
    assert rouge.abstract == ""
    assert conformal.categories == ["stat.ML"] and conformal.published == "2025-09-08"


def test_reference_links_autolinks_quotes_and_what_is_not_a_link():
    recs = records("references.md")
    assert [(r.line, r.arxiv_id, r.title) for r in recs] == [
        (4, "2203.02155", "Training language models to follow instructions with human feedback"),
        (6, "2201.11903", "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models"),
        (8, "2205.11916", None),  # an autolink names no title: the merge brings one
        (9, "2307.09288", "Llama 2: Open Foundation and Fine-Tuned Chat Models"),
    ]
    assert recs[1].summary == "the paper that started it."
    # a link in a code block, a code span or raw HTML is not a link: 2308.12950,
    # 2403.08295 and 2404.14219 give no record


def test_markdown_without_paper_links_is_not_a_paper_list():
    text = fixture("changelog.md")
    assert markdown_list.sniff(text) == 0.0
    with pytest.raises(DigestError, match="not a paper list paperdeck knows"):
        sources.detect(text)
    with pytest.raises(DigestError, match="no paper links"):
        read(markdown_list, text)


def test_a_project_readme_citing_its_paper_is_not_detected_but_can_be_forced():
    text = fixture("project-readme.md")
    assert markdown_list.sniff(text) < sources.THRESHOLD
    [rec] = read(markdown_list, text)
    assert (rec.arxiv_id, rec.title) == ("2205.14135", None)  # "our paper" names no title


# --- hostile input: records or a DigestError, never another exception --------------------

LINK = "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
HOSTILE = {
    "a quote nested 100,000 deep": "> " * 100_000 + LINK,
    "lists nested 2,000 deep": "".join("  " * i + "- x\n" for i in range(2000)) + LINK,
    "100,000 opening brackets": "x" + "[" * 100_000 + LINK,
    "100,000 stars": "*" * 100_000 + "a " + LINK,
    "100,000 backticks": "`" * 100_000 + LINK,
    "a row of a million cells": "| a | b |\n|---|---|\n" + "|" * 1_000_000 + "\n",
    "a header of 100,000 cells": "|" * 100_000 + "\n" + "|---" * 50_000 + "\n",
    "a 5 MB line": "word " * 1_000_000 + LINK,
    "5,000 links nested in each other": "x" + "[" * 5000 + "a" + "](https://arxiv.org/abs/1706.03762)" * 5000,
    "a link destination with a version of 5,000 digits": "[T](https://arxiv.org/abs/1706.03762v"
                                                         + "9" * 5000 + ")",
}


@pytest.mark.parametrize("layout", ["markdown", "papers-page-md", "id-list"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_markdown(layout, case):
    text = HOSTILE[case]
    sources.LAYOUTS[layout].sniff(text[:sources.HEAD_CHARS])  # never raises
    try:
        recs = sources.parse(text, layout=layout)
    except DigestError as err:
        assert err.path is None and err.reason
        return
    assert all(r.layout == layout and r.line >= 1 for r in recs)
    if layout == "markdown":  # the one true paper link in it, and nothing made up
        assert {r.arxiv_id for r in recs} <= {"1706.03762"}


def test_a_list_cut_short_keeps_what_is_whole():
    text = fixture("numbered-list.md")
    cut = text[: text.index("2302.08387") + 6]  # inside the third link
    recs = read(markdown_list, cut)
    assert [r.arxiv_id for r in recs] == ["2306.07377", "2202.03371"]  # no id cut in half


def test_latin1_and_bom(tmp_path):
    f = tmp_path / "list.md"
    f.write_bytes(b"\xef\xbb\xbf# Lectures \xe9t\xe9\n\n- [Attention Is All You Need]"
                  b"(https://arxiv.org/abs/1706.03762) - caf\xe9 notes\n")
    doc = Document.from_path(f)
    assert sources.detect(doc.head) == "markdown"
    [rec] = list(markdown_list.parse(doc))
    assert rec.title == "Attention Is All You Need" and rec.summary == "caf\ufffd notes"


_MD_PIECES = st.sampled_from([
    "[", "]", "(", ")", "**", "_", "*", "# ", "### ", "- ", "1. ", "10) ", "| ", " |", "|---|",
    "\n", "\n\n", "---", "`", "<", ">", "!", "\\", "&amp;", "  ", "<br>", "<details>",
    "https://arxiv.org/abs/2406.15319", "https://huggingface.co/papers/2406.15319v2",
    "https://doi.org/10.1145/3442188.3445922", "https://github.com/a/b", "[Paper]", "[x][1]",
    "[1]: ", "Title words", "Authors: A B, C D", "2024-06-30", "Published on Mar 8, 2024",
    "▲ 5", "3 authors", "Abstract: ", "_arXiv cs.CL_", "(June 23 - June 29) - 2025", "2406.15319",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_MD_PIECES, st.text(max_size=8)), max_size=60))
def test_any_text_gives_records_or_a_digest_error(pieces):
    text = "".join(pieces)
    n_lines = text.count("\n") + text.count("\r") + 1
    for layout in (markdown_list, papers_page_md, id_list):
        assert 0.0 <= layout.sniff(text) <= 1.0
        try:
            recs = list(layout.parse(Document.from_text(text)))
        except DigestError:
            continue
        for rec in recs:
            assert 1 <= rec.line <= n_lines and rec.layout == layout.NAME
            assert rec.title is None or base.plausible_title(rec.title)
            assert rec.arxiv_id or rec.doi or rec.title
