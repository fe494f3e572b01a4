"""A long list is read by pages: the end, paging, marks far down, the next unread further
on, and an import started from the reader, with its progress, while the reader works."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import ProgressBar, Static

from paperdeck.index.library import Library
from paperdeck.index.views import Scope, SearchResult
from paperdeck.reader.rows import PAGE, LibrarySource, SearchSource
from paperdeck.reader.screens.ask_path import AskPathScreen
from paperdeck.reader.widgets import paper_list
from tests.bench.corpus import Generator, generate

from ..helpers import hold, wait_until
from .util import make_app, palette_offers, settle, type_text

N = 2500


@pytest.fixture(scope="module")
def _big_template(tmp_path_factory) -> Path:
    """N generated papers imported once (the benchmark's generator, one digest file)."""
    root = tmp_path_factory.mktemp("big")
    generate(N, root / "corpus", author_share=0.0, gen=Generator(4))
    lib = Library.open(root / "lib")
    lib.import_files([root / "corpus"])
    assert lib.counts(Scope())[1] == N
    lib.close()
    return root / "lib"


@pytest.fixture
def big_lib(_big_template, tmp_path):
    d = tmp_path / "lib"
    shutil.copytree(_big_template, d)
    lib = Library.open(d)
    yield lib
    lib.close()


def loaded_rows(app) -> int:
    return sum(len(p) for p in app.papers.loaded_pages.values())


async def test_all_is_listed_by_pages_and_G_shows_the_last_paper(big_lib: Library):
    order = [r.key for r in big_lib.rows(Scope(), "newest")]
    app = make_app(big_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        papers = app.papers
        assert isinstance(papers.source, LibrarySource)
        assert papers.total == N
        assert f"{N:,} papers" in str(app.header.render())
        assert loaded_rows(app) <= 2 * PAGE  # not the whole list
        assert papers.current.key == order[0]
        await pilot.press("G")
        await settle(pilot)
        assert papers.cursor == N - 1
        assert papers.current.key == order[-1]
        assert papers.scroll_offset.y >= N - papers.size.height
        assert app.abstract.key == order[-1]
        assert loaded_rows(app) <= 3 * PAGE
        # the line drawn at the bottom is the last paper's
        title = big_lib.paper(order[-1]).title
        bottom = papers.render_line(papers.size.height - 1).text
        assert title[:20] in bottom
        await pilot.press("g", "pagedown", "pagedown")
        await settle(pilot)
        step = papers.size.height - 1
        assert papers.cursor == 2 * step
        assert papers.current.key == order[2 * step]
        assert app.abstract.key == order[2 * step]
        await pilot.press("pageup")
        await settle(pilot)
        assert papers.current.key == order[step]
        # every row, read through the pages, is the library's order
        assert [r.key for r in papers.rows] == order


async def test_a_mark_far_down_persists_and_counts_update(big_lib: Library, monkeypatch):
    # Keep only two pages, so that the marked row's page is dropped and read again.
    monkeypatch.setattr(paper_list, "MAX_PAGES", 2)
    order = [r.key for r in big_lib.rows(Scope(), "newest")]
    app = make_app(big_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G", "k", "k")
        await settle(pilot)
        key = order[N - 3]
        assert app.papers.current.key == key
        await pilot.press("r", "s")
        assert big_lib.paper(key).read and big_lib.paper(key).starred
        await settle(pilot)
        assert app.nav_tree_widget.counts_of(Scope()) == (N - 1, N)
        assert app.nav_tree_widget.counts_of(Scope("starred")) == (0, 1)
        assert f"{N - 1:,} unread" in str(app.header.render())
        # far away and back: the page is read again from the library, mark included
        for i in range(0, N - PAGE, PAGE):
            app.papers.move_to(i)
            await settle(pilot, rounds=1)
        assert (N - 3) // PAGE not in app.papers.loaded_pages
        await pilot.press("G", "k", "k")
        await settle(pilot)
        row = app.papers.current
        assert row.key == key and row.read and row.starred
        assert "read · ★ starred" in app.abstract.plain_text()


async def test_space_finds_the_next_unread_pages_further_on(big_lib: Library):
    order = [r.key for r in big_lib.rows(Scope(), "newest")]
    target = 3 * PAGE + 17  # beyond the pages read at the start
    big_lib.mark_read(order[1:target])
    app = make_app(big_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.papers.cursor == 0  # the first unread
        assert target // PAGE not in app.papers.loaded_pages
        await pilot.press("space")
        await settle(pilot)
        assert big_lib.paper(order[0]).read
        assert app.papers.cursor == target
        assert app.papers.current.key == order[target]
        assert app.abstract.key == order[target]
        assert not big_lib.paper(order[target]).read


async def test_the_first_unread_far_down_is_where_the_list_opens(big_lib: Library):
    order = [r.key for r in big_lib.rows(Scope(), "newest")]
    big_lib.mark_read(order[:1000])
    app = make_app(big_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.papers.cursor == 1000
        assert app.papers.current.key == order[1000]


async def test_A_marks_a_long_list_read(big_lib: Library):
    scope = Scope("year", "2025")
    unread, total = big_lib.counts(scope)
    assert total > PAGE
    app = make_app(big_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.goto_scope(scope)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        question = app.screen.question
        assert f"{unread:,} unread papers" in question and f"{total:,} papers" in question
        await pilot.press("y")
        await settle(pilot)
        assert big_lib.counts(scope) == (0, total)
        assert all(r.read for r in app.papers.rows)
        assert app.nav_tree_widget.counts_of(scope) == (0, total)


async def test_import_from_the_palette_shows_progress_and_the_reader_stays_usable(
        sample_lib: Library, tmp_path, monkeypatch):
    corpus = generate(300, tmp_path / "new", author_share=0.0, gen=Generator(11))
    before_unread, before = sample_lib.counts(Scope())
    labels: list[str] = []
    real_update = Static.update

    def record(self, content="", **kwargs):
        if self.id == "import-label":
            labels.append(str(content))
        return real_update(self, content, **kwargs)

    monkeypatch.setattr(Static, "update", record)
    # Hold the import at its indexing step, to use the reader meanwhile.
    with hold(sample_lib, "sync_index") as indexing:
        app = make_app(sample_lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await type_text(pilot, "import digests")
            await wait_until(pilot, lambda: palette_offers(app, "import digests"),
                             what="the palette to offer Import digests")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, AskPathScreen),
                             what="the question for a path")
            assert isinstance(app.screen, AskPathScreen)
            await type_text(pilot, str(tmp_path / "new"))
            await pilot.press("enter")
            await wait_until(pilot, indexing.reached.is_set, timeout=20,
                             what="the import to reach its indexing step")
            assert indexing.reached.is_set()
            await wait_until(pilot, lambda: labels and "indexing" in labels[-1],
                             what="the import bar to show the import's last report")
            assert app.importing
            assert app.query_one("#import-bar").has_class("-active")
            # the library tells its import's progress in bytes read (issue 9)
            assert app.query_one("#import-progress", ProgressBar).total == sum(
                f.stat().st_size for f in corpus.files)
            assert any("records" in t for t in labels)
            assert "indexing" in labels[-1]
            # the reader answers meanwhile
            start = app.papers.cursor
            await pilot.press("j", "j")
            assert app.papers.cursor == start + 2
            here = app.papers.current.key
            indexing.release()
            await wait_until(pilot, lambda: not app.importing, what="the import to end")
            await settle(pilot)
            assert not app.importing
            assert not app.query_one("#import-bar").has_class("-active")
            unread, total = sample_lib.counts(Scope())
            added = total - before
            assert added > 250 and unread == before_unread + added  # a few merge with samples
            assert app.nav_tree_widget.counts_of(Scope()) == (unread, total)
            assert app.papers.total == total
            assert f"{total:,} papers" in str(app.header.render())
            assert app.papers.current.key == here  # the list was read again, the place kept
            assert any(f"{added} added" in str(n.message) for n in app.notifications_shown)


async def test_a_bad_import_path_is_reported_not_fatal(sample_lib: Library, tmp_path):
    app = make_app(sample_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.import_paths([tmp_path / "nowhere.md"])
        await settle(pilot)
        await wait_until(pilot, lambda: not app.importing, what="the import to end")
        assert app.is_running and not app.importing
        assert any("nowhere.md" in str(n.message) for n in app.notifications_shown)


async def test_marks_during_an_import_wait_for_its_write_lock_not_the_keys(
        sample_lib: Library, tmp_path):
    generate(200, tmp_path / "new", author_share=0.0, gen=Generator(12))
    # Hold the import inside its write transaction (after merging, before the commit).
    with hold(sample_lib.importer, "merge_batch", after=True) as merging:
        app = make_app(sample_lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            key = app.papers.current.key
            app.import_paths([tmp_path / "new"])
            await wait_until(pilot, merging.reached.is_set, timeout=20,
                             what="the import to hold the write lock")
            assert merging.reached.is_set()
            await pilot.press("r", "s", "j")  # answered although the database is locked
            assert app.papers.cursor == 1
            assert app.papers.row_at(0).read and app.papers.row_at(0).starred
            assert not sample_lib.paper(key).read  # not saved yet: the import holds the lock
            merging.release()
            await wait_until(pilot, lambda: not app.importing and not app.marks.busy,
                             what="the import to commit and the marks to be saved")
            await settle(pilot)
            paper = sample_lib.paper(key)
            assert paper.read and paper.starred
            assert app.nav_tree_widget.counts_of(Scope("starred")) == (0, 1)


class PagingLibrary(Library):
    """A library whose search reads a window (`offset`, `limit`), as issue 4's search
    paging will: here by cutting the whole result, to drive the reader's SearchSource."""

    def search(self, query, scope=None, sort="relevance", offset=0, limit=None):
        full = super().search(query, scope=scope, sort=sort)
        self.windows = getattr(self, "windows", []) + [(query, offset, limit)]
        end = None if limit is None else offset + limit
        return SearchResult(full.query, full.rows[offset:end], full.total, full.suggestion,
                            full.error)


async def test_a_paged_search_is_read_by_window(_big_template, tmp_path):
    shutil.copytree(_big_template, tmp_path / "lib")
    lib = PagingLibrary.open(tmp_path / "lib")
    try:
        expected = Library.search(lib, "model")
        assert expected.total > 3 * PAGE
        lib.windows = []
        app = make_app(lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await type_text(pilot, "model")
            await settle(pilot)
            assert isinstance(app.papers.source, SearchSource)
            assert ("model", 0, PAGE) in lib.windows
            assert app.papers.total == expected.total
            header = str(app.header.render())
            assert f"{expected.total:,} matches" in header and "first" not in header
            assert loaded_rows(app) <= 2 * PAGE
            await pilot.press("tab", "G")
            await settle(pilot)
            last = expected.total - 1
            assert ("model", last // PAGE * PAGE, PAGE) in lib.windows
            assert app.papers.current.key == expected.rows[-1].key
            assert app.abstract.key == expected.rows[-1].key
    finally:
        lib.close()
