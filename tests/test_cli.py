"""The real command line, in a subprocess, on real libraries in temporary directories."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from .helpers import CLI, DUMP, PICKS, SEEDS


def db_rows(data_dir) -> list:
    """The rows of the library's tables a command may change: equal rows, nothing changed."""
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    try:
        return [list(conn.execute(f"SELECT * FROM {t} ORDER BY 1"))
                for t in ("papers", "listings", "files", "match_keys", "meta")]
    finally:
        conn.close()


def test_import_prints_added_merged_skipped_and_reimport_changes_nothing(empty_cli):
    out = empty_cli("import", *map(str, SEEDS)).stdout
    assert "added" in out and "merged" in out and "skipped" in out
    stats = empty_cli.json("stats")
    before = db_rows(empty_cli.data_dir)
    again = empty_cli("import", *map(str, SEEDS)).stdout
    assert "0 added, 0 merged, 5 skipped" in again
    assert empty_cli.json("stats")["papers"] == stats["papers"]
    assert db_rows(empty_cli.data_dir) == before


def test_import_reports_counts_of_one_file(empty_cli):
    out = empty_cli("import", str(DUMP)).stdout
    # 95 records, one arXiv id listed twice: 94 papers, one record merged
    assert "94 added, 1 merged, 0 skipped" in out


def test_format_forces_a_layout(empty_cli, tmp_path):
    proc = empty_cli("import", "--format", "trending", str(PICKS), ok=False)
    # a Markdown table read as a trending page is not what the user wants, but it
    # must be either imported as asked or refused with a message, never a traceback
    assert "Traceback" not in proc.stderr
    bad = empty_cli("import", "--format", "no-such-layout", str(PICKS), ok=False)
    assert bad.returncode != 0 and "no-such-layout" in bad.stderr


def test_list_filters(cli):
    week = cli.json("list", "--week", "2024-06-30")
    assert week and all(p["week"] == "2024-06-30" for p in week)
    assert cli.json("list", "--week", "2024-W26") == week
    cl = cli.json("list", "--category", "cs.CL")
    assert cl and all("cs.CL" in p["categories"] for p in cl)
    assert len(cli.json("list", "--category", "Computation and Language")) == len(cl)
    src = cli.json("list", "--source", "000_70e328bd18cafc19")
    assert len(src) == 20
    assert all(any(s["file"].startswith("000_") for s in p["sources"]) for p in src)
    both = cli.json("list", "--week", "2024-06-30", "--category", "cs.CL")
    assert {p["key"] for p in both} == {p["key"] for p in week} & {p["key"] for p in cl}


def test_json_fields(cli):
    papers = cli.json("list")
    assert len(papers) == cli.json("stats")["papers"]
    for field in ("key", "arxiv_id", "title", "url", "authors", "week", "categories",
                  "sources", "read", "starred"):
        assert field in papers[0]
    longrag = next(p for p in papers if p["arxiv_id"] == "2406.15319")
    assert longrag["url"] == "https://arxiv.org/abs/2406.15319"
    assert longrag["key"] == "2406.15319"
    assert longrag["week"] == "2024-06-30"
    assert longrag["categories"] == ["cs.CL"]


def test_mark_and_status_filter(cli):
    assert cli.json("list", "--status", "read") == []
    cli("mark", "2406.15319", "--read")
    cli("mark", "2406.15319v1", "--star")
    read = cli.json("list", "--status", "read")
    assert [p["key"] for p in read] == ["2406.15319"]
    assert read[0]["read"] and read[0]["starred"]
    unread = cli.json("list", "--status", "unread")
    assert "2406.15319" not in {p["key"] for p in unread}
    assert [p["key"] for p in cli.json("search", "is:starred")] == ["2406.15319"]
    cli("mark", "2406.15319", "--unstar")
    cli("mark", "2406.15319", "--unread")
    assert cli.json("list", "--status", "starred") == []
    assert cli.json("list", "--status", "read") == []


def test_mark_unknown_key_changes_nothing(cli):
    proc = cli("mark", "2406.15319", "no-such-paper", "--read", ok=False)
    assert proc.returncode != 0 and "no-such-paper" in proc.stderr
    assert cli.json("list", "--status", "read") == []


