"""Run a function under a wall-clock and memory bound in a forked worker that is killed on time-out.

A thread or an alarm handler cannot stop SymPy inside GMP or a long C loop; a killed process
can. The worker is forked after SymPy is imported, so it costs no second import. It:

- limits its address space with ``RLIMIT_AS`` (the memory bound), so a size bomb ends in a
  ``MemoryError`` or in the worker's death instead of the machine swapping;
- arms a real-time timer with the default ``SIGALRM`` action, so it dies at its deadline even
  if its parent is gone (the kernel ends it, inside C code or not);
- is killed, with every worker it started, by its parent at the deadline.

The result travels back pickled by :func:`dumps`, which keeps SymPy's unevaluated forms
(``Mul(2, 1/2, evaluate=False)`` stays as built; plain pickle would evaluate it to 1).
Nested calls (a step's check inside a derivation's worker) never outlive the outer bound.
Where ``os.fork`` does not exist (Windows) the function runs in this process, unbounded.

A function that pickles (a module-level function, or a ``functools.partial`` of one, as
``derive`` and ``check`` pass) goes to a *kept* worker: forked once, it serves one call after
another, so the fork and the copy-on-write of the pages a call touches are paid once, not on
every call. Each call in it starts from a cleared SymPy cache, as a fresh fork would; the
worker is replaced when it runs out of time or memory, when a call fails with an error that
is not ours, and when it has grown past :data:`_RETIRE_GROWTH`. Anything else (a lambda, a
closure) and every nested call get a worker of their own, forked for that call. There is
one kept worker to begin with; ``prestart(memory, count=n)`` keeps ``n`` (a batch over ``n``
processes), and a call goes to any of them that is free, else to a worker of its own.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from typing import Generic

from sigderiv.errors import TimeoutError
from sigderiv.input.limits import MEMORY, check_memory, check_seconds
from sigderiv.sandbox.kept import (
    _end,
    _pickled_call,
    _send_kept,
    free_slot,
    prestart,
    stop_worker,
    workers,
)
from sigderiv.sandbox.pickling import dumps, loads
from sigderiv.sandbox.process import (
    T,
    _child,
    _describe_death,
    _kill,
    _read,
    _reraise,
    can_fork,
    in_worker,
    remaining,
)

__all__ = [
    "MEMORY",
    "Pending",
    "can_fork",
    "dumps",
    "loads",
    "prestart",
    "remaining",
    "run_bounded",
    "stop_worker",
    "submit",
    "workers",
]

#: Seconds a nested worker leaves its enclosing one, to handle the nested time-out itself.
_MARGIN = 0.1


class Pending(Generic[T]):
    """A call running in a worker; :meth:`result` waits for its value.

    The caller may do other work meanwhile (the command line imports its renderers while
    the derivation runs). A call never collected is stopped when the object is dropped, and
    its worker with it.
    """

    def __init__(
        self, collect: Callable[[], T], abandon: Callable[[], object] | None = None
    ) -> None:
        self._collect: Callable[[], T] | None = collect
        self._abandon = abandon

    def result(self) -> T:
        """Return the call's value, or raise its exception (see :func:`run_bounded`)."""
        if self._collect is None:
            raise RuntimeError("result() was already collected")
        collect, self._collect = self._collect, None
        return collect()

    def __del__(self) -> None:
        if self._collect is not None and self._abandon is not None:
            self._collect = None
            with contextlib.suppress(Exception):
                self._abandon()


def submit(
    fn: Callable[[], T],
    timeout: float | None,
    *,
    memory: int | None = None,
    what: str = "the computation",
) -> Pending[T]:
    """Start ``fn()`` in a worker bounded as :func:`run_bounded` says; return it pending."""
    timeout = check_seconds(timeout, "timeout")
    memory = check_memory(memory)
    if not can_fork():
        return Pending(fn)
    budget = max(0.0, remaining() - _MARGIN)
    if timeout is not None:
        budget = min(budget, timeout)
    outermost = not in_worker()
    request = _pickled_call(fn, budget) if outermost else None
    # every kept worker busy with another thread's call, or a call they cannot read: a
    # worker of its own
    slot = None if request is None else free_slot()
    if request is None or slot is None:
        return _fork(fn, budget, memory, what, outermost)
    try:
        answer = _send_kept(slot, request, budget, memory, what)
        worker = slot.worker
    except BaseException:
        slot.lock.release()
        raise

    def collect() -> T:
        try:
            served, value = answer()
        finally:
            slot.lock.release()
        return value if served else _fork(fn, budget, memory, what, outermost).result()

    def abandon() -> None:
        try:
            if worker is not None:
                _end(worker, kill=True)
        finally:
            slot.lock.release()

    return Pending(collect, abandon)


def _fork(
    fn: Callable[[], T], budget: float, memory: int | None, what: str, outermost: bool
) -> Pending[T]:
    """Fork a worker of its own for ``fn``; return its call, pending."""
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read)
        _child(fn, write, budget, memory, parent)
    os.close(write)
    if outermost:
        with contextlib.suppress(OSError):  # the worker did it first, or has already ended
            os.setpgid(pid, pid)
    deadline = time.monotonic() + budget

    def answer() -> T:
        data: bytes | None = None
        try:
            data = _read(read, deadline)
        finally:
            if data is None:
                _kill(pid, outermost)
            elif outermost:
                _kill(pid, True)  # anything the worker left behind
            _pid, status = os.waitpid(pid, 0)
            os.close(read)
        if data is None:
            raise TimeoutError(f"{what} ran out of its time bound of {budget:.3g} s")
        if not data:
            raise _describe_death(status, what, memory)
        return _reraise(loads(data), what, memory)

    def abandon() -> None:
        _kill(pid, outermost)
        os.waitpid(pid, 0)
        os.close(read)

    return Pending(answer, abandon)


def run_bounded(
    fn: Callable[[], T],
    timeout: float | None,
    *,
    memory: int | None = None,
    what: str = "the computation",
) -> T:
    """Return ``fn()``, computed in a forked worker bounded in time and memory.

    Raises :class:`~sigderiv.errors.TimeoutError` after ``timeout`` seconds (None: only the
    bound of an enclosing worker) and :class:`~sigderiv.errors.LimitError` when the worker
    runs out of ``memory`` bytes beyond what this process has mapped (None: no new bound).
    An exception ``fn`` raises is raised here, with the worker's traceback as its cause.
    ``what`` names the work in messages ("the derivation ran out of ...").
    """
    return submit(fn, timeout, memory=memory, what=what).result()
