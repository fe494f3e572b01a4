"""`paperdeck import` and `paperdeck formats` as a user meets them (issue 9): the real
command line in a subprocess, on real libraries in temporary directories."""

from __future__ import annotations

import re
import shutil

from paperdeck.index import sources

from .durability import db_dump
from .helpers import PICKS, ROOT, SEEDS, TRENDING, shared

FIXTURES = ROOT / "tests" / "fixtures" / "crossformat"
HEADER = "| Week | title | category | abstract | Paper-Link |\n|:--|:--|:--|:--|:--|\n"
SUMMARY = re.compile(r"^(\d+) added, (\d+) merged, (\d+) skipped, (\d+) passed over, "
                     r"(\d+) failed \((\d+) records from (\d+) files?\)$", re.M)


def table(*ids: int) -> str:
    return HEADER + "".join(
        f"| 2025-03-02 | Command line paper number {i} | Machine Learning | "
        f"An abstract read from the command line, number {i}. | "
        f"[arxiv](https://arxiv.org/abs/2503.{i:05d}) |\n" for i in ids)


def summary(proc) -> tuple[int, ...]:
    m = SUMMARY.search(proc.stdout)
    assert m, proc.stdout + proc.stderr
    return tuple(int(g) for g in m.groups())


def test_formats_lists_every_registered_layout_with_its_line(empty_cli):
    out = empty_cli("formats").stdout.splitlines()
    assert [line.split()[0] for line in out] == sources.layout_names()
    for line, layout in zip(out, sources.LAYOUTS.values(), strict=True):
        assert line.endswith(layout.DESCRIPTION)
    assert not (empty_cli.data_dir / "library.sqlite3").exists()  # no library needed


def test_import_from_standard_input(empty_cli):
    proc = empty_cli("import", "-", stdin=table(1, 2, 3))
    assert summary(proc) == (3, 0, 0, 0, 0, 3, 1)
    assert [f["file"] for f in empty_cli.json("stats")["files"]] == ["stdin"]
    assert len(empty_cli.json("list", "--source", "stdin")) == 3
    again = empty_cli("import", "-", stdin=table(1, 2, 3))
    assert "skipped <stdin>: already imported" in again.stdout
    bad = empty_cli("import", "-", stdin="just a note\n", ok=False)
    assert bad.returncode == 1 and "<stdin>: not a paper list paperdeck knows" in bad.stderr


