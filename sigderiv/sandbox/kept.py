"""The kept workers: each forked once, each serves one pickled call after another, tagged."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from sigderiv.errors import TimeoutError
from sigderiv.sandbox.pickling import dumps, loads
from sigderiv.sandbox.process import (
    _cap,
    _describe_death,
    _detach,
    _kill,
    _mapped,
    _payload,
    _read,
    _reraise,
    _start_clock,
    _stop_clock,
    _write_all,
    can_fork,
    in_worker,
)

#: A kept worker that has mapped this many bytes more than when it was forked is replaced,
#: so that every call has (nearly) its whole memory bound to itself.
_RETIRE_GROWTH = 128 * 1024**2


#: Bytes of the length that goes before each message to and from the kept worker, and of the
#: tag that goes before each call and its answer.
_HEADER = 8
#: The first byte of an answer: the value follows, and the worker serves on or retires.
_SERVING, _RETIRING = b"s", b"r"
#: The whole answer when the worker could not rebuild the call (a function made after the
#: worker was forked): the caller runs it in a worker of its own instead.
_UNREADABLE = b"u"


@dataclass(frozen=True)
class _Kept:
    """The kept worker: its process, the pipe ends to it, the process that forked it."""

    pid: int
    requests: int
    answers: int
    owner: int
    memory: int | None


class _Slot:
    """A place for one kept worker: the worker (None until forked) and the lock of its calls.

    Whoever holds ``lock`` may send the worker a call, fork it, or end it; one call at a time.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worker: _Kept | None = None


#: The kept workers' places: one to begin with; :func:`prestart` adds places up to the
#: number of calls to run at once (a batch over ``jobs`` processes).
_slots: list[_Slot] = [_Slot()]
#: Guards the growth of :data:`_slots`.
_slots_lock = threading.Lock()
#: Tags of the calls sent to kept workers: each answer carries its call's tag, so that a call
#: can never be handed another call's answer.
_tags = itertools.count(1)


def _frame(data: bytes) -> bytes:
    """Return ``data`` with its length in front."""
    return len(data).to_bytes(_HEADER, "little") + data


def _read_frame(fd: int, deadline: float = math.inf) -> bytes | None:
    """Read one framed message: None at the deadline, b"" (or a part) if the pipe closed."""
    header = _read(fd, deadline, _HEADER)
    if header is None or len(header) < _HEADER:
        return header and b""
    size = int.from_bytes(header, "little")
    body = _read(fd, deadline, size)
    return body if body is None or len(body) == size else b""


def _serve(
    requests: int,
    answers: int,
    memory: int | None,
    warm_up: Callable[[], object] | None,
    parent: int,
    from_main: bool,
) -> None:
    """The kept worker's life: answer calls until its parent closes the pipe or it retires."""
    from sympy.core.cache import clear_cache

    code = 0
    try:
        _detach(parent, (requests, answers), die_with_thread=from_main)
        os.setpgid(0, 0)
        _cap(memory)
        if warm_up is not None:
            with contextlib.suppress(Exception):  # only ever a head start
                warm_up()
        clear_cache()
        start = _mapped()
        while (request := _read_frame(requests)) is not None and len(request) > _HEADER:
            tag, request = request[:_HEADER], request[_HEADER:]
            try:
                fn, timeout, count = loads(request)
            except Exception:
                _write_all(answers, _frame(tag + _UNREADABLE))
                continue
            sp.Dummy._count = max(sp.Dummy._count, count)
            # every call starts from the same state, as in a fresh fork: what the previous
            # call cached went after its answer, so this clears only what reading this call
            # put there (a few entries: cheap)
            clear_cache()
            _start_clock(timeout)
            data, clean = _payload(fn)
            _stop_clock()
            retire = not clean or _mapped() - start > _RETIRE_GROWTH
            _write_all(answers, _frame(tag + (_RETIRING if retire else _SERVING) + data))
            if retire:
                break
            clear_cache()  # the bulk of the clearing, while the caller reads the answer
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _spawn(memory: int | None, warm_up: Callable[[], object] | None = None) -> _Kept:
    """Fork the kept worker; it runs ``warm_up`` before it waits for its first call."""
    to_worker, requests = os.pipe()
    answers, from_worker = os.pipe()
    parent, from_main = os.getpid(), threading.current_thread() is threading.main_thread()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(requests)
        os.close(answers)
        _serve(to_worker, from_worker, memory, warm_up, parent, from_main)
    os.close(to_worker)
    os.close(from_worker)
    with contextlib.suppress(OSError):  # the worker did it first
        os.setpgid(pid, pid)
    return _Kept(pid, requests, answers, os.getpid(), memory)


def _end(worker: _Kept, *, kill: bool) -> int:
    """Close the pipes to ``worker`` (killing it first if asked), reap it, return its status."""
    for slot in _slots:
        if slot.worker is worker:
            slot.worker = None
    if kill:
        _kill(worker.pid, True)
    _close_pipes(worker)
    try:
        return os.waitpid(worker.pid, 0)[1]
    except ChildProcessError:
        return 0


