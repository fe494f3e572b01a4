"""The abstract pane's previews: a paper read in full with the spans of the search words
(in a worker), and the last PREVIEW_CACHE of them kept, so that going back is instant."""

from __future__ import annotations

from collections import OrderedDict

from paperdeck.index.library import Library

from ..messages import Preview

PREVIEW_CACHE = 64


def read_preview(library: Library, key: str, query: str) -> Preview:
    """(In a worker.) The paper, its title and abstract as shown (LaTeX as Unicode), and
    where the query's words are in those."""
    paper = library.paper(key)
    if paper is None:
        return Preview(None)
    # stored and indexed as shown (LaTeX read at import): the spans are the index's words
    title, abstract = paper.title, paper.abstract
    if not query:
        return Preview(paper, title=title, abstract=abstract)
    return Preview(paper, library.highlight_spans(title, query),
                   library.highlight_spans(abstract, query), title, abstract)


class PreviewCache:
    """The most recent previews by (paper key, query), the least recently used dropped."""

    def __init__(self, size: int = PREVIEW_CACHE) -> None:
        self.size = size
        self._previews: OrderedDict[tuple[str, str], Preview] = OrderedDict()

    def get(self, key: str, query: str) -> Preview | None:
        preview = self._previews.get((key, query))
        if preview is not None:
            self._previews.move_to_end((key, query))
        return preview

    def put(self, key: str, query: str, preview: Preview) -> None:
        self._previews[(key, query)] = preview
        while len(self._previews) > self.size:
            self._previews.popitem(last=False)

    def forget(self, key: str | None = None) -> None:
        """Previews show the marks and sources: drop those of a changed paper (or all)."""
        if key is None:
            self._previews.clear()
        else:
            for k in [k for k in self._previews if k[0] == key]:
                del self._previews[k]
