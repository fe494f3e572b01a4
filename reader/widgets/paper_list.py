"""The middle pane: the papers of a scope or of a search, one line each.

A ScrollView that draws only the visible lines (``render_line``), so a list of
100,000 rows opens and scrolls as fast as a list of ten.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from types import MappingProxyType

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from paperdeck.index.views import ListRow

from ..messages import Answer, WorkerFailed
from ..rows import PAGE, ListSource, RowSource
from ..workers import Generations, in_thread

UNREAD_MARK = "●"
STAR_MARK = "★"
DERIVED_PREFIX = "~"
DATE_WIDTH = 10
TAG_WIDTH = 8


MAX_PAGES = 32  # pages kept: 6,400 rows
PREFETCH_MARGIN = 60  # rows from a page's edge at which the next page is asked for
SCANNING = -1  # find_next_unread: a worker reads on, and NextUnread will tell


class RowsView(Sequence):
    """Every row of a paper list as a sequence; pages not at hand are read at once
    from the source, so this is for tests and tools, not for the UI's hot paths."""

    def __init__(self, paper_list: PaperList) -> None:
        self._list = paper_list

    def __len__(self) -> int:
        return self._list.source.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        row = self._list.row_at(index)
        if row is None:
            plist = self._list
            number = index // PAGE
            plist.preload(number, plist.source.fetch(number * PAGE, PAGE))
            row = plist.row_at(index)
        return row

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, RowsView)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells, an ellipsis marking a cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


