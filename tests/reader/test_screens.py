"""The help screen, the command palette, quitting."""

from __future__ import annotations

from textual.command import CommandPalette

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.screens.help import HelpScreen, key_display
from paperdeck.reader.screens.main import MainScreen
from paperdeck.reader.widgets.paper_list import PaperList

from ..helpers import wait_until
from .util import find_nav, make_app, palette_offers, settle, type_text


async def test_help_lists_every_binding(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body").render())
        for binding in MainScreen.BINDINGS + PaperList.BINDINGS:
            assert key_display(binding.key) in text, binding.key
        for key in ("j", "k", "g", "G", "tab", "/", "esc", "enter", "r", "space", "s",
                    "y", "Y", "A", "o", "?", "ctrl+p", "q", "ctrl+d"):
            assert key in text, key
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_goes_to_a_category(library: Library):
    scope = find_nav(library, "category", "cs.CL").scope
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Go to category Computation and Language")
        await wait_until(pilot, lambda: palette_offers(
            app, "Go to category Computation and Language"), what="the palette's hit")
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope == scope
        assert len(app.papers.rows) == library.counts(scope)[1]


async def test_palette_goes_to_a_week(library: Library):
    scope = find_nav(library, "week").scope
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, f"Go to week {scope.value}")
        await wait_until(pilot, lambda: palette_offers(app, f"Go to week {scope.value}"),
                         what="the palette's hit")
        await pilot.press("enter")
        await settle(pilot)
        assert app.scope == scope
        assert app.nav_tree_widget.cursor_node.data == scope


async def test_palette_runs_an_action(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        key = app.papers.current.key
        await pilot.press("ctrl+p")
        await type_text(pilot, "Toggle star")
        await wait_until(pilot, lambda: palette_offers(app, "Toggle star"),
                         what="the palette's hit")
        await pilot.press("enter")
        await settle(pilot)
        assert library.paper(key).starred
        assert app.nav_tree_widget.counts_of(Scope("starred")) == (1, 1)


async def test_q_quits(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_the_theme_is_kept_across_restarts(sample_dir):
    lib = Library.open(sample_dir)
    try:
        app = make_app(lib)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.theme = "textual-light"
            await settle(pilot)
        assert lib.get_state("theme") == "textual-light"
        app = make_app(lib)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.theme == "textual-light"
    finally:
        lib.close()