def test_search_fields_phrases_and_status(cli):
    hits = cli.json("search", "title:LongRAG")
    assert hits[0]["arxiv_id"] == "2406.15319"
    phrase = cli.json("search", '"multi-query attention"', "--limit", "0")
    assert phrase and all("multi-query attention" in p["abstract"].lower()
                          or "multi query attention" in p["abstract"].lower() for p in phrase)
    assert cli.json("search", "category:cs.CL", "--limit", "0")
    by_id = cli.json("search", "id:2406.15319")
    assert [p["key"] for p in by_id] == ["2406.15319"]
    week = cli.json("search", "week:2024-06-30", "--limit", "0")
    assert week and all(p["week"] == "2024-06-30" for p in week)
    fuzzy = cli.json("search", "retreival~", "--limit", "0")
    assert fuzzy  # one typo away from "retrieval"


def test_search_suggests_a_spelling(cli):
    proc = cli("search", "transfromer", ok=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Did you mean" in proc.stderr
    suggestion = proc.stderr.split("Did you mean:")[1].strip().rstrip("?")
    assert cli.json("search", suggestion)


def test_show(cli):
    out = cli("show", "2406.15319").stdout
    assert "LongRAG" in out and "https://arxiv.org/abs/2406.15319" in out
    data = cli.json("show", "2406.15319")
    assert data[0]["title"].startswith("LongRAG")


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00" * 100,
                                     b"just some notes\nnothing like a digest\n"])
def test_bad_input_is_refused_and_changes_nothing(cli, tmp_path, content):
    before = db_rows(cli.data_dir)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = cli("import", str(PICKS), str(bad), ok=False)
    assert proc.returncode != 0
    assert "bad.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert db_rows(cli.data_dir) == before


def test_missing_file_is_named(cli, tmp_path):
    before = db_rows(cli.data_dir)
    proc = cli("import", str(tmp_path / "nope.txt"), ok=False)
    assert proc.returncode != 0 and "nope.txt" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert db_rows(cli.data_dir) == before


def test_bare_command_imports_the_sample_once(empty_cli):
    out = empty_cli().stdout
    assert "imported the bundled sample" in out
    papers = empty_cli.json("stats")["papers"]
    again = empty_cli().stdout
    assert "imported the bundled sample" not in again
    assert empty_cli.json("stats")["papers"] == papers


def test_data_dir_from_environment(tmp_path):
    env_dir, flag_dir = tmp_path / "from-env", tmp_path / "from-flag"
    env = dict(os.environ, PAPERDECK_HOME=str(env_dir))
    subprocess.run([sys.executable, "-m", "paperdeck.reader.cli", "import", str(DUMP)], env=env,
                   check=True, capture_output=True)
    assert (env_dir / "library.sqlite3").exists()
    # --data-dir wins over the environment
    subprocess.run([sys.executable, "-m", "paperdeck.reader.cli", "--data-dir", str(flag_dir), "stats"],
                   env=env, check=True, capture_output=True)
    assert (flag_dir / "library.sqlite3").exists()
    assert CLI(env_dir).json("stats")["papers"] == 95 - 1  # the dump lists one id twice


def test_reindex_rebuilds(cli):
    out = cli("reindex").stdout
    assert out.startswith("indexed ")
    n = int(out.split()[1])
    assert n == cli.json("stats")["papers"]
    assert json.loads(cli("search", "LongRAG", "--json").stdout)


def test_reindex_of_a_missing_index_builds_it_once_with_progress(cli):
    # Opening the library rebuilds a missing index; reindex must not build it twice.
    shutil.rmtree(cli.data_dir / "index")
    proc = cli("reindex", "--progress")
    assert "search index missing" not in proc.stderr
    assert "indexing" in proc.stderr and "632/632" in proc.stderr
    assert proc.stdout == "indexed 632 papers\n"
    assert json.loads(cli("search", "LongRAG", "--json").stdout)
    # Without a terminal, no bar unless asked.
    assert cli("reindex").stderr == ""