class PaperList(ScrollView, can_focus=True):
    """The list of papers with its own cursor."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--star",
        "paper-list--title-unread",
        "paper-list--derived",
        "paper-list--date",
        "paper-list--tag",
        "paper-list--empty",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "Top", show=False),
        Binding("G,end", "last", "Bottom", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("enter", "screen.open_paper", "Open the paper (focus the abstract)",
                show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another paper (or the list changed)."""

        def __init__(self, paper_list: PaperList, row: ListRow | None) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.row = row

    class NextUnread(Answer, bubble=True):
        """The next unread paper after `after` (None: there is none), found by reading
        on; dropped here if the cursor moved meanwhile, else it bubbles up."""

        purpose = "cursor"

        def __init__(self, generation: int, after: int, index: int | None) -> None:
            super().__init__(generation)
            self.after, self.index = after, index

    class _PageRead(Answer):
        purpose = "source"

        def __init__(self, generation: int, number: int, rows: list[ListRow]) -> None:
            super().__init__(generation)
            self.number, self.rows = number, rows

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source: RowSource = ListSource([])
        self.cursor: int = 0
        self.empty_text: str = ""
        # Pages of PAGE rows, the most recently used last; a few hundred KB at most.
        self._pages: OrderedDict[int, list[ListRow]] = OrderedDict()
        self._keys: dict[str, int] = {}  # key -> position, for the rows of loaded pages
        self._loading: set[int] = set()
        self._changes: dict[str, ListRow] = {}  # marks made since the source was set
        # "source" moves on with each source (late pages of an old one are dropped),
        # "cursor" with each move of the cursor.
        self.generations = Generations()
        self._announced: int | None = None  # the position last sent as Highlighted

    # --- data -----------------------------------------------------------------

    @property
    def rows(self) -> RowsView:
        """Every row, as a sequence (reads pages as needed: for tests and tools)."""
        return RowsView(self)

    @property
    def total(self) -> int:
        return self.source.total

    @property
    def loaded_pages(self) -> Mapping[int, list[ListRow]]:
        """The pages at hand, by number (read-only: for tests and tools)."""
        return MappingProxyType(self._pages)

    @property
    def current(self) -> ListRow | None:
        return self.row_at(self.cursor)

    def row_at(self, index: int) -> ListRow | None:
        """The row at `index` if its page is at hand (a local source's always is)."""
        if not 0 <= index < self.source.total:
            return None
        page = self._page(index // PAGE)
        return None if page is None else page[index % PAGE]

    def _page(self, number: int, want: bool = True) -> list[ListRow] | None:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self.source.local:
            self._store(number, self.source.fetch(number * PAGE, PAGE))
            return self._pages[number]
        if want:
            self._request(number)
        return None

    def _store(self, number: int, rows: list[ListRow]) -> None:
        if self._changes:
            rows = [self._changes.get(r.key, r) for r in rows]
        self._pages[number] = rows
        base = number * PAGE
        for i, row in enumerate(rows):
            self._keys[row.key] = base + i
        while len(self._pages) > MAX_PAGES:
            _, old = self._pages.popitem(last=False)
            for row in old:
                self._keys.pop(row.key, None)

    def _request(self, number: int) -> None:
        if number in self._loading or not 0 <= number * PAGE < self.source.total:
            return
        self._loading.add(number)
        source, generation = self.source, self.generations.current("source")
        in_thread(self, lambda: self._PageRead(generation, number,
                                               source.fetch(number * PAGE, PAGE)),
                  group="pages", exclusive=False, tag=(generation, number),
                  exit_on_error=False)

    @on(WorkerFailed)
    def _page_failed(self, failure: WorkerFailed) -> None:
        if failure.group != "pages":
            return
        generation, number = failure.tag
        if generation != self.generations.current("source"):
            failure.stop()  # a page of an old list: nobody needs to hear of it
            return
        self._loading.discard(number)  # asked again on the next draw; the screen says why

    @on(_PageRead)
    def _page_read(self, answer: _PageRead) -> None:
        if self.generations.stale(answer):
            return
        number = answer.number
        self._loading.discard(number)
        self._store(number, answer.rows)
        self.refresh()
        if self._announced != self.cursor and self.cursor // PAGE == number:
            self._announce()

    def preload(self, number: int, rows: list[ListRow]) -> None:
        """Hand over a page read beforehand (by the worker that made the source)."""
        self._store(number, rows)

    def _prefetch(self) -> None:
        """Ask for the pages around the cursor before they are needed."""
        if self.source.local:
            return
        number = self.cursor // PAGE
        within = self.cursor % PAGE
        self._page(number)
        if within >= PAGE - PREFETCH_MARGIN:
            self._page(number + 1)
        elif within < PREFETCH_MARGIN and number > 0:
            self._page(number - 1)

    def index_of(self, key: str) -> int | None:
        """Where a paper is: loaded pages first, else ask the source (slow)."""
        i = self._keys.get(key)
        if i is not None:
            return i
        return self.source.locate(key)

    def set_rows(self, rows: list[ListRow], cursor_key: str | None = None,
                 first_unread: bool = False, empty_text: str = "",
                 index: dict[str, int] | None = None) -> None:
        """Show rows held in memory; put the cursor on `cursor_key`, else the first
        unread (when asked), else the top."""
        source = ListSource(rows)
        if index is not None:
            source._index = index
        cursor = source.locate(cursor_key) if cursor_key is not None else None
        if cursor is None and first_unread:
            cursor = next((i for i, row in enumerate(rows) if not row.read), None)
        self.set_source(source, cursor or 0, empty_text=empty_text)

    def set_source(self, source: RowSource, cursor: int = 0, empty_text: str = "",
                   pages: dict[int, list[ListRow]] | None = None) -> None:
        """Show a source, with the cursor at `cursor`; `pages` already read, if any."""
        self.generations.next("source")
        self.source = source
        self._pages.clear()
        self._keys.clear()
        self._loading.clear()
        self._changes.clear()
        for number, rows in (pages or {}).items():
            self._store(number, rows)
        self.empty_text = empty_text
        self.virtual_size = Size(self.size.width, source.total)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._announced = None
        self._move(cursor, force=True)
        self.refresh()

    def update_row(self, key: str, **changes: object) -> ListRow | None:
        """Change one row in place (after a mark) and redraw it."""
        i = self._keys.get(key)
        if i is None:
            return None
        page = self._pages.get(i // PAGE)
        if page is None:
            return None
        row = replace(page[i % PAGE], **changes)
        page[i % PAGE] = row
        self._changes[key] = row
        self.source.changed(i, row)
        self.refresh_line(i)
        return row

    def marked_read(self, keys: set[str]) -> None:
        """Many papers were marked read: redraw the loaded rows, let the source know."""
        self.source.marked_read(keys)
        for page in self._pages.values():
            for i, row in enumerate(page):
                if row.key in keys and not row.read:
                    page[i] = new = replace(row, read=True)
                    self._changes[row.key] = new
        self.refresh()

    def next_unread(self, after: int) -> int | None:
        """The next unread row after `after` among the rows at hand; for a library
        source, None may mean "not loaded yet": see find_next_unread."""
        i = after + 1
        while i < self.source.total:
            page = self._page(i // PAGE, want=False)
            if page is None:
                return None
            for j in range(i % PAGE, len(page)):
                if not page[j].read:
                    return (i // PAGE) * PAGE + j
            i = (i // PAGE + 1) * PAGE
        return None

    def find_next_unread(self, after: int) -> int | None:
        """The next unread row after `after` (None: there is none) when the rows at hand
        tell; else SCANNING, and a worker reads on and posts NextUnread."""
        hit = self.next_unread(after)
        if hit is not None or self.source.local or self._loaded_to_end(after):
            return hit
        in_thread(self, partial(self._scan_unread, self.source,
                                self.generations.current("cursor"), after),
                  group="scan", exit_on_error=False)
        return SCANNING

    def _loaded_to_end(self, after: int) -> bool:
        last = (self.source.total - 1) // PAGE
        return all(n in self._pages for n in range((after + 1) // PAGE, last + 1))

    def _scan_unread(self, source: RowSource, generation: int, after: int) -> NextUnread:
        start = after + 1
        hit = None
        while start < source.total and hit is None:
            rows = source.fetch(start, PAGE * 10)
            for j, row in enumerate(rows):
                if not self._changes.get(row.key, row).read:
                    hit = start + j
                    break
            start += len(rows) or PAGE * 10
        return self.NextUnread(generation, after, hit)

    @on(NextUnread)
    def _next_unread(self, answer: NextUnread) -> None:
        if self.generations.stale(answer):
            answer.stop()  # the cursor moved (or the list changed) meanwhile

    # --- cursor ---------------------------------------------------------------

    def _move(self, index: int, force: bool = False) -> None:
        count = self.source.total
        index = max(0, min(index, count - 1)) if count else 0
        if index == self.cursor and not force:
            return
        old = self.cursor
        self.cursor = index
        self.generations.next("cursor")
        if not self._scroll_cursor_into_view() and not force:
            # Only the two lines change: redraw those, not the whole pane.
            self.refresh_line(old)
            self.refresh_line(index)
        else:
            self.refresh()
        self._prefetch()
        if self.current is not None or count == 0:
            self._announce()
        # else: announced when its page arrives

    def _announce(self) -> None:
        self._announced = self.cursor
        # From this list, whoever moved it: a message "sent" by the ListPane (set_source)
        # would stop there, and the MainScreen must hear of every move.
        self.post_message(self.Highlighted(self, self.current).set_sender(self))

    def move_to(self, index: int) -> None:
        self._move(index)

    def _scroll_cursor_into_view(self) -> bool:
        """Scroll so that the cursor is visible; whether it scrolled."""
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return False
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
            return True
        if self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
            return True
        return False

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.source.total)
        self.call_after_refresh(self._scroll_cursor_into_view)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self.source.total - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.size.height - 1))

    def on_click(self, event) -> None:
        y = event.y + round(self.scroll_offset.y)
        if 0 <= y < self.source.total:
            self._move(y)

    # --- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        index = y + round(self.scroll_offset.y)
        if index >= self.source.total:
            if index == 0 and self.empty_text:
                style = base + self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(_fit(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        line_style = base
        if index == self.cursor:
            line_style = base + self.get_component_rich_style("paper-list--cursor")
        row = self.row_at(index)
        if row is None:  # its page is on its way
            style = line_style + self.get_component_rich_style("paper-list--date", partial=True)
            return Strip([Segment(_fit("    …", width), style)], width)
        return Strip(self._segments(row, width, line_style), width)

    def _segments(self, row: ListRow, width: int, line: Style) -> list[Segment]:
        get = self.get_component_rich_style
        show_date = width >= 40
        show_tag = width >= 56
        fixed = 4 + (DATE_WIDTH + 1 if show_date else 0) + (TAG_WIDTH + 1 if show_tag else 0)
        title_width = max(1, width - fixed)
        segs = [
            Segment(" ", line),
            Segment(UNREAD_MARK if not row.read else " ",
                    line + get("paper-list--unread", partial=True)),
            Segment(STAR_MARK if row.starred else " ",
                    line + get("paper-list--star", partial=True)),
            Segment(" ", line),
        ]
        title = (DERIVED_PREFIX + row.title) if row.title_derived else row.title
        title_style = line
        if not row.read:
            title_style = title_style + get("paper-list--title-unread", partial=True)
        if row.title_derived:
            title_style = title_style + get("paper-list--derived", partial=True)
        segs.append(Segment(_fit(title, title_width - 1) + " ", title_style))
        if show_date:
            segs.append(Segment(_fit(row.date, DATE_WIDTH) + " ",
                                line + get("paper-list--date", partial=True)))
        if show_tag:
            segs.append(Segment(_fit(row.tag, TAG_WIDTH) + " ",
                                line + get("paper-list--tag", partial=True)))
        return segs

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
