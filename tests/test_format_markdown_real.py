"""The Markdown layouts against the real paper lists in ../shared (other people's files,
read where they are, never copied): the README's counts and facts, detection of every
real file, and forcing the layouts onto the files of other formats."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, base, id_list, markdown_list, papers_page_md

from .helpers import PICKS, ROOT, SEEDS

# beside the clone (CI); from a git worktree nested one level deeper, beside its parent
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "realworld").is_dir()),
              ROOT.parent / "shared")
REAL = SHARED / "realworld"
MINE = {"markdown", "papers-page-md", "id-list"}
# what each real Markdown paper list is read as
LISTS = {
    "awesome-llm_README.md": "markdown",
    "chatgentitle_llms-papers-list.md": "markdown",
    "dair-ai_ml-papers-of-the-week_README.md": "markdown",
    "hf-daily-papers-ko-log_2024-03-11.md": "markdown",
    "ai-curator_arxiv-clippings_2025-09-09.md": "markdown",
}


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"the shared real files are absent: {path} (CI has {SHARED} beside the "
                    "clone)")
    return path


def real(name: str):
    return list(markdown_list.parse(Document.from_path(shared("realworld", name))))


def every_real_file() -> list[Path]:
    files = []
    for folder in ("realworld", "realworld-html", "seeds"):
        if (SHARED / folder).is_dir():
            files += sorted(p for p in (SHARED / folder).iterdir() if p.is_file())
    return files


# --- the README's counts and facts --------------------------------------------------------


def test_awesome_llm():
    path = shared("realworld", "awesome-llm_README.md")
    recs = real(path.name)
    lines = path.read_text().split("\n")
    table = [n for n, line in enumerate(lines, 1) if re.match(r"\| 20\d\d-\d\d ", line)]
    assert len(table) == 62  # the milestone rows
    in_table = [r for r in recs if r.line in table]
    assert [r.line for r in in_table] == table  # every milestone row is a paper
    ids_in_file = set(re.findall(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", path.read_text()))
    assert len(ids_in_file) == 50
    assert {r.arxiv_id for r in recs if r.arxiv_id} == ids_in_file
    attention = next(r for r in recs if r.arxiv_id == "1706.03762")
    assert attention.title == "Attention Is All You Need"
    assert (attention.published, attention.year) == ("2017-06", 2017)
    assert all(r.published for r in in_table) and all(r.title for r in recs)
    # repositories, model cards and leaderboards listed in the bullets are not papers
    assert not any(r.title in ("TinyZero", "open-r1", "LiveBench", "vLLM") for r in recs)


def test_chatgentitle_numbered_list():
    recs = real("chatgentitle_llms-papers-list.md")
    assert len(recs) == 30 and all(r.arxiv_version for r in recs)
    cedille = next(r for r in recs if r.arxiv_id == "2202.03371")
    assert (cedille.title, cedille.arxiv_version) == (
        "Cedille: A large autoregressive French language model", 1)
    assert recs[0].title == ("Lost in Translation: Large Language Models in Non-English "
                             "Content Analysis")  # hard-wrapped in the file
    assert not any("\n" in r.title or "  " in r.title for r in recs)


def test_dair_ai_papers_of_the_week():
    path = shared("realworld", "dair-ai_ml-papers-of-the-week_README.md")
    recs = real(path.name)
    text = path.read_text()
    rows = [(n, line) for n, line in enumerate(text.split("\n"), 1)
            if re.match(r"\| \d+\) ", line)]
    assert len(rows) == 1300
    assert len({r.arxiv_id for r in recs if r.arxiv_id}) == 1098
    # 130 weekly tables: each dates its rows, by the week when the heading has a year;
    # two 2024 headings (March 18 - March 25, March 26 - March 31) end in one ISO week
    assert len(re.findall(r"(?m)^## Top ML Papers of the Week", text)) == 130
    assert len({r.week or r.date_label for r in recs}) == 129
    assert all(r.week or r.date_label for r in recs)
    first = next(r for r in recs if r.line == rows[0][0])
    assert (first.arxiv_id, first.week) == ("2506.17298", "2025-06-29")
    assert first.title == "Ultra-Fast Diffusion-based Language Models"
    assert first.summary.startswith("This paper introduces Mercury")
    assert first.abstract == ""
    # a row gives no record only when it links no paper (a project page, a blog) or
    # repeats the id of a row above it in the same week
    got = {r.line for r in recs}
    for n, line in rows:
        if n not in got:
            links = line.split("|")[-2]
            repeated = [r for r in recs if r.arxiv_id and r.arxiv_id in links]
            assert "[Paper" not in links or repeated, line[:80]
    # short names in bold or before the summary are names; real titles are not
    mem1 = next(r for r in recs if r.arxiv_id == "2506.15841")
    assert (mem1.title, mem1.title_is_name) == ("MEM1", True)
    zip_nerf = next(r for r in recs if r.title and r.title.startswith("Zip-NeRF"))
    assert not zip_nerf.title_is_name and zip_nerf.date_label == "April 10 - April 16"


def test_hf_daily_papers_korean_log():
    recs = real("hf-daily-papers-ko-log_2024-03-11.md")
    assert len(recs) == 7
    ella = recs[0]
    assert (ella.arxiv_id, ella.title) == (
        "2403.05135", "ELLA: Equip Diffusion Models with LLM for Enhanced Semantic Alignment")
    assert ella.authors == ["Yixiao Fang", "Xiwei Hu", "Pei Cheng", "Rui Wang", "Bin Fu",
                            "Gang Yu"]
    assert re.search("[\uac00-\ud7a3]", ella.summary) and ella.abstract == ""
    assert all(r.week == "2024-03-17" for r in recs)  # Daily Papers (2024-03-11)
    assert not any("Vote" in r.summary or "+" in r.authors for r in recs)


def test_ai_curator_clippings():
    path = shared("realworld", "ai-curator_arxiv-clippings_2025-09-09.md")
    recs = real(path.name)
    entries = [line for line in path.read_text().split("\n") if line.startswith("- **")]
    assert len(entries) == 200
    assert len(recs) == 195 and all(r.arxiv_id for r in recs)  # 5 are news, not papers
    rouge = next(r for r in recs if r.arxiv_id == "2509.05360")
    assert rouge.title == "Beyond ROUGE: N-Gram Subspace Features for LLM Hallucination Detection"
    assert (rouge.published, rouge.categories) == ("2025-09-09", ["cs.CL"])
    assert rouge.summary.startswith("Large Language Models (LLMs) have demonstrated")
    assert not any("Announce Type" in (r.summary or "") or r.abstract for r in recs)


def test_readmes_are_not_paper_lists():
    for path in (shared("seeds", "README.md"), shared("realworld", "README.md"),
                 shared("realworld-html", "README.md")):
        doc = Document.from_path(path)
        with pytest.raises(DigestError, match="not a paper list paperdeck knows"):
            sources.detect(doc.head)
        with pytest.raises(DigestError, match="no paper links"):
            list(markdown_list.parse(doc))


# --- detection of every real file ---------------------------------------------------------


def test_detection_of_every_real_file():
    files = every_real_file()
    if not files:
        pytest.skip(f"the shared real files are absent: {SHARED}")
    for path in files:
        head = Document.from_path(path).head
        scores = {name: layout.sniff(head) for name, layout in sources.LAYOUTS.items()}
        if path.name in LISTS:
            assert sources.detect(head) == LISTS[path.name], path.name
        elif path.name == PICKS.name:  # a Markdown table with paper links: weekly-picks'
            assert sources.detect(head) == "weekly-picks"
            assert scores["weekly-picks"] > scores["markdown"] > sources.THRESHOLD
        else:  # none of these layouts claims another format's file
            assert all(scores[name] <= sources.THRESHOLD for name in MINE), (path.name, scores)


def test_detection_of_the_samples_and_of_the_fixtures():
    for path in SEEDS:
        assert sources.detect(path.read_text()) not in MINE
    fixtures = ROOT / "tests" / "fixtures" / "markdown"
    expected = {"ids.txt": "id-list", "daily-papers-html2text.md": "papers-page-md",
                "trending-markdownload.md": "papers-page-md",
                "daily-papers-votes.md": "papers-page-md",
                "podcast-more-episodes.txt": "podcast"}
    for path in sorted(fixtures.iterdir()):
        text = path.read_text()
        if path.name in ("changelog.md", "project-readme.md"):
            with pytest.raises(DigestError, match="not a paper list"):
                sources.detect(text)
        else:
            assert sources.detect(text) == expected.get(path.name, "markdown"), path.name


# --- forcing these layouts onto the files of other formats -------------------------------


@pytest.mark.parametrize("layout", [markdown_list, papers_page_md, id_list])
def test_forcing_onto_foreign_real_files_is_refused(layout):
    files = every_real_file() + SEEDS
    if not every_real_file():
        pytest.skip(f"the shared real files are absent: {SHARED}")
    for path in files:
        if path.name in LISTS and layout is markdown_list:
            continue  # its own files
        doc = Document.from_path(path)
        try:
            recs = list(layout.parse(doc))
        except DigestError as err:
            assert str(err) and err.path is None
            continue
        # only a Markdown paper list of another layout may be read, and then only its
        # true paper links: the weekly-picks sample's Paper-Link column, as markdown
        assert (layout, path.name) == (markdown_list, "002_6315ac4b7056192c.txt"), path.name
        ids = re.findall(r"\(https://arxiv\.org/pdf/(\d{4}\.\d{4,5})", path.read_text())
        assert [r.arxiv_id for r in recs] == ids
        assert all(base.plausible_title(r.title) and r.abstract for r in recs)


def test_a_csv_with_arxiv_urls_forced_as_markdown_is_refused():
    for name in ("dair-ai_ml-potw_2023-10-23.csv", "ai-curator_snapshot_2025-09-09.csv"):
        doc = Document.from_path(shared("realworld", name))
        with pytest.raises(DigestError, match="CSV header, not Markdown") as err:
            list(markdown_list.parse(doc))
        assert err.value.line == 1
    # a CSV without a header is no Markdown list either: its URLs are not links there
    text = "Llemma,an LLM for mathematics,https://arxiv.org/abs/2310.10631\n"
    with pytest.raises(DigestError, match="no paper links"):
        list(markdown_list.parse(Document.from_text(text)))


def test_what_the_real_lists_give_in_total():
    counts = Counter()
    for name in LISTS:
        counts[name] = len(real(name))
    assert counts == {"awesome-llm_README.md": 64, "chatgentitle_llms-papers-list.md": 30,
                      "dair-ai_ml-papers-of-the-week_README.md": 1295,
                      "hf-daily-papers-ko-log_2024-03-11.md": 7,
                      "ai-curator_arxiv-clippings_2025-09-09.md": 195}
