"""The import pipeline (issue 9) through a real Library: each file on its own
transaction, records streamed in batches, the new fields stored, shown and searched,
the field map and standard input, decoding at the Document level, and every
registered layout checked on arbitrary text and on arbitrary bytes read from a file."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import importing, sources, upkeep
from paperdeck.index.library import Library
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import document
from paperdeck.index.views import Scope

from .records_layout import registered, text  # noqa: F401 (a fixture)


def paper(i: int, **fields) -> dict:
    return {"title": f"Streaming import study number {i}",
            "abstract": f"We import paper lists of every size, case {i}, one batch at a time.",
            "url": f"https://arxiv.org/abs/2503.{i:05d}", **fields}


# --- each file on its own ---------------------------------------------------------------


def test_a_file_failing_after_several_batches_leaves_nothing_and_the_others_land(
        tmp_path, registered, monkeypatch):  # noqa: F811
    monkeypatch.setattr(importing, "BATCH_RECORDS", 100)  # many batches before the failure
    good = tmp_path / "good.txt"
    good.write_text(text(*(paper(i) for i in range(1, 51))))
    bad = tmp_path / "bad.txt"
    bad.write_text(text(*(paper(i) for i in range(1000, 1350)), fail=True))
    later = tmp_path / "later.txt"
    later.write_text(text(paper(2000), paper(1)))  # one new, one of good.txt's
    merged: list[int] = []
    lib = Library.open(tmp_path / "lib")
    real = lib.importer.merge_batch
    monkeypatch.setattr(lib.importer, "merge_batch",
                        lambda conn, batch, *a: (merged.append(len(batch)), real(conn, batch, *a)))
    try:
        report = lib.import_files([good, bad, later])
        assert merged == [50, 100, 100, 100, 2]  # bad.txt's 3 batches were written, then undone
        assert not report.ok and report.files == [str(good), str(later)]
        [failure] = report.failed
        assert failure.startswith(f"{bad}:352: ") and "fails here" in failure
        assert f"error: {failure}" in report.warnings
        assert (report.added, report.merged, report.records) == (51, 1, 52)
        assert report.summary() == ("51 added, 1 merged, 0 skipped, 0 passed over, 1 failed "
                                    "(52 records from 2 files)")
        stats = lib.stats()
        assert stats["papers"] == stats["indexed"] == 51
        assert [f["file"] for f in stats["files"]] == ["good.txt", "later.txt"]
        assert lib.resolve("2503.01000") is None
        conn = lib.connection()
        assert conn.execute("SELECT COUNT(*) FROM match_keys WHERE mkey LIKE 'id:2503.01%'"
                            ).fetchone() == (0,)
    finally:
        lib.close()


def test_records_across_batches_of_one_file_merge(tmp_path, registered, monkeypatch):  # noqa: F811
    monkeypatch.setattr(importing, "BATCH_RECORDS", 7)
    f = tmp_path / "twice.txt"
    f.write_text(text(*(paper(i) for i in range(30)), *(paper(i, title=None) for i in range(30))))
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files([f])
        assert (report.added, report.merged) == (30, 30)
        assert len(lib.paper("2503.00007").sources) == 2
    finally:
        lib.close()


def test_a_batch_is_bounded_by_its_text_too(tmp_path, registered, monkeypatch):  # noqa: F811
    monkeypatch.setattr(importing, "BATCH_CHARS", 5_000)
    sizes: list[int] = []
    lib = Library.open(tmp_path / "lib")
    real = lib.importer.merge_batch
    monkeypatch.setattr(lib.importer, "merge_batch",
                        lambda conn, batch, *a: (sizes.append(len(batch)), real(conn, batch, *a)))
    f = tmp_path / "long.txt"
    f.write_text(text(*(paper(i, abstract="word " * 500) for i in range(10))))
    try:
        lib.import_files([f])
    finally:
        lib.close()
    assert sizes == [2, 2, 2, 2, 2]


# --- the new fields: stored, shown, searched ---------------------------------------------


def test_new_fields_are_stored_merged_and_searchable(tmp_path, registered):  # noqa: F811
    f = tmp_path / "rich.txt"
    f.write_text(text(
        {"title": "GNN-RAG", "title_is_name": True, "url": "https://arxiv.org/abs/2405.20139",
         "summary": "Graph neural retrieval glued to a language model reader, zorblax."},
        {"title": "GNN-RAG: Graph Neural Retrieval for Large Language Model Reasoning",
         "abstract": "Knowledge Graphs represent human-crafted factual knowledge.",
         "doi": "10.48550/arXiv.2405.20139", "published": "2024-05-30", "venue": "ACL",
         "comments": "12 pages", "code_url": "https://github.com/cmavro/GNN-RAG",
         "pdf_url": "https://arxiv.org/pdf/2405.20139v1", "keywords": ["KGQA", "RAG"],
         "authors": ["Costas Mavromatis", "George Karypis"], "categories": ["cs.CL"]},
        {"title": "A Title-Only Entry Of A Plain Markdown List", "url": "https://example.org/p",
         "summary": "Only a pitch, no abstract."},
    ))
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files([f])
        assert (report.added, report.merged) == (2, 1)
        p = lib.paper("2405.20139")
        assert p.title == "GNN-RAG: Graph Neural Retrieval for Large Language Model Reasoning"
        assert (p.published, p.week, p.month, p.year) == ("2024-05-30", "2024-06-02", "2024-06",
                                                          2024)
        assert (p.doi, p.venue, p.comments) == ("10.48550/arxiv.2405.20139", "ACL", "12 pages")
        assert (p.code_url, p.pdf_url, p.link) == ("https://github.com/cmavro/GNN-RAG",
                                                   "https://arxiv.org/pdf/2405.20139v1", None)
        assert p.keywords == ["KGQA", "RAG"] and p.abstract.startswith("Knowledge Graphs")
        assert [s.summary for s in p.sources] == [
            "Graph neural retrieval glued to a language model reader, zorblax.", None]
        j = p.to_json()
        assert j["sources"][0]["summary"].endswith("zorblax.") and j["keywords"] == ["KGQA", "RAG"]
        # the summary is searched (not as the abstract: the paper keeps its own)
        assert [r.key for r in lib.search("zorblax").rows] == ["2405.20139"]
        assert [r.key for r in lib.search("KGQA").rows] == ["2405.20139"]
        plain = lib.resolve("a-title-only-entry-of-a-plain-markdown-list")
        q = lib.paper(plain)
        assert (q.abstract, q.link, q.title_derived) == ("", "https://example.org/p", False)
        assert [r.key for r in lib.search("pitch").rows] == [plain]
        # the time tree: the published day's week
        assert lib.counts(Scope("week", "2024-06-02")) == (1, 1)
        assert lib.resolve("10.48550/arXiv.2405.20139") == "2405.20139"
        assert lib.resolve("https://huggingface.co/papers/2405.20139") == "2405.20139"
    finally:
        lib.close()


def test_the_field_map_reaches_the_layout(tmp_path, registered):  # noqa: F811
    f = tmp_path / "mapped.txt"
    f.write_text(text({"output": "A Mapped Title For A Paper", "input": "Its mapped abstract."}))
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files([f], field_map={"title": "output", "abstract": "input"})
        assert report.added == 1, report.warnings
        [row] = lib.rows()
        assert row.title == "A Mapped Title For A Paper"
        assert lib.paper(row.key).abstract == "Its mapped abstract."
    finally:
        lib.close()


def test_standard_input_is_a_file_named_stdin(tmp_path, registered):  # noqa: F811
    data = text(paper(1), paper(2)).encode()
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files(["-"], stdin=io.BytesIO(data))
        assert (report.added, report.files) == (2, ["<stdin>"])
        [f] = lib.stats()["files"]
        assert f["file"] == "stdin" and f["records"] == 2
        again = lib.import_files(["-"], stdin=io.BytesIO(data))
        assert again.skipped_files == ["<stdin>"]  # the same content, by its digest
        assert not list((tmp_path / "lib").glob(".stdin-*"))  # the spooled copy is gone
    finally:
        lib.close()


def test_progress_is_told_in_bytes_up_to_the_total(tmp_path, registered, monkeypatch):  # noqa: F811
    monkeypatch.setattr(importing, "BATCH_RECORDS", 10)
    files = []
    for k in range(2):
        f = tmp_path / f"p{k}.txt"
        f.write_text(text(*(paper(i + 100 * k) for i in range(60))))
        files.append(f)
    told: list[tuple[int, int, str]] = []
    lib = Library.open(tmp_path / "lib")
    try:
        lib.import_files(files, progress=lambda d, t, w: told.append((d, t, w)))
    finally:
        lib.close()
    read = [(d, t) for d, t, w in told if w == "bytes read"]
    total = sum(f.stat().st_size for f in files)
    assert len(read) >= 8 and all(t == total for _, t in read)
    assert [d for d, _ in read] == sorted(d for d, _ in read) and read[-1][0] == total
    assert told[-1][2] == "papers indexed"


# --- decoding, at the Document level -------------------------------------------------------


@pytest.mark.parametrize(("data", "codec"), [
    (b"plain ascii", "utf-8"),
    ("caf\u00e9 na\u00efve".encode(), "utf-8"),
    (b"\xef\xbb\xbfwith a BOM", "utf-8"),
    ("\ufeffUTF-16 text".encode("utf-16-le"), "utf-16"),
    ("\ufeffUTF-16 text".encode("utf-16-be"), "utf-16"),
    ("UTF-32 text".encode("utf-32"), "utf-32"),
    ("Un caf\u00e9 na\u00eff, un d\u00e9j\u00e0 vu \u2013 le \u201cr\u00e9sum\u00e9\u201d d'un "
     "article".encode("cp1252"), "cp1252"),
    ("Gr\u00fc\u00dfe aus K\u00f6ln".encode("latin-1") + b" \x81", "latin-1"),  # a cp1252 hole
    ("caf\u00e9 ".encode() + b"and a bad \xff byte", "utf-8"),  # real UTF-8, damaged: repaired
    (b"ab\xff\xfe\xfd\xfc\xfb\xfacd", "utf-8"),  # mostly high bytes: not Western text
])
def test_the_encoding_is_sniffed_from_the_first_bytes(data, codec):
    assert document.sniff_encoding(data) == codec


def test_utf16_reads_the_same_through_every_door(tmp_path):
    text_ = "line one\r\nline \u00e9 two\n\nlast"
    path = tmp_path / "u16.txt"
    path.write_bytes(text_.encode("utf-16"))
    doc = sources.Document.from_path(path)
    assert (doc.encoding, doc.head, doc.text()) == ("utf-16", text_, text_)
    assert list(doc.lines()) == [(1, "line one"), (2, "line \u00e9 two"), (3, ""), (4, "last")]
    with doc.open_binary() as fh:  # UTF-8 bytes for a byte-level parser
        assert fh.read() == text_.encode()
    assert doc.bytes_read == doc.size == path.stat().st_size
    assert sources.decode(path.read_bytes()) == (text_, 0)


def test_a_line_too_long_for_any_record_is_refused_with_its_number(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "MAX_LINE_CHARS", 1000)
    path = tmp_path / "long.txt"
    path.write_text("short\n" + "x" * 999 + "\n" + "y" * 1001 + "\nafter\n")
    doc = sources.Document.from_path(path)
    seen = []
    with pytest.raises(DigestError, match="a line of more than 1,000 characters") as err:
        for n, _ in doc.lines():
            seen.append(n)
    assert err.value.line == 3 and seen == [1, 2]


def test_bytes_read_follows_a_stream(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"0123456789\n" * 400_000)  # 4.4 MB: several reads
    doc = sources.Document.from_path(path)
    assert doc.bytes_read == 0
    seen = []
    for n, _ in doc.lines():
        if n % 100_000 == 0:
            seen.append(doc.bytes_read)
    assert seen == sorted(seen) and 0 < seen[0] < doc.size
    assert doc.bytes_read == doc.size


# --- every registered layout, on arbitrary text ----------------------------------------------


@pytest.mark.parametrize("name", sources.layout_names())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_every_layout_on_arbitrary_text_gives_records_or_a_digest_error(name, text_):
    records_or_a_digest_error(sources.Document.from_text(text_), name)


def records_or_a_digest_error(doc: sources.Document, name: str) -> list[Record]:
    """`doc` read as `name` gives records that pass the pipeline's checks, or refuses
    with a DigestError that says why; nothing else. The records ([] when refused)."""
    try:
        found, records = sources.read(doc, name)
        out = list(records)
    except DigestError as exc:
        assert str(exc)
        return []
    assert found == name and out and all(isinstance(r, Record) for r in out)
    for r in out:  # what the pipeline checks holds for every record let through
        assert r.title is None or sources.plausible_title(r.title)
        json.dumps(r.__dict__)
    return out


# Bytes that decode in each way the Document knows (a BOM, UTF-16, Latin-1, broken UTF-8),
# mixed with the markup and tags of the formats, so that a layout gets past its sniffing.
_TOKENS = st.sampled_from([
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\xc3\xa9", b"\xc3", b"\x00", b"\r\n", b"\n",
    b"\t", b"|", b",", b"{", b"}", b"[", b"]", b'"', b"<", b">", b"@article{k, title = {",
    b"TY  - JOUR\n", b"TI  - ", b"ER  - \n", b'{"title": "', b"<entry><title>", b"</entry>",
    b"<a href='https://arxiv.org/abs/2401.00001'>", b"2401.00001\n", b"arXiv:2401.00002\n",
    b"| Week | title | category | abstract | Paper-Link |\n", b"### [A Title](https://x.org)\n",
    b"- [A Paper Title](https://arxiv.org/abs/2401.00003)\n", b"title,abstract,url\n",
    b"\\\\\n", b"Title: ", b"Authors: ", b"A Study of Things", b" ",
])


@pytest.mark.parametrize("name", sources.layout_names())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=1500),
                 st.lists(_TOKENS, max_size=40).map(b"".join)))
def test_every_layout_on_arbitrary_bytes_from_a_file_gives_records_or_a_digest_error(
        name, data):
    """The path a real import takes: a file on disk, its encoding sniffed, read as a
    stream (lines, binary) or whole, as the layout reads."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "any"
        path.write_bytes(data)
        try:
            doc = sources.Document.from_path(path)
        except DigestError as exc:
            assert str(exc)
            return
        out = records_or_a_digest_error(doc, name)  # read while the file is there
    for r in out:
        assert r.layout == name and r.line >= 1


def test_the_index_catches_up_in_chunks_and_records_the_generation_last(
        tmp_path, registered, monkeypatch):  # noqa: F811
    monkeypatch.setattr(upkeep, "CATCH_UP_CHUNK", 7)
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(text(*(paper(i) for i in range(30))))
    second.write_text(text(*(paper(i) for i in range(100, 112))))
    lib = Library.open(tmp_path / "lib")
    try:
        rebuilds = lib.index.rebuilds
        lib.import_files([first])  # most of the library changed: a rebuild, which streams
        assert lib.index.rebuilds == rebuilds + 1
        calls: list[tuple[int, int, int]] = []
        real = lib.index.update

        def update(docs, deleted, generation, **kwargs):
            calls.append((len(docs), len(list(deleted)), generation))
            return real(docs, deleted, generation, **kwargs)

        monkeypatch.setattr(lib.index, "update", update)
        lib.import_files([second])  # 12 of 42 changed: caught up 7 at a time
        since, gen = calls[0][2], lib.generation
        assert calls == [(7, 0, since), (5, 0, gen)] and since < gen
        assert lib.index.state()["generation"] == gen
        assert lib.stats()["indexed"] == 42
        assert lib.search("streaming import study", limit=None).total == 42
    finally:
        lib.close()
