"""The shared HTML reader (html_page) and hostile pages: each is read or refused with a
DigestError naming the line, never another exception; and Hypothesis on every page layout.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, html_page

HTML_LAYOUTS = [name for name in sources.LAYOUTS if name.startswith("html-")]

ENTRY = """<dt><a name="item{n}">[{n}]</a> <a href="/abs/2401.0{n:04d}" title="Abstract">arXiv:2401.0{n:04d}</a></dt>
<dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> Paper number {n} on sparse models</div>
<div class="list-authors"><a href="/a/x">Ada Example</a></div>
<div class="list-subjects"><span class="descriptor">Subjects:</span> <span class="primary-subject">Machine Learning (cs.LG)</span></div></div></dd>
"""


def listing(body: str, before: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><title>cs.LG</title></head><body>{before}"
            f"<h3>Fri, 22 Nov 2024 (showing 2 of 2 entries)</h3><dl id='articles'>{body}"
            "</dl></body></html>")


def tree(text: str) -> html_page.Page:
    return html_page.read(Document.from_text(text))


def records_of(text: str) -> tuple[list, Document]:
    doc = Document.from_text(text)
    layout = sources.LAYOUTS[sources.detect(doc.head)]
    return list(layout.parse(doc)), doc


# --- the light tree ------------------------------------------------------------------


def test_entities_are_decoded_in_text_and_attributes():
    page = tree("<html><body><p title='A &amp; B'>caf&eacute; &#x2013; &lt;b&gt; &nbsp;x</p>"
                "</body></html>")
    p = page.root.find("p")
    assert p.get("title") == "A & B"
    assert p.text() == "café – <b> x"


def test_scripts_styles_navigation_and_hidden_elements_are_dropped():
    page = tree("<html><head><style>p{color:red}</style><script>var a = '<p>no</p>';</script>"
                "</head><body><nav><a href='https://arxiv.org/abs/2401.00001'>nav</a></nav>"
                "<div role='navigation'>menu</div><p hidden>secret</p><svg><text>icon</text>"
                "</svg><noscript>enable js</noscript><p>kept</p></body></html>")
    assert page.root.find("body").text() == "kept"
    assert page.root.find("a") is None


def test_rendered_math_gives_way_to_its_tex():
    page = tree("<html><body><p>at z<span class='MathJax_Preview'></span><span class='MathJax'>"
                "<nobr>rendered</nobr></span><script type='math/tex'>\\sim 2</script> and "
                "<span class='katex'><span class='katex-mathml'><math><semantics><mi>k</mi>"
                "<annotation encoding='application/x-tex'>k</annotation></semantics></math>"
                "</span><span class='katex-html' aria-hidden='true'>k</span></span></p>"
                "</body></html>")
    assert page.root.find("p").text() == "at z$\\sim 2$ and $k$"


def test_implied_end_tags_keep_siblings_siblings():
    page = tree("<html><body><ul><li>one<li>two<li>three</ul><dl><dt>a<dd>b<dt>c<dd>d</dl>"
                "<p>first<p>second<div>block</div><table><tr><td>1<td>2<tr><td>3</table>"
                "</body></html>")
    ul = page.root.find("ul")
    assert [li.text() for li in ul.elements()] == ["one", "two", "three"]
    assert [n.tag for n in page.root.find("dl").elements()] == ["dt", "dd", "dt", "dd"]
    body = page.root.find("body")
    assert [n.tag for n in body.elements()] == ["ul", "dl", "p", "p", "div", "table"]
    assert len(page.root.find_all("tr")) == 2 and len(page.root.find_all("td")) == 3


def test_elements_carry_their_source_line_and_json_ld_is_set_aside():
    page = tree('<html>\n<head>\n<script type="application/ld+json">{"datePublished": '
                '"2023-06-23"}</script>\n</head>\n<body>\n\n<p>x</p></body></html>')
    assert page.root.find("p").line == 7
    assert page.ld_objects() == [{"datePublished": "2023-06-23"}]


# --- hostile pages ---------------------------------------------------------------------


def test_a_50_mb_page_is_read(tmp_path):
    # A page saved as one file ("SingleFile"): images inlined as data: URIs, 50 MB of them.
    blob = "iVBORw0KGgo" * (50_000_000 // 11)
    page = listing(ENTRY.format(n=1) + f'<img src="data:image/png;base64,{blob}">'
                   + ENTRY.format(n=2))
    path = tmp_path / "big.html"
    path.write_text(page, encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    doc = Document.from_path(path)
    assert sources.detect(doc.head) == "html-arxiv-listing"
    records = list(sources.LAYOUTS["html-arxiv-listing"].parse(doc))
    assert [r.arxiv_id for r in records] == ["2401.00001", "2401.00002"]
    assert not doc.notices


def test_a_page_nested_ten_thousand_deep_is_read_without_recursion():
    deep = "<div><span>" * 10_000
    page = listing(ENTRY.format(n=1), before=deep + "x" + "</span></div>" * 10_000)
    records, _ = records_of(page)
    assert [r.arxiv_id for r in records] == ["2401.00001"]
    unclosed = tree("<html><body>" + "<div><b><i>" * 10_000 + "deep</body></html>")
    assert unclosed.root.text() == "deep"
    assert sum(1 for _ in unclosed.root.iter()) == 30_002
    assert tree("<html><body>" + "<p>" * 20_000 + "</body></html>").root.find("p").text() == ""


def test_invalid_markup_is_read_as_a_browser_would_read_it():
    body = ("</span></div><p <b>stray</b></i>" + ENTRY.format(n=1).replace("</dd>", "")
            + "<![<!junk><a href=x'y>odd</a><div class=\"a\"b\">" + ENTRY.format(n=2))
    records, doc = records_of(listing(body))
    assert [r.title for r in records] == ["Paper number 1 on sparse models",
                                          "Paper number 2 on sparse models"]
    assert not doc.notices


def test_an_unclosed_tail_is_passed_over_with_a_notice_naming_its_line():
    page = listing(ENTRY.format(n=1)) + "\n\n<!-- " + "x" * 100_000
    records, doc = records_of(page)
    assert [r.arxiv_id for r in records] == ["2401.00001"]
    [notice] = doc.notices
    assert notice.line == page.count("\n", 0, page.index("<!-- ")) + 1
    assert "unfinished markup" in notice.message
    # "<a<a<a..." to the end: html.parser (before 3.13.5) would read it back quadratically
    records, doc = records_of(listing(ENTRY.format(n=1)) + "<a" * 500_000)
    assert len(records) == 1 and len(doc.notices) == 1


def test_data_props_that_is_not_json_is_refused_with_its_line():
    page = ('<!doctype html><html><body>\n<div data-target="DailyPapers" '
            'data-props="{&quot;dailyPapers&quot;: [{">\n</div></body></html>')
    doc = Document.from_text(page)
    assert sources.detect(doc.head) == "html-huggingface"
    with pytest.raises(DigestError, match="not JSON") as caught:
        list(sources.LAYOUTS["html-huggingface"].parse(doc))
    assert caught.value.line == 2
    deep = '<html><body><div data-target="DailyPapers" data-props="' + "[" * 100_000 + '"></div>'
    with pytest.raises(DigestError, match="not JSON"):  # nesting past the JSON reader
        list(sources.LAYOUTS["html-huggingface"].parse(Document.from_text(deep)))


def test_a_latin1_page_with_a_wrong_meta_charset(tmp_path):
    # The bytes are Latin-1; the page claims UTF-8. The Document reads them as Windows-1252
    # (issue 9: Western text that is not UTF-8); the page layer acts on no <meta charset>.
    page = listing(ENTRY.format(n=1).replace("Ada Example", "Jos\xe9 Dur\xe1n"),
                   before='<meta charset="utf-8">')
    path = tmp_path / "latin1.html"
    path.write_bytes(page.encode("latin-1"))
    doc = Document.from_path(path)
    [rec] = sources.LAYOUTS[sources.detect(doc.head)].parse(doc)
    assert rec.authors == ["Jos\u00e9 Dur\u00e1n"] and doc.replaced == 0
    # and a page that says Latin-1 but is UTF-8 keeps its UTF-8
    page = listing(ENTRY.format(n=1).replace("Ada Example", "José Durán"),
                   before='<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    path.write_bytes(page.encode("utf-8"))
    [rec] = sources.LAYOUTS["html-arxiv-listing"].parse(Document.from_path(path))
    assert rec.authors == ["José Durán"]


def test_a_page_whose_titles_are_not_titles_is_refused():
    bad = "".join(ENTRY.format(n=n).replace(f"Paper number {n} on sparse models",
                                            "https://example.org/" + "x" * 10) for n in (1, 2))
    with pytest.raises(DigestError, match="not of this kind"):
        records_of(listing(bad))


# --- Hypothesis ------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "<html>", "<body>", "</body>", "<div>", "</div>", "<p>", "</p>", "<li>", "<ul>", "</ul>",
    "<dl id='articles'>", "<dt>", "<dd>", "</dd>", "<h3>Fri, 22 Nov 2024</h3>",
    "<a href='https://arxiv.org/abs/2401.00001'>", "<a href='/papers/2401.00002'>", "</a>",
    "<div class='list-title'>", "<li class='arxiv-result'>", "<p class='title'>",
    "<h3 class='gs_rt'>", "<div class='gs_a'>", "<div class='paper-card'>", "<article>",
    '<div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:[]}">',
    "<h2>References</h2>", "<!--", "-->", "<![", "<script>", "</script>", "&amp;", "&#x",
    "“A Title Here”", "Some words", " ", "\n", "<", ">", "'", '"', "=",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=60), st.sampled_from(HTML_LAYOUTS))
def test_any_markup_yields_records_or_a_digest_error(pieces, layout):
    doc = Document.from_text("".join(pieces))
    sources.LAYOUTS[layout].sniff(doc.head)
    try:
        records = list(sources.LAYOUTS[layout].parse(doc))
    except DigestError:
        return
    for rec in records:
        assert rec.layout == layout and rec.line >= 1
        assert rec.title is None or rec.title == " ".join(rec.title.split())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400), st.sampled_from(HTML_LAYOUTS))
def test_any_text_yields_records_or_a_digest_error(text, layout):
    doc = Document.from_text(text)
    assert 0.0 <= sources.LAYOUTS[layout].sniff(doc.head) <= 1.0
    try:
        list(sources.LAYOUTS[layout].parse(doc))
    except DigestError:
        pass
