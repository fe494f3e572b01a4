"""A podcast's episode page ("Papers Read on AI").

    Papers Read on AI-logo          <- page header and show description: not records
    ...
    BitDelta: Your Fine-Tune May Only Be Worth One Bit
                                    <- blank lines separate every paragraph
    Large Language Models ... settings. 2024: James Liu, Guangxuan Xiao, ..., Tri Dao

Each episode is a title paragraph followed by an abstract paragraph whose end
carries a `YEAR: author, author, ...` trailer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from paperdeck.index.model import DigestError, Record

from .base import head_paragraphs, is_paragraph, paragraphs
from .document import Document

NAME = "podcast"
DESCRIPTION = "podcast episode page: title, then abstract ending in 'YEAR: author, author, ...'"

# The trailer starts at the last " 19xx: " / " 20xx: " of the abstract. finditer is
# linear, so a huge line cannot blow up.
_YEAR = re.compile(r"(?<!\S)((?:19|20)\d\d): ")

# Lowercase words allowed inside a personal name ("Quentin de Laroussilhe").
_PARTICLES = {"de", "del", "della", "der", "den", "di", "da", "das", "dos", "du", "la", "le",
              "van", "von", "ter", "ten", "zu", "bin", "al", "y"}


def _name_word(word: str) -> bool:
    """"Gelly", "S.", "Shih-yang", "O'Neil": capitalised, letters and name punctuation only."""
    return word[0].isupper() and all(c.isalpha() or c in "-'’." for c in word)


def _is_name(words: list[str]) -> bool:
    return (2 <= len(words) <= 6 and _name_word(words[0]) and _name_word(words[-1])
            and all(_name_word(w) or w in _PARTICLES for w in words))


def _authors(trailer: str) -> list[str]:
    """Author names at the head of a comma-separated trailer.

    One trailer runs on into the paper's topic keywords with no separator but a
    space: "..., S. Gelly Natural language processing, Benchmark (computing),
    Transformer, ...". Heuristic: authors are the leading items that look like a
    personal name (2-6 capitalised words, initials or name particles, nothing in
    parentheses). The first item that does not is where the keyword run starts; if
    it is an author glued to a sentence-case keyword ("S. Gelly Natural language
    processing"), the keyword begins at the capitalised word just before the first
    lowercase word, and the words before that are the last author. Everything
    after is dropped. Known limits: a mononym author is taken for a keyword, and a
    keyword written in Title Case right after the last author would be read as a name.
    """
    authors: list[str] = []
    for item in trailer.split(","):
        words = item.split()
        if not words:
            break
        if _is_name(words):
            authors.append(" ".join(words))
            continue
        k = next((i for i, w in enumerate(words) if not (_name_word(w) or w in _PARTICLES)), 0)
        if k >= 3 and _is_name(words[: k - 1]):
            authors.append(" ".join(words[: k - 1]))
        break
    return authors


def split_trailer(abstract: str) -> tuple[str, int | None, list[str]]:
    """(abstract without trailer, year, authors); the text unchanged when it has none."""
    last = None
    for m in _YEAR.finditer(abstract):
        last = m
    if last is None:
        return abstract, None, []
    authors = _authors(abstract[last.end():])
    if not authors:  # "In 2023: we ..." is prose, not a trailer
        return abstract, None, []
    return abstract[: last.start()].rstrip(), int(last.group(1)), authors


def sniff(head: str) -> float:
    paras = head_paragraphs(head, 100)  # the first ~200 lines, cheaply
    # An episode is a short title paragraph followed by an abstract ending in its
    # trailer; a trailer-like ending alone (a JSON line, a feed) is no episode.
    episodes = sum(1 for (_, title), (_, body) in zip(paras, paras[1:], strict=False)
                   if not is_paragraph(title) and split_trailer(body)[2])
    if not episodes:
        return 0.0
    long = sum(1 for _, p in paras if is_paragraph(p)) or 1
    score = 0.5 + 0.4 * min(1.0, episodes / long)
    if any(p.startswith("Papers Read on AI") for _, p in paras[:10]):
        score += 0.1
    return min(score, 1.0)


def parse(doc: Document) -> Iterator[Record]:
    paras = paragraphs(doc.text())
    # The page header (show name, description, sometimes twice) has no trailer:
    # episodes start at the first paragraph whose next paragraph ends in one.
    start = next((i for i in range(len(paras) - 1)
                  if not is_paragraph(paras[i][1]) and split_trailer(paras[i + 1][1])[2]), None)
    if start is None:
        raise DigestError("no episode found: no abstract ends with a 'YEAR: authors' trailer")
    # A last paragraph without an abstract after it is page footer: ignored.
    for i in range(start, len(paras) - 1, 2):
        (line, title), (_, body) = paras[i], paras[i + 1]
        if is_paragraph(title):
            raise DigestError(f"expected an episode title, found a {len(title)}-character "
                              "paragraph (is a title or an abstract missing above?)", line=line)
        abstract, year, authors = split_trailer(body)
        abstract = " ".join(abstract.split())
        if abstract:
            yield Record(layout=NAME, line=line, title=" ".join(title.split()),
                         abstract=abstract, authors=authors, year=year)
