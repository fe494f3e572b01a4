"""The import bar at the bottom: what an import started from the reader is doing, with a
progress bar, while the reader stays usable. Hidden when no import runs."""

from __future__ import annotations

import time

from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class ImportBar(Horizontal):
    """A label and a progress bar; `start`, `advance`, `finish`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.started_at = 0.0

    def compose(self):
        yield Static("", id="import-label", markup=False)
        yield ProgressBar(id="import-progress", show_eta=False)

    @property
    def elapsed(self) -> float:
        """Seconds since the import started."""
        return time.monotonic() - self.started_at

    def start(self, names: str) -> None:
        self.started_at = time.monotonic()
        self.add_class("-active")
        self.query_one("#import-label", Static).update(f"Importing {names}: reading…")
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)

    def advance(self, names: str, done: int, total: int) -> None:
        label = self.query_one("#import-label", Static)
        rate = done / max(1e-6, self.elapsed)
        if done >= total:
            # The search index is brought up to date after the commit; no counter there.
            label.update(f"Importing {names}: {total:,} records merged · indexing…")
        else:
            label.update(f"Importing {names}: {done:,}/{total:,} records · {rate:,.0f}/s")
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def finish(self) -> None:
        self.remove_class("-active")
