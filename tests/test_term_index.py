"""The index writer's compact term index (engine._TermIndex) writes the bytes Whoosh's
own OrderedHashWriter writes, and Whoosh's reader finds every term in it."""

from __future__ import annotations

import random

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

from paperdeck.index import engine


def _keys(n: int, seed: int) -> list[tuple[bytes, bytes]]:
    rng = random.Random(seed)
    keys = sorted({b"\x00\x03" + f"{rng.random():.12f}-{i}".encode() for i in range(n)})
    return [(k, rng.randbytes(rng.randrange(0, 40))) for k in keys]


def _write(storage, name: str, items, compact: bool) -> bytes:
    writer = OrderedHashWriter(storage.create_file(name))
    if compact:
        writer = engine._TermIndex.adopt(writer)
    writer.extras["fieldmap"] = {"abstract": 3}
    for key, value in items:
        writer.add(key, value)
    writer.close()
    return storage.open_file(name).read()


@pytest.mark.parametrize("n", [0, 1, 7, 3000])
def test_same_bytes_as_whoosh(n):
    items = _keys(n, seed=n)
    storage = RamStorage()
    assert _write(storage, "stock", items, False) == _write(storage, "compact", items, True)


def test_whoosh_reads_every_term():
    items = _keys(5000, seed=9)
    storage = RamStorage()
    _write(storage, "t", items, True)
    reader = OrderedHashReader.open(storage, "t")
    assert reader.extras["fieldmap"] == {"abstract": 3}
    for key, value in items:
        assert reader[key] == value
    assert b"\x00\x03missing" not in reader
    # The ordered index: the nearest key at or after a key that is not there.
    assert reader.closest_key(items[10][0][:-1]) == items[10][0]


def test_keys_must_increase():
    storage = RamStorage()
    writer = engine._TermIndex.adopt(OrderedHashWriter(storage.create_file("t")))
    writer.add(b"b", b"1")
    with pytest.raises(ValueError, match="Keys must increase"):
        writer.add(b"a", b"2")


def test_the_index_writer_uses_it(tmp_path):
    from whoosh import fields, index

    ix = index.create_in(str(tmp_path), fields.Schema(t=fields.TEXT))
    writer = engine.open_writer(ix, 16)
    assert isinstance(writer.fieldwriter._tindex, engine._TermIndex)
    writer.add_document(t="alpha beta")
    writer.add_document(t="beta gamma")
    writer.commit()
    with ix.searcher() as s:
        assert list(s.lexicon("t")) == [b"alpha", b"beta", b"gamma"]
        assert s.doc_frequency("t", "beta") == 2
