"""The edge of Whoosh: every read of its private structures and every patch of its classes.

Posting blocks, field-length columns, the encoding of positions, segment lists and the
subclasses that change Whoosh's own behaviour live here, behind a few functions; a
Whoosh upgrade touches this file (Whoosh 2.7.4, the W3 codec).
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Iterator
from io import BytesIO
from itertools import accumulate, compress
from pickle import load, loads

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher, _lenfield
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.matching import FilterMatcher, ListMatcher, NullMatcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

# HashWriter's records: (key length, value length) before each term, and the
# (hash, position) of each hash table slot (whoosh.filedb.filetables).
_KV_LENGTHS = struct.Struct("!ii")
_POINTER = struct.Struct("!Iq")

# --- the index and its writer ---------------------------------------------------------


def segment_ids(ix) -> list[str]:
    """The ids of the index's segments, oldest (the big one) first."""
    return [seg.segment_id() for seg in ix._segments()]


class _Lengths:
    """The new segment's per-document reader, with field lengths read once per
    document: Whoosh's postings writer asks for the length of a document for
    every posting (for the block-max statistics), a column read each time,
    a fifth of the commit. One field's lengths are held at a time (postings
    arrive field by field), in an array: 8 bytes a document, not a list of ints."""

    def __init__(self, pdr):
        self._pdr = pdr
        self._field: str | None = None
        self._column = array("q")

    def doc_field_length(self, docnum, fieldname, default=0):
        if fieldname != self._field:
            pdr = self._pdr
            lengths = (pdr.doc_field_length(d, fieldname, default)
                       for d in range(pdr.doc_count_all()))
            # Whoosh answers None for a length stored as 0 (kept as -1 here).
            self._column = array("q", (-1 if n is None else n for n in lengths))
            self._field = fieldname
        n = self._column[docnum]
        return None if n == -1 else n

    def __getattr__(self, name):
        return getattr(self._pdr, name)


class _TermIndex(OrderedHashWriter):
    """Whoosh's term index writer (an OrderedHashWriter, the same bytes on disk) with
    its 256 buckets of (hash, position) kept in arrays.

    Whoosh keeps a tuple of two ints per term until the index closes, about 130
    bytes a term; a rebuild of 488,000 papers has some 1.5 million terms (each
    paper's own key and ids), 190 MB at commit. Arrays hold the same in 12 bytes.
    """

    @classmethod
    def adopt(cls, writer: OrderedHashWriter) -> _TermIndex:
        """This writer in place of `writer`, which has written its header and no term."""
        assert len(writer.index) == 0, "the term index has terms already"
        new = cls.__new__(cls)
        new.__dict__.update(writer.__dict__)
        new.buckets = [(array("I"), array("q")) for _ in range(256)]
        return new

    def add(self, key, value):
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        dbfile = self.dbfile
        pos = dbfile.tell()
        self.index.append(pos)
        dbfile.write(_KV_LENGTHS.pack(len(key), len(value)))
        dbfile.write(key)
        dbfile.write(value)
        h = self.hashfn(key)
        hashes, positions = self.buckets[h & 255]
        hashes.append(h)
        positions.append(pos)
        self.lastkey = key

    def _write_hashes(self):
        # As HashWriter._write_hashes: per bucket an open-addressing table of twice its
        # entries, probing forward from (hash >> 8) % slots; an empty slot is (0, 0),
        # and no term sits at position 0 (the header is there).
        dbfile = self.dbfile
        pack = _POINTER.pack
        for hashes, positions in self.buckets:
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            slot_hash = array("I", bytes(4 * numslots))
            slot_pos = array("q", bytes(8 * numslots))
            for h, p in zip(hashes, positions, strict=True):
                slot = (h >> 8) % numslots
                while slot_pos[slot]:
                    slot = (slot + 1) % numslots
                slot_hash[slot] = h
                slot_pos[slot] = p
            dbfile.write(b"".join(map(pack, slot_hash, slot_pos)))


