"""b and B (issue 10, point 17): the arXiv page and the PDF handed to the system's
opener (a real program run, here a stand-in for xdg-open on PATH); without one, the
reader says so plainly."""

from __future__ import annotations

import sys

import pytest

from paperdeck.index.library import Library

from ..helpers import wait_until
from .util import cursor_to_first, make_app, settle

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.startfile on Windows")


@pytest.fixture
def opener(tmp_path, monkeypatch):
    """A stand-in `xdg-open` (and `open`) that writes down the link it is given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    for name in ("xdg-open", "open"):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho "$1" >> "{opened}"\n')
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return opened


async def test_b_and_B_open_the_page_and_the_pdf(library: Library, opener):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await cursor_to_first(pilot, lambda row: library.paper(row.key).arxiv_id)
        paper = library.paper(app.papers.current.key)
        await pilot.press("b")
        await wait_until(pilot, opener.exists, what="the opener to be run")
        await pilot.press("B")
        await wait_until(pilot, lambda: len(opener.read_text().split()) == 2,
                         what="the opener to be run again")
        assert opener.read_text().split() == [
            f"https://arxiv.org/abs/{paper.arxiv_id}", f"https://arxiv.org/pdf/{paper.arxiv_id}"]
        assert app.is_running


async def test_without_an_opener_the_reader_says_so(library: Library, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await cursor_to_first(pilot, lambda row: library.paper(row.key).arxiv_id)
        await pilot.press("b")
        await wait_until(pilot, lambda: any("Not opened" in str(n.message)
                                            for n in app.notifications_shown),
                         what="the reader to say why")
        notice = str(app.notifications_shown[-1].message)
        assert "no program to open links" in notice and "y copies" in notice
        assert app.is_running


async def test_an_opener_that_cannot_open_it_is_reported(library: Library, tmp_path,
                                                          monkeypatch):
    """An opener that exits at once with an error (gio with no desktop: `Operation not
    supported`) is not taken for an opened link."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "xdg-open"
    script.write_text('#!/bin/sh\necho "xdg-open: no method available for opening $1" >&2\n'
                      'exit 3\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: any("Not opened" in str(n.message)
                                            for n in app.notifications_shown),
                         what="the failure to be told")
        notice = next(str(n.message) for n in app.notifications_shown
                      if "Not opened" in str(n.message))
        assert "no method available" in notice and "y copies" in notice
