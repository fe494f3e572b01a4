"""Issues 9 and 11: forcing any layout onto a real file of another kind is refused with
the line where the file stopped fitting, never turned into junk records.

Every registered layout (`sources.layout_names()`: a new one is covered by itself) is
forced onto every real file of ../shared/realworld, ../shared/realworld-html and
../shared/seeds that is not of its own kind (other people's files, read where they
are). The one exception is a layout that is, by its description, a generic superset of
the file's own kind (SUPERSETS): it may read the file, but then gives the very arXiv
ids the file's own layout gives, not junk.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError, Record

from .durability import db_dump
from .helpers import CLI, ROOT, shared
from .test_format_html_realworld import PAGES
from .test_realworld_import import REAL

FOLDERS = ("realworld", "realworld-html", "seeds")
SEED_LAYOUTS = ("podcast", "arxiv-dump", "weekly-picks", "daily-papers", "trending")

# (forced layout, the file's own layout): the forced one reads any file of the other kind.
SUPERSETS = {
    # "Markdown paper lists: ... papers-of-the-week tables": the sample weekly table is one
    ("markdown", "weekly-picks"),
    # and a daily or trending page saved as Markdown is a list of `### [Title](link)`
    ("markdown", "papers-page-md"),
}


def own_layouts() -> dict[Path, str | None]:
    """Each real file and the layout it is of (None: not a paper list paperdeck reads
    unaided, such as a README, the guessless JSON, a script), as the folders' READMEs
    and the per-format tests say."""
    own: dict[Path, str | None] = {}
    for folder in FOLDERS:
        base = shared(folder)
        seeds = iter(SEED_LAYOUTS)
        for path in sorted(p for p in base.iterdir() if p.is_file()):
            if folder == "realworld":
                own[path] = REAL[path.name][0] if path.name in REAL else None
            elif folder == "realworld-html":
                own[path] = PAGES[path.name][0] if path.name in PAGES else None
            else:
                own[path] = next(seeds) if path.suffix == ".txt" else None
    assert len(own) == 15 + 15 + 6, sorted(p.name for p in own)  # the folders as known
    return own


@cache
def own_ids(path: Path, layout: str) -> frozenset[str]:
    _, records = sources.read(sources.Document.from_path(path), layout)
    return frozenset(r.arxiv_id for r in records if r.arxiv_id)


@pytest.mark.parametrize("layout", sources.layout_names())
def test_forcing_a_layout_onto_every_foreign_real_file_is_refused_with_a_line(layout):
    accepted = []
    for path, own in own_layouts().items():
        if own == layout:
            continue
        doc = sources.Document.from_path(path)
        try:
            _, records = sources.read(doc, layout)
            ids = frozenset(r.arxiv_id for r in records if r.arxiv_id)
        except DigestError as exc:
            assert exc.line is not None and exc.line >= 1, (path.name, str(exc))
            assert exc.path is None  # the layout names the line, the caller the file
            continue
        if (layout, own) in SUPERSETS:
            assert ids and ids == own_ids(path, own), path.name
        else:
            accepted.append(path.name)
    assert not accepted, f"{layout} read foreign files as papers: {accepted}"


FIXTURES = ROOT / "tests" / "fixtures"
# A file of no known layout that a layout reads when forced, by design (see its test).
FORCED_ON_PURPOSE = {("markdown", "markdown/project-readme.md")}
# The generic Markdown layout reads the links of a list of ids, not its bare ids: a
# part of the same papers, never another one.
PART_OF = {("markdown", "id-list")}


@cache
def fixture_layouts() -> dict[Path, str | None]:
    """Each fixture written for the tests, and the layout detection gives it (None: no
    layout claims it); detection itself is tested by each format's tests."""
    own: dict[Path, str | None] = {}
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        try:
            own[path] = sources.detect(sources.Document.from_path(path))
        except DigestError:
            own[path] = None
    return own


