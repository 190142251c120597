"""Answers remembered by request: a class that opens one shared link derives it once.

A derivation depends only on its request (the expression, the variable, the order, the
name), so each server process keeps the last few answers and hands a repeated request the
same document; identical requests that arrive while the first is still being derived wait
for that one instead of taking a worker each. Errors are not kept (a time-out under load
may succeed later). The processes behind a proxy share nothing: each keeps its own.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class Answers:
    """The last ``size`` answers by key (0: none kept), and the ones being computed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._done)

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[Any]]) -> Any:
        """The answer for ``key``: remembered, being computed, or computed now by ``compute``.

        Called from one event loop only (no lock). A caller that stops waiting (a client
        gone) does not stop the computation that others wait for.
        """
        if self.size <= 0:
            return await compute()
        if key in self._done:
            self.hits += 1
            self._done.move_to_end(key)
            return self._done[key]
        running = self._running.get(key)
        if running is None:
            self.misses += 1
            running = asyncio.ensure_future(compute())
            self._running[key] = running
            running.add_done_callback(lambda done: self._finished(key, done))
        else:
            self.hits += 1
        return await asyncio.shield(running)

    def _finished(self, key: Hashable, done: asyncio.Future[Any]) -> None:
        """Keep a successful answer (dropping the oldest past ``size``), forget a failed one."""
        self._running.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return
        self._done[key] = done.result()
        while len(self._done) > self.size:
            self._done.popitem(last=False)
