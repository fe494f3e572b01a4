"""Issues 9 and 11, hostile files for every format, through the import as a user meets
it (a real Library in a temporary directory, already holding a paper): each refused
file is named with its line in one failure, and the library is exactly as before; each
file that is repaired rather than refused (another encoding, one broken entry) imports
what it holds and says what it passed over, naming the line.

The formats' own tests (tests/test_format_*.py) try the same inputs on the parsers; here
is what reaches the user. Small files written for these tests, from each format's
specification.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.library import Library

from .durability import db_dump

CAFE = "Caf\u00e9 R\u00e9sum\u00e9s for M\u00fcnchen Readers"  # Western text: Latin-1 can hold it
SECOND = "A Second Study of Readers"


def _bibtex() -> str:
    return (f"@article{{one, title = {{{CAFE}}}, author = {{M\u00fcller, J\u00fcrgen}},\n"
            "  year = {2024}, eprint = {2401.00001}, archivePrefix = {arXiv}}\n\n"
            f"@inproceedings{{two, title = {{{SECOND}}}, author = {{Roe, Rita}},\n"
            "  booktitle = {Proc. Readers}, year = {2023}, eprint = {2401.00002},\n"
            "  archivePrefix = {arXiv}}\n")


def _ris() -> str:
    return (f"TY  - JOUR\nTI  - {CAFE}\nAU  - M\u00fcller, J\u00fcrgen\nPY  - 2024\n"
            "UR  - https://arxiv.org/abs/2401.00001\nER  - \n\n"
            f"TY  - CONF\nTI  - {SECOND}\nAU  - Roe, Rita\nPY  - 2023\n"
            "UR  - https://arxiv.org/abs/2401.00002\nER  - \n")


def _entry(n: int, title: str) -> str:
    return (f"  <entry>\n    <id>http://arxiv.org/abs/2401.0000{n}v1</id>\n"
            "    <published>2024-01-02T10:00:00Z</published>\n"
            f"    <title>{title}</title>\n"
            f"    <summary>We study readers, number {n}, in a careful way.</summary>\n"
            "    <author><name>J\u00fcrgen M\u00fcller</name></author>\n"
            f'    <link href="http://arxiv.org/abs/2401.0000{n}v1" rel="alternate"/>\n'
            "  </entry>\n")


def _atom() -> str:  # an arXiv API answer, with no encoding declared
    return ('<feed xmlns="http://www.w3.org/2005/Atom">\n'
            "  <title>arXiv Query: readers</title>\n"
            "  <id>http://arxiv.org/api/q</id>\n  <updated>2024-01-03T00:00:00Z</updated>\n"
            + _entry(1, CAFE) + _entry(2, SECOND) + "</feed>\n")


def _papers() -> list[dict]:
    return [{"title": CAFE, "abstract": "We study readers.", "authors": ["J\u00fcrgen M\u00fcller"],
             "url": "https://arxiv.org/abs/2401.00001"},
            {"title": SECOND, "abstract": "We study more readers.", "authors": ["Rita Roe"],
             "url": "https://arxiv.org/abs/2401.00002"}]


def _csv() -> str:
    return ("title,abstract,url\n" + "".join(
        f'"{p["title"]}","{p["abstract"]}",{p["url"]}\n' for p in _papers()))


def _markdown() -> str:
    return ("# Papers I read\n\n"
            f"- [{CAFE}](https://arxiv.org/abs/2401.00001) - a short caf\u00e9 read\n"
            f"- [{SECOND}](https://arxiv.org/abs/2401.00002) - more of the same\n")


def _id_list() -> str:
    return "# \u00e0 lire: caf\u00e9 papers\n2401.00001\narXiv:2401.00002v2\n"


def _arxiv_email() -> str:
    def one(n: int, title: str) -> str:
        return ("\\\\\n"
                f"arXiv:2401.0000{n}\nDate: Tue, 2 Jan 2024 10:00:00 GMT   (100kb)\n\n"
                f"Title: {title}\nAuthors: J\u00fcrgen M\u00fcller and Rita Roe\n"
                "Categories: cs.CL\n\\\\\n"
                f"  We study readers, number {n}, in a careful way.\n"
                f"\\\\ ( https://arxiv.org/abs/2401.0000{n} ,  100kb)\n"
                + "-" * 78 + "\n")
    return ("-" * 78 + "\n Submissions to:\nComputation and Language\n"
            " received from  Mon  1 Jan 24 19:00:00 GMT  to  Tue  2 Jan 24 19:00:00 GMT\n"
            + "-" * 78 + "\n" + one(1, CAFE) + one(2, SECOND))


def _page() -> str:  # a saved web page's reference list (the meta charset is honest)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\">"
            "<title>Caf\u00e9 notes</title></head>\n<body><article>\n<h1>Notes</h1>\n"
            "<h2 id=\"references\">References</h2>\n"
            f"<p>[1] M\u00fcller. <a href=\"https://arxiv.org/abs/2401.00001\">\u201c{CAFE}\u201d"
            "</a> arXiv 2024.</p>\n"
            f"<p>[2] Roe. <a href=\"https://arxiv.org/abs/2401.00002\">\u201c{SECOND}\u201d</a>"
            " arXiv 2023.</p>\n</article></body></html>\n")


def _papers_page_md() -> str:  # a trending page saved as Markdown
    def one(n: int, title: str) -> str:
        return (f"### [{title}](https://huggingface.co/papers/2401.0000{n})\n\n"
                f"Published on Jan {n + 1}, 2024\n\n* 2 authors\n\n"
                "We study how readers of paper digests read, in caf\u00e9s and at home,\n"
                f"and what they keep (case {n}); the results hold for every reader.\n\n"
                f"{n * 7} upvotes\n\n")
    return ("# Trending Papers\n\nGet trending papers in your email inbox once a day!\n\n"
            "[Subscribe](https://huggingface.co/subscribe)\n\n" + one(1, CAFE) + one(2, SECOND))


SAMPLES: dict[str, Callable[[], str]] = {
    "bibtex": _bibtex,
    "ris": _ris,
    "feed": _atom,
    "json": lambda: json.dumps(_papers(), ensure_ascii=False, indent=1),
    "json-lines": lambda: "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in _papers()),
    "csv": _csv,
    "markdown": _markdown,
    "papers-page-md": _papers_page_md,
    "id-list": _id_list,
    "arxiv-email": _arxiv_email,
    "html-links": _page,
}
ENCODINGS = {"latin-1": "cp1252", "utf-16": "utf-16", "utf-16-be-bom": "utf-16",
             "utf-8-bom": "utf-8"}


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("cp1252" if encoding == "latin-1" else encoding)  # curly quotes too


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("layout", SAMPLES)
def test_every_format_reads_latin1_utf16_and_a_bom(tmp_path, layout, encoding):
    charset = {"latin-1": "windows-1252", "utf-8-bom": "utf-8"}.get(encoding, "utf-16")
    text = SAMPLES[layout]().replace("{charset}", charset)
    path = tmp_path / f"papers-{encoding}"
    path.write_bytes(encoded(text, encoding))
    doc = sources.Document.from_path(path)
    assert doc.encoding.startswith(ENCODINGS[encoding]), doc.encoding
    name, records = sources.read(doc)
    records = list(records)
    assert name == layout
    assert [r.arxiv_id for r in records] == ["2401.00001", "2401.00002"]
    if layout != "id-list":  # a list of ids has no titles
        assert [r.title for r in records] == [CAFE, SECOND]
    assert "\ufffd" not in " ".join(f"{r.title} {r.authors} {r.summary}" for r in records)
    assert not doc.notices and not doc.replaced


# --- refused, named with the line; the library unchanged ----------------------------------


@pytest.fixture
def library(tmp_path):
    """A library already holding a paper, so that 'unchanged' means something."""
    first = tmp_path / "first.txt"
    first.write_text("2401.09999\n2401.09998\n")
    lib = Library.open(tmp_path / "lib")
    assert lib.import_files([first]).added == 2
    yield lib
    lib.close()


def refused(lib: Library, path: Path, line: int | None, says: str,
            layout: str | None = None) -> str:
    before = db_dump(lib.data_dir)
    report = lib.import_files([path], layout)
    assert not report.ok and report.added == report.merged == 0
    [failure] = report.failed
    assert failure.startswith(f"{path}:{line}: " if line else f"{path}: "), failure
    assert says in failure, failure
    assert db_dump(lib.data_dir) == before
    return failure


def _bomb(tmp_path: Path) -> Path:
    entities = "".join(f' <!ENTITY e{i} "{f"&e{i - 1};" * 10}">\n' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE feed [\n <!ENTITY e0 "lol">\n'
                    + entities + "]>\n"
                    + _atom().replace("We study readers, number 1", "&e9;"))
    return path


def test_an_xml_entity_bomb_is_refused_where_it_is_declared(library, tmp_path):
    refused(library, _bomb(tmp_path), 4, "entity bomb")


def test_an_external_entity_is_refused_and_never_read(library, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
                    + _atom().replace("We study readers, number 1", "&x;"))
    failure = refused(library, path, 2, "external entity 'x'")
    assert "TOP-SECRET" not in failure
    assert not any("TOP-SECRET" in r.title for r in library.rows())


def test_a_truncated_feed_is_refused_where_it_is_cut(library, tmp_path):
    text = _atom()
    cut = text[:text.index(SECOND)]
    path = tmp_path / "cut.xml"
    path.write_text(cut)
    refused(library, path, cut.count("\n") + 1, "cut short")


def test_bibtex_of_nothing_but_unbalanced_braces_is_refused(library, tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text("@article{a, title = {Open {brace}, year = {2024}\n\n"
                    "@article{b, title = {Another {open, year = {2023}\n")
    refused(library, path, 1, "")


def test_a_csv_header_of_a_million_columns_is_refused(library, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("title," + ",".join(f"c{i}" for i in range(1_000_000)) + "\nT,1\n")
    refused(library, path, 1, "a line of more than 400,000 characters: too long")
    refused(library, path, 1, "a table of papers has at most 1,000", layout="csv")


def test_json_nested_a_hundred_thousand_deep_is_refused(library, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('[\n{"title": "Deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n]\n")
    refused(library, path, 2, "nested more than")


def test_a_page_whose_data_props_is_not_json_is_refused(library, tmp_path):
    path = tmp_path / "hf.html"
    path.write_text('<html><body>\n<div data-target="DailyPapers" data-props="{&quot;dailyPapers'
                    '&quot;: [{&quot;paper&quot;: ' + "[" * 50 + '"></div>\n</body></html>\n')
    refused(library, path, 2, "data-props")


@pytest.mark.parametrize("layout", ["ris", "id-list", "json-lines", "csv", "arxiv-email"])
def test_a_line_of_more_than_8_million_characters_is_refused_with_its_number(
        library, tmp_path, layout):
    """The formats read line by line hold one line at a time; one that will not end is
    refused where it starts, whatever comes after it."""
    text = SAMPLES[layout]()
    lines = text.split("\n")
    at = len(lines) // 2
    path = tmp_path / "huge-line"
    path.write_text("\n".join([*lines[:at], "x" * 8_000_001, *lines[at:]]))
    refused(library, path, at + 1, "a line of more than 8,000,000 characters")


def test_a_digests_words_of_megabytes_beside_a_paper_are_refused_with_the_line(
        library, tmp_path):
    """A Markdown list keeps the words beside a paper's link as the digest's summary:
    a megabyte of them is no digest (in BibTeX such an abstract skips its entry, and
    a page's reference keeps no words beside its link)."""
    path = tmp_path / "long-words.md"
    path.write_text(_markdown().replace("a short caf\u00e9 read", "word " * 200_001))
    refused(library, path, 3, "summary of 1,000,004 characters; the longest paperdeck "
            "accepts is 100,000")


# --- repaired, not refused ------------------------------------------------------------------


def test_json_lines_with_one_broken_line_imports_the_rest_and_names_the_line(library, tmp_path):
    good = [json.dumps(p) for p in _papers()]
    more = [json.dumps({"title": f"Reading Study Number {i}", "abstract": "We read.",
                        "url": f"https://arxiv.org/abs/2402.0000{i}"}) for i in range(1, 6)]
    path = tmp_path / "one-broken.jsonl"
    path.write_text("\n".join([good[0], *more[:3], '{"title": "Broken", "abstract": ',
                               *more[3:], good[1]]) + "\n")
    report = library.import_files([path])
    assert report.ok and not report.failed and report.added == 7, report.warnings
    [warning] = report.warnings
    assert warning.startswith(f"warning: {path}:5: "), warning
    assert {r.title for r in library.rows()} >= {CAFE, SECOND}


def test_bibtex_with_one_unbalanced_entry_imports_the_rest_and_names_the_line(
        library, tmp_path):
    path = tmp_path / "one-broken.bib"
    path.write_text(_bibtex() + "\n@article{bad, title = {Open {brace}, year = {2024}\n")
    report = library.import_files([path])
    assert report.ok and not report.failed and report.added == 2
    assert any(w.startswith(f"warning: {path}:") for w in report.warnings), report.warnings


def test_a_latin1_page_under_a_utf8_meta_charset_is_read_as_latin1_and_said_so(
        library, tmp_path):
    path = tmp_path / "latin.html"
    path.write_bytes(_page().replace("{charset}", "utf-8").encode("cp1252"))
    report = library.import_files([path])
    assert report.ok and report.added == 2
    assert any(f"{path}: not UTF-8; read as Windows-1252" in w for w in report.warnings)
    assert CAFE in {r.title for r in library.rows()}


def test_a_page_nested_ten_thousand_deep_imports_its_papers(library, tmp_path):
    page = _page().replace("{charset}", "utf-8")
    cut = page.index("<h2")
    path = tmp_path / "deep.html"
    path.write_text(page[:cut] + "<div>" * 10_000 + "x" + "</div>" * 10_000 + page[cut:])
    report = library.import_files([path])
    assert report.ok and report.added == 2, report.warnings


def test_invalid_markup_imports_as_a_browser_reads_it(library, tmp_path):
    page = _page().replace("{charset}", "utf-8")
    broken = (page.replace("</p>", "").replace("</article>", "</section></b>")
              .replace("<p>[2]", "<p><i>[2]</b>"))
    path = tmp_path / "broken.html"
    path.write_text(broken)
    report = library.import_files([path])
    assert report.ok and report.added == 2, report.warnings
    assert {CAFE, SECOND} <= {r.title for r in library.rows()}


def test_each_sample_is_detected_as_its_format_in_a_directory(tmp_path):
    """The samples above are each read as their format by detection, from a directory
    (the failures above are not failures of detection)."""
    d = tmp_path / "all"
    d.mkdir()
    for layout, sample in SAMPLES.items():
        (d / layout).write_text(sample().replace("{charset}", "utf-8"))
    lib = Library.open(tmp_path / "lib")
    try:
        report = lib.import_files([d])
        assert report.ok and not report.failed and not report.passed_over, report.warnings
        assert {f["file"]: f["layout"] for f in lib.stats()["files"]} == {n: n for n in SAMPLES}
        assert report.added == 2
    finally:
        lib.close()
        shutil.rmtree(d)
