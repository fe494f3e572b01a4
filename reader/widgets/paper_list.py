"""The middle pane: the papers of a scope or of a search, one line each.

A ScrollView that draws only the visible lines (``render_line``), so a list of
100,000 rows opens and scrolls as fast as a list of ten.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.views import ListRow

UNREAD_MARK = "●"
STAR_MARK = "★"
DERIVED_PREFIX = "~"
DATE_WIDTH = 10
TAG_WIDTH = 8


def build_index(rows: list[ListRow]) -> dict[str, int]:
    return {row.key: i for i, row in enumerate(rows)}


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
        Binding("enter", "app.open_paper", "Open the paper (focus the abstract)", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another paper (or the list changed)."""

        def __init__(self, paper_list: PaperList, row: ListRow | None) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.row = row

    class Opened(Message):
        """Enter was pressed on a paper."""

        def __init__(self, paper_list: PaperList, row: ListRow) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.row = row

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: list[ListRow] = []
        self.cursor: int = 0
        self.empty_text: str = ""
        self._index: dict[str, int] | None = None

    # --- data -----------------------------------------------------------------

    @property
    def current(self) -> ListRow | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def index_of(self, key: str) -> int | None:
        if self._index is None:
            self._index = build_index(self.rows)
        return self._index.get(key)

    def set_rows(self, rows: list[ListRow], cursor_key: str | None = None,
                 first_unread: bool = False, empty_text: str = "",
                 index: dict[str, int] | None = None) -> None:
        """Replace the rows; put the cursor on `cursor_key`, else the first unread
        (when asked), else the top. `index` (key to position) may be built beforehand
        in a worker thread, for long lists."""
        self.rows = rows
        self._index = index
        self.empty_text = empty_text
        cursor = None
        if cursor_key is not None:
            cursor = self.index_of(cursor_key)
        if cursor is None and first_unread:
            cursor = next((i for i, row in enumerate(rows) if not row.read), None)
        self.virtual_size = Size(self.size.width, len(rows))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._move(cursor or 0, force=True)
        self.refresh()

    def update_row(self, key: str, **changes: object) -> ListRow | None:
        """Change one row in place (after a mark) and redraw it."""
        i = self.index_of(key)
        if i is None:
            return None
        row = replace(self.rows[i], **changes)
        self.rows[i] = row
        self.refresh()
        return row

    def next_unread(self, after: int) -> int | None:
        for i in range(after + 1, len(self.rows)):
            if not self.rows[i].read:
                return i
        return None

    # --- cursor ---------------------------------------------------------------

    def _move(self, index: int, force: bool = False) -> None:
        count = len(self.rows)
        index = max(0, min(index, count - 1)) if count else 0
        if index == self.cursor and not force:
            return
        self.cursor = index
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def move_to(self, index: int) -> None:
        self._move(index)

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.call_after_refresh(self._scroll_cursor_into_view)

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self._move(self.cursor - max(1, self.size.height - 1))

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event) -> None:
        y = event.y + round(self.scroll_offset.y)
        if 0 <= y < len(self.rows):
            self._move(y)

    # --- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        index = y + round(self.scroll_offset.y)
        if index >= len(self.rows):
            if index == 0 and self.empty_text:
                style = base + self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(_fit(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        row = self.rows[index]
        cursor = index == self.cursor
        line_style = base
        if cursor:
            line_style = base + self.get_component_rich_style("paper-list--cursor")
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
