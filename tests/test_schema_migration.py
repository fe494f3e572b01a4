"""A library of schema 1 (before issue 9) opened by this paperdeck: copied aside, then
given the new columns; every mark and every row kept; new records then carry the new
fields into it. The schema-1 library is built by SQL from schema 1's own text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from paperdeck.index.library import Library
from paperdeck.index.store import ADDED_COLUMNS, DB_NAME, SCHEMA_VERSION

from .durability import LONGRAG
from .helpers import CLI
from .records_layout import registered, text  # noqa: F401 (a fixture)

# Schema 1 as index/store.py wrote it until issue 9 (user_version 1).
V1_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE, layout TEXT NOT NULL, records INTEGER NOT NULL,
    imported_at TEXT NOT NULL);
CREATE TABLE papers(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, arxiv_id TEXT,
    title TEXT NOT NULL, title_derived INTEGER NOT NULL DEFAULT 0, abstract TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]', year INTEGER, week TEXT, month TEXT,
    categories TEXT NOT NULL DEFAULT '[]', date_text TEXT, t_year TEXT,
    sort_date TEXT NOT NULL DEFAULT '', tag TEXT NOT NULL DEFAULT '',
    read INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
    gen INTEGER NOT NULL DEFAULT 0);
CREATE INDEX papers_sort ON papers(sort_date DESC, id);
CREATE INDEX papers_title ON papers(title COLLATE NOCASE, id);
CREATE INDEX papers_gen ON papers(gen);
CREATE INDEX papers_time ON papers(t_year, month, week);
CREATE TABLE listings(id INTEGER PRIMARY KEY, paper_id INTEGER NOT NULL REFERENCES papers(id),
    file_id INTEGER NOT NULL REFERENCES files(id), line INTEGER NOT NULL,
    layout TEXT NOT NULL, label TEXT, data TEXT NOT NULL);
CREATE INDEX listings_paper ON listings(paper_id);
CREATE INDEX listings_file ON listings(file_id, paper_id);
CREATE TABLE match_keys(mkey TEXT PRIMARY KEY, paper_id INTEGER NOT NULL);
CREATE INDEX match_keys_paper ON match_keys(paper_id);
CREATE TABLE paper_categories(paper_id INTEGER NOT NULL, code TEXT NOT NULL,
    PRIMARY KEY(paper_id, code));
CREATE INDEX paper_categories_code ON paper_categories(code, paper_id);
CREATE TABLE tombstones(key TEXT NOT NULL, gen INTEGER NOT NULL);
CREATE TABLE state(name TEXT PRIMARY KEY, value TEXT);
"""
TABLES = ("meta", "files", "papers", "listings", "match_keys", "paper_categories",
          "tombstones", "state")
# What a schema-1 listing's record held (the Record of then): the rest is new.
V1_RECORD = ("layout", "line", "abstract", "title", "authors", "year", "arxiv_id",
             "arxiv_version", "week", "categories", "date_label")


def v1_library(src: Path, dest: Path) -> None:
    """A schema-1 library with the rows of `src` (its index left behind)."""
    dest.mkdir()
    conn = sqlite3.connect(dest / DB_NAME)
    conn.executescript(V1_SCHEMA)
    conn.execute("ATTACH DATABASE ? AS src", (str(src / DB_NAME),))
    for table in TABLES:
        cols = [c[1] for c in conn.execute(f"PRAGMA main.table_info({table})")]
        picked = ["json_object(" + ", ".join(f"'{k}', json_extract(data, '$.{k}')"
                                              for k in V1_RECORD) + ")" if c == "data" else c
                  for c in cols]
        conn.execute(f"INSERT INTO main.{table}({', '.join(cols)}) "
                     f"SELECT {', '.join(picked)} FROM src.{table}")
    conn.commit()
    conn.execute("DETACH DATABASE src")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def rows(db: Path, table: str, cols: list[str]) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}"), key=repr)
    finally:
        conn.close()


def test_a_schema_1_library_migrates_keeping_every_row_and_mark(sample_dir, tmp_path,
                                                                registered):  # noqa: F811
    cli = CLI(sample_dir)
    keys = [p["key"] for p in cli.json("list", "--limit", "8")]
    cli("mark", *keys[:5], "--read")
    cli("mark", *keys[3:8], LONGRAG, "--star")
    old = tmp_path / "old"
    v1_library(sample_dir, old)
    db = old / DB_NAME
    v1_cols = {t: [c[1] for c in sqlite3.connect(db).execute(f"PRAGMA table_info({t})")]
               for t in TABLES}
    before = {t: rows(db, t, v1_cols[t]) for t in TABLES}
    marks = rows(db, "papers", ["key", "read", "starred"])
    assert sum(r[1] for r in marks) == 5 and sum(r[2] for r in marks) == 6

    lib = Library.open(old)
    try:
        # copied aside first, untouched
        [backup] = (old / "backups").glob("*schema-1*.sqlite3")
        assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone() == (1,)
        assert rows(backup, "papers", ["key", "read", "starred"]) == marks
        # the new columns, every old row and mark as it was
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        for table, column, _ in ADDED_COLUMNS:
            assert column in {c[1] for c in conn.execute(f"PRAGMA table_info({table})")}
        conn.close()
        assert {t: rows(db, t, v1_cols[t]) for t in TABLES if t != "meta"} == {
            t: before[t] for t in TABLES if t != "meta"}
        assert rows(db, "papers", ["key", "read", "starred"]) == marks
        # the old papers read and search as before
        p = lib.paper(LONGRAG)
        assert p.starred and p.doi is None and p.keywords == [] and p.published is None
        assert all(s.summary is None for s in p.sources)
        assert [r.key for r in lib.search("title:LongRAG").rows] == [LONGRAG]
        assert lib.stats()["papers"] == 632 and lib.stats()["indexed"] == 632

        # a new record brings the new fields to an old paper (by its arXiv link), and
        # the marks stay
        f = tmp_path / "new.txt"
        f.write_text(text({"title": "LongRAG", "title_is_name": True,
                           "url": "https://huggingface.co/papers/2406.15319",
                           "doi": "10.1234/LONGRAG.2024", "published": "2024-06-21",
                           "summary": "Long retrievers with long readers, in one pitch."}))
        report = lib.import_files([f])
        assert (report.added, report.merged, report.ok) == (0, 1, True)
        p = lib.paper(LONGRAG)
        assert p.starred and p.doi == "10.1234/longrag.2024"
        assert p.title.startswith("LongRAG: Enhancing")  # the full title kept over the name
        assert p.published == "2024-06-21" and p.week == "2024-06-23"
        assert [s.summary for s in p.sources if s.layout == registered] == [
            "Long retrievers with long readers, in one pitch."]
        assert [r.key for r in lib.search("pitch").rows] == [LONGRAG]
    finally:
        lib.close()
    # and a second open migrates nothing more
    lib = Library.open(old)
    lib.close()
    assert len(list((old / "backups").glob("*schema*"))) == 1
