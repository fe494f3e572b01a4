"""Asks for a path (the "Import digests…" command): an input that completes with tab,
enter to go, esc to cancel. A path that does not exist is said so here, the path kept
to be mended; a path whose import failed comes back with the error."""

from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..widgets.path_input import SHOWN, PathInput

HELP = "tab: complete · enter: import · esc: cancel"


class AskPathScreen(ModalScreen[str | None]):
    """Dismisses with the path typed (stripped, `~` expanded later), or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "", value: str = "",
                 problem: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder
        self.value = value  # typed before (a path whose import failed)
        self.problem = problem  # why it failed

    def compose(self):
        with Vertical(id="ask-dialog"):
            yield Static(self.question, id="ask-question", markup=False)
            yield PathInput(value=self.value, placeholder=self.placeholder, id="ask-input")
            yield Static(self.problem, id="ask-problem", markup=False)
            yield Static(HELP, id="ask-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#ask-problem", Static).display = bool(self.problem)
        field = self.query_one("#ask-input", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def say(self, problem: str) -> None:
        line = self.query_one("#ask-problem", Static)
        line.update(problem)
        line.display = bool(problem)

    def on_path_input_completed(self, event: PathInput.Completed) -> None:
        names = event.names
        if names:
            more = f" … ({len(names)})" if len(names) > SHOWN else ""
            self.say("  ".join(names[:SHOWN]) + more)
        else:
            self.say("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.dismiss(None)
            return
        if not Path(os.path.expanduser(value)).exists():
            self.say(f"{value}: no such file or directory")  # the path stays, to mend
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
