"""Reading a feed's XML safely: what the feed layout hands to feedparser has passed here.

defusedxml's expat reader reads the whole document once: it refuses what is not
well-formed (naming the line: a file cut short is refused, not read up to the cut),
expands no entity but a few short plain ones the feed declares itself, reads no
external entity and fetches no DTD. On the way it notes the line of each item, which
feedparser does not give. The bytes are first put in the form expat should read
(a misplaced XML declaration, UTF-8 mislabelled, text that is not UTF-8).
"""

from __future__ import annotations

import io
import re
import xml.sax

from defusedxml.expatreader import DefusedExpatParser

from paperdeck.index.model import DigestError

from .document import Document

# --- namespaces -----------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
ATOM_03 = "http://purl.org/atom/ns#"
RSS_10 = "http://purl.org/rss/1.0/"
RSS_090 = "http://my.netscape.com/rdf/simple/0.9/"
ARXIV = "http://arxiv.org/schemas/atom"
# Where an <item> or <entry> is a feed's item (feedparser counts these, and only these).
_ITEM_NAMESPACES = {
    None, "", ATOM, ATOM_03, RSS_10, RSS_090, "http://purl.org/net/rss1.1#",
    "http://backend.userland.com/rss", "http://backend.userland.com/rss2",
    "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/rss/2.0/",
}

# --- the reader -------------------------------------------------------------------

# An entity a feed declares for itself is expanded only when it is this short and
# plain (no markup, no reference to another entity): `&nbsp;` -> U+00A0. Anything
# larger is how an entity bomb starts, and is refused.
MAX_ENTITY_CHARS = 8


class _Refused(Exception):
    """Raised inside expat's callbacks; carries the DigestError out of the parse."""

    def __init__(self, error: DigestError):
        super().__init__(error.reason)
        self.error = error


