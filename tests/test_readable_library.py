"""The user's view of LaTeX in the bundled samples: `show`, `--json` and search give the
text as the reader shows it (`$\\geq$ 99.9%` reads and is found as `≥ 99.9%`), and a
library imported before that (raw LaTeX stored and indexed) is converted once when it
is opened, atomically, its index caught up. Real SQLite, real Whoosh, the real CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from paperdeck.index import importing
from paperdeck.index.latex import looks_like_latex
from paperdeck.index.library import Library
from paperdeck.index.store import DB_NAME

from .durability import db_dump, kill9, start_paused
from .helpers import CLI, SEEDS

ADAM_MINI = "2406.16793"  # `We find that $\geq$ 99.9% of these learning rates` (weekly picks)
CREAM = "2406.07138"  # `$\textbf{C}$ontinuity-$\textbf{R}$elativity ind$\textbf{E}$xing ...`
OUTLINES = "2408.04820"  # `We propose usingnatural language outlinesas a novel ...`
OURMODEL = "introduce\\ourmodel, a small LLM"  # the arXiv dump, a paper's own macro


def keys(cli: CLI, query: str) -> list[str]:
    proc = cli("search", query, "--limit", "0", "--json", ok=False)
    assert proc.returncode in (0, 1), proc.stderr
    return [p["key"] for p in (json.loads(proc.stdout) if proc.stdout.strip() else [])]


def stored_texts(data_dir: Path) -> list[tuple[str, str]]:
    """(where, text) of every title, abstract and summary the library holds."""
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        out = [(f"{k} title", t) for k, t in conn.execute("SELECT key, title FROM papers")]
        out += [(f"{k} abstract", a) for k, a in conn.execute("SELECT key, abstract FROM papers")]
        out += [(f"listing {i}", s) for i, s in conn.execute(
            "SELECT id, summary FROM listings WHERE summary IS NOT NULL")]
        return out
    finally:
        conn.close()


def test_show_and_json_give_the_latex_as_it_reads(cli):
    shown = cli("show", ADAM_MINI).stdout
    assert "We find that ≥ 99.9% of these" in shown
    assert "\\geq" not in shown and "$" not in shown
    [paper] = cli.json("show", ADAM_MINI)
    assert "We find that ≥ 99.9% of these learning rates" in paper["abstract"]
    assert "(i.e., 1/√(v))" in paper["abstract"]
    [longrag] = cli.json("show", "2406.15319")
    assert "to find the ‘needle’ unit" in longrag["abstract"]
    [cream] = cli.json("show", CREAM)
    assert "Continuity-Relativity indExing with gAussian Middle (CREAM)" in cream["abstract"]
    titles = {p["key"]: p["title"] for p in cli.json("list", "--limit", "0")}
    assert any(t.startswith("PixArt-α: Fast Training") for t in titles.values())
    assert not [k for k, t in titles.items() if looks_like_latex(t)]


def test_no_stored_title_abstract_or_summary_holds_latex(sample_dir):
    left = [(where, text) for where, text in stored_texts(sample_dir) if looks_like_latex(text)]
    assert not left, left[:3]


def test_search_finds_what_the_eye_sees_and_not_the_macro(cli):
    # the words LaTeX cut apart (`$\textbf{C}$ontinuity`) are found as they read
    assert CREAM in keys(cli, "Continuity AND Relativity AND gAussian")
    assert keys(cli, "ontinuity") == [] and keys(cli, "texttt") == [] and keys(cli, "textbf") == []
    # the macro's name is no word of the paper; the words around it are
    assert ADAM_MINI not in keys(cli, "geq")
    assert ADAM_MINI in keys(cli, '"we find that 99.9"')
    assert cli("search", "texttt", ok=False).returncode == 1
    # a letter the eye sees alone is a word (Whoosh drops words of one character)
    pixart = [k for k in keys(cli, "PixArt") if "α" in cli.json("show", k)[0]["title"]]
    assert pixart and set(pixart) <= set(keys(cli, "α"))
    assert set(pixart) <= set(keys(cli, '"PixArt-α"'))


def test_glued_words_stay_as_the_source_wrote_them(cli):
    # No certain rule splits "usingnatural": it is kept, shown and found as written.
    assert keys(cli, "usingnatural") == [OUTLINES]
    [paper] = cli.json("show", OUTLINES)
    assert "We propose usingnatural language outlinesas a novel" in paper["abstract"]
    # A paper's own macro glued to the word before: the backslash is a certain boundary,
    # so the macro's name stands as a word of its own.
    [hit] = keys(cli, "ourmodel")
    [paper] = cli.json("show", hit)
    assert "we introduce ourmodel, a small LLM" in paper["abstract"]
    assert "\\ourmodel" not in paper["abstract"]


# --- a library imported before this paperdeck -----------------------------------------


@pytest.fixture
def raw_library(tmp_path, monkeypatch) -> Path:
    """The five samples imported the way paperdeck did before schema 3 (titles and
    abstracts stored and indexed exactly as the files wrote them), then marked as a
    schema-2 library, with real SQLite."""
    d = tmp_path / "raw"
    with monkeypatch.context() as m:
        m.setattr(importing, "readable_record", lambda rec: rec)
        lib = Library.open(d)
        lib.import_files(SEEDS)
        lib.mark_read([ADAM_MINI])
        lib.set_starred(ADAM_MINI, True)
        lib.close()
    conn = sqlite3.connect(d / DB_NAME)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    return d


def _raw_abstract(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT abstract FROM papers WHERE key = ?", (ADAM_MINI,)).fetchone()[0]
    finally:
        conn.close()


def test_an_older_library_is_converted_once_on_open(raw_library):
    d = raw_library
    assert "$\\geq$ 99.9%" in _raw_abstract(d / DB_NAME)
    raw = [w for w, t in stored_texts(d) if looks_like_latex(t)]
    assert len(raw) > 20  # the samples' LaTeX, stored raw
    before = db_dump(d)

    lib = Library.open(d)
    try:
        # copied aside first, raw
        [backup] = (d / "backups").glob("*schema-2*.sqlite3")
        assert "$\\geq$ 99.9%" in _raw_abstract(backup)
        # converted, every paper and mark kept
        assert not [w for w, t in stored_texts(d) if looks_like_latex(t)]
        p = lib.paper(ADAM_MINI)
        assert "We find that ≥ 99.9% of these" in p.abstract and p.starred and p.read
        assert lib.stats()["papers"] == 632 and lib.stats()["indexed"] == 632
        # the index caught up: what the eye sees is found, the raw macro is not
        assert CREAM in [r.key for r in lib.search("Continuity AND gAussian").rows]
        assert [r.key for r in lib.search("textbf").rows] == []
        assert ADAM_MINI not in [r.key for r in lib.search("geq").rows]
    finally:
        lib.close()
    after = db_dump(d)
    assert after["papers"] != before["papers"]
    # a second open changes nothing and takes no second backup
    Library.open(d).close()
    assert db_dump(d) == after
    assert len(list((d / "backups").glob("*schema*"))) == 1
    assert CLI(d)("search", "texttt", ok=False).returncode == 1


def test_a_conversion_killed_half_way_leaves_the_library_as_it_was(raw_library):
    d = raw_library
    before = db_dump(d)
    proc = start_paused(d, "mid-readable-migration", "stats")
    kill9(proc)
    assert db_dump(d) == before  # nothing of the conversion landed
    conn = sqlite3.connect(d / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    conn.close()
    # the next open converts it whole
    cli = CLI(d)
    assert "≥ 99.9%" in cli.json("show", ADAM_MINI)[0]["abstract"]
    assert CREAM in keys(cli, "Continuity AND gAussian")


def test_an_import_stores_latex_as_read_and_plain_text_as_written(empty_lib, tmp_path):
    """Through the import pipeline (a JSON list, a format that reads no LaTeX itself):
    the record with LaTeX is stored, summary included, as read; the plain one, with a
    price, a Windows path, Markdown and a link, byte for byte as written."""
    plain = ("Costs $5 a month, or $50 a year; the weights sit in C:\\Models\\llama\\7b "
             "and the *fast* path at https://example.org/~me/a_b%20c?x=1&y=$2 (~10x).")
    papers = [
        {"title": "Scaling $\\alpha$-Decay to 99.9\\% Recall",
         "abstract": "We find that $\\geq$ 99.9% of the `needle' units are found, "
                     "with M{\\\"u}ller's ``real'' data. " * 2,
         "summary": "Up to 26$\\times$ faster."},
        {"title": "A Plain Title With a $5 Price Tag", "abstract": plain,
         "summary": "Plain *Markdown* and a `code` span."},
    ]
    f = tmp_path / "papers.json"
    f.write_text(json.dumps(papers), encoding="utf-8")
    report = empty_lib.import_files([f])
    assert report.ok and report.added == 2
    conn = empty_lib.connection()
    stored = {t: (a, s) for t, a, s in conn.execute(
        "SELECT p.title, p.abstract, l.summary FROM papers p JOIN listings l "
        "ON l.paper_id = p.id")}
    assert stored["A Plain Title With a $5 Price Tag"] == (
        plain, "Plain *Markdown* and a `code` span.")
    abstract, summary = stored["Scaling α-Decay to 99.9% Recall"]
    assert abstract.startswith("We find that ≥ 99.9% of the ‘needle’ units are found, "
                               "with Müller's “real” data.")
    assert summary == "Up to 26× faster."
    hits = [r.title for r in empty_lib.search("Müller AND faster").rows]
    assert hits == ["Scaling α-Decay to 99.9% Recall"]
    assert empty_lib.search("geq OR times OR alpha").rows == []
