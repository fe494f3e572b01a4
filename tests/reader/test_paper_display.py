"""How a paper is shown (issue 10, points 13, 18, 20, 21, 22): the date and category
columns, derived titles, the abstract pane's fields (new ones included, empty ones
hidden), LaTeX as Unicode, links that do not break inside the id."""

from __future__ import annotations

import re

from paperdeck.index.latex import readable, to_unicode
from paperdeck.index.library import Library
from paperdeck.index.model import Paper, Source
from paperdeck.index.views import Scope
from paperdeck.reader.labels import list_date
from paperdeck.reader.paper_text import AUTHORS_SHOWN
from paperdeck.reader.widgets.paper_list import DATE_WIDTH, TAG_WIDTH

from ..helpers import wait_until
from .test_themes import contrast
from .util import make_app, open_found, region_lines, settle

ONE_DATE = re.compile(r"\d{4}-W\d\d|\d{4}-\d\d|\d{4}|\?\?\?\?-\d\d-\d\d|")
LAYOUTS = ("podcast", "arxiv-d", "weekly-p", "daily-p", "trending")


async def test_the_date_and_category_columns_have_one_meaning_each(library: Library):
    """Point 20: one date display at the precision known (no `Mar 11` beside
    `2024-06-30` beside `2024-09`), and the right-hand column is the category only."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        seen_dates, seen_tags = set(), set()
        for start in range(0, app.papers.total, 30):  # every row, a screenful at a time
            app.papers.move_to(start)
            await settle(pilot, rounds=1)
            for line in region_lines(app, app.papers):
                if not line.strip():
                    continue
                columns = line[-(DATE_WIDTH + TAG_WIDTH + 2):]
                date, tag = columns[:DATE_WIDTH].strip(), columns[DATE_WIDTH + 1:].strip()
                assert ONE_DATE.fullmatch(date), line
                seen_dates.add(date[:4] if date[:2] == "20" else date[:5])
                seen_tags.add(tag)
        assert "????-" in seen_dates and len(seen_dates) > 3
        assert not any(t.startswith(LAYOUTS) for t in seen_tags), seen_tags
        assert any("." in t for t in seen_tags)


def _known(date: str) -> str:
    """What the date tells of when: the lower bound the library sorts by."""
    shown = list_date(date)
    if shown.startswith("????") or not shown:
        return ""
    if "-W" in shown:
        return date
    return (date + "-00-00")[:10]


def test_newest_is_sorted_by_what_is_known(library: Library):
    rows = library.rows(Scope(), "newest")
    keys = [_known(r.date) for r in rows]
    dated = [k for k in keys if k]
    assert keys[:len(dated)] == dated  # the undated (and year-less) last
    assert dated == sorted(dated, reverse=True)


async def test_derived_titles_are_muted_for_the_eye_to_skip(library: Library):
    """Point 21: a title made of the abstract's first sentence is drawn fainter than a
    real one (still readable: test_themes)."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.nav_tree_widget.focus()
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await settle(pilot)
            rows = [app.papers.row_at(i) for i in range(min(60, app.papers.total))]
            derived = next(i for i, r in enumerate(rows) if r.title_derived and not r.read
                           and i != app.papers.cursor)
            real = next(i for i, r in enumerate(rows) if not r.title_derived and not r.read
                        and i != app.papers.cursor)
            app.papers.scroll_to(y=0, animate=False, immediate=True)
            styles = {}
            for name, i in (("derived", derived), ("real", real)):
                app.papers.scroll_to(y=i, animate=False, immediate=True)
                seg = list(app.papers.render_line(0))[4]
                styles[name] = seg.style
            assert styles["derived"].italic
            fg = {k: s.color.get_truecolor() for k, s in styles.items()}
            bg = styles["real"].bgcolor.get_truecolor()
            assert contrast(fg["derived"], bg) < contrast(fg["real"], bg)


async def test_latex_in_an_abstract_is_shown_as_unicode(library: Library):
    """Point 18 (the display): `$1/\\sqrt{v}$` reads `1/√(v)`, `$10.5\\%$` reads
    `10.5%`; the pane shows the abstract as the library stores it (read at import), and
    a search still highlights the words where they are shown."""
    paper = library.paper("2406.16793")
    assert paper is not None and "1/√(v)" in paper.abstract and "\\sqrt" not in paper.abstract
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await open_found(pilot, app, "Adam", "2406.16793")
        assert app.abstract.key == "2406.16793"
        body = app.abstract.query_one("#abstract-body").render()
        assert "1/√(v)" in body.plain and "\\sqrt" not in body.plain and "$" not in body.plain
        assert body.plain == paper.abstract
        lit = {body.plain[s.start:s.end] for s in body.spans if "reverse" in str(s.style)}
        assert lit and all(w.lower().startswith("adam") for w in lit), lit


