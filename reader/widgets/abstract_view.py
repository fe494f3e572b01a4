"""The right pane: one paper in full, with the search words highlighted."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from paperdeck.index.model import Paper, category_name

Spans = list[tuple[int, int]]

HIGHLIGHT = "bold reverse"


def _highlighted(text: str, spans: Spans, base: str = "") -> Content:
    content = Content.styled(text, base) if base else Content(text)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            content = content.stylize(HIGHLIGHT, start, end)
    return content


FIELDS = ("Status", "Authors", "Year", "Week", "Month", "Categories", "arXiv", "Link",
          "Sources")


def paper_fields(paper: Paper) -> dict[str, str | Content]:
    """The metadata lines of a paper, by field name (absent fields are left out)."""
    fields: dict[str, str | Content] = {}
    status = "unread" if not paper.read else "read"
    if paper.starred:
        status += ", ★ starred"
    fields["Status"] = status
    if paper.authors:
        fields["Authors"] = ", ".join(paper.authors)
    if paper.year:
        fields["Year"] = str(paper.year)
    if paper.week:
        fields["Week"] = paper.week
    if paper.month:
        fields["Month"] = paper.month
    if paper.categories:
        fields["Categories"] = "\n".join(
            f"{category_name(c)} ({c})" if category_name(c) != c else c
            for c in paper.categories)
    if paper.arxiv_id:
        fields["arXiv"] = paper.arxiv_id
        fields["Link"] = Content.styled(paper.url or "", "underline")
    else:
        fields["arXiv"] = Content.styled("no arXiv id known", "dim italic")
    lines = []
    for src in paper.sources:
        where = src.file
        if src.label:
            where += f" · {src.label}"
        lines.append(f"{where} · {src.layout} · line {src.line}")
    if lines:
        fields["Sources"] = "\n".join(lines)
    return fields


def title_content(paper: Paper, title_spans: Spans | None = None) -> Content:
    style = "bold italic" if paper.title_derived else "bold"
    content = _highlighted(paper.title, title_spans or [], style)
    if paper.title_derived:
        content = Content.assemble(("~", "bold italic"), content, "\n",
                                   ("(no title in the digests: the first sentence of the "
                                    "abstract)", "dim italic"))
    return content


class AbstractView(VerticalScroll, can_focus=True):
    """A scrolling view of one paper."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("enter", "page_down", "Page down", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.key: str | None = None

    def compose(self):
        yield Static("", id="abstract-title", markup=False)
        for name in FIELDS:
            with Horizontal(classes="field", id=f"field-{name.lower()}"):
                yield Static(name, classes="field-label", markup=False)
                yield Static("", classes="field-value", markup=False)
        yield Static("", id="abstract-body", markup=False)

    def show(self, paper: Paper | None, title_spans: Spans | None = None,
             abstract_spans: Spans | None = None, empty: str = "") -> None:
        self.key = paper.key if paper else None
        title = self.query_one("#abstract-title", Static)
        body = self.query_one("#abstract-body", Static)
        fields = paper_fields(paper) if paper else {}
        for name in FIELDS:
            row = self.query_one(f"#field-{name.lower()}", Horizontal)
            value = fields.get(name)
            row.display = value is not None
            if value is not None:
                row.query_one(".field-value", Static).update(value)
        if paper is None:
            title.update(Content.styled(empty, "dim italic"))
            body.update("")
        else:
            title.update(title_content(paper, title_spans))
            body.update(_highlighted(paper.abstract, abstract_spans or []))
        self.scroll_home(animate=False)

    def plain_text(self) -> str:
        """Everything shown, as plain text (for tests and tools)."""
        parts = []
        for static in self.query(Static):
            if static.display and (static.parent is None or static.parent.display):
                parts.append(str(static.render()))
        return "\n".join(parts)
