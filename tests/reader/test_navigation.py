"""Starting, navigating the tree, the list and the abstract."""

from __future__ import annotations

from textual.widgets import Static

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.labels import scope_title
from paperdeck.reader.widgets.abstract_view import AbstractView
from paperdeck.reader.widgets.paper_list import PaperList

from .util import find_nav, make_app, settle


async def test_first_run_imports_the_sample(empty_lib: Library, monkeypatch):
    assert empty_lib.is_empty()
    shown: list[str] = []
    real_update = Static.update

    def record(self, content="", **kwargs):
        if self.id == "list-header":
            shown.append(str(content))
        return real_update(self, content, **kwargs)

    monkeypatch.setattr(Static, "update", record)
    app = make_app(empty_lib)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert not empty_lib.is_empty()
        # a visible notice while the sample was imported, with its progress
        assert any("importing" in text.lower() for text in shown)
        assert any(text.startswith("Importing the sample digests:") for text in shown)
        unread, total = empty_lib.counts(Scope())
        assert total > 500
        assert app.scope == Scope()
        assert len(app.papers.rows) == total
        assert app.list_sort == "newest"
        first_unread = next(i for i, r in enumerate(app.papers.rows) if not r.read)
        assert app.papers.cursor == first_unread
        assert f"{total:,} papers" in str(app.header.render())
        assert app.nav_tree_widget.counts_of(Scope()) == (unread, total)
        # the abstract shows the paper under the cursor
        assert app.abstract.key == app.papers.current.key


async def test_opens_on_all_newest_first(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        rows = app.papers.rows
        assert [r.key for r in rows] == [r.key for r in library.rows(Scope(), "newest")]
        assert isinstance(app.focused, PaperList)


async def select_in_tree(pilot, scope: Scope) -> None:
    app = pilot.app
    app.nav_tree_widget.focus()
    app.nav_tree_widget.reveal(scope)
    await settle(pilot)
    assert app.nav_tree_widget.cursor_node.data == scope
    await pilot.press("enter")
    await settle(pilot)


async def test_select_week_category_source(library: Library):
    week = find_nav(library, "week").scope
    category = find_nav(library, "category", "cs.CL").scope
    source = find_nav(library, "source").scope
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        for scope in (week, category, source):
            await select_in_tree(pilot, scope)
            unread, total = library.counts(scope)
            assert app.scope == scope
            assert len(app.papers.rows) == total
            assert {r.key for r in app.papers.rows} == {r.key for r in library.rows(scope)}
            header = str(app.header.render())
            assert scope_title(scope) in header and f"{total:,} paper" in header
            assert isinstance(app.focused, PaperList)


async def test_moving_in_the_tree_lists_the_node(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab")  # list -> tree
        assert app.focused is app.nav_tree_widget
        await pilot.press("down")  # All -> Unread
        await settle(pilot)
        assert app.scope == Scope("unread")
        assert len(app.papers.rows) == library.counts(Scope("unread"))[1]


async def test_keys_move_and_preview_without_marking(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        start = app.papers.cursor
        await pilot.press("j", "j", "down")
        await settle(pilot)
        assert app.papers.cursor == start + 3
        key = app.papers.current.key
        assert app.abstract.key == key
        assert not library.paper(key).read  # a preview is not a read
        await pilot.press("k")
        assert app.papers.cursor == start + 2
        await pilot.press("G")
        assert app.papers.cursor == len(app.papers.rows) - 1
        await pilot.press("g")
        assert app.papers.cursor == 0


async def test_enter_opens_and_tab_cycles_panes(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.focused, AbstractView)
        await pilot.press("tab")
        assert app.focused is app.nav_tree_widget
        await pilot.press("tab")
        assert isinstance(app.focused, PaperList)


async def test_abstract_shows_everything(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        # a paper with an arXiv id, categories and two sources if there is one
        target = None
        for i, row in enumerate(app.papers.rows):
            paper = library.paper(row.key)
            if paper.arxiv_id and paper.categories:
                target = (i, paper)
                if len(paper.sources) > 1:
                    break
        assert target is not None
        app.papers.move_to(target[0])
        await settle(pilot)
        paper = target[1]
        text = app.abstract.plain_text()
        assert paper.title in text
        assert paper.arxiv_id in text and paper.url in text
        if paper.authors:
            assert paper.authors[0] in text
        for code in paper.categories:
            assert f"({code})" in text or code in text
        for src in paper.sources:
            assert src.file in text
        assert paper.abstract[:40] in text
