"""Issue 5, hostile input: each bad file is refused with a message naming it (and the
line where that helps), a non-zero exit and an unchanged library; undecodable bytes
are repaired, a Latin-1 or UTF-16 file read as such. Then hypothesis: random bytes and
mutated seed files into every importer and through a real Library, never a crash,
never a partial import."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index import sources
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
    error = refused(cli, f, names=str(f), line=1, says="too long for a paper record")
    assert "not a paper list paperdeck knows" in error


def test_thirty_megabyte_cell_in_a_valid_table_hits_the_field_limit(cli, tmp_path):
    f = tmp_path / "giant-cell.md"
    f.write_text(HEADER + row(1) + row(2, abstract="y" * 30_000_000) + row(3))
    refused(cli, f, names=str(f), line=4, says="abstract of 30,000,000 characters")


def test_overlong_title_is_refused_naming_the_line(cli, tmp_path):
    f = tmp_path / "long-title.md"
    f.write_text(HEADER + row(1) + row(2) + row(3, title="Long " * 1000))
    refused(cli, f, names=str(f), line=5, says="title of 4,999 characters")


def test_a_file_over_64_mib_is_read_as_a_stream_not_refused_for_its_size(cli, tmp_path):
    """There is no size cap (there was one of 64 MiB): a table followed by 65 MiB of
    blank lines imports its rows."""
    f = tmp_path / "huge.md"
    with f.open("w") as fh:
        fh.write(HEADER + row(1) + row(2) + row(3))
        blank = " " * 1023 + "\n"
        for _ in range(65 * 1024):
            fh.write(blank)
    assert f.stat().st_size > 64 * 1024 * 1024
    proc = cli("import", str(f))
    assert "3 added" in proc.stdout and "MiB" not in proc.stderr


def test_a_damaged_utf8_file_is_repaired_and_counted(cli, tmp_path):
    """UTF-8 (its accents are UTF-8's two-byte sequences) with a few bad bytes: each
    becomes U+FFFD, counted in a warning naming the file."""
    f = tmp_path / "damaged.md"
    good = (HEADER + row(1, title="Café naïve paper 1") + row(2) + row(3)).encode()
    bad = good.replace(b"refusing bad files, number 2", b"refusing b\xe4d files \xff\xfe number 2")
    f.write_bytes(bad)
    proc = cli("import", str(f))
    assert "3 added" in proc.stdout
    assert f"{f}: 3 undecodable byte(s) replaced" in proc.stderr
    [paper] = cli.json("show", "2502.00002")
    assert "refusing b\ufffdd files \ufffd\ufffd number 2" in paper["abstract"]
    assert cli.json("show", "2502.00001")[0]["title"] == "Café naïve paper 1"


def test_a_latin1_file_is_read_as_latin1_and_said_so(cli, tmp_path):
    """Not UTF-8, no UTF-8 sequence in it, but Western text in Windows-1252: read as
    that (not U+FFFD soup), with a warning naming the file."""
    f = tmp_path / "latin1.md"
    text = (HEADER + row(1, title="Über café naïveté: an étude")
            + row(2, abstract="Déjà vu – “quoted” résumé of 2 papers.") + row(3))
    f.write_bytes(text.encode("cp1252"))
    proc = cli("import", str(f))
    assert "3 added" in proc.stdout
    assert f"{f}: not UTF-8; read as Windows-1252 (Latin-1)" in proc.stderr
    assert "undecodable" not in proc.stderr
    assert cli.json("show", "2502.00001")[0]["title"] == "Über café naïveté: an étude"
    assert cli.json("show", "2502.00002")[0]["abstract"] == (
        "Déjà vu – “quoted” résumé of 2 papers.")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_a_file_with_a_byte_order_mark_is_decoded(cli, tmp_path, codec):
    """UTF-16 (either byte order) with its BOM is text, not a binary for its NUL bytes;
    a UTF-8 BOM is dropped. Nothing is said: the file said what it is."""
    f = tmp_path / f"bom-{codec}.md"
    text = HEADER + row(1, title="Ünïcödé BOM paper") + row(2) + row(3)
    bom = "\ufeff" if codec in ("utf-16-le", "utf-16-be") else ""
    f.write_bytes((bom + text).encode(codec))
    assert f.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") or codec == "utf-8-sig"
    proc = cli("import", str(f))
    assert "3 added" in proc.stdout and "warning" not in proc.stderr, proc.stderr
    assert cli.json("show", "2502.00001")[0]["title"] == "Ünïcödé BOM paper"


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
    # a table that is not weekly-picks' (no abstract column) is no layout's: not claimed
    refused(cli, f, names=str(f), says="not a paper list paperdeck knows")
    # read as weekly-picks all the same, it is refused where it stops fitting
    before = db_dump(cli.data_dir)
    proc = cli("import", str(f), "--format", "weekly-picks", ok=False)
    assert proc.returncode == 1 and f"{f}:1: table header has no abstract column" in proc.stderr
    assert db_dump(cli.data_dir) == before


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
    before = db_dump(cli.data_dir)
    proc = cli("import", str(d), ok=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    # each file passed over with one line, the directory the one error
    assert f"paperdeck: passed over {d / 'todo.txt'}: not a paper list" in proc.stderr
    assert f"paperdeck: passed over {d / 'photo.jpg'}: binary file" in proc.stderr
    [error] = [ln for ln in proc.stderr.splitlines() if "error" in ln]
    assert f"{d}: no paper list paperdeck knows found in it" in error
    assert proc.stdout.strip().endswith("2 passed over, 1 failed (0 records from 0 files)")
    assert db_dump(cli.data_dir) == before


def test_file_without_read_permission(sample_dir, tmp_path):
    f = tmp_path / "secret.md"
    f.write_text(HEADER + row(1))
    f.chmod(0)
    before = db_dump(sample_dir)
    proc = run_cli_restricted(sample_dir, "import", str(f))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{f}: permission denied" in proc.stderr
    assert db_dump(sample_dir) == before


def test_one_bad_file_among_good_ones_is_reported_and_the_good_ones_import(cli, tmp_path):
    """Each file lands whole or not at all, on its own: the bad one is named with its
    line and leaves nothing of itself; the good ones land; the exit status says that a
    named file failed."""
    good = tmp_path / "good.md"
    good.write_text(HEADER + row(1) + row(2))
    bad = tmp_path / "bad.md"
    bad.write_text(HEADER + row(3) + "| 2025 | cut |")
    good2 = tmp_path / "good2.md"
    good2.write_text(HEADER + row(4))
    proc = cli("import", str(good), str(bad), str(good2), ok=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [error] = [ln for ln in proc.stderr.splitlines() if "error" in ln]
    assert f"{bad}:4:" in error and "cut short" in error
    assert "3 added, 0 merged, 0 skipped, 0 passed over, 1 failed (3 records from 2 files)" \
        in proc.stdout
    keys = {p["key"] for p in cli.json("list", "--source", "good")} | {
        p["key"] for p in cli.json("list", "--source", "good2")}
    assert keys == {"2502.00001", "2502.00002", "2502.00004"}
    shown = cli("show", "2502.00003", ok=False)  # nothing of the bad file
    assert shown.returncode == 2 and "no paper with key '2502.00003'" in shown.stderr
    assert "bad.md" not in {f["file"] for f in cli.json("stats")["files"]}


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
        report = lib.import_files([f])
        if report.failed:
            [failure] = report.failed
            assert failure.startswith(str(f)) and not report.ok
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