def stop_worker() -> None:
    """Stop the kept workers, if there are any; the next call forks a new one.

    Call it after changing sigderiv's modules at run time (a test's monkeypatch, say): the
    kept workers run the code as it was when they were forked.
    """
    for slot in list(_slots):
        worker = slot.worker
        if worker is None or worker.owner != os.getpid():
            continue
        if slot.lock.acquire(blocking=False):
            try:
                _end(worker, kill=True)
            finally:
                slot.lock.release()
        else:  # a call still holds it (at exit, one nobody collected): stop it all the same
            _kill(worker.pid, True)


def prestart(
    memory: int | None, warm_up: Callable[[], object] | None = None, count: int = 1
) -> None:
    """Fork ``count`` kept workers now, for calls bounded by ``memory``; each runs ``warm_up``.

    The workers get ready (SymPy's lazily imported modules loaded, their pages copied)
    while this process goes on; a call sent meanwhile waits in the pipe until its worker is
    ready. Does nothing where there is no fork, and nothing for a kept worker for
    ``memory`` that is already there or busy. Later calls use any kept worker that is free.
    """
    if not can_fork() or in_worker():
        return
    with _slots_lock:
        _slots.extend(_Slot() for _ in range(count - len(_slots)))
        slots = _slots[:count]
    for slot in slots:
        if slot.lock.acquire(blocking=False):
            try:
                _ready(slot, memory, warm_up)
            finally:
                slot.lock.release()


def free_slot() -> _Slot | None:
    """Take a kept worker's place that no call holds (its lock acquired), or None."""
    for slot in list(_slots):
        if slot.lock.acquire(blocking=False):
            return slot
    return None


def workers() -> tuple[int, ...]:
    """The process ids of the kept workers there are now, in the order of their places."""
    kept = [slot.worker for slot in _slots]  # each read once: another thread may end one
    return tuple(worker.pid for worker in kept if worker is not None)


def _ready(slot: _Slot, memory: int | None, warm_up: Callable[[], object] | None = None) -> _Kept:
    """Return the kept worker of ``slot`` for ``memory``, forked now if needed (lock held)."""
    if slot.worker is not None and slot.worker.memory != memory:
        _end(slot.worker, kill=True)
    if slot.worker is None:
        slot.worker = _spawn(memory, warm_up)
    return slot.worker


def _close_pipes(worker: _Kept) -> None:
    """Close this process's ends of the pipes to ``worker``."""
    for fd in (worker.requests, worker.answers):
        with contextlib.suppress(OSError):
            os.close(fd)


def _forget_after_fork() -> None:
    """In a forked child: the kept workers belong to the parent; close this copy's pipes."""
    global _slots
    for slot in _slots:
        if slot.worker is not None:
            _close_pipes(slot.worker)
    _slots = [_Slot()]  # a lock another thread held at the fork would stay held here


if can_fork():
    os.register_at_fork(after_in_child=_forget_after_fork)
    atexit.register(stop_worker)


def _send_kept(
    slot: _Slot, request: bytes, budget: float, memory: int | None, what: str
) -> Callable[[], tuple[bool, Any]]:
    """Send the pickled call to the kept worker of ``slot``; return what waits for its answer.

    The answer is (True, value), or (False, None) when the worker could not read the call.
    Anything that stops the exchange half-way (^C, a signal's exception, a pipe that fails)
    ends the worker, so that no answer is ever left in the pipe for the next call to read.
    """
    worker = _ready(slot, memory)
    tag = next(_tags).to_bytes(_HEADER, "little")
    deadline = time.monotonic() + budget
    try:
        _write_all(worker.requests, _frame(tag + request))
    except OSError:  # the worker died while it waited for a call: ask a new one
        _end(worker, kill=True)
        return _send_kept(slot, request, budget, memory, what)
    except BaseException:  # the call may be half-written: nothing after it can be trusted
        _end(worker, kill=True)
        raise

    def answer() -> tuple[bool, Any]:
        try:
            data = _answer_to(tag, worker, deadline)
        except BaseException:  # interrupted while the answer was on its way
            _end(worker, kill=True)
            raise
        if data is None:
            _end(worker, kill=True)
            raise TimeoutError(f"{what} ran out of its time bound of {budget:.3g} s")
        if data == _UNREADABLE:
            return False, None
        if data[:1] not in (_SERVING, _RETIRING):
            raise _describe_death(_end(worker, kill=True), what, memory)
        if data[:1] == _RETIRING:
            _end(worker, kill=False)
        return True, _reraise(loads(data[1:]), what, memory)

    return answer


def _answer_to(tag: bytes, worker: _Kept, deadline: float) -> bytes | None:
    """Read the answer tagged ``tag``: None at the deadline, b"" if the worker died.

    Answers to earlier calls (which a call interrupted before :func:`_send_kept` could end
    its worker would leave) are read and dropped; an answer with any other tag ends the
    worker as if it had died.
    """
    wanted = int.from_bytes(tag, "little")
    while True:
        data = _read_frame(worker.answers, deadline)
        if data is None or len(data) <= _HEADER:
            return data and b""
        got = int.from_bytes(data[:_HEADER], "little")
        if got == wanted:
            return data[_HEADER:]
        if got > wanted:
            return b""


def _pickled_call(fn: Callable[[], Any], budget: float) -> bytes | None:
    """Return the call as the kept worker reads it, or None if ``fn`` does not pickle."""
    try:
        return dumps((fn, budget, sp.Dummy._count))
    except Exception:  # a lambda or a closure: it gets a worker of its own
        return None
