"""Markdown and plain-text paper lists: the markdown, papers-page-md and id-list layouts,
weekly-picks claiming only its own tables, and the dates that head a week."""

from __future__ import annotations

import pytest

from paperdeck.index import sources
from paperdeck.index.model import DigestError
from paperdeck.index.sources import Document, weekly_picks

from .helpers import PICKS


def read(layout, text: str):
    return list(layout.parse(Document.from_text(text)))


# --- weekly-picks claims only its own table ----------------------------------------------

README_TABLE = """# A tool

| key | what it does |
| --- | --- |
| `q` | quit |
"""


def test_weekly_picks_claims_only_a_table_with_its_header():
    assert weekly_picks.sniff(PICKS.read_text()) == 0.95
    assert weekly_picks.sniff(README_TABLE) == 0.0
    papers_table = ("| **Paper** | **Links** |\n| --- | --- |\n"
                    "| 1) **GNN-RAG** - a summary | [Paper](https://arxiv.org/abs/2405.20139) |\n")
    assert weekly_picks.sniff(papers_table) == 0.0
    # its header in another order and case, with only some of its columns
    assert weekly_picks.sniff("| Abstract | Title |\n|---|---|\n| a | b |\n") == 0.95
    assert weekly_picks.sniff("| abstract | notes |\n|---|---|\n| a | b |\n") == 0.6
    # a second table further down is looked at too
    assert weekly_picks.sniff(README_TABLE + "\n| title | abstract |\n|---|---|\n") == 0.95


def test_a_readme_with_a_table_is_no_digest_and_forcing_weekly_picks_names_the_line():
    with pytest.raises(DigestError, match="not a digest of any known layout"):
        sources.detect(README_TABLE)
    with pytest.raises(DigestError, match="no title and abstract column") as err:
        read(weekly_picks, README_TABLE)
    assert err.value.line == 3
