"""Asks for a path (the "Import digests…" command): an Input, enter to go, esc to cancel."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskPathScreen(ModalScreen[str | None]):
    """Dismisses with the path typed (stripped, `~` expanded later), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self):
        with Vertical(id="ask-dialog"):
            yield Static(self.question, id="ask-question", markup=False)
            yield Input(placeholder=self.placeholder, id="ask-input")
            yield Static("enter: import · esc: cancel", id="ask-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
