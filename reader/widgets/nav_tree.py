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

from ..messages import CountsLoaded
from ..workers import Generations, in_thread


def node_id(node: NavNode) -> str:
    return node.scope.encode() if node.scope is not None else "heading:" + node.label


def display_name(node: NavNode) -> str:
    """Codes and layouts first, so that a narrow pane still shows what matters."""
    scope = node.scope
    if scope is None:
        return node.label
    if scope.kind == "category" and scope.value:
        name = node.label
        suffix = f" ({scope.value})"
        if name.endswith(suffix):
            name = name[: -len(suffix)]
        return scope.value if name == scope.value else f"{scope.value} {name}"
    if scope.kind == "source" and scope.value:
        rest = node.label[len(scope.value):].strip() if node.label.startswith(scope.value) \
            else ""
        if rest.startswith("(") and rest.endswith(")"):
            return f"{rest[1:-1]} {scope.value}"
    return node.label


def node_label(node: NavNode) -> Text:
    return Text(display_name(node), style="bold" if node.scope is None else "")


def counts_text(unread: int, total: int) -> str:
    return f"{unread}/{total}"


def iter_nav(nodes: list[NavNode]):
    """Every node of a navigation tree, depth first."""
    for n in nodes:
        yield n
        yield from iter_nav(n.children)


def find_nav(nodes: list[NavNode], scope: Scope) -> NavNode | None:
    return next((n for n in iter_nav(nodes) if n.scope == scope), None)


class NavTree(Tree[Scope | None]):
    """A Tree of NavNodes whose labels can be refreshed in place."""

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
        shape = self._shape_of(nodes)
        if shape == self._shape and self._by_id:
            self._relabel(nodes)
            return
        expanded = {key for key, tn in self._by_id.items() if tn.is_expanded}
        first = not self._by_id
        self.clear()
        self._by_id = {}
        self._counts = {}
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

    def _relabel(self, nodes: list[NavNode]) -> None:
        for node in nodes:
            tn = self._by_id.get(node_id(node))
            if tn is not None:
                counts = (node.unread, node.total)
                if self._counts.get(tn.id) != counts:
                    self._counts[tn.id] = counts
                    tn.set_label(node_label(node))
            self._relabel(node.children)

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
        return max(4, width - self._level(tn) * self.guide_depth - prefix)

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        counts = self._counts.get(node.id)
        if counts is None:
            return super().render_label(node, base_style, style)
        avail = self._available(node)
        right = counts_text(*counts)
        name = node.label.plain if isinstance(node.label, Text) else str(node.label)
        room = avail - cell_len(right) - 1
        if room < 3:
            label = Text(set_cell_size(name, avail), style=style)
        else:
            if cell_len(name) > room:
                name = set_cell_size(name, room - 1) + "…"
            label = Text(set_cell_size(name, room) + " ", style=style)
            label.append(right, style=style + Style(dim=counts[0] == 0,
                                                    bold=counts[0] > 0))
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + Style(bold=True)), label)
        return label

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
        return None if tn is None else self._counts.get(tn.id)

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
