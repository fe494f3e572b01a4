"""The README's key table and screenshot are the reader's own, not a copy that drifts."""

from __future__ import annotations

import re

from paperdeck.index.library import Library
from paperdeck.reader.app import PaperdeckApp
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_table_rows() -> set[tuple[str, str]]:
    rows = set()
    for line in README.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$", line)
        if m:
            rows.add((m.group(1), m.group(2)))
    return rows


def test_every_binding_of_the_help_screen_is_in_the_readme(tmp_path):
    library = Library.open(tmp_path)
    try:
        sections = PaperdeckApp(library).help_sections()
    finally:
        library.close()
    documented = readme_table_rows()
    missing = [(title, keys, text) for title, rows in sections for keys, text in rows
               if (keys, text) not in documented]
    assert sum(len(rows) for _, rows in sections) > 20
    assert missing == []


def test_the_readme_screenshot_is_the_current_snapshot():
    shown = (ROOT / "docs" / "screenshot.svg").read_text(encoding="utf-8")
    snapshot = (ROOT / "tests/reader/__snapshots__/test_snapshots/"
                "test_main_screen_140x40.svg").read_text(encoding="utf-8")
    assert "](docs/screenshot.svg)" in README
    assert shown == snapshot, "copy the 140x40 snapshot to docs/screenshot.svg"
