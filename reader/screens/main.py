"""The main screen: the three panes side by side, every key of the reader outside the
panes' own (BINDINGS below) with its action, and every worker failure shown. The keys
that act on papers (marks, copying, opening) are in paper_actions.py, a mixin of it.

This is where the panes meet: every action and answer here touches two of them or
more; what one pane does alone lives in its widget."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static, Tree

from paperdeck.index.library import Library
from paperdeck.index.views import ImportReport, Scope

from ..messages import (
    CountsLoaded,
    ImportEnded,
    LibraryOpened,
    LibraryVersion,
    SampleImportProgress,
    SampleImportStarted,
    WorkerFailed,
)
from ..services.mark_writer import MarkWriter
from ..services.opening import open_library
from ..services.watch import WATCH_EVERY, LibraryWatch
from ..widgets.abstract_view import AbstractView
from ..widgets.focus import focus_now
from ..widgets.import_bar import ImportBar
from ..widgets.keys_footer import KeysFooter
from ..widgets.list_pane import ListPane
from ..widgets.nav_tree import NavTree
from ..widgets.paper_list import PaperList
from ..widgets.search_box import SearchBox
from ..workers import deliver, in_thread, throttled
from .ask_path import AskPathScreen
from .help import HelpScreen, Section, help_sections
from .paper_actions import PaperActions

# Workers whose failure is not worth a message: the header says "…" meanwhile, and
# space simply does not move.
# (and the watch's look at the data version: it looks again in a moment)
SILENT_FAILURES = {"scope-counts", "scan", "watch"}


class MainScreen(PaperActions, Screen):
    """Navigation on the left, papers in the middle, the paper on the right."""

    BINDINGS = [
        Binding("slash", "search", "Search", priority=True),
        Binding("r", "toggle_read", "Read", tooltip="Toggle read / unread"),
        Binding("space", "read_next", "Next", tooltip="Mark read, go to the next unread"),
        Binding("s", "toggle_star", "Star", tooltip="Toggle the star"),
        Binding("y", "copy_link", "Copy", tooltip="Copy the arXiv link"),
        Binding("Y", "copy_markdown", "Copy Markdown link", show=False,
                tooltip="Copy a Markdown link [title](url)"),
        Binding("b", "open_link", "Open", show=False,
                tooltip="Open the arXiv page with the system's opener (a browser)"),
        Binding("B", "open_pdf", "Open the PDF", show=False,
                tooltip="Open the PDF with the system's opener"),
        Binding("A", "mark_all_read", "All read", show=False,
                tooltip="Mark every paper of the list read (asks first)"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort: relevance (searching), newest, title"),
        Binding("z", "reading_mode", "Reading mode", show=False,
                tooltip="Reading mode: the paper on the whole screen (z or esc: back)"),
        Binding("escape", "leave_search", "Leave the search (clear it)", show=False,
                priority=True),
        Binding("enter", "enter_key", "Open the paper / go to the results", show=False,
                priority=True),
        Binding("down", "search_to_results", "From the search box: go to the results",
                show=False, priority=True),
        Binding("ctrl+d", "accept_suggestion", "Run the \"did you mean\" suggestion",
                show=False, priority=True),
        Binding("R", "reload", "Reload", show=False,
                tooltip="Reload: counts, list and marks as the library is now"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
    ]

    # Keys that move the focus are priority bindings, gated here, and move it at once
    # (Widget.focus() is deferred): keys typed ahead then reach the newly focused widget.
    _GATED = {"next_pane", "previous_pane", "search", "leave_search", "enter_key",
              "search_to_results", "accept_suggestion"}

    def __init__(self, library: Library, marks: MarkWriter, *, import_sample_if_empty: bool,
                 search_debounce: float, tree_debounce: float, preview_debounce: float,
                 counts_debounce: float, watch_every: float = WATCH_EVERY) -> None:
        super().__init__()
        self.watch = LibraryWatch(self, library, watch_every)
        self.library = library
        self.marks = marks
        self.import_sample_if_empty = import_sample_if_empty
        self.search_debounce = search_debounce
        self.tree_debounce = tree_debounce
        self.preview_debounce = preview_debounce
        self.counts_debounce = counts_debounce
        self.ready = False  # the library is open and its first list shown
        self._tree_timer: Timer | None = None
        self._import_typed = ""  # the path last typed for an import
        self._import_failed = ""  # why that import failed (offered again with the path)

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavTree(self.library, counts_debounce=self.counts_debounce, id="nav")
            yield ListPane(self.library, search_debounce=self.search_debounce, id="middle")
            yield AbstractView(self.library, debounce=self.preview_debounce, id="abstract")
        yield ImportBar(id="import-bar")
        yield KeysFooter()

    @property
    def nav_tree_widget(self) -> NavTree:
        return self.query_one("#nav", NavTree)

    @property
    def list_pane(self) -> ListPane:
        return self.query_one("#middle", ListPane)

    # The middle pane's own parts, as the pane names them.

    @property
    def papers(self) -> PaperList:
        return self.list_pane.papers

    @property
    def search_box(self) -> SearchBox:
        return self.list_pane.search_box

    @property
    def header(self) -> Static:
        return self.list_pane.header

    @property
    def abstract(self) -> AbstractView:
        return self.query_one("#abstract", AbstractView)

    @property
    def import_bar(self) -> ImportBar:
        return self.query_one("#import-bar", ImportBar)

    @property
    def importing(self) -> bool:
        """An import started from the reader is running."""
        return self.import_bar.running

    # --- opening the library -------------------------------------------------------------

    def on_mount(self) -> None:
        self.abstract.show(None, empty="")
        focus_now(self.papers)
        self._open_library()
        self.app.panes_composed()

    def _open_library(self) -> None:
        library, sort = self.library, self.list_pane.list_sort
        saved_state, import_sample = self.app.read_saved_state, self.import_sample_if_empty

        def started() -> None:
            deliver(self, SampleImportStarted())

        def progress(done: int, total: int, what: str) -> None:
            deliver(self, SampleImportProgress(done, total, what))

        in_thread(self, lambda: LibraryOpened(open_library(
            library, sort, saved_state, import_sample=import_sample,
            sample_started=started, sample_progress=throttled(progress))), group="startup")

    @on(SampleImportStarted)
    def _sample_import_started(self) -> None:
        self.header.update("First run: importing the bundled sample digests…")
        self.notify("Empty library: importing the bundled sample digests…",
                    title="First run", timeout=4)

    @on(SampleImportProgress)
    def _sample_import_progress(self, answer: SampleImportProgress) -> None:
        self.header.update(f"Importing the sample digests: {answer.done}/{answer.total} "
                           f"{answer.what}")

    @on(LibraryOpened)
    def _library_opened(self, answer: LibraryOpened) -> None:
        opened = answer.opened
        self.app.restore_theme(opened.theme)
        self.list_pane.show_opened(opened.scope, opened.listing)
        self.ready = True
        self.nav_tree_widget.count_now()
        self.watch.start()
        if opened.report is not None:
            self.notify(f"Sample imported: {opened.report.summary()}", title="First run",
                        timeout=6)

    def on_resize(self) -> None:
        if self.ready:
            self.list_pane.update_header()

    # --- changes made elsewhere (another shell's mark or import), and R -----------------

    @on(LibraryVersion)
    def _library_version(self, answer: LibraryVersion) -> None:
        if self.watch.seen(answer) and self.ready:
            self.reload_library()
            self.notify("The library was changed elsewhere: read again.", timeout=3)

    def action_reload(self) -> None:
        """R: counts, list, marks and the paper shown, as the library is now."""
        if not self.list_not_ready():
            self.reload_library()
            self.notify("Reloaded.", timeout=2)

    def reload_library(self) -> None:
        self.abstract.forget()
        self.refresh_counts()
        self.list_pane.reload()

    # --- worker failures: every one is shown here ------------------------------------------

    @on(WorkerFailed)
    def _worker_failed(self, failure: WorkerFailed) -> None:
        group, error = failure.group, failure.error
        if group in SILENT_FAILURES:
            return
        if group == "startup":
            self.header.update(f"Could not open the library: {error}")
            self.notify(str(error), title="Library error", severity="error", timeout=10)
        elif group == "import":  # DigestError names the file and line
            self._import_finished(None, str(error))
        elif group == "writer":
            self.notify(f"Could not save a mark: {error}", severity="error")
        elif group == "pages":
            self.notify(str(error), title="Cannot read the list", severity="error")
        else:
            self.notify(str(error), severity="error")

    # --- the tree -------------------------------------------------------------------------

    def goto_scope(self, scope: Scope, focus_list: bool = True) -> None:
        """Select a scope (from the tree or the palette) and list it."""
        self.nav_tree_widget.reveal(scope)
        self._select_scope(scope)
        if focus_list:
            focus_now(self.papers)

    def _select_scope(self, scope: Scope) -> None:
        if scope == self.list_pane.scope and self.ready:
            return
        self.list_pane.show_scope(scope)
        self.app.save_state_value("scope", scope.encode())

    @on(Tree.NodeHighlighted, "#nav")
    def _tree_highlighted(self, event: Tree.NodeHighlighted) -> None:
        scope = event.node.data
        if not self.ready or scope is None or scope == self.list_pane.scope:
            return
        if self._tree_timer is not None:
            self._tree_timer.stop()
        self._tree_timer = self.set_timer(self.tree_debounce, lambda: self._select_scope(scope))

    @on(Tree.NodeSelected, "#nav")
    def _tree_selected(self, event: Tree.NodeSelected) -> None:
        scope = event.node.data
        if scope is None or not self.ready:
            return
        if self._tree_timer is not None:
            self._tree_timer.stop()
        self._select_scope(scope)
        focus_now(self.papers)

    def refresh_counts(self) -> None:
        """Recount the tree, once a run of marks has settled."""
        self.nav_tree_widget.refresh_counts()

    @on(CountsLoaded)
    def _counts_loaded(self, answer: CountsLoaded) -> None:
        pane = self.list_pane  # the tree has shown the counts already
        if not pane.knows_counts:
            self.nav_tree_widget.reveal(pane.scope)
        pane.counts_loaded(answer.nav)

    # --- the list and the abstract -----------------------------------------------------------

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        pane = self.list_pane
        row = event.row
        self.abstract.follow(row.key if row is not None else None, pane.query_text,
                             empty="" if row is not None else pane.no_paper_text())

    def action_reading_mode(self) -> None:
        """z: the abstract pane alone on the screen, and back (esc too: Textual's own)."""
        if self.maximized is not None:
            self.minimize()
            focus_now(self.papers)
        elif self.maximize(self.abstract, container=False):
            focus_now(self.abstract)

    def action_open_paper(self) -> None:
        """enter on the list: focus the abstract at once (keys typed ahead follow it)."""
        if self.papers.current is not None:
            focus_now(self.abstract)

    # --- search and sort (the ListPane does them) ------------------------------------------------

    def action_search(self) -> None:
        focus_now(self.search_box)

    def action_leave_search(self) -> None:
        self.list_pane.leave_search()

    def action_search_to_results(self) -> None:
        self.list_pane.to_results()

    def action_accept_suggestion(self) -> None:
        self.list_pane.accept_suggestion()

    def action_enter_key(self) -> None:
        if isinstance(self.focused, SearchBox):
            self.list_pane.submit()
        else:
            self.action_open_paper()

    def action_cycle_sort(self) -> None:
        if not self.list_not_ready():
            self.list_pane.cycle_sort()

    # --- importing from the reader ---------------------------------------------------------------

    def action_import_digests(self) -> None:
        """Ask for a file or directory and import it in a worker, with progress; a path
        whose import failed is offered again, with why."""
        if self.importing:
            self.notify("An import is already running.", severity="warning", timeout=3)
            return

        def answered(path: str | None) -> None:
            if path:
                self._import_typed = path
                self.import_paths([Path(path).expanduser()])

        failed, self._import_failed = self._import_failed, ""
        self.app.push_screen(AskPathScreen(
            "Import digests: a file, or a directory of them",
            placeholder="~/digests/weekly-picks-2024.md",
            value=self._import_typed if failed else "", problem=failed), answered)

    def import_paths(self, paths: list[Path]) -> None:
        self.import_bar.run(self.library, paths)

    @on(ImportEnded)
    def _import_ended(self, answer: ImportEnded) -> None:
        self._import_finished(answer.report, None)

    def _import_finished(self, report: ImportReport | None, error: str | None) -> None:
        self.import_bar.finish()
        if report is None:
            self._import_failed = error or "import failed"
            self.notify(f"{self._import_failed}\n(Import digests… offers the path again)",
                        title="Import failed", severity="error", timeout=10, markup=False)
            return
        if not report.ok:
            # A path the user named failed (each file lands or not on its own, so others
            # may have landed): say why, and offer that path again.
            self._import_failed = "\n".join(report.failed) or "nothing could be imported"
            self.notify(f"{self.import_bar.summary(report)}\n(Import digests… offers the "
                        "path again)", title="Import failed", severity="error", timeout=10,
                        markup=False)
        else:
            self.notify(self.import_bar.summary(report), title="Imported", timeout=8,
                        markup=False)
        if not report.added and not report.merged:
            return
        self.abstract.forget()
        self.refresh_counts()
        self.list_pane.reload()

    # --- panes and help --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self._GATED:
            return True
        if self.app.screen is not self:
            return False
        focused = self.focused
        in_box = isinstance(focused, SearchBox)
        if action == "search":
            return not isinstance(focused, Input)
        if action in ("search_to_results", "accept_suggestion"):
            return in_box
        if action == "enter_key":
            return in_box or isinstance(focused, PaperList)
        if action == "leave_search":
            return in_box or self.list_pane.searching
        return True

    def _cycle_pane(self, step: int) -> None:
        panes = [self.nav_tree_widget, self.papers, self.abstract]
        focused = self.focused
        if focused is self.search_box:
            focus_now(self.papers)
            return
        try:
            i = panes.index(focused)
        except ValueError:
            i = 0 if step > 0 else 1
        focus_now(panes[(i + step) % len(panes)])

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def action_help(self) -> None:
        if isinstance(self.app.screen, HelpScreen):
            return
        self.app.push_screen(HelpScreen(self.help_sections()))

    @classmethod
    def help_sections(cls) -> list[Section]:
        """Every key of the reader, by where it works (the help screen, the README)."""
        return help_sections(cls.BINDINGS)
