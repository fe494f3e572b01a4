"""Issue 9's "done": every file of ../shared/realworld imports alone (with the counts and
facts of its README) and all together with the samples, each detected by content;
the same real paper from three formats is one paper. Other people's files, read
where they are (never copied); the tests say so and skip when the folder is absent."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from paperdeck.index.library import Library

from .helpers import CLI, ROOT, shared
from .test_format_html_realworld import PAGES

FIXTURES = ROOT / "tests" / "fixtures" / "crossformat"

# file: (its format, records, papers, distinct arXiv ids) as paperdeck reads it alone;
# the README's hand counts are in the comments where they differ in kind.
REAL = {
    "arxiv-api-atom_search-testing_100.xml": ("feed", 100, 100, 100),
    "arxiv-listing-email_cs_2026-01-26.txt": ("arxiv-email", 10, 10, 10),
    "ai-curator_rss-feed_2025-09-09.xml": ("feed", 150, 150, 150),
    "ai-curator_snapshot_2025-09-09.csv": ("csv", 217, 217, 195),  # 217 rows, 195 arXiv
    # 200 entries, 195 with an arXiv link (the others are blog posts: no paper)
    "ai-curator_arxiv-clippings_2025-09-09.md": ("markdown", 195, 195, 195),
    "zotero-biblatex-export_papis-zotero.bib": ("bibtex", 5, 5, 0),
    # 62 milestone rows and bullet lists; 50 distinct arXiv ids in the file
    "awesome-llm_README.md": ("markdown", 64, 64, 50),
    "chatgentitle_llms-papers-list.md": ("markdown", 30, 30, 30),
    "hf-daily-papers-scraper_2025-12-10.json": ("json", 29, 29, 29),
    # 229 entries (two of them the same paper twice)
    "mendeley-export_bibtexparser-random.bib": ("bibtex", 229, 227, 61),
    "dair-ai_ml-potw_2023-10-23.csv": ("csv", 420, 419, 386),  # 420 rows, 386 arXiv ids
    # 1,300 rows by hand (a few rows list two papers or none), 1,098 distinct arXiv ids
    "dair-ai_ml-papers-of-the-week_README.md": ("markdown", 1295, 1293, 1098),
    "hf-daily-papers-ko-log_2024-03-11.md": ("markdown", 7, 7, 7),
}
GUESSLESS = "chatgentitle_abstract-to-title_2023-08-13.json"  # 324, with --map only
NOT_LISTS = ("README.md",)


@pytest.fixture(scope="module")
def realworld() -> Path:
    return shared("realworld")


def facts(lib: Library, name: str) -> None:
    """The README's facts to check, file by file."""
    def paper(key: str):
        p = lib.paper(lib.resolve(key) or key)
        assert p is not None, key
        return p
    if name.startswith("arxiv-api-atom"):
        p = paper("2202.12139")
        assert p.title == ("Testing Deep Learning Models: A First Comparative Study of "
                           "Multiple Testing Techniques")
        assert p.year == 2022 and len(p.authors) == 3
    elif name.startswith("arxiv-listing-email"):
        p = paper("2601.16280")
        assert "\n" not in p.title and p.title.endswith("Reliability in Multi-Agent LLM Systems")
        assert len(paper("2601.16286").authors) == 12
    elif name.startswith("ai-curator_rss"):
        assert paper("2508.08684").title.startswith("Out of the Box, into the Clinic?")
    elif name.startswith("ai-curator_snapshot"):
        assert paper("2509.05359").published == "2025-09-09"
    elif name.startswith("ai-curator_arxiv-clippings"):
        assert paper("2509.05360").title == ("Beyond ROUGE: N-Gram Subspace Features for LLM "
                                             "Hallucination Detection")
    elif name.startswith("zotero"):
        [row] = [r for r in lib.rows() if r.title.startswith("Efficient spherical harmonic")]
        p = paper(row.key)
        assert p.title == ("Efficient spherical harmonic transforms aimed at pseudospectral "
                           "numerical simulations") and p.year == 2013
    elif name.startswith("awesome-llm"):
        p = paper("1706.03762")
        assert p.title == "Attention Is All You Need" and p.month == "2017-06"
    elif name.startswith("chatgentitle_llms"):
        assert paper("2202.03371").title == "Cedille: A large autoregressive French language model"
    elif name.startswith("hf-daily-papers-scraper"):
        assert paper("2512.07461").title == ("Native Parallel Reasoner: Reasoning in Parallelism "
                                             "via Self-Distilled Reinforcement Learning")
    elif name.startswith("mendeley"):
        p = paper("1402.6711")
        assert p.title == ("Operationally-Motivated Uncertainty Relations for Joint "
                           "Measurability and the Error-Disturbance Tradeoff") and p.year == 2014
    elif name.startswith("dair-ai_ml-potw"):
        p = paper("2310.10631")
        assert p.title == "Llemma" and p.abstract.startswith("We present Llemma")
        assert p.sources[0].summary.startswith("an LLM for mathematics")
    elif name.startswith("dair-ai_ml-papers-of-the-week"):
        assert paper("2506.17298").week == "2025-06-29"
    elif name.startswith("hf-daily-papers-ko"):
        assert paper("2403.05135").title == ("ELLA: Equip Diffusion Models with LLM for Enhanced "
                                             "Semantic Alignment")


