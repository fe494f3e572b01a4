"""A file being imported, as a layout sees it: its head, its text, its lines, its bytes;
and `UnknownFormat`, the refusal of a file that no layout claims (a binary one, say).

Decoding is decided once, from the file's first bytes (`sniff_encoding`): a UTF-8,
UTF-16 or UTF-32 byte-order mark says it outright (a UTF-8 one is dropped); NUL
bytes, or control characters text never holds, in the first 8 KiB without such a
mark mean a binary file, refused; text that
is not UTF-8 and has none of UTF-8's multi-byte sequences, but reads as Western
European text in Windows-1252 (Latin-1), is read as that (the caller tells the user);
otherwise UTF-8, undecodable bytes becoming U+FFFD (and counted).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from paperdeck.index.model import DigestError

# What sniff() sees: a file's first characters. The five first layouts judge their
# first 200 lines (or 100 paragraphs) cut from the first 400,000 characters; 200
# lines of the arXiv dump's wrapped abstracts run well past 64 KiB, so a smaller
# head would change detection.
HEAD_CHARS = 400_000

BINARY_PROBE = 8192  # NUL bytes in the first 8 KiB mean a binary file
# So do control characters that text does not use (not tab, line ends, form feed or
# escape), when they are more than a few and more than 1% of those bytes.
_CONTROLS = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
CONTROLS_MIN = 8
# The bytes the encoding is judged on (a Latin-1 file's first accented letter is
# rarely further in than this).
ENCODING_PROBE = 256 * 1024
# The longest line lines() hands out. No record of any format comes near it (the
# longest abstract accepted is 100,000 characters); a longer line is a file that is
# no paper list (a 30 MB line of prose), refused with its number rather than read
# into memory whole.
MAX_LINE_CHARS = 8_000_000
READ_BUFFER = 1024 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape leaves them
_BOM = b"\xef\xbb\xbf"
# Characters a Western European text's non-ASCII bytes stand for in Windows-1252,
# beside letters: typographic punctuation, currency, degree, no-break space.
_LATIN_PUNCT = set("’‘“”„–—…«»°±·×÷€£¥§©®¿¡¢¤¦¨ª¬¯²³´µ¶¸¹º¼½¾\u00a0•†‡‰‹›™")
# Windows-1252 leaves five bytes undefined; a file with one of them is read as Latin-1.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")

UTF8 = "utf-8"
LATIN = "cp1252"  # Windows-1252, the superset of Latin-1 that Western files are written in
LATIN1 = "latin-1"
ENCODING_NAMES = {UTF8: "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32",
                  LATIN: "Windows-1252 (Latin-1)", LATIN1: "Latin-1"}


class UnknownFormat(DigestError):
    """A file that no layout claims: not a paper list paperdeck knows (an empty file, a
    binary one, text of no known format). Found in a directory, such a file is passed
    over (in `brief` words when it has them, the formats being listed once); named,
    it is refused."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 brief: str | None = None):
        super().__init__(message, path, line)
        self.brief = brief or message

    def at(self, path: str) -> UnknownFormat:
        return UnknownFormat(self.reason, path, self.line, self.brief)

    def briefly(self) -> str:
        """The message in its brief words, naming the file and line as the full one."""
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.brief


