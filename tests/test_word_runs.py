"""The rebuild's surface words spilled in sorted runs (index/word_runs.py): the words
file is the same as holding every word at once, and no run file is left behind."""

from __future__ import annotations

import json

import pytest

from paperdeck.index import word_runs
from paperdeck.index.analysis import TextAnalyzer, recording_words
from paperdeck.index.search import WORDS_FILE
from paperdeck.index.word_runs import WordRuns

TEXTS = ["Retrieval augmented generation with graphs", "Graph neural networks retrieve",
         "Mixture of experts, routing tokens", "Régularisation des réseaux, PixArt-α",
         "Attention is all you need", "Generating retrieval graphs by routing"]


def _record(runs: WordRuns | None, words: dict) -> None:
    analyzer = TextAnalyzer()
    with recording_words(words):
        for text in TEXTS:
            list(analyzer(text, mode="index"))
            if runs:
                runs.spill_if_full()


@pytest.mark.parametrize("limit", [1, 3, 10_000])
def test_the_words_file_is_every_word_once(tmp_path, limit):
    whole: dict[str, str] = {}
    _record(None, whole)
    runs = WordRuns(tmp_path, limit=limit)
    _record(runs, runs.words)
    if limit < len(whole):
        assert list(tmp_path.glob("*.run")), "expected runs spilled to disk"
        assert len(runs.words) < limit
    runs.write(tmp_path / WORDS_FILE)
    written = json.loads((tmp_path / WORDS_FILE).read_text())
    assert written == whole and list(written) == sorted(whole)
    assert written["retrieval"] == "retriev" and "α" in written
    assert not list(tmp_path.glob("*.run")) and not list(tmp_path.glob("*.tmp"))


def test_a_failed_rebuild_leaves_no_run(tmp_path):
    runs = WordRuns(tmp_path, limit=2)
    _record(runs, runs.words)
    assert list(tmp_path.glob("*.run"))
    runs.discard()
    assert not list(tmp_path.glob("*.run"))


def test_a_rebuild_in_runs_writes_the_same_words(sample_lib, monkeypatch):
    words_file = sample_lib.index_dir / WORDS_FILE
    sample_lib.reindex()
    whole = words_file.read_bytes()
    assert len(json.loads(whole)) > 5_000
    monkeypatch.setattr(word_runs, "RUN_WORDS", 500)  # the sample has 10 times more words
    spills = []
    real_spill = WordRuns._spill
    monkeypatch.setattr(WordRuns, "_spill", lambda self: spills.append(1) or real_spill(self))
    sample_lib.reindex()
    assert len(spills) >= 10  # the rebuild did spill its words in runs
    assert words_file.read_bytes() == whole
    assert not list(sample_lib.index_dir.glob("*.run"))
    # and the typo search reads them
    assert sample_lib.search("retreival~").total > 0
