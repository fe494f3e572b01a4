"""The edge of Whoosh: every read of its private structures and every patch of its classes.

Posting blocks, field-length columns, the encoding of positions, segment lists and the
subclasses that change Whoosh's own behaviour live here, behind a few functions; a
Whoosh upgrade touches this file (Whoosh 2.7.4, the W3 codec).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate
from pickle import loads

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

# --- the index and its writer ---------------------------------------------------------


def segment_ids(ix) -> list[str]:
    """The ids of the index's segments, oldest (the big one) first."""
    return [seg.segment_id() for seg in ix._segments()]


class _Lengths:
    """The new segment's per-document reader, with field lengths read once per
    document: Whoosh's postings writer asks for the length of a document for
    every posting (for the block-max statistics), a column read each time,
    a fifth of the commit."""

    def __init__(self, pdr):
        self._pdr = pdr
        self._lengths: dict[str, list] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        col = self._lengths.get(fieldname)
        if col is None:
            pdr = self._pdr
            col = self._lengths[fieldname] = [
                pdr.doc_field_length(d, fieldname, default) for d in range(pdr.doc_count_all())]
        return col[docnum]

    def __getattr__(self, name):
        return getattr(self._pdr, name)


class _Writer(SegmentWriter):
    def per_document_reader(self):
        return _Lengths(super().per_document_reader())


def open_writer(ix, limitmb: int) -> SegmentWriter:
    """A segment writer that reads each new document's field lengths once (raises
    whoosh.index.LockError while another writer holds the index)."""
    return _Writer(ix, limitmb=limitmb)


# --- collecting and matching ------------------------------------------------------------


class _ScoredList(ListMatcher):
    # Postings whose scores are already computed (the weight is the score, no
    # scorer) and that offer no quality bounds: every match is scored.
    def supports_block_quality(self):
        return False

    def max_quality(self):
        return float("inf")  # no bound known: never skipped as too weak

    def block_quality(self):
        return float("inf")


def scored_list_matcher(ids: list[int], scores: list[float], format) -> ListMatcher:
    """A matcher over computed (docnum, score) pairs, for Whoosh's own matcher trees."""
    return _ScoredList(ids, weights=scores, scorer=None, format=format)


class ExpandedTerm(query.FuzzyTerm):
    """A FuzzyTerm whose words come from `expand(reader)`, which a subclass defines
    (Whoosh asks its private `_btexts` for them), scored as the sum of its terms'
    BM25F times its boost on every path.

    Whoosh's own FuzzyTerm is a constant-score query whose score depends on the
    segment: the sum of its terms' BM25F, but 1.0 a match where Whoosh picks an
    unscored ArrayUnionMatcher (three terms or more in a segment of at most 5,000
    documents, or 1,024 terms or more), and without its boost when it has one term. Summing the terms everywhere keeps the
    scores of Whoosh's matchers and of paperdeck's own ranking (`ranking.py`) equal.
    """

    def __init__(self, fieldname, text, boost=1.0, maxdist=1, prefixlength=1,
                 constantscore=False):
        super().__init__(fieldname, text, boost=boost, maxdist=maxdist,
                         prefixlength=prefixlength, constantscore=False)

    def expand(self, reader) -> list[str]:
        raise NotImplementedError

    def _btexts(self, ixreader):
        return self.expand(ixreader)

    def matcher(self, searcher, context=None):
        words = [w for w in self._btexts(searcher.reader()) if w]
        if not words:
            return NullMatcher()
        terms = [query.Term(self.fieldname, w, boost=self.boost) for w in words]
        return query.Or(terms).matcher(searcher, context)


# --- posting blocks ---------------------------------------------------------------------


def _block(m, values: bool = True) -> tuple:
    """The docnums (and raw values) of a W3 matcher's current block, decoded in C
    (Whoosh's own _read_ids undoes the id deltas in a Python generator)."""
    if m._data is None:
        m._read_data()
    data = m._data
    ids = data[0] if m._byteids else list(accumulate(data[0]))
    if not values:
        return ids, None
    if m._values is None:
        m._read_values()
    return ids, m._values


def _weights(m) -> Sequence[float]:
    """The weights of a W3 matcher's current block (Whoosh stores a block whose
    weights are all equal as one number and expands it in a Python generator)."""
    if m._data is None:
        m._read_data()
    w = m._data[1]
    if w is None:
        return [1.0] * m._blocklength
    if isinstance(w, float):
        return [array("f", (w,))[0]] * m._blocklength  # as Whoosh's float32 array has it
    return w


