"""The surface words of a rebuild (word -> stem, for typos), held a bounded number at a
time: past `limit` distinct words the held ones go to a sorted run file on disk, and
the runs are merged into the words file at the end.

A rebuild records every word of every title and abstract; a half-million-paper
snapshot has hundreds of thousands of distinct ones, each a dict entry and two
strings (some 170 bytes), held until the index is written. Spilled in runs, a
rebuild holds at most `limit` of them whatever the library's size.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

RUN_WORDS = 100_000


def write_words(target: Path, pairs: Iterable[tuple[str, str]]) -> None:
    """The words file (a JSON object, word -> stem) from `pairs`, 10,000 at a time, written
    through a temporary file and put in place whole."""
    tmp = target.with_name(target.name + ".tmp")
    pairs = iter(pairs)
    with tmp.open("w", encoding="utf-8") as fh:
        sep = "{"
        # json.dumps of a dict a chunk: as fast as one dumps of the whole, without it
        while chunk := dict(islice(pairs, 10_000)):
            fh.write(sep + json.dumps(chunk, separators=(",", ":"))[1:-1])
            sep = ","
        fh.write("{}" if sep == "{" else "}")
    tmp.replace(target)


class WordRuns:
    """`words` is the dict the analyzer records into (recording_words); call `spill_if_full`
    between documents and `write` once at the end."""

    def __init__(self, directory: Path, limit: int | None = None):
        self._dir = directory
        self._limit = limit or RUN_WORDS
        self._runs: list[Path] = []
        self.words: dict[str, str] = {}

    def spill_if_full(self) -> None:
        if len(self.words) >= self._limit:
            self._spill()

    def _spill(self) -> None:
        path = self._dir / f"paperdeck-words-{len(self._runs)}.run"
        words = self.words
        with path.open("w", encoding="utf-8") as fh:
            # one JSON pair a line: a word is any run of word characters, never a newline
            fh.writelines(json.dumps([w, words[w]]) + "\n" for w in sorted(words))
        self._runs.append(path)
        words.clear()  # in place: the analyzer records into this very dict

    @staticmethod
    def _read_run(path: Path) -> Iterator[tuple[str, str]]:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                word, stem = json.loads(line)
                yield word, stem

    def _merged(self) -> Iterator[tuple[str, str]]:
        """Every word once, in order (a word's stem is the same in every run)."""
        held = sorted(self.words.items())
        last = None
        for word, stem in heapq.merge(held, *map(self._read_run, self._runs)):
            if word != last:
                last = word
                yield word, stem

    def write(self, target: Path) -> None:
        """The words file, in word order; the run files are removed."""
        try:
            write_words(target, self._merged())
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the run files (a rebuild that failed, or once written)."""
        for path in self._runs:
            path.unlink(missing_ok=True)
        self._runs = []
