"""A worker process's life: its bounds, its detachment from the caller, its answer, its death."""

from __future__ import annotations

import contextlib
import math
import os
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import sympy as sp

from sigderiv.errors import LimitError, SigderivError, TimeoutError
from sigderiv.sandbox.pickling import dumps, loads

T = TypeVar("T")

#: Monotonic deadline of the worker this process is, or None in the main process.
_deadline: float | None = None
#: Extra seconds a worker's own timer waits past the deadline (its parent kills it first).
_GRACE = 1.0
#: Bytes read from the worker at a time.
_CHUNK = 1 << 20


def can_fork() -> bool:
    """True where work can run in a forked, killable worker (POSIX)."""
    return hasattr(os, "fork")


def remaining() -> float:
    """Return the seconds left before this worker's deadline (infinity outside a worker)."""
    if _deadline is None:
        return math.inf
    return max(0.0, _deadline - time.monotonic())


class _RemoteTracebackError(Exception):
    """The worker's traceback, attached as the cause of an exception it raised."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def _size(memory: int) -> str:
    """Return ``memory`` bytes in words: 2 GiB, 512 MiB."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if memory >= scale:
            return f"{memory / scale:g} {unit}"
    return f"{memory} bytes"


def _mapped() -> int:
    """Return the bytes of address space this process has mapped now (0 if unknown)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _limit_memory(memory: int) -> None:
    """Cap this process's address space at what it has mapped now plus ``memory`` bytes."""
    import resource

    wanted = _mapped() + memory
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _payload(fn: Callable[[], Any]) -> tuple[bytes, bool]:
    """Run ``fn``; return its pickled outcome (a value, or an exception with its traceback)
    and whether it ended cleanly (a value or one of our own errors)."""
    try:
        return dumps(("ok", fn(), sp.Dummy._count)), True
    except BaseException as exc:  # reported to the parent, which decides
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        exc.__traceback__ = None
        clean = isinstance(exc, SigderivError)
        try:
            data = dumps(("raise", exc, text, sp.Dummy._count))
            loads(data)  # an exception that cannot be rebuilt is sent as a stand-in
            return data, clean
        except Exception:
            stand_in = RuntimeError(f"{type(exc).__name__}: {exc}")
            return dumps(("raise", stand_in, text, sp.Dummy._count)), False


#: Seconds between a worker's looks at whether the process that forked it still lives.
_WATCH = 0.1
#: prctl's option that asks the kernel to signal this process when its parent thread ends.
_PR_SET_PDEATHSIG = 1


def _detach(parent: int, keep: tuple[int, ...], *, die_with_thread: bool) -> None:
    """In a new worker: die as soon as ``parent`` does, and let go of every file it holds
    but the pipes ``keep``.

    Where the kernel offers it (Linux's ``PR_SET_PDEATHSIG``) it kills the worker, inside C
    code or not, when the thread that forked it ends; that thread is the waiting caller for
    a worker of its own, and the whole process for a kept worker forked by the main thread.
    A watching thread covers the rest: it ends the worker within :data:`_WATCH` seconds of
    the parent's death (once SymPy lets go of the interpreter; the deadline timer bounds a C
    loop). The worker's standard streams become ``/dev/null`` and every other file it
    inherited is closed (faulthandler's copy of stderr too), so a caller reading this
    process's output is not kept waiting by a worker it never knew of, and a crash in the
    worker prints nothing into the caller's output: the caller reports it.
    """
    import faulthandler

    faulthandler.disable()
    if die_with_thread and sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # only ever the faster of two ways
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH)
        os._exit(1)

    threading.Thread(target=watch, name="sigderiv-parent-watch", daemon=True).start()


def _arm(timeout: float, memory: int | None) -> None:
    """Bound this worker: its own process group, a deadline timer, a memory cap."""
    if _deadline is None:  # the outermost worker leads a process group its parent kills
        os.setpgid(0, 0)
    _cap(memory)
    _start_clock(timeout)


