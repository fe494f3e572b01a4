"""The import bar at the bottom: runs an import started from the reader in a worker and
shows its progress while the reader stays usable. Hidden when no import runs."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from paperdeck.index.library import Library
from paperdeck.index.views import ImportReport

from ..messages import ImportEnded, ImportProgress
from ..workers import Generations, deliver, in_thread, throttled


class ImportBar(Horizontal):
    """A label and a progress bar. `run` starts an import; ImportEnded (or a WorkerFailed
    of the group "import") bubbles up when it is over, and the owner calls `finish`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.running = False
        self.started_at = 0.0
        self.generations = Generations()  # "import": moves on with each import

    def compose(self):
        yield Static("", id="import-label", markup=False)
        yield ProgressBar(id="import-progress", show_eta=False)

    @property
    def elapsed(self) -> float:
        """Seconds since the import started."""
        return time.monotonic() - self.started_at

    def run(self, library: Library, paths: list[Path]) -> None:
        self.running = True
        self.started_at = time.monotonic()
        names = ", ".join(p.name for p in paths)
        self.add_class("-active")
        self.query_one("#import-label", Static).update(f"Importing {names}: reading…")
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        generation = self.generations.next("import")

        def ask() -> ImportEnded:
            progress = throttled(lambda done, total, _what: deliver(
                self, ImportProgress(generation, names, done, total)))
            return ImportEnded(library.import_files(paths, progress=progress))

        in_thread(self, ask, group="import")

    @on(ImportProgress)
    def _advance(self, answer: ImportProgress) -> None:
        if self.generations.stale(answer):
            return
        names, done, total = answer.names, answer.done, answer.total
        label = self.query_one("#import-label", Static)
        rate = done / max(1e-6, self.elapsed)
        if done >= total:
            # The search index is brought up to date after the commit; no counter there.
            label.update(f"Importing {names}: {total:,} records merged · indexing…")
        else:
            label.update(f"Importing {names}: {done:,}/{total:,} records · {rate:,.0f}/s")
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def summary(self, report: ImportReport) -> str:
        """What the notification says once the import is committed."""
        lines = [report.summary() + f" in {self.elapsed:.1f} s"]
        lines += [f"skipped {Path(f).name}: already imported" for f in report.skipped_files]
        lines += report.warnings
        return "\n".join(lines)

    def finish(self) -> None:
        self.running = False
        self.remove_class("-active")
