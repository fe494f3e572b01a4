"""The main screen: the three panes side by side, every key of the reader outside the
panes' own (BINDINGS below) with its action, the marks, and every worker failure shown.

A little over 500 lines: this is where the panes meet, and every action and answer here
touches two of them or more; what one pane does alone lives in its widget."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, Tree

from paperdeck.index.library import Library, LibraryError
from paperdeck.index.views import ImportReport, ListRow, Scope

from ..clipboard import copied_notice, markdown_link, paper_link, system_copy
from ..messages import (
    CountsLoaded,
    ImportEnded,
    LibraryOpened,
    MarkedAllRead,
    MarksSaved,
    SampleImportProgress,
    SampleImportStarted,
    UnreadFound,
    WorkerFailed,
)
from ..services.mark_writer import MarkWriter
from ..services.opening import open_library
from ..widgets.abstract_view import AbstractView
from ..widgets.focus import focus_now
from ..widgets.import_bar import ImportBar
from ..widgets.list_pane import ListPane, plural
from ..widgets.nav_tree import NavTree
from ..widgets.paper_list import SCANNING, PaperList
from ..widgets.search_box import SearchBox
from ..workers import deliver, in_thread, throttled
from .ask_path import AskPathScreen
from .confirm import ConfirmScreen
from .help import HelpScreen, Section, help_sections

# Workers whose failure is not worth a message: the header says "…" meanwhile, and
# space simply does not move.
SILENT_FAILURES = {"scope-counts", "scan"}


class MainScreen(Screen):
    """Navigation on the left, papers in the middle, the paper on the right."""

    BINDINGS = [
        Binding("slash", "search", "Search", priority=True),
        Binding("r", "toggle_read", "Read", tooltip="Toggle read / unread"),
        Binding("space", "read_next", "Next", tooltip="Mark read, go to the next unread"),
        Binding("s", "toggle_star", "Star", tooltip="Toggle the star"),
        Binding("y", "copy_link", "Copy", tooltip="Copy the arXiv link"),
        Binding("Y", "copy_markdown", "Copy Markdown link", show=False,
                tooltip="Copy a Markdown link [title](url)"),
        Binding("A", "mark_all_read", "All read", show=False,
                tooltip="Mark every paper of the list read (asks first)"),
        Binding("o", "cycle_sort", "Sort", tooltip="Sort: relevance (searching), newest, title"),
        Binding("escape", "leave_search", "Leave the search (clear it)", show=False,
                priority=True),
        Binding("enter", "enter_key", "Open the paper / go to the results", show=False,
                priority=True),
        Binding("down", "search_to_results", "From the search box: go to the results",
                show=False, priority=True),
        Binding("ctrl+d", "accept_suggestion", "Run the \"did you mean\" suggestion",
                show=False, priority=True),
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
                 counts_debounce: float) -> None:
        super().__init__()
        self.library = library
        self.marks = marks
        self.import_sample_if_empty = import_sample_if_empty
        self.search_debounce = search_debounce
        self.tree_debounce = tree_debounce
        self.preview_debounce = preview_debounce
        self.counts_debounce = counts_debounce
        self.ready = False  # the library is open and its first list shown
        self._tree_timer: Timer | None = None

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavTree(self.library, counts_debounce=self.counts_debounce, id="nav")
            yield ListPane(self.library, search_debounce=self.search_debounce, id="middle")
            yield AbstractView(self.library, debounce=self.preview_debounce, id="abstract")
        yield ImportBar(id="import-bar")
        yield Footer(compact=True)

    @property
    def nav_tree_widget(self) -> NavTree:
        return self.query_one("#nav", NavTree)

    @property
    def list_pane(self) -> ListPane:
        return self.query_one("#middle", ListPane)

    @property
    def papers(self) -> PaperList:
        return self.query_one("#papers", PaperList)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def header(self) -> Static:
        return self.query_one("#list-header", Static)

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
        if opened.report is not None:
            self.notify(f"Sample imported: {opened.report.summary()}", title="First run",
                        timeout=6)

    def on_resize(self) -> None:
        if self.ready:
            self.list_pane.update_header()

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

    def action_open_paper(self) -> None:
        """enter on the list: focus the abstract at once (keys typed ahead follow it)."""
        if self.papers.current is not None:
            focus_now(self.abstract)

    def _reload_abstract(self) -> None:
        row = self.papers.current
        if row is not None:
            self.abstract.reload(row.key, self.list_pane.query_text)

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
        self.list_pane.cycle_sort()

    # --- marks ------------------------------------------------------------------------------

    def _current(self) -> ListRow | None:
        row = self.papers.current
        if row is None:
            self.notify("No paper selected.", severity="warning", timeout=2)
        return row

    def _write(self, fn, *args) -> bool:
        """Save a mark: at once, committed before the screen shows it; but while this
        reader's own import holds the database's write lock, on the mark writer's thread,
        so that keys are still answered; the notification says it is pending until the
        import's commit lets it through. False: refused, nothing changed."""
        try:
            queued = self.marks.save(fn, *args, wait_for_import=self.importing)
        except LibraryError as exc:  # busy (a long import elsewhere): nothing changed
            self.notify(str(exc), severity="error", timeout=8)
            return False
        if queued:
            self.notify("Saving the mark once the import commits.", timeout=3)
        return True

    @on(MarksSaved)
    def _marks_saved(self) -> None:
        self.notify("Marks saved.", timeout=2)
        self._reload_abstract()
        self.refresh_counts()

    def _mark(self, row: ListRow, read: bool) -> bool:
        if not self._write(self.library.mark_read, [row.key], read):
            return False
        self.papers.update_row(row.key, read=read)
        if read != row.read:
            self.list_pane.adjust_unread(-1 if read else 1)
        self._reload_abstract()
        self.refresh_counts()
        return True

    def action_toggle_read(self) -> None:
        row = self._current()
        if row is not None:
            self._mark(row, not row.read)

    def action_read_next(self) -> None:
        row = self._current()
        if row is None:
            return
        if not row.read and not self._mark(row, True):
            return
        found = self.papers.find_next_unread(self.papers.cursor)
        if found != SCANNING:
            self._go_to_unread(found)

    @on(PaperList.NextUnread)
    def _next_unread_found(self, answer: PaperList.NextUnread) -> None:
        self._go_to_unread(answer.index)

    def _go_to_unread(self, index: int | None) -> None:
        if index is None:
            self.notify("No more unread papers in this list.", timeout=3)
        else:
            self.papers.move_to(index)

    def action_toggle_star(self) -> None:
        row = self._current()
        if row is None:
            return
        starred = not row.starred
        if not self._write(self.library.set_starred, row.key, starred):
            return
        self.papers.update_row(row.key, starred=starred)
        self._reload_abstract()
        self.refresh_counts()

    def action_mark_all_read(self) -> None:
        papers, pane = self.papers, self.list_pane
        if not papers.total:
            self.notify("The list is empty.", severity="warning", timeout=2)
            return
        what = f"the search {pane.query_text} in {pane.scope.label}" if pane.searching \
            else pane.scope.label
        source, generation = papers.source, papers.generations.current("source")
        in_thread(self, lambda: UnreadFound(generation, source, source.unread_keys(), what),
                  group="mark-all")

    @on(UnreadFound)
    def _ask_mark_all(self, answer: UnreadFound) -> None:
        if self.papers.generations.stale(answer):
            return  # another list is shown now
        unread, what = answer.keys, answer.what
        if not unread:
            self.notify(f"Every paper of {what} is already read.", timeout=3)
            return
        question = (f"Mark {plural(len(unread), 'unread paper')} of {what} "
                    f"({plural(answer.source.total, 'paper')} listed) as read?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all(unread, answer.generation)

        self.app.push_screen(ConfirmScreen(question, yes="Mark read"), answered)

    def _mark_all(self, keys: list[str], generation: int) -> None:
        library = self.library
        in_thread(self, lambda: MarkedAllRead(generation, set(keys),
                                              library.mark_read(keys, True)),  # committed
                  group="mark-all")

    @on(MarkedAllRead)
    def _marked_all_read(self, answer: MarkedAllRead) -> None:
        if not self.papers.generations.stale(answer):  # still the same list on screen
            self.papers.marked_read(answer.keys)
        self.list_pane.adjust_unread(-answer.changed, at_least=0)
        self.notify(f"Marked {plural(answer.changed, 'paper')} read.", timeout=3)
        self.abstract.forget()
        self._reload_abstract()
        self.refresh_counts()

    # --- copying ------------------------------------------------------------------------------

    def action_copy_link(self) -> None:
        self._copy(markdown=False)

    def action_copy_markdown(self) -> None:
        self._copy(markdown=True)

    def _copy(self, markdown: bool) -> None:
        row = self._current()
        if row is None:
            return
        paper = self.library.paper(row.key)
        if paper is None:
            self.notify("Paper not found.", severity="error")
            return
        text, is_search = markdown_link(paper) if markdown else paper_link(paper)
        failure = system_copy(text)
        self.app.copy_to_clipboard(text)  # OSC 52: reaches the local clipboard over SSH
        self.notify(copied_notice(text, is_search, failure), title="Copied", timeout=4,
                    markup=False)

    # --- importing from the reader ---------------------------------------------------------------

    def action_import_digests(self) -> None:
        """Ask for a file or directory and import it in a worker, with progress."""
        if self.importing:
            self.notify("An import is already running.", severity="warning", timeout=3)
            return

        def answered(path: str | None) -> None:
            if path:
                self.import_paths([Path(path).expanduser()])

        self.app.push_screen(AskPathScreen("Import digests: a file, or a directory of them",
                                           placeholder="~/digests/weekly-picks-2024.md"),
                             answered)

    def import_paths(self, paths: list[Path]) -> None:
        self.import_bar.run(self.library, paths)

    @on(ImportEnded)
    def _import_ended(self, answer: ImportEnded) -> None:
        self._import_finished(answer.report, None)

    def _import_finished(self, report: ImportReport | None, error: str | None) -> None:
        self.import_bar.finish()
        if report is None:
            self.notify(error or "import failed", title="Import failed", severity="error",
                        timeout=10, markup=False)
            return
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
