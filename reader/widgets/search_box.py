"""The search box: Whoosh query language, results as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = '/ search: words "a phrase" title: author: category: week: is:unread'


class SearchBox(Input):
    """An Input that hands enter, esc, down and ctrl+d to the app."""

    BINDINGS = [
        Binding("escape", "leave", "Clear search", show=False),
        Binding("down", "to_results", "Results", show=False),
        Binding("ctrl+d", "accept_suggestion", "Accept suggestion", show=False),
        Binding("ctrl+g", "toggle_scope", "Search everything / only the node", show=False),
    ]

    class Leave(Message):
        """esc: clear the search and go back to the node's list."""

    class ToResults(Message):
        """enter or down: move to the results."""

    class AcceptSuggestion(Message):
        """ctrl+d: run the "did you mean" query."""

    class ToggleScope(Message):
        """ctrl+g: search the whole library, or the node again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)

    def action_leave(self) -> None:
        self.post_message(self.Leave())

    def action_to_results(self) -> None:
        self.post_message(self.ToResults())

    def action_accept_suggestion(self) -> None:
        self.post_message(self.AcceptSuggestion())

    def action_toggle_scope(self) -> None:
        self.post_message(self.ToggleScope())
