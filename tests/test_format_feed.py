"""The feed layout: RSS and Atom feeds of papers, on fixtures written from the
specifications and on the shared real feeds; hostile XML; detection against every
other real file."""

from __future__ import annotations

import http.server
import re
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record
from paperdeck.index.sources import THRESHOLD, Document, feed

from .helpers import shared

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "feed"
OTHER_FIXTURES = ROOT / "tests" / "fixtures"


def read(path: Path) -> tuple[list[Record], Document]:
    doc = Document.from_path(path)
    return list(feed.parse(doc)), doc


def fixture(name: str) -> list[Record]:
    records, _ = read(FIXTURES / name)
    assert records and all(r.layout == "feed" for r in records)
    return records


def from_text(text: str) -> list[Record]:
    return list(feed.parse(Document.from_text(text)))


def rss(items: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n<rss version="2.0"><channel>'
            f"<title>t</title>\n{items}\n</channel></rss>\n")


def item(n: int, description: str = "An abstract.") -> str:
    return (f"<item><title>Paper {n}</title><link>https://arxiv.org/abs/2406.{n:05d}</link>"
            f"<description>{description}</description></item>")


# --- where each item starts -------------------------------------------------------------------


def assert_lines_are_item_starts(path: Path, records: list[Record]) -> None:
    """Each record's line holds its item's start tag, and its title follows before the next."""
    text = path.read_bytes().decode("utf-8", "replace")
    lines = text.split("\n")
    starts = [r.line for r in records]
    assert starts == sorted(starts)
    for k, rec in enumerate(records):
        line = lines[rec.line - 1]
        assert "<item" in line or "<entry" in line, (rec.line, line[:80])
        end = records[k + 1].line if k + 1 < len(records) else len(lines)
        span = "\n".join(lines[rec.line - 1:end])
        word = max(re.findall(r"[A-Za-z]{3,}", rec.title), key=len)
        assert word in span, (rec.line, rec.title)


@pytest.mark.parametrize("name", ["arxiv_api.xml", "arxiv_rss.xml", "arxiv_atom_listing.xml",
                                  "arxiv_rdf.xml", "hf_papers.xml", "journal_toc.xml",
                                  "paper_blog_mixed.xml"])
def test_each_record_starts_at_its_item(name):
    assert_lines_are_item_starts(FIXTURES / name, fixture(name))


# --- the arXiv API ---------------------------------------------------------------------------


def test_arxiv_api_entry_with_everything():
    first, old, lora = fixture("arxiv_api.xml")
    assert first.title == "Sparse Retrieval at Scale: Inverted Indexes for Learned Term Weights"
    # the hard-wrapped summary joined; the maths' `<` kept (no HTML sanitizer ate it),
    # its LaTeX read as Unicode
    assert first.abstract.startswith("We study learned sparse retrieval over corpora of a")
    assert "in O(log n) time per term" in first.abstract
    assert "τ < 0.1 keeps 98% of the recall. Code and indexes are released." in first.abstract
    assert (first.arxiv_id, first.arxiv_version) == ("2303.07654", 2)
    assert first.authors == ["Ada Lovelace", "Alan M. Turing", "Grace Hopper"]
    assert first.published == "2023-03-14" and first.year == 2023  # <published>, not <updated>
    assert first.categories == ["cs.IR", "cs.CL"]  # the primary one first
    assert first.keywords == ["H.3.3"]  # an ACM class is not an arXiv category
    assert first.comments == "12 pages, 4 figures; accepted at SIGIR 2023"
    assert first.venue == "Proc. SIGIR 2023, pp. 101-112"
    assert first.doi == "10.1145/3539618.3591000"
    assert first.pdf_url == "http://arxiv.org/pdf/2303.07654v2"
    assert first.url is None and first.date_label is None and first.summary is None
    assert (old.arxiv_id, old.arxiv_version, old.year) == ("hep-th/9901001", 3, 1999)
    assert old.categories == ["hep-th"] and "tension α < 1 and" in old.abstract
    assert lora.authors == ["Edward J. Hu", "Yelong Shen"]
    assert lora.categories == ["cs.CL", "cs.AI", "cs.LG"]