@pytest.mark.parametrize("name", sorted(REAL))
def test_each_real_file_imports_alone_with_its_counts_and_facts(realworld, tmp_path, name):
    layout, records, papers, ids = REAL[name]
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files([realworld / name])
        assert report.ok and not report.failed, report.warnings
        assert (report.records, report.added) == (records, papers)
        [f] = lib.stats()["files"]
        assert (f["file"], f["layout"], f["records"]) == (name, layout, records)
        distinct = lib.connection().execute(
            "SELECT COUNT(DISTINCT arxiv_id) FROM papers").fetchone()[0]
        assert distinct == ids
        assert lib.stats()["indexed"] == papers
        facts(lib, name)
    finally:
        lib.close()


def test_a_shape_nobody_can_guess_is_named_with_its_keys_and_reads_with_a_map(realworld,
                                                                            empty_cli):
    f = realworld / GUESSLESS
    proc = empty_cli("import", str(f), ok=False)
    assert proc.returncode == 1
    assert "keys seen: instruction, input, output" in proc.stderr
    assert "--map title=KEY --map abstract=KEY" in proc.stderr
    ok = empty_cli("import", str(f), "--map", "title=output", "--map", "abstract=input")
    # 324 entries, 71 of them the same abstract and title again
    assert ok.stdout.startswith("253 added, 71 merged")
    papers = empty_cli.json("list")
    assert len(papers) == 253 and all(p["title"] and p["abstract"] for p in papers)
    [p] = [p for p in papers if p["abstract"].startswith(
        "This paper presents an investigation into machine learning techniques")]
    assert "Violence Detection" in p["title"]


# the samples as paperdeck reads each alone: (layout, records, papers)
SEED_ALONE = (("podcast", 20, 20), ("arxiv-dump", 95, 94), ("weekly-picks", 100, 100),
              ("daily-papers", 143, 143), ("trending", 292, 292))


def html_facts(lib: Library, name: str) -> None:
    """The facts of ../shared/realworld-html/README.md, as the library holds them."""
    def paper(key: str):
        p = lib.paper(lib.resolve(key) or key)
        assert p is not None, (name, key)
        return p
    if name.startswith("arxiv-list_astro-ph_"):
        p = paper("2411.14419")
        assert p.title.startswith("Combining summary statistics with simulation-based inference")
        assert p.authors[0] == "Benoit Semelin" and len(p.authors) == 4
    elif name.startswith("arxiv-list_astro-ph.CO"):
        p = paper("2211.05779")
        assert p.title.startswith("MGLenS: Modified gravity weak lensing simulations")
        assert p.authors[0] == "Joachim Harnois-Déraps" and len(p.authors) == 7
        assert paper("2211.05767").authors[0] == "Albert Escrivà"
    elif name.startswith("arxiv-search_abstract"):
        p = paper("2512.03003")
        assert p.title == ("The role of the top Yukawa coupling in triple Higgs production at "
                           "the LHC") and p.authors == ["Luca Panizzi"]
        assert len(paper("2512.02934").authors) == 3
    elif name.startswith("arxiv-search_fragment"):
        p = paper("2309.14156")
        assert p.title.startswith("Designing and evaluating an online reinforcement learning")
        assert p.authors[0] == "Dominik Meier" and len(p.authors) == 3
        assert len(paper("2307.02000").authors) == 7
    elif name.startswith("arxiv-abs_1306"):
        p = paper("1306.3879")
        assert p.title.startswith("Chandra View of the Ultra-Steep Spectrum Radio Source")
        assert p.authors[0] == "T. E. Clarke" and p.published == "2013-06-17"
    elif name.startswith("arxiv-abs_2106"):
        p = paper("2106.09608")
        assert p.title == "Learning Knowledge Graph-based World Models of Textual Environments"
        assert p.authors == ["Prithviraj Ammanabrolu", "Mark O. Riedl"]
    elif name.startswith("hf-daily-papers_"):
        p = paper("2407.21783")
        assert p.title == "The Llama 3 Herd of Models"
        assert p.authors[0] == "Abhimanyu Dubey" and len(p.authors) == 533
        assert len(paper("2407.21705").authors) == 5
    elif name.startswith("hf-paper-page"):
        p = paper("2509.24002")
        assert p.title == ("MCPMark: A Benchmark for Stress-Testing Realistic and "
                           "Comprehensive MCP Use")
        assert p.authors[0] == "Zijian Wu" and len(p.authors) == 15
    elif name.startswith("google-scholar_search"):
        [row] = [r for r in lib.rows() if r.title == "Quantum field theory and critical phenomena"]
        assert paper(row.key).year == 1996
    elif name.startswith("google-scholar_cited-by"):
        [row] = [r for r in lib.rows()
                 if r.title == "Quantal phase factors accompanying adiabatic changes"]
        assert paper(row.key).year == 1984
    elif name.startswith("pwc-method"):
        assert paper("1312.6114").title == "Auto-Encoding Variational Bayes"
    elif name.startswith("pwc-search"):
        assert paper("1909.11211").title == "Characterizing physiological and symptomatic variation"
    elif name.startswith("blog_"):
        # the blog's references merge with the awesome list's rows: its "Tree of Thoughts:
        # Dliberate ..." (the typo as published) is one paper with the list's spelling
        tot = paper("2305.10601")
        assert {s.layout for s in tot.sources} == {"html-links", "markdown"}
        assert tot.title.startswith("Tree of Thoughts: D")
        assert {s.layout for s in paper("2201.11903").sources} >= {"html-links"}


