"""Django's SQLite backend with writers queued before ``BEGIN IMMEDIATE``
(:mod:`kefu.core.db.writer_queue`).

Set as ``ENGINE = "kefu.core.db.sqlite"`` (settings). Each transaction Django opens
(``transaction.atomic``) first waits for the database file's write turn, then begins; the turn
passes on right after its ``COMMIT`` or ``ROLLBACK``, or when the connection closes. Reads in
autocommit mode take no turn; WAL lets them go on beside the writer. An in-memory database
(the test database) has no file to queue on and behaves as Django's backend does.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base

from kefu.core.db.writer_queue import WriterQueue, queue_for


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_queue: WriterQueue | None = None
        self._holds_turn = False

    def _queue(self) -> WriterQueue | None:
        if self._writer_queue is None and not self.is_in_memory_db():
            self._writer_queue = queue_for(str(self.settings_dict["NAME"]))
        return self._writer_queue

    def _turn_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        if queue is None or self._holds_turn:
            super()._start_transaction_under_autocommit()
            return
        queue.acquire(self._turn_timeout())
        self._holds_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._pass_turn()
            raise

    def _pass_turn(self) -> None:
        if self._holds_turn:
            self._holds_turn = False
            assert self._writer_queue is not None
            self._writer_queue.release()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            if not self.in_transaction_now():
                self._pass_turn()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._pass_turn()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._pass_turn()

    def in_transaction_now(self) -> bool:
        """Whether SQLite still has a transaction open (a failed COMMIT leaves it open)."""
        return self.connection is not None and self.connection.in_transaction
