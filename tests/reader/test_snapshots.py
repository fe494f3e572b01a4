"""Snapshots of the reader (SVGs in __snapshots__): fixed size, the sample library, workers
awaited, no cursor blink. Regenerate with `pytest tests/reader --snapshot-update`."""

from __future__ import annotations

from paperdeck.index.library import Library

from .util import make_app, settle, type_text


async def _ready(pilot) -> None:
    await pilot.pause()  # the main screen composes in its own task
    pilot.app.search_box.cursor_blink = False
    await settle(pilot)


def test_main_screen_80x24(snap_compare, library: Library):
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=_ready)


def test_main_screen_140x40(snap_compare, library: Library):
    assert snap_compare(make_app(library), terminal_size=(140, 40), run_before=_ready)


def test_search_with_highlights(snap_compare, library: Library):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, '"language model"')
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(library), terminal_size=(140, 40), run_before=run_before)


def test_help_screen(snap_compare, library: Library):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(library), terminal_size=(100, 40), run_before=run_before)


def test_light_theme(snap_compare, library: Library):
    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _ready(pilot)
        await pilot.press("j", "s", "j")
        await settle(pilot)

    assert snap_compare(make_app(library), terminal_size=(140, 40), run_before=run_before)
