"""The reader's fixtures build on the shared ones (tests/conftest.py): sample_dir,
sample_lib (the five sample digests imported, copied per test) and empty_lib."""

from __future__ import annotations

import pytest


@pytest.fixture
def library(sample_lib):
    return sample_lib
