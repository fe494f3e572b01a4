"""Reload (issue 10, point 11): a mark or an import made in another shell is seen by a
running reader (counts, list, marks, the paper shown) without a restart; R forces it."""

from __future__ import annotations

from paperdeck.index.library import Library
from paperdeck.index.views import Scope

from ..helpers import CLI, wait_until
from .util import make_app, settle, write_picks


async def test_a_mark_from_another_shell_is_seen(sample_dir):
    lib = Library.open(sample_dir)
    try:
        app = make_app(lib, watch_every=0.1)
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            here = app.papers.current.key
            other = app.papers.row_at(app.papers.cursor + 1).key
            CLI(sample_dir)("mark", here, "--star")
            CLI(sample_dir)("mark", other, "--read")
            await wait_until(pilot, lambda: app.papers.current.starred, timeout=15,
                             what="the star made elsewhere to show")
            await settle(pilot)
            assert app.papers.current.key == here  # the cursor kept its paper
            assert app.papers.row_at(app.papers.cursor + 1).read
            assert app.nav_tree_widget.counts_of(Scope("starred"))[1] == 1
            assert app.nav_tree_widget.counts_of(Scope("read"))[1] == 1
            assert "★ starred" in app.abstract.plain_text()
    finally:
        lib.close()


async def test_R_reads_an_import_made_elsewhere(sample_dir, tmp_path):
    digest = write_picks(tmp_path / "elsewhere.md", [(
        "2024-07-07", "Quokka attention for tiny models", "Machine Learning",
        "Quokka attention is small. It is fast.", "2407.00002")])
    lib = Library.open(sample_dir)
    try:
        app = make_app(lib, watch_every=0)  # no looking when idle: R alone
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            total = app.papers.total
            CLI(sample_dir)("import", str(digest))
            await settle(pilot)
            assert app.papers.total == total  # not looked at yet
            await pilot.press("R")
            await settle(pilot)
            assert app.papers.total == total + 1
            assert app.nav_tree_widget.counts_of(Scope())[1] == total + 1
            await pilot.press("slash", *"quokka")
            await settle(pilot)
            assert app.result.total == 1
    finally:
        lib.close()


async def test_own_marks_do_not_reload_the_list(library: Library):
    """The reader's own marks are not changes made elsewhere: no reload, no notice."""
    app = make_app(library, watch_every=0.05)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r", "s", "j", "space")
        await settle(pilot, rounds=6)
        messages = [str(n.message) for n in app.notifications_shown]
        assert not any("elsewhere" in m for m in messages), messages
