"""Issue 5, hostile input: each bad file is refused with a message naming it (and the
line where that helps), a non-zero exit and an unchanged library; undecodable bytes
are the one thing repaired. Then hypothesis: random bytes and mutated seed files into
every importer and through a real Library, never a crash, never a partial import."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
from paperdeck.index.importing import MAX_FILE_BYTES
from paperdeck.index.library import Library
from paperdeck.index.model import DigestError, Record

from .durability import db_dump, run_cli_restricted
from .helpers import CLI, PICKS, SEEDS

HEADER = "| Week | title | category | abstract | Paper-Link |\n|:--|:--|:--|:--|:--|\n"


def row(i: int, abstract: str | None = None, title: str | None = None) -> str:
    return (f"| 2025-02-02 | {title or f'Hostile input paper {i}'} | Machine Learning | "
            f"{abstract or f'An abstract about refusing bad files, number {i}.'} | "
            f"[arxiv](https://arxiv.org/pdf/2502.{i:05d}) |\n")


def refused(cli: CLI, *paths: Path | str, names: str, line: int | None = None,
            says: str = "") -> str:
    """Import `paths`: exit 1, one error line naming `names` (and `line`), nothing changed."""
    before = db_dump(cli.data_dir)
    proc = cli("import", *map(str, paths), ok=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    [error] = [ln for ln in proc.stderr.splitlines() if "error" in ln]
    where = f"{names}:{line}:" if line else f"{names}:"
    assert where in error, error
    assert says in error, error
    assert db_dump(cli.data_dir) == before
    return error


def test_empty_file(cli, tmp_path):
    f = tmp_path / "empty.md"
    f.write_bytes(b"")
    refused(cli, f, names=str(f), says="empty file")
    blank = tmp_path / "blank.md"
    blank.write_text("\n  \n\t\n")
    refused(cli, blank, names=str(blank), says="empty file")


def test_binary_file(cli, tmp_path):
    f = tmp_path / "picture.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(random.Random(1).randbytes(4000)))
    refused(cli, f, names=str(f), says="binary file")


def test_thirty_megabyte_single_line(cli, tmp_path):
    f = tmp_path / "one-line.txt"
    rnd = random.Random(30)
    words = ["model", "token", "the", "of", "attention", "2024", "|", "-", "data"]
    line = " ".join(rnd.choice(words) for _ in range(300_000))
    f.write_text((line * (30_000_000 // len(line) + 1))[:30_000_000])
    assert f.stat().st_size == 30_000_000
    refused(cli, f, names=str(f), says="not a digest")


def test_thirty_megabyte_cell_in_a_valid_table_hits_the_field_limit(cli, tmp_path):
    f = tmp_path / "giant-cell.md"
    f.write_text(HEADER + row(1) + row(2, abstract="y" * 30_000_000) + row(3))
    refused(cli, f, names=str(f), line=4, says="abstract of 30,000,000 characters")


def test_overlong_title_is_refused_naming_the_line(cli, tmp_path):
    f = tmp_path / "long-title.md"
    f.write_text(HEADER + row(1) + row(2) + row(3, title="Long " * 1000))
    refused(cli, f, names=str(f), line=5, says="title of 4,999 characters")


def test_file_over_the_size_limit(cli, tmp_path):
    f = tmp_path / "huge.md"
    with f.open("wb") as fh:  # sparse: the size is checked before anything is read
        fh.write(HEADER.encode())
        fh.truncate(MAX_FILE_BYTES + 1)
    refused(cli, f, names=str(f), says="the largest digest paperdeck reads is 64 MiB")


def test_invalid_utf8_inside_a_valid_table_is_repaired_and_counted(cli, tmp_path):
    f = tmp_path / "latin1.md"
    good = (HEADER + row(1) + row(2) + row(3)).encode()
    bad = good.replace(b"refusing bad files, number 2", b"refusing b\xe4d files \xff\xfe number 2")
    f.write_bytes(bad)
    proc = cli("import", str(f))
    assert "3 added" in proc.stdout
    assert f"{f}: 3 undecodable byte(s) replaced" in proc.stderr
    [paper] = cli.json("show", "2502.00002")
    assert "refusing b\ufffdd files \ufffd\ufffd number 2" in paper["abstract"]


def test_table_cut_in_half_is_refused_naming_the_cut_row(cli, tmp_path):
    """Decided: a file that ends inside a table row was cut short (a broken download):
    refuse it, naming the line, rather than import an incomplete last paper."""
    whole = PICKS.read_text()
    lines = whole.split("\n")
    cut = "\n".join(lines[:40]) + "\n" + lines[40][: len(lines[40]) // 2]
    f = tmp_path / "cut.md"
    f.write_text(cut)
    refused(cli, f, names=str(f), line=41, says="cut short")
    # cut inside the last cell: as many cells as the header, but no closing border
    f.write_text("\n".join(lines[:40]) + "\n" + lines[40].rstrip()[:-20])
    refused(cli, f, names=str(f), line=41, says="cut short")
    # a table that ends on a whole row, newline or not, is complete
    f.write_text("\n".join(lines[:41]))
    whole = len(sources.parse(f.read_text()))
    assert f"({whole} records from 1 file)" in cli("import", str(f)).stdout and whole > 0


def test_table_with_the_wrong_columns(cli, tmp_path):
    f = tmp_path / "columns.md"
    f.write_text("| Week | title | link |\n|---|---|---|\n| 2025-02-02 | A title | x |\n")
    refused(cli, f, names=str(f), line=1, says="no abstract column")


def test_table_row_with_too_few_cells_in_the_middle(cli, tmp_path):
    f = tmp_path / "ragged.md"
    f.write_text(HEADER + row(1) + "| 2025-02-02 | Lost cells |\n" + row(3))
    refused(cli, f, names=str(f), line=4, says="cells")


def test_missing_path(cli, tmp_path):
    refused(cli, tmp_path / "nowhere.md", names=str(tmp_path / "nowhere.md"),
            says="no such file")


def test_directory_without_a_digest(cli, tmp_path):
    d = tmp_path / "notes"
    d.mkdir()
    refused(cli, d, names=str(d), says="no files")
    (d / "todo.txt").write_text("buy milk\nread papers\n")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\0" * 100)
    refused(cli, d, names=str(d), says="no digest of a known layout")


def test_file_without_read_permission(sample_dir, tmp_path):
    f = tmp_path / "secret.md"
    f.write_text(HEADER + row(1))
    f.chmod(0)
    before = db_dump(sample_dir)
    proc = run_cli_restricted(sample_dir, "import", str(f))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{f}: permission denied" in proc.stderr
    assert db_dump(sample_dir) == before


def test_one_bad_file_among_good_ones_imports_nothing(cli, tmp_path):
    good = tmp_path / "good.md"
    good.write_text(HEADER + row(1) + row(2))
    bad = tmp_path / "bad.md"
    bad.write_text(HEADER + row(3) + "| 2025 | cut |")
    refused(cli, good, bad, names=str(bad), line=4, says="cut short")


# --- hypothesis ----------------------------------------------------------------------------

SEED_BYTES = [p.read_bytes() for p in SEEDS]
LAYOUTS = [None, *sources.layout_names()]


def _mutate(data: bytes, ops: list[tuple[str, int, int]]) -> bytes:
    """Line-level and byte-level damage: what editors, transfers and disks do to files."""
    lines = data.split(b"\n")
    for op, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip" and lines[i]:
            line = bytearray(lines[i])
            line[b % len(line)] ^= 1 << (a % 8)
            lines[i] = bytes(line)
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: b % (len(lines[-1]) + 1)]
    return b"\n".join(lines)


OPS = st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "swap", "flip", "truncate"]),
                         st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=6)


def records_or_digest_error(data: bytes) -> list[Record] | None:
    """Every importer (forced, and by detection) on `data`: records or DigestError."""
    try:
        text, _ = sources.decode(data)
    except DigestError:
        return None
    found = None
    for layout in LAYOUTS:
        try:
            recs = sources.parse(text, layout)
        except DigestError as exc:
            assert str(exc)
            continue
        assert recs and all(isinstance(r, Record) for r in recs)
        if layout is None:
            found = recs
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_into_every_importer(data):
    records_or_digest_error(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SEED_BYTES))), OPS)
def test_mutated_seeds_into_every_importer(seed, ops):
    records_or_digest_error(_mutate(SEED_BYTES[seed], ops))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from([0, 1, 2]), ops=OPS)
def test_mutated_seed_import_lands_whole_or_not_at_all(_sample_template, tmp_path_factory,
                                                        seed, ops):
    """Through a real Library on a copy of the sample library: a mutated digest is
    imported whole (every record it parses to is listed, the index agrees) or refused
    with DigestError and the library is exactly as before."""
    d = tmp_path_factory.mktemp("fuzz") / "lib"
    shutil.copytree(_sample_template, d)
    f = d.parent / f"mutated-{seed}.txt"
    f.write_bytes(_mutate(SEED_BYTES[seed], ops))
    expected = records_or_digest_error(f.read_bytes())
    before = db_dump(d)
    lib = Library.open(d)
    try:
        try:
            report = lib.import_files([f])
        except DigestError as exc:
            assert str(f) in str(exc)
            assert expected is None
            assert db_dump(d) == before
            return
        stats = lib.stats()
    finally:
        lib.close()
    after = db_dump(d)
    if report.skipped:  # the mutations cancelled out: the very same file again
        assert after == before
        return
    assert expected is not None
    assert len(after["files"]) == len(before["files"]) + 1
    assert len(after["listings"]) == len(before["listings"]) + len(expected)
    assert report.records == len(expected)
    assert stats["indexed"] == stats["papers"]
