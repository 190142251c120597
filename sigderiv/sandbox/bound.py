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
closure) and every nested call get a worker of their own, forked for that call.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import itertools
import math
import os
import pickle
import selectors
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sympy as sp
from sympy.core.function import Application
from sympy.core.operations import AssocOp

from sigderiv.errors import LimitError, SigderivError, TimeoutError
from sigderiv.input.limits import MEMORY, check_memory, check_seconds

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
]

T = TypeVar("T")

#: Monotonic deadline of the worker this process is, or None in the main process.
_deadline: float | None = None
#: Extra seconds a worker's own timer waits past the deadline (its parent kills it first).
_GRACE = 1.0
#: Seconds a nested worker leaves its enclosing one, to handle the nested time-out itself.
_MARGIN = 0.1
#: Bytes read from the worker at a time.
_CHUNK = 1 << 20
#: A kept worker that has mapped this many bytes more than when it was forked is replaced,
#: so that every call has (nearly) its whole memory bound to itself.
_RETIRE_GROWTH = 128 * 1024**2


def can_fork() -> bool:
    """True where work can run in a forked, killable worker (POSIX)."""
    return hasattr(os, "fork")


def remaining() -> float:
    """Return the seconds left before this worker's deadline (infinity outside a worker)."""
    if _deadline is None:
        return math.inf
    return max(0.0, _deadline - time.monotonic())


# ---- pickling that keeps SymPy's unevaluated forms -------------------------------------------


def _rebuild(cls: type[sp.Basic], args: tuple[sp.Basic, ...]) -> sp.Basic:
    """Return ``cls`` with ``args`` exactly, without running SymPy's evaluation."""
    if issubclass(cls, AssocOp):
        return cls._from_args(args)
    obj = sp.Basic.__new__(cls, *args)
    if issubclass(cls, sp.Pow):
        obj.is_commutative = args[0].is_commutative and args[1].is_commutative
    return obj


def _rebuilt_as_is(obj: sp.Basic) -> bool:
    """True for nodes whose constructor would re-evaluate their args: Add, Mul, Pow, f(u), ..."""
    if not obj.args or hasattr(obj, "_argset"):  # atoms; Min, Max, And keep their own state
        return False
    if isinstance(obj, AssocOp):
        return isinstance(obj, (sp.Add, sp.Mul))
    return isinstance(obj, (sp.Pow, Application, sp.Derivative, sp.UnevaluatedExpr))


class _Pickler(pickle.Pickler):
    """A pickler that rebuilds unevaluated SymPy nodes as they were, not re-evaluated."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, sp.Basic) and _rebuilt_as_is(obj):
            return _rebuild, (type(obj), obj.args)
        return NotImplemented


def dumps(obj: object) -> bytes:
    """Pickle ``obj``, SymPy expressions in it kept exactly as built (see :func:`loads`)."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle what :func:`dumps` wrote (trusted data only: this is pickle)."""
    return pickle.loads(data)


# ---- the worker -----------------------------------------------------------------------------


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


# ---- the kept worker -------------------------------------------------------------------------

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


_kept: _Kept | None = None
_kept_lock = threading.Lock()
#: Tags of the calls sent to kept workers: each answer carries its call's tag, so that a call
#: can never be handed another call's answer.
_tags = itertools.count(1)


def _frame(data: bytes) -> bytes:
    """Return ``data`` with its length in front."""
    return len(data).to_bytes(_HEADER, "little") + data


