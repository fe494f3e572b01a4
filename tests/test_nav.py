"""The navigation tree's counts add up (issue 10, point 19): every node's children hold
all of its papers, and every count is what listing the node shows."""

from __future__ import annotations

from paperdeck.index.views import NavNode, Scope


def _walk(nodes: list[NavNode]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _keys(lib, node: NavNode) -> set[str]:
    return {r.key for r in lib.rows(node.scope)}


def _marked(lib) -> None:
    rows = lib.rows()
    lib.mark_read([r.key for r in rows[::3]])
    lib.set_starred_many([r.key for r in rows[::4]], True)


def test_every_node_s_children_hold_all_its_papers(sample_lib):
    _marked(sample_lib)
    tree = sample_lib.nav_tree()
    everything = {r.key for r in sample_lib.rows()}
    checked = 0
    for node in _walk(tree):
        if not node.children:
            continue
        held = set().union(*(_keys(sample_lib, c) for c in node.children))
        mine = _keys(sample_lib, node) if node.scope else held
        assert held == mine, node.label
        if node.label in ("Dates",) or (node.scope and node.scope.kind in ("year", "month")):
            # a paper has one date: the children of a date node do not overlap, and add up
            assert sum(c.total for c in node.children) == node.total, node.label
            assert sum(c.unread for c in node.children) == node.unread, node.label
        checked += 1
    dates = next(n for n in tree if n.label == "Dates")
    assert set().union(*(_keys(sample_lib, c) for c in dates.children)) == everything
    assert checked > 10


def test_the_issue_s_year_and_month_add_up(sample_lib):
    """Year 2024 showed 155 but its months 143; June 43 but its weeks 38."""
    dates = next(n for n in sample_lib.nav_tree() if n.label == "Dates")
    y2024 = next(n for n in dates.children if n.scope == Scope("year", "2024"))
    june = next(n for n in y2024.children if n.scope == Scope("month", "2024-06"))
    assert sum(c.total for c in y2024.children) == y2024.total
    assert sum(c.total for c in june.children) == june.total
    no_month = y2024.children[-1]
    no_week = june.children[-1]
    assert (no_month.label, no_month.scope) == ("No month", Scope("no-month", "2024"))
    assert (no_week.label, no_week.scope) == ("No week", Scope("no-week", "2024-06"))
    assert no_month.total == len(sample_lib.rows(no_month.scope)) > 0
    no_month_keys = {r.key for r in sample_lib.rows(no_month.scope)}
    assert no_month_keys <= {r.key for r in sample_lib.rows(y2024.scope)}
    assert all(p.month is None for p in sample_lib.papers(no_month_keys))
    assert all(p.week is None and p.month == "2024-06"
               for p in sample_lib.papers(r.key for r in sample_lib.rows(no_week.scope)))


def test_every_count_is_the_length_of_the_node_s_list(sample_lib):
    _marked(sample_lib)
    for node in _walk(sample_lib.nav_tree()):
        if node.scope is None:
            continue
        unread, total = sample_lib.counts(node.scope)
        rows = sample_lib.rows(node.scope)
        assert total == len(rows), node.label
        if node.scope.kind not in ("unread", "starred", "read"):  # smart lists count their own way
            assert (node.unread, node.total) == (unread, total), node.label
        assert sum(not r.read for r in rows) == unread, node.label


def test_a_month_without_weeks_or_a_year_without_months_gets_no_lone_rest_node(sample_lib):
    dates = next(n for n in sample_lib.nav_tree() if n.label == "Dates")
    for node in _walk(dates.children):
        if node.scope and node.scope.kind in ("no-month", "no-week"):
            continue
        kinds = [c.scope.kind for c in node.children]
        assert kinds != ["no-month"] and kinds != ["no-week"], node.label


def test_labels_of_the_rest_nodes():
    assert Scope("no-month", "2024").label == "2024, no month"
    assert Scope("no-week", "2024-06").label == "2024-06, no week"
    assert Scope.decode(Scope("no-week", "2024-06").encode()) == Scope("no-week", "2024-06")
