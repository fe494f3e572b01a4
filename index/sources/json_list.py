"""A JSON list of papers, read as a stream.

    [
      {"paper": {"id": "2406.15319", "title": "LongRAG: ...", "summary": "In traditional ...",
                 "authors": [{"name": "Ziyan Jiang"}], "publishedAt": "2024-06-21T..."},
       "title": "LongRAG: ...", "numComments": 2, ...},
      ...
    ]

The Hugging Face `api/daily_papers` answer above, scraper outputs, CSL-JSON exports
and any list of objects whose keys say what they hold (fields_guess.py reads them).
The list may also sit inside an object (`{"papers": [...]}`, `{"data": {"items":
[...]}}`): every list whose first object looks like a paper is read. The file goes
through ijson's push parser one line (or 64 KiB of a long line) at a time, so each
record knows the line it starts on and memory holds one object, however big the file.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import ijson

from paperdeck.index.model import DigestError, Record

from .base import HEAD_CHARS
from .document import Document
from .fields_guess import MAX_ENTRY_CHARS, RecordMaker, looks_like_paper

NAME = "json"
DESCRIPTION = ("JSON list of paper objects (title, abstract or summary, authors, url or id, "
               "date), alone or inside an object")

CHUNK = 1 << 16  # bytes fed to the parser at most at once; never past a line end
MAX_DEPTH = 64  # a paper's object nests a few levels; thousands are an attack or a mistake
_ERRORS = (ijson.JSONError, ValueError, ArithmeticError)  # what ijson may raise on bad input
_MAP, _ARRAY = "map", "array"


def _reason(exc: Exception) -> str:
    """The first line of ijson's message (the rest quotes the input, bytes and all)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first.strip(" b'\"")[:120]


