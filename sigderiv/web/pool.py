"""The bounded worker pool: a few calls at a time in bounded workers, a queue with a limit.

Each admitted call runs on one of ``workers`` threads, and each thread runs its call in a
worker process bounded in time and memory (:func:`sigderiv.sandbox.bound.run_bounded`): the
kept worker for one of them, a worker forked for the call for the others. So at most
``workers`` derivations run at once, at most ``queue`` more wait, and a call beyond that is
refused at once with :class:`BusyError` (the API answers 503) instead of piling up.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from sigderiv.errors import SigderivError
from sigderiv.input.limits import MEMORY
from sigderiv.sandbox.bound import run_bounded

T = TypeVar("T")


class BusyError(SigderivError):
    """Every worker is busy and the queue is full: the request may be sent again shortly."""


class Pool:
    """``workers`` calls at a time in bounded workers, ``queue`` more waiting, none beyond."""

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise ValueError(
                f"a pool needs a worker or more and a queue of 0 or more: {workers}, {queue}"
            )
        self.workers = workers
        self.queue = queue
        self._admitted = 0
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sigderiv")

    @property
    def admitted(self) -> int:
        """Calls running or waiting now."""
        return self._admitted

    def _admit(self) -> None:
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise BusyError(
                    f"the server is busy: {self.workers} derivations are running and "
                    f"{self.queue} are waiting; try again in a moment"
                )
            self._admitted += 1

    def _release(self, _done: object = None) -> None:
        with self._lock:
            self._admitted -= 1

    def submit(self, fn: Callable[[], T], timeout: float, what: str) -> Future[T]:
        """Queue ``fn()`` to run bounded by ``timeout`` seconds; BusyError if the queue is full.

        The call counts against the queue until its worker is done with it, even when the
        caller stopped waiting (a client that went away), so the bound on work holds.
        """
        self._admit()
        try:
            future = self._executor.submit(
                partial(run_bounded, fn, timeout, memory=MEMORY, what=what)
            )
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        return future

    async def run(self, fn: Callable[[], T], timeout: float, what: str) -> T:
        """Return ``fn()`` from a bounded worker, awaited without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(fn, timeout, what))

    def close(self) -> None:
        """Stop taking calls; the running ones finish within their bounds."""
        self._executor.shutdown(wait=False, cancel_futures=True)
