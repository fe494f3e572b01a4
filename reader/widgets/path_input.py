"""An input for a file or directory path that completes with tab, as a shell does: the
one name that fits, else the part all the names that fit share (and which they are)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

SHOWN = 6  # names listed when several fit


def complete_path(text: str) -> tuple[str, list[str]]:
    """(`text` completed as far as it goes, the names that fit when several do). A
    directory gets its `/`; `~` is kept as typed."""
    head, sep, prefix = text.rpartition("/")
    folder = Path(os.path.expanduser(head + sep if sep else "."))
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.startswith(prefix)
                       and (prefix.startswith(".") or not e.name.startswith(".")))
    except OSError:
        return text, []
    if not names:
        return text, []
    common = os.path.commonprefix(names)
    base = head + sep
    if len(names) == 1:
        done = base + common
        return done + ("/" if (folder / common).is_dir() else ""), []
    return base + common, names


class PathInput(Input):
    """An Input whose tab completes the path typed (Completed tells what fitted)."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False)]

    class Completed(Message):
        """tab was pressed: the names that fit, when several do (none: one, or none)."""

        def __init__(self, names: list[str]) -> None:
            super().__init__()
            self.names = names

    def action_complete(self) -> None:
        text, names = complete_path(self.value)
        if text != self.value:
            self.value = text
            self.cursor_position = len(text)
        self.post_message(self.Completed(names))
