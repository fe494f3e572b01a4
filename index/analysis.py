"""How text becomes index terms: words, stop words, stems, the title's weight, highlights.

One pass does what Whoosh's StemmingAnalyzer does in four (but keeps a one-letter
word that is not ASCII: PixArt-α's α is a term), marks the end of the
title (its words weigh twice) and records which word a user types stems to which term.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.analysis import STOP_WORDS, StandardAnalyzer, StemmingAnalyzer, Token, Tokenizer
from whoosh.analysis.tokenizers import default_pattern as _WORD_RE
from whoosh.lang.porter import stem as porter_stem

# Title words weigh twice in the combined field: the analyzer boosts every token
# before TITLE_END (a token no text contains), so the title is analysed and stored
# once instead of being written into the field twice.
TITLE_BOOST = 2.0
TITLE_END = "qqpaperdecktitleendqq"

# Whoosh drops every word of one character. Readable text has one-letter words that
# carry meaning (PixArt-α, β-VAE, the λ of a loss: LaTeX read at import), so a word of
# one character is dropped only when it is ASCII (a, x, 1: noise in search), and a
# single Greek or other letter is a term. ASCII_SINGLES as stop words with minsize=1
# gives Whoosh's own analyzers the same rule (stems, highlights, the tests' reference).
ASCII_SINGLES = frozenset(string.ascii_lowercase + string.digits + "_")

# The analyzer records surface word -> stem here, in the thread that writes the index.
_RECORD = threading.local()


@contextmanager
def recording_words(words: dict[str, str]) -> Iterator[dict[str, str]]:
    """While indexing in this thread, note each surface word and its stem in `words`."""
    _RECORD.words = words
    try:
        yield words
    finally:
        _RECORD.words = None


class TextAnalyzer(Tokenizer):
    """StemmingAnalyzer's terms in one pass, with the title boost and word recording.

    Whoosh's StemmingAnalyzer is a chain of four generators (tokenizer, lowercase,
    stop words, stemmer) that each touch every token; the index build spends a
    third of its time there. This does the same work in one loop: the same
    tokens, positions (stop words renumbered away), chars and stems. With
    `title_boost`, tokens before TITLE_END (dropped) get boost TITLE_BOOST when
    indexing. While an index writer runs in this thread, it records which surface
    word stems to which term (`word~` and "did you mean" work on the words people
    type, then search the stems that have postings).

    The schema stored in an index pickles this class by name: indexes written
    before the split name it `paperdeck.index.search._TextAnalyzer`, kept there.
    """

    is_morph = True
    # Stems of words seen, emptied when it grows past this: the frequent words come
    # back within a few papers, and a bigger cache is memory a long rebuild holds
    # (500,000 words were some 80 MB at half a million papers).
    _CACHE_MAX = 100_000

    def __init__(self, title_boost: bool = False):
        self.title_boost = title_boost
        self.stops = frozenset(STOP_WORDS)
        self._cache: dict[str, str] = {}

    def __eq__(self, other):
        return type(other) is type(self) and other.title_boost == self.title_boost

    def __getstate__(self):
        return {"title_boost": self.title_boost}

    def __setstate__(self, state):
        self.__init__(state.get("title_boost", False))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        cache = self._cache
        if len(cache) > self._CACHE_MAX:
            cache.clear()
        stops = self.stops
        sink = getattr(_RECORD, "words", None) if mode == "index" else None
        boost = TITLE_BOOST if self.title_boost and mode == "index" else 1.0
        matches = (_WORD_RE.finditer(value) if tokenize
                   else [_Whole(value)])
        pos = None
        for i, m in enumerate(matches):
            raw = m.group(0)
            if raw == TITLE_END:
                boost = 1.0
                if pos is not None:
                    pos += 1  # no phrase across the end of the title
                continue
            text = raw.lower()
            if (len(text) < 2 and text.isascii()) or text in stops:
                if removestops:
                    continue
                t.stopped = True
                t.text = text
                if positions:
                    t.pos = start_pos + i  # StopFilter leaves a kept stop word's position
            else:
                t.stopped = False
                stem = cache.get(text)
                if stem is None:
                    stem = cache[text] = porter_stem(text)
                if sink is not None:
                    sink[text] = stem
                t.text = stem
                if positions:
                    pos = start_pos + i if pos is None else pos + 1
                    t.pos = pos
            t.boost = boost
            if keeporiginal or not tokenize:
                t.original = raw
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


class _Whole:
    """A match object for the whole value (tokenize=False)."""

    def __init__(self, value: str):
        self.value = value

    def group(self, _n=0):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)


def stems(word: str) -> list[str]:
    """The terms a typed word indexes to in the stemmed fields (stop words kept)."""
    return [t.text for t in StemmingAnalyzer(stoplist=ASCII_SINGLES, minsize=1)(word)]


def highlight_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Spans of `text` whose analysed form is one of `words`."""
    if not words:
        return []
    spans = []
    for tok in StemmingAnalyzer(stoplist=None, minsize=1)(text, chars=True,
                                                         removestops=False):
        if tok.text in words:
            spans.append((tok.startchar, tok.endchar))
    for tok in StandardAnalyzer(stoplist=None, minsize=1)(text, chars=True,
                                                         removestops=False):
        if tok.text in words and (tok.startchar, tok.endchar) not in spans:
            spans.append((tok.startchar, tok.endchar))
    return sorted(spans)
