"""Group commit for the run lifecycle's writes across a worker process's threads.

Every run claims itself in one transaction and finishes in another. With a worker's
threads each ending short runs, those transactions queue on the database's write lock
one after the other, each paying its own BEGIN, COMMIT and connection round. Here a
thread that finds no write under way becomes the leader: it writes its own statements
and those every other thread submitted meanwhile in ONE transaction, then wakes them.
Each caller still returns only once its statements are committed (nothing is
acknowledged before it is durable), and gets its own function's result.

A batch that fails is written again one caller at a time, so one run's error (or a
conflict) is that run's alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from backend.core.db import write_transaction

__all__ = ["GroupWriter", "group_write"]

T = TypeVar("T")
_MAX_BATCH = 64  # a leader writes at most this many callers' statements at once


@dataclass
class _Entry(Generic[T]):
    write: Callable[[Any], T]
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class GroupWriter:
    """``group_write(fn)`` runs ``fn(conn)`` in a transaction shared with the callers of
    other threads waiting at the same time; returns what ``fn`` returned."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Entry[Any]] = []
        self._writing = False

    def write(self, fn: Callable[[Any], T]) -> T:
        entry: _Entry[T] = _Entry(fn)
        with self._lock:
            self._pending.append(entry)
            lead = not self._writing
            self._writing = True
        if lead:
            self._lead()
        else:
            entry.done.wait()
        if entry.error is not None:
            raise entry.error
        return entry.result  # type: ignore[no-any-return]

    def _lead(self) -> None:
        """Write batches until none is waiting (this caller's own is in the first)."""
        while True:
            with self._lock:
                batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
                if not batch:
                    self._writing = False
                    return
            self._write(batch)

    @staticmethod
    def _write(batch: list[_Entry[Any]]) -> None:
        try:
            with write_transaction() as conn:
                results = [entry.write(conn) for entry in batch]
        except BaseException as exc:  # noqa: BLE001 - each caller gets its own outcome
            if len(batch) == 1:
                batch[0].error = exc
                batch[0].done.set()
                return
            for entry in batch:  # one at a time: an error is its caller's alone
                GroupWriter._write([entry])
            return
        for entry, result in zip(batch, results, strict=True):
            entry.result = result
            entry.done.set()


_WRITER = GroupWriter()


def group_write(fn: Callable[[Any], T]) -> T:
    """Run ``fn(conn)`` in a transaction grouped with other threads' (see module doc)."""
    return _WRITER.write(fn)
