"""The index's fields: what a paper writes into the index and the names a query gives them.

A new query field goes here three times: the schema, the paper's document, and
(for another spelling of its name) the aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.analysis import StandardAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, TEXT, Schema

from .analysis import TITLE_END, TextAnalyzer
from .model import category_name

# 2: one combined text field (title boosted inside it), the paper's SQLite id as a
# column, no spelling graph, the surface-word list beside the index.
# 3: a one-letter word that is not ASCII is a term (PixArt-α's α): an index written
# before holds none, so it is rebuilt once.
SCHEMA_VERSION = 3

# The fields a query can name. There is no abstract field: `abstract:` searches the
# combined text (title, abstract, authors); one text field instead of two halves the
# index and the cost of a common word.
QUERY_FIELDS = ("text", "title", "author", "category", "week", "month", "year", "source", "id")

# The other names people type for a field (`abstract:`, the plural forms).
FIELD_ALIASES = {"text": ["abstract"], "author": ["authors"],
                 "category": ["categories", "cat"]}

# Fields whose terms are stems: typo expansion goes through the surface words.
STEMMED_FIELDS = ("text", "title")


@dataclass
class IndexDoc:
    key: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    week: str | None
    month: str | None
    year: int | None
    arxiv_id: str | None
    sources: list[str]  # file names and layouts
    pid: int = 0  # the paper's id in SQLite


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        pid=COLUMN(NumericColumn("q")),  # SQLite id: rows and filters by id, no stored read
        text=TEXT(analyzer=TextAnalyzer(title_boost=True), phrase=True),
        title=TEXT(analyzer=TextAnalyzer(), phrase=True),
        author=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=True),
        category=TEXT(analyzer=StandardAnalyzer(), phrase=True),
        week=ID,
        month=ID,
        year=ID,
        source=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=True),
        id=ID,
    )


def document(doc: IndexDoc) -> dict:
    """The fields of one paper, as the index writer takes them."""
    authors = ", ".join(doc.authors)
    cats = " ".join(f"{c} {category_name(c)}" for c in doc.categories)
    text = f"{doc.title}\n{TITLE_END}\n{doc.abstract}\n{authors}"
    fields = {
        "key": doc.key,
        "pid": doc.pid,
        "text": text,
        "title": doc.title,
        "author": authors,
        "category": cats,
        "source": " ".join(doc.sources),
    }
    for name, value in (("week", doc.week), ("month", doc.month), ("id", doc.arxiv_id),
                        ("year", str(doc.year) if doc.year else None)):
        if value:
            fields[name] = value
    return fields