def test_arxiv_api_error_and_empty_answers_are_refused_plainly():
    for name, says, line in [("arxiv_api_error.xml", "the arXiv API answered with an error, "
                              "not papers: incorrect id format for 1234.12345", 10),
                             ("arxiv_api_empty.xml", "the feed has no items", 2)]:
        doc = Document.from_path(FIXTURES / name)
        assert sources.detect(doc.head) == "feed"  # an API answer, whatever it holds
        with pytest.raises(DigestError, match=says) as err:
            list(feed.parse(doc))
        assert err.value.line == line


# --- arXiv's listing feeds --------------------------------------------------------------------


def test_arxiv_rss_listing_2024():
    new, cross, replace, replace_cross = fixture("arxiv_rss.xml")
    for rec in (new, cross, replace, replace_cross):
        assert "Announce" not in rec.abstract and not rec.abstract.startswith("arXiv:")
        assert rec.date_label == "2024-06-25"
    assert new.abstract.startswith("Tokenizers split text of some languages")
    assert new.abstract.endswith("the ratio r < 3 for Latin scripts but r > 5 for others, "
                                 "which we relate to accuracy & price.")
    assert (new.arxiv_id, new.arxiv_version) == ("2406.16001", 1)  # the version: from the text
    assert new.authors == ["José María García", "Li Wei", "Anna Müller"]
    assert new.categories == ["cs.CL", "cs.AI"]
    assert new.published == "2024-06-25" and cross.published == "2024-06-25"
    assert cross.categories == ["eess.AS", "cs.CL", "cs.SD"]
    assert cross.authors == ["Priya Raman", "Tomás Ortega"]  # dc:creator's LaTeX accent
    # a replacement's date is the revision's announcement: not the paper's
    assert replace.published is None and replace.year == 2023
    assert (replace.arxiv_id, replace.arxiv_version) == ("2312.10997", 3)
    assert replace_cross.published is None and replace_cross.arxiv_version == 2


def test_arxiv_atom_listing():
    new, replaced = fixture("arxiv_atom_listing.xml")
    assert (new.arxiv_id, new.arxiv_version, new.published) == ("2406.16100", 1, "2024-06-25")
    assert new.abstract.startswith("We train small transformers with Adam at β_1 = 0 and")
    assert new.authors == ["Kim Lee", "Ravi Shankar"]
    assert (replaced.arxiv_id, replaced.arxiv_version, replaced.published) == \
        ("2305.14314", 2, None)
    assert replaced.categories == ["cs.LG", "cs.CL"]


def test_arxiv_rss_1_0_before_2024():
    first, updated, crossed = fixture("arxiv_rdf.xml")
    # the title's `(arXiv:ID [cat])` tail is the listing's, not the paper's
    assert first.title == "Prompting Is Programming: A Query Language for Large Language Models"
    assert (first.arxiv_id, first.arxiv_version, first.categories) == \
        ("2306.12001", 1, ["cs.CL"])
    assert first.abstract == ("We present a query language for prompting, with constraints "
                              "such as x < 10 checked while decoding.")
    assert first.authors == ["Luca Beurer-Kellner", "Marc Fischer", "Martin Vechev"]
    assert updated.title == "Scaling Instruction Data" and updated.arxiv_version == 2
    assert crossed.categories == ["cs.CV"]
    assert crossed.authors == ["Timothée Darcet", "Maxime Oquab"]


# --- other feeds of papers ----------------------------------------------------------------------


def test_hugging_face_paper_feed():
    llama, tora, shield = fixture("hf_papers.xml")
    assert llama.arxiv_id == "2407.21783" and llama.url == "https://huggingface.co/papers/2407.21783"
    # HTML paragraphs become one text; the page's abstract is the paper's abstract
    assert llama.abstract == ("Modern artificial intelligence (AI) systems are powered by "
                              "foundation models. This paper presents a new set of foundation "
                              "models, called Llama 3. It is a herd of language models that "
                              "natively support multilinguality, coding, reasoning, and tool "
                              "usage.")
    assert tora.abstract.endswith("high-quality video content & motion.")
    assert shield.title.startswith("ShieldGemma") and shield.date_label == "2024-08-01"
    assert llama.published is None  # the day it was picked, not the paper's date
    assert llama.year == 2024  # from the id