@pytest.mark.parametrize("layout", sources.layout_names())
def test_forcing_a_layout_onto_every_foreign_fixture_is_refused_with_a_line(layout):
    """The same on the small files written for the tests, where a few records of another
    format are easier to take for papers (the trending layout read an Atom feed of one
    paper as 19 papers titled `<?xml ...`, `<feed ...>`)."""
    accepted = []
    for path, own in fixture_layouts().items():
        name = path.relative_to(FIXTURES).as_posix()
        if own == layout or (layout, name) in FORCED_ON_PURPOSE:
            continue
        try:
            _, records = sources.read(sources.Document.from_path(path), layout)
            ids = frozenset(r.arxiv_id for r in records if r.arxiv_id)
        except DigestError as exc:
            assert exc.line is not None and exc.line >= 1, (name, str(exc))
            continue
        if (layout, own) in SUPERSETS or ((layout, own) in PART_OF and ids):
            mine = own_ids(path, own)
            assert ids == mine if (layout, own) in SUPERSETS else ids < mine, name
        else:
            accepted.append(name)
    assert not accepted, f"{layout} read foreign files as papers: {accepted}"


def test_the_superset_exceptions_are_still_needed():
    """Each exception names a pair that a real file or a fixture shows: the generic
    layout does read every file of the specific kind, with the same arXiv ids (else
    the exception should go)."""
    for layout, own in SUPERSETS:
        files = [p for p, o in [*own_layouts().items(), *fixture_layouts().items()] if o == own]
        assert files, own
        for path in files:
            _, records = sources.read(sources.Document.from_path(path), layout)
            assert frozenset(r.arxiv_id for r in records if r.arxiv_id) == own_ids(path, own)


def test_a_page_layout_forced_onto_a_feed_through_the_cli_names_the_file_and_line(tmp_path):
    """The command line: exit 1, one line naming the file and line 1, the library as it
    was (here, with a paper in it already)."""
    cli = CLI(tmp_path / "lib")
    email = shared("realworld") / "arxiv-listing-email_cs_2026-01-26.txt"
    cli("import", str(email))
    before = db_dump(cli.data_dir)
    atom = shared("realworld") / "arxiv-api-atom_search-testing_100.xml"
    proc = cli("import", "--format", "html-pwc", str(atom), ok=False)
    assert proc.returncode == 1 and proc.stdout == "" and "Traceback" not in proc.stderr
    [error] = proc.stderr.splitlines()
    assert error.startswith(f"paperdeck: error: {atom}:1: this does not read as html-pwc: ")
    assert db_dump(cli.data_dir) == before


@pytest.mark.parametrize(("title", "misfit"), [
    ('"Why Should I Trust You?": Explaining the Predictions of Any Classifier', None),
    ("AI - Driven Discovery of Materials", None),
    ("<think> Tokens Help Small Models Reason", None),
    ("Scaling to 1,000,000,000 Tokens", None),
    ("Comment on arXiv:2401.00001", None),
    ('"id": "http://zotero.org/users/1/items/A",', "a JSON member"),
    ("],", "punctuation"),
    ("TY - JOUR", "a RIS tag line"),
    ('<?xml version="1.0" encoding="UTF-8"?>', "an XML or HTML tag"),
    ("<title>LongRAG</title>", "an XML or HTML tag"),
    ("title,authors,url,published,abstract", "a row of separated values"),
    ("LongRAG Ziyan Jiang; Xueguang Ma 2024 2406.15319 Computation", "a row of fields"),
])
def test_lines_of_other_formats_are_told_from_titles_that_look_like_them(title, misfit):
    """What makes a forced layout's records 'not papers' (checks.misfit), and real titles
    that must not count as such."""
    reason = sources.misfit(Record(layout="trending", line=1, title=title, abstract=""))
    assert (reason is None) if misfit is None else reason.startswith(misfit), reason
