"""The mark writer: while this reader's own import holds the library's write lock, marks
are saved on a thread, in order, so that the keys are answered meanwhile."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from textual.dom import DOMNode
from textual.message import Message

from ..messages import MarksSaved, WorkerFailed

# How long the writer waits for one more mark before it stops (a run of marks is
# saved by one thread).
IDLE_WAIT = 0.2


class MarkWriter:
    """Saves marks at once, or queued behind an import. Its thread is a worker of `host`
    (the app, whose lifetime it shares); its news go through `tell` (to the MainScreen):
    a WorkerFailed for a mark that could not be saved, MarksSaved when the queue is empty."""

    def __init__(self, host: DOMNode, tell: Callable[[Message], None]) -> None:
        self._host = host
        self._tell = tell
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._alive = False

    @property
    def busy(self) -> bool:
        """Marks are queued or being saved."""
        return self._alive

    def save(self, fn: Callable[..., object], *args: object, wait_for_import: bool) -> bool:
        """Run `fn(*args)` now (committed before the caller shows the mark; its errors are
        the caller's), or, while an import holds the lock or marks are queued already,
        queue it behind them. Whether it was queued."""
        with self._lock:
            queued = wait_for_import or self._alive
            if queued:
                self._queue.put((fn, args))
                start = not self._alive
                self._alive = True
        if not queued:
            fn(*args)
            return False
        if start:
            self._host.run_worker(self._drain, thread=True, group="writer")
        return True

    def _drain(self) -> None:
        while True:
            try:
                fn, args = self._queue.get(timeout=IDLE_WAIT)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._alive = False
                        break
                continue
            try:
                fn(*args)
            except Exception as exc:
                self._tell(WorkerFailed("writer", exc))
        self._tell(MarksSaved())