def test_map_names_fields_and_refuses_an_unknown_one(empty_cli, tmp_path):
    f = tmp_path / "t.md"
    f.write_text(table(1))
    before_dir = empty_cli.data_dir
    proc = empty_cli("import", str(f), "--map", "titel=output", ok=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert "--map titel=output" in line and "'titel' is not a field" in line
    assert all(field in line for field in sources.MAP_FIELDS)
    nokey = empty_cli("import", str(f), "--map", "title", ok=False)
    assert nokey.returncode == 2 and "give the file's key for title" in nokey.stderr
    assert not (before_dir / "library.sqlite3").exists() or not empty_cli.json("list")
    # a field map on a format without named fields changes nothing
    ok = empty_cli("import", str(f), "--map", "title=paper.name", "--map", "abstract=input")
    assert summary(ok)[0] == 1


def test_forcing_a_format_on_a_file_of_another_is_refused_with_the_line(empty_cli, tmp_path):
    cli = empty_cli
    cli("import", str(SEEDS[1]))
    before = db_dump(cli.data_dir)
    for layout, path in (("trending", PICKS), ("podcast", TRENDING), ("weekly-picks", SEEDS[0]),
                         ("daily-papers", SEEDS[4]), ("arxiv-dump", SEEDS[3])):
        copy = tmp_path / f"as-{layout}.txt"
        shutil.copy(path, copy)
        proc = cli("import", "--format", layout, str(copy), ok=False)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        [error] = proc.stderr.splitlines()
        assert re.match(rf"paperdeck: error: {re.escape(str(copy))}:\d+: ", error), error
        assert proc.stdout == ""
    assert db_dump(cli.data_dir) == before


def test_named_files_fail_alone_found_ones_are_passed_over(empty_cli, tmp_path):
    good, bad, note = tmp_path / "good.md", tmp_path / "bad.md", tmp_path / "note.txt"
    good.write_text(table(1, 2))
    bad.write_text(table(3) + "| 2025 | cut |")
    note.write_text("a note, not a paper list\n")
    proc = empty_cli("import", str(good), str(bad), str(note), str(tmp_path / "gone.md"),
                     ok=False)
    assert proc.returncode == 1
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("paperdeck: error: ")]
    assert [e.split(": ")[2].split(":")[0] for e in errors] == [
        str(tmp_path / "gone.md"), str(bad), str(note)]
    assert f"{bad}:4: " in errors[1] and "not a paper list" in errors[2]
    assert summary(proc) == (2, 0, 0, 0, 3, 2, 1)
    # the same, found in a directory: the note is passed over, the bad file reported,
    # and nothing named failed
    d = tmp_path / "dir"
    d.mkdir()
    for f in (bad, note):
        shutil.copy(f, d / f.name)
    shutil.copy(PICKS, d / "picks.txt")
    (d / ".hidden.md").write_text(table(9))
    found = empty_cli("import", str(d))
    assert f"paperdeck: passed over {d / 'note.txt'}: not a paper list" in found.stderr
    assert f"paperdeck: error: {d / 'bad.md'}:4: " in found.stderr
    assert "hidden" not in found.stderr + found.stdout
    assert summary(found) == (100, 0, 0, 1, 1, 100, 1)


def test_a_mixed_directory_imports_the_paper_lists_and_reports_the_rest(empty_cli, tmp_path):
    d = tmp_path / "papers"
    (d / "samples").mkdir(parents=True)
    for s in SEEDS:
        shutil.copy(s, d / "samples" / s.name)
    (d / "README").write_text("# My papers\n\nThe lists I read, by month. Ask Ana first.\n")
    (d / "LICENSE").write_text("MIT License\n\nCopyright (c) 2025 Someone\n\n"
                               "Permission is hereby granted, free of charge, to any person "
                               "obtaining a copy of this software...\n")
    (d / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
    (d / "junk.dat").write_bytes(bytes(range(1, 256)) * 40)
    (d / "extra.md").write_text(table(1, 2))
    # a BibTeX entry and an Atom feed (of the arXiv API) of a sample paper, LongRAG
    shutil.copy(FIXTURES / "longrag.bib", d / "refs.bib")
    shutil.copy(FIXTURES / "longrag-atom.xml", d / "feed.xml")
    proc = empty_cli("import", str(d))
    assert proc.returncode == 0
    passed = sorted(re.findall(r"^paperdeck: passed over (\S+): ", proc.stderr, re.M))
    assert passed == sorted(str(d / n) for n in ("LICENSE", "README", "cover.png", "junk.dat"))
    assert "error" not in proc.stderr
    assert summary(proc) == (634, 20, 0, 4, 0, 654, 8)
    stats = empty_cli.json("stats")
    assert stats["papers"] == 634
    assert {f["file"]: f["layout"] for f in stats["files"]}.items() >= {
        "refs.bib": "bibtex", "feed.xml": "feed", "extra.md": "weekly-picks"}.items()
    [longrag] = empty_cli.json("show", "2406.15319")
    assert {s["layout"] for s in longrag["sources"]} == {"weekly-picks", "bibtex", "feed"}


def test_the_seeds_folder_imports_the_samples_and_passes_over_its_readme(empty_cli):
    seeds = shared("seeds")
    proc = empty_cli("import", str(seeds))
    assert proc.stderr.splitlines()[0] == (
        f"paperdeck: passed over {seeds / 'README.md'}: not a paper list paperdeck knows")
    assert "error" not in proc.stderr
    assert summary(proc) == (632, 18, 0, 1, 0, 650, 5)
