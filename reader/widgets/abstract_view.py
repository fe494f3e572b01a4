"""The right pane: one paper in full, with the search words highlighted; it follows the
list's cursor once the cursor rests, reading the paper in a worker."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from paperdeck.index.library import Library
from paperdeck.index.model import Paper, category_name

from ..messages import PaperLoaded
from ..services.previews import Preview, PreviewCache, read_preview
from ..workers import Generations, in_thread

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

    def __init__(self, library: Library | None = None, *, debounce: float = 0.0,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.key: str | None = None  # the paper shown
        self.library = library
        # The abstract follows the cursor once it rests (`debounce` s): holding j costs
        # one list line a key, not a database read and a relayout of this pane.
        self.debounce = debounce
        self.previews = PreviewCache()
        self.generations = Generations()  # "paper": moves on with each cursor move
        self._wanted: tuple[str, str] | None = None  # (key, query) under the cursor
        self._shown: tuple[str, str] | None = None  # (key, query) on screen
        self._timer: Timer | None = None

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

    # --- following the list's cursor ---------------------------------------------------

    def follow(self, key: str | None, query: str, empty: str = "") -> None:
        """The cursor is on paper `key` (None: on no paper; say `empty`): show it, with
        `query`'s words highlighted, once the cursor rests."""
        self.generations.next("paper")
        if key is None:
            self._wanted = self._shown = None
            self.show(None, empty=empty)
            return
        self._wanted = (key, query)
        if self.debounce <= 0:
            self._due()
        elif self._timer is None:
            self._timer = self.set_timer(self.debounce, self._due)
        else:
            self._timer.reset()  # the cursor is still moving

    def _due(self) -> None:
        self._timer = None
        wanted = self._wanted
        if wanted is None or wanted == self._shown:
            return
        cached = self.previews.get(*wanted)
        if cached is not None:
            self._present(*wanted, cached)
            return
        self._read(*wanted)

    def reload(self, key: str, query: str) -> None:
        """The paper changed (a mark): read it again."""
        self.forget(key)
        self._read(key, query)

    def forget(self, key: str | None = None) -> None:
        """Previews show the marks and sources: drop those of a changed paper (or all)."""
        self.previews.forget(key)
        self._shown = None

    def _read(self, key: str, query: str) -> None:
        generation = self.generations.next("paper")
        library = self.library
        in_thread(self, lambda: PaperLoaded(generation, key, query,
                                            read_preview(library, key, query)),
                  group="paper")

    @on(PaperLoaded)
    def _paper_loaded(self, answer: PaperLoaded) -> None:
        if answer.preview.paper is not None:
            self.previews.put(answer.key, answer.query, answer.preview)
        if self.generations.stale(answer):
            return
        self._present(answer.key, answer.query, answer.preview)

    def _present(self, key: str, query: str, preview: Preview) -> None:
        self.show(preview.paper, preview.title_spans, preview.abstract_spans,
                  empty="Paper not found.")
        self._shown = (key, query) if preview.paper is not None else None
