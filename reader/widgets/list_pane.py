"""The middle pane: the search box, the header and the paper list. It decides what the list
shows (a node's papers, or a search in that node, as you type) and says so in the header."""

from __future__ import annotations

from textual import on
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from paperdeck.index.library import Library
from paperdeck.index.views import NavNode, Scope, SearchResult

from ..messages import RowsLoaded, ScopeCounted, SearchDone
from ..rows import Listing, open_listing, search_page
from ..workers import Generations, in_thread
from .focus import focus_now
from .nav_tree import find_nav
from .paper_list import PaperList
from .search_box import SearchBox

LIST_SORTS = ("newest", "title")
SEARCH_SORTS = ("relevance", "newest", "title")


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n:,} {word}"
    return f"{n:,} {word}{'es' if word.endswith(('ch', 'sh', 's', 'x')) else 's'}"


class ListPane(Vertical):
    """What the list shows: `scope`'s papers in `list_sort` order, or, while `query_text`
    is set, the search of it in `search_sort` order (`result`)."""

    def __init__(self, library: Library, *, search_debounce: float,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.search_debounce = search_debounce
        self.scope: Scope = Scope()
        self.list_sort = "newest"
        self.search_sort = "relevance"
        self.query_text = ""  # the search being shown ("" when listing a node)
        self.result: SearchResult | None = None
        self.generations = Generations()  # "list": moves on with each list asked for
        self._search_timer: Timer | None = None
        self._list_cursor_key: str | None = None  # where to come back after a search
        self._total = 0
        self._unread: int | None = 0  # None until counted
        self._nav: list[NavNode] | None = None  # the tree's counts, once loaded

    def compose(self):
        yield SearchBox(id="search")
        yield Static("Opening the library…", id="list-header", markup=False)
        yield PaperList(id="papers")

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
    def searching(self) -> bool:
        return bool(self.query_text)

    @property
    def knows_counts(self) -> bool:
        """The tree's counts have been loaded once."""
        return self._nav is not None

    # --- a node's list ----------------------------------------------------------------

    def show_opened(self, scope: Scope, listing: Listing) -> None:
        """The start: the node and the rows the MainScreen read while opening."""
        self.generations.next("list")
        self.scope = scope
        self._show_listing(scope, listing)

    def show_scope(self, scope: Scope) -> None:
        """List another node, or search it when a search is on."""
        self.scope = scope
        if self.searching:
            self.run_search_now()
        else:
            self._load_rows(scope, self.list_sort, None)

    def reload(self) -> None:
        """Read the list again (an import ended), the cursor kept on its paper."""
        if self.searching:
            self.run_search_now()
        else:
            row = self.papers.current
            self._load_rows(self.scope, self.list_sort, row.key if row else None)

    def cycle_sort(self) -> None:
        if self.searching:
            i = SEARCH_SORTS.index(self.search_sort)
            self.search_sort = SEARCH_SORTS[(i + 1) % len(SEARCH_SORTS)]
            self.notify(f"Sorted by {self.search_sort}", timeout=2)
            self.run_search_now()
        else:
            i = LIST_SORTS.index(self.list_sort) if self.list_sort in LIST_SORTS else 0
            self.list_sort = LIST_SORTS[(i + 1) % len(LIST_SORTS)]
            self.notify(f"Sorted by {self.list_sort}", timeout=2)
            row = self.papers.current
            self._load_rows(self.scope, self.list_sort, row.key if row else None)

    def _load_rows(self, scope: Scope, sort: str, cursor_key: str | None) -> None:
        generation = self.generations.next("list")
        self.header.update(f"{scope.label} · loading…")
        library = self.library
        in_thread(self, lambda: RowsLoaded(generation, scope,
                                           open_listing(library, scope, sort, cursor_key)),
                  group="rows")

    @on(RowsLoaded)
    def _rows_loaded(self, answer: RowsLoaded) -> None:
        if self.generations.stale(answer):
            return  # a newer listing or a search replaced it
        self._show_listing(answer.scope, answer.listing)

    def _show_listing(self, scope: Scope, listing: Listing) -> None:
        source = listing.source
        self._total = source.total
        # The unread count from the tree when it is at hand, else from a worker.
        node = find_nav(self._nav, scope) if self._nav is not None else None
        if node is not None and node.total != source.total:
            node = None  # the tree's counts are older than this list (an import ended)
        self._unread = node.unread if node is not None else None
        empty = "Nothing here." if scope.kind != "starred" else "No starred papers yet (s)."
        self.papers.set_source(source, listing.cursor, empty_text=empty, pages=listing.pages)
        self.update_header()
        if node is None and self._nav is not None:
            self._count_scope(scope)

    # --- the unread count in the header ---------------------------------------------------

    def counts_loaded(self, nav: list[NavNode]) -> None:
        """The tree's counts (re)loaded: the header takes the node's unread count."""
        self._nav = nav
        if self.searching:
            return
        node = find_nav(nav, self.scope)
        if node is not None:
            self._unread = node.unread
            self.update_header()
        elif self._unread is None:
            self._count_scope(self.scope)

    def adjust_unread(self, delta: int, at_least: int | None = None) -> None:
        """Marks changed the node's unread count by `delta`."""
        if self.searching or self._unread is None:
            return
        unread = self._unread + delta
        self._unread = unread if at_least is None else max(at_least, unread)
        self.update_header()

    def _count_scope(self, scope: Scope) -> None:
        generation = self.generations.current("list")
        library = self.library
        in_thread(self, lambda: ScopeCounted(generation, library.counts(scope)[0]),
                  group="scope-counts")

    @on(ScopeCounted)
    def _scope_counted(self, answer: ScopeCounted) -> None:
        if self.generations.stale(answer):
            return
        self._unread = answer.unread
        self.update_header()

    def update_header(self) -> None:
        narrow = self.app.size.width < 110
        header = self.header
        if self.searching:
            result = self.result
            where = self.scope.label
            if result is None:
                header.update(f"Searching {self.query_text} in {where}…")
            elif result.error:
                header.update(f"Search error: {result.error}")
            elif result.total == 0:
                header.update(f"No match for {result.query} in {where}")
            else:
                shown = self.papers.total
                more = f" (first {shown:,})" if shown < result.total else ""
                if narrow:
                    header.update(f"{plural(result.total, 'match')}{more} · "
                                  f"{self.search_sort} · {where}")
                    return
                header.update(
                    f"Search {result.query} in {where} · {plural(result.total, 'match')}"
                    f"{more} · {self.search_sort}")
            return
        unread = "…" if self._unread is None else f"{self._unread:,}"
        if narrow:
            header.update(f"{self.scope.label} · {unread}/"
                          f"{self._total:,} · {self.list_sort}")
            return
        header.update(
            f"{self.scope.label} · {plural(self._total, 'paper')} · "
            f"{unread} unread · {self.list_sort}")

    def no_paper_text(self) -> str:
        """What the abstract pane says when the cursor is on no paper."""
        if not self.searching:
            return "No paper here."
        if self.result is not None and self.result.suggestion:
            return f"Did you mean “{self.result.suggestion}”? ctrl+d or enter searches it."
        return ""

    # --- search -------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if not query:
            self._end_search()
            return
        self._search_timer = self.set_timer(self.search_debounce, self.run_search_now)

    def run_search_now(self) -> None:
        """Search what the box says, without waiting for the typing to pause."""
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
        generation = self.generations.next("list")
        if not was_searching:
            self.result = None
            self.update_header()
        library, scope, sort = self.library, self.scope, self.search_sort
        in_thread(self, lambda: SearchDone(generation, search_page(library, query, scope, sort)),
                  group="search")

    @on(SearchDone)
    def _search_done(self, answer: SearchDone) -> None:
        if self.generations.stale(answer):
            return  # a newer query (or leaving the search) replaced it
        result = answer.page.result
        self.result = result
        if result.error:
            empty = f"Cannot understand the query: {result.error}"
        elif result.total == 0 and result.suggestion:
            empty = f"No match. Did you mean “{result.suggestion}”? ctrl+d or enter searches it."
        elif result.total == 0:
            empty = "No match."
        else:
            empty = ""
        self.papers.set_source(answer.page.source, 0, empty_text=empty, pages=answer.page.pages)
        self.update_header()

    def _end_search(self) -> None:
        if not self.searching:
            return
        self.query_text = ""
        self.result = None
        self._load_rows(self.scope, self.list_sort, self._list_cursor_key)

    @on(SearchBox.Leave)
    def leave_search(self) -> None:
        """esc: clear the search, back to the node's list."""
        if self.search_box.value:
            self.search_box.value = ""  # Input.Changed ends the search
        self._end_search()
        focus_now(self.papers)

    @on(SearchBox.ToResults)
    def to_results(self) -> None:
        if self._search_timer is not None:
            self.run_search_now()
        focus_now(self.papers)

    @on(Input.Submitted, "#search")
    def submit(self) -> None:
        """enter in the search box: the suggestion if nothing matched, else the results."""
        if self._suggestion_pending():
            self.accept_suggestion()
            return
        if self._search_timer is not None:
            self.run_search_now()
        focus_now(self.papers)

    def _suggestion_pending(self) -> bool:
        r = self.result
        return bool(self.searching and r is not None and r.total == 0 and r.suggestion
                    and r.query == self.search_box.value.strip())

    @on(SearchBox.AcceptSuggestion)
    def accept_suggestion(self) -> None:
        if not self._suggestion_pending():
            return
        assert self.result is not None and self.result.suggestion
        self.search_box.value = self.result.suggestion
        self.search_box.cursor_position = len(self.search_box.value)
        self.run_search_now()