def _read(fd: int, deadline: float, size: int = sys.maxsize) -> bytes | None:
    """Read ``size`` bytes, or until the pipe closes; None if the deadline comes first."""
    chunks: list[bytes] = []
    wanted = size
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while wanted:
            left = None if math.isinf(deadline) else deadline - time.monotonic()
            if (left is not None and left <= 0) or not selector.select(left):
                return None
            chunk = os.read(fd, min(wanted, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
    return b"".join(chunks)


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

    global _deadline
    code = 0
    try:
        _detach(parent, (requests, answers), die_with_thread=from_main)
        os.setpgid(0, 0)
        _cap(memory)
        if warm_up is not None:
            with contextlib.suppress(Exception):  # only ever a head start
                warm_up()
        start = _mapped()
        while (request := _read_frame(requests)) is not None and len(request) > _HEADER:
            tag, request = request[:_HEADER], request[_HEADER:]
            try:
                fn, timeout, count = loads(request)
            except Exception:
                _write_all(answers, _frame(tag + _UNREADABLE))
                continue
            sp.Dummy._count = max(sp.Dummy._count, count)
            clear_cache()  # every call starts from the same state, as in a fresh fork
            _start_clock(timeout)
            data, clean = _payload(fn)
            signal.setitimer(signal.ITIMER_REAL, 0)
            _deadline = None
            retire = not clean or _mapped() - start > _RETIRE_GROWTH
            _write_all(answers, _frame(tag + (_RETIRING if retire else _SERVING) + data))
            if retire:
                break
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
    global _kept
    if _kept is worker:
        _kept = None
    if kill:
        _kill(worker.pid, True)
    _close_pipes(worker)
    try:
        return os.waitpid(worker.pid, 0)[1]
    except ChildProcessError:
        return 0


def stop_worker() -> None:
    """Stop the kept worker, if there is one; the next call forks a new one.

    Call it after changing sigderiv's modules at run time (a test's monkeypatch, say): the
    kept worker runs the code as it was when it was forked.
    """
    worker = _kept
    if worker is None or worker.owner != os.getpid():
        return
    if _kept_lock.acquire(blocking=False):
        try:
            _end(worker, kill=True)
        finally:
            _kept_lock.release()
    else:  # a call still holds it (at exit, one nobody collected): stop it all the same
        _kill(worker.pid, True)


def prestart(memory: int | None, warm_up: Callable[[], object] | None = None) -> None:
    """Fork the kept worker now, for calls bounded by ``memory``, and let it run ``warm_up``.

    The worker gets ready (SymPy's lazily imported modules loaded, its pages copied) while
    this process goes on; a call sent meanwhile waits in the pipe until it is ready. Does
    nothing where there is no fork, or when a kept worker for ``memory`` is already there.
    """
    if not can_fork() or _deadline is not None or not _kept_lock.acquire(blocking=False):
        return
    try:
        _ready(memory, warm_up)
    finally:
        _kept_lock.release()


def _ready(memory: int | None, warm_up: Callable[[], object] | None = None) -> _Kept:
    """Return the kept worker for ``memory``, forked now if there is none (lock held)."""
    global _kept
    if _kept is not None and _kept.memory != memory:
        _end(_kept, kill=True)
    if _kept is None:
        _kept = _spawn(memory, warm_up)
    return _kept


def _close_pipes(worker: _Kept) -> None:
    """Close this process's ends of the pipes to ``worker``."""
    for fd in (worker.requests, worker.answers):
        with contextlib.suppress(OSError):
            os.close(fd)


def _forget_after_fork() -> None:
    """In a forked child: the kept worker belongs to the parent; close this copy's pipes."""
    global _kept
    if _kept is not None:
        _close_pipes(_kept)
        _kept = None


if can_fork():
    os.register_at_fork(after_in_child=_forget_after_fork)
    atexit.register(stop_worker)


def _send_kept(
    request: bytes, budget: float, memory: int | None, what: str
) -> Callable[[], tuple[bool, Any]]:
    """Send the pickled call to the kept worker; return what waits for its answer.

    The answer is (True, value), or (False, None) when the worker could not read the call.
    Anything that stops the exchange half-way (^C, a signal's exception, a pipe that fails)
    ends the worker, so that no answer is ever left in the pipe for the next call to read.
    """
    worker = _ready(memory)
    tag = next(_tags).to_bytes(_HEADER, "little")
    deadline = time.monotonic() + budget
    try:
        _write_all(worker.requests, _frame(tag + request))
    except OSError:  # the worker died while it waited for a call: ask a new one
        _end(worker, kill=True)
        return _send_kept(request, budget, memory, what)
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
    outermost = _deadline is None
    request = _pickled_call(fn, budget) if outermost else None
    # another thread using the kept worker, or a call it cannot read: a worker of its own
    if request is None or not _kept_lock.acquire(blocking=False):
        return _fork(fn, budget, memory, what, outermost)
    try:
        answer = _send_kept(request, budget, memory, what)
        worker = _kept
    except BaseException:
        _kept_lock.release()
        raise

    def collect() -> T:
        try:
            served, value = answer()
        finally:
            _kept_lock.release()
        return value if served else _fork(fn, budget, memory, what, outermost).result()

    def abandon() -> None:
        try:
            if worker is not None:
                _end(worker, kill=True)
        finally:
            _kept_lock.release()

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
