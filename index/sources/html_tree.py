"""The tree of a saved web page, and the queries every page layout makes of it.

A Node is one element (tag, attributes, children, parent, source line); its text is
what a reader sees (entities decoded, words joined by single spaces, the TeX of
rendered math kept). Every walk is a loop over an explicit stack: a page nested ten
thousand elements deep is no recursion. html_page builds the tree from the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

# Elements whose edges separate words when a page is read as text.
BLOCK = frozenset("address article aside blockquote br caption dd details div dl dt fieldset "
                  "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main ol p pre "
                  "section summary table tbody td tfoot th thead title tr ul".split())

class Node:
    """One element: tag, attributes, children (Nodes and text strings), parent, line."""

    __slots__ = ("tag", "attrs", "children", "parent", "line")

    def __init__(self, tag: str, attrs: dict[str, str] | None, parent: Node | None, line: int):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent
        self.line = line

    def __repr__(self) -> str:
        return f"<{self.tag} line {self.line} {self.attrs or ''}>"

    def get(self, name: str, default: str = "") -> str:
        if self.attrs is None:
            return default
        value = self.attrs.get(name)
        return default if value is None else value

    @property
    def classes(self) -> list[str]:
        return self.get("class").split()

    def has_class(self, *names: str) -> bool:
        """Whether the element carries every one of `names` among its classes."""
        mine = self.classes
        return all(n in mine for n in names)

    def elements(self) -> list[Node]:
        """The child elements, without the text between them."""
        return [c for c in self.children if isinstance(c, Node)]

    def iter(self) -> Iterator[Node]:
        """Every element below this one, in document order (an explicit stack: no recursion)."""
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Node):
                    yield child
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()

    def _matching(self, tag: str | None, cls: str | tuple[str, ...],
                  where: Callable[[Node], bool] | None, attrs: dict[str, str]) -> Iterator[Node]:
        wanted = (cls,) if isinstance(cls, str) else cls
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if wanted and not node.has_class(*wanted):
                continue
            if any(node.get(k.replace("_", "-"), None) != v for k, v in attrs.items()):
                continue
            if where is not None and not where(node):
                continue
            yield node

    def find_all(self, tag: str | None = None, cls: str | tuple[str, ...] = (),
                 where: Callable[[Node], bool] | None = None, **attrs: str) -> list[Node]:
        """Elements below this one with the tag, the classes, the attribute values given."""
        return list(self._matching(tag, cls, where, attrs))

    def find(self, tag: str | None = None, cls: str | tuple[str, ...] = (),
             where: Callable[[Node], bool] | None = None, **attrs: str) -> Node | None:
        """The first element find_all would give, or None."""
        return next(self._matching(tag, cls, where, attrs), None)

    def next_element(self) -> Node | None:
        """The next sibling element, text between skipped."""
        if self.parent is None:
            return None
        siblings = self.parent.children
        for child in siblings[_index(siblings, self) + 1:]:
            if isinstance(child, Node):
                return child
        return None

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self, skip: Callable[[Node], bool] | None = None) -> str:
        """The element's text as a reader sees it: words joined by single spaces.

        `skip` leaves out the subtrees it says yes to (a "Title:" label, a "More" link).
        """
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            if item is not self and skip is not None and skip(item):
                continue
            if item.tag == "semantics" and _tex_annotation(item) is not None:
                parts.append(f" ${_tex_annotation(item)}$ ")
                continue
            block = item.tag in BLOCK
            if block:
                stack.append(" ")
            stack.extend(reversed(item.children))
            if block:
                parts.append(" ")
        return " ".join("".join(parts).split())


def _index(siblings: list, node: Node) -> int:
    for i, child in enumerate(siblings):
        if child is node:
            return i
    raise ValueError("node not among its parent's children")


def _tex_annotation(node: Node) -> str | None:
    for child in node.children:
        if isinstance(child, Node) and child.tag == "annotation" and \
                "tex" in child.get("encoding").lower():
            return "".join(c for c in child.children if isinstance(c, str)).strip()
    return None
