"""Library.data_version(): moves when another process commits, not for this one's own
writes (whatever thread makes them); the reader's reload watches it (issue 10, point 11)."""

from __future__ import annotations

import threading

from paperdeck.index.library import Library
from paperdeck.index.views import Scope

from .helpers import CLI


def test_another_process_s_mark_moves_it(sample_dir):
    lib = Library.open(sample_dir)
    try:
        before = lib.data_version()
        assert lib.data_version() == before  # asking does not move it
        key = lib.rows(Scope())[0].key
        CLI(sample_dir)("mark", key, "--star")
        after = lib.data_version()
        assert after != before
        assert lib.data_version() == after
    finally:
        lib.close()


def test_own_writes_do_not_move_it_from_any_thread(sample_lib: Library):
    before = sample_lib.data_version()
    keys = [r.key for r in sample_lib.rows(Scope())[:3]]
    sample_lib.mark_read(keys[:1], True)
    worker = threading.Thread(target=sample_lib.set_starred, args=(keys[1], True))
    worker.start()
    worker.join()
    sample_lib.set_state("theme", "textual-light")
    assert sample_lib.data_version() == before


def test_a_change_elsewhere_before_an_own_write_still_counts(sample_dir):
    """Another process commits, then this one writes before asking: the other's
    commit is not taken for its own."""
    lib = Library.open(sample_dir)
    other = Library.open(sample_dir)  # another connection set, as another process has
    try:
        before = lib.data_version()
        keys = [r.key for r in lib.rows(Scope())[:2]]
        other.set_starred(keys[0], True)
        lib.mark_read(keys[1:], True)
        assert lib.data_version() != before
    finally:
        other.close()
        lib.close()
