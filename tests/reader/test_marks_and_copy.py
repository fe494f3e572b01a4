"""Marks (r, space, s, A), copying (y, Y), persistence across restarts."""

from __future__ import annotations

import pyperclip
import pytest

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.labels import scope_title
from paperdeck.reader.screens.confirm import ConfirmScreen
from paperdeck.reader.widgets.nav_tree import iter_nav

from ..helpers import wait_until
from .util import cursor_to_first, find_nav, make_app, settle


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


@pytest.fixture
def no_system_clipboard(monkeypatch):
    """pyperclip finds no clipboard tool, as on a server without one."""
    def broken(text):
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", broken)


async def test_y_and_Y_copy_through_pyperclip_and_the_terminal(library: Library,
                                                               recorded_copies):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        index = next(i for i, r in enumerate(app.papers.rows)
                     if library.paper(r.key).arxiv_id and not r.title_derived)
        app.papers.move_to(index)
        await settle(pilot)
        paper = library.paper(app.papers.current.key)
        await pilot.press("y")
        assert app.clipboard == paper.url == f"https://arxiv.org/abs/{paper.arxiv_id}"
        assert recorded_copies == [paper.url]
        await pilot.press("Y")
        assert app.clipboard == f"[{paper.title}]({paper.url})"
        assert recorded_copies[-1] == app.clipboard


async def test_a_failing_pyperclip_is_survived(library: Library, no_system_clipboard):
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
        await cursor_to_first(pilot, lambda row: not library.paper(row.key).arxiv_id)
        paper = library.paper(app.papers.current.key)
        await pilot.press("y")
        assert app.clipboard.startswith("https://arxiv.org/search/?query=")
        assert app.clipboard.endswith("&searchtype=title")
        first_word = paper.title.split()[0]
        assert first_word.split(":")[0][:3] in app.clipboard
        await pilot.press("Y")
        assert app.clipboard.startswith("[") and "arxiv.org/search/" in app.clipboard


async def test_the_copy_notice_speaks_the_users_words(library: Library,
                                                      no_system_clipboard):
    """Issue 10, point 22: no `(no system clipboard (PyperclipException); …)`."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        notice = str(app.notifications_shown[-1].message)
        assert "Exception" not in notice and "pyperclip" not in notice.lower()
        assert "clipboard tool" in notice and "terminal" in notice


async def test_Y_on_a_derived_title_says_it_is_derived(library: Library, recorded_copies):
    """Issue 10, point 21: the Markdown link of a paper whose title is the abstract's
    first sentence says so."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        index = next(i for i, r in enumerate(app.papers.rows) if r.title_derived)
        app.papers.move_to(index)
        await settle(pilot)
        paper = library.paper(app.papers.current.key)
        await pilot.press("Y")
        assert app.clipboard.startswith("[" + paper.title[:20])
        assert "(untitled: the abstract's first sentence)](" in app.clipboard


async def test_space_at_the_end_of_a_list_goes_on_to_the_next_node_with_unread(
        library: Library):
    """Issue 10, point 14: the last unread paper of a week read, space offers the next
    week with unread papers; space again goes there, at its first unread paper."""
    weeks = [n for n in iter_nav(library.nav_tree()) if n.scope and n.scope.kind == "week"]
    first, second = weeks[0], weeks[1]
    assert first.total >= 2 and second.unread > 0
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.goto_scope(first.scope)
        await settle(pilot)
        for _ in range(first.total):
            await pilot.press("space")
            await settle(pilot, rounds=1)
        await settle(pilot)
        assert library.counts(first.scope)[0] == 0
        messages = [str(n.message) for n in app.notifications_shown]
        assert any(f"space: on to {scope_title(second.scope)}" in m for m in messages), \
            messages
        assert app.scope == first.scope
        await pilot.press("space")
        await settle(pilot)
        assert app.scope == second.scope
        assert not app.papers.current.read
        assert app.papers.cursor == next(i for i, r in enumerate(app.papers.rows)
                                         if not r.read)
        assert library.counts(second.scope)[0] == second.unread  # nothing marked on the way


async def test_the_offer_lapses_once_the_cursor_moves(library: Library):
    weeks = [n for n in iter_nav(library.nav_tree()) if n.scope and n.scope.kind == "week"]
    first = weeks[0]
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.goto_scope(first.scope)
        await settle(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen),
                         what="the question")
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("space")  # nothing unread here: the offer
        await settle(pilot)
        await pilot.press("j", "space")  # moved: space looks again, here
        await settle(pilot)
        assert app.scope == first.scope
