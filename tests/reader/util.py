"""Helpers for the reader's Pilot tests."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from paperdeck.index.library import Library
from paperdeck.index.views import NavNode
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


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


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