def term_postings(reader, fieldname: str, btext: bytes) -> tuple[list, list]:
    """(docnums, weights) of one term in one segment, read block by block; deleted
    documents are left in (the caller drops them)."""
    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):
        m = m.child  # deletions are dropped by the caller
    ids: list = []
    weights: list = []
    try:
        while m.is_active():
            ids.extend(_block(m, values=False)[0])
            weights.extend(_weights(m))
            m._next_block()
    except AttributeError:  # not a W3 block matcher
        ids, weights = [], []
        m = reader.postings(fieldname, btext)
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return ids, weights


def _term_values(reader, fieldname: str, btext: bytes) -> tuple[dict, dict]:
    """One term's postings in one segment, read block by block: (docnum -> encoded
    positions, docnum -> weight: the BM25F frequency, a title word counting twice)."""
    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):  # the segment has deletions: checked by the caller
        m = m.child
    values: dict = {}
    weights: dict = {}
    try:
        while m.is_active():
            ids, vals = _block(m)
            values.update(zip(ids, vals, strict=True))
            weights.update(zip(ids, _weights(m), strict=True))
            m._next_block()
    except AttributeError:  # not a W3 block matcher: one posting at a time
        m = reader.postings(fieldname, btext)
        while m.is_active():
            values[m.id()] = m.value()
            weights[m.id()] = m.weight()
            m.next()
    return values, weights


_ONE = b"\x00\x00\x00\x01"


def positions_together(reader, fieldname: str, btexts: list[bytes]
                       ) -> tuple[list[int], list[list], list[dict]]:
    """The live documents of one segment that hold every term, in docnum order; for
    each term (in the order given) its positions in them, aligned with the documents
    (an int when the term occurs once in the document, the usual case and the cheap
    one, else the list of positions); and each term's weights (docnum -> weight, for
    every document of its postings). ([], [], []) when no document has them all.
    """
    unique = sorted(set(btexts), key=lambda bt: reader.doc_frequency(fieldname, bt))
    posts = {}
    cand = None
    for bt in unique:
        values, weights = _term_values(reader, fieldname, bt)
        cand = set(values) if cand is None else cand.intersection(values)
        posts[bt] = values, weights
        if not cand:
            return [], [], []
    if reader.has_deletions():
        cand = {d for d in cand if not reader.is_deleted(d)}
    docs = sorted(cand)
    # A value is pack_uint(count) + the pickled position deltas (whoosh.formats.Positions).
    # A word once at a position < 256 pickles as PROTO 2, EMPTY_LIST, BINPUT 0,
    # BININT1 pos, APPEND, STOP: its position is read without unpickling.
    decoded = {bt: [v[10] if v[9] == 75 and v[:4] == _ONE else read_positions(v)
                    for v in map(values.__getitem__, docs)]
               for bt, (values, _) in posts.items()}
    return docs, [decoded[bt] for bt in btexts], [posts[bt][1] for bt in btexts]


def read_positions(v: bytes) -> list[int]:
    """The positions of an encoded value. Several deltas under 256 pickle as PROTO 2,
    EMPTY_LIST, BINPUT 0, MARK, then BININT1 delta for each, APPENDS, STOP: every
    other byte after the MARK, read without unpickling (any other item breaks the
    run of BININT1 codes, and then pickle reads it)."""
    if v[9] == 40 and v[-2:] == b"e." and not v[10:-2:2].strip(b"K"):
        return list(accumulate(v[11:-2:2]))
    return list(accumulate(loads(v[4:])))


# --- statistics -------------------------------------------------------------------------


def field_lengths(reader, fieldname: str) -> list[int]:
    """Every document's length of a field in one segment (as BM25 reads it)."""
    n = reader.doc_count_all()
    try:
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:
            return [1] * n
        table = [byte_to_length(i) or 1 for i in range(256)]
        table[0] = 1
        if getattr(col, "_fixedlen", None) == 1 and hasattr(col, "_dbfile"):
            # one byte a document: read the column in one go
            count = min(col._count, n)
            raw = bytes(col._dbfile.get(col._basepos, count)) if count else b""
            return [table[b] for b in raw] + [1] * (n - count)
        return [table[col[d]] for d in range(n)]
    except AttributeError:
        return [reader.doc_field_length(d, fieldname, 1) or 1 for d in range(n)]


def bm25_b(weighting, fieldname: str) -> float:
    """BM25F's length normalisation B for one field (a field's own, else the default)."""
    return weighting._field_B.get(fieldname, weighting.B)
