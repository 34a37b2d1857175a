"""Group commit: concurrent callers' writes made in one transaction (leader and followers).

A database pays for each transaction as a whole: SQLite writes every page the transaction
touched to its log at COMMIT and lets one writer at a time hold its lock; PostgreSQL flushes
its log and holds row locks until COMMIT. When many callers write the same kind of row at
once, writing theirs together costs little more than writing one (the same pages, one
commit, one turn of the lock). That is what databases' own "group commit" does for the log.

:class:`GroupCommit` does it one level up. Each caller hands over an item and waits. The
first caller that finds no batch being written becomes the leader: it takes every item
waiting (its own among them, up to ``max_batch``), calls ``write_batch`` once in its own
thread, hands each follower its outcome and returns its own. Callers that arrive meanwhile
wait for the next batch, whose leader is one of them. A caller alone is a batch of one and
waits for nobody: nothing is delayed to gather a batch.

``write_batch`` returns one outcome per item, in order: the item's result, or the exception
that caller is to raise. Should it raise instead, every caller of that batch raises it.
This module knows nothing of databases; :mod:`kefu.service.actions.accept` uses it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["GroupCommit"]


class _Waiting(Generic[T, R]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        write_batch: Callable[[list[T]], Sequence[R | BaseException]],
        *,
        max_batch: int = 32,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._changed = threading.Condition()
        self._queue: list[_Waiting[T, R]] = []
        self._writing = False
        self.batches = 0  # batches written, and items in them: for benchmarks and tests
        self.items = 0

    def submit(self, item: T) -> R:
        """Write ``item`` (with whatever else is waiting) and return its result, or raise
        the exception ``write_batch`` gave for it."""
        mine: _Waiting[T, R] = _Waiting(item)
        with self._changed:
            self._queue.append(mine)
        while True:  # more than once only when the batch this caller led was full
            with self._changed:
                while self._writing and not mine.done:
                    self._changed.wait()
                if mine.done:
                    return self._outcome(mine)
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                self._writing = True
            self._lead(batch)

    def _lead(self, batch: list[_Waiting[T, R]]) -> None:
        try:
            outcomes: Sequence[R | BaseException] = self._write_batch([w.item for w in batch])
            if len(outcomes) != len(batch):
                raise RuntimeError("write_batch returned a different number of outcomes")
        except BaseException as exc:
            outcomes = [exc] * len(batch)
        with self._changed:
            for waiting, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    waiting.error = outcome
                else:
                    waiting.result = outcome
                waiting.done = True
            self.batches += 1
            self.items += len(batch)
            self._writing = False
            self._changed.notify_all()

    @staticmethod
    def _outcome(waiting: _Waiting[T, R]) -> R:
        if waiting.error is not None:
            raise waiting.error
        return waiting.result  # type: ignore[return-value]