def test_converted_text_is_not_converted_twice(library: Library):
    """Titles and abstracts are stored as they are shown (read at import): reading them
    again changes nothing; the authors, read by the pane, come out the same twice."""
    for row in library.rows():
        paper = library.paper(row.key)
        for text in (paper.title, paper.abstract):
            assert readable(text) == text, text[:80]
        for text in paper.authors:
            once = to_unicode(text)
            assert to_unicode(once) == once, text[:80]


# As the library gives it: title and abstract read at import, the venue as written.
RICH = Paper(
    key="2401.00001", title="A Paper With α-Everything", arxiv_id="2401.00001",
    abstract="We study α things. They matter.", authors=["Ada Lovelace", "A. Turing"],
    year=2024, week="2024-01-07", month="2024-01", categories=["cs.CL"],
    sources=[Source("picks.md", "weekly-picks", "2024-01-07", 3,
                    summary="A short pitch: alpha for everyone."),
             Source("feed.xml", "rss", None, 12)],
    published="2024-01-03", doi="10.1000/xyz123", venue="Proceedings of {ACL} 2024",
    comments="12 pages, 3 figures", code_url="https://github.com/example/alpha",
    pdf_url="https://arxiv.org/pdf/2401.00001v2", link="https://example.org/alpha-blog",
    keywords=["alpha", "everything"])


async def test_the_abstract_pane_shows_every_field_and_hides_empty_ones(library: Library):
    """The fields richer sources carry (published day, DOI, venue, comments, code and
    PDF links, keywords, a digest's own summary, labelled and apart from the
    abstract); a paper without them shows none of their labels."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.abstract.show(RICH)
        await pilot.pause()
        text = app.abstract.plain_text()
        for shown in ("A Paper With α-Everything", "2024-01-03", "DOI 10.1000/xyz123",
                      "Proceedings of ACL 2024", "12 pages, 3 figures",
                      "https://github.com/example/alpha",
                      "https://arxiv.org/pdf/2401.00001v2", "https://example.org/alpha-blog",
                      "alpha, everything", "weekly-picks (2024-01-07) said:",
                      "A short pitch: alpha for everyone.", "We study α things.",
                      "Ada Lovelace, A. Turing", "picks.md", "feed.xml"):
            assert shown in text, shown
        summary = app.abstract.query_one("#abstract-summaries")
        body = app.abstract.query_one("#abstract-body")
        assert "pitch" not in str(body.render()) and summary.region.y > body.region.y
        bare = Paper(key="x", title="Bare", abstract="Nothing more.")
        app.abstract.show(bare)
        await pilot.pause()
        text = app.abstract.plain_text()
        for hidden in ("DOI", "Code", "Keywords", "Comments", "said:", "PDF", "Published"):
            assert hidden not in text, hidden


async def test_the_link_never_breaks_inside_the_id(library: Library):
    """Point 22: at 80x24 and 60x15 the arXiv link is broken after a `/`, not in the
    middle of `2406.15319`."""
    app = make_app(library)
    for size in ((80, 24), (60, 15), (140, 40)):
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            app.abstract.show(RICH)
            await settle(pilot)
            details = app.abstract.query_one("#abstract-details")
            app.abstract.scroll_to(y=details.virtual_region.y, animate=False)
            await settle(pilot)
            lines = region_lines(app, app.abstract)
            pieces = [line.strip() for line in lines if "2401" in line or "0001" in line]
            assert pieces, lines
            assert all("2401.00001" in p for p in pieces), pieces
        app = make_app(library)


async def test_hundreds_of_authors_do_not_push_the_abstract_off_the_pane(library: Library):
    """The Llama 3 paper lists 533 authors: the pane names the first AUTHORS_SHOWN and
    counts the rest, so the abstract is on the first screen; reading mode (z) names all."""
    many = Paper(key="herd", title="The Herd of Models", abstract="We present the herd.",
                 authors=[f"Author Number{i}" for i in range(533)])
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.abstract.show(many)
        await pilot.pause()
        text = app.abstract.plain_text()
        assert f"Author Number{AUTHORS_SHOWN - 1} … and" in text
        assert f"Author Number{AUTHORS_SHOWN}," not in text and "Author Number532" not in text
        assert f"and {533 - AUTHORS_SHOWN} more (533 authors)" in text
        body = app.abstract.query_one("#abstract-body")
        assert body.region.y < app.abstract.region.bottom  # the abstract is on screen
        await pilot.press("z")
        await wait_until(pilot, lambda: "Author Number532" in app.abstract.plain_text(),
                         what="reading mode to name every author")
        assert "more (533 authors)" not in app.abstract.plain_text()
