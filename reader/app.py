"""The reader's app: a shell around the MainScreen (screens/main.py) that keeps the theme
and the place across restarts, logs a crash, offers the palette's commands and owns the
mark writer. `run_reader` is the command line's way in."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.screen import Screen

from paperdeck import styles
from paperdeck.index.library import Library
from paperdeck.index.views import Scope

from .commands import GoToProvider
from .crashlog import crash_line, write_crash_log
from .screens.help import Section
from .screens.main import MainScreen
from .services.mark_writer import MarkWriter
from .services.opening import SavedState
from .services.watch import WATCH_EVERY
from .workers import deliver

SEARCH_DEBOUNCE = 0.15
TREE_DEBOUNCE = 0.12
# The abstract follows the cursor once it rests: holding j costs one list line a key,
# not a database read and a relayout of the abstract pane.
PREVIEW_DEBOUNCE = 0.06
# Counts (a GROUP BY over every paper) once marks made in a row have settled.
COUNTS_DEBOUNCE = 0.3


def _main_screens(path: str) -> property:
    """A property of the app reading `path` on the MainScreen (for tests, tools, the
    palette and the benchmark, which reach the panes through the app)."""
    names = path.split(".")

    def get(app: PaperdeckApp):
        obj = app.main
        for name in names:
            obj = getattr(obj, name)
        return obj

    return property(get, doc=f"The MainScreen's `{path}`.")


class PaperdeckApp(App):
    """A keyboard-driven reader over a `Library`."""

    TITLE = "paperdeck"
    CSS_PATH = Path(styles.__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {GoToProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (160, "-wide")]

    crash: Exception | None = None
    crash_log: Path | None = None

    def __init__(self, library: Library, *, import_sample_if_empty: bool = True,
                 search_debounce: float = SEARCH_DEBOUNCE,
                 tree_debounce: float = TREE_DEBOUNCE,
                 preview_debounce: float = PREVIEW_DEBOUNCE,
                 counts_debounce: float = COUNTS_DEBOUNCE,
                 watch_every: float = WATCH_EVERY) -> None:
        super().__init__()
        self.library = library
        self._screen_options = dict(
            import_sample_if_empty=import_sample_if_empty, search_debounce=search_debounce,
            tree_debounce=tree_debounce, preview_debounce=preview_debounce,
            counts_debounce=counts_debounce, watch_every=watch_every)
        # Lives as long as the app: marks queued behind an import are saved by its thread.
        self.marks = MarkWriter(self, lambda message: deliver(self.main, message))
        self._main: MainScreen | None = None
        self._state_saved = False
        # Keys pressed before the main screen has composed its panes (typed ahead at
        # the start): kept, and answered in order once the panes are there.
        self._typed_ahead: list[events.Key] | None = []

    def get_default_screen(self) -> MainScreen:
        # Composed in its own task: the app is ready before the panes are (run_test's
        # pilot waits for them; an auto_pilot must `await pilot.pause()` first).
        self._main = MainScreen(self.library, self.marks, **self._screen_options)
        return self._main

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._typed_ahead is not None:
            self._typed_ahead.append(event)  # a binding now would find no pane
            return
        await super().on_event(event)

    def panes_composed(self) -> None:
        """(The MainScreen, once mounted.) Answer the keys typed ahead, in order."""
        keys, self._typed_ahead = self._typed_ahead or [], None
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    @property
    def main_mounted(self) -> bool:
        """Whether the main screen is mounted (its panes may still be composing)."""
        return self._main is not None and self._main.is_mounted

    @property
    def main(self) -> MainScreen:
        """The main screen (the bottom of the screen stack)."""
        if self._main is None:
            raise RuntimeError("the reader is not running")
        return self._main

    papers = _main_screens("papers")
    search_box = _main_screens("search_box")
    header = _main_screens("header")
    abstract = _main_screens("abstract")
    nav_tree_widget = _main_screens("nav_tree_widget")
    ready = _main_screens("ready")
    importing = _main_screens("importing")
    goto_scope = _main_screens("goto_scope")
    import_paths = _main_screens("import_paths")
    scope = _main_screens("list_pane.scope")
    list_sort = _main_screens("list_pane.list_sort")
    search_sort = _main_screens("list_pane.search_sort")
    query_text = _main_screens("list_pane.query_text")
    searching = _main_screens("list_pane.searching")
    result = _main_screens("list_pane.result")

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        """A notification, unless the same one is still on screen (a key pressed again
        does not stack a second copy of its answer)."""
        for shown in list(self._notifications):
            if shown.message == message and shown.title == title and not shown.has_expired:
                return
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=markup)

    @property
    def notifications_shown(self) -> list:
        """The notifications on screen now (for tests)."""
        return list(self._notifications)

    @property
    def printed_on_exit(self) -> list:
        """What Textual prints over the terminal when the app ends (for tests)."""
        return list(self._exit_renderables)

    # --- state across restarts --------------------------------------------------------

    def read_saved_state(self, place: bool = True) -> SavedState:
        """(In a worker.) The theme, and, if `place`, the node and paper last shown."""
        library = self.library
        theme = library.get_state("theme")
        if not place:
            return SavedState(Scope(), None, theme)
        try:
            saved = library.get_state("scope")
            scope = Scope.decode(saved) if saved else Scope()
        except ValueError:
            scope = Scope()
        return SavedState(scope, library.get_state("paper"), theme)

    def restore_theme(self, theme: str | None) -> None:
        """Put the saved theme back, then save every change of it."""
        if theme and theme in self.available_themes and theme != self.theme:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme) -> None:
        if self.main.ready:
            self.save_state_value("theme", theme.name)

    @work(thread=True, group="state")
    def save_state_value(self, name: str, value: str) -> None:
        try:
            self.library.set_state(name, value)
        except Exception:
            pass

    def save_state(self) -> None:
        # Once: `q` saves before exiting, and unmounting would save the same again.
        main = self._main
        if main is None or not main.ready or self._state_saved:
            return
        self._state_saved = True
        try:
            pane = main.list_pane
            self.library.set_state("scope", pane.scope.encode())
            row = pane.papers.current
            if row is not None and not pane.searching:
                self.library.set_state("paper", row.key)
        except Exception:  # never fail on the way out
            pass

    async def action_quit(self) -> None:
        self.save_state()
        self.exit()

    def on_unmount(self) -> None:
        self.save_state()

    def on_app_focus(self) -> None:
        # back in the terminal after another shell's `paperdeck mark`: look at once
        if self._main is not None and self._main.ready:
            self._main.watch.look()

    # --- help and palette -------------------------------------------------------------

    def help_sections(self) -> list[Section]:
        return MainScreen.help_sections()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main
        yield SystemCommand("Search", "Focus the search box (/)", main.action_search)
        yield SystemCommand("Toggle read", "Mark the paper read or unread (r)",
                            main.action_toggle_read)
        yield SystemCommand("Mark read and next unread", "space", main.action_read_next)
        yield SystemCommand("Toggle star", "Star or unstar the paper (s)",
                            main.action_toggle_star)
        yield SystemCommand("Copy arXiv link", "y", main.action_copy_link)
        yield SystemCommand("Copy Markdown link", "Y", main.action_copy_markdown)
        yield SystemCommand("Open the arXiv page", "With the system's opener (b)",
                            main.action_open_link)
        yield SystemCommand("Open the PDF", "With the system's opener (B)",
                            main.action_open_pdf)
        yield SystemCommand("Mark all read", "Every paper of the list, after asking (A)",
                            main.action_mark_all_read)
        yield SystemCommand("Cycle sort", "relevance / newest / title (o)",
                            main.action_cycle_sort)
        yield SystemCommand("Import digests…", "Import a file or a directory of digests "
                            "(the reader stays usable meanwhile)", main.action_import_digests)
        yield SystemCommand("Reload", "Counts, list and marks as the library is now, "
                            "changes made in another shell included (R)", main.action_reload)
        yield SystemCommand("Help", "Every key (?)", main.action_help)

    # --- unexpected errors ------------------------------------------------------------

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