class _SafeParser(DefusedExpatParser):
    """defusedxml's expat reader, allowing a feed's own few short plain entities."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)

    def defused_entity_decl(self, name, is_parameter_entity, value, base, sysid, pubid,
                            notation_name):
        line = self.getLineNumber()
        if sysid or pubid or notation_name:
            raise _Refused(DigestError(
                f"the feed declares the external entity {name!r} ({sysid or pubid}); "
                "paperdeck reads no file and fetches nothing a feed points to", line=line))
        if (is_parameter_entity or value is None or len(value) > MAX_ENTITY_CHARS
                or "&" in value or "<" in value or "%" in value):
            shown = (value or "")[:40]
            raise _Refused(DigestError(
                f"the feed declares the XML entity {name!r} as {shown!r}"
                f"{'...' if value and len(value) > 40 else ''}; paperdeck expands only a "
                f"feed's short plain entities (at most {MAX_ENTITY_CHARS} characters, no "
                "markup, no other entity): an entity bomb starts this way", line=line))

    def defused_unparsed_entity_decl(self, name, base, sysid, pubid, notation_name):
        raise _Refused(DigestError(
            f"the feed declares the external entity {name!r} ({sysid or pubid}); paperdeck "
            "reads no file and fetches nothing a feed points to", line=self.getLineNumber()))

    def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
        # Only the external DTD subset gets here (external entities are refused where
        # they are declared). It is skipped, never fetched: entities it would define
        # stay unexpanded, which is how every feed reader treats an RSS 0.91 DOCTYPE.
        return 1


class Scan(xml.sax.handler.ContentHandler):
    """Notes the root element, the line of each item, and the elements still open."""

    def __init__(self) -> None:
        super().__init__()
        self.locator = None
        self.started = False  # an element was read: the document is XML at least
        self.root_line = 1
        self.items: list[int] = []
        self.open: list[tuple[str, int]] = []

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def startElementNS(self, name, qname, attrs) -> None:
        uri, local = name
        line = self.locator.getLineNumber() if self.locator else 1
        if not self.started:
            self.started, self.root_line = True, line
            if not _is_feed_root(uri, local):  # an XHTML page, say: stop at its root
                shown = f"<{local}>" + (f" (namespace {uri})" if uri else "")
                raise _Refused(DigestError(
                    f"not an RSS or Atom feed: the document's root element is {shown}",
                    line=line))
        if local in ("item", "entry") and uri in _ITEM_NAMESPACES:
            self.items.append(line)
        self.open.append((local, line))

    def endElementNS(self, name, qname) -> None:
        if self.open:
            self.open.pop()


def _is_feed_root(uri: str | None, local: str) -> bool:
    return bool((local == "rss" and not uri)
                or (local == "RDF" and uri and "rdf" in uri.lower())
                or (local == "feed" and uri in (ATOM, ATOM_03)))


# Expat's words for input that stops before the document is complete.
_CUT_SHORT = ("no element found", "unclosed token", "unclosed CDATA section",
              "partial character")


def scan(data: bytes) -> Scan:
    """Read the whole document once, safely; refuse it with the line where it breaks.

    A feed cut short is refused, not read up to the cut: its last item is incomplete
    (an abstract cut mid-sentence, an author list without its end) and nothing says
    which; the complete file can simply be imported again (as a cut table is, too).
    """
    found = Scan()
    parser = _SafeParser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(found)
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except _Refused as refused:
        raise refused.error from None
    except xml.sax.SAXParseException as e:
        line, column, reason = e.getLineNumber(), e.getColumnNumber() + 1, e.getMessage()
        if not found.started:
            raise DigestError(f"not an RSS or Atom feed: not XML ({reason} at column {column})",
                              line=line) from None
        if reason.startswith(_CUT_SHORT) and line >= _last_line(data):
            inside = next((f" inside the <{n}> that starts at line {at},"
                           for n, at in reversed(found.open) if n in ("item", "entry")), "")
            raise DigestError(f"the feed ends{inside} before its XML is complete ({reason}): "
                              "it looks cut short; import the complete file",
                              line=line) from None
        raise DigestError(f"the feed is not well-formed XML at column {column}: {reason}",
                          line=line) from None
    return found


def _last_line(data: bytes) -> int:
    return data.rstrip().count(b"\n") + 1


_DECLARATION = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")


def xml_bytes(doc: Document) -> bytes:
    """The document's bytes, as expat should read them.

    A file declared UTF-8 (or not declared) that is not valid UTF-8 is read as the
    project reads any text: bad bytes become U+FFFD (Document counts them). A file
    declared as a one-byte encoding whose bytes are valid UTF-8 holding non-ASCII is
    UTF-8 mislabelled (or text decoded already, Document.from_text): read as UTF-8.
    """
    with doc.open_binary() as stream:
        data = stream.read()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data  # UTF-16 with its byte-order mark: expat knows it
    if late := _LATE_DECLARATION.match(data):
        data = _without_declaration(data, late)
    m = _DECLARATION.match(data)
    declared = m.group(1).decode("ascii").lower().replace("_", "-") if m else None
    if declared is None or declared in ("utf-8", "utf8"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return doc.text().encode("utf-8")
        return data
    if m and not declared.startswith(("utf-16", "utf-32", "ucs")) and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data  # really the encoding it declares
        return data[:m.start(1)] + b"utf-8" + data[m.end(1):]
    return data


# Blank lines before the XML declaration (a feed written by a careless script) make
# the document ill-formed; every feed reader reads it all the same.
_LATE_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]+(<\?xml\b[^>]*\?>)")


def _without_declaration(data: bytes, late: re.Match) -> bytes:
    """The document with its misplaced declaration blanked out (lines stay where they
    are), decoded from the encoding it declared into UTF-8."""
    declared = _DECLARATION.match(late.group(1))
    codec = declared.group(1).decode("ascii") if declared else "utf-8"
    blank = re.sub(rb"[^\n]", b" ", late.group(1))
    data = data[:late.start(1)] + blank + data[late.end(1):]
    if codec.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            data = data.decode(codec, "replace").encode("utf-8")
        except LookupError:  # an encoding Python does not know: leave the bytes to expat
            pass
    return data