def test_mixed_feed_keeps_papers_and_passes_over_the_rest():
    records, doc = read(FIXTURES / "paper_blog_mixed.xml")
    by_title = {r.title: r for r in records}
    assert list(by_title) == ["Attention Is All You Need",
                              "Highly accurate protein structure prediction with AlphaFold",
                              "Our notes on chain-of-thought prompting",
                              "Direct Preference Optimization"]
    attention = by_title["Attention Is All You Need"]
    assert (attention.arxiv_id, attention.arxiv_version) == ("1706.03762", 7)
    assert attention.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert attention.categories == ["cs.LG"] and attention.keywords == ["transformers"]
    fold = by_title["Highly accurate protein structure prediction with AlphaFold"]
    assert fold.doi == "10.1038/s41586-021-03819-2" and fold.arxiv_id is None
    assert fold.authors == ["John Jumper"]
    assert fold.abstract == "Proteins are essential to life; we predict their structure accurately."
    # a post that links a paper: its words are the post's, never the paper's abstract
    notes = by_title["Our notes on chain-of-thought prompting"]
    assert notes.arxiv_id == "2201.11903" and notes.abstract == ""
    assert notes.summary == "We discussed Wei et al. and liked the ablations."
    dpo = by_title["Direct Preference Optimization"]
    assert dpo.arxiv_id == "2305.18290"
    assert dpo.abstract == "We fit a policy to preferences without a reward model."
    assert [(n.line, n.message) for n in doc.notices] == [
        (23, "item passed over: 'Room closed next week' names no arXiv id or DOI "
             "(not a paper?)")]


def test_journal_feed_of_dois():
    fluids, tabular = fixture("journal_toc.xml")
    assert (fluids.doi, fluids.arxiv_id) == ("10.1038/s42256-024-00001-x", None)
    assert fluids.authors == ["Maria Rossi", "Kenji Sato"]
    assert fluids.published == "2024-02-12" and fluids.year == 2024
    assert fluids.abstract.endswith("We learn fluid simulators as message passing on graphs.")
    assert tabular.title == "A benchmark for tabular foundation models" and tabular.abstract == ""


def test_a_feed_of_blog_posts_is_not_a_paper_list():
    doc = Document.from_path(FIXTURES / "blog_feed.xml")
    assert feed.sniff(doc.head) <= THRESHOLD  # a directory import passes it over
    with pytest.raises(DigestError, match="not a paper list paperdeck knows"):
        sources.detect(doc.head)
    with pytest.raises(DigestError, match="not a paper list: none of the feed's 2 items") as err:
        list(feed.parse(doc))
    assert err.value.line == 7


def test_a_blog_citing_a_paper_now_and_then_is_not_a_paper_list():
    posts = "\n".join(f"<item><title>Post {n}</title><link>https://blog.example.org/{n}</link>"
                      "<description>Garden news.</description></item>" for n in range(3))
    text = rss(posts + "\n" + item(1))
    assert feed.sniff(text) <= THRESHOLD
    with pytest.raises(DigestError, match="only 1 of the feed's 4 items") as err:
        from_text(text)
    assert err.value.line == 4  # the first item that is no paper


def test_entities_a_feed_declares_for_itself_are_expanded_when_short_and_plain():
    [rec] = fixture("declared_entities.xml")
    assert rec.title == "Mixture of Experts\u00a0— a survey".replace("\u00a0", " ")
    assert "models — routing" in rec.abstract


def test_rss_0_91_in_latin_1_with_the_netscape_doctype():
    records = fixture("rss091.xml")  # the DTD named there is not fetched (no network here)
    assert [r.arxiv_id for r in records] == ["hep-th/9901002", "astro-ph/9812133"]
    assert records[1].abstract.endswith("after Schrödinger and Dicke.")


def test_utf8_mislabelled_as_latin_1_and_text_already_decoded():
    text = rss(item(1, "Schrödinger’s cat"))
    text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    [rec] = from_text(text)  # Document.from_text holds decoded text: its bytes are UTF-8
    assert rec.abstract == "Schrödinger’s cat"