def _cap(memory: int | None) -> None:
    """Ignore ^C (the parent decides), die of the deadline timer, cap the address space."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    if memory is not None:
        _limit_memory(memory)


def _stop_clock() -> None:
    """End this worker's call: its timer off, no deadline until the next call."""
    global _deadline
    signal.setitimer(signal.ITIMER_REAL, 0)
    _deadline = None


def in_worker() -> bool:
    """True inside a worker, while it runs a call under its deadline."""
    return _deadline is not None


def _start_clock(timeout: float) -> None:
    """Set this worker's deadline, and the timer that kills it a little after."""
    global _deadline
    _deadline = time.monotonic() + timeout
    if not math.isinf(timeout):
        signal.setitimer(signal.ITIMER_REAL, timeout + _GRACE)


def _child(
    fn: Callable[[], Any], write: int, timeout: float, memory: int | None, parent: int
) -> None:
    """The worker's life: bound itself, run ``fn``, write the outcome, exit without cleanup."""
    code = 0
    try:
        _detach(parent, (write,), die_with_thread=True)
        _arm(timeout, memory)
        _write_all(write, _payload(fn)[0])
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _kill(pid: int, group: bool) -> None:
    """Kill the worker (and, for an outermost worker, every process it started)."""
    try:
        if group:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


#: Signals that stop a worker from outside: another process, or the system's memory killer.
_FROM_OUTSIDE = frozenset({signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT})


def _describe_death(status: int, what: str, memory: int | None) -> SigderivError:
    """Return the error for a worker that ended without an answer."""
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        return TimeoutError(f"{what} ran out of its time bound")
    if not os.WIFSIGNALED(status):
        return LimitError(
            f"{what} stopped with exit code {os.WEXITSTATUS(status)} without an answer"
        )
    number = os.WTERMSIG(status)
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    if number in _FROM_OUTSIDE:
        return LimitError(
            f"{what} was stopped by signal {name} from outside (another process, or the "
            "system short of memory) without an answer"
        )
    bound = f" of {_size(memory)}" if memory is not None else ""
    return LimitError(
        f"{what} crashed with signal {name} without an answer; a crash in SymPy's C libraries "
        f"is most often an allocation past the memory bound{bound}"
    )


def _reraise(outcome: tuple[Any, ...], what: str, memory: int | None) -> Any:
    """Return the worker's value or raise its exception here, translated where it helps."""
    sp.Dummy._count = max(sp.Dummy._count, outcome[-1])  # no clash with the worker's Dummies
    if outcome[0] == "ok":
        return outcome[1]
    _kind, exc, text, _count = outcome
    if isinstance(exc, MemoryError):
        bound = f" of {_size(memory)}" if memory is not None else ""
        raise LimitError(f"{what} ran out of its memory bound{bound}") from None
    if isinstance(exc, RecursionError):
        raise LimitError(f"{what} went too deep (Python's recursion limit)") from None
    if isinstance(exc, SigderivError):
        raise exc from None
    raise exc from _RemoteTracebackError(text)


def _read(fd: int, deadline: float, size: int = sys.maxsize) -> bytes | None:
    """Read ``size`` bytes, or until the pipe closes; None if the deadline comes first.

    Without a deadline it blocks in ``read`` itself; with one it waits in ``poll``, which,
    unlike an epoll selector, opens no file of its own on each call.
    """
    chunks: list[bytes] = []
    wanted = size
    waiter = None if math.isinf(deadline) else select.poll()
    if waiter is not None:
        waiter.register(fd, select.POLLIN)
    while wanted:
        if waiter is not None:
            left = deadline - time.monotonic()
            # poll counts whole milliseconds: round up, so that it never wakes early
            if left <= 0 or not waiter.poll(math.ceil(left * 1000)):
                return None
        chunk = os.read(fd, min(wanted, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return b"".join(chunks)
