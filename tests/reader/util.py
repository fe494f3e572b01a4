"""Helpers for the reader's Pilot tests."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandList, CommandPalette

from paperdeck.index.library import Library
from paperdeck.index.views import ListRow, NavNode
from paperdeck.reader.app import PaperdeckApp


def make_app(library: Library, **options) -> PaperdeckApp:
    options.setdefault("search_debounce", 0.01)
    options.setdefault("tree_debounce", 0.01)
    options.setdefault("preview_debounce", 0.0)
    options.setdefault("counts_debounce", 0.0)
    return PaperdeckApp(library, **options)


async def settle(pilot, rounds: int = 3) -> None:
    """Let the debounce timers fire and every worker finish."""
    for _ in range(rounds):
        # Time passing on purpose: a debounce is a timer (0.01 s in make_app), and no
        # public state says one is pending; the workers it starts are then awaited.
        await pilot.pause(0.03)
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def find_nav(library: Library, kind: str, value: str | None = None) -> NavNode:
    """The first node of a kind (and value) in the library's navigation tree."""

    def walk(nodes: list[NavNode]) -> NavNode | None:
        for n in nodes:
            if n.scope is not None and n.scope.kind == kind and (
                    value is None or n.scope.value == value):
                return n
            found = walk(n.children)
            if found is not None:
                return found
        return None

    node = walk(library.nav_tree())
    assert node is not None, f"no {kind} {value} node"
    return node


async def cursor_to_first(pilot, wanted: Callable[[ListRow], object]) -> None:
    """Put the list's cursor on the first of its rows that `wanted` accepts, and settle."""
    papers = pilot.app.papers
    papers.move_to(next(i for i, row in enumerate(papers.rows) if wanted(row)))
    await settle(pilot)


def every_node(tree) -> list:
    """Every node of a tree below its root, parents before their children."""
    out = []

    def walk(tn) -> None:
        for child in tn.children:
            out.append(child)
            walk(child)

    walk(tree.root)
    return out


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def open_found(pilot, app, query: str, key: str) -> None:
    """Search for `query` as a user types it, go to the results, put the cursor on the
    paper `key` and let its abstract load."""
    await pilot.press("slash")
    await type_text(pilot, query)
    await settle(pilot)
    await pilot.press("enter")
    app.papers.move_to(app.papers.index_of(key))
    await settle(pilot)


def palette_offers(app, text: str) -> bool:
    """The command palette is open with `text` in its highlighted command (enter runs it)."""
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return False
    commands = palette.query_one(CommandList)
    if commands.highlighted is None:
        return False
    hit = commands.get_option_at_index(commands.highlighted).hit
    return text.lower() in (hit.text or "").lower()


def write_picks(path, papers: list[tuple[str, str, str, str, str]]):
    """A weekly-picks digest (a Markdown table) of papers given as (week, title,
    category, abstract, arXiv id): a small import of the test's own."""
    lines = ["| Week | title | category | abstract | Paper-Link |",
             "|:-----|:------|:---------|:---------|:-----------|"]
    for week, title, category, abstract, arxiv_id in papers:
        lines.append(f"| {week} | {title} | {category} | {abstract} | "
                     f"https://arxiv.org/abs/{arxiv_id} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def screen_lines(app) -> list[str]:
    """The screen as the user sees it now, as lines of text (what export_screenshot
    draws, without the colours)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False,
                      safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def region_lines(app, widget) -> list[str]:
    """The lines of the screen inside `widget`'s content region (scrollbars excluded)."""
    region = widget.scrollable_content_region
    return [line[region.x:region.right] for line in
            screen_lines(app)[region.y:region.bottom]]
