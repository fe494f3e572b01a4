"""`pip install .` must give a working reader: the samples and styles ship in the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

from tests.helpers import ROOT


def test_the_wheel_carries_the_samples_the_styles_and_the_command(tmp_path):
    # Build from a copy: pip builds in the source tree and would leave build/ behind.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "tests", ".*cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(src)],
                   check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("paperdeck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # One import root: a user's own `index.py`, or the `reader` package of the package
    # index, can then never shadow ours or be shadowed by it.
    top = {n.split("/", 1)[0] for n in names if ".dist-info/" not in n}
    assert top == {"paperdeck"}
    samples = sorted(n for n in names
                     if n.startswith("paperdeck/index/samples/") and n.endswith(".txt"))
    shipped = sorted(p.name for p in (ROOT / "index" / "samples").glob("*.txt"))
    assert [n.rsplit("/", 1)[1] for n in samples] == shipped and len(shipped) == 5
    assert "paperdeck/styles/app.tcss" in names
    assert {"paperdeck/reader/cli.py", "paperdeck/reader/app.py",
            "paperdeck/index/library.py"} <= names
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "paperdeck = paperdeck.reader.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_no_code_patches_the_import_path():
    # Everything imports through the installed `paperdeck` package; nothing adds the
    # repository to sys.path behind its back.
    needles = ("sys.path" + ".insert", "sys.path" + ".append")  # not this file's own text
    offenders = [str(p.relative_to(ROOT)) for folder in ("index", "reader", "styles", "tests")
                 for p in (ROOT / folder).rglob("*.py")
                 if any(n in p.read_text() for n in needles)]
    assert offenders == []


def test_ci_runs_the_readmes_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert "ruff check" in test_command and "pip install" in test_command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci
