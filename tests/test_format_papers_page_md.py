"""The sample sites saved another way: the daily and trending papers pages saved as
Markdown (papers-page-md), and another episode page of the podcast (podcast layout).

The saved pages under tests/fixtures/markdown/ were written for these tests from the
samples' own titles and abstracts, laid out as html2text and MarkDownload lay out such
a page; the arXiv ids in their links are illustrative. The podcast page's episodes and
abstracts were written for it too."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.merge import group_records
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, markdown_list, papers_page_md, podcast

from .helpers import DAILY, PODCAST, TRENDING

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"
DAILY_MD = FIXTURES / "daily-papers-html2text.md"
TRENDING_MD = FIXTURES / "trending-markdownload.md"


def read(layout, text: str):
    return list(layout.parse(Document.from_text(text)))


def sample(path: Path, layout) -> dict[str, str]:
    """title -> abstract of a sample page read as text."""
    return {r.title: r.abstract for r in read(layout, path.read_text())}


def test_daily_page_saved_by_html2text():
    text = DAILY_MD.read_text()
    assert sources.detect(text) == "papers-page-md"
    recs = read(papers_page_md, text)
    # every block is printed twice on this save: one record each
    assert [(r.line, r.arxiv_id, r.date_label) for r in recs] == [
        (13, "2403.05123", "Mar 11"), (44, "2403.05124", "Mar 11"),
        (80, "2403.05133", "Mar 11"), (116, "2403.04912", "Mar 10")]
    first = recs[0]
    # a title wrapped over two heading lines, its [n] link resolved from the table at the end
    assert first.title == ("One Eye is All You Need: Lightweight Ensembles for Gaze "
                           "Estimation with Single Encoders")
    assert (first.published, first.year) == ("2024-03-08", 2024)
    assert all(r.published is None and r.year is None for r in recs[1:])  # `Mar 7`: no year
    assert all(r.week is None for r in recs)  # a page date without a year is only printed
    # the hard-wrapped paragraphs are the abstract the page printed: the text layout's
    abstracts = sample(DAILY, sources.LAYOUTS["daily-papers"])
    for rec in recs:
        assert rec.abstract == " ".join(abstracts[rec.title].split())
        assert rec.summary is None and rec.authors == []  # "3 authors" names nobody
        assert "authors" not in rec.abstract and "▲" not in rec.abstract


def test_trending_page_saved_by_markdownload():
    text = TRENDING_MD.read_text()
    assert sources.detect(text) == "papers-page-md"
    recs = read(papers_page_md, text)
    assert [(r.line, r.arxiv_id, r.published) for r in recs] == [
        (9, "2410.22884", "2024-10-30"), (30, "2505.08311", "2025-05-13"),
        (59, "2501.15316", "2025-01-25")]
    # a heading wrapped into a plain second line
    assert recs[2].title == ("ToMoE: Converting Dense Large Language Models to "
                             "Mixture-of-Experts through Dynamic Structural Pruning")
    abstracts = sample(TRENDING, sources.LAYOUTS["trending"])
    for rec in recs:
        assert rec.abstract == " ".join(abstracts[rec.title].split())
        assert "upvotes" not in rec.abstract and "GitHub" not in rec.abstract


@pytest.mark.parametrize("saved, page, layout", [(DAILY_MD, DAILY, "daily-papers"),
                                                  (TRENDING_MD, TRENDING, "trending")])
def test_saved_pages_merge_with_the_same_pages_read_as_text(saved, page, layout):
    md = read(papers_page_md, saved.read_text())
    text = read(sources.LAYOUTS[layout], page.read_text())
    groups = group_records(md + text)
    for i in range(len(md)):
        [group] = [g for g in groups if i in g]
        assert len(group) == 2  # the Markdown record and the text page's record


def test_papers_page_is_not_claimed_by_the_markdown_list_layout():
    for path in (DAILY_MD, TRENDING_MD):
        text = path.read_text()
        assert papers_page_md.sniff(text) > markdown_list.sniff(text) > sources.THRESHOLD


def test_a_markdown_paper_list_forced_as_a_papers_page_is_refused():
    text = ("## Daily Papers (2024-03-11)\n\n### [ELLA: Equip Diffusion Models with LLM]"
            "(https://arxiv.org/abs/2403.05135)\n\nVote: 31\n\n- 한국어 요약이 여기에 있다 "
            "그리고 이것은 초록이 아니라 요약이다 정말로 그렇다 아주 길게 쓴 문장이다.\n")
    assert papers_page_md.sniff(text) == 0.0
    with pytest.raises(DigestError, match="this is a Markdown paper list") as err:
        read(papers_page_md, text)
    assert err.value.line == 3


def test_another_podcast_episode_page_reads_with_the_podcast_layout():
    text = (FIXTURES / "podcast-more-episodes.txt").read_text()
    assert sources.detect(text) == "podcast"
    recs = read(podcast, text)
    assert [(r.line, r.title, r.year, len(r.authors)) for r in recs] == [
        (19, "Mixture-of-Agents Enhances Large Language Model Capabilities", 2024, 5),
        (24, "Grokked Transformers are Implicit Reasoners: A Mechanistic Journey to the Edge "
             "of Generalization", 2024, 4),
        (29, "The Unreasonable Ineffectiveness of the Deeper Layers", 2024, 5),
        (34, "Chronos: Learning the Language of Time Series", 2024, 17),
    ]
    assert recs[2].authors[-1] == "Daniel A. Roberts"
    assert recs[0].abstract.endswith("ahead of a much larger closed model.")
    # none of these episodes is on the sample page: all new papers
    titles = {r.title for r in read(podcast, PODCAST.read_text())}
    assert not titles & {r.title for r in recs}