def split_lines(text: str) -> list[str]:
    """The lines of `text`; `\\r\\n`, `\\r` and `\\n` each end one.

    Unlike str.splitlines(), form feeds, U+2028 and the like do not end a line,
    and a final line end leaves an empty last item: line numbers stay the file's.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _binary() -> UnknownFormat:
    return UnknownFormat("binary file, not a text digest")


def sniff_encoding(probe: bytes) -> str:
    """The codec to read a file whose first bytes are `probe` (see the module docstring).

    Raises DigestError for a binary file.
    """
    if probe.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"  # checked before UTF-16: its little-endian mark starts alike
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if probe.startswith(_BOM):
        return UTF8
    first = probe[:BINARY_PROBE]
    if b"\0" in first:
        raise _binary()
    controls = len(_CONTROLS.findall(first))
    if controls >= CONTROLS_MIN and controls * 100 > len(first):
        raise _binary()
    if probe.isascii():
        return UTF8
    # Decoded incrementally: a character cut by the end of the probe is not an error.
    text = codecs.getincrementaldecoder(UTF8)("surrogateescape").decode(probe, final=False)
    bad = len(_ESCAPED.findall(text))
    if not bad:
        return UTF8
    multibyte = sum(1 for ch in text if ch > "\x7f" and not "\udc80" <= ch <= "\udcff")
    if multibyte:  # real UTF-8 with some damage: repaired, not reread
        return UTF8
    high = [b for b in probe if b > 0x7F]
    if len(high) * 4 > len(probe):  # a quarter of the bytes: not Western text
        return UTF8
    codec = LATIN1 if _CP1252_HOLES.intersection(high) else LATIN
    chars = bytes(high).decode(codec, "replace")
    fitting = sum(1 for ch in chars if ch.isalpha() or ch in _LATIN_PUNCT)
    return codec if fitting * 2 >= len(chars) else UTF8


def decode(data: bytes) -> tuple[str, int]:
    """(text, number of undecodable bytes replaced by U+FFFD) of a file's bytes.

    The encoding is sniff_encoding()'s; only UTF-8 can leave bytes undecodable.
    """
    return decode_as(data)[:2]


def decode_as(data: bytes) -> tuple[str, int, str]:
    """(text, bytes replaced, codec) of a file's bytes (see decode())."""
    codec = sniff_encoding(data[:ENCODING_PROBE])
    if codec != UTF8:
        return data.decode(codec, "replace"), 0, codec
    if data.startswith(_BOM):
        data = data[3:]
    # surrogateescape maps each bad byte to one lone surrogate, which a C-speed
    # regex then counts and replaces: no Python call per bad byte.
    text, bad = _ESCAPED.subn("\ufffd", data.decode(UTF8, "surrogateescape"))
    return text, bad, UTF8


class Notice(NamedTuple):
    """Something a layout passed over and the user should hear of (a skipped entry)."""

    line: int | None
    message: str


class _Counted(io.FileIO):
    """A file that counts the bytes read from it (the import's progress bar)."""

    def __init__(self, path: Path, doc: Document):
        super().__init__(path, "rb")
        self._doc = doc

    def readinto(self, buffer) -> int | None:
        n = super().readinto(buffer)
        if n:
            self._doc._consumed += n
        return n


class _Utf8(io.RawIOBase):
    """A text stream as UTF-8 bytes: what open_binary() gives for a file in another
    encoding, so that byte-level parsers (ijson, csv on bytes) read it unchanged."""

    def __init__(self, text: TextIO):
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            chunk = self._text.read(65536)
            if not chunk:
                return 0
            self._pending = _ESCAPED.sub("\ufffd", chunk).encode(UTF8, "surrogatepass")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._text.close()
        super().close()


