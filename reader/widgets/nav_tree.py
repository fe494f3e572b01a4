"""The left pane: smart lists, Year > Month > Week, categories and sources, with counts
(read again in a worker when marks or an import change them)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from paperdeck.index.library import Library
from paperdeck.index.views import NavNode, Scope

from ..labels import MAY_CUT, node_variants, sibling_names
from ..messages import CountsLoaded
from ..workers import Generations, in_thread


def node_id(node: NavNode) -> str:
    return node.scope.encode() if node.scope is not None else "heading:" + node.label


def node_label(node: NavNode) -> Text:
    """The node's longest name (the tree draws the variant that fits: `render_label`)."""
    return Text(node_variants(node)[0], style="bold" if node.scope is None else "")


def counts_text(unread: int, total: int, room: int | None = None) -> str:
    """`unread/total`; in a room too small for them, the same rounded (`12k/120k`)."""
    text = f"{unread}/{total}"
    if room is None or cell_len(text) <= room:
        return text
    return f"{_short(unread)}/{_short(total)}"


def _short(n: int) -> str:
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n // 1_000_000}M"


def iter_nav(nodes: list[NavNode]):
    """Every node of a navigation tree, depth first."""
    for n in nodes:
        yield n
        yield from iter_nav(n.children)


def find_nav(nodes: list[NavNode], scope: Scope) -> NavNode | None:
    return next((n for n in iter_nav(nodes) if n.scope == scope), None)


