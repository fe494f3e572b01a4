"""A file being imported, as a layout sees it: its head, its text, its lines, its bytes.

Decoding is UTF-8: a byte-order mark is dropped, undecodable bytes become U+FFFD
(and are counted), and NUL bytes in the first 8 KiB mean a binary file, refused.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from paperdeck.index.model import DigestError

from .base import HEAD_CHARS, split_lines

BINARY_PROBE = 8192  # NUL bytes in the first 8 KiB mean a binary file
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape leaves them
_BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> tuple[str, int]:
    """(text, number of undecodable bytes replaced by U+FFFD) of a file's bytes, as UTF-8."""
    if b"\0" in data[:BINARY_PROBE]:
        raise DigestError("binary file, not a text digest")
    if data.startswith(_BOM):
        data = data[3:]
    # surrogateescape maps each bad byte to one lone surrogate, which a C-speed
    # regex then counts and replaces: no Python call per bad byte.
    text = data.decode("utf-8", "surrogateescape")
    return _ESCAPED.subn("\ufffd", text)


class Notice(NamedTuple):
    """Something a layout passed over and the user should hear of (a skipped entry)."""

    line: int | None
    message: str


class Document:
    """One file being read: what a layout's parse() is given.

    `head` is the first HEAD_CHARS characters, decoded, line ends as in the file
    (sniff() judges it). `text()` is the whole decoded text, for formats that need
    all of it; `lines()` streams (number, line) pairs without their line ends
    (`\\r\\n`, `\\r` and `\\n` each end a line; a final line end starts no new line);
    `open_binary()` gives the raw bytes (a BOM included) to streaming parsers such
    as ijson. `field_map` is the user's mapping of record fields to the file's
    fields (`--map title=output`); `warn()` collects notices for the user.
    A layout should use the cheapest of text(), lines() and open_binary() that it
    can: a Document built from a path never holds the whole file unless text() is
    called.
    """

    def __init__(self, name: str, head: str, *, text: str | None = None,
                 path: Path | None = None, field_map: Mapping[str, str] | None = None):
        self.name = name
        self.head = head
        self.field_map: Mapping[str, str] = dict(field_map or {})
        self.notices: list[Notice] = []
        self.replaced = 0  # undecodable bytes met so far (read from a path only)
        self._text = text
        self._path = path

    @classmethod
    def from_text(cls, text: str, name: str = "<text>",
                  field_map: Mapping[str, str] | None = None) -> Document:
        """A document of text already decoded (by decode())."""
        return cls(name, text[:HEAD_CHARS], text=text, field_map=field_map)

    @classmethod
    def from_path(cls, path: str | Path, field_map: Mapping[str, str] | None = None) -> Document:
        """A document read from disk on demand; only the head is read now."""
        path = Path(path)
        with path.open("rb") as fh:
            if b"\0" in fh.read(BINARY_PROBE):
                raise DigestError("binary file, not a text digest")
        doc = cls(path.name, "", path=path, field_map=field_map)
        with doc._open_text(newline="") as stream:
            doc.head, doc.replaced = _ESCAPED.subn("\ufffd", stream.read(HEAD_CHARS))
        return doc

    def text(self) -> str:
        """The whole decoded text (line ends as in the file)."""
        if self._text is not None:
            return self._text
        assert self._path is not None
        text, replaced = decode(self._path.read_bytes())
        self.replaced = max(self.replaced, replaced)
        return text

    def lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, line without its line end), read as a stream."""
        if self._text is not None:  # in memory already: split it at C speed
            lines = split_lines(self._text)
            if lines[-1] == "":  # a final line end (or no text) starts no line
                lines.pop()
            yield from enumerate(lines, 1)
            return
        replaced = 0
        with self._open_text(newline=None) as stream:  # None: \r\n and \r read as \n
            for n, line in enumerate(stream, 1):
                line = line[:-1] if line.endswith("\n") else line
                line, bad = _ESCAPED.subn("\ufffd", line)
                replaced += bad
                yield n, line
        self.replaced = max(self.replaced, replaced)

    def open_binary(self) -> BinaryIO:
        """The file's bytes as a binary stream; the caller closes it."""
        if self._path is not None:
            return self._path.open("rb")
        return io.BytesIO((self._text or "").encode("utf-8", "surrogatepass"))

    def warn(self, message: str, line: int | None = None) -> None:
        self.notices.append(Notice(line, message))

    def _open_text(self, newline: str | None) -> TextIO:
        assert self._path is not None
        # Not the utf-8-sig codec: it drops a lone b"\xef" at the end of a file (it
        # waits for the rest of a BOM). The BOM is skipped here, as decode() does.
        raw = self._path.open("rb")
        if raw.read(len(_BOM)) != _BOM:
            raw.seek(0)
        return io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape",
                                newline=newline)