def test_bom_and_latin_1_bytes_without_a_declaration(tmp_path):
    bom = tmp_path / "bom.xml"
    bom.write_bytes(b"\xef\xbb\xbf" + rss(item(1, "Caf\u00e9")).encode())
    [rec], _ = read(bom)
    assert rec.abstract == "Café"
    latin = tmp_path / "latin.xml"
    latin.write_bytes(rss(item(1, "Caf\u00e9")).replace('encoding="UTF-8"', "").encode("latin-1"))
    [rec], doc = read(latin)  # not UTF-8, not declared: Western text, read as Windows-1252
    assert rec.abstract == "Caf\u00e9" and doc.encoding == "cp1252"


def test_blank_lines_before_the_xml_declaration(tmp_path):
    path = tmp_path / "late.xml"
    text = "\n\n" + rss(item(7, "Caf\u00e9")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path.write_bytes(text.encode("latin-1"))
    [rec], _ = read(path)  # ill-formed XML, strictly; read as every feed reader reads it
    assert (rec.line, rec.arxiv_id, rec.abstract) == (6, "2406.00007", "Café")


@pytest.mark.parametrize("fragment, text", [
    ('<p>Hello <a href="x">link</a>, <b>bold</b> &amp; a&lt;b</p>', "Hello link, bold & a<b"),
    ("<p>One.</p><p>Two.<br/>Three.</p>", "One. Two. Three."),
    ('<script>var p = "<p>";</script><style>p {}</style>Text', "Text"),
    ("<!-- a comment -->Text<!-- unclosed", "Text"),
    ("x < y and y > z", "x < y and y > z"),
    ("<![CDATA[a < b]]> kept", "a < b kept"),
    ("<!DOCTYPE html>Text", "Text"),
])
def test_strip_html(fragment, text):
    assert " ".join(feed.strip_html(fragment).split()) == text


# --- the real feeds ---------------------------------------------------------------------------


def test_real_arxiv_api_answer():
    path = shared("realworld") / "arxiv-api-atom_search-testing_100.xml"
    doc = Document.from_path(path)
    assert sources.detect(doc.head) == "feed"
    records = list(feed.parse(doc))
    assert len(records) == 100 and not doc.notices
    assert all(r.arxiv_id and r.title and r.abstract and r.authors for r in records)
    [rec] = [r for r in records if r.arxiv_id == "2202.12139"]
    assert rec.title == ("Testing Deep Learning Models: A First Comparative Study of Multiple "
                         "Testing Techniques")
    assert (rec.arxiv_version, rec.year, rec.published) == (1, 2022, "2022-02-24")
    assert rec.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]
    assert rec.categories == ["cs.SE", "cs.LG"] and rec.doi == "10.1109/icstw55395.2022.00035"
    assert rec.comments.startswith("Artificial Intelligence in Software Testing 2022 workshop")
    # the recorded answer holds UTF-8 encoded twice; it is decoded once
    authors = {a for r in records for a in r.authors}
    assert "Aurora Ramírez" in authors and not any("Ã" in a for a in authors)
    assert_lines_are_item_starts(path, records)


def test_real_feed_republishing_arxiv_items():
    path = shared("realworld") / "ai-curator_rss-feed_2025-09-09.xml"
    doc = Document.from_path(path)
    assert sources.detect(doc.head) == "feed"
    records = list(feed.parse(doc))
    assert len(records) == 150 and not doc.notices
    assert all(r.arxiv_id and r.arxiv_version and r.date_label == "2025-09-09" for r in records)
    assert not any("Announce Type" in r.abstract or r.abstract.startswith("arXiv:")
                   for r in records)
    [rec] = [r for r in records if r.arxiv_id == "2508.08684"]
    assert rec.title.startswith("Out of the Box, into the Clinic? Evaluating State-of-the-Art ASR")
    assert rec.arxiv_version == 2 and rec.published is None  # a replacement
    assert rec.abstract.startswith("Voice-controlled interfaces can support older adults")
    assert "interacted with the Welzijn.AI chatbot" in rec.abstract  # \\texttt{} read
    [new] = [r for r in records if r.arxiv_id == "2509.05359"]
    assert new.published == "2025-09-09"  # announced new that day
    lines = path.read_text(encoding="utf-8").split("\n")
    assert "<item><title>Out of the Box, into the Clinic?" in lines[rec.line - 1]
    assert_lines_are_item_starts(path, records)


