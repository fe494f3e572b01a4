"""Search as you type: fields, phrases, scope, enter/esc, suggestions, stale results."""

from __future__ import annotations

from paperdeck.index.library import Library
from paperdeck.index.views import Scope
from paperdeck.reader.widgets.paper_list import PaperList
from paperdeck.reader.widgets.search_box import SearchBox

from ..helpers import hold, wait_until
from .util import find_nav, make_app, settle, type_text


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    assert isinstance(pilot.app.focused, SearchBox)
    await type_text(pilot, query)
    await settle(pilot)


async def test_search_with_a_field(library: Library):
    expected = library.search("title:attention", scope=Scope())
    assert expected.total > 0
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "title:attention")
        assert app.query_text == "title:attention"
        assert [r.key for r in app.papers.rows] == [r.key for r in expected.rows]
        assert all("attention" in r.title.lower() for r in app.papers.rows)
        assert f"{expected.total:,} match" in str(app.header.render())


async def test_search_with_a_phrase_highlights_it(library: Library):
    query = '"language model"'
    expected = library.search(query, scope=Scope())
    assert 0 < expected.total
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, query)
        assert [r.key for r in app.papers.rows] == [r.key for r in expected.rows]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, PaperList)
        body = app.abstract.query_one("#abstract-body").render()
        paper = library.paper(app.papers.current.key)
        spans = library.highlight_spans(paper.abstract, query)
        assert spans
        highlighted = {body.plain[s.start:s.end].lower() for s in body.spans
                       if "reverse" in str(s.style)}
        assert {"language", "model"} & {w.split()[0] for w in highlighted if w}


async def test_search_is_scoped_to_the_node(library: Library):
    scope = find_nav(library, "category", "cs.CL").scope
    everywhere = library.search("language", scope=Scope()).total
    scoped = library.search("language", scope=scope)
    assert 0 < scoped.total < everywhere
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.goto_scope(scope)
        await settle(pilot)
        await search(pilot, "language")
        assert len(app.papers.rows) == scoped.total
        assert {r.key for r in app.papers.rows} == {r.key for r in scoped.rows}
        assert scope.label in str(app.header.render())


async def test_selecting_a_node_while_searching_rescopes_the_search(library: Library):
    scope = find_nav(library, "category", "cs.CL").scope
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "language")
        assert len(app.papers.rows) == library.search("language", scope=Scope()).total
        await pilot.press("enter")
        app.goto_scope(scope)
        await settle(pilot)
        assert app.query_text == "language"
        assert len(app.papers.rows) == library.search("language", scope=scope).total
        await pilot.press("escape")  # back to the node's own list
        await settle(pilot)
        assert len(app.papers.rows) == library.counts(scope)[1]


async def test_enter_goes_to_results_and_esc_returns(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        all_rows = len(app.papers.rows)
        await search(pilot, "bitdelta")
        assert len(app.papers.rows) == library.search("bitdelta").total
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)
        await pilot.press("escape")
        await settle(pilot)
        assert app.search_box.value == ""
        assert not app.searching
        assert len(app.papers.rows) == all_rows
        assert isinstance(app.focused, PaperList)
        # esc inside the search box too
        await search(pilot, "bitdelta")
        await pilot.press("escape")
        await settle(pilot)
        assert app.search_box.value == "" and len(app.papers.rows) == all_rows


async def test_no_match_offers_the_suggestion(library: Library):
    result = library.search("transfomer", scope=Scope())
    assert result.total == 0 and result.suggestion
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "transfomer")
        assert app.papers.rows == []
        assert "No match" in str(app.header.render())
        assert result.suggestion in app.papers.empty_text
        await pilot.press("enter")  # accepts the suggestion
        await settle(pilot)
        assert app.search_box.value == result.suggestion
        assert len(app.papers.rows) == library.search(result.suggestion).total > 0


async def test_ctrl_d_accepts_the_suggestion(library: Library):
    suggestion = library.search("transfomer").suggestion
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "transfomer")
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert app.search_box.value == suggestion and app.papers.rows


async def test_sort_cycles_while_searching(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "attention")
        assert app.search_sort == "relevance"
        await pilot.press("enter", "o")
        await settle(pilot)
        assert app.search_sort == "newest"
        expected = library.search("attention", scope=Scope(), sort="newest")
        assert [r.key for r in app.papers.rows] == [r.key for r in expected.rows]
        await pilot.press("o")
        await settle(pilot)
        assert app.search_sort == "title"
        titles = [r.title.lower() for r in app.papers.rows]
        assert titles == [r.title.lower() for r in
                          library.search("attention", scope=Scope(), sort="title").rows]


async def test_sort_cycles_a_node_list(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.list_sort == "title"
        assert [r.key for r in app.papers.rows] == [r.key for r in
                                                    library.rows(Scope(), "title")]
        await pilot.press("o")
        await settle(pilot)
        assert app.list_sort == "newest"


async def test_a_stale_result_never_replaces_a_fresh_one(library: Library):
    real_search = library.search
    # The older query finishes last.
    with hold(library, "search", when=lambda query, **kwargs: query == "atten",
              timeout=5) as slow:
        app = make_app(library)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await type_text(pilot, "atten")
            await wait_until(pilot, slow.reached.is_set, what="the slow search to run")
            await type_text(pilot, "tion")
            await wait_until(pilot, lambda: app.result is not None
                             and app.result.query == "attention",
                             what="the fresh search to be answered")
            # keys are answered while the slow search runs
            await pilot.press("enter", "j")
            assert app.papers.cursor == 1
            slow.release()
            await settle(pilot)
            assert app.query_text == "attention"
            assert [r.key for r in app.papers.rows] == [
                r.key for r in real_search("attention", scope=Scope()).rows]


async def test_a_key_is_answered_while_a_search_runs(library: Library):
    with hold(library, "search", timeout=5) as running:
        app = make_app(library)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            start = app.papers.cursor
            await pilot.press("slash")
            await type_text(pilot, "model")
            await wait_until(pilot, running.reached.is_set, what="the search to run")
            assert running.reached.is_set()
            await pilot.press("tab", "j", "j")  # the search is still running
            assert isinstance(app.focused, PaperList)
            assert app.papers.cursor == start + 2
            assert app.result is None  # no result yet
            running.release()
            await settle(pilot)
            assert app.result is not None and app.result.query == "model"


async def test_a_bad_query_shows_an_error_and_no_crash(library: Library, monkeypatch):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await search(pilot, 'rag is:bogus')
        assert app.is_running
        header = str(app.header.render())
        assert "is:bogus" in header