@pytest.mark.parametrize("query", ["model", "model~", '"large language"', "title:rag is:unread"])
def test_search_on_an_empty_library_answers_no_match(empty_cli, query):
    # An index with no segment yet has no columns: a search must still just find nothing.
    proc = empty_cli("search", query, ok=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.startswith("no paper matches")
    proc = empty_cli("search", query, "--json", ok=False)
    assert proc.returncode == 1 and json.loads(proc.stdout) == []


def _printed_keys(out: str) -> list[str]:
    """The key column of the plain output (after the two flag characters)."""
    return [line[3:].split()[0] for line in out.splitlines() if line[:3] in FLAGS]


FLAGS = ("N  ", "N* ", "   ", " * ")


def test_every_key_printed_is_usable_as_printed(cli):
    """issue 10.4: `list` and `search` print keys whole, and `show`/`mark` take them."""
    printed = _printed_keys(cli("list").stdout)
    assert printed == [p["key"] for p in cli.json("list")]
    longest = max(printed, key=len)
    assert len(longest) > 28  # a title slug, longer than the old cut
    assert cli.json("show", longest)[0]["key"] == longest
    cli("mark", longest, "--star")
    assert [p["key"] for p in cli.json("list", "--status", "starred")] == [longest]
    trending = _printed_keys(cli("list", "--source", "trending").stdout)
    assert trending == [p["key"] for p in cli.json("list", "--source", "trending")]
    found = cli("search", "sparsity", "--limit", "0")
    assert _printed_keys(found.stdout) == [p["key"] for p in cli.json(
        "search", "sparsity", "--limit", "0")]


def test_version(empty_cli):
    from importlib import metadata

    proc = empty_cli("--version")
    assert proc.stdout.strip() == f"paperdeck {metadata.version('paperdeck')}"
    assert not empty_cli.data_dir.exists()  # answered without opening a library


def test_search_prints_only_results_on_stdout_and_exits_1_on_no_match(cli):
    """issue 10.16, grep's habit: 0 found, 1 nothing found, 2 an error; the summary on
    stderr, so that stdout is only the results."""
    found = cli("search", "retrieval", "--limit", "3")
    assert len(found.stdout.splitlines()) == 3
    assert all(line[:3] in FLAGS for line in found.stdout.splitlines())
    assert found.stderr.endswith("(showing 3; --limit 0 for all)\n")
    nothing = cli("search", "zzyzxqq", ok=False)
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert nothing.stderr == 'no paper matches "zzyzxqq"\n'
    bad = cli("search", "rag", "is:bogus", ok=False)
    assert bad.returncode == 2 and bad.stdout == ""


@pytest.mark.parametrize("typed", ["2406.15319", "id:2406.15319v2", "arXiv:2406.15319",
                                   "https://arxiv.org/abs/2406.15319v3"])
def test_search_and_show_take_an_arxiv_id_in_any_form(cli, typed):
    """issue 10.6: what `show` takes, `search` takes too (the reader's box is the same path)."""
    assert [p["key"] for p in cli.json("search", typed)] == ["2406.15319"]
    assert cli.json("show", typed)[0]["key"] == "2406.15319"
    for link in ("https://huggingface.co/papers/2406.15319", "10.48550/arXiv.2406.15319"):
        assert cli.json("show", link)[0]["key"] == "2406.15319"


@pytest.mark.parametrize("query, named", [
    ("is:bogus", "is:unstarred"), ("week:garbage", "week:2024-W26"),
    ("month:2024-13", "month:2024-06"), ("foo:bar", "title:"),
    ("category:nonsense", "cs.CL"), ("source:nonsense", "weekly-picks")])
def test_a_query_error_is_one_line_on_stderr_and_exit_2(cli, query, named):
    """issue 10.8: not `no paper matches`, but what is wrong and what to write."""
    proc = cli("search", query, ok=False)
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("paperdeck search: error: argument QUERY: ") and named in line
    assert "no paper matches" not in line


def test_stats_columns_hold_long_file_names(empty_cli, tmp_path):
    """A digest's name longer than the old 32-character column pushed its layout and
    count out of line; the columns are as wide as their longest entry."""
    long = tmp_path / "an-awesome-list-of-papers-with-a-long-name_2025-09-09.md"
    long.write_bytes(PICKS.read_bytes())
    empty_cli("import", str(DUMP), str(long))
    lines = [ln for ln in empty_cli("stats").stdout.splitlines() if ln.endswith(" records")]
    assert len(lines) == 2 and any(long.name in ln for ln in lines)
    assert len({ln.index(" records") for ln in lines}) == 1, lines
    layouts = [ln.split()[1] for ln in lines]
    assert len({ln.index(layout) for ln, layout in zip(lines, layouts, strict=True)}) == 1, lines