def foreign_files() -> list[Path]:
    files = []
    for folder in ("realworld", "realworld-html", "seeds"):
        base = shared(folder)
        files += [p for p in sorted(base.iterdir())
                  if p.is_file() and p.suffix != ".py" and p.name != "README.md"
                  and not p.name.startswith(("arxiv-api-atom", "ai-curator_rss"))]
    files += sorted((OTHER_FIXTURES / "arxiv_email").iterdir())
    return files


def test_sniff_stays_below_the_threshold_on_every_other_file():
    files = foreign_files()
    assert len(files) >= 30
    for path in files:
        assert feed.sniff(Document.from_path(path).head) <= THRESHOLD, path.name


def test_forcing_feed_on_every_other_file_is_refused():
    for path in foreign_files():
        with pytest.raises(DigestError, match="not an RSS or Atom feed") as err:
            list(feed.parse(Document.from_path(path)))
        assert err.value.line, path.name


def test_xhtml_pages_are_not_feeds():
    base = shared("realworld-html")
    for name in ("arxiv-abs_1306.3879_2014.html", "arxiv-abs_2106.09608_2021.html"):
        doc = Document.from_path(base / name)
        assert feed.sniff(doc.head) == 0.0
        with pytest.raises(DigestError, match="root element is <html>"):
            list(feed.parse(doc))


# --- hostile XML ------------------------------------------------------------------------------

BILLION_LAUGHS = "<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n" + "".join(
    f" <!ENTITY lol{i} \"{('&lol%s;' % (i - 1 if i > 1 else '')) * 10}\">\n"
    for i in range(1, 10)) + "]>"


def test_billion_laughs_is_refused_where_the_bomb_is_declared():
    text = rss(item(1, "&lol9;"), prolog=BILLION_LAUGHS)
    with pytest.raises(DigestError, match="declares the XML entity 'lol1'") as err:
        from_text(text)
    assert err.value.line == 4 and "entity bomb" in err.value.reason


def test_quadratic_blowup_is_refused():
    text = rss(item(1, "&a;" * 20_000), prolog=f'<!DOCTYPE rss [<!ENTITY a "{"a" * 50_000}">]>')
    with pytest.raises(DigestError, match="declares the XML entity 'a'") as err:
        from_text(text)
    assert err.value.line == 2


