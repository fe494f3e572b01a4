"""Posting lists as engine.py reads them (whole lists, block pickles read without the
codec lookup, position deltas taken from the stored bytes) are Whoosh's own postings:
the same documents, weights, values and positions, term by term, on a real index."""

from __future__ import annotations

from itertools import accumulate

import pytest
from whoosh.formats import Positions

from paperdeck.index import engine
from paperdeck.index.search import SearchIndex

# the fields whose postings hold positions (the phrase fields)
POSITION_FIELDS = ("text", "title", "author", "category", "source")


def _whoosh_postings(reader, fieldname: str, btext: bytes) -> tuple[list, list, list]:
    """One posting at a time, through Whoosh's matcher (deleted documents left in)."""
    m = reader.postings(fieldname, btext)
    m = getattr(m, "child", m)
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return ids, weights, values


def test_every_posting_list_reads_as_whoosh_reads_it(sample_dir):
    ix = SearchIndex(sample_dir / "index")
    with ix.reading() as snap:
        reader = snap.searcher.reader()
        blocks = checked = 0
        for fieldname in POSITION_FIELDS:
            for btext in reader.lexicon(fieldname):
                want = _whoosh_postings(reader, fieldname, btext)
                assert engine._term_lists(reader, fieldname, btext) == want, btext
                assert engine.term_postings(reader, fieldname, btext) == want[:2], btext
                m = reader.postings(fieldname, btext)
                if engine._fast_blocks(m):
                    blocks += sum(1 for _ in engine._blocks(m))
                for v in want[2]:
                    positions = list(accumulate(engine.read_deltas(v)))
                    assert positions == Positions().decode_positions(v)
                checked += 1
    ix.close()
    # the sample has long lists (several blocks) and terms read the fast way
    assert checked > 1000 and blocks > checked


@pytest.mark.parametrize("positions", [
    list(range(0, 600, 2)),  # 300 positions, every gap under 256: the count needs 2 bytes
    list(range(256 * 3)),  # a count whose last byte is 0
    [5, 300, 301, 70000],  # gaps of BININT2 and BININT
    [0],
    [255],
    [256],
])
def test_deltas_of_the_uncommon_encodings(positions):
    value = Positions().encode(positions)
    read = list(accumulate(engine.read_deltas(value)))
    assert read == Positions().decode_positions(value) == positions
