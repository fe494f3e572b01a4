"""The abstract pane's sources show the upvotes each listing showed, as `show` does."""

from __future__ import annotations

from pathlib import Path

from paperdeck.index.library import Library

from ..helpers import shared
from .util import make_app, open_found, settle

VOTES_MD = Path(__file__).resolve().parent.parent / "fixtures" / "markdown" / \
    "daily-papers-votes.md"
LLAMA = "2407.21783"


async def test_the_sources_of_a_paper_show_each_listings_upvotes(library: Library):
    report = library.import_files([shared("realworld-html") / "hf-daily-papers_2024-08-01.html",
                                   VOTES_MD])
    assert report.ok
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await open_found(pilot, app, "Herd", LLAMA)
        assert app.abstract.key == LLAMA
        text = " ".join(app.abstract.plain_text().split())
        assert "hf-daily-papers_2024-08-01.html · 2024-08-01 · html-huggingface · line 118 " \
               "· 94 upvotes" in text, text
        assert "daily-papers-votes.md · Aug 2 · papers-page-md · line 9 · 1,200 upvotes" \
            in text, text
        # a sample paper's listing showed no votes, and its pane says none
        sample = library.rows()[-1].key
        app.abstract.show(library.paper(sample))
        await pilot.pause()
        assert "upvote" not in app.abstract.plain_text()
