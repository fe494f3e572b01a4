"""Upvotes are kept and shown (issue 11 point 4, issue 9 point 8): a listing's vote
count, read as the page printed it, kept with that listing (never summed across
listings), given by `show` and `show --json`, kept through the schema-4 migration.

The README facts come from ../shared/realworld-html (the daily page's Llama 3 paper has
94 upvotes, the single page 2509.24002 has 118); the saved Markdown page
(fixtures/markdown/daily-papers-votes.md) and the JSON answer
(fixtures/json/hf-daily-papers-api.json) were written for the tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from paperdeck.index.library import Library
from paperdeck.index.model import Record
from paperdeck.index.sources import Document, csv_table, json_list, markdown_list
from paperdeck.index.sources.votes import vote_count
from paperdeck.index.store import DB_NAME, SCHEMA_VERSION

from .durability import db_dump, kill9, start_paused
from .helpers import CLI, shared

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VOTES_MD = FIXTURES / "markdown" / "daily-papers-votes.md"
API_JSON = FIXTURES / "json" / "hf-daily-papers-api.json"
DAILY = "hf-daily-papers_2024-08-01.html"
PAPER = "hf-paper-page_2509.24002_bs4-prettified.html"
LLAMA = "2407.21783"


def sources_of(cli: CLI, key: str) -> list[dict]:
    [paper] = cli.json("show", key)
    return paper["sources"]


def listed_lines(cli: CLI, key: str) -> list[str]:
    out = cli("show", key).stdout
    return [line for line in out.splitlines() if line.startswith("listed in:")]


@pytest.mark.parametrize("text, count", [
    ("94", 94), ("▲ 94", 94), ("▲94", 94), ("94 upvotes", 94), ("1 upvote", 1),
    ("1.2k", 1200), ("1.2K", 1200), ("▲ 1.2k", 1200), ("1,204", 1204),
    ("1,204 upvotes", 1204), ("Upvotes: 31", 31), ("votes: 1,234", 1234), (61, 61),
    (61.0, 61), ("0", 0)])
def test_a_count_is_read_as_printed(text, count):
    assert vote_count(text) == count


@pytest.mark.parametrize("value", ["", "many", "1.5", "12 authors", "Stars: 5", True, None,
                                   -3, 2.5, float("nan"), [94], {"n": 94}, "2407.21783"])
def test_what_is_not_a_count_is_none(value):
    assert vote_count(value) is None


def test_the_readme_facts_through_the_command_line(tmp_path):
    html = shared("realworld-html")
    cli = CLI(tmp_path / "lib")
    cli("import", str(html / DAILY), str(html / PAPER))
    [source] = sources_of(cli, LLAMA)
    assert (source["layout"], source["label"], source["upvotes"]) == (
        "html-huggingface", "2024-08-01", 94)
    [line] = listed_lines(cli, LLAMA)
    assert line.endswith("(html-huggingface) [2024-08-01] · 94 upvotes"), line
    [source] = sources_of(cli, "2509.24002")
    assert source["upvotes"] == 118
    [line] = listed_lines(cli, "2509.24002")
    assert line.endswith("· 118 upvotes"), line
    # every paper of the daily page carries its count
    keys = [p["key"] for p in cli.json("list")]
    assert len(keys) == 14
    [tora] = cli.json("show", "2407.21705")
    assert [s["upvotes"] for s in tora["sources"]] == [24]


def test_a_saved_markdown_page_gives_its_counts_as_printed(tmp_path):
    cli = CLI(tmp_path / "lib")
    cli("import", str(VOTES_MD))
    # `▲ 1.2k`, printed twice (the block saved twice): one listing of 1200
    assert [(s["layout"], s["label"], s["upvotes"]) for s in sources_of(cli, LLAMA)] == [
        ("papers-page-md", "Aug 2", 1200)]
    # `1,204 upvotes`, after the abstract
    [made_up] = sources_of(cli, "2408.00917")
    assert made_up["upvotes"] == 1204
    [line] = listed_lines(cli, "2408.00917")
    assert line.endswith("(papers-page-md) [Aug 2] · 1,204 upvotes"), line
    [paper] = cli.json("show", "2408.00917")
    assert "upvote" not in paper["abstract"] and "1,204" not in paper["abstract"]


def test_two_listings_of_one_paper_keep_their_own_counts(tmp_path):
    """The daily page said 94 on 2024-08-01; a saved page said 1.2k later: one paper, two
    sources, each with its own count, and no count of the paper's own (no sum)."""
    cli = CLI(tmp_path / "lib")
    cli("import", str(shared("realworld-html") / DAILY))
    out = cli("import", str(VOTES_MD)).stdout
    assert "1 added, 1 merged" in out, out
    [paper] = cli.json("show", LLAMA)
    assert [(s["layout"], s["upvotes"]) for s in paper["sources"]] == [
        ("html-huggingface", 94), ("papers-page-md", 1200)]
    assert "upvotes" not in paper and "1294" not in json.dumps(paper)
    lines = listed_lines(cli, LLAMA)
    assert [line.rsplit(" · ", 1)[-1] for line in lines] == ["94 upvotes", "1,200 upvotes"]


