"""The command palette's "Go to ..." entries: every node of the navigation tree."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperdeck.index.views import Scope


def goto_text(label: str, scope: Scope) -> str:
    kind = scope.kind
    if kind in ("all", "unread", "starred", "read", "undated"):
        return f"Go to {label}"
    if kind == "category":
        return f"Go to category {label}"
    if kind == "source":
        return f"Go to source {label}"
    return f"Go to {kind} {scope.value}"


class GoToProvider(Provider):
    """Offers "Go to week 2024-06-09", "Go to category ... (cs.CL)", ..."""

    def _targets(self) -> list[tuple[str, Scope, str, Callable[[], object]]]:
        main = getattr(self.app, "main", None)  # the reader's MainScreen
        if main is None:
            return []
        out = []
        for node in main.nav_tree_widget.iter_nav():
            if node.scope is None:
                continue
            out.append((goto_text(node.label, node.scope), node.scope,
                        f"{node.unread} unread of {node.total}",
                        partial(main.goto_scope, node.scope)))
        return out

    async def discover(self) -> Hits:
        for text, scope, help_text, go in self._targets():
            if scope.kind in ("all", "unread", "starred", "read"):
                yield DiscoveryHit(text, go, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, _scope, help_text, go in self._targets():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), go, text=text, help=help_text)
