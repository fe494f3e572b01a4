"""Fixtures: throw-away libraries in temporary directories, real SQLite and Whoosh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paperdeck.index.library import Library

from .helpers import CLI, SEEDS


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory) -> Path:
    """The five seeds imported once; tests get a copy of this directory."""
    d = tmp_path_factory.mktemp("sample-template")
    lib = Library.open(d)
    lib.import_files(SEEDS)
    lib.close()
    return d


@pytest.fixture
def sample_dir(_sample_template, tmp_path) -> Path:
    d = tmp_path / "lib"
    shutil.copytree(_sample_template, d)
    return d


@pytest.fixture
def sample_lib(sample_dir):
    lib = Library.open(sample_dir)
    yield lib
    lib.close()


@pytest.fixture
def empty_lib(tmp_path):
    lib = Library.open(tmp_path / "empty")
    yield lib
    lib.close()


@pytest.fixture
def cli(sample_dir) -> CLI:
    return CLI(sample_dir)


@pytest.fixture
def empty_cli(tmp_path) -> CLI:
    return CLI(tmp_path / "cli-lib")