class _Writer(SegmentWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        fieldwriter = self.fieldwriter
        if isinstance(getattr(fieldwriter, "_tindex", None), OrderedHashWriter):
            fieldwriter._tindex = _TermIndex.adopt(fieldwriter._tindex)

    def per_document_reader(self):
        return _Lengths(super().per_document_reader())


def open_writer(ix, limitmb: int) -> SegmentWriter:
    """A segment writer that reads each new document's field lengths once and keeps
    its term index compact (raises whoosh.index.LockError while another writer
    holds the index)."""
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


# Whoosh 2.7.4 pickles a posting block with protocol 2, which writes each value (bytes)
# as a call `_codecs.encode(text, "latin1")`: the codec registry is consulted for each
# posting, a third of the cost of reading a block. `bytes(text, "latin1")` makes the same
# bytes without it. The global is named once, before any value, and no earlier part of
# a block (ids and weights: opcodes K, M, J, G, t, q, N, ( every few bytes) can hold
# these 16 bytes, so the first occurrence is that global.
_CODECS_ENCODE = b"c_codecs\nencode\n"
_BYTES = b"cbuiltins\nbytes\n"


_BLOCK_LENGTH = struct.Struct("!i")  # whoosh.filedb.structfile's write_int


def _blocks(m: W3LeafMatcher) -> Iterator[tuple]:
    """(docnums, weights, values) of each posting block of a W3 matcher, from one
    read of the whole posting list (Whoosh reads a block's header a few bytes at a
    time, through several Python calls each). The same numbers as Whoosh's own
    _read_ids, _read_weights and _read_values, block by block."""
    length = m._length
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        (length,) = length
    buf = m._postfile.get(m._startoffset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting block tag error {buf[:4]!r}")
    f = BytesIO(buf)
    pos = 4
    byteids = m._byteids
    while True:
        (n,) = _BLOCK_LENGTH.unpack_from(buf, pos)
        end = pos + 4 + abs(n)
        f.seek(pos + 4)
        count, _maxid, _maxweight, compression, _mn, _mx = load(f)  # the block's info
        data = buf[f.tell():end]
        if compression:
            data = zlib.decompress(data)
        ids, weights, values = loads(data.replace(_CODECS_ENCODE, _BYTES, 1))
        if not byteids:
            ids = list(accumulate(ids))
        if weights is None:
            weights = [1.0] * count
        elif isinstance(weights, float):
            weights = [array("f", (weights,))[0]] * count  # as Whoosh's float32 array
        yield ids, weights, values
        if n < 0:
            return
        pos = end


def _fast_blocks(m) -> bool:
    """Whether `_blocks` reads this matcher: W3 postings on disk whose values are
    stored one by one (positions), not inlined in the term's info."""
    return type(m) is W3LeafMatcher and m._fixedsize is None


def term_postings(reader, fieldname: str, btext: bytes) -> tuple[list, list]:
    """(docnums, weights) of one term in one segment, read block by block; deleted
    documents are left in (the caller drops them)."""
    ids, weights, _values = _term_lists(reader, fieldname, btext)  # a block holds all three
    return ids, weights


def _term_lists(reader, fieldname: str, btext: bytes) -> tuple[list, list, list]:
    """One term's postings in one segment, read block by block: (docnums, weights: the
    BM25F frequency, a title word counting twice, encoded positions), aligned."""
    m = reader.postings(fieldname, btext)
    if isinstance(m, FilterMatcher):  # the segment has deletions: checked by the caller
        m = m.child
    ids: list = []
    weights: list = []
    values: list = []
    if _fast_blocks(m):
        for bids, bweights, bvalues in _blocks(m):
            ids.extend(bids)
            weights.extend(bweights)
            values.extend(bvalues)
        return ids, weights, values
    m = reader.postings(fieldname, btext)  # another matcher: one posting at a time
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return ids, weights, values


def phrase_postings(reader, fieldname: str, btexts: list[bytes]
                    ) -> tuple[list[int], list[list], list[list]]:
    """The live documents of one segment that hold every term, in docnum order, and
    for each term (in the order given) its position deltas (`read_deltas`) and its
    weights in them, aligned with the documents. ([], [], []) when no document has
    them all.
    """
    unique = sorted(set(btexts), key=lambda bt: reader.doc_frequency(fieldname, bt))
    posts = {}
    cand = None
    for bt in unique:
        ids, weights, values = posts[bt] = _term_lists(reader, fieldname, bt)
        cand = set(ids) if cand is None else cand.intersection(ids)
        if not cand:
            return [], [], []
    if reader.has_deletions():
        cand = {d for d in cand if not reader.is_deleted(d)}
        if not cand:
            return [], [], []
    docs = None
    columns = {}
    for bt, (ids, weights, values) in posts.items():
        if len(ids) != len(cand):  # the candidates' postings, in docnum order
            keep = list(map(cand.__contains__, ids))
            ids = list(compress(ids, keep))
            weights = list(compress(weights, keep))
            values = list(compress(values, keep))
        docs = ids
        # read_deltas, its two usual cases inline
        deltas = [v[11:-2:2] if v[9] == 40 and len(v) == 12 + 2 * v[3]
                  else v[10:11] if v[9] == 75 and len(v) == 13 else read_deltas(v)
                  for v in values]
        columns[bt] = deltas, weights
    return docs, [columns[bt][0] for bt in btexts], [columns[bt][1] for bt in btexts]


def read_deltas(v: bytes) -> bytes | list[int]:
    """The position deltas of an encoded value (the first position, then the gaps):
    pack_uint(count) + the pickled deltas (whoosh.formats.Positions).

    One delta under 256 pickles as PROTO 2, EMPTY_LIST, BINPUT 0, BININT1 d, APPEND,
    STOP (13 bytes with the count); several as PROTO 2, EMPTY_LIST, BINPUT 0, MARK,
    BININT1 d for each, APPENDS, STOP: 12 + 2 * count bytes exactly when every delta is
    a BININT1 (two bytes; any other item is longer, and so is a list of more than 255,
    whose count's last byte is then less than the count). Their deltas are bytes of
    the value, taken without unpickling; any other value is unpickled."""
    if v[9] == 40 and len(v) == 12 + 2 * v[3]:
        return v[11:-2:2]
    if v[9] == 75 and len(v) == 13:
        return v[10:11]
    return loads(v[4:])


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