class Document:
    """One file being read: what a layout's parse() is given.

    `head` is the first HEAD_CHARS characters, decoded, line ends as in the file
    (sniff() judges it). `text()` is the whole decoded text, for formats that need
    all of it; `lines()` streams (number, line) pairs without their line ends
    (`\\r\\n`, `\\r` and `\\n` each end a line; a final line end starts no new line;
    a line over MAX_LINE_CHARS is refused with its number);
    `open_binary()` gives the bytes to streaming parsers such as ijson: the file's
    own bytes (a UTF-8 BOM included) when it is UTF-8, else its text re-encoded as
    UTF-8. `field_map` is the user's mapping of record fields to the file's
    fields (`--map title=output`); `warn()` collects notices for the user.
    `encoding` is the codec the file is read with; `size` its size in bytes and
    `bytes_read` how far the reading has come (for a progress bar).
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
        self.encoding = UTF8
        self.size = len(text) if text is not None else 0  # characters: near enough
        self._consumed = 0  # bytes read from the file by every stream opened so far
        self._furthest = 0  # the most any one stream has read
        self._text = text
        self._path = path

    @classmethod
    def from_text(cls, text: str, name: str = "<text>",
                  field_map: Mapping[str, str] | None = None) -> Document:
        """A document of text already decoded (by decode())."""
        return cls(name, text[:HEAD_CHARS], text=text, field_map=field_map)

    @classmethod
    def from_path(cls, path: str | Path, field_map: Mapping[str, str] | None = None,
                  name: str | None = None) -> Document:
        """A document read from disk on demand; only the head is read now."""
        path = Path(path)
        with path.open("rb") as fh:
            probe = fh.read(ENCODING_PROBE)
            size = fh.seek(0, io.SEEK_END)
        doc = cls(name or path.name, "", path=path, field_map=field_map)
        doc.encoding = sniff_encoding(probe)
        doc.size = size
        with doc._open_text(newline="") as stream:
            doc.head, doc.replaced = _ESCAPED.subn("\ufffd", stream.read(HEAD_CHARS))
        doc._consumed = doc._furthest = 0  # the head is not progress
        return doc

    @property
    def bytes_read(self) -> int:
        """How many of the file's bytes the reading has come through (at most `size`)."""
        if self._path is None:
            return self.size
        return min(self.size, max(self._furthest, self._consumed))

    def text(self) -> str:
        """The whole decoded text (line ends as in the file)."""
        if self._text is not None:
            return self._text
        assert self._path is not None
        data = self._path.read_bytes()
        self._furthest = self.size
        if self.encoding == UTF8:
            text, replaced, _ = decode_as(data)
        else:
            text, replaced = data.decode(self.encoding, "replace"), 0
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
            n = 0
            while True:
                line = stream.readline(MAX_LINE_CHARS + 1)
                if not line:
                    break
                n += 1
                if line.endswith("\n"):
                    line = line[:-1]
                elif len(line) > MAX_LINE_CHARS:
                    raise DigestError(f"a line of more than {MAX_LINE_CHARS:,} characters: "
                                      "too long for a paper record of any format", line=n)
                line, bad = _ESCAPED.subn("\ufffd", line)
                replaced += bad
                yield n, line
        self.replaced = max(self.replaced, replaced)

    def open_binary(self) -> BinaryIO:
        """The file's bytes as a binary stream (UTF-8; see the class); the caller closes it."""
        if self._path is None:
            return io.BytesIO((self._text or "").encode(UTF8, "surrogatepass"))
        if self.encoding == UTF8:
            return io.BufferedReader(self._counted(), READ_BUFFER)
        return io.BufferedReader(_Utf8(self._open_text(newline="")), READ_BUFFER)

    def warn(self, message: str, line: int | None = None) -> None:
        self.notices.append(Notice(line, message))

    def _counted(self) -> _Counted:
        # A new stream starts from the top: keep the furthest any earlier one came.
        self._furthest = max(self._furthest, self._consumed)
        self._consumed = 0
        assert self._path is not None
        return _Counted(self._path, self)

    def _open_text(self, newline: str | None) -> TextIO:
        raw = io.BufferedReader(self._counted(), READ_BUFFER)
        if self.encoding != UTF8:  # the UTF-16/32 codecs read their own BOM
            return io.TextIOWrapper(raw, encoding=self.encoding, errors="replace",
                                    newline=newline)
        # Not the utf-8-sig codec: it drops a lone b"\xef" at the end of a file (it
        # waits for the rest of a BOM). The BOM is skipped here, as decode() does.
        if raw.peek(len(_BOM))[:len(_BOM)] == _BOM:
            raw.read(len(_BOM))
        return io.TextIOWrapper(raw, encoding=UTF8, errors="surrogateescape",
                                newline=newline)
