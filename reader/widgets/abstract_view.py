"""The right pane: one paper in full, with the search words highlighted; it follows the
list's cursor once the cursor rests, reading the paper in a worker. The title, a line or
two of metadata, the abstract, what the digests said of it, then the details
(paper_text.py says what each part holds)."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from paperdeck.index.library import Library
from paperdeck.index.model import Paper

from ..messages import PaperLoaded, Preview
from ..paper_text import (
    AUTHORS_SHOWN,
    Spans,
    authors_line,
    details,
    highlighted,
    publication_line,
    status_line,
    summaries,
    title_content,
)
from ..services.previews import PreviewCache, read_preview
from ..workers import Generations, in_thread

PARTS = ("title", "status", "authors", "publication", "body", "summaries", "details")


class AbstractView(VerticalScroll, can_focus=True):
    """A scrolling view of one paper."""

    ALLOW_MAXIMIZE = True  # reading mode (z)

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
        self._paper: Paper | None = None
        self._texts: tuple = (None, None, None, None)

    def compose(self):
        for part in PARTS:
            yield Static("", id=f"abstract-{part}", markup=False)

    def _part(self, name: str) -> Static:
        return self.query_one(f"#abstract-{name}", Static)

    def show(self, paper: Paper | None, title_spans: Spans | None = None,
             abstract_spans: Spans | None = None, empty: str = "",
             title: str | None = None, abstract: str | None = None) -> None:
        """Show `paper` (its `title` and `abstract` as shown, LaTeX read; by default
        as the library stores them, which is as they are shown), or `empty` when there is none."""
        self.key = paper.key if paper else None
        self._paper = paper
        self._texts = (title, abstract, title_spans, abstract_spans)
        if paper is None:
            self._part("title").update(Content.styled(empty, "$text-muted italic"))
            for name in PARTS[1:]:
                self._fill(name, None)
            self.scroll_home(animate=False)
            return
        # stored as shown (LaTeX read at import): converting again could only differ
        title = paper.title if title is None else title
        abstract = paper.abstract if abstract is None else abstract
        self._part("title").update(title_content(title, paper.title_derived, title_spans))
        self._fill("status", status_line(paper, compact=self.compact))
        limit = None if self.is_maximized else AUTHORS_SHOWN  # reading mode: all of them
        self._fill("authors", authors_line(paper, limit) or None)
        self._fill("publication", publication_line(paper) or None)
        self._fill("body", highlighted(abstract, abstract_spans or []))
        self._fill("summaries", summaries(paper))
        self._fill_details()
        self.scroll_home(animate=False)

    def _fill(self, name: str, value: str | Content | None) -> None:
        part = self._part(name)
        part.display = value is not None
        part.update(value if value is not None else "")

    def _fill_details(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 40
        self._fill("details", details(self._paper, width) if self._paper else None)

    @property
    def compact(self) -> bool:
        """A small screen: a line or two of metadata above the abstract (not in reading
        mode, which has the whole screen)."""
        return self.app.size.width < 110 and not self.is_maximized

    def on_resize(self) -> None:
        # the links are broken to the pane's width (never inside the arXiv id); reading
        # mode comes and goes with a resize of the pane
        if self._paper is not None:
            self.call_after_refresh(self._reshow)

    def _reshow(self) -> None:
        if self._paper is not None:
            title, abstract, title_spans, abstract_spans = self._texts
            y = self.scroll_offset.y
            self.show(self._paper, title_spans, abstract_spans, title=title,
                      abstract=abstract)
            self.scroll_to(y=y, animate=False)

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
                  empty="Paper not found.", title=preview.title or None,
                  abstract=preview.abstract or None)
        self._shown = (key, query) if preview.paper is not None else None