def test_every_real_file_and_sample_detected_and_all_imported_together(realworld, tmp_path):
    """The real files (text and HTML) and the samples in one run, from their folders:
    each detected as its format by the command line, what is not a paper list passed
    over, the papers they share merged across formats: as many papers as the separate
    imports give less the merges across files, and every file's facts still true."""
    cli = CLI(tmp_path / "lib")
    html, seeds = shared("realworld-html"), shared("seeds")
    proc = cli("import", str(realworld), str(html), str(seeds))
    passed = sorted(re.findall(r"^paperdeck: passed over (\S+?):", proc.stderr, re.M))
    assert passed == sorted([str(realworld / n) for n in (*NOT_LISTS, GUESSLESS)]
                            + [str(html / "README.md"), str(html / "truth.py"),
                               str(seeds / "README.md")])
    assert "error" not in proc.stderr
    files = {f["file"]: f for f in cli.json("stats")["files"]}
    expected = {name: layout for name, (layout, *_) in REAL.items()}
    expected.update({name: layout for name, (layout, _) in PAGES.items()})
    seed_files = sorted(p.name for p in seeds.glob("*.txt"))
    expected.update({n: lay for n, (lay, *_) in zip(seed_files, SEED_ALONE, strict=True)})
    assert {n: f["layout"] for n, f in files.items()} == expected
    records = (sum(r for _, r, _, _ in REAL.values()) + sum(r for _, r in PAGES.values())
               + sum(r for _, r, _ in SEED_ALONE))
    assert f"({records} records from {len(expected)} files)" in proc.stdout
    stats = cli.json("stats")
    assert stats["records"] == records and stats["indexed"] == stats["papers"] < records
    lib = Library.open(tmp_path / "lib")
    try:
        conn = lib.connection()
        # a page lists each of its papers once, so a page alone gives a paper a record
        alone = (sum(p for _, _, p, _ in REAL.values()) + sum(r for _, r in PAGES.values())
                 + sum(p for _, _, p in SEED_ALONE))
        # a paper listed by n files is n - 1 merges across files
        [[across]] = conn.execute(
            "SELECT SUM(n - 1) FROM (SELECT COUNT(DISTINCT file_id) AS n FROM listings "
            "GROUP BY paper_id)")
        assert across > 0 and stats["papers"] == alone - across
        for name, n in conn.execute("SELECT f.name, COUNT(DISTINCT l.paper_id) FROM listings l "
                                    "JOIN files f ON f.id = l.file_id GROUP BY f.name"):
            own = REAL.get(name, (None, None, None))[2] or PAGES.get(name, (None, None))[1]
            own = own or dict(zip(seed_files, (p for *_, p in SEED_ALONE), strict=True))[name]
            assert n == own, name  # no file's papers split or fused by the others

        def ids_of(*names: str) -> set[str]:
            """The arXiv ids these files' own records carry."""
            return {a for (a,) in conn.execute(
                "SELECT DISTINCT json_extract(l.data, '$.arxiv_id') FROM listings l JOIN files f "
                "ON f.id = l.file_id WHERE json_extract(l.data, '$.arxiv_id') IS NOT NULL AND "
                f"f.name IN ({','.join('?' * len(names))})", names)}
        # one paper an arXiv id, whichever files carry it
        [[with_id, distinct]] = conn.execute(
            "SELECT COUNT(arxiv_id), COUNT(DISTINCT arxiv_id) FROM papers")
        assert with_id == distinct == len(ids_of(*expected))
        for name in REAL:
            facts(lib, name)
        for name in PAGES:
            html_facts(lib, name)
        # the README: 107 of the papers-of-the-week ids are also in the sample digests
        assert len(ids_of("dair-ai_ml-papers-of-the-week_README.md") & ids_of(*seed_files)) == 107
        # one paper from a feed, a Markdown digest and a CSV snapshot of the same day
        p = lib.paper("2509.05359")
        assert {s.layout for s in p.sources} == {"feed", "markdown", "csv"}
        assert p.published == "2025-09-09" and p.week == "2025-09-14"
        # a sample paper that the papers-of-the-week README also lists, with its words
        longrag = lib.paper("2406.15319")
        assert {s.layout for s in longrag.sources} >= {"weekly-picks", "markdown"}
        assert any(s.summary and "LongRAG" in s.summary for s in longrag.sources)
        # issue 11: Llama 3 from the Hugging Face page and from the awesome list (no Atom
        # feed of the shared files holds it) is one paper with both sources
        llama = lib.paper("2407.21783")
        assert {(s.file, s.layout) for s in llama.sources} == {
            ("hf-daily-papers_2024-08-01.html", "html-huggingface"),
            ("awesome-llm_README.md", "markdown")}
        assert llama.title == "The Llama 3 Herd of Models" and len(llama.authors) == 533
        # the same paper on an arXiv search fragment and a Papers with Code card
        n_of_1 = lib.paper("2309.14156")
        assert {s.layout for s in n_of_1.sources} == {"html-arxiv-search", "html-pwc"}
        assert n_of_1.published == "2023-09-25"
    finally:
        lib.close()
    again = cli("import", str(realworld), str(html), str(seeds))
    assert f"0 added, 0 merged, {len(expected)} skipped" in again.stdout


