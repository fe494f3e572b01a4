"""The help screen, the command palette, quitting."""

from __future__ import annotations

from textual.command import CommandPalette

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.screens.help import HelpScreen, key_display
from paperdeck.reader.screens.main import MainScreen
from paperdeck.reader.widgets.paper_list import PaperList

from ..helpers import wait_until
from .util import (
    find_nav,
    make_app,
    palette_offers,
    region_lines,
    screen_lines,
    settle,
    type_text,
)


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


async def test_reading_mode_gives_the_paper_the_whole_screen(library: Library):
    """Issue 10, point 13: at 80x24, `z` shows the paper alone, the title and the
    authors in full; `z` (or esc) goes back; on the small screen the metadata above the
    abstract is a line or two."""
    paper = next(p for p in library.papers(r.key for r in library.rows())
                 if len(p.title) > 60 and len(", ".join(p.authors)) > 60)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.papers.move_to(app.papers.index_of(paper.key))
        await settle(pilot)
        abstract = app.abstract
        body_top = abstract.query_one("#abstract-body").region.y
        title_bottom = abstract.query_one("#abstract-title").region.bottom
        assert body_top - title_bottom <= 3  # status, authors, a blank line
        shown = " ".join(region_lines(app, abstract))
        assert paper.authors[0] in shown and ", ".join(paper.authors) not in shown
        await pilot.press("z")
        await settle(pilot)
        assert app.main.maximized is abstract and app.focused is abstract
        assert abstract.region.width == 80
        words = " ".join(" ".join(region_lines(app, abstract)).split())
        assert " ".join(paper.title.split()) in words
        assert ", ".join(paper.authors) in words
        await pilot.press("z")
        await settle(pilot)
        assert app.main.maximized is None
        await pilot.press("z", "escape")
        await settle(pilot)
        assert app.main.maximized is None and app.is_running


async def test_reading_mode_sets_the_text_within_a_wide_screen(library: Library):
    """At 140x40 (and wider) reading mode set the text wider than the screen: each line
    of the abstract lost its end, the next began mid-sentence. Every word is seen."""
    paper = library.paper("2406.15319")
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.papers.move_to(app.papers.index_of(paper.key))
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        body = app.abstract.query_one("#abstract-body")
        assert body.region.right <= 140 and body.virtual_size.width <= body.region.width
        words = " ".join(" ".join(region_lines(app, app.abstract)).split())
        first = " ".join(paper.abstract.split()[:60])
        assert first in words, words[:400]


async def test_the_footer_shows_whole_keys_at_any_width(library: Library):
    """Issue 10, point 22: at 60x15 the footer read `^p palettei` (keys running under
    the palette's); now the keys that fit, whole, `?` last to go."""
    app = make_app(library)
    async with app.run_test(size=(60, 15)) as pilot:
        for size in ((60, 15), (50, 15), (40, 12), (80, 24), (140, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            footer = screen_lines(app)[-1].rstrip()
            assert footer.endswith("^p palette"), footer
            shown = [k for k in app.main.query("FooterKey")
                     if not k.has_class("-command-palette")]
            assert any(k.action == "help" for k in shown)
            for key in shown:
                assert f"{key.key_display} {key.description}" in footer, (size, footer)


async def test_the_help_scrollbar_is_beside_the_text_not_over_it(library: Library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        scroll = app.screen.query_one("#help-scroll")
        body = app.screen.query_one("#help-body")
        assert scroll.show_vertical_scrollbar
        assert body.region.right <= scroll.scrollable_content_region.right
        # a long description goes on below its own start
        lines = region_lines(app, body)
        at = next(i for i, line in enumerate(lines) if line.strip().startswith("b "))
        column = lines[at].index("Open")
        assert lines[at + 1][:column].strip() == "" and lines[at + 1][column:].strip()
