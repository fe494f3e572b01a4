"""The answers the reader's workers post, one small Message class each, and the plain data
some of them carry (`Opened`, `Preview`).

A worker never touches a widget: it reads the library on its thread and posts one of
these to the node that asked (see workers.py). An answer carries the generation of its
purpose from when it was asked, so that the node can tell it is stale (the user moved
on meanwhile) with `Generations.stale`. Each class says who handles it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from textual.message import Message

from paperdeck.index.model import Paper
from paperdeck.index.views import ImportReport, NavNode, Scope

from .paper_text import Spans
from .rows import Listing, RowSource, SearchPage

# --- what the answers carry ----------------------------------------------------------


@dataclass
class Opened:
    """What opening the library found: the node and rows to show, the sample's import."""

    scope: Scope
    listing: Listing
    report: ImportReport | None  # the sample's import, on a first run
    theme: str | None


@dataclass
class Preview:
    """A paper as the abstract pane shows it, with where the search words are."""

    paper: Paper | None  # None: no longer in the library
    title_spans: Spans = field(default_factory=list)
    abstract_spans: Spans = field(default_factory=list)
    title: str = ""  # as shown: LaTeX as Unicode
    abstract: str = ""


# --- the answers ---------------------------------------------------------------------


class Answer(Message, bubble=False):
    """A worker's answer: handled by the node it was posted to."""

    purpose: ClassVar[str | None] = None  # the generation it is checked against, if any

    def __init__(self, generation: int = 0) -> None:
        super().__init__()
        self.generation = generation


class WorkerFailed(Message):
    """A worker raised: bubbles up to the MainScreen, which reports every failure in one
    place (a widget that must also undo something looks at it on the way up)."""

    def __init__(self, group: str, error: BaseException, tag: object = None) -> None:
        super().__init__()
        self.group = group
        self.error = error
        self.tag = tag


class SampleImportStarted(Answer):
    """First run: the library is empty and the bundled sample is being imported
    (MainScreen)."""


class SampleImportProgress(Answer):
    """First run: how far the sample's import is (MainScreen)."""

    def __init__(self, done: int, total: int, what: str) -> None:
        super().__init__()
        self.done, self.total, self.what = done, total, what


class LibraryOpened(Answer):
    """The start: the node to list (saved, else All), its first rows, the saved theme
    (MainScreen)."""

    def __init__(self, opened: Opened) -> None:
        super().__init__()
        self.opened = opened


class CountsLoaded(Answer, bubble=True):
    """The navigation tree with its unread/total counts: the NavTree shows them (or drops
    them, stale), then the MainScreen hands them to the list's header."""

    purpose = "counts"

    def __init__(self, generation: int, nav: list[NavNode]) -> None:
        super().__init__(generation)
        self.nav = nav


class ImportProgress(Answer):
    """An import started from the reader: records merged so far (ImportBar)."""

    purpose = "import"

    def __init__(self, generation: int, names: str, done: int, total: int) -> None:
        super().__init__(generation)
        self.names, self.done, self.total = names, done, total


class ImportEnded(Answer, bubble=True):
    """An import started from the reader is committed (a failure is a WorkerFailed):
    from the ImportBar up to the MainScreen."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


class UnreadFound(Answer):
    """`A`: the unread papers of the list shown when it was pressed (MainScreen; checked
    against the PaperList's "source" generation: another list on screen makes it stale)."""

    purpose = "source"

    def __init__(self, generation: int, source: RowSource, keys: list[str],
                 what: str) -> None:
        super().__init__(generation)
        self.source, self.keys, self.what = source, keys, what


class MarkedAllRead(Answer):
    """`A`, answered yes: the papers are marked read and committed (MainScreen; the rows
    on screen follow only if the list is still the same: the "source" generation)."""

    purpose = "source"

    def __init__(self, generation: int, keys: set[str], changed: int) -> None:
        super().__init__(generation)
        self.keys, self.changed = keys, changed


class MarksSaved(Answer):
    """The mark writer has saved every mark queued while an import held the library
    (MainScreen)."""


class RowsLoaded(Answer):
    """A node's list: its source, where the cursor goes, its first pages (ListPane)."""

    purpose = "list"

    def __init__(self, generation: int, scope: Scope, listing: Listing) -> None:
        super().__init__(generation)
        self.scope, self.listing = scope, listing


class SearchDone(Answer):
    """A search's result and its first page (ListPane)."""

    purpose = "list"

    def __init__(self, generation: int, page: SearchPage) -> None:
        super().__init__(generation)
        self.page = page


class ScopeCounted(Answer):
    """The unread count of the node listed, when the tree could not tell it (ListPane)."""

    purpose = "list"

    def __init__(self, generation: int, unread: int) -> None:
        super().__init__(generation)
        self.unread = unread


class PaperLoaded(Answer):
    """A paper in full, with the spans of the search words (AbstractView)."""

    purpose = "paper"

    def __init__(self, generation: int, key: str, query: str, preview: Preview) -> None:
        super().__init__(generation)
        self.key, self.query, self.preview = key, query, preview


class LibraryVersion(Answer):
    """The library's data version, looked at when idle: another process committed if it
    moved (MainScreen, with its LibraryWatch)."""

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version


class LinkOpened(Answer):
    """b or B: the link was handed to the system's opener, or why not (MainScreen)."""

    def __init__(self, url: str, failure: str | None) -> None:
        super().__init__()
        self.url, self.failure = url, failure
