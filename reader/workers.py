"""How a worker answers: `in_thread` runs a read off the event loop and posts the answer
it returns (a WorkerFailed if it raises); `Generations` tells an answer that arrives after
the user moved on. One way for every worker of the reader."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker

from .messages import Answer, WorkerFailed


class Generations:
    """A counter per purpose ("list", "paper", ...), moved on each time the user asks
    anew. An answer carries the count of its purpose from when it was asked; once the
    count has moved on, the answer is stale and is dropped."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def next(self, purpose: str) -> int:
        """Move `purpose` on (a new question): the answers to older ones are stale."""
        n = self._counts.get(purpose, 0) + 1
        self._counts[purpose] = n
        return n

    def current(self, purpose: str) -> int:
        return self._counts.get(purpose, 0)

    def stale(self, answer: Answer) -> bool:
        purpose = answer.purpose
        return purpose is not None and answer.generation != self.current(purpose)


def deliver(node: MessagePump, message: Message) -> None:
    """Post from a worker thread, as sent by `node` (so that an answer that bubbles goes
    all the way up); nothing happens if the app has closed meanwhile."""
    try:
        node.post_message(message.set_sender(node))
    except RuntimeError:  # the event loop is gone
        pass


def in_thread(node: DOMNode, ask: Callable[[], Message | None], *, group: str,
              exclusive: bool = True, tag: object = None,
              exit_on_error: bool = True) -> Worker:
    """Run `ask` on a thread and post the message it returns to `node`; if it raises,
    post WorkerFailed(group, error, tag) instead (it bubbles up to the MainScreen)."""

    def work() -> None:
        try:
            answer = ask()
        except Exception as exc:
            answer = WorkerFailed(group, exc, tag)
        if answer is not None:
            deliver(node, answer)

    return node.run_worker(work, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=exit_on_error)


def throttled(report: Callable[[int, int, str], None],
              every: float = 0.1) -> Callable[[int, int, str], None]:
    """A progress callback passing on at most one report per `every` seconds, and the
    last: the library reports every record, the screen needs ten a second."""
    last = 0.0

    def progress(done: int, total: int, what: str) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < every:
            return
        last = now
        report(done, total, what)

    return progress
