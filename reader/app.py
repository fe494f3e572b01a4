"""The reader: navigation on the left, papers in the middle, the abstract on the right."""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, ProgressBar, Static, Tree

from paperdeck import styles
from paperdeck.index.library import Library, LibraryError
from paperdeck.index.model import Paper
from paperdeck.index.views import ImportReport, ListRow, NavNode, Scope, SearchResult

from .clipboard import markdown_link, paper_link, system_copy
from .commands import GoToProvider
from .crashlog import crash_line, write_crash_log
from .rows import PAGE, LibrarySource, ListSource, RowSource, SearchSource
from .screens.ask_path import AskPathScreen
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen, Section
from .widgets.abstract_view import AbstractView
from .widgets.nav_tree import NavTree
from .widgets.paper_list import PaperList
from .widgets.search_box import SearchBox

SEARCH_DEBOUNCE = 0.15
TREE_DEBOUNCE = 0.12
# The abstract follows the cursor once it rests: holding j costs one list line a key,
# not a database read and a relayout of the abstract pane.
PREVIEW_DEBOUNCE = 0.06
# Counts (a GROUP BY over every paper) once marks made in a row have settled.
COUNTS_DEBOUNCE = 0.3
PREVIEW_CACHE = 64
LIST_SORTS = ("newest", "title")
SEARCH_SORTS = ("relevance", "newest", "title")

KEY_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→", "question_mark": "?",
    "slash": "/", "escape": "esc", "space": "space", "enter": "enter",
}


def key_display(keys: str) -> str:
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n:,} {word}"
    return f"{n:,} {word}{'es' if word.endswith(('ch', 'sh', 's', 'x')) else 's'}"


