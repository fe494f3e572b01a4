"""Every option of every subcommand is checked the same way (issue 10, point 5): a bad value
is one line on stderr, `paperdeck CMD: error: argument OPT: what is wrong (what to use)`,
exit status 2 (argparse's own), nothing on stdout and nothing changed."""

from __future__ import annotations

import pytest

from .helpers import CLI
from .test_cli import db_rows

BAD = [
    # (arguments, the argument named, the bad value quoted, a valid form named)
    (("list", "--year", "abc"), "--year", "'abc'", "2024"),
    (("list", "--year", "24"), "--year", "'24'", "2024"),
    (("list", "--month", "2024-13"), "--month", "'2024-13'", "2024-06"),
    (("list", "--month", "June"), "--month", "'June'", "2024-06"),
    (("list", "--week", "garbage"), "--week", "'garbage'", "2024-W26"),
    (("list", "--week", "2024-W60"), "--week", "'2024-W60'", "2024-W26"),
    (("list", "--week", "2024-02-30"), "--week", "'2024-02-30'", "2024-06-30"),
    (("list", "--category", "nonsense"), "--category", "'nonsense'", "cs.CL"),
    (("list", "--source", "nonsense"), "--source", "'nonsense'", "weekly-picks"),
    (("list", "--status", "bogus"), "--status", "'bogus'", "unstarred"),
    (("list", "--sort", "bogus"), "--sort", "'bogus'", "title"),
    (("list", "--limit", "-1"), "--limit", "'-1'", "0 for all"),
    (("list", "--limit", "ten"), "--limit", "'ten'", "0 for all"),
    (("search", "rag", "--limit", "-5"), "--limit", "'-5'", "0 for all"),
    (("search", "  "), "QUERY", "empty query", "paperdeck list"),
    (("show", "no-such-paper"), "KEY", "'no-such-paper'", "arXiv id"),
    (("mark", "2406.15319", "no-such-paper", "--read"), "KEY", "'no-such-paper'", "arXiv id"),
    (("--data-dir", "", "stats"), "--data-dir", "empty path", "directory"),
]


@pytest.mark.parametrize("args, option, value, form", BAD,
                         ids=[" ".join(b[0]) for b in BAD])
def test_every_bad_option_value_is_one_clear_line_and_exit_2(cli, args, option, value, form):
    before = db_rows(cli.data_dir)
    proc = cli(*args, ok=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    command = next(a for a in args if not a.startswith("-") and a != "")
    prefix = "paperdeck: error:" if option == "--data-dir" else f"paperdeck {command}: error:"
    assert lines[0].startswith(f"{prefix} argument {option}: "), lines[0]
    assert value in lines[0] and form in lines[0], lines[0]
    assert proc.stdout == ""
    assert db_rows(cli.data_dir) == before


def test_the_valid_forms_of_each_option_list_what_they_name(cli: CLI):
    def keys(*args):
        return [p["key"] for p in cli.json("list", *args)]

    week = keys("--week", "2024-06-30")
    assert week
    # an ISO week, or any day of the week (Monday to Sunday), names the same week
    assert keys("--week", "2024-W26") == keys("--week", "2024-06-24") == week
    assert keys("--week", "2024-07-01") != week
    assert keys("--month", "2024-6") == keys("--month", "2024-06") != []
    assert set(keys("--year", "2024")) >= set(week)
    assert keys("--limit", "3") == keys()[:3]
    cli("mark", week[0], "--star")
    assert week[0] not in keys("--status", "unstarred")
    assert len(keys("--status", "unstarred")) == len(keys()) - 1
