"""Marks (r, space, s, A), copying (y, Y), persistence across restarts."""

from __future__ import annotations

import pyperclip
import pytest

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.screens.confirm import ConfirmScreen

from ..helpers import wait_until
from .util import find_nav, make_app, settle


async def test_r_toggles_read_and_updates_counts(library: Library):
    unread, total = library.counts(Scope())
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        key = app.papers.current.key
        await pilot.press("r")
        assert library.paper(key).read  # written before the screen shows it
        assert app.papers.current.read
        await settle(pilot)
        assert app.nav_tree_widget.counts_of(Scope()) == (unread - 1, total)
        assert app.nav_tree_widget.counts_of(Scope("read")) == (0, 1)
        assert f"{unread - 1:,} unread" in str(app.header.render())
        assert "All" in app.nav_tree_widget.label_of(Scope())
        assert f"{unread - 1}/{total}" in app.nav_tree_widget.label_of(Scope())
        await pilot.press("r")
        assert not library.paper(key).read
        await settle(pilot)
        assert app.nav_tree_widget.counts_of(Scope()) == (unread, total)


async def test_space_marks_read_and_moves_to_the_next_unread(library: Library):
    rows = library.rows(Scope(), "newest")
    library.mark_read([rows[1].key])  # the next unread after the first is the third
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.papers.cursor == 0
        await pilot.press("space")
        await settle(pilot)
        assert library.paper(rows[0].key).read
        assert app.papers.cursor == 2
        assert app.abstract.key == rows[2].key
        assert not library.paper(rows[2].key).read  # moved to, not marked


async def test_s_toggles_the_star(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        key = app.papers.current.key
        await pilot.press("s")
        assert library.paper(key).starred and app.papers.current.starred
        await settle(pilot)
        assert app.nav_tree_widget.counts_of(Scope("starred")) == (1, 1)
        await pilot.press("s")
        assert not library.paper(key).starred
        await settle(pilot)
        assert app.nav_tree_widget.counts_of(Scope("starred")) == (0, 0)


async def test_A_marks_the_list_read_after_confirmation(library: Library):
    scope = find_nav(library, "category", "cs.CL").scope
    unread_all, total_all = library.counts(Scope())
    unread, total = library.counts(scope)
    assert unread > 0
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.goto_scope(scope)
        await settle(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen),
                         what="the question")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert library.counts(scope) == (unread, total)
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen),
                         what="the question")
        await pilot.press("y")
        await settle(pilot)
        assert library.counts(scope) == (0, total)
        assert all(r.read for r in app.papers.rows)
        assert app.nav_tree_widget.counts_of(scope) == (0, total)
        assert app.nav_tree_widget.counts_of(Scope())[0] == library.counts(Scope())[0]
        assert library.counts(Scope())[0] == unread_all - unread


async def test_marks_survive_a_restart_and_the_place_is_kept(sample_dir):
    scope = None
    lib = Library.open(sample_dir)
    try:
        scope = find_nav(lib, "category", "cs.CL").scope
        app = make_app(lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            app.goto_scope(scope)
            await settle(pilot)
            await pilot.press("j", "j", "r", "s", "j")
            await settle(pilot)
            marked = app.papers.rows[2].key
            here = app.papers.current.key
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0
    finally:
        lib.close()
    lib = Library.open(sample_dir)
    try:
        paper = lib.paper(marked)
        assert paper.read and paper.starred
        app = make_app(lib)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            assert app.scope == scope
            assert app.papers.current.key == here
            assert app.nav_tree_widget.cursor_node.data == scope
    finally:
        lib.close()


@pytest.fixture
def recorded_copies(monkeypatch):
    copies: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copies.append)
    return copies


async def test_y_and_Y_copy_through_pyperclip_and_the_terminal(library: Library,
                                                               recorded_copies):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        index = next(i for i, r in enumerate(app.papers.rows)
                     if library.paper(r.key).arxiv_id)
        app.papers.move_to(index)
        await settle(pilot)
        paper = library.paper(app.papers.current.key)
        await pilot.press("y")
        assert app.clipboard == paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
        assert recorded_copies == [paper.url]
        await pilot.press("Y")
        assert app.clipboard == f"[{paper.title}]({paper.url})"
        assert recorded_copies[-1] == app.clipboard


async def test_a_failing_pyperclip_is_survived(library: Library, monkeypatch):
    def broken(text):
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", broken)
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        paper = library.paper(app.papers.current.key)
        await pilot.press("y")
        assert app.is_running
        assert app.clipboard == paper.url


async def test_a_paper_without_arxiv_id_copies_a_title_search(library: Library,
                                                              recorded_copies):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        index = next(i for i, r in enumerate(app.papers.rows)
                     if not library.paper(r.key).arxiv_id)
        app.papers.move_to(index)
        await settle(pilot)
        paper = library.paper(app.papers.current.key)
        await pilot.press("y")
        assert app.clipboard.startswith("https://arxiv.org/search/?query=")
        assert app.clipboard.endswith("&searchtype=title")
        first_word = paper.title.split()[0]
        assert first_word.split(":")[0][:3] in app.clipboard
        await pilot.press("Y")
        assert app.clipboard.startswith("[") and "arxiv.org/search/" in app.clipboard