def test_the_daily_papers_api_answer_and_a_mapped_key(tmp_path):
    cli = CLI(tmp_path / "lib")
    cli("import", str(API_JSON))
    assert [s["upvotes"] for s in sources_of(cli, "2406.15319")] == [61]
    assert [s["upvotes"] for s in sources_of(cli, "2509.04664")] == [3]
    # a key of another name, named with --map (a count written as text)
    f = tmp_path / "scraped.json"
    f.write_text(json.dumps([
        {"title": "Counting Votes on Saved Paper Pages Made Simple", "abstract":
         "We count the votes a saved page prints, in thousands and with separators.",
         "arxiv": "2401.01234", "stats": {"likes": "1,204"}},
        {"title": "Another Paper Whose Page Printed No Votes At All", "abstract":
         "Nothing is counted for a paper whose page shows no count of votes.",
         "arxiv": "2401.01235", "stats": {}}]))
    assert "2 added" in cli("import", str(f), "--map", "upvotes=stats.likes").stdout
    assert [s["upvotes"] for s in sources_of(cli, "2401.01234")] == [1204]
    assert [s["upvotes"] for s in sources_of(cli, "2401.01235")] == [None]
    assert listed_lines(cli, "2401.01235")[0].endswith("(json)")  # no count, none shown


def test_without_the_map_an_unknown_key_is_no_count():
    doc = Document.from_text(json.dumps([
        {"title": "Counting Votes on Saved Paper Pages Made Simple",
         "abstract": "We count the votes a saved page prints.", "stats": {"likes": 7}}]))
    [rec] = json_list.parse(doc)
    assert rec.upvotes is None


def test_a_csv_upvotes_column_and_markdown_vote_lines():
    doc = Document.from_text("title,abstract,upvotes\n"
                              "Counting Votes on Saved Paper Pages,We count the votes.,1.2k\n")
    [rec] = list(csv_table.parse(doc))
    assert rec.upvotes == 1200
    doc = Document.from_path(FIXTURES / "markdown" / "reading-log.md")
    votes = {r.arxiv_id: r.upvotes for r in markdown_list.parse(doc)}
    assert (votes["2403.05135"], votes["2403.05530"], votes["2406.15319"]) == (31, 24, None)
    # a repository's stars are no votes, and leave the summary all the same
    doc = Document.from_text("# Log\n\n### [A Paper on Things](https://arxiv.org/abs/2401.00001)"
                             "\nStars: 50\n▲ 1.2k\nA short note on it.\n")
    [rec] = markdown_list.parse(doc)
    assert (rec.upvotes, rec.summary) == (1200, "A short note on it.")