class NavTree(Tree[Scope | None]):
    """A Tree of NavNodes whose labels can be refreshed in place."""

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {"nav-tree--none-unread"}

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "scroll_home_cursor", "Top", show=False),
        Binding("G,end", "scroll_end_cursor", "Bottom", show=False),
        Binding("l,right", "expand_here", "Expand", show=False),
        Binding("h,left", "collapse_here", "Collapse", show=False),
    ]

    def __init__(self, library: Library | None = None, *, counts_debounce: float = 0.0,
                 id: str | None = None, classes: str | None = None) -> None:
        self.library = library
        # Counts (a GROUP BY over every paper) once marks made in a row have settled.
        self.counts_debounce = counts_debounce
        self.generations = Generations()  # "counts": moves on with each recount
        self._counts_timer: Timer | None = None
        self._by_id: dict[str, TreeNode[Scope | None]] = {}
        self._shape: list = []
        self._counts: dict[int, tuple[int, int]] = {}
        self._names: dict[int, list[str]] = {}  # each node's names, longest first
        # The names drawn, by (parent, pane width): chosen for a whole group at once.
        self._drawn: dict[tuple[int, int], dict[int, str]] = {}
        self.nav: list[NavNode] = []
        self._room = -1  # the width the labels were last cut to
        super().__init__("Library", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2

    # --- counting -----------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Recount, once a run of marks has settled."""
        if self.counts_debounce <= 0:
            self.count_now()
            return
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(self.counts_debounce, self.count_now)

    def count_now(self) -> None:
        generation = self.generations.next("counts")
        library = self.library
        in_thread(self, lambda: CountsLoaded(generation, library.nav_tree()), group="counts")

    @on(CountsLoaded)
    def _counts_loaded(self, answer: CountsLoaded) -> None:
        if self.generations.stale(answer):
            answer.stop()  # a newer count is on its way
            return
        self.load(answer.nav)

    # --- building ---------------------------------------------------------------

    @staticmethod
    def _shape_of(nodes: list[NavNode]) -> list:
        return [(node_id(n), NavTree._shape_of(n.children)) for n in nodes]

    def load(self, nodes: list[NavNode]) -> None:
        """Show `nodes`; labels only are changed when the shape is the same."""
        self.nav = nodes
        self._drawn.clear()
        shape = self._shape_of(nodes)
        if shape == self._shape and self._by_id:
            if self._relabel(nodes):
                self._invalidate()  # a count's width may change its siblings' names
            return
        expanded = {key for key, tn in self._by_id.items() if tn.is_expanded}
        first = not self._by_id
        self.clear()
        self._by_id = {}
        self._counts = {}
        self._names = {}
        self._shape = shape
        self._add(self.root, nodes, expanded, first, depth=0)
        self.root.expand()

    def _add(self, parent: TreeNode, nodes: list[NavNode], expanded: set[str],
             first: bool, depth: int) -> None:
        for node in nodes:
            key = node_id(node)
            if node.children:
                tn = parent.add(node_label(node), data=node.scope)
                self._add(tn, node.children, expanded, first, depth + 1)
                if key in expanded or (first and depth == 0):
                    tn.expand()
            else:
                tn = parent.add_leaf(node_label(node), data=node.scope)
            self._by_id[key] = tn
            # Headings count too: "Categories 40/120" says how much is filed there.
            self._counts[tn.id] = (node.unread, node.total)
            self._names[tn.id] = node_variants(node)

    def _relabel(self, nodes: list[NavNode]) -> bool:
        """New counts on the same nodes; whether any changed."""
        changed = False
        for node in nodes:
            tn = self._by_id.get(node_id(node))
            if tn is not None:
                counts = (node.unread, node.total)
                if self._counts.get(tn.id) != counts:
                    self._counts[tn.id] = counts
                    tn.set_label(node_label(node))
                    changed = True
            changed = self._relabel(node.children) or changed
        return changed

    # --- drawing: the name cut to the pane, the counts right-aligned -------------

    def _level(self, tn: TreeNode) -> int:
        level = 0
        parent = tn.parent
        while parent is not None and not parent.is_root:
            level += 1
            parent = parent.parent
        return level

    def _available(self, tn: TreeNode) -> int:
        width = self.scrollable_content_region.width or self.size.width
        prefix = 2 if tn.allow_expand else 0
        return max(1, width - self._level(tn) * self.guide_depth - prefix)

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        counts = self._counts.get(node.id)
        if counts is None:
            return super().render_label(node, base_style, style)
        avail = self._available(node)
        right = counts_text(*counts, room=avail)
        # The counts are never cut: the name gets what room they leave (a variant that
        # fits, see labels.py), down to nothing in a very narrow pane.
        room = max(0, avail - cell_len(right) - 1)
        name = self._drawn_name(node) if room else ""
        label = Text(set_cell_size(name, room) + (" " if room else ""), style=style)
        if counts[0]:
            label.append(right, style=style + Style(bold=True))
        else:  # muted in the theme's colour, resolved over the pane (not `dim`: too faint)
            muted = Style(color=self.get_visual_style("nav-tree--none-unread").rich_style.color)
            label.append(right, style=style + muted)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + Style(bold=True)), label)
        return label

    def _drawn_name(self, node: TreeNode) -> str:
        """The name drawn for a node: chosen with its siblings' (labels.sibling_names),
        for the room the pane leaves beside each one's counts."""
        parent = node.parent
        if parent is None:
            return str(node.label)
        key = (parent.id, self.scrollable_content_region.width)
        names = self._drawn.get(key)
        if names is None:
            siblings = []
            for child in parent.children:
                avail = self._available(child)
                counts = counts_text(*self._counts.get(child.id, (0, 0)), room=avail)
                kind = child.data.kind if child.data is not None else None
                siblings.append((self._names.get(child.id) or [str(child.label)],
                                 avail - cell_len(counts) - 1, kind in MAY_CUT))
            names = self._drawn[key] = dict(zip([c.id for c in parent.children],
                                                sibling_names(siblings), strict=True))
        return names.get(node.id, "")

    def get_label_width(self, node: TreeNode) -> int:
        return self.render_label(node, Style(), Style()).cell_len

    def label_of(self, scope: Scope) -> str:
        """The text of a node as drawn (name and unread/total), for tests and tools."""
        tn = self.find(scope)
        if tn is None:
            return ""
        counts = self._counts.get(tn.id, (0, 0))
        return f"{tn.label} {counts_text(*counts)}"

    def counts_of(self, scope: Scope) -> tuple[int, int] | None:
        tn = self.find(scope)
        return None if tn is None else self.counts_at(tn)

    def counts_at(self, tn: TreeNode) -> tuple[int, int] | None:
        """The (unread, total) a node of the tree shows (None before it has counts)."""
        return self._counts.get(tn.id)

    def on_resize(self) -> None:
        self._invalidate()

    def render_lines(self, crop):
        # Labels are cut to the room beside the scrollbar: when the scrollbar comes or
        # goes without a resize (the first load), they are drawn again for the new room.
        room = self.scrollable_content_region.width
        if room != self._room:
            self._room = room
            self._invalidate()
        return super().render_lines(crop)

    # --- lookups ------------------------------------------------------------------

    def find(self, scope: Scope) -> TreeNode[Scope | None] | None:
        return self._by_id.get(scope.encode())

    def find_nav(self, scope: Scope) -> NavNode | None:
        return find_nav(self.nav, scope)

    def iter_nav(self):
        return iter_nav(self.nav)

    def next_with_unread(self, scope: Scope) -> NavNode | None:
        """The next node of the same kind as `scope` (the next week, category, source...,
        in the tree's order, round to the first) that has unread papers."""
        if scope.kind in ("all", "unread", "starred", "read", "undated"):
            return None
        alike = [n for n in iter_nav(self.nav) if n.scope is not None
                 and n.scope.kind == scope.kind]
        here = next((i for i, n in enumerate(alike) if n.scope == scope), None)
        if here is None:
            return None
        return next((n for n in alike[here + 1:] + alike[:here] if n.unread > 0), None)

    def reveal(self, scope: Scope) -> None:
        """Expand the ancestors of the scope's node and put the cursor on it."""
        tn = self.find(scope)
        if tn is None:
            return
        parent = tn.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self._cursor_to, tn)

    def _cursor_to(self, tn: TreeNode) -> None:
        if tn.is_root:
            return
        try:
            self.move_cursor(tn)
        except Exception:  # the node vanished after a reload
            pass

    # --- actions ------------------------------------------------------------------

    def action_scroll_home_cursor(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(0)

    def action_scroll_end_cursor(self) -> None:
        if self.last_line >= 0:
            self.move_cursor_to_line(self.last_line)

    def action_expand_here(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse_here(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)
