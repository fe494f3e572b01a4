"""The first minutes of a new user (issue 10): keys pressed at once, while the panes are
being composed and while the bundled sample is imported."""

from __future__ import annotations

import asyncio

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.widgets.search_box import SearchBox

from ..helpers import hold, wait_until
from .util import make_app, region_lines, settle, write_picks


async def test_keys_typed_before_the_panes_exist_are_answered_in_order(library: Library):
    """`paperdeck` then `/rag` at once: the keys arrive before the main screen has
    composed its panes; they are kept and answered once the panes are there (they
    crashed the reader: no `#search` yet)."""
    app = make_app(library)
    seen: dict[str, object] = {}

    async def typed_at_once(pilot) -> None:
        seen["composed before the keys"] = app.main_mounted
        await pilot.press("slash", "r", "a", "g")
        await wait_until(pilot, lambda: app.crash is not None
                         or (app.main.ready and app.result is not None),
                         what="the search typed ahead to be answered")
        if app.crash is not None:
            return
        seen["focused"] = app.focused
        seen["query"] = app.query_text
        seen["total"] = app.result.total
        app.exit()

    await asyncio.wait_for(app.run_async(headless=True, size=(80, 24),
                                         auto_pilot=typed_at_once), 60)
    assert app.crash is None, app.crash
    assert seen["composed before the keys"] is False
    assert isinstance(seen["focused"], SearchBox)
    assert seen["query"] == "rag"
    assert seen["total"] == library.search("rag", scope=Scope()).total > 0


async def test_a_search_typed_during_the_first_import_is_answered_on_the_library(
        empty_lib: Library):
    """Issue 10, point 1: `/rag` typed while the sample is imported is answered against
    the library once it is open, never "No match" over the whole list."""
    with hold(empty_lib, "import_sample") as importing:
        app = make_app(empty_lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, importing.reached.is_set, what="the first import")
            await pilot.press("slash", "r", "a", "g")
            # Time passing on purpose: the search's debounce has run out while the
            # import holds the library, so the search is due and must not say "No match".
            await pilot.pause(0.1)
            assert "No match" not in str(app.header.render())
            importing.release()
            await wait_until(pilot, lambda: app.main.ready and app.result is not None,
                             what="the search to be answered")
            await settle(pilot)
            expected = empty_lib.search("rag", scope=Scope())
            assert expected.total > 0
            assert app.result.total == expected.total
            assert [r.key for r in app.papers.rows] == [r.key for r in expected.rows]
            assert "match" in str(app.header.render())
            assert "No match" not in str(app.header.render())
            # leaving the search lists the node, whole
            await pilot.press("escape")
            await settle(pilot)
            assert app.papers.total == empty_lib.counts(Scope())[1]


async def test_keys_that_cannot_act_during_the_first_import_say_so_once(
        empty_lib: Library):
    """Issue 10, point 10: r, s, space, y, A pressed during the first import: one
    notice, not a pile of "No paper selected." toasts."""
    with hold(empty_lib, "import_sample") as importing:
        app = make_app(empty_lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, importing.reached.is_set, what="the first import")
            await pilot.press("r", "s", "space", "y", "Y", "A", "o", "r", "space")
            await pilot.pause()
            messages = [str(n.message) for n in app.notifications_shown]
            assert not any("No paper selected" in m for m in messages), messages
            assert not any("The list is empty" in m for m in messages), messages
            waiting = [m for m in messages if "once the list is shown" in m]
            assert len(waiting) == 1, messages
            importing.release()
            await wait_until(pilot, lambda: app.main.ready, what="the library to open")
            await settle(pilot)
            assert app.list_sort == "newest"  # `o` did nothing before the list was there
            assert empty_lib.counts(Scope("read"))[1] == 0  # nor did r or space


async def test_the_same_notice_twice_is_shown_once(library: Library):
    """The class of point 10: a key pressed again while its notice is still on screen
    does not stack a second copy of it."""
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.goto_scope(Scope("starred"))
        await settle(pilot)
        await pilot.press("r", "r", "s", "y", "r")
        await pilot.pause()
        messages = [str(n.message) for n in app.notifications_shown]
        assert len(messages) == len(set(messages)), messages


async def test_an_open_search_runs_again_when_an_import_ends(library: Library, tmp_path):
    """Point 1's other half: a search shown before an import from the reader is
    answered again on the library as the import left it."""
    digest = write_picks(tmp_path / "zebra.md", [(
        "2024-07-07", "Zebrafish retrieval for long documents", "Computation and Language",
        "We study zebrafish retrieval. It helps long documents.", "2407.00001")])
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zebrafish")
        await settle(pilot)
        assert app.result is not None and app.result.total == 0
        app.import_paths([digest])
        await wait_until(pilot, lambda: not app.importing, what="the import to end")
        await settle(pilot)
        assert app.result.total == 1
        assert [r.title for r in app.papers.rows] == ["Zebrafish retrieval for long documents"]


def cut_tree_counts(app) -> list[tuple[str, str]]:
    """The node lines of the tree, as on screen, that do not end with their counts
    whole (with what they should end with)."""
    tree = app.nav_tree_widget
    top = round(tree.scroll_offset.y)
    cut = []
    for y, drawn in enumerate(region_lines(app, tree)):
        node = tree.get_node_at_line(top + y)
        if node is None:
            break
        unread, total = tree.counts_at(node)
        if not drawn.rstrip().endswith(f" {unread}/{total}"):
            cut.append((drawn, f"{unread}/{total}"))
    return cut


def assert_counts_whole(app) -> None:
    assert cut_tree_counts(app) == [], "counts cut in the tree"


async def test_tree_counts_are_never_cut_whatever_the_order_of_events(empty_lib: Library):
    """Point 9: at 80x24 after keys pressed during the first import, after expanding
    nodes (the scrollbar comes), after resizing (it goes), the counts are whole."""
    with hold(empty_lib, "import_sample") as importing:
        app = make_app(empty_lib)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, importing.reached.is_set, what="the first import")
            await pilot.press("tab", "j", "j", "l", "space", "tab", "j", "slash", "x",
                              "escape")
            importing.release()
            await wait_until(pilot, lambda: app.main.ready, what="the library to open")
            await settle(pilot)
            tree = app.nav_tree_widget
            assert_counts_whole(app)
            tree.focus()
            await pilot.press("g", "j", "j", "j", "j", "j", "l")  # expand the first year
            await settle(pilot)
            assert_counts_whole(app)
            await pilot.press("j", "l", "j", "l")  # a month, a week
            await settle(pilot)
            assert_counts_whole(app)
            for size in ((140, 40), (60, 15), (80, 24)):
                await pilot.resize_terminal(*size)
                await settle(pilot)
                assert_counts_whole(app)
            await pilot.press("G")
            await settle(pilot)
            assert_counts_whole(app)
