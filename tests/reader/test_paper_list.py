"""The middle pane draws only what is visible, so 100,000 rows cost what 40 rows cost."""

from __future__ import annotations

from textual.app import App

from paperdeck.index.views import ListRow
from paperdeck.reader.widgets.paper_list import PaperList


def many_rows(n: int) -> list[ListRow]:
    return [ListRow(key=f"k{i}", title=f"Paper number {i}", title_derived=i % 7 == 0,
                    date="2024-06-30", tag="cs.CL", read=i % 3 == 0, starred=i % 11 == 0)
            for i in range(n)]


class ListApp(App):
    def compose(self):
        yield PaperList(id="papers")


async def test_a_huge_list_draws_only_the_visible_lines(monkeypatch):
    drawn: list[str] = []
    segments = PaperList._segments

    def counting(self, row, width, line):
        drawn.append(row.key)
        return segments(self, row, width, line)

    monkeypatch.setattr(PaperList, "_segments", counting)
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        papers = app.query_one(PaperList)
        papers.focus()
        papers.set_rows(many_rows(100_000), first_unread=True)
        await pilot.pause()
        assert papers.cursor == 1  # rows 0, 3, 6... are read
        assert 0 < len(drawn) <= 2 * 30
        drawn.clear()
        await pilot.press("G")
        await pilot.pause()
        assert papers.cursor == 99_999
        assert papers.scroll_offset.y > 99_000
        assert len(drawn) <= 2 * 30
        assert "k99999" in drawn
        await pilot.press("g", "j", "j")
        assert papers.cursor == 2


async def test_set_rows_keeps_the_cursor_on_a_key():
    app = ListApp()
    async with app.run_test(size=(100, 30)) as pilot:
        papers = app.query_one(PaperList)
        papers.set_rows(many_rows(1000), cursor_key="k500")
        await pilot.pause()
        assert papers.current.key == "k500"
        assert papers.scroll_offset.y <= 500 < papers.scroll_offset.y + papers.size.height
        assert papers.next_unread(500) == 502
        papers.update_row("k500", read=True, starred=True)
        assert papers.current.read and papers.current.starred
