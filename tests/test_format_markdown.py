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


# --- the dates that head a week (sources/dates.py: last_day, printed_day, week_closing) ---


@pytest.mark.parametrize("text, year, day", [
    ("Top ML Papers of the Week (June 23 - June 29) - 2025", None, "2025-06-29"),
    ("Top ML Papers of the Week (December 30 - January 5) - 2025", None, "2025-01-05"),
    ("Daily Papers (2024-03-11)", None, "2024-03-11"),
    ("2024-06-24 to 2024-06-30", None, "2024-06-30"),
    ("Published on Mar 8, 2024", None, "2024-03-08"),
    ("Top ML Papers of the Week (Jan 1-8)", None, None),  # no year: none is guessed
    ("Top ML Papers of the Week (Jan 1-8)", 2023, "2023-01-08"),  # a year heading above
    ("Week (Feb 20-26)", 2023, "2023-02-26"),
    ("(Jan 30-Feb 5)", 2023, "2023-02-05"),
    ("Mar 6-Mar 12", 2023, "2023-03-12"),
    ("June 31 - July 2, 2024", None, "2024-07-02"),
    ("June 29 - June 31, 2024", None, None),  # no such day
    ("May 2024 papers", None, None),  # a month is not a day
    ("Decoding 3 papers", 2024, None),  # not a month name
    ("", None, None),
])
def test_last_day_of_a_heading(text, year, day):
    from paperdeck.index.sources.dates import last_day
    assert last_day(text, year) == day


def test_printed_day_and_week_closing():
    from paperdeck.index.sources.dates import printed_day, week_closing
    assert printed_day("Top ML Papers of the Week (Jan 1-8)") == "Jan 1-8"
    assert printed_day("## Top ML Papers of the Week (December 25 - December 31)") == \
        "December 25 - December 31"
    assert printed_day("Mar 11") == "Mar 11" and printed_day("Milestone papers") is None
    assert week_closing("2025-06-29") == "2025-06-29"  # a Sunday closes its own week
    assert week_closing("2024-03-11") == "2024-03-17"  # a Monday: the Sunday after
    assert week_closing("2024-12-31") == "2025-01-05"
    assert week_closing("2024-02-30") is None and week_closing("2024-03") is None