class PaperdeckApp(App):
    """A keyboard-driven reader over a `Library`."""

    TITLE = "paperdeck"
    CSS_PATH = Path(styles.__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {GoToProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (160, "-wide")]

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
        Binding("q", "quit", "Quit"),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
    ]

    def __init__(self, library: Library, *, import_sample_if_empty: bool = True,
                 search_debounce: float = SEARCH_DEBOUNCE,
                 tree_debounce: float = TREE_DEBOUNCE,
                 preview_debounce: float = PREVIEW_DEBOUNCE,
                 counts_debounce: float = COUNTS_DEBOUNCE) -> None:
        super().__init__()
        self.library = library
        self.import_sample_if_empty = import_sample_if_empty
        self.search_debounce = search_debounce
        self.tree_debounce = tree_debounce
        self.preview_debounce = preview_debounce
        self.counts_debounce = counts_debounce
        self.scope: Scope = Scope()
        self.list_sort = "newest"
        self.search_sort = "relevance"
        self.query_text = ""  # the search being shown ("" when listing a node)
        self.result: SearchResult | None = None
        self.ready = False
        self._rows_token = 0
        self._search_token = 0
        self._search_timer: Timer | None = None
        self._tree_timer: Timer | None = None
        self._scope_total = 0
        self._scope_unread: int | None = 0  # None until counted
        self._last_progress = 0.0
        self._list_cursor_key: str | None = None
        self._preview_timer: Timer | None = None
        self._preview_key: str | None = None
        self._preview_shown: tuple[str, str] | None = None  # (key, query) in the abstract
        self._previews: OrderedDict[tuple[str, str], tuple] = OrderedDict()
        self._counts_timer: Timer | None = None
        self._nav_loaded = False
        self.importing = False
        self._import_started_at = 0.0
        self._write_queue: queue.Queue = queue.Queue()
        self._write_lock = threading.Lock()
        self._writer_alive = False

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield NavTree(id="nav")
            with Vertical(id="middle"):
                yield SearchBox(id="search")
                yield Static("Opening the library…", id="list-header", markup=False)
                yield PaperList(id="papers")
            yield AbstractView(id="abstract")
        with Horizontal(id="import-bar"):
            yield Static("", id="import-label", markup=False)
            yield ProgressBar(id="import-progress", show_eta=False)
        yield Footer(compact=True)

    @property
    def nav_tree_widget(self) -> NavTree:
        return self.query_one("#nav", NavTree)

    @property
    def papers(self) -> PaperList:
        return self.query_one("#papers", PaperList)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def abstract(self) -> AbstractView:
        return self.query_one("#abstract", AbstractView)

    @property
    def header(self) -> Static:
        return self.query_one("#list-header", Static)

    @property
    def searching(self) -> bool:
        return bool(self.query_text)

    # --- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.abstract.show(None, empty="")
        self.focus_now(self.papers)
        self._startup()

    def _theme_changed(self, theme) -> None:
        if self.ready:
            self._save_state_value("theme", theme.name)

    @work(thread=True, group="state")
    def _save_state_value(self, name: str, value: str) -> None:
        try:
            self.library.set_state(name, value)
        except Exception:
            pass

    @work(thread=True, exclusive=True, group="startup")
    def _startup(self) -> None:
        # The list first (ids and one page: a few tens of ms at 100,000 papers); the
        # counts of the tree (a GROUP BY over every paper) come after the first paint.
        lib = self.library
        report: ImportReport | None = None
        try:
            if self.import_sample_if_empty and lib.is_empty():
                self._call(self._import_started)
                report = lib.import_sample(progress=self._import_progress)
            scope = Scope()
            paper_key = None
            theme = lib.get_state("theme")
            if report is None:
                try:
                    saved = lib.get_state("scope")
                    scope = Scope.decode(saved) if saved else Scope()
                except ValueError:
                    scope = Scope()
                paper_key = lib.get_state("paper")
            listing = self._open_source(scope, self.list_sort, paper_key, first_unread=True)
            if not listing[0].total and scope != Scope():
                scope, paper_key = Scope(), None
                listing = self._open_source(scope, self.list_sort, None, first_unread=True)
        except Exception as exc:  # shown, never a crash
            self._call(self._startup_failed, exc)
            return
        self._call(self._startup_done, scope, listing, report, theme)

    def _open_source(self, scope: Scope, sort: str, cursor_key: str | None,
                     first_unread: bool = False) -> tuple[RowSource, int, dict]:
        """(In a worker.) A scope's source, where its cursor goes, the pages to show."""
        source = LibrarySource.load(self.library, scope, sort)
        first = source.fetch(0, PAGE)
        pages = {0: first}
        cursor = source.locate(cursor_key) if cursor_key is not None else None
        if cursor is None and first_unread:
            cursor = source.first_unread(first)
        cursor = cursor or 0
        if cursor >= PAGE:
            number = cursor // PAGE
            pages[number] = source.fetch(number * PAGE, PAGE)
        return source, cursor, pages

    def _import_started(self) -> None:
        self.header.update("First run: importing the bundled sample digests…")
        self.notify("Empty library: importing the bundled sample digests…",
                    title="First run", timeout=4)

    def _import_progress(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress < 0.1:
            return  # the library reports every paper; the screen needs ten a second
        self._last_progress = now
        self._call(self._show_import_progress, done, total, what)

    def _show_import_progress(self, done: int, total: int, what: str) -> None:
        self.header.update(f"Importing the sample digests: {done}/{total} {what}")

    # --- importing from the reader ----------------------------------------------------

    def action_import_digests(self) -> None:
        """Ask for a file or directory and import it in a worker, with progress."""
        if self.importing:
            self.notify("An import is already running.", severity="warning", timeout=3)
            return

        def answered(path: str | None) -> None:
            if path:
                self.import_paths([Path(path).expanduser()])

        self.push_screen(AskPathScreen("Import digests: a file, or a directory of them",
                                       placeholder="~/digests/weekly-picks-2024.md"), answered)

    def import_paths(self, paths: list[Path]) -> None:
        self.importing = True
        self._import_started_at = time.monotonic()
        self._last_progress = 0.0
        names = ", ".join(p.name for p in paths)
        self.query_one("#import-bar").add_class("-active")
        self.query_one("#import-label", Static).update(f"Importing {names}: reading…")
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        self._import_worker(paths, names)

    @work(thread=True, exclusive=True, group="import")
    def _import_worker(self, paths: list[Path], names: str) -> None:
        def progress(done: int, total: int, what: str) -> None:
            now = time.monotonic()
            if done < total and now - self._last_progress < 0.1:
                return  # the library reports every record; the screen needs ten a second
            self._last_progress = now
            self._call(self._import_advanced, names, done, total)

        try:
            report = self.library.import_files(paths, progress=progress)
        except Exception as exc:  # DigestError names the file and line
            self._call(self._import_ended, None, str(exc))
            return
        self._call(self._import_ended, report, None)

    def _call(self, fn, *args, **kwargs) -> None:
        """call_from_thread that survives the app closing meanwhile."""
        try:
            self.call_from_thread(fn, *args, **kwargs)
        except RuntimeError:
            pass

    def _import_advanced(self, names: str, done: int, total: int) -> None:
        if not self.importing:
            return
        label = self.query_one("#import-label", Static)
        rate = done / max(1e-6, time.monotonic() - self._import_started_at)
        if done >= total:
            # The search index is brought up to date after the commit; no counter there.
            label.update(f"Importing {names}: {total:,} records merged · indexing…")
        else:
            label.update(f"Importing {names}: {done:,}/{total:,} records · {rate:,.0f}/s")
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def _import_ended(self, report: ImportReport | None, error: str | None) -> None:
        self.importing = False
        self.query_one("#import-bar").remove_class("-active")
        if report is None:
            self.notify(error or "import failed", title="Import failed", severity="error",
                        timeout=10, markup=False)
            return
        secs = time.monotonic() - self._import_started_at
        lines = [report.summary() + f" in {secs:.1f} s"]
        lines += [f"skipped {Path(f).name}: already imported" for f in report.skipped_files]
        lines += report.warnings
        self.notify("\n".join(lines), title="Imported", timeout=8, markup=False)
        if not report.added and not report.merged:
            return
        self._forget_previews()
        self.refresh_counts()
        if self.searching:
            self._run_search_now()
        else:
            row = self.papers.current
            self._load_rows(self.scope, self.list_sort, row.key if row else None)

    def _startup_failed(self, exc: Exception) -> None:
        self.header.update(f"Could not open the library: {exc}")
        self.notify(str(exc), title="Library error", severity="error", timeout=10)

    def _startup_done(self, scope: Scope, listing: tuple[RowSource, int, dict],
                      report: ImportReport | None, theme: str | None = None) -> None:
        if theme and theme in self.available_themes and theme != self.theme:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.scope = scope
        self._show_source(scope, *listing)
        self.ready = True
        self._counts_worker()
        if report is not None:
            self.notify(f"Sample imported: {report.summary()}", title="First run", timeout=6)

    # --- state across restarts ----------------------------------------------------------

    def save_state(self) -> None:
        # Once: `q` saves before exiting, and unmounting would save the same again.
        if not self.ready or self._state_saved:
            return
        self._state_saved = True
        try:
            self.library.set_state("scope", self.scope.encode())
            row = self.papers.current
            if row is not None and not self.searching:
                self.library.set_state("paper", row.key)
        except Exception:  # never fail on the way out
            pass

    async def action_quit(self) -> None:
        self.save_state()
        self.exit()

    def on_resize(self) -> None:
        if self.ready:
            self._update_header()

    def on_unmount(self) -> None:
        self.save_state()

    # --- listing a node -----------------------------------------------------------------

    def goto_scope(self, scope: Scope, focus_list: bool = True) -> None:
        """Select a scope (from the tree or the palette) and list it."""
        self.nav_tree_widget.reveal(scope)
        self._select_scope(scope)
        if focus_list:
            self.focus_now(self.papers)

    def _select_scope(self, scope: Scope) -> None:
        if scope == self.scope and self.ready:
            return
        self.scope = scope
        if self.searching:
            self._run_search_now()
        else:
            self._load_rows(scope, self.list_sort, None)
        self._save_state_value("scope", scope.encode())

    def _load_rows(self, scope: Scope, sort: str, cursor_key: str | None,
                   first_unread: bool = False) -> None:
        self._rows_token += 1
        self.header.update(f"{scope.label} · loading…")
        self._rows_worker(scope, sort, cursor_key, first_unread, self._rows_token)

    @work(thread=True, exclusive=True, group="rows")
    def _rows_worker(self, scope: Scope, sort: str, cursor_key: str | None,
                     first_unread: bool, token: int) -> None:
        try:
            listing = self._open_source(scope, sort, cursor_key, first_unread)
        except Exception as exc:
            self._call(self.notify, str(exc), severity="error")
            return
        self._call(self._rows_loaded, token, scope, listing)

    def _rows_loaded(self, token: int, scope: Scope,
                     listing: tuple[RowSource, int, dict]) -> None:
        if token != self._rows_token or self.searching or scope != self.scope:
            return  # a newer listing or a search replaced it
        self._show_source(scope, *listing)

    def _show_source(self, scope: Scope, source: RowSource, cursor: int,
                     pages: dict[int, list[ListRow]]) -> None:
        self._scope_total = source.total
        # The unread count from the tree when it is at hand, else from a worker.
        node = self.nav_tree_widget.find_nav(scope) if self._nav_loaded else None
        if node is not None and node.total != source.total:
            node = None  # the tree's counts are older than this list (an import ended)
        self._scope_unread = node.unread if node is not None else None
        empty = "Nothing here." if scope.kind != "starred" else "No starred papers yet (s)."
        self.papers.set_source(source, cursor, empty_text=empty, pages=pages)
        self._update_header()
        if node is None and self._nav_loaded:
            self._scope_counts_worker(scope)

    @work(thread=True, exclusive=True, group="scope-counts")
    def _scope_counts_worker(self, scope: Scope) -> None:
        try:
            unread, _total = self.library.counts(scope)
        except Exception:
            return
        self._call(self._scope_counted, scope, unread)

    def _scope_counted(self, scope: Scope, unread: int) -> None:
        if scope == self.scope and not self.searching:
            self._scope_unread = unread
            self._update_header()

    def _update_header(self) -> None:
        narrow = self.size.width < 110
        if self.searching:
            result = self.result
            where = self.scope.label
            if result is None:
                self.header.update(f"Searching {self.query_text} in {where}…")
            elif result.error:
                self.header.update(f"Search error: {result.error}")
            elif result.total == 0:
                self.header.update(f"No match for {result.query} in {where}")
            else:
                shown = self.papers.total
                more = f" (first {shown:,})" if shown < result.total else ""
                if narrow:
                    self.header.update(f"{_plural(result.total, 'match')}{more} · "
                                       f"{self.search_sort} · {where}")
                    return
                self.header.update(
                    f"Search {result.query} in {where} · {_plural(result.total, 'match')}"
                    f"{more} · {self.search_sort}")
            return
        unread = "…" if self._scope_unread is None else f"{self._scope_unread:,}"
        if narrow:
            self.header.update(f"{self.scope.label} · {unread}/"
                               f"{self._scope_total:,} · {self.list_sort}")
            return
        self.header.update(
            f"{self.scope.label} · {_plural(self._scope_total, 'paper')} · "
            f"{unread} unread · {self.list_sort}")

    # --- the tree -----------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#nav")
    def _tree_highlighted(self, event: Tree.NodeHighlighted) -> None:
        scope = event.node.data
        if not self.ready or scope is None or scope == self.scope:
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
        self.focus_now(self.papers)

    def refresh_counts(self) -> None:
        """Recount the tree, once a run of marks has settled."""
        if self.counts_debounce <= 0:
            self._counts_worker()
            return
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(self.counts_debounce, self._counts_worker)

    @work(thread=True, exclusive=True, group="counts")
    def _counts_worker(self) -> None:
        try:
            nav = self.library.nav_tree()
        except Exception as exc:
            self._call(self.notify, str(exc), severity="error")
            return
        self._call(self._counts_loaded, nav)

    def _counts_loaded(self, nav: list[NavNode]) -> None:
        tree = self.nav_tree_widget
        tree.load(nav)
        if not self._nav_loaded:
            self._nav_loaded = True
            tree.reveal(self.scope)
        node = tree.find_nav(self.scope)
        if not self.searching:
            if node is not None:
                self._scope_unread = node.unread
                self._update_header()
            elif self._scope_unread is None:
                self._scope_counts_worker(self.scope)

    # --- the list and the abstract -------------------------------------------------------

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        row = event.row
        if row is None:
            self._preview_key = self._preview_shown = None
            if not self.searching:
                empty = "No paper here."
            elif self.result is not None and self.result.suggestion:
                empty = f"Did you mean “{self.result.suggestion}”? ctrl+d or enter searches it."
            else:
                empty = ""
            self.abstract.show(None, empty=empty)
            return
        self._preview_key = row.key
        if self.preview_debounce <= 0:
            self._preview_due()
        elif self._preview_timer is None:
            self._preview_timer = self.set_timer(self.preview_debounce, self._preview_due)
        else:
            self._preview_timer.reset()  # the cursor is still moving

    def _preview_due(self) -> None:
        self._preview_timer = None
        key, query = self._preview_key, self.query_text
        if key is None or self._preview_shown == (key, query):
            return
        cached = self._previews.get((key, query))
        if cached is not None:
            self._previews.move_to_end((key, query))
            self._paper_loaded(key, *cached, query=query)
            return
        self._paper_worker(key, query)

    @work(thread=True, exclusive=True, group="paper")
    def _paper_worker(self, key: str, query: str) -> None:
        try:
            paper = self.library.paper(key)
            title_spans: list[tuple[int, int]] = []
            abstract_spans: list[tuple[int, int]] = []
            if paper is not None and query:
                title_spans = self.library.highlight_spans(paper.title, query)
                abstract_spans = self.library.highlight_spans(paper.abstract, query)
        except Exception as exc:
            self._call(self.notify, str(exc), severity="error")
            return
        self._call(self._paper_fetched, key, query, paper, title_spans,
                              abstract_spans)

    def _paper_fetched(self, key: str, query: str, paper: Paper | None, title_spans,
                       abstract_spans) -> None:
        if paper is not None:
            self._previews[(key, query)] = (paper, title_spans, abstract_spans)
            while len(self._previews) > PREVIEW_CACHE:
                self._previews.popitem(last=False)
        if query == self.query_text:
            self._paper_loaded(key, paper, title_spans, abstract_spans, query=query)

    def _paper_loaded(self, key: str, paper: Paper | None, title_spans, abstract_spans,
                      query: str = "") -> None:
        current = self.papers.current
        if current is None or current.key != key:
            return
        self.abstract.show(paper, title_spans, abstract_spans, empty="Paper not found.")
        self._preview_shown = (key, query) if paper is not None else None

    def action_open_paper(self) -> None:
        """enter on the list: focus the abstract at once (keys typed ahead follow it)."""
        if self.papers.current is not None:
            self.focus_now(self.abstract)

    def _forget_previews(self, key: str | None = None) -> None:
        """Previews show the marks and sources: drop those of a changed paper (or all)."""
        if key is None:
            self._previews.clear()
        else:
            for k in [k for k in self._previews if k[0] == key]:
                del self._previews[k]
        self._preview_shown = None

    def _reload_abstract(self) -> None:
        row = self.papers.current
        if row is not None:
            self._forget_previews(row.key)
            self._paper_worker(row.key, self.query_text)

    # --- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        self.focus_now(self.search_box)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if not query:
            self._end_search()
            return
        self._search_timer = self.set_timer(self.search_debounce, self._run_search_now)

    def _run_search_now(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        query = self.search_box.value.strip()
        if not query:
            self._end_search()
            return
        was_searching = self.searching
        self.query_text = query
        if not was_searching:
            self.search_sort = "relevance"
            row = self.papers.current
            self._list_cursor_key = row.key if row else None
        self._search_token += 1
        if not was_searching:
            self.result = None
            self._update_header()
        self._search_worker(query, self.scope, self.search_sort, self._search_token)

    @work(thread=True, exclusive=True, group="search")
    def _search_worker(self, query: str, scope: Scope, sort: str, token: int) -> None:
        lib = self.library
        source: RowSource
        pages: dict[int, list[ListRow]] = {}
        try:
            # The top page now, the others when scrolled to.
            result = lib.search(query, scope=scope, sort=sort, offset=0, limit=PAGE)
            source = SearchSource(lib, query, scope, sort, result.total)
            pages[0] = list(result.rows)
        except Exception as exc:  # a library bug must not kill the reader
            result = SearchResult(query=query, rows=[], total=0, error=str(exc))
            source = ListSource([])
        self._call(self._search_done, token, scope, sort, result, source, pages)

    def _search_done(self, token: int, scope: Scope, sort: str, result: SearchResult,
                     source: RowSource, pages: dict[int, list[ListRow]]) -> None:
        if token != self._search_token or not self.searching:
            return  # stale: a newer query (or leaving the search) replaced it
        if result.query != self.query_text or scope != self.scope or sort != self.search_sort:
            return
        self.result = result
        if result.error:
            empty = f"Cannot understand the query: {result.error}"
        elif result.total == 0 and result.suggestion:
            empty = f"No match. Did you mean “{result.suggestion}”? ctrl+d or enter searches it."
        elif result.total == 0:
            empty = "No match."
        else:
            empty = ""
        self.papers.set_source(source, 0, empty_text=empty, pages=pages)
        self._update_header()

    def _end_search(self) -> None:
        if not self.searching:
            return
        self._search_token += 1
        self.query_text = ""
        self.result = None
        self._load_rows(self.scope, self.list_sort, self._list_cursor_key)

    @on(SearchBox.Leave)
    def _search_leave(self) -> None:
        self.action_leave_search()

    def action_leave_search(self) -> None:
        if self.search_box.value:
            self.search_box.value = ""  # Input.Changed ends the search
        self._end_search()
        self.focus_now(self.papers)

    @on(SearchBox.ToResults)
    def _search_to_results(self) -> None:
        if self._search_timer is not None:
            self._run_search_now()
        self.focus_now(self.papers)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted | None = None) -> None:
        if self._suggestion_pending():
            self._accept_suggestion()
            return
        if self._search_timer is not None:
            self._run_search_now()
        self.focus_now(self.papers)

    def _suggestion_pending(self) -> bool:
        r = self.result
        return bool(self.searching and r is not None and r.total == 0 and r.suggestion
                    and r.query == self.search_box.value.strip())

    @on(SearchBox.AcceptSuggestion)
    def _accept_suggestion(self) -> None:
        if not self._suggestion_pending():
            return
        assert self.result is not None and self.result.suggestion
        self.search_box.value = self.result.suggestion
        self.search_box.cursor_position = len(self.search_box.value)
        self._run_search_now()

    def action_cycle_sort(self) -> None:
        if self.searching:
            i = SEARCH_SORTS.index(self.search_sort)
            self.search_sort = SEARCH_SORTS[(i + 1) % len(SEARCH_SORTS)]
            self.notify(f"Sorted by {self.search_sort}", timeout=2)
            self._run_search_now()
        else:
            i = LIST_SORTS.index(self.list_sort) if self.list_sort in LIST_SORTS else 0
            self.list_sort = LIST_SORTS[(i + 1) % len(LIST_SORTS)]
            self.notify(f"Sorted by {self.list_sort}", timeout=2)
            row = self.papers.current
            self._load_rows(self.scope, self.list_sort, row.key if row else None)

    # --- marks --------------------------------------------------------------------------

    def _current(self) -> ListRow | None:
        row = self.papers.current
        if row is None:
            self.notify("No paper selected.", severity="warning", timeout=2)
        return row

    def _write(self, fn, *args) -> bool:
        """Save a mark: at once, committed before the screen shows it; but while this
        reader's own import holds the database's write lock, on a writer thread, in
        order, so that keys are still answered; the notification says it is pending
        until the import's commit lets it through. False: refused, nothing changed."""
        with self._write_lock:
            queued = self.importing or self._writer_alive
            if queued:
                self._write_queue.put((fn, args))
                start = not self._writer_alive
                self._writer_alive = True
        if not queued:
            try:
                fn(*args)
            except LibraryError as exc:  # busy (a long import elsewhere): nothing changed
                self.notify(str(exc), severity="error", timeout=8)
                return False
            return True
        self.notify("Saving the mark once the import commits.", timeout=3)
        if start:
            self._writer()
        return True

    @work(thread=True, group="writer")
    def _writer(self) -> None:
        while True:
            try:
                fn, args = self._write_queue.get(timeout=0.2)
            except queue.Empty:
                with self._write_lock:
                    if self._write_queue.empty():
                        self._writer_alive = False
                        break
                continue
            try:
                fn(*args)
            except Exception as exc:
                self._call(self.notify, f"Could not save a mark: {exc}", severity="error")
        self._call(self.notify, "Marks saved.", timeout=2)
        self._call(self._reload_abstract)
        self._call(self.refresh_counts)

    def _mark(self, row: ListRow, read: bool) -> bool:
        if not self._write(self.library.mark_read, [row.key], read):
            return False
        self.papers.update_row(row.key, read=read)
        self._after_mark(1 if read != row.read else 0, read)
        return True

    def _after_mark(self, changed: int, read: bool) -> None:
        if changed and not self.searching and self._scope_unread is not None:
            self._scope_unread += -changed if read else changed
            self._update_header()
        self._reload_abstract()
        self.refresh_counts()

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
        papers = self.papers
        source, here = papers.source, papers.cursor

        def found(nxt: int | None) -> None:
            if papers.source is not source or papers.cursor != here:
                return  # the list or the cursor moved on meanwhile
            if nxt is None:
                self.notify("No more unread papers in this list.", timeout=3)
            else:
                papers.move_to(nxt)

        papers.find_next_unread(here, found)

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
        papers = self.papers
        if not papers.total:
            self.notify("The list is empty.", severity="warning", timeout=2)
            return
        what = f"the search {self.query_text} in {self.scope.label}" if self.searching \
            else self.scope.label
        self._unread_worker(papers.source, what)

    @work(thread=True, exclusive=True, group="mark-all")
    def _unread_worker(self, source: RowSource, what: str) -> None:
        try:
            unread = source.unread_keys()
        except Exception as exc:
            self._call(self.notify, str(exc), severity="error")
            return
        self._call(self._ask_mark_all, source, unread, what)

    def _ask_mark_all(self, source: RowSource, unread: list[str], what: str) -> None:
        if self.papers.source is not source:
            return  # another list is shown now
        if not unread:
            self.notify(f"Every paper of {what} is already read.", timeout=3)
            return
        question = (f"Mark {_plural(len(unread), 'unread paper')} of {what} "
                    f"({_plural(source.total, 'paper')} listed) as read?")

        def answered(yes: bool | None) -> None:
            if yes:
                self._mark_all_worker(unread, source)

        self.push_screen(ConfirmScreen(question, yes="Mark read"), answered)

    @work(thread=True, exclusive=True, group="mark-all")
    def _mark_all_worker(self, keys: list[str], source: RowSource) -> None:
        try:
            changed = self.library.mark_read(keys, True)  # committed first
        except Exception as exc:
            self._call(self.notify, str(exc), severity="error")
            return
        self._call(self._mark_all_done, source, set(keys), changed)

    def _mark_all_done(self, source: RowSource, keys: set[str], changed: int) -> None:
        papers = self.papers
        if papers.source is source:  # still the same list on screen
            papers.marked_read(keys)
        if not self.searching and self._scope_unread is not None:
            self._scope_unread = max(0, self._scope_unread - changed)
            self._update_header()
        self.notify(f"Marked {_plural(changed, 'paper')} read.", timeout=3)
        self._forget_previews()
        self._reload_abstract()
        self.refresh_counts()

    # --- copying ------------------------------------------------------------------------

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
        self.copy_text(text, is_search)

    def copy_text(self, text: str, is_search: bool = False) -> None:
        failure = system_copy(text)
        self.copy_to_clipboard(text)  # OSC 52: reaches the local clipboard over SSH and tmux
        lines = [f"Copied {text}"]
        if is_search:
            lines.append("No arXiv id known: this is an arXiv title search.")
        if failure:
            lines.append(f"({failure}; sent to the terminal clipboard)")
        self.notify("\n".join(lines), title="Copied", timeout=4, markup=False)

    # --- panes, help, palette --------------------------------------------------------------

    def _panes(self) -> list:
        return [self.nav_tree_widget, self.papers, self.abstract]

    # Keys that move the focus are priority bindings, gated here, and move it at once
    # (Widget.focus() is deferred): keys typed ahead then reach the newly focused widget.
    _GATED = {"next_pane", "previous_pane", "search", "leave_search", "enter_key",
              "search_to_results", "accept_suggestion"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self._GATED:
            return True
        if not self.screen_stack or self.screen is not self._main_screen():
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
            return in_box or self.searching
        return True

    def focus_now(self, widget) -> None:
        """Focus `widget` now, not after the keys already queued."""
        try:
            widget.screen.set_focus(widget)
        except Exception:  # not mounted yet
            widget.focus()

    def action_enter_key(self) -> None:
        if isinstance(self.focused, SearchBox):
            self._search_submitted()
        else:
            self.action_open_paper()

    def action_search_to_results(self) -> None:
        self._search_to_results()

    def action_accept_suggestion(self) -> None:
        self._accept_suggestion()

    def _main_screen(self) -> Screen:
        return self.screen_stack[0]

    def _cycle_pane(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        if focused is self.search_box:
            self.focus_now(self.papers)
            return
        try:
            i = panes.index(focused)
        except ValueError:
            i = 0 if step > 0 else 1
        self.focus_now(panes[(i + step) % len(panes)])

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def help_sections(self) -> list[Section]:
        def rows(bindings: Iterable[Binding | tuple]) -> list[tuple[str, str]]:
            out = []
            for b in bindings:
                if isinstance(b, tuple):
                    out.append((key_display(b[0]), b[1]))
                    continue
                out.append((key_display(b.key), b.tooltip or b.description or b.action))
            return out

        everywhere = rows(self.BINDINGS) + [("ctrl+p", "Command palette (actions, go to ...)")]
        tree_extra = [("enter", "List the node and go to the list"),
                      ("space", "Expand / collapse the node")]
        return [
            ("Everywhere (outside the search box)", everywhere),
            ("Paper list", rows(PaperList.BINDINGS)),
            ("Navigation tree (moving lists the node)", rows(NavTree.BINDINGS) + tree_extra),
            ("Search box", [("enter", "Go to the results (or accept the suggestion)")]
             + rows(SearchBox.BINDINGS)),
            ("Abstract", rows(AbstractView.BINDINGS)),
            ("Confirmation", rows(ConfirmScreen.BINDINGS)),
        ]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Focus the search box (/)", self.action_search)
        yield SystemCommand("Toggle read", "Mark the paper read or unread (r)",
                            self.action_toggle_read)
        yield SystemCommand("Mark read and next unread", "space", self.action_read_next)
        yield SystemCommand("Toggle star", "Star or unstar the paper (s)",
                            self.action_toggle_star)
        yield SystemCommand("Copy arXiv link", "y", self.action_copy_link)
        yield SystemCommand("Copy Markdown link", "Y", self.action_copy_markdown)
        yield SystemCommand("Mark all read", "Every paper of the list, after asking (A)",
                            self.action_mark_all_read)
        yield SystemCommand("Cycle sort", "relevance / newest / title (o)",
                            self.action_cycle_sort)
        yield SystemCommand("Import digests…", "Import a file or a directory of digests "
                            "(the reader stays usable meanwhile)", self.action_import_digests)
        yield SystemCommand("Help", "Every key (?)", self.action_help)

    # --- unexpected errors ------------------------------------------------------------

    crash: Exception | None = None
    _state_saved = False
    crash_log: Path | None = None

    def _handle_exception(self, error: Exception) -> None:
        # Issue 5: the traceback goes to <data>/paperdeck.log instead of over the
        # terminal; run_reader prints one line naming the log once the app has closed.
        # Marks are committed before they are shown, so nothing is lost by stopping.
        if self.crash is None:
            self.crash = error
            self.crash_log = write_crash_log(self.library.data_dir, error, "(reader)")
        super()._handle_exception(error)
        if self.crash_log is not None:
            self._exit_renderables.clear()  # Textual's traceback, now in the log


def run_reader(library: Library, **run_options) -> int:
    """Run the reader on an opened library (the CLI's entry point); the exit status."""
    app = PaperdeckApp(library)
    app.run(**run_options)
    if app.crash is not None:
        print(crash_line("the reader stopped on an unexpected error", app.crash,
                         app.crash_log), file=sys.stderr)
        return 2
    return 0
