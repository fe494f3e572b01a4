"""The HTML page layouts on the thirteen real saved pages of shared/realworld-html.

Counts and facts are those of that folder's README. Every real file of the three shared
folders is detected as the right page layout or as none of them, and forcing each page
layout onto a file of another kind is refused (tests/test_forcing_layouts.py, over
every layout).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.model import Record
from paperdeck.index.sources import Document, check_limits, html_huggingface

from .helpers import shared

ROOT = Path(__file__).resolve().parent.parent
HTML_LAYOUTS = [name for name in sources.LAYOUTS if name.startswith("html-")]


# file -> (layout, records) as the README counts them
PAGES = {
    "arxiv-list_astro-ph_pastweek_2024-11-22_browser-saved.html": ("html-arxiv-listing", 397),
    "arxiv-list_astro-ph.CO_pastweek_2022-11-11_old-markup.html": ("html-arxiv-listing", 90),
    "arxiv-search_abstract-query_2025-12_200-results.html": ("html-arxiv-search", 200),
    "arxiv-search_fragment_2-results.html": ("html-arxiv-search", 2),
    "arxiv-abs_1306.3879_2014.html": ("html-arxiv-abs", 1),
    "arxiv-abs_2106.09608_2021.html": ("html-arxiv-abs", 1),
    "hf-daily-papers_2024-08-01.html": ("html-huggingface", 13),
    "hf-paper-page_2509.24002_bs4-prettified.html": ("html-huggingface", 1),
    "google-scholar_search_quantum-theory_2017-11-22.html": ("html-scholar", 10),
    "google-scholar_cited-by_aharonov-bohm_2017-11-22.html": ("html-scholar", 10),
    "pwc-method-page_vae_2024-12-01.html": ("html-pwc", 1),
    "pwc-search_fragment_2-cards.html": ("html-pwc", 2),
    "blog_lilianweng_llm-powered-agents_2023-06-23.html": ("html-links", 16),
}

_READ: dict[str, tuple[list[Record], Document]] = {}


def read(name: str) -> list[Record]:
    """The records of one real page, read as detection says (once per test session)."""
    if name not in _READ:
        doc = Document.from_path(shared("realworld-html") / name)
        layout = sources.LAYOUTS[sources.detect(doc.head)]
        _READ[name] = (list(layout.parse(doc)), doc)
    return _READ[name][0]


def by_id(name: str, arxiv_id: str) -> Record:
    [rec] = [r for r in read(name) if r.arxiv_id == arxiv_id]
    return rec


@pytest.mark.parametrize("name", PAGES)
def test_real_page_detected_and_counted(name):
    doc = Document.from_path(shared("realworld-html") / name)
    layout, count = PAGES[name]
    assert sources.detect(doc.head) == layout
    records = read(name)
    assert len(records) == count
    for rec in records:
        check_limits(rec)
        assert rec.layout == layout and rec.line >= 1
        assert rec.title and rec.title == " ".join(rec.title.split())
        assert rec.abstract == " ".join(rec.abstract.split())
        assert rec.arxiv_id is None or "v" not in rec.arxiv_id
    ids = [r.arxiv_id for r in records if r.arxiv_id]
    assert len(ids) == len(set(ids))  # each page lists each paper once
    assert not _READ[name][1].notices  # nothing passed over on a real page


def test_page_with_its_folder_of_assets_imports_from_the_html_alone(tmp_path):
    # Saved "complete": CSS/JS in astro_ph_files/ beside it; that folder is not needed.
    page = shared("realworld-html") / "arxiv-list_astro-ph_pastweek_2024-11-22_browser-saved.html"
    copy = tmp_path / "saved.html"
    copy.write_bytes(page.read_bytes())
    assert not (tmp_path / "astro_ph_files").exists()
    assert len(sources.parse(copy.read_text(encoding="utf-8"))) == 397


# --- arXiv listings --------------------------------------------------------------------

NEW = "arxiv-list_astro-ph_pastweek_2024-11-22_browser-saved.html"
OLD = "arxiv-list_astro-ph.CO_pastweek_2022-11-11_old-markup.html"


def test_listing_2024_markup_facts():
    rec = by_id(NEW, "2411.14419")
    assert rec.title == ("Combining summary statistics with simulation-based inference for "
                         "the 21 cm signal from the Epoch of Reionization")
    assert rec.authors == ["Benoit Semelin", "Romain Mériot", "Ashutosh Mishra", "David Cornu"]
    assert rec.arxiv_version == 1  # from the "html" link, /html/2411.14419v1
    assert rec.published == "2024-11-22" and rec.year == 2024  # the first day heading
    assert rec.categories == ["astro-ph.CO"]
    assert rec.comments == "11 pages, submitted to A&A"
    assert rec.pdf_url == "https://arxiv.org/pdf/2411.14419"
    assert rec.abstract == ""  # a /pastweek listing shows no abstracts
    # five day headings, "showing 75/67/94/101/60 of ... entries"
    days = Counter(r.published for r in read(NEW))
    assert days == {"2024-11-22": 75, "2024-11-21": 67, "2024-11-20": 94,
                    "2024-11-19": 101, "2024-11-18": 60}


def test_listing_2024_markup_math_is_its_tex_source_not_the_rendering():
    # The browser-saved page holds MathJax's rendered spans and the TeX in a script.
    [rec] = [r for r in read(NEW) if r.title.startswith("Examining the evolution")]
    assert rec.title == "Examining the evolution of the Supersoft X-ray Source RX J$0513.9-6951$"


def test_listing_old_markup_facts():
    rec = by_id(OLD, "2211.05779")
    assert rec.title == ("MGLenS: Modified gravity weak lensing simulations for "
                         "emulation-based cosmological inference")
    assert len(rec.authors) == 7 and rec.authors[0] == "Joachim Harnois-Déraps"  # D&#xe9;raps
    assert rec.published == "2022-11-11" and rec.arxiv_version is None
    pbh = by_id(OLD, "2211.05767")
    assert pbh.title == "Primordial Black Holes"
    assert pbh.authors == ["Albert Escrivà", "Florian Kuhnel", "Yuichiro Tada"]
    assert pbh.categories == ["astro-ph.CO", "gr-qc", "hep-ph", "hep-th"]
    cross = by_id(OLD, "2211.05785")  # (cross-list from astro-ph.GA): its primary first
    assert cross.categories[0] == "astro-ph.GA" and "astro-ph.CO" in cross.categories
    assert len({r.published for r in read(OLD)}) == 5  # five day headings


# --- arXiv search -----------------------------------------------------------------------

SEARCH = "arxiv-search_abstract-query_2025-12_200-results.html"
FRAGMENT = "arxiv-search_fragment_2-results.html"


def test_search_page_facts():
    rec = by_id(SEARCH, "2512.03003")
    assert rec.title == "The role of the top Yukawa coupling in triple Higgs production at the LHC"
    assert rec.authors == ["Luca Panizzi"]
    assert rec.published == "2025-12-02" and rec.arxiv_version == 1
    assert rec.abstract.startswith("In this letter I quantify") and "More" not in rec.abstract
    assert len(by_id(SEARCH, "2512.02934").authors) == 3
    assert by_id(SEARCH, "2512.02934").title == "Stability of quantum chaos against weak non-unitarity"
    doi = by_id(SEARCH, "2512.10701")
    assert doi.doi == "10.1145/3773274.3774931"
    assert doi.comments.startswith("6 pages, 2 figures, 1 table. Accepted at UCC '25")


def test_search_fragment_facts():
    first, second = read(FRAGMENT)
    assert first.arxiv_id == "2309.14156" and first.arxiv_version == 1
    assert first.title == ("Designing and evaluating an online reinforcement learning agent for "
                           "physical exercise recommendations in N-of-1 trials")
    assert first.authors == ["Dominik Meier", "Ipek Ensari", "Stefan Konigorski"]
    assert first.published == "2023-09-25"
    assert first.categories == ["cs.LG", "stat.AP", "stat.ME"]
    assert first.abstract.endswith("transferable to other interventions and clinical interventions.")
    assert "△" not in first.abstract and "patients' benefits" in first.abstract  # &#39;
    assert second.arxiv_id == "2307.02000" and len(second.authors) == 7
    assert second.comments.startswith("This paper is accepted by 2023 IEEE 20th International")


# --- arXiv abstract pages ---------------------------------------------------------------


def test_abstract_page_2014():
    [rec] = read("arxiv-abs_1306.3879_2014.html")
    assert rec.arxiv_id == "1306.3879" and rec.arxiv_version == 1
    assert rec.title == ("Chandra View of the Ultra-Steep Spectrum Radio Source in Abell 2443: "
                         "Merger Shock-Induced Compression of Fossil Radio Plasma?")
    assert rec.authors[0] == "T. E. Clarke" and len(rec.authors) == 5
    assert rec.published == "2013-06-17"
    assert rec.categories == ["astro-ph.CO"]
    assert rec.comments.endswith("Accepted for publication in The Astrophysical Journal")
    assert rec.abstract.startswith("We present a new Chandra X-ray observation")


def test_abstract_page_2021():
    [rec] = read("arxiv-abs_2106.09608_2021.html")
    assert rec.arxiv_id == "2106.09608" and rec.arxiv_version == 2  # "this version, v2"
    assert rec.title == "Learning Knowledge Graph-based World Models of Textual Environments"
    assert rec.authors == ["Prithviraj Ammanabrolu", "Mark O. Riedl"]
    assert rec.published == "2021-06-17"  # the first version's day
    assert rec.categories == ["cs.LG", "cs.AI", "cs.CL"]
    assert rec.comments == "Camera read, in Proceedings of NeurIPS 2021 Main Conference"
    assert rec.abstract.startswith("World models improve a learning agent's ability")


# --- Hugging Face -----------------------------------------------------------------------

DAILY = "hf-daily-papers_2024-08-01.html"
PAPER = "hf-paper-page_2509.24002_bs4-prettified.html"


def test_hf_daily_page_facts():
    llama = by_id(DAILY, "2407.21783")
    assert llama.title == "The Llama 3 Herd of Models"
    assert len(llama.authors) == 533 and llama.authors[0] == "Abhimanyu Dubey"
    assert llama.arxiv_version is None  # the id carries no version: it merges with any
    assert llama.published == "2024-07-31"  # the paper's date; the page's day is its label
    assert {r.date_label for r in read(DAILY)} == {"2024-08-01"}
    assert llama.abstract.startswith("Modern artificial intelligence (AI) systems are powered")
    tora = by_id(DAILY, "2407.21705")
    assert tora.title == "Tora: Trajectory-oriented Diffusion Transformer for Video Generation"
    assert len(tora.authors) == 5


def test_hf_upvotes_are_kept_on_the_record():
    """Each paper's upvotes as the page showed them, on its Record (the README's 94 and
    118), the same as `entries()` gives beside it."""
    doc = Document.from_path(shared("realworld-html") / DAILY)
    entries = html_huggingface.entries(doc)
    votes = {e.record.arxiv_id: e.record.upvotes for e in entries}
    assert votes["2407.21783"] == 94 and votes["2407.21705"] == 24
    assert all(e.record.upvotes == e.upvotes for e in entries)
    assert all(isinstance(v, int) for v in votes.values())  # every paper of the page has some
    assert by_id(DAILY, "2407.21783").upvotes == 94  # through the layout's parse()
    [rec] = read(PAPER)
    assert rec.upvotes == 118


def test_hf_paper_page_facts():
    [rec] = read(PAPER)
    assert rec.arxiv_id == "2509.24002"
    # the JSON title has a hard line break: "... MCP\n  Use"
    assert rec.title == ("MCPMark: A Benchmark for Stress-Testing Realistic and "
                         "Comprehensive MCP Use")
    assert len(rec.authors) == 15 and rec.authors[0] == "Zijian Wu"
    assert rec.published == "2025-09-28"
    assert rec.code_url == "https://github.com/eval-sys/mcpmark"
    assert rec.summary.startswith("MCPMark is a comprehensive benchmark")  # HF's AI summary
    assert rec.abstract.startswith("MCP standardizes how LLMs interact")
    assert "MCPMark" in rec.keywords


# --- Google Scholar ---------------------------------------------------------------------

SCHOLAR = "google-scholar_search_quantum-theory_2017-11-22.html"
CITED = "google-scholar_cited-by_aharonov-bohm_2017-11-22.html"


def test_scholar_search_facts():
    records = read(SCHOLAR)
    assert records[0].title == "Quantum field theory and critical phenomena"  # [BOOK] dropped
    assert records[0].authors == ["J Zinn-Justin"] and records[0].year == 1996
    assert records[0].venue is None  # "J Zinn-Justin - 1996 - cds.cern.ch": no venue
    assert records[1].title == "Quantum theory of solids"  # [CITATION], no link
    assert records[1].authors == ["C Kittel", "C Fong"] and records[1].year == 1963
    aharonov = records[2]
    assert aharonov.authors == ["Y Aharonov", "D Bohm"]
    assert (aharonov.venue, aharonov.year) == ("Physical Review", 1959)
    assert all(r.arxiv_id is None for r in records)  # no arXiv ids on this page
    assert all(r.abstract == "" for r in records)  # snippets are summaries, not abstracts
    assert records[0].summary.startswith("Abstract Over the last twenty years")


def test_scholar_cited_by_facts():
    first, second = read(CITED)[:2]
    assert first.title == "Quantal phase factors accompanying adiabatic changes"
    assert first.authors == ["MV Berry"]
    assert (first.venue, first.year) == ("Proceedings of the Royal Society of …", 1984)
    assert second.title == "Multiferroics: a magnetic twist for ferroelectricity"
    assert second.authors == ["SW Cheong", "M Mostovoy"]
    assert (second.venue, second.year) == ("Nature materials", 2007)


# --- Papers with Code -------------------------------------------------------------------


def test_pwc_method_page_names_one_paper():
    [rec] = read("pwc-method-page_vae_2024-12-01.html")
    assert rec.title == "Auto-Encoding Variational Bayes"
    assert (rec.arxiv_id, rec.arxiv_version) == ("1312.6114", 10)
    assert rec.url == "https://paperswithcode.com/paper/auto-encoding-variational-bayes"


def test_pwc_cards_read_the_id_from_the_thumbnail():
    first, second = read("pwc-search_fragment_2-cards.html")
    assert (first.arxiv_id, first.title, first.published) == (
        "1909.11211", "Characterizing physiological and symptomatic variation", "2020-05-14")
    assert second.arxiv_id == "2309.14156" and second.published == "2023-09-25"
    assert second.title.startswith("Designing and evaluating an online reinforcement")
    assert first.summary.startswith("The symptoms that we identify") and first.abstract == ""


# --- a blog post's references -------------------------------------------------------------

BLOG = "blog_lilianweng_llm-powered-agents_2023-06-23.html"


def test_blog_references_are_the_list():
    records = read(BLOG)
    assert [r.line for r in records] == sorted(r.line for r in records)
    first, second = records[:2]
    assert (first.arxiv_id, first.title) == (
        "2201.11903", "Chain of thought prompting elicits reasoning in large language models")
    assert (first.year, first.venue) == (2022, "NeurIPS")
    assert (second.arxiv_id, second.title) == (
        "2305.10601", "Tree of Thoughts: Dliberate Problem Solving with Large Language Models")
    assert {r.date_label for r in records} == {"2023-06-23"}  # the post's date
    titles = " ".join(r.title for r in records)
    # [6], [7], [14], [20], [21] are not papers: a blog, a chat, a blog, two repositories
    for not_a_paper in ("ScaNN", "Vector Search", "chat.openai", "Auto-GPT", "gpt-engineer"):
        assert not_a_paper not in titles
    assert all(r.arxiv_id for r in records)
    # the two ids linked only in the body (Duan et al. 2017, HNSW) are not references
    assert not {"1611.02779", "1603.09320"} & {r.arxiv_id for r in records}


# --- detection of every real file -----------------------------------------------------------


def _all_real_files() -> list[Path]:
    files = []
    for folder in ("realworld", "realworld-html", "seeds"):
        files += sorted(p for p in shared(folder).iterdir() if p.is_file())
    return files


def test_every_real_file_is_detected_as_its_page_kind_or_none():
    for path in _all_real_files():
        head = Document.from_path(path).head
        scores = {name: sources.LAYOUTS[name].sniff(head) for name in HTML_LAYOUTS}
        want = PAGES.get(path.name, (None,))[0] if path.parent.name == "realworld-html" else None
        for name, score in scores.items():
            if name == want:
                assert score > sources.THRESHOLD, (path.name, name, score)
            else:
                assert score <= sources.THRESHOLD, (path.name, name, score)
