"""Noticing changes made to the library elsewhere (`paperdeck mark` or `import` in
another shell): the library's data version, asked in a worker every few seconds and
when the terminal gets the focus back; a change is told to the MainScreen."""

from __future__ import annotations

from textual.dom import DOMNode

from paperdeck.index.library import Library

from ..messages import LibraryVersion
from ..workers import in_thread

# Seconds between two looks: a pragma on a connection of its own, microseconds.
WATCH_EVERY = 2.0


class LibraryWatch:
    """Asks `library.data_version()` for `host` (the MainScreen), which gets a
    LibraryVersion answer each time and calls `seen` with it: True when it moved since
    the last look (the first look only records it)."""

    def __init__(self, host: DOMNode, library: Library, every: float = WATCH_EVERY) -> None:
        self.host = host
        self.library = library
        self.every = every
        self._version: int | None = None
        self._timer = None

    def start(self) -> None:
        self.look()
        if self._timer is None and self.every > 0:
            self._timer = self.host.set_interval(self.every, self.look)

    def look(self) -> None:
        library = self.library
        in_thread(self.host, lambda: LibraryVersion(library.data_version()), group="watch",
                  exclusive=True)

    def seen(self, answer: LibraryVersion) -> bool:
        """Whether the version answered moved since the last look."""
        moved = self._version is not None and answer.version != self._version
        self._version = answer.version
        return moved
