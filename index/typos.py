"""Typos: `word~` (the words one edit away, the first letter kept) and "did you mean".

Both work on the words people type (the surface words recorded at indexing), then
search the terms those words index to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from whoosh import qparser
from whoosh.support.levenshtein import damerau_levenshtein

from .analysis import STOP_WORDS, stems
from .engine import ExpandedTerm
from .fields import FIELD_ALIASES, STEMMED_FIELDS

# The fields whose words "did you mean" corrects: the words of titles and abstracts.
SPELLED_FIELDS = frozenset((*STEMMED_FIELDS, *FIELD_ALIASES["text"]))


def _one_edit(a: str, b: str) -> bool:
    """a and b are equal or one insertion, deletion, substitution or swap apart."""
    la, lb = len(a), len(b)
    if la > lb:
        a, b, la, lb = b, a, lb, la
    if lb - la > 1:
        return False
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la < lb:
        return a[i:] == b[i + 1:]
    if i == la or a[i + 1:] == b[i + 1:]:
        return True
    return (i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i]
            and a[i + 2:] == b[i + 2:])


def within(a: str, b: str, maxdist: int) -> bool:
    """Damerau-Levenshtein distance (a swap counts one) at most maxdist."""
    if abs(len(a) - len(b)) > maxdist:
        return False
    if maxdist <= 1:
        return a == b if maxdist <= 0 else _one_edit(a, b)
    return damerau_levenshtein(a, b) <= maxdist


class Lexicon:
    """Words bucketed by first letter and length, built once per index snapshot,
    so a typo is compared with a few thousand words of its bucket instead of the
    whole term list (Whoosh's automaton walks all of it in pure Python)."""

    def __init__(self, words: Iterable[str]):
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for w in words:
            if w:
                self.buckets.setdefault((w[0], len(w)), []).append(w)

    def near(self, word: str, maxdist: int, prefix: int = 1) -> list[str]:
        """Words within maxdist of `word` that share its first `prefix` letters."""
        if not word:
            return []
        out = []
        pre = word[:prefix]
        firsts = [word[0]] if prefix >= 1 else {k[0] for k in self.buckets}
        for first in firsts:
            for n in range(len(word) - maxdist, len(word) + maxdist + 1):
                for w in self.buckets.get((first, n), ()):
                    if w.startswith(pre) and within(word, w, maxdist):
                        out.append(w)
        return out


def walk(reader, fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
    """The field's terms within maxdist of `text`, by Whoosh's own walk of the term
    list (slow: used only before the index has a snapshot to keep a lexicon in)."""
    return [w for w in reader.terms_within(fieldname, text, maxdist + 1, prefix=prefix)
            if damerau_levenshtein(w, text) <= maxdist]


class TypoTerm(ExpandedTerm):
    """`word~`: the words within one edit (a swap of two letters counts one, as
    people type them) that share the first letter, searched as the terms they
    index to. Only terms with postings in the field are searched, so a typo of a
    common word finds its papers. The expansion comes from the SearchIndex
    (`expander`); without one, Whoosh's own walk of the term list is used."""

    expander = None

    def expand(self, reader) -> list[str]:
        if self.expander is not None:
            return self.expander(reader, self.fieldname, self.text, self.maxdist,
                                 self.prefixlength)
        return walk(reader, self.fieldname, self.text, self.maxdist, self.prefixlength)


class TypoPlugin(qparser.FuzzyTermPlugin):
    """`word~` and `word~2` in the query parser, as TypoTerms of the typed word."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):
        qclass = TypoTerm

        def query(self, parser):
            # The typed word, not its stem: "trainign" is one edit from the word
            # "training", three from the stem "train".
            fieldname = self.fieldname or parser.fieldname
            return TypoTerm(fieldname, self.text.lower(), boost=self.boost,
                            maxdist=self.maxdist, prefixlength=self.prefixlength)

    def create(self, parser, match):
        node = super().create(parser, match)
        if not match.group("prefix"):
            node.prefixlength = 1  # `~` keeps the first letter (design's query language)
        return node


class Spelling:
    """The words of one snapshot of the index, for typos: the surface words (word -> stem,
    loaded when first needed) and the lexicons built from them or from a field."""

    def __init__(self, load_words: Callable[[], dict[str, str]]):
        self._load_words = load_words
        self._words: dict[str, str] | None = None
        self.lexicons: dict[str, Lexicon] = {}

    def words(self) -> dict[str, str]:
        if self._words is None:
            self._words = self._load_words()
        return self._words

    def expand(self, reader, fieldname: str, text: str, maxdist: int,
               prefix: int) -> list[str]:
        """The terms of `fieldname` with postings that `text~maxdist` stands for."""
        if fieldname in STEMMED_FIELDS:
            words = self.words()
            if words:
                lex = self.lexicons.get("")
                if lex is None:
                    lex = self.lexicons[""] = Lexicon(words)
                found = {words[w] for w in lex.near(text, maxdist, prefix)}
                found.update(stems(text))
                return sorted(t for t in found if reader.doc_frequency(fieldname, t))
        lex = self.lexicons.get(fieldname)
        if lex is None:
            lex = self.lexicons[fieldname] = Lexicon(
                w.decode() if isinstance(w, bytes) else w for w in reader.lexicon(fieldname))
        return [w for w in lex.near(text, maxdist, prefix) if reader.doc_frequency(fieldname, w)]

    def respell(self, reader, text: str) -> str | None:
        """The query with each unknown word of the text replaced by the closest indexed
        word, every other word kept as typed (None when no word changed; the caller
        checks that it finds papers). Stop words are not indexed, so never unknown:
        `the` is not a typo of `they`."""
        words = self.words()
        lex = self.lexicons.get("")
        if lex is None and words:
            lex = self.lexicons[""] = Lexicon(words)
        changed, out = False, []
        for m in re.finditer(r"\S+", text):
            word = m.group(0)
            field, colon, value = word.rpartition(":")
            bare = value.strip('"()').rstrip("~0123456789")
            if ((colon and field.lstrip("(").lower() not in SPELLED_FIELDS)
                    or "*" in value or bare.upper() in ("AND", "OR", "NOT") or len(bare) < 3
                    or not bare.isalpha() or bare.lower() in STOP_WORDS):
                out.append(word)
                continue
            if any(reader.doc_frequency("text", t) for t in stems(bare)):
                out.append(word)
                continue
            better = closest(reader, lex, words, bare.lower()) if lex else None
            if better:
                if bare[0].isupper():  # `Atention` -> `Attention`: as it was typed
                    better = better.capitalize()
                out.append(field + colon + value.replace(bare, better))
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None


def closest(reader, lex: Lexicon, words: dict[str, str], word: str) -> str | None:
    """The surface word nearest `word` (one edit, else two), most papers first."""
    for dist in (1, 2):
        best = max(((reader.doc_frequency("text", words[w]), w)
                    for w in lex.near(word, dist, 1)), default=None)
        if best and best[0]:
            return best[1]
    return None
