"""The tree's names (issue 10, point 3): every node's label fits the pane and differs
from its neighbours', at 80 columns too; weeks say which week they are."""

from __future__ import annotations

from rich.style import Style

from paperdeck.index.library import Library
from paperdeck.index.views import NavNode, Scope
from paperdeck.reader.labels import list_date, week_variants

from .test_first_run import assert_counts_whole
from .util import every_node, find_nav, make_app, settle


def drawn_names(tree) -> dict[int, list[str]]:
    """Each expanded node's children, by the node's id: the names as drawn (the label
    without its counts)."""
    out: dict[int, list[str]] = {}

    def walk(tn) -> None:
        names = []
        for child in tn.children:
            text = tree.render_label(child, Style(), Style()).plain
            icon = tree.ICON_NODE_EXPANDED if child.is_expanded else tree.ICON_NODE
            if child.allow_expand and text.startswith(icon):
                text = text[len(icon):]
            unread, total = tree.counts_at(child)
            assert text.endswith(f" {unread}/{total}") or text == f"{unread}/{total}", text
            names.append(text[: -len(f"{unread}/{total}")].strip())
            walk(child)
        out[tn.id] = names
    walk(tree.root)
    return out


async def load_expanded(pilot, tree, nodes: list[NavNode]) -> None:
    """Draw `nodes` in the tree, every node expanded."""
    tree.load(nodes)
    for tn in every_node(tree):
        tn.expand()
    await settle(pilot)


def test_week_names():
    assert week_variants("2024-06-30") == ["W26 · Jun 24–30", "W26 Jun 24–30", "W26"]
    assert week_variants("2024-08-04")[0] == "W31 · Jul 29–Aug 4"
    assert week_variants("2025-01-05")[0] == "W01 · Dec 30–Jan 5"
    assert week_variants("not a date") == ["not a date"]


async def test_every_node_fits_and_differs_from_its_neighbours(library: Library):
    app = make_app(library)
    for size in ((80, 24), (140, 40)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            tree = app.nav_tree_widget
            for tn in every_node(tree):
                if tn.allow_expand:
                    tn.expand()
            await settle(pilot)
            names = drawn_names(tree)
            for children in names.values():
                assert all(children), f"a nameless node among {children}"
                assert len(set(children)) == len(children), f"alike: {children}"
            june = tree.find(find_nav(library, "month", "2024-06").scope)
            *weeks, rest = names[june.id]
            assert rest == "No week"  # June's papers without a week: the children add up
            assert len(weeks) >= 4
            assert all(w.startswith("W") for w in weeks), weeks
            if size == (140, 40):
                assert {"W26 · Jun 24–30", "W26 Jun 24–30"} & set(weeks), weeks
                assert "June 2024" in names[tree.find(Scope("year", "2024")).id]
            assert_counts_whole(app)
        app = make_app(library)


async def test_counts_wider_than_the_pane_are_rounded_not_cut(library: Library):
    big = [NavNode("All", Scope("all"), 123456, 234567),
           NavNode("Dates", None, 123456, 234567, [
               NavNode("2024", Scope("year", "2024"), 99999, 123456, [
                   NavNode("June 2024", Scope("month", "2024-06"), 54321, 65432, [
                       NavNode("Week to 2024-06-30", Scope("week", "2024-06-30"),
                               12345, 23456)])])])]
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.nav_tree_widget
        await load_expanded(pilot, tree, big)
        assert_counts_whole(app)
        week = tree.render_label(tree.find(Scope("week", "2024-06-30")), Style(), Style())
        assert week.plain.endswith("12345/23456") or week.plain.endswith("12k/23k")


def test_one_date_display_at_the_precision_known():
    assert list_date("2024-06-30") == "2024-W26"
    assert list_date("2024-09") == "2024-09"
    assert list_date("2024") == "2024"
    assert list_date("Mar 11") == "????-03-11"
    assert list_date("") == ""


async def test_the_tree_shows_whatever_nodes_the_library_gives(library: Library):
    """Issue 10, point 19's reader side: "no month" and "no week" nodes (the library's
    to make) are drawn with their own labels, whole counts, beside the dated ones."""
    nav = [NavNode("Dates", None, 5, 20, [
        NavNode("2024", Scope("year", "2024"), 5, 20, [
            NavNode("June 2024", Scope("month", "2024-06"), 3, 12, [
                NavNode("Week to 2024-06-30", Scope("week", "2024-06-30"), 1, 7),
                NavNode("No week", Scope("week", "2024-06-none"), 2, 5)]),
            NavNode("No month", Scope("month", "2024-none"), 2, 8)])])]
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.nav_tree_widget
        await load_expanded(pilot, tree, nav)
        names = drawn_names(tree)
        year = tree.find(Scope("year", "2024"))
        june = tree.find(Scope("month", "2024-06"))
        assert names[year.id][1].startswith("No mo")
        assert names[june.id] == ["W26", "No week"]
        assert_counts_whole(app)