def test_external_file_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for system in (secret.as_uri(), "secret.txt", "file:///etc/passwd"):
        path = tmp_path / "feed.xml"
        path.write_text(rss(item(1, "&x;"), prolog=f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{system}">]>'))
        with pytest.raises(DigestError, match="external entity 'x'") as err:
            read(path)
        assert err.value.line == 2 and "TOP-SECRET" not in str(err.value)


@pytest.fixture
def http_server():
    """A server on the loopback that counts every request it gets (none, we expect)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            hits.append(self.path)
            body = b'<!ENTITY leak "FETCHED-FROM-THE-NETWORK">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_external_http_entity_and_dtd_are_never_fetched(http_server):
    url, hits = http_server
    with pytest.raises(DigestError, match="external entity 'x'"):
        from_text(rss(item(1, "&x;"), prolog=f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/x">]>'))
    with pytest.raises(DigestError, match="external entity 'p'"):
        from_text(rss(item(1), prolog=f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'))
    # an external DTD subset is skipped: the feed is read, the DTD never asked for
    [rec] = from_text(rss(item(1, "A &leak; here"), prolog=f'<!DOCTYPE rss SYSTEM "{url}/rss.dtd">'))
    assert "FETCHED" not in rec.abstract
    assert hits == []


def test_a_cut_feed_is_refused_naming_where_it_breaks():
    text = (FIXTURES / "arxiv_api.xml").read_text(encoding="utf-8")
    cut = text[:text.index("heterotic string theory")]  # inside the second entry
    with pytest.raises(DigestError, match="cut short") as err:
        from_text(cut)
    assert err.value.line == cut.count("\n") + 1
    assert "inside the <entry> that starts at line 44" in err.value.reason


def test_a_cut_real_feed_is_refused_wherever_it_is_cut():
    data = (shared("realworld") / "ai-curator_rss-feed_2025-09-09.xml").read_text(encoding="utf-8")
    for k in range(1, 10):
        cut = data[:len(data) * k // 10]
        with pytest.raises(DigestError, match="cut short") as err:
            from_text(cut)
        assert err.value.line == cut.rstrip().count("\n") + 1


def test_xml_broken_in_the_middle_is_refused_with_line_and_column():
    text = rss(item(1) + "\n" + item(2, "fish & chips") + "\n" + item(3))
    with pytest.raises(DigestError, match="not well-formed XML at column") as err:
        from_text(text)
    assert err.value.line == 5  # the second item's line: the declaration, the prolog, <rss>


@pytest.mark.parametrize("text", [
    "<!DOCTYPE x " + "[a]b]" * 12_000,  # once, a DOCTYPE pattern backtracked for minutes here
    "<rss>" + "<item" * 80_000,
    "<!--" + "x" * 400_000,
    rss("<item><title>" + "(arXiv:x[" * 50_000 + "</title><link>https://arxiv.org/abs/2406.00001"
        "</link></item>"),
    rss("<item><title>T</title><link>https://arxiv.org/abs/2406.00001</link><description>"
        + "&lt;p" * 100_000 + "</description></item>"),
    rss("<item><title>T</title><link>https://arxiv.org/abs/2406.00001</link><dc:creator>A"
        + " " * 200_000 + "B, C</dc:creator></item>").replace("<rss ", '<rss xmlns:dc='
                                                             '"http://purl.org/dc/elements/1.1/" '),
    rss(item(1, "&lt;p&gt;" + "&lt;!--x" * 50_000)),  # html.parser took 40 s on this
], ids=["doctype", "unclosed-items", "unclosed-comment", "old-title-tails", "html-ish", "spaces",
        "html-comments"])
def test_hostile_heads_are_read_in_one_pass(text):
    """A guard against catastrophic backtracking (not a speed measurement): each of
    these took minutes with a pattern that could backtrack over the head."""
    start = time.perf_counter()
    assert 0.0 <= feed.sniff(text) <= 1.0
    try:
        from_text(text)
    except DigestError:
        pass
    assert time.perf_counter() - start < 5


# --- hypothesis ---------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
XML_BITS = st.sampled_from([
    "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>", "<link>", "</link>",
    "https://arxiv.org/abs/2406.12345v2", "<description>", "</description>", "&amp;", "&lt;",
    "&foo;", "<![CDATA[", "]]>", "arXiv:2406.1 Announce Type: new Abstract: x", "<!--", "-->",
    "<dc:creator>", "</dc:creator>", "A, B and C", "\n", " ", "<", ">", "&", "Title",
    '<!DOCTYPE rss [<!ENTITY e "x">]>', "&e;", "<category>cs.CL</category>",
])
RSS_OPEN = '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'


def records_or_digest_error(text: str) -> None:
    try:
        records = from_text(text)
    except DigestError as e:
        assert e.reason
        return
    assert records and all(isinstance(r, Record) and r.layout == "feed" for r in records)
    assert all(r.arxiv_id or r.doi for r in records)
    assert 0.0 <= feed.sniff(text) <= 1.0


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    records_or_digest_error(text)


@FUZZ
@given(st.lists(XML_BITS, max_size=40), st.booleans())
def test_fuzz_feed_shaped_text(bits, close):
    records_or_digest_error(RSS_OPEN + "".join(bits) + ("</channel></rss>" if close else ""))


@FUZZ
@given(st.data())
def test_fuzz_fixture_with_lines_dropped(data):
    lines = (FIXTURES / "arxiv_rss.xml").read_text(encoding="utf-8").split("\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    records_or_digest_error("\n".join(line for line, k in zip(lines, keep, strict=True) if k))