def test_the_samples_carry_no_votes(sample_lib):
    rows = sample_lib._store.connection().execute(
        "SELECT COUNT(*), COUNT(upvotes) FROM listings").fetchone()
    assert rows == (650, 0)
    assert sample_lib.stats()["papers"] == 632


# --- the schema-4 migration ------------------------------------------------------------

# The listings table of schema 3, as index/store.py wrote it before upvotes.
V3_LISTINGS = """
CREATE TABLE listings_v3(id INTEGER PRIMARY KEY, paper_id INTEGER NOT NULL REFERENCES papers(id),
    file_id INTEGER NOT NULL REFERENCES files(id), line INTEGER NOT NULL,
    layout TEXT NOT NULL, label TEXT, data TEXT NOT NULL, summary TEXT);
INSERT INTO listings_v3 SELECT id, paper_id, file_id, line, layout, label,
    json_remove(data, '$.upvotes'), summary FROM listings;
DROP TABLE listings;
ALTER TABLE listings_v3 RENAME TO listings;
CREATE INDEX listings_paper ON listings(paper_id);
CREATE INDEX listings_file ON listings(file_id, paper_id);
PRAGMA user_version = 3;
"""


@pytest.fixture
def v3_library(sample_dir) -> Path:
    """The samples imported, a paper marked, then taken back to schema 3 (the listings
    table without its upvotes column, the records without the field), with real SQLite."""
    lib = Library.open(sample_dir)
    first = lib.rows()[0].key
    lib.mark_read([first])
    lib.set_starred(first, True)
    lib.close()
    conn = sqlite3.connect(sample_dir / DB_NAME)
    conn.executescript(V3_LISTINGS)
    conn.commit()
    conn.close()
    return sample_dir


def columns(db: Path, table: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def test_a_schema_3_library_gains_the_column_and_loses_nothing(v3_library, tmp_path):
    d = v3_library
    assert SCHEMA_VERSION == 4 and "upvotes" not in columns(d / DB_NAME, "listings")
    before = db_dump(d)
    lib = Library.open(d)
    try:
        [backup] = (d / "backups").glob("*schema-3*.sqlite3")
        assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone() == (3,)
        assert "upvotes" in columns(d / DB_NAME, "listings")
        after = db_dump(d)
        # every row as it was, each listing with a NULL count beside it
        assert {t: r for t, r in after.items() if t not in ("listings", "meta")} == {
            t: r for t, r in before.items() if t not in ("listings", "meta")}
        assert [row[:-1] for row in after["listings"]] == before["listings"]
        assert {row[-1] for row in after["listings"]} == {None}
        assert sum(1 for r in after["papers"] if r[16] and r[15]) == 1  # the marks
        assert lib.stats()["papers"] == 632
        # old listings read back with no count; a new listing brings its own
        report = lib.import_files([shared("realworld-html") / DAILY])
        assert report.ok and report.added == 13
        assert [s.upvotes for s in lib.paper(LLAMA).sources] == [94]
        assert all(s.upvotes is None for s in lib.paper(lib.rows()[-1].key).sources)
    finally:
        lib.close()
    Library.open(d).close()  # a second open migrates nothing more
    assert len(list((d / "backups").glob("*schema*"))) == 1


def test_a_migration_killed_half_way_leaves_the_library_as_it_was(v3_library):
    d = v3_library
    before = db_dump(d)
    proc = start_paused(d, "mid-schema-migration", "stats")
    kill9(proc)
    assert db_dump(d) == before  # no column, no version: the old library
    assert "upvotes" not in columns(d / DB_NAME, "listings")
    conn = sqlite3.connect(d / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone() == (3,)
    conn.close()
    # the next open migrates it whole
    cli = CLI(d)
    assert cli.json("stats")["papers"] == 632
    assert "upvotes" in columns(d / DB_NAME, "listings")


def test_a_record_of_schema_3_reads_back():
    """A listing's stored record written before the field (no `upvotes` key)."""
    fields = {"layout": "weekly-picks", "line": 3, "abstract": "Words."}
    assert Record(**fields).upvotes is None
