"""A scope selects the same papers whether SQLite filters (lists, searches sorted by a
column) or the search index does (searches by relevance): one table feeds both."""

from __future__ import annotations

import pytest

from paperdeck.index.query import STATUSES
from paperdeck.index.scopes import KINDS
from paperdeck.index.views import SCOPE_KINDS


def every_scope(nodes):
    for node in nodes:
        if node.scope is not None:
            yield node.scope
        yield from every_scope(node.children)


def test_the_table_has_every_scope_kind_and_status():
    assert set(KINDS) == set(SCOPE_KINDS) | set(STATUSES)


@pytest.mark.parametrize("flag", ["", "is:unread", "is:read", "is:starred", "is:unstarred"])
def test_sql_and_index_select_the_same_papers_for_every_scope(sample_lib, flag):
    rows = sample_lib.rows()
    sample_lib.mark_read([r.key for r in rows[::3]])
    sample_lib.set_starred_many([r.key for r in rows[::5]], True)
    scopes = sorted(set(every_scope(sample_lib.nav_tree())), key=lambda s: s.encode())
    assert {s.kind for s in scopes} == set(SCOPE_KINDS)  # the sample has every kind
    matched = 0
    for scope in scopes:
        query = f"model {flag}".strip()
        by_index = sample_lib.search(query, scope)  # relevance: the index's filter
        by_sql = sample_lib.search(query, scope, sort="newest")  # SQLite's WHERE
        assert by_index.total == by_sql.total, scope
        assert {r.key for r in by_index.rows} == {r.key for r in by_sql.rows}, scope
        matched += by_index.total > 0
    assert matched > len(scopes) // 2  # most scopes have a paper about a model