def _pieces(doc: Document) -> Iterator[tuple[int, bytes]]:
    """(line, UTF-8 bytes) pieces of the file, each within one line, a BOM dropped.

    Bytes that are not UTF-8 become U+FFFD (counted in doc.replaced), as in every
    other layout: a Latin-1 file is read, not refused.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    line, replaced, first = 1, 0, True
    with doc.open_binary() as stream:
        while raw := stream.readline(CHUNK):
            if first:
                raw, first = raw.removeprefix(codecs.BOM_UTF8), False
            text = decoder.decode(raw)
            if "\ufffd" in text:
                replaced += text.count("\ufffd") - raw.count("\ufffd".encode())
            yield line, text.encode("utf-8", "surrogatepass")
            if raw.endswith(b"\n"):
                line += 1
        tail = decoder.decode(b"", final=True)
        if tail:
            replaced += tail.count("\ufffd")
            yield line, tail.encode("utf-8")
    doc.replaced = max(doc.replaced, replaced)


class _Container:
    """An open array or object; an array knows whether its objects are papers."""

    __slots__ = ("count", "kind", "papers")

    def __init__(self, kind: str, papers: bool | None = None):
        self.kind = kind
        self.papers = papers  # None until its first object is seen
        self.count = 0


def parse(doc: Document) -> Iterator[Record]:
    maker = RecordMaker(NAME, doc)
    events = ijson.sendable_list()
    coro = ijson.basic_parse_coro(events, use_float=True)
    stack: list[_Container] = []
    builder: ijson.ObjectBuilder | None = None
    skipping = False  # inside an object of a list that is not papers
    inner = 0  # depth inside the object being built or skipped
    start = size = 0
    line = 1
    rejected = False
    quiet, quiet_from = 0, 1  # bytes fed since the parser last had something to say
    for line, data in _pieces(doc):
        try:
            coro.send(data)
        except _ERRORS as exc:
            raise DigestError(f"not valid JSON: {_reason(exc)}", line=line) from None
        if builder is not None or skipping:
            size += len(data)
            if size > MAX_ENTRY_CHARS:
                raise DigestError(f"an entry of more than {MAX_ENTRY_CHARS:,} bytes, far longer "
                                  "than a paper's record: not a list of papers", line=start)
        if not events:
            # One value longer than any paper's field (a string of gigabytes outside the
            # papers' objects) would otherwise be held whole by the parser.
            quiet, quiet_from = quiet + len(data), quiet_from if quiet else line
            if quiet > MAX_ENTRY_CHARS:
                raise DigestError(f"a JSON value of more than {MAX_ENTRY_CHARS:,} bytes starts "
                                  "here: not a list of papers", line=quiet_from)
            continue
        quiet = 0
        for event, value in events:
            if builder is not None or skipping:
                if builder is not None:
                    builder.event(event, value)
                if event in ("start_map", "start_array"):
                    inner += 1
                    if len(stack) + inner > MAX_DEPTH:
                        raise DigestError(f"JSON nested more than {MAX_DEPTH} levels deep: "
                                          "not a list of papers", line=line)
                elif event in ("end_map", "end_array"):
                    inner -= 1
                if inner:
                    continue
                array = stack[-1]
                array.count += 1
                if skipping:
                    skipping = False
                    continue
                obj, builder = builder.value, None
                if array.papers is None:
                    array.papers = maker.telling(obj)
                    if not array.papers:
                        maker.note_other(obj, start)
                        rejected = True
                        continue
                rec = maker.record(obj, start, where=f"entry {array.count}: ")
                if rec is not None:
                    yield rec
            elif event == "start_map" and stack and stack[-1].kind == _ARRAY:
                inner, start, size = 1, line, len(data)
                if stack[-1].papers is False:
                    skipping = True
                else:
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
            elif event in ("start_map", "start_array"):
                # The file's own list is read whole; a list inside an object is read
                # when its first object looks like a paper (not a list of authors).
                stack.append(_Container(_MAP) if event == "start_map"
                             else _Container(_ARRAY, True if not stack else None))
                if len(stack) > MAX_DEPTH:
                    raise DigestError(f"JSON nested more than {MAX_DEPTH} levels deep: not a "
                                      "list of papers", line=line)
            elif event in ("end_map", "end_array"):
                stack.pop()
        del events[:]
    try:
        coro.close()
    except _ERRORS as exc:
        raise DigestError(f"the JSON stops before it is complete (cut short?): "
                          f"{_reason(exc)}", line=line) from None
    if not maker.seen and not rejected:
        raise DigestError("no list of objects in this JSON: a list of papers, or an object "
                          "holding one, is what paperdeck reads", line=1)
    maker.finish()


# --- sniffing ----------------------------------------------------------------------------


def sniff(head: str) -> float:
    s = head.lstrip("\ufeff \t\r\n")
    if not s or s[0] not in "[{":
        return 0.0
    events = ijson.sendable_list()
    coro = ijson.basic_parse_coro(events, use_float=True)
    broke = False
    try:
        coro.send(s.encode("utf-8", "replace"))
        if len(head) < HEAD_CHARS:  # the whole file: it must end where the JSON does
            coro.close()
    except _ERRORS:
        broke = True
    kinds: list[str] = []
    items: list = []  # the first objects found in a list
    builder: ijson.ObjectBuilder | None = None
    inner = 0
    ended = False
    for event, value in events:
        if builder is not None:
            builder.event(event, value)
            inner += event in ("start_map", "start_array")
            inner -= event in ("end_map", "end_array")
            if len(kinds) + inner > MAX_DEPTH:
                return 0.55
            if inner == 0:
                items.append(builder.value)
                builder = None
                if len(items) == 5:
                    break
            continue
        if event == "start_map" and kinds and kinds[-1] == _ARRAY:
            builder, inner = ijson.ObjectBuilder(), 1
            builder.event(event, value)
        elif event in ("start_map", "start_array"):
            kinds.append(_MAP if event == "start_map" else _ARRAY)
        elif event in ("end_map", "end_array"):
            kinds.pop()
            ended = not kinds
        if len(kinds) + inner > MAX_DEPTH:
            return 0.55  # JSON still, which parse() refuses with its line
    if builder is not None:
        items.append(builder.value)  # cut by the end of the head: what it has so far
    if broke and (ended or not items):
        return 0.0  # a second value after the first (JSON Lines), or not JSON at all
    if not items:
        return 0.3  # JSON, but no list of objects in it
    # A list of objects is JSON for sure, whatever its keys (a one-line JSON file can
    # look like prose to the text layouts); parse() says when no key names a paper.
    return 0.97 if any(looks_like_paper(obj) for obj in items) else 0.95
