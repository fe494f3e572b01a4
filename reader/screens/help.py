"""`?`: every key of the reader, by where it works."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.abstract_view import AbstractView
from ..widgets.nav_tree import NavTree
from ..widgets.paper_list import PaperList
from ..widgets.search_box import SearchBox
from .confirm import ConfirmScreen

Section = tuple[str, list[tuple[str, str]]]

KEY_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→", "question_mark": "?",
    "slash": "/", "escape": "esc", "space": "space", "enter": "enter",
}


def key_display(keys: str) -> str:
    """A binding's keys as the help and the README show them: `j, ↓`."""
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def help_sections(main_bindings: Iterable[Binding]) -> list[Section]:
    """Every key of the reader, by where it works: the main screen's bindings (given:
    MainScreen.BINDINGS), then each pane's own and the confirmation's."""
    def rows(bindings: Iterable[Binding | tuple]) -> list[tuple[str, str]]:
        out = []
        for b in bindings:
            if isinstance(b, tuple):
                out.append((key_display(b[0]), b[1]))
                continue
            out.append((key_display(b.key), b.tooltip or b.description or b.action))
        return out

    everywhere = rows(main_bindings) + [("ctrl+p", "Command palette (actions, go to ...)")]
    tree_extra = [("enter", "List the node and go to the list"),
                  ("space", "Expand / collapse the node")]
    return [
        ("Everywhere (outside the search box)", everywhere),
        ("Paper list", rows(PaperList.BINDINGS)),
        ("Navigation tree (moving lists the node)", rows(NavTree.BINDINGS) + tree_extra),
        ("Search box", [("enter", "Go to the results (or accept the suggestion)")]
         + rows(SearchBox.BINDINGS)),
        ("Abstract", rows(AbstractView.BINDINGS)),
        ("Confirmation", rows(ConfirmScreen.BINDINGS)),
    ]


def help_content(sections: list[Section]) -> Content:
    parts: list[str | Content | tuple[str, str]] = []
    width = max((len(k) for _, rows in sections for k, _ in rows), default=8) + 2
    for i, (title, rows) in enumerate(sections):
        if i:
            parts.append("\n")
        parts.append((title, "bold underline"))
        parts.append("\n")
        for keys, description in rows:
            parts.append((f"  {keys:<{width}}", "bold"))
            parts.append(description)
            parts.append("\n")
    parts.append("\n")
    parts.append(("esc, q or ? closes this help", "dim italic"))
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, sections: list[Section]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self):
        with VerticalScroll(id="help-dialog"):
            yield Static("paperdeck keys", id="help-title")
            yield Static(help_content(self.sections), id="help-body", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#help-dialog", VerticalScroll)
        if direction == "down":
            box.scroll_down(animate=False)
        else:
            box.scroll_up(animate=False)