def test_one_paper_from_bibtex_atom_and_a_weekly_row(empty_cli, tmp_path):
    """LongRAG (arXiv 2406.15319) as three formats write it (fixtures written for these
    tests): one paper, three sources, the full title over the digest's short name,
    the feed's day, authors and categories, BibTeX's DOI."""
    for f in ("longrag-weekly.md", "longrag.bib", "longrag-atom.xml"):
        shutil.copy(FIXTURES / f, tmp_path / f)
    proc = empty_cli("import", *(str(tmp_path / f) for f in (
        "longrag-weekly.md", "longrag.bib", "longrag-atom.xml")))
    assert proc.stdout.startswith("1 added, 2 merged")
    [p] = empty_cli.json("list")
    assert p["key"] == "2406.15319"
    assert p["title"] == "LongRAG: Enhancing Retrieval-Augmented Generation with Long-context LLMs"
    assert [s["layout"] for s in p["sources"]] == ["weekly-picks", "bibtex", "feed"]
    assert p["authors"] == ["Ziyan Jiang", "Xueguang Ma", "Wenhu Chen"]
    assert p["categories"] == ["cs.CL", "cs.AI"]
    assert (p["published"], p["week"], p["month"]) == ("2024-06-21", "2024-06-23", "2024-06")
    assert p["doi"] == "10.48550/arxiv.2406.15319"
    assert p["pdf_url"] == "http://arxiv.org/pdf/2406.15319v2"
    assert p["abstract"].startswith("Retrieval-augmented generation usually pairs")
    shown = empty_cli("show", "10.48550/arXiv.2406.15319").stdout
    assert "published:  2024-06-21" in shown and "DOI:" in shown
    assert shown.count("listed in:") == 3


def test_the_arxiv_email_forced_as_trending_is_refused_at_its_first_line(realworld, empty_cli):
    f = realworld / "arxiv-listing-email_cs_2026-01-26.txt"
    proc = empty_cli("import", "--format", "trending", str(f), ok=False)
    assert proc.returncode == 1 and proc.stdout == ""
    [error] = proc.stderr.splitlines()
    assert error.startswith(f"paperdeck: error: {f}:1: this does not read as trending: ")
    assert "a horizontal rule taken for a title" in error
    assert not (empty_cli.data_dir / "library.sqlite3").exists() or empty_cli.json("list") == []
