"""Opening the library for the reader (in a worker): the bundled sample on a first run,
then the node and paper saved last time (else All, at the first unread paper)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from paperdeck.index.library import Library
from paperdeck.index.views import ImportReport, Scope

from ..messages import Opened
from ..rows import open_listing


@dataclass
class SavedState:
    """What the last session left: the node listed, the paper under the cursor, the theme."""

    scope: Scope
    paper: str | None
    theme: str | None


def open_library(library: Library, sort: str, saved_state: Callable[[bool], SavedState], *,
                 import_sample: bool, sample_started: Callable[[], None],
                 sample_progress: Callable[[int, int, str], None]) -> Opened:
    """The list first (ids and one page: a few tens of ms at 100,000 papers); the counts
    of the tree (a GROUP BY over every paper) come after the first paint.
    `saved_state(place)` reads the theme, and the place too unless the sample was just
    imported."""
    report: ImportReport | None = None
    if import_sample and library.is_empty():
        sample_started()
        report = library.import_sample(progress=sample_progress)
    saved = saved_state(report is None)
    scope = saved.scope
    listing = open_listing(library, scope, sort, saved.paper, first_unread=True)
    if not listing.source.total and scope != Scope():
        scope = Scope()
        listing = open_listing(library, scope, sort, None, first_unread=True)
    return Opened(scope, listing, report, saved.theme)
