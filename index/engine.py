"""The edge of Whoosh: every read of its private structures and every patch of its classes.

Posting blocks, field-length columns, the encoding of positions, segment lists and the
subclasses that change Whoosh's own behaviour live here, behind a few functions; a
Whoosh upgrade touches this file (Whoosh 2.7.4, the W3 codec).
"""

from __future__ import annotations

from itertools import accumulate
from pickle import loads

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.collectors import TopCollector
from whoosh.matching import FilterMatcher, ListMatcher
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


class Top(TopCollector):
    """TopCollector that says whether block-quality skipping ran (then its count
    of matches is short and the total is counted apart)."""

    skipped_blocks = False

    def _use_block_quality(self):
        used = super()._use_block_quality()
        if used:
            self.skipped_blocks = True
        return used


class _UnboundedMatcher(ListMatcher):
    # No block-max statistics for a computed list: score every match (the
    # collector then counts them all, no second pass for the total).
    def supports_block_quality(self):
        return False

    def max_quality(self):
        return float("inf")  # no bound known: never skipped as too weak

    def block_quality(self):
        return float("inf")


def list_matcher(ids: list[int], weights: list[float], scorer, format) -> ListMatcher:
    """A matcher over computed (docnum, weight) postings, every one scored."""
    return _UnboundedMatcher(ids, weights=weights, scorer=scorer, format=format)


class ExpandedTerm(query.FuzzyTerm):
    """A FuzzyTerm whose words come from `expand(reader)`, which a subclass defines
    (Whoosh asks its private `_btexts` for them)."""

    def expand(self, reader) -> list[str]:
        raise NotImplementedError

    def _btexts(self, ixreader):
        return self.expand(ixreader)


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
            m._read_weights()
            ids.extend(_block(m, values=False)[0])
            weights.extend(m._weights)
            m._next_block()
    except AttributeError:  # not a W3 block matcher
        ids, weights = [], []
        m = reader.postings(fieldname, btext)
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return ids, weights


def _encoded_positions(reader, fieldname: str, btext: bytes) -> dict:
    """docnum -> encoded positions of one term in one segment, read block by block."""
    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):  # the segment has deletions: checked by the caller
        m = m.child
    out: dict = {}
    try:
        while m.is_active():
            ids, values = _block(m)
            out.update(zip(ids, values, strict=True))
            m._next_block()
    except AttributeError:  # not a W3 block matcher: one posting at a time
        m = reader.postings(fieldname, btext)
        while m.is_active():
            out[m.id()] = m.value()
            m.next()
    return out


_ONE = b"\x00\x00\x00\x01"


def positions_together(reader, fieldname: str, btexts: list[bytes]
                       ) -> tuple[list[int], list[list]]:
    """The live documents of one segment that hold every term, in docnum order, and
    for each term (in the order given) its positions in them, aligned with the
    documents: an int when the term occurs once there (the usual case, and the
    cheap one), else the list of positions. ([], []) when no document has them all.
    """
    unique = sorted(set(btexts), key=lambda bt: reader.doc_frequency(fieldname, bt))
    posts = {}
    cand = None
    for bt in unique:
        d = _encoded_positions(reader, fieldname, bt)
        cand = set(d) if cand is None else cand.intersection(d)
        posts[bt] = d
        if not cand:
            return [], []
    if reader.has_deletions():
        cand = {d for d in cand if not reader.is_deleted(d)}
    docs = sorted(cand)
    # A value is pack_uint(count) + the pickled position deltas (whoosh.formats.Positions).
    # A word once at a position < 256 pickles as PROTO 2, EMPTY_LIST, BINPUT 0,
    # BININT1 pos, APPEND, STOP: its position is read without unpickling.
    decoded = {bt: [v[10] if v[9] == 75 and v[:4] == _ONE else list(accumulate(loads(v[4:])))
                    for v in map(col.__getitem__, docs)]
               for bt, col in posts.items()}
    return docs, [decoded[bt] for bt in btexts]


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
